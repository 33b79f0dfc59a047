//! Text folding: the form in which lexicons are matched.
//!
//! Evasive spellings put full-width letters, traditional characters, spaces or punctuation
//! inside a term (`法 轮·功`, `ＡＢＣ`, `習近平`). Folding maps every character to a canonical
//! one (full-width → half-width, upper → lower case, traditional → simplified) and drops
//! everything that is not a letter or digit, while remembering where each folded byte came
//! from, so that a match can be quoted in the original text.

use std::sync::LazyLock;

const CJK_START: u32 = 0x3400;
const CJK_END: u32 = 0xA000;

/// OpenCC's one-to-one traditional → simplified character pairs (Apache-2.0), shipped as a
/// user-editable table.
const T2S_TABLE: &str = include_str!("../../../lexicons/t2s-chars.txt");

/// Traditional → simplified for U+3400..U+9FFF as a flat array: one lookup per character.
static T2S: LazyLock<Vec<char>> = LazyLock::new(|| {
    let mut table: Vec<char> = (CJK_START..CJK_END).map(|u| char::from_u32(u).unwrap_or(' ')).collect();
    for line in T2S_TABLE.lines().filter(|l| !l.starts_with('#')) {
        let mut it = line.chars();
        if let (Some(t), Some(s)) = (it.next(), it.next())
            && (CJK_START..CJK_END).contains(&(t as u32))
        {
            table[(t as u32 - CJK_START) as usize] = s;
        }
    }
    table
});

/// One bit per character of U+3400..U+9FFF: set where [`T2S`] changes it. A text is nearly all
/// simplified characters, copied as they are; the bitmap (3 KB) stays in the L1 cache where the
/// table (108 KB) would not.
static TRADITIONAL: LazyLock<Vec<u64>> = LazyLock::new(|| {
    let mut bits = vec![0u64; (CJK_END - CJK_START).div_ceil(64) as usize];
    for (k, &c) in T2S.iter().enumerate() {
        if c as u32 != CJK_START + k as u32 {
            bits[k / 64] |= 1 << (k % 64);
        }
    }
    bits
});

/// Forces the traditional → simplified table to be built (it takes a few milliseconds).
pub fn warm_up() {
    LazyLock::force(&TRADITIONAL);
}

/// The canonical form of one character, or `None` when it is dropped (spaces, punctuation,
/// symbols, zero-width characters). ASCII and CJK characters, nearly all of a text, take the
/// inlined path; the rest a call.
#[inline(always)]
pub fn fold_char(c: char) -> Option<char> {
    let u = c as u32;
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() { Some(c.to_ascii_lowercase()) } else { None };
    }
    if (CJK_START..CJK_END).contains(&u) {
        return Some(T2S[(u - CJK_START) as usize]);
    }
    fold_other(c)
}

/// [`fold_char`] of a character that is neither ASCII nor CJK.
#[inline(never)]
fn fold_other(c: char) -> Option<char> {
    let u = c as u32;
    if let 0xFF01..=0xFF5E = u {
        // Full-width ASCII.
        let c = char::from_u32(u - 0xFEE0).unwrap_or(c);
        return if c.is_ascii_alphanumeric() { Some(c.to_ascii_lowercase()) } else { None };
    }
    // Chinese punctuation (quotes, dashes, ellipsis, 、。 and brackets), without a table lookup.
    if matches!(u, 0x2010..=0x2027 | 0x3001..=0x3003 | 0x3008..=0x301F) {
        return None;
    }
    if c.is_alphanumeric() { Some(c) } else { None }
}

/// Folds a lexicon term (no offset map needed).
pub fn fold(s: &str) -> String {
    s.chars().filter_map(fold_char).collect()
}

/// Characters that end a sentence or separate the items of a list (、): a match never spans
/// one of these.
#[inline]
pub fn is_hard_boundary(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '、' | '\n' | '\r')
}

/// The sentence of `original` that holds the byte range `start..end`: from the previous
/// sentence end (。！？； or a line break) to the next.
pub fn sentence_around(original: &str, start: usize, end: usize) -> &str {
    let is_end = |c: char| matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';' | '\n' | '\r');
    let from =
        original[..start].char_indices().rev().find(|(_, c)| is_end(*c)).map_or(0, |(i, c)| i + c.len_utf8());
    let to = original[end..].find(is_end).map_or(original.len(), |i| end + i);
    &original[from..to]
}

/// Folded text with a map back to the original.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    pub text: String,
    /// Where the offset from a character of `text` to its character in the original changes
    /// (after dropped characters and characters folded to another width): `(start, delta)`
    /// says that from byte `start` of `text` on, a character starts `delta` bytes later in the
    /// original. Most characters keep their width, so this holds one entry per run of them
    /// instead of one per byte; the last entry maps the end of `text` to the original's end.
    runs: Vec<(u32, u32)>,
}

impl Folded {
    pub fn new(original: &str) -> Self {
        let bytes = original.as_bytes();
        let mut out = String::with_capacity(bytes.len());
        let mut runs: Vec<(u32, u32)> = Vec::new();
        let mut delta = u32::MAX;
        // A character of `out` starts at `at`, from byte `i` of the original (never before
        // it: folding never widens a character).
        let mut mark = |at: usize, i: usize| {
            let d = (i - at) as u32;
            if d != delta {
                runs.push((at as u32, d));
                delta = d;
            }
        };
        let traditional = &*TRADITIONAL;
        // Bytes, not chars: a run of characters that fold to themselves (lower-case letters,
        // digits, simplified characters: nearly all of a text) is copied at once, without being
        // decoded and encoded again.
        let mut same = 0;
        let flush = |out: &mut String, mark: &mut dyn FnMut(usize, usize), from: usize, to: usize| {
            if from < to {
                mark(out.len(), from);
                out.push_str(&original[from..to]);
            }
        };
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii() {
                if b.is_ascii_lowercase() || b.is_ascii_digit() {
                    i += 1;
                    continue;
                }
                flush(&mut out, &mut mark, same, i);
                if b.is_ascii_uppercase() {
                    mark(out.len(), i);
                    out.push(char::from(b.to_ascii_lowercase()));
                }
                i += 1;
                same = i;
                continue;
            }
            if b & 0xF0 == 0xE0 {
                let u = (u32::from(b & 0x0F) << 12)
                    | (u32::from(bytes[i + 1] & 0x3F) << 6)
                    | u32::from(bytes[i + 2] & 0x3F);
                if (CJK_START..CJK_END).contains(&u) {
                    let k = (u - CJK_START) as usize;
                    if traditional[k / 64] & (1 << (k % 64)) != 0 {
                        flush(&mut out, &mut mark, same, i);
                        mark(out.len(), i);
                        out.push(T2S[k]);
                        same = i + 3;
                    }
                    i += 3;
                    continue;
                }
            }
            flush(&mut out, &mut mark, same, i);
            let c = original[i..].chars().next().expect("a character starts here");
            if let Some(fc) = fold_other(c) {
                mark(out.len(), i);
                out.push(fc);
            }
            i += c.len_utf8();
            same = i;
        }
        flush(&mut out, &mut mark, same, bytes.len());
        mark(out.len(), bytes.len());
        Folded { text: out, runs }
    }

    /// The original byte offset of the character that starts at byte `at` of `text` (or of
    /// the end, at its length).
    fn original_offset(&self, at: usize) -> usize {
        let run = self.runs.partition_point(|&(start, _)| start as usize <= at) - 1;
        at + self.runs[run].1 as usize
    }

    /// The original byte range of the folded byte range `start..end` (`original` is the
    /// text this was folded from; both ends on character boundaries of `text`).
    pub fn original_range(&self, original: &str, start: usize, end: usize) -> (usize, usize) {
        let s = self.original_offset(start);
        if end == 0 {
            return (s, s);
        }
        let last_char = self.text[..end].chars().next_back().map_or(0, char::len_utf8);
        let last = self.original_offset(end - last_char);
        let e = last + original[last..].chars().next().map_or(0, char::len_utf8);
        (s, e)
    }
}

/// Up to `chars` characters either side of `start..end` (a range of the original text) with
/// the match in 【】, quoted from the masked text: personal data never appears in an excerpt,
/// not even a number that the window cuts in two (the cut part is left out, see
/// [`govmedia_pii::Masked::window`]).
pub fn excerpt(masked: &govmedia_pii::Masked, start: usize, end: usize, chars: usize) -> String {
    let (before, hit, after) = masked.window(start, end, chars);
    let clean = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let quoted = format!("{}【{hit}】{}", clean(before), clean(after));
    // Joining lines and spaces can make a number readable that no line held whole
    // (`139\n0000\n0121`): mask the excerpt itself too.
    govmedia_pii::mask(&quoted).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_case_variants_and_punctuation() {
        assert_eq!(fold("ＡＢＣ１２３"), "abc123");
        assert_eq!(fold("法 轮·功"), "法轮功");
        assert_eq!(fold("習近平講話"), "习近平讲话");
        assert_eq!(fold("國務院"), "国务院");
        assert_eq!(fold("中华人民共和国"), "中华人民共和国");
        assert_ne!(fold("国务院"), fold("国防部"));
    }

    #[test]
    fn maps_back_across_dropped_and_narrowed_characters() {
        let s = "　ＡＢＣ 國務院，通知：第１２号。";
        let f = Folded::new(s);
        assert_eq!(f.text, "abc国务院通知第12号");
        let range = |term: &str| {
            let at = f.text.find(term).unwrap();
            let (a, b) = f.original_range(s, at, at + term.len());
            &s[a..b]
        };
        assert_eq!(range("abc"), "ＡＢＣ");
        assert_eq!(range("b"), "Ｂ");
        assert_eq!(range("c国务"), "Ｃ 國務");
        assert_eq!(range("院通"), "院，通");
        assert_eq!(range("12号"), "１２号");
        assert_eq!(range("号"), "号");
        assert_eq!(f.original_range(s, f.text.len(), f.text.len()).0, s.len());
        assert_eq!(f.original_range(s, 0, 0), (3, 3));
        let empty = Folded::new("，。");
        assert_eq!(
            (empty.text.as_str(), empty.original_range("，。", 0, 0)),
            ("", ("，。".len(), "，。".len()))
        );
    }

    #[test]
    fn folds_every_kind_of_character_as_fold_char_does() {
        let s = "Ａb9 é Ωμ 國務院 𠀀😀 ｘ，。「」— ①② abc\tDEF 中華人民共和國 龍";
        let f = Folded::new(s);
        assert_eq!(f.text, fold(s));
        // Every folded character maps back to the original character it came from.
        for (at, c) in f.text.char_indices() {
            let (a, b) = f.original_range(s, at, at + c.len_utf8());
            let from: Vec<char> = s[a..b].chars().collect();
            assert_eq!((from.len(), fold_char(from[0])), (1, Some(c)), "{c} at {at}");
        }
    }

    #[test]
    fn maps_back_to_original_offsets() {
        let s = "前文，法 轮*功。后";
        let f = Folded::new(s);
        let at = f.text.find("法轮功").unwrap();
        let (a, b) = f.original_range(s, at, at + "法轮功".len());
        assert_eq!(&s[a..b], "法 轮*功");
        assert_eq!(excerpt(&govmedia_pii::Masked::new(s), a, b, 3), "前文，【法 轮*功】。后");
    }

    /// The excerpt of `term` in `text`, with `chars` characters either side.
    fn excerpt_of(text: &str, term: &str, chars: usize) -> String {
        let at = text.find(term).unwrap();
        excerpt(&govmedia_pii::Masked::new(text), at, at + term.len(), chars)
    }

    /// The longest run of the digits of `number` that `s` shows in order.
    fn longest_shared(s: &str, number: &str) -> usize {
        let digits: Vec<char> = s.chars().filter(char::is_ascii_digit).collect();
        let n: Vec<char> = number.chars().collect();
        let mut best = 0;
        for i in 0..digits.len() {
            for j in 0..n.len() {
                best = best.max(digits[i..].iter().zip(&n[j..]).take_while(|(a, b)| a == b).count());
            }
        }
        best
    }

    #[test]
    fn excerpts_show_no_more_of_a_number_than_its_masked_form() {
        let cases = [
            // The window ends inside a number the masker recognises.
            ("张三，冰毒，联系电话：13900000121，现予公示。", "冰毒", 12),
            // Numbers the masker cannot read whole: broken by line breaks, or by more spaces
            // than a grouping has; the window cuts them or the excerpt joins their lines.
            ("出售冰毒，电话1390000\n0121，速来。", "冰毒", 8),
            ("出售冰毒，电话1390000\n0121，速来。", "冰毒", 30),
            ("出售冰毒，电话139\n0000\n0121", "冰毒", 30),
            ("出售冰毒，电话139     0000     0121", "冰毒", 30),
            ("电话：139 0000\n0121，出售冰毒", "冰毒", 7),
            ("电话：139 0000\n0121，出售冰毒", "冰毒", 30),
            // Full-width digits, a country code.
            ("出售冰毒，电话＋８６ １３９ ００００ ０１２１", "冰毒", 12),
        ];
        for (text, term, chars) in cases {
            let ex = excerpt_of(text, term, chars);
            assert!(longest_shared(&ex, "13900000121") <= 4, "{text} ({chars}): {ex}");
            assert!(ex.contains("【冰毒】"), "{ex}");
        }
        assert_eq!(excerpt_of("出售冰毒，电话139\n0000\n0121", "冰毒", 30), "出售【冰毒】，电话139****0121");
        assert_eq!(
            excerpt_of("会议于2025年10月31日召开，讨论冰毒问题。", "冰毒", 7),
            "日召开，讨论【冰毒】问题。"
        );
    }
}

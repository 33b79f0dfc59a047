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

/// Forces the traditional → simplified table to be built (it takes a few milliseconds).
pub fn warm_up() {
    LazyLock::force(&T2S);
}

/// The canonical form of one character, or `None` when it is dropped (spaces, punctuation,
/// symbols, zero-width characters).
#[inline]
pub fn fold_char(c: char) -> Option<char> {
    let u = c as u32;
    let c = match u {
        0xFF01..=0xFF5E => char::from_u32(u - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() { Some(c.to_ascii_lowercase()) } else { None };
    }
    let u = c as u32;
    if (CJK_START..CJK_END).contains(&u) {
        return Some(T2S[(u - CJK_START) as usize]);
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

/// Folded text with a map back to the original.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    pub text: String,
    /// For each byte of `text`, the byte offset in the original of the character it came from;
    /// one extra entry at the end holds the original's length.
    origin: Vec<u32>,
}

impl Folded {
    pub fn new(original: &str) -> Self {
        let mut f = Folded {
            text: String::with_capacity(original.len()),
            origin: Vec::with_capacity(original.len() + 1),
        };
        for (i, c) in original.char_indices() {
            if let Some(fc) = fold_char(c) {
                let before = f.text.len();
                f.text.push(fc);
                for _ in before..f.text.len() {
                    f.origin.push(i as u32);
                }
            }
        }
        f.origin.push(original.len() as u32);
        f
    }

    /// The original byte range of the folded byte range `start..end` (`original` is the
    /// text this was folded from).
    pub fn original_range(&self, original: &str, start: usize, end: usize) -> (usize, usize) {
        let s = self.origin[start] as usize;
        if end == 0 {
            return (s, s);
        }
        let last = self.origin[end - 1] as usize;
        let e = last + original[last..].chars().next().map_or(0, char::len_utf8);
        (s, e)
    }
}

/// Up to `chars` characters either side of `start..end` (a range of the original text) with
/// the match in 【】, quoted from the masked text: personal data never appears in an excerpt,
/// not even a number that the window cuts in two.
pub fn excerpt(masked: &govmedia_pii::Masked, start: usize, end: usize, chars: usize) -> String {
    let (start, end) = masked.map_range(start, end);
    let text = masked.as_str();
    let before: String = {
        let v: Vec<char> = text[..start].chars().rev().take(chars).collect();
        v.into_iter().rev().collect()
    };
    let after: String = text[end..].chars().take(chars).collect();
    let clean = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{}【{}】{}", clean(&before), &text[start..end], clean(&after))
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
    fn maps_back_to_original_offsets() {
        let s = "前文，法 轮*功。后";
        let f = Folded::new(s);
        let at = f.text.find("法轮功").unwrap();
        let (a, b) = f.original_range(s, at, at + "法轮功".len());
        assert_eq!(&s[a..b], "法 轮*功");
        assert_eq!(excerpt(&govmedia_pii::Masked::new(s), a, b, 3), "前文，【法 轮*功】。后");
    }
}

//! Document numbers (发文字号) per GB/T 9704-2012 §7.2.5.
//!
//! The correct form is issuing-organ code + the full year in hexagonal brackets 〔〕 +
//! sequence number without 第 and without leading zeros + 号 (国办发〔2018〕123号). Square,
//! round and lenticular brackets, two-digit years, 第N号 and leading zeros are flagged; the
//! ﹝﹞ look-alikes are flagged as normalisable.

use std::sync::LazyLock;

use regex::Regex;

/// A document number from the year's bracket on. The issuing organ before it (one to ten Han
/// characters) is found backwards from the bracket: a pattern that starts with the organ has no
/// literal to skip ahead to and would be run at every character of every article.
static FROM_BRACKET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([〔﹝\[［(（【〈])\s?(\d{2,4})\s?([〕﹞\]］)）】〉])\s?(第?)\s?(\d{1,5})\s?号")
        .expect("valid regex")
});

/// The organ: the last one to ten Han characters before the bracket.
static ORGAN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\p{Han}{1,10}$").expect("valid regex"));

/// Ten Han characters take at most this many bytes.
const ORGAN_BYTES: usize = 40;

/// A document number that does not follow GB/T 9704.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocNumberIssue {
    /// Byte range in the text.
    pub start: usize,
    pub end: usize,
    /// As written.
    pub found: String,
    /// The standard form.
    pub expected: String,
    /// What is wrong, in Chinese.
    pub problems: Vec<&'static str>,
}

/// One document number as written.
struct Number<'t> {
    start: usize,
    end: usize,
    organ: &'t str,
    open: &'t str,
    year: &'t str,
    close: &'t str,
    di: &'t str,
    seq: &'t str,
}

/// The document numbers of `text`: the matches, left to right and not overlapping, of organ
/// (1–10 Han characters) + bracketed year + optional 第 + number + 号.
fn numbers(text: &str) -> Vec<Number<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    // Found with the regex's automata first, then its groups read from the match alone: asked
    // for groups, the regex would run its slower engine over the rest of the article.
    while let Some(tail) = FROM_BRACKET.find_at(text, at) {
        let mut from = tail.start().saturating_sub(ORGAN_BYTES).max(at);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let Some(organ) = ORGAN.find(&text[from..tail.start()]) else {
            // No organ before this bracket: the next number may start inside this one.
            at = tail.start() + text[tail.start()..].chars().next().map_or(1, char::len_utf8);
            continue;
        };
        at = tail.end();
        let c = FROM_BRACKET.captures(tail.as_str()).expect("a match matches itself");
        let group = |i: usize| c.get(i).map_or("", |m| m.as_str());
        out.push(Number {
            start: from + organ.start(),
            end: tail.end(),
            organ: organ.as_str(),
            open: group(1),
            year: group(2),
            close: group(3),
            di: group(4),
            seq: group(5),
        });
    }
    out
}

/// Finds document numbers written against GB/T 9704 in `text`.
pub fn check(text: &str) -> Vec<DocNumberIssue> {
    let mut out = Vec::new();
    for n in numbers(text) {
        let mut problems = Vec::new();
        let bracket_ok = n.open == "〔" && n.close == "〕";
        if n.open == "﹝" && n.close == "﹞" {
            problems.push("年份使用了形近括号“﹝﹞”，应为六角括号“〔〕”");
        } else if !bracket_ok {
            problems.push("年份应使用六角括号“〔〕”");
        }
        if n.year.len() != 4 {
            problems.push("年份应写全四位");
        }
        if !n.di.is_empty() {
            problems.push("序号前不加“第”");
        }
        if n.seq.len() > 1 && n.seq.starts_with('0') {
            problems.push("序号不编虚位（不加前导0）");
        }
        if problems.is_empty() {
            continue;
        }
        let full_year = if n.year.len() == 2 { format!("20{}", n.year) } else { n.year.to_owned() };
        out.push(DocNumberIssue {
            start: n.start,
            end: n.end,
            found: text[n.start..n.end].to_owned(),
            expected: format!("{}〔{full_year}〕{}号", n.organ, n.seq.trim_start_matches('0')),
            problems,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn correct_numbers_pass() {
        for ok in [
            "根据国办发〔2018〕123号文件",
            "国办秘函〔2019〕19号",
            "《国信办通字〔2025〕2号》",
            "（2018）京0105民初123号",
        ] {
            assert!(check(ok).is_empty(), "{ok}");
        }
    }

    /// The whole pattern in one regex, as the search is defined.
    fn reference(text: &str) -> Vec<(usize, usize, String)> {
        static WHOLE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(\p{Han}{1,10})([〔﹝\[［(（【〈])\s?(\d{2,4})\s?([〕﹞\]］)）】〉])\s?(第?)\s?(\d{1,5})\s?号")
                .unwrap()
        });
        WHOLE
            .captures_iter(text)
            .map(|c| {
                let m = c.get(0).unwrap();
                (m.start(), m.end(), c[1].to_owned())
            })
            .collect()
    }

    #[test]
    fn the_search_from_brackets_finds_what_the_whole_pattern_finds() {
        // Han characters (3 and 4 bytes), brackets, digits, spaces, 第 and 号 in random order.
        let pieces = [
            "国",
            "办",
            "发",
            "市",
            "𠀀",
            "〔",
            "〕",
            "﹝",
            "﹞",
            "[",
            "]",
            "（",
            "）",
            "【",
            "】",
            "2018",
            "18",
            "0",
            "5",
            " ",
            "第",
            "号",
            "号",
            "a",
            "，",
            "国办发",
            "〔2019〕",
            "〔2019〕",
            "[18]",
            "（2020）",
            "12",
            "12号",
            "第3号",
            "国办发〔2018〕",
            "〔2018〕12号",
            "〔2018〕 12号",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let mut compared = 0;
        for _ in 0..20_000 {
            let len = 1 + next(24);
            let text: String = (0..len).map(|_| pieces[next(pieces.len())]).collect();
            let found: Vec<_> =
                numbers(&text).into_iter().map(|n| (n.start, n.end, n.organ.to_owned())).collect();
            assert_eq!(found, reference(&text), "{text}");
            compared += found.len();
        }
        assert!(compared > 1_000, "only {compared} numbers were compared");
    }

    #[test]
    fn wrong_forms_are_flagged_with_the_standard_form() {
        let cases = [
            ("国办发[2018]123号", "国办发〔2018〕123号"),
            ("国办发（2018）123号", "国办发〔2018〕123号"),
            ("国办发【2018】123号", "国办发〔2018〕123号"),
            ("国办发〔18〕123号", "国办发〔2018〕123号"),
            ("国办发〔2018〕第123号", "国办发〔2018〕123号"),
            ("国办发〔2018〕012号", "国办发〔2018〕12号"),
            ("国办发﹝2018﹞123号", "国办发〔2018〕123号"),
        ];
        for (bad, good) in cases {
            let issues = check(bad);
            assert_eq!(issues.len(), 1, "{bad}");
            assert_eq!(issues[0].expected, good);
            assert!(!issues[0].problems.is_empty());
        }
    }
}

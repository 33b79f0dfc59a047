//! Document numbers (发文字号) per GB/T 9704-2012 §7.2.5.
//!
//! The correct form is issuing-organ code + the full year in hexagonal brackets 〔〕 +
//! sequence number without 第 and without leading zeros + 号 (国办发〔2018〕123号). Square,
//! round and lenticular brackets, two-digit years, 第N号 and leading zeros are flagged; the
//! ﹝﹞ look-alikes are flagged as normalisable.

use std::sync::LazyLock;

use regex::Regex;

static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(\p{Han}{1,10})([〔﹝\[［(（【〈])\s?(\d{2,4})\s?([〕﹞\]］)）】〉])\s?(第?)\s?(\d{1,5})\s?号",
    )
    .expect("valid regex")
});

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

/// Finds document numbers written against GB/T 9704 in `text`.
pub fn check(text: &str) -> Vec<DocNumberIssue> {
    let mut out = Vec::new();
    for c in DOC_NUMBER.captures_iter(text) {
        let (open, year, close, di, seq) = (&c[2], &c[3], &c[4], &c[5], &c[6]);
        let mut problems = Vec::new();
        let bracket_ok = open == "〔" && close == "〕";
        if open == "﹝" && close == "﹞" {
            problems.push("年份使用了形近括号“﹝﹞”，应为六角括号“〔〕”");
        } else if !bracket_ok {
            problems.push("年份应使用六角括号“〔〕”");
        }
        if year.len() != 4 {
            problems.push("年份应写全四位");
        }
        if !di.is_empty() {
            problems.push("序号前不加“第”");
        }
        if seq.len() > 1 && seq.starts_with('0') {
            problems.push("序号不编虚位（不加前导0）");
        }
        if problems.is_empty() {
            continue;
        }
        let organ = &c[1];
        let full_year = if year.len() == 2 { format!("20{year}") } else { year.to_owned() };
        let m = c.get(0).expect("whole match");
        out.push(DocNumberIssue {
            start: m.start(),
            end: m.end(),
            found: m.as_str().to_owned(),
            expected: format!("{organ}〔{full_year}〕{}号", seq.trim_start_matches('0')),
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

//! The lexicon engine: many user-editable lexicons, one automaton.
//!
//! Each lexicon file (TOML) has a kind (deny, allow, wording), a category and a severity.
//! All terms are folded (see [`crate::text`]) and compiled into one character-wise
//! double-array Aho–Corasick automaton (daachorse: about four times the throughput of the
//! `aho-corasick` crate on large Chinese lexicons, with the same memory). A match on an allow
//! term suppresses every deny or wording match it overlaps; of overlapping deny matches the
//! longest is kept.

use std::path::Path;

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};
use govmedia_model::Severity;
use serde::Deserialize;

use crate::text::{self, Folded};

/// What a term does when it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A sensitive term: report it.
    Deny,
    /// A term that is fine in government prose: it silences overlapping deny terms.
    Allow,
    /// A non-standard expression with its standard form (规范表述).
    Wording,
}

/// One lexicon file as written by users.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LexiconFile {
    pub name: String,
    pub kind: Kind,
    #[serde(default)]
    pub category: String,
    #[serde(default = "default_severity")]
    pub severity: Severity,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub terms: Vec<String>,
    /// For `wording`: wrong → right pairs.
    #[serde(default)]
    pub pairs: Vec<Pair>,
}

fn default_severity() -> Severity {
    Severity::Minor
}

/// A wrong → right pair of a wording lexicon, with where the rule comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pair {
    pub wrong: String,
    pub right: String,
    #[serde(default)]
    pub source: String,
    /// Overrides the file's severity.
    #[serde(default)]
    pub severity: Option<Severity>,
}

/// One compiled term.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The term as the lexicon spells it.
    pub term: String,
    pub kind: Kind,
    pub category: String,
    pub severity: Severity,
    /// The standard form, for wording entries.
    pub right: Option<String>,
    /// Lexicon name.
    pub lexicon: String,
    pub source: String,
}

/// A match, in original byte offsets.
#[derive(Debug, Clone, Copy)]
pub struct Hit<'a> {
    pub entry: &'a Entry,
    pub start: usize,
    pub end: usize,
}

/// Errors while loading lexicons.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("词库文件 {file}: {message}")]
    File { file: String, message: String },
    #[error("词库为空，无法构建匹配器")]
    Empty,
    #[error("构建匹配器失败: {0}")]
    Build(String),
}

/// A set of lexicons compiled into one automaton.
pub struct LexiconSet {
    entries: Vec<Entry>,
    automaton: CharwiseDoubleArrayAhoCorasick<u32>,
    names: Vec<String>,
}

impl std::fmt::Debug for LexiconSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LexiconSet")
            .field("lexicons", &self.names)
            .field("terms", &self.entries.len())
            .finish()
    }
}

impl LexiconSet {
    /// Parses lexicon files given as (file name, TOML text).
    pub fn parse<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Vec<LexiconFile>, LexiconError> {
        files
            .into_iter()
            .map(|(name, body)| {
                toml::from_str::<LexiconFile>(body)
                    .map_err(|e| LexiconError::File { file: name.to_owned(), message: e.to_string() })
            })
            .collect()
    }

    /// Reads every `*.toml` lexicon in `dir` whose `kind` is deny, allow or wording
    /// (other TOML files, such as menu lexicons, are skipped).
    pub fn read_dir(dir: &Path) -> Result<Vec<LexiconFile>, LexiconError> {
        let io = |e: std::io::Error| LexiconError::File {
            file: dir.display().to_string(),
            message: e.to_string(),
        };
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        let mut out = Vec::new();
        for p in paths {
            let body = std::fs::read_to_string(&p).map_err(io)?;
            let Ok(v) = toml::from_str::<toml::Table>(&body) else {
                return Err(LexiconError::File {
                    file: p.display().to_string(),
                    message: "不是合法的 TOML".into(),
                });
            };
            if !matches!(v.get("kind").and_then(|k| k.as_str()), Some("deny" | "allow" | "wording")) {
                continue;
            }
            out.push(
                toml::from_str(&body).map_err(|e| LexiconError::File {
                    file: p.display().to_string(),
                    message: e.to_string(),
                })?,
            );
        }
        Ok(out)
    }

    /// Compiles lexicons. A term listed twice keeps one entry: allow beats wording beats
    /// deny, then the more severe wins.
    pub fn build(files: &[LexiconFile]) -> Result<Self, LexiconError> {
        let mut by_folded: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut entries: Vec<Entry> = Vec::new();
        let mut folded_terms: Vec<String> = Vec::new();
        let mut add = |folded: String, e: Entry| {
            if folded.is_empty() {
                return;
            }
            let rank = |e: &Entry| {
                (
                    matches!(e.kind, Kind::Allow),
                    matches!(e.kind, Kind::Wording),
                    std::cmp::Reverse(e.severity),
                )
            };
            match by_folded.get(&folded) {
                Some(&i) => {
                    if rank(&e) > rank(&entries[i]) {
                        entries[i] = e;
                    }
                }
                None => {
                    by_folded.insert(folded.clone(), entries.len());
                    entries.push(e);
                    folded_terms.push(folded);
                }
            }
        };
        for f in files {
            let base =
                |term: &str, kind: Kind, severity: Severity, right: Option<String>, source: &str| Entry {
                    term: term.to_owned(),
                    kind,
                    category: f.category.clone(),
                    severity,
                    right,
                    lexicon: f.name.clone(),
                    source: if source.is_empty() { f.source.clone() } else { source.to_owned() },
                };
            for t in &f.terms {
                add(text::fold(t), base(t, f.kind, f.severity, None, ""));
            }
            for p in &f.pairs {
                let sev = p.severity.unwrap_or(f.severity);
                add(
                    text::fold(&p.wrong),
                    base(&p.wrong, Kind::Wording, sev, Some(p.right.clone()), &p.source),
                );
                // The standard form is always acceptable, even when it contains a wrong form.
                add(text::fold(&p.right), base(&p.right, Kind::Allow, sev, None, &p.source));
            }
        }
        if entries.is_empty() {
            return Err(LexiconError::Empty);
        }
        let automaton = CharwiseDoubleArrayAhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build_with_values(folded_terms.iter().enumerate().map(|(i, t)| (t.as_str(), i as u32)))
            .map_err(|e| LexiconError::Build(e.to_string()))?;
        Ok(LexiconSet { entries, automaton, names: files.iter().map(|f| f.name.clone()).collect() })
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Lexicon names, in load order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Deny and wording matches in `original`, after allow terms have had their say.
    pub fn scan<'a>(&'a self, original: &str) -> Vec<Hit<'a>> {
        let folded = Folded::new(original);
        self.scan_folded(original, &folded)
    }

    /// Like [`scan`](Self::scan) on text already folded.
    pub fn scan_folded<'a>(&'a self, original: &str, folded: &Folded) -> Vec<Hit<'a>> {
        let mut allow: Vec<(usize, usize)> = Vec::new();
        let mut found: Vec<(usize, usize, u32)> = Vec::new();
        for m in self.automaton.find_overlapping_iter(&folded.text) {
            let e = &self.entries[m.value() as usize];
            match e.kind {
                Kind::Allow => allow.push((m.start(), m.end())),
                _ => found.push((m.start(), m.end(), m.value())),
            }
        }
        if found.is_empty() {
            return Vec::new();
        }
        found.retain(|&(s, e, _)| !allow.iter().any(|&(a, b)| a < e && s < b));
        // Longest first, then drop matches inside a kept one.
        found.sort_by_key(|&(s, e, _)| (std::cmp::Reverse(e - s), s));
        let mut kept: Vec<(usize, usize, u32)> = Vec::new();
        for f in found {
            if !kept.iter().any(|k| k.0 <= f.0 && f.1 <= k.1) {
                kept.push(f);
            }
        }
        kept.sort_by_key(|k| k.0);
        kept.into_iter()
            .filter_map(|(s, e, v)| {
                let (os, oe) = folded.original_range(original, s, e);
                let span = &original[os..oe];
                // A term never runs across a sentence end, nor through long filler.
                if span.chars().any(text::is_hard_boundary)
                    || span.chars().count() > 2 * folded.text[s..e].chars().count() + 8
                {
                    return None;
                }
                let entry = &self.entries[v as usize];
                if entry.kind == Kind::Wording && preceded_by_former(original, os) {
                    return None;
                }
                Some(Hit { entry, start: os, end: oe })
            })
            .collect()
    }
}

/// The lexicons shipped in `lexicons/`, compiled into the binary.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    ("allow-gov.toml", include_str!("../../../lexicons/allow-gov.toml")),
    ("ad-absolute.toml", include_str!("../../../lexicons/ad-absolute.toml")),
    ("wording-official.toml", include_str!("../../../lexicons/wording-official.toml")),
    ("wording-regions.toml", include_str!("../../../lexicons/wording-regions.toml")),
    ("sensitive-politics.toml", include_str!("../../../lexicons/sensitive-politics.toml")),
    ("sensitive-drugs.toml", include_str!("../../../lexicons/sensitive-drugs.toml")),
    ("sensitive-porn.toml", include_str!("../../../lexicons/sensitive-porn.toml")),
    ("sensitive-gambling.toml", include_str!("../../../lexicons/sensitive-gambling.toml")),
    ("sensitive-illegal.toml", include_str!("../../../lexicons/sensitive-illegal.toml")),
    ("sensitive-cult.toml", include_str!("../../../lexicons/sensitive-cult.toml")),
    ("sensitive-violence.toml", include_str!("../../../lexicons/sensitive-violence.toml")),
    ("sensitive-abuse.toml", include_str!("../../../lexicons/sensitive-abuse.toml")),
];

static BUILTIN: std::sync::LazyLock<LexiconSet> = std::sync::LazyLock::new(|| {
    let files = LexiconSet::parse(BUILTIN_FILES.iter().copied()).expect("shipped lexicons parse");
    LexiconSet::build(&files).expect("shipped lexicons compile")
});

/// The shipped lexicons, compiled once.
pub fn builtin() -> &'static LexiconSet {
    &BUILTIN
}

/// "原襄樊市", "旧称…": a former name quoted as such is not a wording error.
fn preceded_by_former(original: &str, start: usize) -> bool {
    let before = &original[..start];
    before.ends_with('原')
        || before.ends_with("旧称")
        || before.ends_with("前身为")
        || before.ends_with("更名前")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(files: &[&str]) -> LexiconSet {
        let parsed = LexiconSet::parse(files.iter().map(|b| ("t.toml", *b))).unwrap();
        LexiconSet::build(&parsed).unwrap()
    }

    const DENY: &str = r#"
name = "t-deny"
kind = "deny"
category = "测试"
severity = "major"
terms = ["法轮功", "轮功", "冰毒", "共和"]
"#;
    const ALLOW: &str = r#"
name = "t-allow"
kind = "allow"
terms = ["中华人民共和国"]
"#;

    #[test]
    fn survives_evasion_and_quotes_original() {
        let s = set(&[DENY]);
        let text = "某地查获冰 毒，另有法·輪·功人员。";
        let hits = s.scan(text);
        let terms: Vec<_> = hits.iter().map(|h| h.entry.term.as_str()).collect();
        assert_eq!(terms, ["冰毒", "法轮功"]);
        assert_eq!(&text[hits[1].start..hits[1].end], "法·輪·功");
    }

    #[test]
    fn allow_wins_and_sentence_end_breaks() {
        let s = set(&[DENY, ALLOW]);
        assert!(s.scan("《中华人民共和国宪法》").is_empty());
        assert_eq!(s.scan("共和").len(), 1);
        assert!(s.scan("冰。毒").is_empty());
    }

    #[test]
    fn wording_pairs_report_the_right_form() {
        let w = r#"
name = "t-wording"
kind = "wording"
category = "规范表述"
severity = "major"
[[pairs]]
wrong = "襄樊市"
right = "襄阳市"
source = "民政部行政区划变更（2010）"
"#;
        let s = set(&[w]);
        let hits = s.scan("欢迎来到襄樊市。");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].entry.right.as_deref(), Some("襄阳市"));
        assert!(s.scan("原襄樊市更名为襄阳市").is_empty());
    }
}

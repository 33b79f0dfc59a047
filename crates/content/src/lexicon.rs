//! The lexicon engine: many user-editable lexicons, one automaton.
//!
//! Each lexicon file (TOML) has a kind (deny, allow, wording, context), a category and a
//! severity. All terms are folded (see [`crate::text`]) and compiled into one character-wise
//! double-array Aho–Corasick automaton (daachorse: about four times the throughput of the
//! `aho-corasick` crate on large Chinese lexicons, with the same memory). A match on an allow
//! term suppresses every deny or wording match it overlaps; of overlapping deny matches the
//! longest is kept.
//!
//! A context file lists the words of texts that speak *against* a category (禁毒宣传, 揭批邪教,
//! 打击赌博 …): a deny match of that category in the same sentence as one of them is not a
//! finding, since anti-drug education and enforcement news name drugs without promoting them.

use std::path::Path;

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};
use govmedia_model::Severity;
use serde::Deserialize;

use crate::text::{self, Folded};

/// The folded context words of one category.
#[derive(Debug, Clone, Default)]
struct ContextWords {
    /// Excuse a match in their sentence.
    sentence: Vec<String>,
    /// Excuse a match anywhere in an article whose title has one (and in their sentence).
    title: Vec<String>,
}

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
    /// Words that excuse the deny terms of the file's category in their sentence.
    Context,
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
    /// For `context`: words that excuse the category anywhere in an article whose title has
    /// one (the topic of the whole article: 禁毒宣传, 反邪教); `terms` excuse only their sentence.
    #[serde(default)]
    pub title_terms: Vec<String>,
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
    /// The other categories whose lexicons list the same term (法轮功 is in 政治 and 邪教):
    /// their context words excuse it too.
    pub also: Vec<String>,
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
    /// None when the set holds context words only.
    automaton: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
    names: Vec<String>,
    /// Category → folded context words (from the context files).
    contexts: std::collections::HashMap<String, ContextWords>,
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

    /// Reads every `*.toml` lexicon in `dir` whose `kind` is deny, allow, wording or context
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
            if !matches!(
                v.get("kind").and_then(|k| k.as_str()),
                Some("deny" | "allow" | "wording" | "context")
            ) {
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
    /// deny, then the more severe wins. Context files add their words to their category's.
    pub fn build(files: &[LexiconFile]) -> Result<Self, LexiconError> {
        let mut contexts: std::collections::HashMap<String, ContextWords> = std::collections::HashMap::new();
        let fold_all = |terms: &[String]| {
            terms.iter().map(|t| text::fold(t)).filter(|t| !t.is_empty()).collect::<Vec<_>>()
        };
        for f in files.iter().filter(|f| f.kind == Kind::Context) {
            let words = contexts.entry(f.category.clone()).or_default();
            words.sentence.extend(fold_all(&f.terms));
            words.title.extend(fold_all(&f.title_terms));
        }
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
                    let other = if rank(&e) > rank(&entries[i]) {
                        let old = std::mem::replace(&mut entries[i], e);
                        entries[i].also = old.also;
                        old.category
                    } else {
                        e.category
                    };
                    if other != entries[i].category && !entries[i].also.contains(&other) {
                        entries[i].also.push(other);
                    }
                }
                None => {
                    by_folded.insert(folded.clone(), entries.len());
                    entries.push(e);
                    folded_terms.push(folded);
                }
            }
        };
        for f in files.iter().filter(|f| f.kind != Kind::Context) {
            let base =
                |term: &str, kind: Kind, severity: Severity, right: Option<String>, source: &str| Entry {
                    term: term.to_owned(),
                    kind,
                    category: f.category.clone(),
                    severity,
                    right,
                    lexicon: f.name.clone(),
                    source: if source.is_empty() { f.source.clone() } else { source.to_owned() },
                    also: Vec::new(),
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
        if entries.is_empty() && contexts.is_empty() {
            return Err(LexiconError::Empty);
        }
        // A user directory may add context words to the shipped categories and nothing else.
        let automaton = if entries.is_empty() {
            None
        } else {
            let values = folded_terms.iter().enumerate().map(|(i, t)| (t.as_str(), i as u32));
            Some(
                CharwiseDoubleArrayAhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .build_with_values(values)
                    .map_err(|e| LexiconError::Build(e.to_string()))?,
            )
        };
        Ok(LexiconSet { entries, automaton, names: files.iter().map(|f| f.name.clone()).collect(), contexts })
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

    /// The context word (folded) in `sentence`, the sentence of a match of the deny `entry`,
    /// that excuses it, if any.
    pub fn context_word(&self, entry: &Entry, sentence: &str) -> Option<&str> {
        self.find_context(entry, sentence, |c| c.sentence.iter().chain(&c.title))
    }

    /// The title context word (folded) in `title` that excuses the deny `entry` anywhere in
    /// the article, if any.
    pub fn title_context_word(&self, entry: &Entry, title: &str) -> Option<&str> {
        self.find_context(entry, title, |c| c.title.iter())
    }

    fn find_context<'a, I: Iterator<Item = &'a String>>(
        &'a self,
        entry: &Entry,
        text: &str,
        words: impl Fn(&'a ContextWords) -> I,
    ) -> Option<&'a str> {
        if entry.kind != Kind::Deny {
            return None;
        }
        let mut words = std::iter::once(&entry.category)
            .chain(&entry.also)
            .filter_map(|c| self.contexts.get(c))
            .flat_map(words)
            .peekable();
        words.peek()?;
        let folded = text::fold(text);
        words.find(|w| folded.contains(w.as_str())).map(String::as_str)
    }

    /// Deny and wording matches in `original`, after allow terms and context words (in the
    /// match's sentence) have had their say.
    pub fn scan<'a>(&'a self, original: &str) -> Vec<Hit<'a>> {
        let folded = Folded::new(original);
        self.scan_folded(original, &folded)
    }

    /// Like [`scan`](Self::scan) on text already folded.
    pub fn scan_folded<'a>(&'a self, original: &str, folded: &Folded) -> Vec<Hit<'a>> {
        let Some(automaton) = &self.automaton else { return Vec::new() };
        let mut allow: Vec<(usize, usize)> = Vec::new();
        let mut found: Vec<(usize, usize, u32)> = Vec::new();
        for m in automaton.find_overlapping_iter(&folded.text) {
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
                if self.context_word(entry, text::sentence_around(original, os, oe)).is_some() {
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
    ("abuse-common.toml", include_str!("../../../lexicons/abuse-common.toml")),
    ("gambling-common.toml", include_str!("../../../lexicons/gambling-common.toml")),
    ("context-drugs.toml", include_str!("../../../lexicons/context-drugs.toml")),
    ("context-cult.toml", include_str!("../../../lexicons/context-cult.toml")),
    ("context-gambling.toml", include_str!("../../../lexicons/context-gambling.toml")),
    ("context-politics.toml", include_str!("../../../lexicons/context-politics.toml")),
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
pub(crate) fn preceded_by_former(original: &str, start: usize) -> bool {
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

    #[test]
    fn context_words_excuse_their_category_in_the_same_sentence() {
        let context = r#"
name = "t-context"
kind = "context"
category = "测试"
terms = ["禁毒", "打 击"]
"#;
        let other = r#"
name = "t-other"
kind = "deny"
category = "其他"
terms = ["大法"]
"#;
        let s = set(&[DENY, context, other]);
        let terms = |t: &str| s.scan(t).iter().map(|h| h.entry.term.clone()).collect::<Vec<_>>();
        assert!(terms("禁毒宣传：冰毒危害大").is_empty());
        assert!(terms("冰毒，依法打击！").is_empty(), "the words are folded too");
        assert_eq!(terms("禁毒宣传。出售冰毒"), ["冰毒"], "another sentence");
        assert_eq!(terms("禁毒宣传：揭批大法"), ["大法"], "another category");
        let e = &s.scan("冰毒")[0];
        assert_eq!(s.context_word(e.entry, "全民禁毒宣传月"), Some("禁毒"));
        assert_eq!(s.context_word(e.entry, "新型毒品"), None);
    }

    fn builtin_terms(text: &str) -> Vec<String> {
        builtin().scan(text).iter().map(|h| h.entry.term.clone()).collect()
    }

    #[test]
    fn anti_drug_anti_cult_and_anti_gambling_texts_are_not_sensitive() {
        for t in [
            "开展禁毒宣传，引导群众远离毒品。",
            "民警向师生讲解冰毒、海洛因等毒品的危害。",
            "我市警方破获一起贩卖冰毒案件，抓获犯罪嫌疑人3名。",
            // 法轮功 is listed as 政治 and as 邪教: the cult context words apply.
            "坚决抵制法轮功邪教组织。",
            "揭批“全能神”邪教的欺骗本质。",
            "依法取缔非法组织“法轮功”。",
            "提高群众识别邪教、防范邪教的能力。",
            "严厉打击网络赌博违法犯罪。",
            "警方破获一起利用六合彩进行赌博的案件。",
            "警惕网络赌博陷阱，远离百家乐、时时彩等赌博游戏。",
        ] {
            assert!(builtin_terms(t).is_empty(), "{t}: {:?}", builtin_terms(t));
        }
        for (t, term) in [
            ("出售冰毒，量大从优。", "出售冰毒"),
            ("法轮大法好。", "法轮大法"),
            ("加微信买特码，六合彩稳赚不赔。", "特码"),
            ("注册就送彩金。", "送彩金"),
            ("某博彩公司高薪招代理。", "博彩"),
        ] {
            assert!(builtin_terms(t).contains(&term.to_owned()), "{t}: {:?}", builtin_terms(t));
        }
    }

    #[test]
    fn common_abuse_and_gambling_terms_are_caught_without_hitting_ordinary_prose() {
        for t in
            ["你个傻逼", "真是傻B", "脑残政策", "你去死吧", "赶紧滚蛋", "这个狗官", "赌球输了", "时时彩走势"]
        {
            assert!(!builtin_terms(t).is_empty(), "{t}");
        }
        for t in [
            "过去死亡率明显下降。",
            "流浪狗官方回应来了。",
            "以下注意事项请牢记。",
            "采用皮下注射方式接种。",
            "色彩金黄的油菜花。",
            "独特码头文化。",
            "澳门博彩业收入回升。",
            "购买福利彩票、体育彩票，请到正规投注站。",
            "为脑残疾儿童提供康复服务。",
        ] {
            assert!(builtin_terms(t).is_empty(), "{t}: {:?}", builtin_terms(t));
        }
    }
}

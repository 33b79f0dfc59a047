//! Official names (规范名称) of national and Party organs and of administrative divisions,
//! and the written names that are near misses of them (`content.wording_error`).
//!
//! A wording lexicon of wrong → right pairs catches only the misspellings someone listed.
//! Here the lists hold the right names (`lexicons/official-names.toml`: the State Council's
//! published structure, the Party's central organs, the state organs of the constitution,
//! GB/T 2260 division names) and a written name is reported when it is a near miss of one:
//! - one character more, less or different, or two neighbours swapped, after the name's
//!   first two characters and before its last (生态环保部, 内蒙自治区, 广西壮族族自治区,
//!   新疆维吾尔族自治区), for a name whose distinctive part (without a generic head such as
//!   国家, 中央, 中国 and without its organ or division word such as 部, 委员会, 自治区) has
//!   three characters or more and that has five or more in all, in a list with `near_miss`
//!   (国家文物局 → 国家文化局 or 人民法院 → 人民医院 would be other real words);
//! - 与 where the name has 和 (人力资源与社会保障部), or a 与/和 the name does not have
//!   (卫生与健康委员会), in every list; 和 missing (工业信息化部) only in a `near_miss` list,
//!   since local names drop it legitimately (人力资源社会保障局);
//! - the same characters in another order (社会保障和人力资源部, 恩施苗族土家族自治州) when
//!   the distinctive part has four characters or more;
//! - X办公室 right after an organ whose general office is a 办公厅 (国务院办公室,
//!   河北省人民政府办公室); prefecture and county governments have a 办公室 and are not listed;
//! - an autonomous region written as a province (广西省) or without its nationality
//!   (广西自治区).
//!
//! Never reported: a listed name, short form or former name, nor a window one of them holds,
//! nor an insertion that is one of them plus a character (中华人民共和国国家安全法); a name
//! after 原/旧称/前身为/更名前 or right before 更名/改名/改称/改为/改设; a name right after a
//! foreign country (美国退伍军人事务部); a window across punctuation or a line break; a
//! character inserted right before a one-character organ word (生态环境局部, 应急管理分部),
//! nor a one-character organ word that starts a word (生态环保部门, 部署, 局面); a 2–3
//! character organ before 办公室 right after another Chinese character (继续教育部办公室)
//! other than a function word (和, 与, 的 …) or the end of 转发, 印发, 按照.
//!
//! Severity: the list's (the country's name veto; central organs and province-level
//! divisions major; other divisions, local organs and provincial 办公厅 minor), but a
//! difference only in 与/和, or a dropped nationality, is minor at most.

use std::path::Path;
use std::sync::OnceLock;

use govmedia_model::Severity;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;

use crate::lexicon::{LexiconError, preceded_by_former};
use crate::text::{self, Folded};

/// The `kind` of a names file, shipped or in a user's lexicon directory.
pub const KIND: &str = "official_names";
const FILE: &str = "official-names.toml";
const SHIPPED: &str = include_str!("../../../lexicons/official-names.toml");

/// Generic heads of organ names: not part of the distinctive part.
const GENERIC_HEADS: &[&str] =
    &["中华人民共和国", "中国共产党", "中共中央", "中共", "中央", "国务院", "国家", "中国", "全国"];
/// Organ and division words that end a name; otherwise its last character is.
const ORGAN_WORDS: &[&str] = &[
    "特别行政区",
    "研究中心",
    "委员会",
    "办公厅",
    "办公室",
    "研究室",
    "参事室",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "研究院",
    "科学院",
    "工程院",
    "通讯社",
    "学院",
    "总局",
    "总署",
    "总台",
    "银行",
];
/// A one-character organ word followed by one of these starts another word (部门, 局面).
const WORD_STARTS: &[(char, &str)] =
    &[('部', "门分署位件队落首属"), ('局', "面势限促"), ('署', "名理"), ('院', "落子校士线")];
/// Characters that may stand right before a 2–3 character organ name: function words and the
/// ends of 转发, 印发, 按照 ….
const FUNCTION_CHARS: &str = "和与及同由经据向对在是为的将被按照从至到给请发";
/// Words right after a name that make it a historical one.
const RENAMED: &[&str] = &["更名", "改名", "改称", "改为", "改设"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NamesFile {
    name: String,
    kind: String,
    #[serde(default, rename = "source")]
    _source: String,
    #[serde(default, rename = "description")]
    _description: String,
    #[serde(default)]
    foreign: Vec<String>,
    #[serde(default)]
    lists: Vec<ListFile>,
    #[serde(default)]
    offices: Vec<OfficesFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListFile {
    name: String,
    category: String,
    #[serde(default = "major")]
    severity: Severity,
    #[serde(default)]
    source: String,
    #[serde(default = "yes")]
    near_miss: bool,
    names: Vec<String>,
    #[serde(default)]
    short: Vec<String>,
    #[serde(default)]
    former: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OfficesFile {
    #[serde(default)]
    source: String,
    #[serde(default = "major")]
    severity: Severity,
    organs: Vec<String>,
}

fn major() -> Severity {
    Severity::Major
}

fn yes() -> bool {
    true
}

/// Where a reported name comes from, for the finding.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The names file's `name`.
    pub lexicon: String,
    pub category: String,
    pub severity: Severity,
    pub source: String,
}

/// A name near misses are measured against.
#[derive(Debug, Clone)]
struct Target {
    /// As the list spells it.
    display: String,
    /// Folded.
    chars: Vec<char>,
    rule: usize,
    /// Length of the organ or division word at the end.
    word: usize,
    /// One-character edits are near misses.
    near_miss: bool,
    /// A missing 和 is reported.
    conj_missing: bool,
    /// The name without its organ word, sorted, and the sum of its characters (a cheap test
    /// before the sort): for parts in another order.
    sorted_stem: Option<(Vec<char>, u32)>,
}

/// How a written name differs from the official one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Diff {
    ConjSwapped,
    ConjExtra(char),
    ConjMissing,
    Inserted(char),
    Deleted(char),
    /// (written, right)
    Substituted(char, char),
    /// The two characters as written.
    Swapped(char, char),
    Reordered,
    Office,
    Province,
    NoNationality,
}

impl Diff {
    /// Which of overlapping candidates is reported: lowest first.
    fn rank(self) -> u8 {
        match self {
            Diff::ConjSwapped | Diff::Office | Diff::Province | Diff::NoNationality => 0,
            Diff::ConjExtra(_) => 1,
            Diff::Inserted(_) | Diff::Deleted(_) | Diff::Substituted(..) | Diff::Swapped(..) => 2,
            Diff::Reordered => 3,
            Diff::ConjMissing => 4,
        }
    }

    fn minor_at_most(self) -> bool {
        matches!(self, Diff::ConjSwapped | Diff::ConjExtra(_) | Diff::ConjMissing | Diff::NoNationality)
    }

    fn reason(self) -> String {
        match self {
            Diff::ConjSwapped => "“和”误作“与”".into(),
            Diff::ConjExtra(c) => format!("多了“{c}”"),
            Diff::ConjMissing => "缺少“和”".into(),
            Diff::Inserted(c) => format!("多了“{c}”字"),
            Diff::Deleted(c) => format!("缺少“{c}”字"),
            Diff::Substituted(w, r) => format!("“{r}”误作“{w}”"),
            Diff::Swapped(a, b) => format!("“{b}{a}”误作“{a}{b}”"),
            Diff::Reordered => "名称各部分顺序颠倒".into(),
            Diff::Office => "该机关设办公厅，不设办公室".into(),
            Diff::Province => "自治区误称为“省”".into(),
            Diff::NoNationality => "自治区名称缺少民族名称".into(),
        }
    }
}

/// A written name that is a near miss of an official one.
#[derive(Debug, Clone)]
pub struct NameError<'a> {
    /// Byte range in the original text.
    pub start: usize,
    pub end: usize,
    /// The official name.
    pub expected: String,
    /// What differs (多了“族”字, “和”误作“与” …).
    pub reason: String,
    pub severity: Severity,
    pub rule: &'a Rule,
}

/// A candidate, in character offsets of the folded text.
struct Candidate {
    start: usize,
    end: usize,
    expected: String,
    rule: usize,
    diff: Diff,
}

/// The compiled name lists.
#[derive(Debug, Clone)]
pub struct OfficialNames {
    rules: Vec<Rule>,
    targets: Vec<Target>,
    /// (last character, length, first two characters) → targets, ascending. A near miss of
    /// a target ends with its last character and starts with its first two, one character
    /// earlier or later at most: this finds the few targets worth comparing at a position.
    by_head: FxHashMap<(char, usize, [char; 2]), Vec<usize>>,
    /// Last character → the lengths of the targets ending with it.
    lens_by_last: FxHashMap<char, Vec<usize>>,
    /// The first two characters of every target, hashed to one bit each ([`head_bit`]): most
    /// pairs of a text start none, and are passed over without a lookup in `by_head`.
    heads: Box<[u64]>,
    /// Characters of the Basic Multilingual Plane that end a target, a wrong form or 办公室, one
    /// bit each: most characters of a text end none, and are passed over with one test.
    enders: Box<[u64]>,
    /// Last character → targets whose parts may be found reordered, ascending.
    reordered_by_last: FxHashMap<char, Vec<usize>>,
    /// Every legitimate spelling (names, short forms, former names), folded.
    legit: FxHashSet<String>,
    legit_max: usize,
    /// Folded organ → (organ as listed, rule) for organs with a 办公厅.
    offices: FxHashMap<String, (String, usize)>,
    office_max: usize,
    /// Folded wrong form (广西省) → (right name, rule, difference).
    wrong: FxHashMap<String, (String, usize, Diff)>,
    wrong_lens: Vec<usize>,
    wrong_last: FxHashSet<char>,
    foreign: Vec<String>,
}

impl OfficialNames {
    /// The shipped lists.
    pub fn builtin() -> &'static OfficialNames {
        static NAMES: OnceLock<OfficialNames> = OnceLock::new();
        NAMES.get_or_init(|| {
            let shipped = parse(FILE, SHIPPED).expect("the shipped official-names.toml parses");
            build(&[(FILE.to_owned(), shipped)]).expect("the shipped official-names.toml compiles")
        })
    }

    /// The shipped lists plus those of every `*.toml` in `dir` whose `kind` is
    /// `official_names` (other files are left to the other lexicons).
    pub fn with_user_dir(dir: &Path) -> Result<OfficialNames, LexiconError> {
        let io = |file: &Path, e: std::io::Error| LexiconError::File {
            file: file.display().to_string(),
            message: e.to_string(),
        };
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| io(dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        let mut files = vec![(FILE.to_owned(), parse(FILE, SHIPPED)?)];
        for p in paths {
            let body = std::fs::read_to_string(&p).map_err(|e| io(&p, e))?;
            let kind = toml::from_str::<toml::Table>(&body)
                .ok()
                .and_then(|t| t.get("kind").and_then(|k| k.as_str()).map(str::to_owned));
            if kind.as_deref() == Some(KIND) {
                let file = p.display().to_string();
                let parsed = parse(&file, &body)?;
                files.push((file, parsed));
            }
        }
        build(&files)
    }

    /// The near misses of official names in `original` (folded as `folded`), left to right,
    /// none overlapping another.
    pub fn scan<'a>(&'a self, original: &str, folded: &Folded) -> Vec<NameError<'a>> {
        // One allocation: a text has at most as many characters as bytes.
        let mut chars: Vec<char> = Vec::with_capacity(folded.text.len());
        chars.extend(folded.text.chars());
        // Byte offset in `folded.text` of character `i` (or of the end): asked only where a
        // candidate or 办公室 is, so not kept for every character.
        let offset = |i: usize| chars[..i].iter().map(|c| c.len_utf8()).sum::<usize>();
        // The key of a hash lookup, reused: most lookups find nothing.
        let mut key = String::new();
        let mut found = Vec::new();
        let mut targets: Vec<usize> = Vec::new();
        for end in 1..=chars.len() {
            let last = chars[end - 1];
            if !self.may_end(last) {
                continue;
            }
            if let Some(lens) = self.lens_by_last.get(&last) {
                targets.clear();
                for &n in lens {
                    for len in (n - 1..=n + 1).filter(|&len| len <= end) {
                        let head = [chars[end - len], chars[end - len + 1]];
                        if self.may_start(head) {
                            targets.extend(self.by_head.get(&(last, n, head)).into_iter().flatten());
                        }
                    }
                }
                targets.extend(self.reordered_by_last.get(&last).into_iter().flatten());
                // In the order of the lists, as a scan of every target would find them.
                targets.sort_unstable();
                targets.dedup();
                let starts_word = chars.get(end).is_some_and(|&next| {
                    WORD_STARTS.iter().any(|&(w, after)| w == last && after.contains(next))
                });
                for &t in &targets {
                    if !(starts_word && self.targets[t].word == 1) {
                        self.near_misses(&chars, end, t, &mut found);
                    }
                }
            }
            if matches!(chars[..end], [.., '办', '公', '室']) {
                // The character before an organ, in the original (folding drops punctuation).
                let before = |at: usize| {
                    original[..folded.original_range(original, offset(at), offset(at)).0].chars().next_back()
                };
                self.office(&chars, end, before, &mut key, &mut found);
            }
            if self.wrong_last.contains(&last) {
                for &len in self.wrong_lens.iter().filter(|&&len| len <= end) {
                    if let Some((right, rule, diff)) = self.wrong.get(fill(&mut key, &chars[end - len..end]))
                    {
                        found.push(Candidate {
                            start: end - len,
                            end,
                            expected: right.clone(),
                            rule: *rule,
                            diff: *diff,
                        });
                    }
                }
            }
        }
        found.retain(|c| !self.is_legitimate(&chars, c, &mut key));
        found.sort_by_key(|c| (c.diff.rank(), std::cmp::Reverse(c.end - c.start), c.start));
        let mut kept: Vec<Candidate> = Vec::new();
        for c in found {
            if !kept.iter().any(|k| k.start < c.end && c.start < k.end) {
                kept.push(c);
            }
        }
        kept.sort_by_key(|c| c.start);
        kept.into_iter()
            .filter_map(|c| {
                let (start, end) = folded.original_range(original, offset(c.start), offset(c.end));
                let span = &original[start..end];
                if span.chars().any(|ch| {
                    text::is_hard_boundary(ch) || (text::fold_char(ch).is_none() && !ch.is_whitespace())
                }) || preceded_by_former(original, start)
                    || RENAMED.iter().any(|w| original[end..].starts_with(w))
                    || self.foreign.iter().any(|f| original[..start].ends_with(f.as_str()))
                {
                    return None;
                }
                let rule = &self.rules[c.rule];
                let severity =
                    if c.diff.minor_at_most() { rule.severity.max(Severity::Minor) } else { rule.severity };
                Some(NameError { start, end, expected: c.expected, reason: c.diff.reason(), severity, rule })
            })
            .collect()
    }

    /// Whether a target may start with the characters `head` (false positives are possible).
    fn may_start(&self, head: [char; 2]) -> bool {
        let bit = head_bit(head);
        self.heads[bit / 64] & (1 << (bit % 64)) != 0
    }

    /// Whether a target, a wrong form or 办公室 may end with `c` (outside the bitmap: yes).
    fn may_end(&self, c: char) -> bool {
        let u = c as usize;
        self.enders.get(u / 64).is_none_or(|w| w & (1 << (u % 64)) != 0)
    }

    /// Near misses of target `t` that end at `end`: one edit after its first two characters,
    /// or its parts in another order.
    fn near_misses(&self, chars: &[char], end: usize, t: usize, found: &mut Vec<Candidate>) {
        let target = &self.targets[t];
        let n = &target.chars;
        let candidate = |start: usize, diff: Diff| Candidate {
            start,
            end,
            expected: target.display.clone(),
            rule: target.rule,
            diff,
        };
        for len in n.len() - 1..=n.len() + 1 {
            if len > end || chars[end - len] != n[0] || chars[end - len + 1] != n[1] {
                continue;
            }
            let w = &chars[end - len..end];
            let Some(diff) = one_edit(w, n) else { continue };
            // A character that can only have been inserted right before a one-character organ
            // word makes a word with it (局部, 分部, 总部).
            let adjacent = target.word == 1 && w.len() > n.len() && w[w.len() - 2] != n[n.len() - 2];
            let reported = match diff {
                Diff::ConjSwapped | Diff::ConjExtra(_) => true,
                Diff::ConjMissing => target.conj_missing,
                _ => target.near_miss && !adjacent,
            };
            if reported {
                found.push(candidate(end - len, diff));
            }
        }
        if let Some((sorted, sum)) = &target.sorted_stem
            && end >= n.len()
        {
            let w = &chars[end - n.len()..end];
            let stem = n.len() - target.word;
            // Every text position that ends like a target is tried: the sums rule out nearly
            // all before anything is compared or sorted.
            if stem_sum(&w[..stem]) == *sum
                && w[stem..] == n[stem..]
                && w != n.as_slice()
                && sorted_chars(&w[..stem]) == *sorted
            {
                found.push(candidate(end - n.len(), Diff::Reordered));
            }
        }
    }

    /// "<organ>办公室" ending at `end` for an organ with a 办公厅 (the longest such organ);
    /// `before(i)` is the original character before folded character `i`.
    fn office(
        &self,
        chars: &[char],
        end: usize,
        before: impl Fn(usize) -> Option<char>,
        key: &mut String,
        found: &mut Vec<Candidate>,
    ) {
        let at = end - 3;
        for len in (2..=self.office_max.min(at)).rev() {
            let Some((organ, rule)) = self.offices.get(fill(key, &chars[at - len..at])) else { continue };
            // 继续教育部办公室: a short organ name inside a longer word.
            if len <= 3 && before(at - len).is_some_and(|c| is_cjk(c) && !FUNCTION_CHARS.contains(c)) {
                return;
            }
            found.push(Candidate {
                start: at - len,
                end,
                expected: format!("{organ}办公厅"),
                rule: *rule,
                diff: Diff::Office,
            });
            return;
        }
    }

    /// A candidate that a legitimate spelling holds, or a near miss that is one plus a
    /// character at either end (中华人民共和国国…, 乐东乡族自治县 = 乐 + 东乡族自治县).
    fn is_legitimate(&self, chars: &[char], c: &Candidate, key: &mut String) -> bool {
        let mut legit = |a: usize, b: usize| self.legit.contains(fill(key, &chars[a..b]));
        if !matches!(c.diff, Diff::Office | Diff::Province | Diff::NoNationality)
            && (legit(c.start + 1, c.end) || legit(c.start, c.end - 1))
        {
            return true;
        }
        let len = c.end - c.start;
        (c.start.saturating_sub(self.legit_max.saturating_sub(len))..=c.start)
            .any(|a| (c.end..=chars.len().min(a + self.legit_max)).any(|b| legit(a, b)))
    }
}

fn parse(file: &str, body: &str) -> Result<NamesFile, LexiconError> {
    let err = |message: String| LexiconError::File { file: file.to_owned(), message };
    let f: NamesFile = toml::from_str(body).map_err(|e| err(e.to_string()))?;
    if f.kind != KIND {
        return Err(err(format!("kind 应为 {KIND}，而不是“{}”", f.kind)));
    }
    Ok(f)
}

/// Compiles names files given as (file name, parsed file).
fn build(files: &[(String, NamesFile)]) -> Result<OfficialNames, LexiconError> {
    let mut names = OfficialNames {
        rules: Vec::new(),
        targets: Vec::new(),
        by_head: FxHashMap::default(),
        lens_by_last: FxHashMap::default(),
        heads: Box::default(),
        reordered_by_last: FxHashMap::default(),
        enders: Box::default(),
        legit: FxHashSet::default(),
        legit_max: 0,
        offices: FxHashMap::default(),
        office_max: 0,
        wrong: FxHashMap::default(),
        wrong_lens: Vec::new(),
        wrong_last: FxHashSet::default(),
        foreign: Vec::new(),
    };
    // List name → its names (of every list so called), for the {LIST} of office organs.
    let mut by_list: FxHashMap<&str, Vec<&String>> = FxHashMap::default();
    // (wrong form, right name, rule, difference), kept once every legitimate name is known.
    let mut wrong: Vec<(String, &String, usize, Diff)> = Vec::new();
    for (_, f) in files {
        names.foreign.extend(f.foreign.iter().cloned());
        for l in &f.lists {
            by_list.entry(&l.name).or_default().extend(&l.names);
            let rule = names.rules.len();
            names.rules.push(Rule {
                lexicon: f.name.clone(),
                category: l.category.clone(),
                severity: l.severity,
                source: l.source.clone(),
            });
            for name in l.names.iter().chain(&l.short).chain(&l.former) {
                let folded = text::fold(name);
                names.legit_max = names.legit_max.max(folded.chars().count());
                names.legit.insert(folded);
            }
            for name in &l.names {
                let chars: Vec<char> = text::fold(name).chars().collect();
                if chars.len() < 3 {
                    continue;
                }
                let word = organ_word(&chars);
                let head = GENERIC_HEADS
                    .iter()
                    .map(|h| h.chars().collect::<Vec<_>>())
                    .filter(|h| chars.len() > h.len() + word && chars.starts_with(h))
                    .map(|h| h.len())
                    .max()
                    .unwrap_or(0);
                let distinctive = chars.len() - word - head;
                let (t, last, n) = (names.targets.len(), chars[chars.len() - 1], chars.len());
                names.by_head.entry((last, n, [chars[0], chars[1]])).or_default().push(t);
                let lens = names.lens_by_last.entry(last).or_default();
                if !lens.contains(&n) {
                    lens.push(n);
                }
                let sorted_stem = (distinctive >= 4)
                    .then(|| (sorted_chars(&chars[..n - word]), stem_sum(&chars[..n - word])));
                if sorted_stem.is_some() {
                    names.reordered_by_last.entry(last).or_default().push(t);
                }
                names.targets.push(Target {
                    display: name.clone(),
                    sorted_stem,
                    near_miss: l.near_miss && distinctive >= 3 && chars.len() >= 5,
                    conj_missing: l.near_miss,
                    chars,
                    rule,
                    word,
                });
            }
            // An autonomous region as a province (广西省) or without its nationality (广西自治区).
            for name in l.names.iter().filter(|n| n.ends_with("自治区")) {
                for short in l.short.iter().filter(|s| name.starts_with(s.as_str())) {
                    wrong.push((format!("{short}省"), name, rule, Diff::Province));
                    wrong.push((format!("{short}自治区"), name, rule, Diff::NoNationality));
                }
            }
        }
    }
    for (form, right, rule, diff) in wrong {
        let folded = text::fold(&form);
        if !names.legit.contains(&folded) {
            let chars: Vec<char> = folded.chars().collect();
            names.wrong_lens.push(chars.len());
            names.wrong_last.insert(chars[chars.len() - 1]);
            names.wrong.insert(folded, (right.clone(), rule, diff));
        }
    }
    names.wrong_lens.sort_unstable();
    names.wrong_lens.dedup();
    for (file, f) in files {
        for o in &f.offices {
            let rule = names.rules.len();
            names.rules.push(Rule {
                lexicon: f.name.clone(),
                category: "机构名称".into(),
                severity: o.severity,
                source: o.source.clone(),
            });
            for organ in &o.organs {
                for expanded in expand(organ, &by_list)
                    .map_err(|message| LexiconError::File { file: file.clone(), message })?
                {
                    let folded = text::fold(&expanded);
                    names.office_max = names.office_max.max(folded.chars().count());
                    names.offices.insert(folded, (expanded, rule));
                }
            }
        }
    }
    let mut enders = vec![0u64; 0x10000 / 64];
    let ends = names.lens_by_last.keys().chain(names.reordered_by_last.keys()).chain(&names.wrong_last);
    for &c in ends.chain(std::iter::once(&'室')) {
        if let Some(w) = enders.get_mut(c as usize / 64) {
            *w |= 1 << (c as usize % 64);
        }
    }
    names.enders = enders.into_boxed_slice();
    let mut heads = vec![0u64; HEAD_BITS / 64];
    for t in &names.targets {
        let bit = head_bit([t.chars[0], t.chars[1]]);
        heads[bit / 64] |= 1 << (bit % 64);
    }
    names.heads = heads.into_boxed_slice();
    Ok(names)
}

/// The size of the bitmap of target heads: 8 KiB, well inside the first-level cache.
const HEAD_BITS: usize = 1 << 16;

/// The bit of a pair of first characters in the bitmap of target heads.
fn head_bit([a, b]: [char; 2]) -> usize {
    let h = (a as u32).wrapping_mul(0x9E37_79B1) ^ (b as u32);
    (h.wrapping_mul(0x85EB_CA6B) >> 16) as usize % HEAD_BITS
}

/// "{LIST}人民政府" → one organ per name of the list; an organ without braces as it is.
fn expand(organ: &str, by_list: &FxHashMap<&str, Vec<&String>>) -> Result<Vec<String>, String> {
    let (Some(open), Some(close)) = (organ.find('{'), organ.find('}')) else {
        return Ok(vec![organ.to_owned()]);
    };
    let list = &organ[open + 1..close];
    let names = by_list.get(list).ok_or_else(|| format!("办公厅机关“{organ}”：没有名为“{list}”的名称表"))?;
    Ok(names.iter().map(|n| format!("{}{n}{}", &organ[..open], &organ[close + 1..])).collect())
}

/// Characters of the organ or division word that ends `name` (1 when none is listed).
fn organ_word(name: &[char]) -> usize {
    ORGAN_WORDS
        .iter()
        .map(|w| w.chars().collect::<Vec<_>>())
        .find(|w| name.len() > w.len() && name.ends_with(w))
        .map_or(1, |w| w.len())
}

/// `chars` as a string in `key` (a buffer reused across lookups).
fn fill<'k>(key: &'k mut String, chars: &[char]) -> &'k str {
    key.clear();
    key.extend(chars);
    key
}

/// The sum of the code points of `chars`: equal for the same characters in any order.
fn stem_sum(chars: &[char]) -> u32 {
    chars.iter().fold(0u32, |sum, &c| sum.wrapping_add(c as u32))
}

fn sorted_chars(chars: &[char]) -> Vec<char> {
    let mut v = chars.to_vec();
    v.sort_unstable();
    v
}

fn is_cjk(c: char) -> bool {
    ('\u{3400}'..='\u{9fff}').contains(&c)
}

/// The single difference between `w` (written) and `n` (a name) that lies after their first
/// two characters and before their last: one character more, less or different, or two
/// neighbours swapped.
fn one_edit(w: &[char], n: &[char]) -> Option<Diff> {
    let p = w.iter().zip(n).take_while(|(a, b)| a == b).count();
    let q = w.iter().rev().zip(n.iter().rev()).take_while(|(a, b)| a == b).count();
    if w.len() == n.len() + 1 {
        // w[i] is the extra character for every i in [w.len() - 1 - q, p]; take the first
        // one in the allowed range.
        let i = (w.len() - 1 - q.min(w.len() - 1)).max(2);
        (i <= p && i + 2 <= w.len()).then(|| match w[i] {
            c @ ('与' | '和') => Diff::ConjExtra(c),
            c => Diff::Inserted(c),
        })
    } else if w.len() + 1 == n.len() {
        let j = (n.len() - 1 - q.min(n.len() - 1)).max(2);
        (j <= p && j + 2 <= n.len()).then(|| match n[j] {
            '与' | '和' => Diff::ConjMissing,
            c => Diff::Deleted(c),
        })
    } else if w.len() == n.len() && p < n.len() {
        if p < 2 || p + 2 > n.len() {
            return None;
        }
        if p + q + 1 == n.len() {
            return Some(match (w[p], n[p]) {
                ('与', '和') => Diff::ConjSwapped,
                (a, b) => Diff::Substituted(a, b),
            });
        }
        (p + q + 2 == n.len() && p + 3 <= n.len() && w[p] == n[p + 1] && w[p + 1] == n[p])
            .then_some(Diff::Swapped(w[p], w[p + 1]))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use govmedia_model::{Article, Finding, FindingCode};

    use super::*;
    use crate::safety::SafetyCheck;

    fn article(body: &str) -> Article {
        let t = govmedia_model::time::parse_time("t", "2025-03-01").unwrap();
        let mut a = Article::new("a", "https://mp.weixin.qq.com/s/x", "通知", t);
        a.content = Some(body.to_owned());
        a
    }

    fn wording(check: &SafetyCheck, body: &str) -> Vec<Finding> {
        let (f, _) = check.article_findings(&article(body));
        f.into_iter().filter(|f| f.code == FindingCode::ContentWordingError).collect()
    }

    /// (found, expected) of the near misses in `text`.
    fn scan(names: &OfficialNames, text: &str) -> Vec<(String, String)> {
        names
            .scan(text, &Folded::new(text))
            .into_iter()
            .map(|e| (text[e.start..e.end].to_owned(), e.expected))
            .collect()
    }

    #[test]
    fn near_misses_of_organ_and_division_names_are_reported_with_the_official_name() {
        let check = SafetyCheck::new();
        for (body, found, expected, severity) in [
            // Central organs: 办公室 for 办公厅, a wrong, missing or extra character, 与 for 和.
            ("国务院办公室近日印发通知。", "国务院办公室", "国务院办公厅", Severity::Major),
            ("转发教育部办公室通知。", "教育部办公室", "教育部办公厅", Severity::Major),
            (
                "会议传达了人力资源与社会保障部的通知精神。",
                "人力资源与社会保障部",
                "人力资源和社会保障部",
                Severity::Minor,
            ),
            ("文化与旅游部公布名单。", "文化与旅游部", "文化和旅游部", Severity::Minor),
            ("生态环保部发布公报。", "生态环保部", "生态环境部", Severity::Major),
            ("国家卫生与健康委员会发布提示。", "国家卫生与健康委员会", "国家卫生健康委员会", Severity::Minor),
            ("国家林业与草原局部署防火。", "国家林业与草原局", "国家林业和草原局", Severity::Minor),
            (
                "社会保障和人力资源部印发意见。",
                "社会保障和人力资源部",
                "人力资源和社会保障部",
                Severity::Major,
            ),
            (
                "中共中央纪律检察委员会通报。",
                "中共中央纪律检察委员会",
                "中共中央纪律检查委员会",
                Severity::Major,
            ),
            ("最高人民检查院发布典型案例。", "最高人民检查院", "最高人民检察院", Severity::Major),
            ("国家广播电视台总局批准。", "国家广播电视台总局", "国家广播电视总局", Severity::Major),
            // Local organs and provincial general offices.
            ("市人力资源与社会保障局提醒。", "人力资源与社会保障局", "人力资源和社会保障局", Severity::Minor),
            ("县农业与农村局组织培训。", "农业与农村局", "农业农村局", Severity::Minor),
            (
                "河北省人民政府办公室印发通知。",
                "河北省人民政府办公室",
                "河北省人民政府办公厅",
                Severity::Minor,
            ),
            // Autonomous regions, prefectures and banners.
            ("与广西壮族族自治区签订协议。", "广西壮族族自治区", "广西壮族自治区", Severity::Major),
            ("考察团赴内蒙自治区学习。", "内蒙自治区", "内蒙古自治区", Severity::Major),
            ("宁夏回自治区客商来访。", "宁夏回自治区", "宁夏回族自治区", Severity::Major),
            ("新疆维吾尔族自治区客商来访。", "新疆维吾尔族自治区", "新疆维吾尔自治区", Severity::Major),
            ("对口支援广西省。", "广西省", "广西壮族自治区", Severity::Major),
            ("新疆自治区客商来访。", "新疆自治区", "新疆维吾尔自治区", Severity::Minor),
            ("延边朝鲜自治州文旅推介会。", "延边朝鲜自治州", "延边朝鲜族自治州", Severity::Minor),
            ("鄂伦春族自治旗森林防火。", "鄂伦春族自治旗", "鄂伦春自治旗", Severity::Minor),
            ("恩施苗族土家族自治州来访。", "恩施苗族土家族自治州", "恩施土家族苗族自治州", Severity::Minor),
            // The country's name.
            ("中华人民和国成立七十五周年。", "中华人民和国", "中华人民共和国", Severity::Veto),
        ] {
            let f = wording(&check, body);
            assert_eq!(f.len(), 1, "{body}: {f:?}");
            assert_eq!(
                (f[0].evidence["term"].as_str(), f[0].evidence["right"].as_str()),
                (Some(found), Some(expected)),
                "{body}"
            );
            assert_eq!(f[0].severity, severity, "{body}");
            assert!(f[0].message.contains(&format!("应为“{expected}”")), "{}", f[0].message);
            assert!(!f[0].evidence["rule_source"].as_str().unwrap().is_empty(), "{body}");
        }
        let f = wording(&check, "内蒙自治区、内蒙自治区和内蒙自治区");
        assert_eq!(f.len(), 1, "one finding per name and part");
        assert_eq!(f[0].evidence["occurrences"], 3);
        assert_eq!(f[0].evidence["reason"], "缺少“古”字");
        // A misspelling the wording lexicon lists is reported once, by the lexicon.
        let f = wording(&check, "根据《中华人民共合国行政许可法》。");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].evidence["right"], "中华人民共和国");
    }

    #[test]
    fn correct_short_former_foreign_and_other_names_are_not_reported() {
        let check = SafetyCheck::new();
        for body in [
            // 与 between two names, 办公室 in prose and at prefecture and county level.
            "国家发展改革委与生态环境部联合印发通知。",
            "民政部与人力资源社会保障部、住房城乡建设部联合发文。",
            "请到三楼办公室办理，书记办公室在二楼。",
            "某某县人民政府办公室、某某市政府办公室、某某区委办公室联合发文。",
            "广州市人民政府办公厅转发通知；市发改委办公室、区教育局办公室参加。",
            "外交部发言人办公室答记者问；学校继续教育部办公室、集团商务部办公室另行通知。",
            // Official names, short forms, committees of people's congresses.
            "中国人民银行、中国人民解放军驻地部队共同学习《中华人民共和国国防法》。",
            "全国人大农业与农村委员会、环境与资源保护委员会开展执法检查。",
            "市场监管局、市场监督管理局、人力资源社会保障局、卫生健康委、国家卫健委。",
            "内蒙古自治区和广西壮族自治区、宁夏回族自治区、新疆维吾尔自治区有关部门参加会议。",
            "彭水苗族土家族自治县、酉阳土家族苗族自治县、鄂伦春自治旗、乐东黎族自治县、东乡族自治县。",
            "新疆维吾尔族群众、广西壮族同胞、生态环境部门、生态环保部门、应急管理分部。",
            "改善生态环境局部地区；人民医院、最高人民法院、地方各级人民检察院。",
            // Former names, historically quoted.
            "原国家卫生和计划生育委员会的相关职责已划入国家卫生健康委员会。",
            "1958年，广西省改为广西僮族自治区；原新疆省于1955年撤销；银川旧称宁夏省城。",
            // Another country's organs.
            "美国退伍军人事务部、美国国务院办公室发表声明。",
        ] {
            let f = wording(&check, body);
            assert!(f.is_empty(), "{body}: {:?}", f.iter().map(|f| &f.message).collect::<Vec<_>>());
        }
    }

    #[test]
    fn an_office_adds_its_own_names_and_organs_in_its_lexicon_directory() {
        let dir = std::env::temp_dir().join(format!("govmedia-names-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("my-names.toml"),
            r#"
name = "my-names"
kind = "official_names"
[[lists]]
name = "本市部门"
category = "机构名称"
severity = "minor"
source = "本市机构编制文件"
names = ["大数据发展管理局"]
short = ["大数据局"]
[[offices]]
source = "副省级城市人民政府设办公厅"
severity = "minor"
organs = ["{本市部门}", "广州市人民政府"]
"#,
        )
        .unwrap();
        std::fs::write(dir.join("other.toml"), "name = \"x\"\nkind = \"deny\"\nterms = [\"某词\"]\n")
            .unwrap();
        let names = OfficialNames::with_user_dir(&dir).unwrap();
        let text = "大数据发展管里局、广州市人民政府办公室、国务院办公室、大数据局。";
        assert_eq!(
            scan(&names, text),
            [
                ("大数据发展管里局".to_owned(), "大数据发展管理局".to_owned()),
                ("广州市人民政府办公室".to_owned(), "广州市人民政府办公厅".to_owned()),
                ("国务院办公室".to_owned(), "国务院办公厅".to_owned()),
            ]
        );
        assert_eq!(
            scan(OfficialNames::builtin(), text),
            [("国务院办公室".to_owned(), "国务院办公厅".to_owned())]
        );
        std::fs::write(
            dir.join("bad.toml"),
            "name = \"bad\"\nkind = \"official_names\"\n[[offices]]\norgans = [\"{没有}人民政府\"]\n",
        )
        .unwrap();
        let err = OfficialNames::with_user_dir(&dir).unwrap_err().to_string();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(err.contains("没有名为“没有”的名称表"), "{err}");
    }

    fn shared(path: &str) -> String {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/");
        std::fs::read_to_string(format!("{root}{path}")).unwrap()
    }

    fn shared_dir(dir: &str) -> Vec<String> {
        let root =
            std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/")).join(dir);
        let mut files: Vec<_> = std::fs::read_dir(root).unwrap().flatten().map(|e| e.path()).collect();
        files.sort();
        files.iter().filter(|p| p.is_file()).map(|p| std::fs::read_to_string(p).unwrap()).collect()
    }

    /// Near misses in real text: none in laws, headlines and government accounts' feeds; the
    /// real errors of the seed reports; the organ-name typos of pycorrector's legal set.
    #[test]
    fn real_government_text_yields_only_real_errors() {
        let names = OfficialNames::builtin();
        let feeds: Vec<String> = shared_dir("data/wechat/feeds-gov-2021/feeds")
            .iter()
            .flat_map(|x| {
                x.split("<title>").skip(1).map(|t| t.split("</title>").next().unwrap_or("").to_owned())
            })
            .collect();
        let clean = [
            ["宪法相关法", "行政法", "社会法", "行政法规"]
                .map(|d| shared_dir(&format!("data/gov-text/laws/{d}")).join("\n"))
                .join("\n"),
            ["politics_only_dev.DERIVED.txt", "politics_only_test.DERIVED.txt"]
                .map(|f| shared(&format!("data/gov-text/thucnews-politics-titles/{f}")))
                .join("\n"),
            feeds.join("\n"),
        ];
        for text in &clean {
            println!("clean corpus: {} chars, {:?}", text.chars().count(), scan(names, text));
            assert!(scan(names, text).is_empty());
        }
        // The 2025 survey report, the 2014 Tsinghua report, Tencent's handbook, the Shanghai
        // paper and 国办发〔2018〕123号.
        let report = shared_dir("seeds").join("\n");
        let mut found = scan(names, &report);
        found.dedup();
        println!("seed reports: {} chars, {found:?}", report.chars().count());
        assert_eq!(
            found,
            [
                ("国家广播电视台总局".to_owned(), "国家广播电视总局".to_owned()),
                ("人力资源与社会保障局".to_owned(), "人力资源和社会保障局".to_owned()),
            ]
        );
        let pairs = shared("data/lexicons/pycorrector/ec_law_test.tsv");
        let (wrong, right): (Vec<&str>, Vec<&str>) = pairs.lines().filter_map(|l| l.split_once('\t')).unzip();
        assert!(scan(names, &right.join("\n")).is_empty());
        let caught: Vec<String> = scan(names, &wrong.join("\n")).into_iter().map(|(f, _)| f).collect();
        println!("pycorrector legal typos: {caught:?}");
        assert_eq!(
            caught,
            [
                "人民检查院",
                "全国人民代表大会厂务委员会",
                "人民捡察院",
                "中国人民整治协商会议",
                "中华人民恭和国",
                "人民检擦院",
                "全国人民戴表大会"
            ]
        );
    }

    #[test]
    fn one_edit_finds_the_difference_inside_the_name() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(one_edit(&c("广西壮族族自治区"), &c("广西壮族自治区")), Some(Diff::Inserted('族')));
        assert_eq!(one_edit(&c("内蒙自治区"), &c("内蒙古自治区")), Some(Diff::Deleted('古')));
        assert_eq!(one_edit(&c("生态环保部"), &c("生态环境部")), Some(Diff::Substituted('保', '境')));
        assert_eq!(one_edit(&c("文化与旅游部"), &c("文化和旅游部")), Some(Diff::ConjSwapped));
        assert_eq!(one_edit(&c("工业信息化部"), &c("工业和信息化部")), Some(Diff::ConjMissing));
        assert_eq!(one_edit(&c("交通输运部"), &c("交通运输部")), Some(Diff::Swapped('输', '运')));
        // First two and last characters are the name's anchors.
        assert_eq!(one_edit(&c("生太环境部"), &c("生态环境部")), None);
        assert_eq!(one_edit(&c("生态环境局"), &c("生态环境部")), None);
        assert_eq!(one_edit(&c("生态环境部"), &c("生态环境部")), None);
    }
}

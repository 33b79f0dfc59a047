//! The "safety" check (安全力): sensitive terms, wording, document numbers, personal data,
//! unlabelled AI content and the negative-comment rate.
//!
//! Metrics (per account, over articles in the survey period):
//! - `score` (0–1): 1 − mean article penalty over the articles that have a body, where an
//!   article with a major finding (sensitive term, major wording error, personal data,
//!   unlabelled AI content) costs 1 and one with only minor findings costs 0.5. Articles
//!   without a body (feeds and history-API imports carry titles only) are not scored: their
//!   titles are still checked and their findings reported, but a title alone says nothing
//!   about the text's safety, so an account whose articles all lack a body has no score
//!   (not evaluated, with the reason) instead of a near-perfect one;
//! - `sensitive_terms`, `wording_errors`, `doc_number_errors`, `pii_articles`,
//!   `ai_unlabelled`, `classified_markings`: counts of findings;
//!
//! Severity veto (the 安全、泄密 single-item veto of 国办秘函〔2019〕19号, applied when the
//! framework lists the code with `severity = "veto"`): wording pairs the lexicon grades veto
//! (the country's and the party's names, 涉台 wording), a classification marking
//! ([`crate::secrecy`]), and a citizen's ID number in the text.
//! - `negative_comment_rate`: share of comments that are negative (not evaluated without
//!   comments).

use std::cell::LazyCell;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use govmedia_checks::{AccountData, Assessment, Check, CheckError, Outcome, Progress, Survey};
use govmedia_model::{Article, Finding, FindingCode, Severity};
use govmedia_pii::{Masked, PiiKind};

use crate::body::{has_body, plain_text};
use crate::lexicon::{self, Kind, LexiconSet};
use crate::text::{Folded, excerpt};
use crate::{ai_label, docnum, secrecy, sentiment};

/// Findings listed per code and account; the rest are counted in `stats`.
const MAX_FINDINGS_PER_CODE: usize = 20;
/// Distinct mobile numbers in one article that make it a list of people (公示名单).
const PHONE_LIST_MIN: usize = 3;
const EXCERPT_CHARS: usize = 15;

/// The safety check. Uses the shipped lexicons, plus every lexicon in a user directory.
pub struct SafetyCheck {
    extra: Option<LexiconSet>,
}

impl SafetyCheck {
    /// With the shipped lexicons only.
    pub fn new() -> Self {
        SafetyCheck { extra: None }
    }

    /// With the shipped lexicons and the user lexicons in `dir` (every `*.toml` whose kind is
    /// deny, allow or wording). Allow terms in the user files apply to the user files.
    pub fn with_user_lexicons(dir: &Path) -> Result<Self, lexicon::LexiconError> {
        let files = LexiconSet::read_dir(dir)?;
        let extra = if files.is_empty() { None } else { Some(LexiconSet::build(&files)?) };
        Ok(SafetyCheck { extra })
    }

    /// Every safety finding for one article (uncapped), with the article's penalty.
    pub fn article_findings(&self, a: &Article) -> (Vec<Finding>, f64) {
        let body = plain_text(a);
        let mut findings = Vec::new();
        for (part, text) in [("标题", a.title.as_str()), ("正文", body.as_ref())] {
            if text.is_empty() {
                continue;
            }
            let folded = Folded::new(text);
            // Excerpts quote the masked text; masked only when a finding needs an excerpt.
            let masked = LazyCell::new(|| Masked::new(text));
            let sets = std::iter::once(lexicon::builtin()).chain(self.extra.as_ref());
            // One finding per term and part of the article; repeats are counted, not listed.
            let mut first: HashMap<(String, String), (usize, u64)> = HashMap::new();
            for set in sets {
                for h in set.scan_folded(text, &folded) {
                    let e = h.entry;
                    if e.kind == Kind::Allow {
                        continue;
                    }
                    match first.entry((e.lexicon.clone(), e.term.clone())) {
                        Entry::Occupied(mut o) => {
                            o.get_mut().1 += 1;
                            continue;
                        }
                        Entry::Vacant(v) => {
                            v.insert((findings.len(), 1));
                        }
                    }
                    let quoted = &text[h.start..h.end];
                    let f = match e.kind {
                        Kind::Deny => Finding::new(
                            FindingCode::ContentSensitiveTerm,
                            e.severity,
                            format!("文章《{}》{}含敏感词“{}”（{}类）", a.title, part, quoted, e.category),
                        ),
                        Kind::Wording => Finding::new(
                            FindingCode::ContentWordingError,
                            e.severity,
                            format!(
                                "文章《{}》{}中“{}”表述不规范，应为“{}”",
                                a.title,
                                part,
                                quoted,
                                e.right.as_deref().unwrap_or("")
                            ),
                        )
                        .with("right", e.right.clone().unwrap_or_default())
                        .with("rule_source", e.source.clone()),
                        Kind::Allow => continue,
                    };
                    findings.push(
                        f.with("url", a.url.clone())
                            .with("term", e.term.clone())
                            .with("category", e.category.clone())
                            .with("lexicon", e.lexicon.clone())
                            .with("excerpt", excerpt(&masked, h.start, h.end, EXCERPT_CHARS)),
                    );
                }
            }
            for (i, n) in first.into_values() {
                if n > 1 {
                    findings[i].evidence.insert("occurrences".into(), n.into());
                }
            }
            for m in secrecy::markings(text) {
                findings.push(
                    Finding::new(
                        FindingCode::ContentClassifiedMarking,
                        Severity::Veto,
                        format!(
                            "文章《{}》{}出现国家秘密标志“{}”，疑似公开发布涉密内容（泄密风险）",
                            a.title, part, m.found
                        ),
                    )
                    .with("url", a.url.clone())
                    .with("marking", m.found.clone())
                    .with("rule_source", "保守国家秘密法第二十二条；GB/T 9704-2012 7.2.2")
                    .with("excerpt", excerpt(&masked, m.start, m.end, EXCERPT_CHARS)),
                );
            }
            for d in docnum::check(text) {
                findings.push(
                    Finding::new(
                        FindingCode::ContentDocNumberFormat,
                        Severity::Minor,
                        format!(
                            "文章《{}》中发文字号“{}”不符合GB/T 9704：{}，应为“{}”",
                            a.title,
                            d.found,
                            d.problems.join("；"),
                            d.expected
                        ),
                    )
                    .with("url", a.url.clone())
                    .with("found", d.found.clone())
                    .with("expected", d.expected.clone())
                    .with("excerpt", excerpt(&masked, d.start, d.end, EXCERPT_CHARS)),
                );
            }
        }
        findings.extend(pii_findings(a, &body));
        if let Some(tell) = ai_label::unlabelled_tell(&body) {
            findings.push(
                Finding::new(
                    FindingCode::ContentAiUnlabelled,
                    Severity::Major,
                    format!(
                        "文章《{}》含AI生成内容的痕迹（“{}”），但未按规定添加“AI生成”显式标识",
                        a.title, tell
                    ),
                )
                .with("url", a.url.clone())
                .with("sign", tell),
            );
        }
        let penalty = if findings.iter().any(|f| f.severity <= Severity::Major) {
            1.0
        } else if findings.iter().any(|f| f.severity == Severity::Minor) {
            0.5
        } else {
            0.0
        };
        (findings, penalty)
    }
}

impl Default for SafetyCheck {
    fn default() -> Self {
        Self::new()
    }
}

/// ID numbers and bank cards always; mobile numbers only as a list (≥ 3 distinct) or beside
/// an ID number. Landlines and e-mail addresses are official contacts and not reported.
fn pii_findings(a: &Article, body: &str) -> Option<Finding> {
    let matches = govmedia_pii::scan(body);
    let mut ids = Vec::new();
    let mut cards = Vec::new();
    let mut mobiles = std::collections::BTreeSet::new();
    for m in &matches {
        let s = &body[m.start..m.end];
        match m.kind {
            PiiKind::IdNumber => ids.push(m),
            PiiKind::BankCard => cards.push(m),
            PiiKind::Phone => {
                let digits: String = s.chars().filter(char::is_ascii_digit).collect();
                let local = digits.strip_prefix("86").filter(|d| d.len() == 11).unwrap_or(&digits);
                if local.len() == 11 && local.starts_with('1') {
                    mobiles.insert(local.to_owned());
                }
            }
            PiiKind::Email => {}
        }
    }
    let phones_exposed = mobiles.len() >= PHONE_LIST_MIN || (!ids.is_empty() && !mobiles.is_empty());
    if ids.is_empty() && cards.is_empty() && !phones_exposed {
        return None;
    }
    let mut kinds = Vec::new();
    if !ids.is_empty() {
        kinds.push(format!("身份证号{}个", ids.len()));
    }
    if !cards.is_empty() {
        kinds.push(format!("银行卡号{}个", cards.len()));
    }
    if phones_exposed {
        kinds.push(format!("手机号{}个", mobiles.len()));
    }
    let first = ids.first().or(cards.first()).copied();
    // A citizen's ID number in published text is a data leak the inspection rules treat as a
    // serious safety problem (veto); bank cards and phone lists are major.
    let severity = if ids.is_empty() { Severity::Major } else { Severity::Veto };
    let mut f = Finding::new(
        FindingCode::ContentPiiExposed,
        severity,
        format!("文章《{}》正文公开了个人信息（{}），应脱敏处理", a.title, kinds.join("、")),
    )
    .with("url", a.url.clone())
    .with("id_numbers", ids.len())
    .with("bank_cards", cards.len())
    .with("mobile_numbers", if phones_exposed { mobiles.len() } else { 0 });
    if let Some(m) = first {
        f = f.with("excerpt", excerpt(&Masked::new(body), m.start, m.end, EXCERPT_CHARS));
    }
    Some(f)
}

impl Check for SafetyCheck {
    fn name(&self) -> &'static str {
        "safety"
    }

    fn prepare(&mut self, _survey: &Survey, _progress: &dyn Progress) -> Result<(), CheckError> {
        crate::text::warm_up();
        let _ = lexicon::builtin();
        Ok(())
    }

    fn assess(&self, survey: &Survey, account: &AccountData) -> Outcome {
        let mut out = Assessment::default();
        let mut all: Vec<Finding> = Vec::new();
        let mut penalty = 0.0;
        let (mut n, mut with_body) = (0usize, 0usize);
        let (mut comments, mut negative) = (0usize, 0usize);
        for a in survey.in_period(account) {
            n += 1;
            let (f, p) = self.article_findings(a);
            if has_body(a) {
                with_body += 1;
                penalty += p;
            }
            all.extend(f);
            for c in &a.comments {
                comments += 1;
                negative += usize::from(sentiment::is_negative(&c.text));
            }
        }
        if n == 0 {
            return Outcome::NotEvaluated("统计期内没有文章，无法评估内容安全".into());
        }
        if with_body == 0 {
            out.not_evaluated.insert(
                "score".into(),
                format!("统计期内{n}篇文章均无正文（订阅源、历史消息等来源只含标题），内容安全未评估（标题已检查）"),
            );
        } else {
            out.metrics.insert("score".into(), 1.0 - penalty / with_body as f64);
        }
        out.stats.insert("articles_without_body".into(), (n - with_body).into());
        let mut counts: BTreeMap<FindingCode, usize> = BTreeMap::new();
        for f in &all {
            *counts.entry(f.code).or_default() += 1;
        }
        for (metric, code) in [
            ("sensitive_terms", FindingCode::ContentSensitiveTerm),
            ("wording_errors", FindingCode::ContentWordingError),
            ("doc_number_errors", FindingCode::ContentDocNumberFormat),
            ("pii_articles", FindingCode::ContentPiiExposed),
            ("ai_unlabelled", FindingCode::ContentAiUnlabelled),
            ("classified_markings", FindingCode::ContentClassifiedMarking),
        ] {
            let c = counts.get(&code).copied().unwrap_or(0);
            out.metrics.insert(metric.into(), c as f64);
            out.stats.insert(metric.into(), c.into());
        }
        out.stats.insert("articles_checked_for_safety".into(), n.into());
        if comments == 0 {
            out.not_evaluated.insert("negative_comment_rate".into(), "统计期内文章没有采集到留言".into());
        } else {
            out.metrics.insert("negative_comment_rate".into(), negative as f64 / comments as f64);
            out.stats.insert("negative_comments".into(), negative.into());
        }
        let mut listed: BTreeMap<FindingCode, usize> = BTreeMap::new();
        for f in all {
            let k = listed.entry(f.code).or_default();
            *k += 1;
            if *k <= MAX_FINDINGS_PER_CODE {
                out.findings.push(f);
            }
        }
        for (code, total) in counts {
            if total > MAX_FINDINGS_PER_CODE {
                out.findings.push(
                    Finding::new(
                        code,
                        Severity::Info,
                        format!("另有{}处“{}”问题未逐条列出", total - MAX_FINDINGS_PER_CODE, code.title()),
                    )
                    .with("count", total),
                );
            }
        }
        Outcome::Evaluated(out)
    }
}

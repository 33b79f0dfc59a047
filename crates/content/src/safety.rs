//! The "safety" check (安全力): sensitive terms, wording, document numbers, personal data,
//! unlabelled AI content and the negative-comment rate.
//!
//! Deny terms of a category with context words ([`lexicon::Kind::Context`]: 禁毒, 揭批邪教,
//! 打击赌博 …) are not reported in a sentence, or under a title, that has one of them: education
//! and enforcement articles name drugs and cults without promoting them.
//!
//! Wording errors (`content.wording_error`) come from the wording lexicons' wrong → right pairs
//! and from near misses of official names ([`crate::official_names`]: 国务院办公室,
//! 人力资源与社会保障部, 内蒙自治区 …); a near miss inside a span a wording pair reports is left
//! to the pair.
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
//! (the country's and the party's names, 涉台 wording) and near misses of the country's name,
//! a classification marking ([`crate::secrecy`]), and a citizen's ID number in the text.
//! - `negative_comment_rate`: share of comments that are negative (not evaluated without
//!   comments).

use std::cell::LazyCell;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use govmedia_checks::{AccountData, Assessment, Check, CheckError, Outcome, Progress, Survey};
use govmedia_model::{Article, Finding, FindingCode, Severity};
use govmedia_pii::{Holder, Masked, PiiKind, PiiMatch};

use crate::body::{has_body, plain_text};
use crate::lexicon::{self, Kind, LexiconSet};
use crate::official_names::OfficialNames;
use crate::text::{Folded, excerpt, sentence_around};
use crate::{ai_label, docnum, secrecy, sentiment};

/// Findings listed per code and account; the rest are counted in `stats`.
const MAX_FINDINGS_PER_CODE: usize = 20;
/// Distinct mobile numbers in one article that make it a list of people (公示名单).
const PHONE_LIST_MIN: usize = 3;
const EXCERPT_CHARS: usize = 15;

/// The safety check. Uses the shipped lexicons, plus every lexicon in a user directory.
pub struct SafetyCheck {
    extra: Option<LexiconSet>,
    ai_signs: ai_label::AiSigns,
    names: OfficialNames,
}

impl SafetyCheck {
    /// With the shipped lexicons only.
    pub fn new() -> Self {
        SafetyCheck {
            extra: None,
            ai_signs: ai_label::AiSigns::builtin().clone(),
            names: OfficialNames::builtin().clone(),
        }
    }

    /// With the shipped lexicons and the user lexicons in `dir` (every `*.toml` whose kind is
    /// deny, allow, wording or context, `ai-signs.toml`, whose signs add to the shipped, and
    /// every `*.toml` whose kind is official_names, whose names add to the shipped).
    /// Allow terms in the user files apply to the user files; context words apply to the deny
    /// terms of their category in both.
    pub fn with_user_lexicons(dir: &Path) -> Result<Self, lexicon::LexiconError> {
        let files = LexiconSet::read_dir(dir)?;
        let extra = if files.is_empty() { None } else { Some(LexiconSet::build(&files)?) };
        Ok(SafetyCheck {
            extra,
            ai_signs: ai_label::AiSigns::with_user_dir(dir)?,
            names: OfficialNames::with_user_dir(dir)?,
        })
    }

    /// Every safety finding for one article (uncapped), with the article's penalty.
    pub fn article_findings(&self, a: &Article) -> (Vec<Finding>, f64) {
        let body = plain_text(a);
        let mut findings = Vec::new();
        let sets: Vec<&LexiconSet> = std::iter::once(lexicon::builtin()).chain(self.extra.as_ref()).collect();
        // Context words excuse a deny term in its sentence (each set checks its own terms;
        // here the other set's words count too); title context words (the article's topic)
        // anywhere under a title that has one.
        let excused = |e: &lexicon::Entry, sentence: &str| {
            sets.iter()
                .any(|s| s.context_word(e, sentence).or_else(|| s.title_context_word(e, &a.title)).is_some())
        };
        for (part, text) in [("标题", a.title.as_str()), ("正文", body.as_ref())] {
            if text.is_empty() {
                continue;
            }
            let folded = Folded::new(text);
            // Excerpts quote the masked text; masked only when a finding needs an excerpt.
            let masked = LazyCell::new(|| Masked::new(text));
            // One finding per term and part of the article; repeats are counted, not listed.
            let mut first: HashMap<(String, String), (usize, u64)> = HashMap::new();
            // Spans the wording pairs report: a near miss of an official name there is theirs.
            let mut worded: Vec<(usize, usize)> = Vec::new();
            for set in &sets {
                for h in set.scan_folded(text, &folded) {
                    let e = h.entry;
                    if e.kind == Kind::Allow || excused(e, sentence_around(text, h.start, h.end)) {
                        continue;
                    }
                    if e.kind == Kind::Wording {
                        worded.push((h.start, h.end));
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
                        Kind::Allow | Kind::Context => continue,
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
            for n in self.names.scan(text, &folded) {
                if worded.iter().any(|&(s, e)| s < n.end && n.start < e) {
                    continue;
                }
                let quoted = &text[n.start..n.end];
                match first.entry((n.rule.lexicon.clone(), quoted.to_owned())) {
                    Entry::Occupied(mut o) => {
                        o.get_mut().1 += 1;
                        continue;
                    }
                    Entry::Vacant(v) => {
                        v.insert((findings.len(), 1));
                    }
                }
                findings.push(
                    Finding::new(
                        FindingCode::ContentWordingError,
                        n.severity,
                        format!(
                            "文章《{}》{}中“{}”{}有误（{}），应为“{}”",
                            a.title, part, quoted, n.rule.category, n.reason, n.expected
                        ),
                    )
                    .with("url", a.url.clone())
                    // The same keys as the wording lexicon's findings of this code.
                    .with("term", quoted)
                    .with("right", n.expected.clone())
                    .with("reason", n.reason.clone())
                    .with("category", n.rule.category.clone())
                    .with("lexicon", n.rule.lexicon.clone())
                    .with("rule_source", n.rule.source.clone())
                    .with("excerpt", excerpt(&masked, n.start, n.end, EXCERPT_CHARS)),
                );
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
        // The labelling measures bind what is published from the day they took effect: earlier
        // articles (most of a year's) are not searched.
        let bound = govmedia_model::time::local_date(&a.published_at) >= ai_label::IN_FORCE;
        if let Some(tell) = bound.then(|| self.ai_signs.unlabelled_tell(&body)).flatten() {
            findings.push(
                Finding::new(
                    FindingCode::ContentAiUnlabelled,
                    Severity::Major,
                    format!(
                        "文章《{}》含AI生成内容的痕迹（“{}”），但未按《人工智能生成合成内容标识办法》（2025年9月1日起施行）添加“AI生成”显式标识",
                        a.title, tell
                    ),
                )
                .with("url", a.url.clone())
                .with("sign", tell)
                .with("rule_in_force_from", ai_label::IN_FORCE.to_string()),
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

/// Personal data in an article's title and body. Reported: ID numbers and bank cards (not
/// numbers labelled as codes such as 统一社会信用代码: [`govmedia_pii::scan`] leaves those
/// out); mobile numbers of persons: one beside a person's name or a 联系人/姓名 label
/// ([`Holder::Person`], rule in `govmedia_pii`), a list of at least [`PHONE_LIST_MIN`]
/// distinct ones (公示名单), or any beside an ID number. Never reported: mobile numbers after a
/// hotline or office label (服务热线, 咨询电话 …: [`Holder::Office`]), landlines and e-mail
/// addresses, which are official contacts.
fn pii_findings(a: &Article, body: &str) -> Option<Finding> {
    let parts = [a.title.as_str(), body];
    // (part index, match) of each reported item, by kind; mobiles once per number.
    let mut ids = Vec::new();
    let mut cards = Vec::new();
    let mut mobiles: BTreeMap<String, (usize, PiiMatch)> = BTreeMap::new();
    let mut persons = std::collections::BTreeSet::new();
    for (p, text) in parts.iter().enumerate() {
        for m in govmedia_pii::scan(text) {
            match m.kind {
                PiiKind::IdNumber => ids.push((p, m)),
                PiiKind::BankCard => cards.push((p, m)),
                PiiKind::Phone if m.holder != Holder::Office => {
                    let digits: String = text[m.start..m.end].chars().filter(char::is_ascii_digit).collect();
                    let local = digits.strip_prefix("86").filter(|d| d.len() == 11).unwrap_or(&digits);
                    if local.len() == 11 && local.starts_with('1') {
                        if m.holder == Holder::Person {
                            persons.insert(local.to_owned());
                        }
                        mobiles.entry(local.to_owned()).or_insert((p, m));
                    }
                }
                PiiKind::Phone | PiiKind::Email => {}
            }
        }
    }
    if mobiles.len() < PHONE_LIST_MIN && ids.is_empty() {
        mobiles.retain(|n, _| persons.contains(n));
    }
    let mut mobile_list: Vec<&(usize, PiiMatch)> = mobiles.values().collect();
    mobile_list.sort_by_key(|(p, m)| (*p, m.start));
    let (p, first) = ids.first().or(cards.first()).or(mobile_list.first().copied())?;
    let found_in = |i| ids.iter().chain(&cards).chain(mobiles.values()).any(|(p, _)| *p == i);
    let place = match (found_in(0), found_in(1)) {
        (true, true) => "标题和正文",
        (true, false) => "标题",
        _ => "正文",
    };
    let mut kinds = Vec::new();
    if !ids.is_empty() {
        kinds.push(format!("身份证号{}个", ids.len()));
    }
    if !cards.is_empty() {
        kinds.push(format!("银行卡号{}个", cards.len()));
    }
    if !mobiles.is_empty() {
        kinds.push(format!("手机号{}个", mobiles.len()));
    }
    // A citizen's ID number in published text is a data leak the inspection rules treat as a
    // serious safety problem (veto); bank cards and mobile numbers are major.
    let severity = if ids.is_empty() { Severity::Major } else { Severity::Veto };
    Some(
        Finding::new(
            FindingCode::ContentPiiExposed,
            severity,
            // The title may hold the very number reported: quote it masked.
            format!(
                "文章《{}》{place}公开了个人信息（{}），应脱敏处理",
                govmedia_pii::mask(&a.title).0,
                kinds.join("、")
            ),
        )
        .with("url", a.url.clone())
        .with("id_numbers", ids.len())
        .with("bank_cards", cards.len())
        .with("mobile_numbers", mobiles.len())
        .with("excerpt", excerpt(&Masked::new(parts[*p]), first.start, first.end, EXCERPT_CHARS)),
    )
}

impl Check for SafetyCheck {
    fn name(&self) -> &'static str {
        "safety"
    }

    fn account_local(&self) -> bool {
        true
    }

    fn prepare(&mut self, _survey: &Survey, _progress: &dyn Progress) -> Result<(), CheckError> {
        crate::text::warm_up();
        let _ = lexicon::builtin();
        let _ = OfficialNames::builtin();
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

#[cfg(test)]
mod tests {
    use super::*;

    fn article(title: &str, body: &str) -> Article {
        let t = govmedia_model::time::parse_time("t", "2025-03-01").unwrap();
        let mut a = Article::new("a", "https://mp.weixin.qq.com/s/x", title, t);
        a.content = Some(body.to_owned());
        a
    }

    #[test]
    fn ai_signs_count_from_the_day_the_labelling_rule_took_effect() {
        let body = "好的，以下是一篇关于秋季防火的通知，您可以根据实际情况进行修改：各村……";
        let mut a = article("秋季防火通知", body);
        let found = |a: &Article| {
            let (f, _) = SafetyCheck::new().article_findings(a);
            f.into_iter().find(|f| f.code == FindingCode::ContentAiUnlabelled)
        };
        assert!(found(&a).is_none(), "published 2025-03-01, before the rule");
        a.published_at = govmedia_model::time::parse_time("t", "2025-09-01").unwrap();
        let f = found(&a).expect("bound from 2025-09-01");
        assert_eq!(f.evidence["rule_in_force_from"], "2025-09-01");
        assert!(f.message.contains("2025年9月1日起施行"));
    }

    fn pii(title: &str, body: &str) -> Option<Finding> {
        let (f, _) = SafetyCheck::new().article_findings(&article(title, body));
        f.into_iter().find(|f| f.code == FindingCode::ContentPiiExposed)
    }

    /// The sensitive terms `check` reports in an article.
    fn sensitive(check: &SafetyCheck, title: &str, body: &str) -> Vec<String> {
        let (f, _) = check.article_findings(&article(title, body));
        f.iter()
            .filter(|f| f.code == FindingCode::ContentSensitiveTerm)
            .map(|f| f.evidence["term"].as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn context_words_in_the_title_or_a_user_lexicon_excuse_a_term() {
        let shipped = SafetyCheck::new();
        assert_eq!(sensitive(&shipped, "科普", "冰毒外观为白色晶体。"), ["冰毒"]);
        assert!(sensitive(&shipped, "全民禁毒宣传月", "冰毒外观为白色晶体。").is_empty());
        assert!(sensitive(&shipped, "科普", "冰毒外观为白色晶体，危害极大。").is_empty());
        assert_eq!(sensitive(&shipped, "科普", "冰毒外观为白色晶体。危害极大。"), ["冰毒"]);
        // A generic warning word in the title is not the article's topic.
        assert_eq!(sensitive(&shipped, "提醒！10月起，这些新规施行", "加微信看特码。"), ["特码"]);
        assert!(sensitive(&shipped, "提醒：远离赌博", "加微信看特码。").is_empty());
        assert!(sensitive(&shipped, "社区活动", "揭批邪教组织反人类、反社会的本质。").is_empty());

        let dir = std::env::temp_dir().join(format!("govmedia-context-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("mine.toml"),
            "name = \"mine\"\nkind = \"context\"\ncategory = \"毒品\"\nterms = [\"扫毒\"]\n",
        )
        .unwrap();
        let user = SafetyCheck::with_user_lexicons(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(sensitive(&shipped, "通报", "扫毒行动中发现冰毒。"), ["冰毒"]);
        assert!(sensitive(&user, "通报", "扫毒行动中发现冰毒。").is_empty());
        assert_eq!(sensitive(&user, "通报", "扫毒行动结束。发现冰毒。"), ["冰毒"]);
    }

    #[test]
    fn numbers_labelled_as_codes_are_not_personal_data() {
        // 911101085513850823 passes Luhn, 11010519491231002X the ID checksum.
        for body in [
            "统一社会信用代码：911101085513850823。",
            "该公司（信用代码 911101085513850823）已完成整改。",
            "证书编号：11010519491231002X，有效期五年。",
            "登记编号为911101085513850823的备案已注销。",
            "网上订单号：13912345678、13812345678、13712345678。",
        ] {
            assert!(pii("通告", body).is_none(), "{body}");
        }
        for (body, severity) in [
            ("收款人银行卡号：911101085513850823。", Severity::Major),
            ("当事人：张某，身份证号11010519491231002X。", Severity::Veto),
            ("证书编号：123，身份证号：11010519491231002X。", Severity::Veto),
        ] {
            assert_eq!(pii("通告", body).map(|f| f.severity), Some(severity), "{body}");
        }
    }

    #[test]
    fn one_mobile_beside_a_name_is_exposed() {
        for (title, body) in [
            ("公示", "联系人：张三，联系电话13912345678。"),
            ("公示", "经评审，拟推荐张三（手机：13912345678）为先进个人。"),
            ("名单", "一、获奖人员\n王小明 13912345678\n"),
            ("公示", "申请人：李四，电话：13912345678，地址略。"),
            ("关于赵六（13912345678）的处理决定", "正文无号码。"),
        ] {
            let f = pii(title, body).unwrap_or_else(|| panic!("{title} {body}"));
            assert_eq!(f.severity, Severity::Major);
            assert_eq!(f.evidence["mobile_numbers"], 1);
            let ex = f.evidence["excerpt"].as_str().unwrap();
            assert!(ex.contains("139****5678") && !ex.contains("13912"), "{ex}");
        }
        let message = pii("关于赵六（13912345678）的处理决定", "").unwrap().message;
        assert!(message.contains("赵六（139****5678）的处理决定》标题公开"), "{message}");
    }

    #[test]
    fn a_lone_mobile_without_a_name_is_not_reported() {
        for body in ["如有疑问，请拨打13912345678咨询。", "向阳社区13912345678。", "活动报名：13912345678。"]
        {
            assert!(pii("通知", body).is_none(), "{body}");
        }
    }

    #[test]
    fn hotlines_and_office_numbers_are_not_personal_data() {
        for body in [
            "服务热线：13912345678。",
            "咨询电话：0551-62999999，监督电话：12345。",
            "举报电话：13912345678、13812345678、13712345678。",
            "联系人：张三，值班电话：13912345678。",
            "客服电话 13912345678；办公电话 13812345678；投诉电话 13712345678。",
        ] {
            assert!(pii("通知", body).is_none(), "{body}");
        }
        // An office number beside does not excuse a person's mobile.
        let f = pii("通知", "值班电话：0551-62999999，联系人：张三 13912345678。").unwrap();
        assert_eq!(f.evidence["mobile_numbers"], 1);
    }

    #[test]
    fn lists_of_mobiles_and_mobiles_beside_an_id_number_are_still_exposed() {
        let f = pii("名单", "13812345678、13912345678、13712345678。").unwrap();
        assert_eq!(f.evidence["mobile_numbers"], 3);
        assert!(pii("名单", "13812345678、13912345678。").is_none());
        let f = pii("公示", "身份证号11010519491231002X，13812345678。").unwrap();
        assert_eq!(
            (f.evidence["id_numbers"].clone(), f.evidence["mobile_numbers"].clone()),
            (1.into(), 1.into())
        );
    }
}

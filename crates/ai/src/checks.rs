//! The AI checks: content quality (`ai_quality`) and reply quality (`ai_reply_quality`).
//!
//! All model calls happen in `prepare` (concurrently, bounded by the profile); `assess` only
//! reads the judgements. Everything a model produced is marked: findings carry
//! `ai_derived = true`, stats name the model and prompt versions, and what could not be judged
//! is reported as not evaluated with the reason.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::future::Future;
use std::sync::Arc;

use govmedia_checks::{
    AccountData, ArticleNote, Assessment, Check, CheckError, NoteSource, Outcome, Progress, Survey,
};
use govmedia_model::{Article, Finding, FindingCode, Severity};
use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::cache::JudgementCache;
use crate::client::Usage;
use crate::judge::{Judge, Judgement, Verdict};
use crate::schema::{
    CategoryJudgement, IssueKind, IssueSeverity, QualityJudgement, ReplyJudgement, ReviewJudgement,
};
use crate::text::article_text;
use crate::{AiError, Profile};

/// An offline category for an article (the content crate's classifier), to show where the
/// model disagrees.
pub type OfflineClassifier = Arc<dyn Fn(&Article) -> Option<String> + Send + Sync>;

/// Judges every item concurrently (the judge bounds the calls in flight), with a progress
/// bar named `label` that advances as answers arrive; `call` turns an item into a keyed
/// judgement.
pub(crate) fn judge_all<I, K, T, F>(
    check: &str,
    label: &str,
    judge: &Arc<Judge>,
    items: Vec<I>,
    progress: &dyn Progress,
    call: impl Fn(Arc<Judge>, I) -> F,
) -> Result<HashMap<K, T>, CheckError>
where
    F: Future<Output = (K, T)> + Send + 'static,
    K: Eq + std::hash::Hash + Send + 'static,
    T: Send + 'static,
{
    progress.start(label, items.len() as u64);
    let calls: Vec<F> = items.into_iter().map(|item| call(judge.clone(), item)).collect();
    let judged = govmedia_checks::blocking::block_on(async move {
        let mut set = JoinSet::new();
        for c in calls {
            set.spawn(c);
        }
        let mut out = HashMap::new();
        while let Some(done) = set.join_next().await {
            let (key, j) = done.expect("judgement task does not panic");
            out.insert(key, j);
            progress.advance(1);
        }
        out
    });
    progress.finish();
    judged
        .map_err(|e| CheckError { check: check.to_owned(), message: format!("AI 评估运行失败：{e}") })
}

/// The judge of one evaluation: made when the first chunk of accounts is observed (or by
/// [`close`](JudgeSlot::close) when there was none, so that a bad profile is still an error),
/// and closed by the check's `prepare`, which takes its token usage.
#[derive(Default)]
pub(crate) struct JudgeSlot(Option<Arc<Judge>>);

impl JudgeSlot {
    /// The evaluation's judge; in an `--offline` run it answers from the cache only.
    pub(crate) fn get(
        &mut self,
        check: &str,
        profile: &Profile,
        cache: &Arc<dyn JudgementCache>,
        survey: &Survey,
    ) -> Result<Arc<Judge>, CheckError> {
        if let Some(judge) = &self.0 {
            return Ok(judge.clone());
        }
        let judge = Judge::new(profile, cache.clone())
            .map_err(|e| CheckError { check: check.to_owned(), message: e.to_string() })?;
        let judge = Arc::new(if survey.offline { judge.cache_only() } else { judge });
        self.0 = Some(judge.clone());
        Ok(judge)
    }

    /// Ends the evaluation's judging: logs and returns the token usage.
    pub(crate) fn close(
        &mut self,
        check: &str,
        profile: &Profile,
        cache: &Arc<dyn JudgementCache>,
        survey: &Survey,
    ) -> Result<Usage, CheckError> {
        let usage = self.get(check, profile, cache, survey)?.usage();
        self.0 = None;
        log_usage(check, &usage);
        Ok(usage)
    }
}

fn in_period_articles<'a>(survey: &'a Survey, account: &'a AccountData) -> impl Iterator<Item = &'a Article> {
    survey.in_period(account).filter(|a| a.deleted != Some(true))
}

/// The last `limit` items (articles are oldest first), or all.
fn latest<'a>(articles: impl Iterator<Item = &'a Article>, limit: Option<usize>) -> Vec<&'a Article> {
    let mut all: Vec<&Article> = articles.collect();
    if let Some(n) = limit {
        all.drain(..all.len().saturating_sub(n));
    }
    all
}

/// Counts of how judgements ended, for stats and not-evaluated reasons.
#[derive(Default)]
pub(crate) struct Tally {
    pub(crate) usable: u64,
    pub(crate) unusable: u64,
    pub(crate) failed: u64,
    cached: u64,
    prompt_tokens: u64,
    completion_tokens: u64,
    first_failure: Option<String>,
    first_unusable: Option<String>,
}

impl Tally {
    pub(crate) fn add<T>(&mut self, j: &Judgement<T>) {
        match &j.verdict {
            Verdict::Usable { .. } => self.usable += 1,
            Verdict::Unusable { reason } => {
                self.unusable += 1;
                self.first_unusable.get_or_insert_with(|| reason.clone());
            }
            Verdict::Failed { error } => {
                self.failed += 1;
                self.first_failure.get_or_insert_with(|| error.clone());
            }
        }
        self.cached += u64::from(j.cached);
        self.prompt_tokens += j.prompt_tokens;
        self.completion_tokens += j.completion_tokens;
    }

    /// Why nothing usable came back, in Chinese.
    pub(crate) fn reason(&self, what: &str) -> String {
        let mut parts = Vec::new();
        if self.failed > 0 {
            parts.push(format!(
                "{} 次调用失败（{}）",
                self.failed,
                self.first_failure.as_deref().unwrap_or("")
            ));
        }
        if self.unusable > 0 {
            parts.push(format!(
                "{} 次回答无效（{}）",
                self.unusable,
                self.first_unusable.as_deref().unwrap_or("")
            ));
        }
        format!("AI智评未得到可用的{what}结果：{}", parts.join("；"))
    }

    pub(crate) fn write(&self, stats: &mut serde_json::Map<String, Value>, prefix: &str, profile: &Profile) {
        stats.insert(format!("{prefix}_usable"), self.usable.into());
        stats.insert(format!("{prefix}_unusable"), self.unusable.into());
        stats.insert(format!("{prefix}_failed"), self.failed.into());
        stats.insert(format!("{prefix}_cached"), self.cached.into());
        stats.insert(format!("{prefix}_prompt_tokens"), self.prompt_tokens.into());
        stats.insert(format!("{prefix}_completion_tokens"), self.completion_tokens.into());
        let cost = crate::client::cost(profile, self.prompt_tokens, self.completion_tokens);
        stats.insert(format!("{prefix}_cost_cny"), json!((cost * 10_000.0).round() / 10_000.0));
    }
}

/// For distributed evaluation: a check's judgements as JSON text, a list of (key, judgement)
/// pairs (the keys of some are tuples, which JSON object keys cannot be). The model is called
/// in the first pass, by whichever process observes the chunk; the judgements then travel with
/// the observations and the preparation like any check's.
pub(crate) fn encode_results<K: serde::Serialize, V: serde::Serialize>(
    results: &HashMap<K, V>,
) -> Option<String> {
    govmedia_checks::encode(&results.iter().collect::<Vec<_>>())
}

/// The methods of [`Check`] that hand an AI check's `results` (its judgements by key) to other
/// processes: the same for every AI check.
macro_rules! hand_over_judgements {
    () => {
        fn take_observed(&mut self) -> Option<String> {
            $crate::checks::encode_results(&std::mem::take(&mut self.results))
        }

        fn absorb(&mut self, observed: &str) -> Result<(), CheckError> {
            self.results.extend($crate::checks::decode_results(Self::NAME, observed)?);
            Ok(())
        }

        fn prepared(&self) -> Option<String> {
            $crate::checks::encode_results(&self.results)
        }

        fn absorb_prepared(&mut self, prepared: &str) -> Result<(), CheckError> {
            self.results = $crate::checks::decode_results(Self::NAME, prepared)?.into_iter().collect();
            Ok(())
        }
    };
}
pub(crate) use hand_over_judgements;

/// Reads what [`encode_results`] wrote.
pub(crate) fn decode_results<K: serde::de::DeserializeOwned, V: serde::de::DeserializeOwned>(
    check: &str,
    text: &str,
) -> Result<Vec<(K, V)>, CheckError> {
    govmedia_checks::decode(check, text)
}

pub(crate) fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

fn log_usage(check: &str, u: &Usage) {
    tracing::info!(
        "{check}：{} 次请求（重试 {}，失败 {}），提示 {} tokens，生成 {} tokens，估算费用 ¥{:.4}",
        u.requests,
        u.retries,
        u.failures,
        u.prompt_tokens,
        u.completion_tokens,
        u.cost_cny
    );
}

/// What the model said about one article.
#[derive(serde::Serialize, serde::Deserialize)]
struct ArticleJudgements {
    category: Judgement<CategoryJudgement>,
    quality: Option<Judgement<QualityJudgement>>,
    review: Option<Judgement<ReviewJudgement>>,
}

/// Refuses a profile whose model the policy forbids or whose API key is missing, before any
/// check is built on it.
pub(crate) fn admit(profile: &Profile) -> Result<(), AiError> {
    profile.policy.check(&profile.model, &profile.base_url)?;
    profile.api_key()?;
    Ok(())
}

/// The model's quality (0–1) from which an article is an excellent-article candidate: 7 of 10
/// on average over its four dimensions.
pub const EXCELLENT_QUALITY: f64 = 0.7;

/// Category, quality score and wording review per article.
pub struct AiQualityCheck {
    profile: Profile,
    cache: Arc<dyn JudgementCache>,
    offline: Option<OfflineClassifier>,
    results: HashMap<String, ArticleJudgements>,
    judge: JudgeSlot,
    usage: Option<Usage>,
}

impl AiQualityCheck {
    pub const NAME: &'static str = "ai_quality";

    /// Fails when the policy forbids the model or its key is missing.
    pub fn new(profile: &Profile, cache: Arc<dyn JudgementCache>) -> Result<Self, AiError> {
        admit(profile)?;
        Ok(AiQualityCheck {
            profile: profile.clone(),
            cache,
            offline: None,
            results: HashMap::new(),
            judge: JudgeSlot::default(),
            usage: None,
        })
    }

    /// Compares the model's category with an offline classifier's.
    pub fn with_offline_classifier(mut self, classifier: OfflineClassifier) -> Self {
        self.offline = Some(classifier);
        self
    }

    /// Totals of the last `prepare`.
    pub fn usage(&self) -> Option<Usage> {
        self.usage
    }

    /// The offline category: the classifier's, else a `category` the dataset carries.
    fn offline_category(&self, a: &Article) -> Option<String> {
        self.offline
            .as_ref()
            .and_then(|f| f(a))
            .or_else(|| a.extra.get("category").and_then(Value::as_str).map(str::to_owned))
    }

    fn review_findings(&self, a: &Article, j: &Judgement<ReviewJudgement>, findings: &mut Vec<Finding>) {
        let Some(review) = j.answer() else { return };
        for issue in &review.issues {
            let (what, severity) = match (issue.kind, issue.severity) {
                (IssueKind::PoliticalWording, IssueSeverity::Major) => ("政治性表述错误", Severity::Major),
                (IssueKind::PoliticalWording, IssueSeverity::Minor) => ("政治性表述不规范", Severity::Minor),
                (IssueKind::Factual, s) => {
                    ("事实性错误", if s == IssueSeverity::Major { Severity::Major } else { Severity::Minor })
                }
                (IssueKind::Wording, IssueSeverity::Major) => ("表述错误", Severity::Major),
                (IssueKind::Wording, IssueSeverity::Minor) => ("表述不规范", Severity::Minor),
            };
            let advice = if issue.suggestion.is_empty() {
                String::new()
            } else {
                format!("（建议：{}）", issue.suggestion)
            };
            let mut f = Finding::new(
                FindingCode::ContentWordingError,
                severity,
                format!("AI智评：文章《{}》疑似存在{what}：“{}”{advice}", a.title, issue.quote),
            )
            .with("url", a.url.clone())
            .with("title", a.title.clone())
            .with("excerpt", issue.quote.clone())
            .with("kind", issue.kind.label())
            .with("field", serde_json::to_value(issue.field).expect("field serialises"))
            .with("start", issue.start)
            .with("end", issue.end)
            .with("model", j.model.clone())
            .with("prompt_version", j.prompt_version.clone());
            if !issue.suggestion.is_empty() {
                f = f.with("suggestion", issue.suggestion.clone());
            }
            f.ai_derived = true;
            findings.push(f);
        }
    }
}

async fn judge_article(judge: &Judge, title: &str, text: &str) -> ArticleJudgements {
    if text.is_empty() {
        return ArticleJudgements {
            category: judge.category(title, "（无正文）").await,
            quality: None,
            review: None,
        };
    }
    ArticleJudgements {
        category: judge.category(title, text).await,
        quality: Some(judge.quality(title, text).await),
        review: Some(judge.review(title, text).await),
    }
}

impl Check for AiQualityCheck {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    hand_over_judgements!();

    fn observe(
        &mut self,
        survey: &Survey,
        accounts: &[AccountData],
        progress: &dyn Progress,
    ) -> Result<(), CheckError> {
        let judge = self.judge.get(Self::NAME, &self.profile, &self.cache, survey)?;
        let mut seen = BTreeSet::new();
        let limit = self.profile.max_articles_per_account;
        let items: Vec<(String, String, String)> = accounts
            .iter()
            .flat_map(|acc| latest(in_period_articles(survey, acc), limit))
            .filter(|a| !self.results.contains_key(&a.url) && seen.insert(a.url.clone()))
            .map(|a| (a.url.clone(), a.title.clone(), article_text(a)))
            .collect();
        let judged = judge_all(
            Self::NAME,
            "AI智评：内容质量",
            &judge,
            items,
            progress,
            |judge, (url, title, text)| async move { (url, judge_article(&judge, &title, &text).await) },
        )?;
        self.results.extend(judged);
        Ok(())
    }

    fn prepare(&mut self, survey: &Survey, _progress: &dyn Progress) -> Result<(), CheckError> {
        self.usage = Some(self.judge.close(Self::NAME, &self.profile, &self.cache, survey)?);
        Ok(())
    }

    fn assess(&self, survey: &Survey, account: &AccountData) -> Outcome {
        let mut out = Assessment::default();
        let articles: Vec<&Article> = in_period_articles(survey, account).collect();
        if articles.is_empty() {
            out.not_evaluated.insert("score".into(), "统计期内没有文章，未进行 AI 内容质量评估".into());
            return Outcome::Evaluated(out);
        }
        let (mut categories, mut quality, mut review) =
            (Tally::default(), Tally::default(), Tally::default());
        let mut scores = Vec::new();
        let mut dims: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        let mut compared = 0u64;
        let mut disagreements = Vec::new();
        let mut versions = BTreeSet::new();
        let mut judged = 0u64;
        for a in articles {
            let Some(r) = self.results.get(&a.url) else { continue };
            judged += 1;
            let mut note =
                ArticleNote { url: a.url.clone(), source: NoteSource::Model, ..ArticleNote::default() };
            categories.add(&r.category);
            versions.insert(r.category.prompt_version.clone());
            if let Some(c) = r.category.answer() {
                note.category = Some(c.category.label().to_owned());
                if let Some(offline) = self.offline_category(a) {
                    compared += 1;
                    if offline != c.category.label() {
                        disagreements.push(json!({"url": a.url, "title": a.title, "offline": offline, "ai": c.category.label()}));
                    }
                }
            }
            if let Some(q) = &r.quality {
                quality.add(q);
                versions.insert(q.prompt_version.clone());
                if let Some(ans) = q.answer() {
                    scores.push(ans.score());
                    note.quality = Some(ans.score());
                    note.excellent = Some(ans.score() >= EXCELLENT_QUALITY && a.deleted != Some(true));
                    for (k, v) in [
                        ("original_insight", ans.original_insight),
                        ("readability", ans.readability),
                        ("usefulness", ans.usefulness),
                        ("correct_wording", ans.correct_wording),
                    ] {
                        dims.entry(k).or_default().push(f64::from(v) / 10.0);
                    }
                }
            }
            if let Some(rv) = &r.review {
                review.add(rv);
                versions.insert(rv.prompt_version.clone());
                self.review_findings(a, rv, &mut out.findings);
            }
            if note.category.is_some() || note.quality.is_some() {
                out.articles.push(note);
            }
        }
        if judged == 0 {
            return Outcome::NotEvaluated("AI智评准备阶段未运行，没有判断结果".into());
        }
        match mean(&scores) {
            Some(m) => {
                out.metrics.insert("score".into(), m);
                for (k, v) in &dims {
                    out.metrics.insert((*k).to_owned(), mean(v).expect("non-empty"));
                }
            }
            None if quality.usable + quality.unusable + quality.failed == 0 => {
                out.not_evaluated
                    .insert("score".into(), "统计期内文章均无正文，无法进行 AI 内容质量评估".into());
            }
            None => {
                out.not_evaluated.insert("score".into(), quality.reason("内容质量"));
            }
        }
        if review.usable == 0 && review.unusable + review.failed > 0 {
            out.not_evaluated.insert("wording_review".into(), review.reason("表述审读"));
        }
        let s = &mut out.stats;
        s.insert("ai_model".into(), self.profile.model.clone().into());
        s.insert("ai_prompt_versions".into(), versions.into_iter().collect::<Vec<_>>().into());
        s.insert("ai_articles_judged".into(), judged.into());
        if let Some(n) = self.profile.max_articles_per_account {
            s.insert("ai_articles_limit".into(), n.into());
        }
        categories.write(s, "ai_category", &self.profile);
        quality.write(s, "ai_quality", &self.profile);
        review.write(s, "ai_review", &self.profile);
        if compared > 0 {
            s.insert("ai_category_compared".into(), compared.into());
            s.insert("ai_category_disagreements".into(), disagreements.len().into());
            disagreements.truncate(20);
            s.insert("ai_category_disagreement_examples".into(), disagreements.into());
        }
        Outcome::Evaluated(out)
    }
}

/// One reply the model found wanting. The comment text is already masked (stored masked).
fn poor_reply_finding(
    j: &Judgement<ReplyJudgement>,
    ans: &ReplyJudgement,
    labels: &[&str],
    url: &str,
    title: &str,
    comment: &str,
    reply: &str,
) -> Finding {
    let mut f = Finding::new(
        FindingCode::InteractionPoorReply,
        Severity::Minor,
        format!(
            "AI智评：文章《{title}》下对留言“{}”的回复“{}”存在{}（{}）",
            govmedia_pii::clip(comment, 30),
            govmedia_pii::clip(reply, 30),
            labels.join("、"),
            ans.reason
        ),
    )
    .with("url", url)
    .with("title", title)
    .with("comment", comment)
    .with("reply", reply)
    .with("problems", labels.to_vec())
    .with("score", ans.score)
    .with("model", j.model.clone())
    .with("prompt_version", j.prompt_version.clone());
    f.ai_derived = true;
    f
}

/// Reply quality for comments the account answered.
pub struct AiReplyQualityCheck {
    profile: Profile,
    cache: Arc<dyn JudgementCache>,
    /// By (article url, comment index).
    results: HashMap<(String, usize), Judgement<ReplyJudgement>>,
    judge: JudgeSlot,
    usage: Option<Usage>,
}

impl AiReplyQualityCheck {
    pub const NAME: &'static str = "ai_reply_quality";

    pub fn new(profile: &Profile, cache: Arc<dyn JudgementCache>) -> Result<Self, AiError> {
        admit(profile)?;
        Ok(AiReplyQualityCheck {
            profile: profile.clone(),
            cache,
            results: HashMap::new(),
            judge: JudgeSlot::default(),
            usage: None,
        })
    }

    pub fn usage(&self) -> Option<Usage> {
        self.usage
    }
}

/// (url, comment index, title, comment, reply) of every answered comment.
fn replied(articles: impl Iterator<Item = Article>) -> Vec<(String, usize, String, String, String)> {
    articles
        .flat_map(|a| {
            a.comments
                .iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    let reply = c.reply.as_ref().filter(|r| !r.text.trim().is_empty())?;
                    Some((a.url.clone(), i, a.title.clone(), c.text.clone(), reply.text.clone()))
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

impl Check for AiReplyQualityCheck {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    hand_over_judgements!();

    fn observe(
        &mut self,
        survey: &Survey,
        accounts: &[AccountData],
        progress: &dyn Progress,
    ) -> Result<(), CheckError> {
        let judge = self.judge.get(Self::NAME, &self.profile, &self.cache, survey)?;
        // A URL is one article: the store keeps one row per URL.
        let mut seen = BTreeSet::new();
        let items = replied(
            accounts
                .iter()
                .flat_map(|acc| in_period_articles(survey, acc))
                .filter(|a| seen.insert(a.url.clone()))
                .cloned(),
        );
        let judged = judge_all(
            Self::NAME,
            "AI智评：留言回复质量",
            &judge,
            items,
            progress,
            |judge, (url, i, title, comment, reply)| async move {
                ((url, i), judge.reply(&title, &comment, &reply).await)
            },
        )?;
        self.results.extend(judged);
        Ok(())
    }

    fn prepare(&mut self, survey: &Survey, _progress: &dyn Progress) -> Result<(), CheckError> {
        self.usage = Some(self.judge.close(Self::NAME, &self.profile, &self.cache, survey)?);
        Ok(())
    }

    fn assess(&self, survey: &Survey, account: &AccountData) -> Outcome {
        let mut out = Assessment::default();
        let items = replied(in_period_articles(survey, account).cloned());
        if items.is_empty() {
            out.not_evaluated
                .insert("score".into(), "统计期内没有已回复的留言，未进行 AI 回复质量评估".into());
            return Outcome::Evaluated(out);
        }
        let mut tally = Tally::default();
        let mut scores = Vec::new();
        let mut problems: BTreeMap<&str, u64> = BTreeMap::new();
        let mut examples = Vec::new();
        for (url, i, title, comment, reply) in items {
            let Some(j) = self.results.get(&(url.clone(), i)) else { continue };
            tally.add(j);
            let Some(ans) = j.answer() else { continue };
            scores.push(f64::from(ans.score) / 10.0);
            for p in &ans.problems {
                *problems.entry(p.label()).or_default() += 1;
            }
            if !ans.problems.is_empty() {
                let labels: Vec<&str> = ans.problems.iter().map(|p| p.label()).collect();
                if examples.len() < 10 {
                    examples.push(json!({"url": url, "title": title, "comment": comment, "reply": reply,
                        "problems": labels, "score": ans.score, "reason": ans.reason}));
                }
                out.findings.push(poor_reply_finding(j, ans, &labels, &url, &title, &comment, &reply));
            }
        }
        if tally.usable + tally.unusable + tally.failed == 0 {
            return Outcome::NotEvaluated("AI智评准备阶段未运行，没有判断结果".into());
        }
        match mean(&scores) {
            Some(m) => {
                out.metrics.insert("score".into(), m);
            }
            None => {
                out.not_evaluated.insert("score".into(), tally.reason("回复质量"));
            }
        }
        let s = &mut out.stats;
        // Account stats of all checks are merged flat: every key here is the reply check's own.
        s.insert("ai_reply_model".into(), self.profile.model.clone().into());
        s.insert("ai_reply_prompt_version".into(), crate::prompts::Task::Reply.version().into());
        tally.write(s, "ai_reply", &self.profile);
        s.insert("ai_reply_problems".into(), json!(problems));
        s.insert("ai_reply_problem_examples".into(), examples.into());
        Outcome::Evaluated(out)
    }
}

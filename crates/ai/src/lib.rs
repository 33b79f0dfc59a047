//! AI evaluation (AI智评) with domestic large models over OpenAI-compatible endpoints.
//!
//! An optional layer over the offline checks: a [`Profile`] names a provider (DeepSeek, Qwen
//! through DashScope, Doubao through Ark, a local vLLM or Ollama), the [`Policy`] refuses models
//! that are not domestic, versioned templates in `prompts/` ask for strict JSON that
//! [`schema`] validates (one repair turn; an unusable answer is recorded, never guessed), and a
//! [`JudgementCache`] keyed by (prompt version, model, content hash) makes re-runs free.

pub mod cache;
pub mod checks;
pub mod client;
pub mod config;
mod error;
pub mod judge;
pub mod policy;
pub mod prompts;
pub mod relevance;
pub mod schema;
pub mod text;
pub mod timeliness;

use std::sync::Arc;

use govmedia_checks::Check;
use serde::Serialize;

pub use cache::{CacheKey, FileCache, JudgementCache, MemoryCache};
pub use checks::{AiQualityCheck, AiReplyQualityCheck, OfflineClassifier};
pub use client::{ChatClient, Usage};
pub use config::{AiConfig, Profile};
pub use error::AiError;
pub use judge::{Judge, Judgement, Verdict};
pub use policy::Policy;
pub use relevance::judge_relevance;
pub use schema::{CategoryJudgement, QualityJudgement, RelevanceJudgement, ReplyJudgement, ReviewJudgement};
pub use timeliness::AiTimelinessCheck;

/// The AI checks for a profile: `ai_quality`, `ai_reply_quality` and `ai_timeliness`. Fails
/// at once when the policy forbids the model or its API key is not in the environment.
pub fn ai_checks(profile: &Profile, cache: Arc<dyn JudgementCache>) -> Result<Vec<Box<dyn Check>>, AiError> {
    ai_checks_with(profile, cache, None)
}

/// As [`ai_checks`], comparing the model's categories with an offline classifier's.
pub fn ai_checks_with(
    profile: &Profile,
    cache: Arc<dyn JudgementCache>,
    offline: Option<OfflineClassifier>,
) -> Result<Vec<Box<dyn Check>>, AiError> {
    let mut quality = AiQualityCheck::new(profile, cache.clone())?;
    if let Some(f) = offline {
        quality = quality.with_offline_classifier(f);
    }
    Ok(vec![
        Box::new(quality),
        Box::new(AiReplyQualityCheck::new(profile, cache.clone())?),
        Box::new(AiTimelinessCheck::new(profile, cache)?),
    ])
}

/// Everything the model said about one article (`govmedia ai-check PROFILE`).
#[derive(Debug, Clone, Serialize)]
pub struct Judgements {
    pub model: String,
    pub category: Judgement<CategoryJudgement>,
    pub quality: Judgement<QualityJudgement>,
    pub review: Judgement<ReviewJudgement>,
    pub usage: Usage,
}

impl Judgements {
    /// A Chinese summary for the terminal.
    pub fn summary(&self) -> String {
        fn line<T>(name: &str, j: &Judgement<T>, ok: impl Fn(&T) -> String) -> String {
            let body = match &j.verdict {
                Verdict::Usable { answer } => ok(answer),
                Verdict::Unusable { reason } => format!("回答无效：{reason}"),
                Verdict::Failed { error } => format!("调用失败：{error}"),
            };
            format!("{name}（{}）：{body}\n", j.prompt_version)
        }
        let mut out = format!("模型：{}\n", self.model);
        out += &line("文章分类", &self.category, |c| {
            format!("{}（置信度 {:.2}）{}", c.category.label(), c.confidence, c.reason)
        });
        out += &line("内容质量", &self.quality, |q| {
            format!(
                "{:.2}（原创见解 {}，可读性 {}，实用性 {}，表述规范 {}）{}",
                q.score(),
                q.original_insight,
                q.readability,
                q.usefulness,
                q.correct_wording,
                q.rationale
            )
        });
        out += &line("表述审读", &self.review, |r| {
            if r.issues.is_empty() {
                "未发现问题".to_owned()
            } else {
                let items: Vec<String> = r
                    .issues
                    .iter()
                    .map(|i| {
                        format!("“{}”（{}，{}）{}", i.quote, i.kind.label(), i.severity.label(), i.suggestion)
                    })
                    .collect();
                format!("{} 处：{}", items.len(), items.join("；"))
            }
        });
        let u = &self.usage;
        out += &format!(
            "用量：{} 次请求（重试 {}），提示 {} tokens，生成 {} tokens，估算费用 ¥{:.4}\n",
            u.requests, u.retries, u.prompt_tokens, u.completion_tokens, u.cost_cny
        );
        out
    }

    /// The first failed call, if any: `ai-check` should exit non-zero then.
    pub fn first_failure(&self) -> Option<&str> {
        [&self.category.verdict as &dyn VerdictError, &self.quality.verdict, &self.review.verdict]
            .into_iter()
            .find_map(|v| v.error())
    }
}

trait VerdictError {
    fn error(&self) -> Option<&str>;
}

impl<T> VerdictError for Verdict<T> {
    fn error(&self) -> Option<&str> {
        match self {
            Verdict::Failed { error } => Some(error),
            _ => None,
        }
    }
}

/// Judges one article with a profile, without a persistent cache. Must run inside a Tokio
/// runtime. Fails when the policy forbids the model or the key is missing; failed calls are in
/// the verdicts (see [`Judgements::first_failure`]).
pub async fn ai_check_one(profile: &Profile, title: &str, content: &str) -> Result<Judgements, AiError> {
    let judge = Judge::new(profile, Arc::new(MemoryCache::new()))?;
    let category = judge.category(title, content).await;
    let quality = judge.quality(title, content).await;
    let review = judge.review(title, content).await;
    Ok(Judgements { model: judge.model().to_owned(), category, quality, review, usage: judge.usage() })
}

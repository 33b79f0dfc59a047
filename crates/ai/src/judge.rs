//! Asking a model for one judgement: render the template, look in the cache, call, validate,
//! repair once, record.
//!
//! Outcomes are three, never a guess: a usable answer, an unusable one (the model answered
//! twice and neither answer passed validation; cached, since asking again would cost the same
//! and prove nothing) and a failed call (network, quota, timeout; not cached, so the next run
//! tries again).

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::cache::{CacheKey, JudgementCache};
use crate::client::{ChatAnswer, ChatClient, Message, Usage};
use crate::prompts::Task;
use crate::schema::{
    Answer, CategoryJudgement, QualityJudgement, RelevanceJudgement, ReplyJudgement, ReviewContext,
    ReviewJudgement, extract_json,
};
use crate::{AiError, Profile};

/// What came of one judgement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Verdict<T> {
    Usable {
        answer: T,
    },
    /// The model's answers failed validation, first and after the repair turn.
    Unusable {
        reason: String,
    },
    /// The call itself failed.
    Failed {
        error: String,
    },
}

/// One judgement with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Judgement<T> {
    pub verdict: Verdict<T>,
    pub model: String,
    pub prompt_version: String,
    /// Read from the cache: no call was made.
    pub cached: bool,
    /// Model calls made for this judgement (0 from the cache, 2 after a repair).
    pub calls: u32,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

impl<T> Judgement<T> {
    pub fn answer(&self) -> Option<&T> {
        match &self.verdict {
            Verdict::Usable { answer } => Some(answer),
            _ => None,
        }
    }
}

/// What the cache holds for a key.
#[derive(Serialize, Deserialize)]
struct Envelope {
    status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    answer: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    model: String,
    prompt_version: String,
    judged_at: String,
}

/// Judges texts with one profile, through a cache.
pub struct Judge {
    client: ChatClient,
    cache: Arc<dyn JudgementCache>,
    cache_only: bool,
}

impl Judge {
    /// Fails when the policy forbids the model or the key is missing.
    pub fn new(profile: &Profile, cache: Arc<dyn JudgementCache>) -> Result<Self, AiError> {
        Ok(Judge { client: ChatClient::new(profile)?, cache, cache_only: false })
    }

    /// Answers from the cache only, for `--offline` runs: a judgement not in the cache fails
    /// without a call.
    pub fn cache_only(mut self) -> Self {
        self.cache_only = true;
        self
    }

    pub fn model(&self) -> &str {
        &self.client.profile().model
    }

    pub fn usage(&self) -> Usage {
        self.client.usage()
    }

    /// The body as sent: personal data masked, then cut to the profile's limit so cost stays
    /// bounded.
    fn body(&self, content: &str) -> String {
        let content = masked(content);
        let max = self.client.profile().max_content_chars;
        match content.char_indices().nth(max) {
            Some((i, _)) => format!("{}……（正文过长，以下已截断）", &content[..i]),
            None => content,
        }
    }

    pub async fn category(&self, title: &str, content: &str) -> Judgement<CategoryJudgement> {
        let (title, body) = (masked(title), self.body(content));
        self.run(&[("title", title.as_str()), ("content", body.as_str())], &()).await
    }

    pub async fn quality(&self, title: &str, content: &str) -> Judgement<QualityJudgement> {
        let (title, body) = (masked(title), self.body(content));
        self.run(&[("title", title.as_str()), ("content", body.as_str())], &()).await
    }

    /// Spans in the answer are character offsets in the text as sent (masked, cut), which
    /// differ from the original only after a masked e-mail address or past the cut.
    pub async fn review(&self, title: &str, content: &str) -> Judgement<ReviewJudgement> {
        let (title, body) = (masked(title), self.body(content));
        let ctx = ReviewContext { title: title.clone(), content: body.clone() };
        self.run(&[("title", title.as_str()), ("content", body.as_str())], &ctx).await
    }

    /// Comments are stored masked; both texts are masked again here all the same.
    pub async fn reply(&self, title: &str, comment: &str, reply: &str) -> Judgement<ReplyJudgement> {
        let (title, comment, reply) = (masked(title), masked(comment), masked(reply));
        self.run(&[("title", title.as_str()), ("comment", comment.as_str()), ("reply", reply.as_str())], &())
            .await
    }

    pub async fn relevance(
        &self,
        event: &govmedia_model::Event,
        title: &str,
        content: &str,
    ) -> Judgement<RelevanceJudgement> {
        let when = govmedia_model::time::local_date(&event.occurred_at).to_string();
        let keywords = event.keywords.join("、");
        let (title, body) = (masked(title), self.body(content));
        let vars = [
            ("event", event.title.as_str()),
            ("event_time", when.as_str()),
            ("keywords", keywords.as_str()),
            ("title", title.as_str()),
            ("content", body.as_str()),
        ];
        self.run(&vars, &()).await
    }

    async fn run<T: Answer>(&self, vars: &[(&str, &str)], ctx: &T::Context) -> Judgement<T> {
        let version = T::TASK.version();
        let model = self.model().to_owned();
        let mut judgement = Judgement {
            verdict: Verdict::Failed { error: String::new() },
            model: model.clone(),
            prompt_version: version.to_owned(),
            cached: false,
            calls: 0,
            prompt_tokens: 0,
            completion_tokens: 0,
        };
        let mut messages: Vec<Message> = match T::TASK.template().render(vars) {
            Ok((system, user)) => {
                system.map(Message::system).into_iter().chain([Message::user(user)]).collect()
            }
            Err(e) => {
                judgement.verdict = Verdict::Failed { error: e.to_string() };
                return judgement;
            }
        };
        let sent = serde_json::to_string(&messages).expect("messages serialise");
        let key = CacheKey::new(version, &model, &sent);
        if let Some(verdict) = self.cached::<T>(&key, ctx) {
            judgement.verdict = verdict;
            judgement.cached = true;
            return judgement;
        }
        if self.cache_only {
            judgement.verdict = Verdict::Failed {
                error: "离线模式：缓存中没有该判断，未调用模型".to_owned(),
            };
            return judgement;
        }

        let first = match self.call(&mut judgement, &messages).await {
            Ok(a) => a,
            Err(e) => return judgement.failed(e),
        };
        let first_error = match accept::<T>(&first, ctx) {
            Ok((value, answer)) => return self.usable(judgement, &key, value, answer),
            Err(e) => e,
        };
        tracing::debug!(version, "AI 回答未通过校验，发送修复请求：{first_error}");
        let repair = match Task::Repair.template().render(&[("error", first_error.as_str())]) {
            Ok((_, user)) => user,
            Err(e) => return judgement.failed(e),
        };
        messages.push(Message::assistant(first.content));
        messages.push(Message::user(repair));
        let second = match self.call(&mut judgement, &messages).await {
            Ok(a) => a,
            Err(e) => return judgement.failed(e),
        };
        match accept::<T>(&second, ctx) {
            Ok((value, answer)) => self.usable(judgement, &key, value, answer),
            Err(second_error) => {
                let reason = format!("首次回答：{first_error}；修复后仍无效：{second_error}");
                self.store(&key, Envelope::new("unusable", None, Some(reason.clone()), &model, version));
                judgement.verdict = Verdict::Unusable { reason };
                judgement
            }
        }
    }

    async fn call<T>(
        &self,
        judgement: &mut Judgement<T>,
        messages: &[Message],
    ) -> Result<ChatAnswer, AiError> {
        let answer = self.client.chat(messages).await?;
        judgement.calls += 1;
        judgement.prompt_tokens += answer.prompt_tokens;
        judgement.completion_tokens += answer.completion_tokens;
        Ok(answer)
    }

    fn cached<T: Answer>(&self, key: &CacheKey, ctx: &T::Context) -> Option<Verdict<T>> {
        let env: Envelope = serde_json::from_str(&self.cache.get(key)?).ok()?;
        match env.status.as_str() {
            // Re-validated: a cached answer that today's checks reject is asked again.
            "usable" => T::validate(env.answer.as_ref()?, ctx).ok().map(|answer| Verdict::Usable { answer }),
            "unusable" => Some(Verdict::Unusable { reason: env.reason.unwrap_or_default() }),
            _ => None,
        }
    }

    fn usable<T>(
        &self,
        mut judgement: Judgement<T>,
        key: &CacheKey,
        value: Value,
        answer: T,
    ) -> Judgement<T> {
        let env = Envelope::new("usable", Some(value), None, &judgement.model, &judgement.prompt_version);
        self.store(key, env);
        judgement.verdict = Verdict::Usable { answer };
        judgement
    }

    fn store(&self, key: &CacheKey, env: Envelope) {
        self.cache.put(key, &serde_json::to_string(&env).expect("envelope serialises"));
    }
}

impl<T> Judgement<T> {
    fn failed(mut self, e: AiError) -> Self {
        self.verdict = Verdict::Failed { error: e.to_string() };
        self
    }
}

impl Envelope {
    fn new(status: &str, answer: Option<Value>, reason: Option<String>, model: &str, version: &str) -> Self {
        Envelope {
            status: status.to_owned(),
            answer,
            reason,
            model: model.to_owned(),
            prompt_version: version.to_owned(),
            judged_at: chrono::Utc::now().to_rfc3339(),
        }
    }
}

/// Personal data never leaves the machine unmasked (compliance: only masked text is processed).
fn masked(text: &str) -> String {
    govmedia_pii::mask(text).0
}

/// Parses and validates one answer; the error is what the repair turn sends back.
fn accept<T: Answer>(answer: &ChatAnswer, ctx: &T::Context) -> Result<(Value, T), String> {
    let value = extract_json(&answer.content).map_err(|e| {
        if answer.finish_reason.as_deref() == Some("length") {
            format!("{e}（回答达到长度上限被截断，请精简理由文字）")
        } else {
            e
        }
    })?;
    let parsed = T::validate(&value, ctx)?;
    Ok((value, parsed))
}

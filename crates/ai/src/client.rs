//! A thin client for OpenAI-compatible `/chat/completions` endpoints.
//!
//! It bounds requests in flight (a semaphore), spaces request starts (a per-minute rate),
//! times every request out, retries 429 and 5xx only, with exponential backoff and jitter, and
//! honours the server's Retry-After. Other errors are returned at once: a 400 will not get
//! better by asking again, and a timeout already cost the full wait. Tokens are counted from
//! the `usage` the server reports.

use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tokio::sync::{Mutex, Semaphore};

use crate::{AiError, Profile};

/// One chat message. DeepSeek wants string content, so it is always a string.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    pub role: &'static str,
    pub content: String,
}

impl Message {
    pub fn system(content: impl Into<String>) -> Self {
        Message { role: "system", content: content.into() }
    }
    pub fn user(content: impl Into<String>) -> Self {
        Message { role: "user", content: content.into() }
    }
    pub fn assistant(content: impl Into<String>) -> Self {
        Message { role: "assistant", content: content.into() }
    }
}

/// The text of the first choice and what it cost.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatAnswer {
    pub content: String,
    /// `length` means the answer was cut at the token limit.
    pub finish_reason: Option<String>,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

/// Totals of one run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Usage {
    /// HTTP requests sent, retries included.
    pub requests: u64,
    /// Requests that were retries after a 429 or 5xx.
    pub retries: u64,
    /// Calls that ended in an error after any retries.
    pub failures: u64,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    /// Estimated cost in yuan from the profile's prices.
    pub cost_cny: f64,
}

#[derive(Default)]
struct Counters {
    requests: AtomicU64,
    retries: AtomicU64,
    failures: AtomicU64,
    prompt_tokens: AtomicU64,
    completion_tokens: AtomicU64,
}

#[derive(Serialize)]
struct Request<'a> {
    model: &'a str,
    messages: &'a [Message],
    stream: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    temperature: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_tokens: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    response_format: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Response {
    choices: Vec<Choice>,
    #[serde(default)]
    usage: Option<ResponseUsage>,
}

#[derive(Deserialize)]
struct Choice {
    message: ResponseMessage,
    #[serde(default)]
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct ResponseMessage {
    #[serde(default)]
    content: Option<String>,
}

#[derive(Deserialize)]
struct ResponseUsage {
    #[serde(default)]
    prompt_tokens: u64,
    #[serde(default)]
    completion_tokens: u64,
}

/// Spaces request starts evenly: at most `per_minute` starts in any minute.
struct RateLimiter {
    interval: Duration,
    next: Mutex<Instant>,
}

impl RateLimiter {
    async fn wait(&self) {
        let at = {
            let mut next = self.next.lock().await;
            let at = (*next).max(Instant::now());
            *next = at + self.interval;
            at
        };
        tokio::time::sleep_until(at.into()).await;
    }
}

/// A client bound to one profile. Cheap to share behind an `Arc`; must be used inside a
/// Tokio runtime.
pub struct ChatClient {
    http: reqwest::Client,
    endpoint: String,
    key: Option<String>,
    profile: Profile,
    permits: Semaphore,
    limiter: Option<RateLimiter>,
    counters: Arc<Counters>,
}

impl ChatClient {
    /// Checks the compliance policy and reads the key from the environment.
    pub fn new(profile: &Profile) -> Result<Self, AiError> {
        profile.policy.check(&profile.model, &profile.base_url)?;
        let key = profile.api_key()?;
        // reqwest is built without a default crypto provider (no C toolchain for aws-lc):
        // ring is installed once per process; a second install is refused and harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(profile.timeout_secs))
            .connect_timeout(Duration::from_secs(profile.timeout_secs.min(30)))
            .build()
            .map_err(|e| AiError::Config(format!("无法创建 HTTP 客户端：{e}")))?;
        let limiter = profile.requests_per_minute.map(|rpm| RateLimiter {
            interval: Duration::from_secs_f64(60.0 / f64::from(rpm)),
            next: Mutex::new(Instant::now()),
        });
        Ok(ChatClient {
            http,
            endpoint: profile.endpoint(),
            key,
            profile: profile.clone(),
            permits: Semaphore::new(profile.concurrency),
            limiter,
            counters: Arc::default(),
        })
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// Totals so far, with the cost estimate.
    pub fn usage(&self) -> Usage {
        let c = &self.counters;
        let prompt_tokens = c.prompt_tokens.load(Ordering::Relaxed);
        let completion_tokens = c.completion_tokens.load(Ordering::Relaxed);
        Usage {
            requests: c.requests.load(Ordering::Relaxed),
            retries: c.retries.load(Ordering::Relaxed),
            failures: c.failures.load(Ordering::Relaxed),
            prompt_tokens,
            completion_tokens,
            cost_cny: cost(&self.profile, prompt_tokens, completion_tokens),
        }
    }

    /// One completion, retried on 429 and 5xx.
    pub async fn chat(&self, messages: &[Message]) -> Result<ChatAnswer, AiError> {
        let result = self.chat_with_retries(messages).await;
        if result.is_err() {
            self.counters.failures.fetch_add(1, Ordering::Relaxed);
        }
        result
    }

    async fn chat_with_retries(&self, messages: &[Message]) -> Result<ChatAnswer, AiError> {
        let body = serde_json::to_vec(&Request {
            model: &self.profile.model,
            messages,
            stream: false,
            temperature: self.profile.temperature,
            max_tokens: self.profile.max_tokens,
            response_format: self.profile.json_mode.then(|| serde_json::json!({"type": "json_object"})),
        })
        .expect("request serialises");
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            if attempt > 1 {
                self.counters.retries.fetch_add(1, Ordering::Relaxed);
            }
            let sent = {
                let _permit = self.permits.acquire().await.expect("semaphore never closed");
                if let Some(limiter) = &self.limiter {
                    limiter.wait().await;
                }
                self.counters.requests.fetch_add(1, Ordering::Relaxed);
                self.send_once(body.clone()).await
            };
            let (status, retry_after, text) = sent?;
            if (200..300).contains(&status) {
                return self.parse(&text);
            }
            let retryable = status == 429 || (500..600).contains(&status);
            if !retryable || attempt > self.profile.max_retries {
                return Err(AiError::Http { status, attempts: attempt, body: excerpt(&text, 300) });
            }
            let wait = retry_after.unwrap_or_else(|| backoff(self.profile.backoff_base_ms, attempt));
            let wait = wait.min(Duration::from_secs(self.profile.max_backoff_secs));
            tracing::debug!(status, attempt, ?wait, "AI 服务暂时不可用，稍后重试");
            tokio::time::sleep(wait).await;
        }
    }

    /// Sends once; returns status, Retry-After and body.
    async fn send_once(&self, body: Vec<u8>) -> Result<(u16, Option<Duration>, String), AiError> {
        let mut req = self.http.post(&self.endpoint).header("content-type", "application/json").body(body);
        if let Some(key) = &self.key {
            req = req.bearer_auth(key);
        }
        let resp = req.send().await.map_err(|e| self.transport(e))?;
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let text = resp.text().await.map_err(|e| self.transport(e))?;
        Ok((status, retry_after, text))
    }

    fn transport(&self, e: reqwest::Error) -> AiError {
        if e.is_timeout() {
            AiError::Timeout(self.profile.timeout_secs)
        } else {
            // The full chain says what failed (DNS, refused, reset …) without the key.
            let mut msg = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                msg.push('：');
                msg.push_str(&s.to_string());
                source = s.source();
            }
            AiError::Transport(msg)
        }
    }

    fn parse(&self, text: &str) -> Result<ChatAnswer, AiError> {
        let resp: Response = serde_json::from_str(text)
            .map_err(|e| AiError::BadResponse(format!("{e}：{}", excerpt(text, 200))))?;
        if let Some(u) = &resp.usage {
            self.counters.prompt_tokens.fetch_add(u.prompt_tokens, Ordering::Relaxed);
            self.counters.completion_tokens.fetch_add(u.completion_tokens, Ordering::Relaxed);
        }
        let choice =
            resp.choices.into_iter().next().ok_or_else(|| AiError::BadResponse("choices 为空".to_owned()))?;
        Ok(ChatAnswer {
            content: choice.message.content.unwrap_or_default(),
            finish_reason: choice.finish_reason,
            prompt_tokens: resp.usage.as_ref().map_or(0, |u| u.prompt_tokens),
            completion_tokens: resp.usage.as_ref().map_or(0, |u| u.completion_tokens),
        })
    }
}

/// Yuan for a token count at the profile's prices.
pub fn cost(profile: &Profile, prompt_tokens: u64, completion_tokens: u64) -> f64 {
    (prompt_tokens as f64 * profile.price_input_per_1k
        + completion_tokens as f64 * profile.price_output_per_1k)
        / 1000.0
}

/// `base · 2^(attempt−1)`, scaled by a random factor in [0.5, 1) so that many clients
/// throttled together do not come back together.
fn backoff(base_ms: u64, attempt: u32) -> Duration {
    let exp = base_ms.saturating_mul(1u64 << (attempt - 1).min(20));
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(attempt);
    let jitter = 0.5 + (h.finish() % 1000) as f64 / 2000.0;
    Duration::from_millis((exp as f64 * jitter) as u64)
}

/// Retry-After as delay-seconds or an HTTP date.
fn parse_retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let delta = at.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(delta.to_std().unwrap_or(Duration::ZERO))
}

fn excerpt(s: &str, max_chars: usize) -> String {
    let mut out: String = s.chars().take(max_chars).collect();
    if s.chars().count() > max_chars {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after(" 0.5 "), Some(Duration::from_millis(500)));
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        let later = (chrono::Utc::now() + chrono::Duration::seconds(30)).to_rfc2822();
        let d = parse_retry_after(&later).unwrap();
        assert!(d > Duration::from_secs(25) && d <= Duration::from_secs(30), "{d:?}");
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn backoff_doubles_with_jitter() {
        for attempt in 1..6u32 {
            let d = backoff(100, attempt).as_millis() as u64;
            let full = 100 * (1 << (attempt - 1));
            assert!(d >= full / 2 && d < full, "attempt {attempt}: {d}");
        }
    }

    #[test]
    fn cost_estimate() {
        let mut p = Profile::new("x", "https://a", "deepseek-chat", None);
        p.price_input_per_1k = 0.002;
        p.price_output_per_1k = 0.008;
        assert!((cost(&p, 10_000, 1_000) - 0.028).abs() < 1e-12);
    }

    #[test]
    fn request_has_string_content_and_json_object() {
        let msgs = [Message::system("s"), Message::user("u")];
        let body = serde_json::to_value(Request {
            model: "deepseek-chat",
            messages: &msgs,
            stream: false,
            temperature: Some(0.0),
            max_tokens: None,
            response_format: Some(serde_json::json!({"type": "json_object"})),
        })
        .unwrap();
        assert_eq!(body["messages"][1], serde_json::json!({"role": "user", "content": "u"}));
        assert_eq!(body["response_format"]["type"], "json_object");
        assert!(body.get("max_tokens").is_none());
    }
}

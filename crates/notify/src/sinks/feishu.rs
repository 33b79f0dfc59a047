//! 飞书自定义机器人: a message card whose body is `lark_md`, signed when the robot's security
//! setting is 签名校验: `timestamp` (seconds) and `sign` = Base64 of HMAC-SHA256 whose *key* is
//! `"{timestamp}\n{secret}"` over an empty message, both in the JSON body. The platform
//! answers `{"code":0,…}` (older robots: `{"StatusCode":0,…}`).

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use govmedia_model::Severity;
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

use super::{Sending, Sink, post_json};
use crate::alert::Change;
use crate::error::SinkError;
use crate::render::{Message, fit};
use crate::routing::{SinkConfig, SinkKind};

pub struct Feishu {
    http: reqwest::Client,
    url: String,
    secret: Option<String>,
    timeout: Duration,
}

impl Feishu {
    pub fn new(config: &SinkConfig, http: reqwest::Client) -> Self {
        Feishu { http, url: config.url.clone(), secret: config.secret.clone(), timeout: config.timeout }
    }
}

pub fn sign(secret: &str, timestamp_s: i64) -> String {
    let key = format!("{timestamp_s}\n{secret}");
    let mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key length");
    STANDARD.encode(mac.finalize().into_bytes())
}

/// The card header's colour: red for serious, orange for minor, green for a resolution.
fn template(message: &Message) -> &'static str {
    match message.alerts.as_slice() {
        [a] if a.change == Change::Resolved => "green",
        [a] if a.severity <= Severity::Major => "red",
        [a] if a.severity == Severity::Minor => "orange",
        [_] => "blue",
        _ => "orange",
    }
}

/// The request body for a message, signed when `signature` is given (timestamp, secret).
pub fn body(message: &Message, signature: Option<(i64, &str)>) -> serde_json::Value {
    let max = SinkKind::Feishu.max_bytes();
    let mut body = json!({
        "msg_type": "interactive",
        "card": {
            "header": {"title": {"tag": "plain_text", "content": fit(&message.title, 300)}, "template": template(message)},
            "elements": [{"tag": "div", "text": {"tag": "lark_md", "content": message.markdown("\n", max)}}]
        }
    });
    if let Some((ts, secret)) = signature {
        body["timestamp"] = json!(ts.to_string());
        body["sign"] = json!(sign(secret, ts));
    }
    body
}

impl Sink for Feishu {
    fn send<'a>(&'a self, message: &'a Message, now: DateTime<Utc>) -> Sending<'a> {
        Box::pin(async move {
            let signature = self.secret.as_deref().map(|s| (now.timestamp(), s));
            let body = serde_json::to_vec(&body(message, signature)).expect("JSON of strings");
            let text = post_json(self.http.post(&self.url).timeout(self.timeout), body, "飞书").await?;
            let v: serde_json::Value = serde_json::from_str(&text)
                .map_err(|_| SinkError(format!("飞书返回无法解析的响应：{}", fit(&text, 300))))?;
            let code = v.get("code").or_else(|| v.get("StatusCode")).and_then(serde_json::Value::as_i64);
            match code {
                Some(0) => Ok(()),
                Some(c) => Err(SinkError(format!(
                    "飞书返回错误 code={c}：{}",
                    v.get("msg")
                        .or_else(|| v.get("StatusMessage"))
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or("")
                ))),
                None => Err(SinkError(format!("飞书响应缺少 code：{}", fit(&text, 300)))),
            }
        })
    }
}

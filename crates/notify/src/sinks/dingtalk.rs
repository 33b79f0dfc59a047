//! 钉钉自定义机器人: markdown (`{"msgtype":"markdown","markdown":{"title":…,"text":…}}`),
//! signed when the robot's security setting is 加签: `timestamp` (milliseconds) and `sign` =
//! URL-encoded Base64 of HMAC-SHA256 keyed with the secret over `"{timestamp}\n{secret}"`,
//! both as query parameters. The platform rejects a timestamp more than an hour off.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use reqwest::Url;
use serde_json::json;
use sha2::Sha256;

use super::{Sending, Sink, check_errcode, post_json};
use crate::error::SinkError;
use crate::render::{Message, fit};
use crate::routing::{SinkConfig, SinkKind};

pub struct Dingtalk {
    http: reqwest::Client,
    url: Url,
    secret: Option<String>,
    timeout: Duration,
}

impl Dingtalk {
    pub fn new(config: &SinkConfig, http: reqwest::Client) -> Result<Self, SinkError> {
        let url = Url::parse(&config.url).map_err(|e| SinkError(format!("钉钉机器人地址无效：{e}")))?;
        Ok(Dingtalk { http, url, secret: config.secret.clone(), timeout: config.timeout })
    }
}

/// The signature before URL encoding.
pub fn sign(secret: &str, timestamp_ms: i64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(format!("{timestamp_ms}\n{secret}").as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// The robot URL with `timestamp` and `sign` appended (form-URL-encoded, as the platform's
/// own examples encode them: `+` → `%2B`, `/` → `%2F`, `=` → `%3D`).
pub fn signed_url(url: &Url, secret: &str, timestamp_ms: i64) -> Url {
    let mut url = url.clone();
    url.query_pairs_mut()
        .append_pair("timestamp", &timestamp_ms.to_string())
        .append_pair("sign", &sign(secret, timestamp_ms));
    url
}

/// The request body for a message. 钉钉 markdown needs a blank line to break a line.
pub fn body(message: &Message) -> serde_json::Value {
    let max = SinkKind::Dingtalk.max_bytes();
    let text = fit(&format!("### {}\n\n{}", message.title, message.markdown("\n\n", max)), max);
    json!({"msgtype": "markdown", "markdown": {"title": message.title, "text": text}})
}

impl Sink for Dingtalk {
    fn send<'a>(&'a self, message: &'a Message, now: DateTime<Utc>) -> Sending<'a> {
        Box::pin(async move {
            let url = match &self.secret {
                Some(secret) => signed_url(&self.url, secret, now.timestamp_millis()),
                None => self.url.clone(),
            };
            let body = serde_json::to_vec(&body(message)).expect("JSON of strings");
            let text = post_json(self.http.post(url).timeout(self.timeout), body, "钉钉").await?;
            check_errcode(&text, "钉钉")
        })
    }
}

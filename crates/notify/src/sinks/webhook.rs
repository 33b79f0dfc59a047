//! A generic JSON webhook for the offices' own systems: the alerts as JSON with the
//! idempotency key (receivers deduplicate on it: a crash between a send and its bookkeeping
//! sends again), signed so a receiver can tell them from forgeries.
//!
//! Headers: `Idempotency-Key`, `X-Govmedia-Timestamp` (Unix seconds) and
//! `X-Govmedia-Signature: sha256=<hex>`, the HMAC-SHA256 keyed with the sink's secret over
//! `"{timestamp}.{body}"`: the timestamp is signed too, so a receiver can refuse replays.

use std::time::Duration;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

use super::{Sending, Sink, post_json};
use crate::error::SinkError;
use crate::render::Message;
use crate::routing::SinkConfig;

pub struct Webhook {
    http: reqwest::Client,
    url: String,
    secret: String,
    timeout: Duration,
}

impl Webhook {
    pub fn new(config: &SinkConfig, http: reqwest::Client) -> Result<Self, SinkError> {
        let secret = config.secret.clone().ok_or_else(|| SinkError("webhook 接收端缺少签名密钥".into()))?;
        Ok(Webhook { http, url: config.url.clone(), secret, timeout: config.timeout })
    }
}

/// The `X-Govmedia-Signature` value.
pub fn signature(secret: &str, timestamp_s: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(timestamp_s.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// The request body: `{"idempotency_key", "digest", "alerts": [...]}`, each alert with its own
/// key (a digest's key is derived from them).
pub fn body(message: &Message) -> serde_json::Value {
    json!({"idempotency_key": message.key, "digest": message.digest, "alerts": message.alerts})
}

impl Sink for Webhook {
    fn send<'a>(&'a self, message: &'a Message, now: DateTime<Utc>) -> Sending<'a> {
        Box::pin(async move {
            let body = serde_json::to_vec(&body(message)).expect("alerts serialise");
            let ts = now.timestamp();
            let request = self
                .http
                .post(&self.url)
                .timeout(self.timeout)
                .header("Idempotency-Key", &message.key)
                .header("X-Govmedia-Timestamp", ts.to_string())
                .header("X-Govmedia-Signature", signature(&self.secret, ts, &body));
            post_json(request, body, "Webhook ").await.map(|_| ())
        })
    }
}

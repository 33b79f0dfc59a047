//! 企业微信群机器人: POST `{"msgtype":"markdown","markdown":{"content":…}}` to the robot's
//! webhook URL (the key is in the URL; the robot has no signing). Content is at most 4096
//! bytes; lines break on a single newline.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{Sending, Sink, check_errcode, post_json};
use crate::render::{Message, fit};
use crate::routing::{SinkConfig, SinkKind};

pub struct Wecom {
    http: reqwest::Client,
    url: String,
    timeout: Duration,
}

impl Wecom {
    pub fn new(config: &SinkConfig, http: reqwest::Client) -> Self {
        Wecom { http, url: config.url.clone(), timeout: config.timeout }
    }
}

/// The request body for a message.
pub fn body(message: &Message) -> serde_json::Value {
    let max = SinkKind::Wecom.max_bytes();
    let content = fit(&format!("### {}\n{}", message.title, message.markdown("\n", max)), max);
    json!({"msgtype": "markdown", "markdown": {"content": content}})
}

impl Sink for Wecom {
    fn send<'a>(&'a self, message: &'a Message, _now: DateTime<Utc>) -> Sending<'a> {
        Box::pin(async move {
            let body = serde_json::to_vec(&body(message)).expect("JSON of strings");
            let text = post_json(self.http.post(&self.url).timeout(self.timeout), body, "企业微信").await?;
            check_errcode(&text, "企业微信")
        })
    }
}

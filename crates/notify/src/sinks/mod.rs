//! Where messages go: one file per platform, all behind [`Sink`].
//!
//! A send succeeds only when the platform says so: an HTTP status outside 2xx, or the
//! platform's own error envelope (`errcode ≠ 0`, `code ≠ 0`), is a failure the outbox retries.

pub mod dingtalk;
pub mod email;
pub mod feishu;
pub mod webhook;
pub mod wecom;

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::error::SinkError;
use crate::render::Message;
use crate::routing::{SinkConfig, SinkKind};

pub type Sending<'a> = Pin<Box<dyn Future<Output = Result<(), SinkError>> + Send + 'a>>;

pub trait Sink: Send + Sync {
    /// Sends one message; `now` is the clock's time, used for the platforms' signatures.
    fn send<'a>(&'a self, message: &'a Message, now: DateTime<Utc>) -> Sending<'a>;
}

/// The HTTP client the robot and webhook sinks share.
pub fn http_client() -> Result<reqwest::Client, SinkError> {
    // reqwest is built without a default crypto provider (no C toolchain for aws-lc): ring
    // is installed once per process; a second install is refused and harmless.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| SinkError(format!("无法创建 HTTP 客户端：{e}")))
}

/// The sink a configuration describes.
pub fn build(config: &SinkConfig, http: &reqwest::Client) -> Result<Box<dyn Sink>, SinkError> {
    Ok(match config.kind {
        SinkKind::Wecom => Box::new(wecom::Wecom::new(config, http.clone())),
        SinkKind::Dingtalk => Box::new(dingtalk::Dingtalk::new(config, http.clone())?),
        SinkKind::Feishu => Box::new(feishu::Feishu::new(config, http.clone())),
        SinkKind::Webhook => Box::new(webhook::Webhook::new(config, http.clone())?),
        SinkKind::Email => Box::new(email::Email::new(config)?),
    })
}

/// Posts a JSON body and returns the response text of a 2xx answer.
pub(crate) async fn post_json(
    request: reqwest::RequestBuilder,
    body: Vec<u8>,
    platform: &str,
) -> Result<String, SinkError> {
    let response = request
        .header(reqwest::header::CONTENT_TYPE, "application/json; charset=utf-8")
        .body(body)
        .send()
        .await
        // Without the URL: a robot's URL carries its key or access token.
        .map_err(|e| SinkError(format!("{platform}请求失败：{}", e.without_url())))?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| SinkError(format!("{platform}响应读取失败：{}", e.without_url())))?;
    if !status.is_success() {
        return Err(SinkError(format!(
            "{platform}返回 HTTP {}：{}",
            status.as_u16(),
            crate::render::fit(&text, 300)
        )));
    }
    Ok(text)
}

/// 企业微信 and 钉钉 answer `{"errcode":0,"errmsg":"ok"}`.
pub(crate) fn check_errcode(text: &str, platform: &str) -> Result<(), SinkError> {
    let v: serde_json::Value = serde_json::from_str(text)
        .map_err(|_| SinkError(format!("{platform}返回无法解析的响应：{}", crate::render::fit(text, 300))))?;
    match v.get("errcode").and_then(serde_json::Value::as_i64) {
        Some(0) => Ok(()),
        Some(code) => Err(SinkError(format!(
            "{platform}返回错误 errcode={code}：{}",
            v.get("errmsg").and_then(serde_json::Value::as_str).unwrap_or("")
        ))),
        None => Err(SinkError(format!("{platform}响应缺少 errcode：{}", crate::render::fit(text, 300)))),
    }
}

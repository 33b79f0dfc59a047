//! The HTTP client: configuration, pacing, one request, and the token-retry rule.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

use crate::pace::Pace;
use crate::token::TokenCache;
use crate::{Credentials, Endpoint, Secret, WechatError, envelope};

/// The longest `begin_date`–`end_date` span, in days, each datacube endpoint accepts: longer
/// ranges are split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatacubeSpans {
    /// 7: the documented maximum of the user-analysis endpoints.
    pub user_summary: u32,
    /// 7, as `user_summary`.
    pub user_cumulate: u32,
    /// The official page of getbizsummary states no maximum; 30 is what other clients use
    /// (inferred, not documented).
    pub biz_summary: u32,
    /// The official page of getarticletotaldetail states no maximum either (its "30 days" is
    /// how long after publication an article is counted); one day per call is the cautious
    /// choice other clients make.
    pub article_total_detail: u32,
}

impl Default for DatacubeSpans {
    fn default() -> Self {
        DatacubeSpans { user_summary: 7, user_cumulate: 7, biz_summary: 30, article_total_detail: 1 }
    }
}

/// How the client talks to the platform.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientConfig {
    /// `https://api.weixin.qq.com`; tests point it at a local server.
    pub base_url: String,
    /// Per request, connection to last byte.
    pub timeout: Duration,
    /// Per account, between the starts of two calls.
    pub min_interval: Duration,
    /// Per account and Beijing day, every call counted (token requests included).
    pub daily_budget: u32,
    /// A cached token with less validity left than this is replaced before use. Three minutes
    /// is inside the five minutes before expiry in which the platform's stable_token already
    /// hands out the next token, so the replacement is a new token, not the old one again.
    pub refresh_margin: Duration,
    pub spans: DatacubeSpans,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            base_url: "https://api.weixin.qq.com".to_owned(),
            timeout: Duration::from_secs(30),
            min_interval: Duration::from_millis(300),
            daily_budget: 1000,
            refresh_margin: Duration::from_secs(180),
            spans: DatacubeSpans::default(),
        }
    }
}

/// A client of the Open API for any number of accounts. Cheap to share behind an `Arc`; must
/// be used inside a Tokio runtime (sync callers wrap the futures in the checks crate's
/// `blocking::block_on`).
pub struct Client {
    http: reqwest::Client,
    base: reqwest::Url,
    pub(crate) config: ClientConfig,
    pace: Pace,
    pub(crate) tokens: Arc<dyn TokenCache>,
    /// One lock per AppID, so concurrent tasks of this process fetch a missing token once.
    pub(crate) token_locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl Client {
    /// A client whose access tokens live in `tokens` (shared by every process that uses the
    /// same cache).
    pub fn new(config: ClientConfig, tokens: Arc<dyn TokenCache>) -> Result<Self, WechatError> {
        let base = reqwest::Url::parse(config.base_url.trim_end_matches('/'))
            .map_err(|e| WechatError::Config(format!("base_url“{}”无效：{e}", config.base_url)))?;
        // reqwest is built without a default crypto provider (no C toolchain for aws-lc):
        // ring is installed once per process; a second install is refused and harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|e| WechatError::Config(format!("无法创建 HTTP 客户端：{e}")))?;
        Ok(Client {
            http,
            base,
            pace: Pace::new(config.min_interval, config.daily_budget),
            config,
            tokens,
            token_locks: Mutex::new(HashMap::new()),
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// Calls an endpoint with the account's token. An invalid or expired token (40001, 40014,
    /// 42001) is refreshed once and the call retried once; every other error is returned.
    pub(crate) async fn call(
        &self,
        creds: &Credentials,
        endpoint: Endpoint,
        body: Option<&Value>,
    ) -> Result<Value, WechatError> {
        let token = self.access_token(creds).await?;
        match self.request(&creds.appid, endpoint, Some(&token), body).await {
            Err(WechatError::TokenRejected { errcode, .. }) => {
                tracing::info!(%endpoint, errcode, appid = %creds.appid, "access token rejected; refreshing once");
                let token = self.refresh_token(creds, &token).await?;
                self.request(&creds.appid, endpoint, Some(&token), body).await
            }
            other => other,
        }
    }

    /// One paced request. The token goes in the query string, where the platform wants it;
    /// that URL never leaves this function (transport errors are stripped of it).
    pub(crate) async fn request(
        &self,
        appid: &str,
        endpoint: Endpoint,
        token: Option<&Secret>,
        body: Option<&Value>,
    ) -> Result<Value, WechatError> {
        self.pace.admit(appid).await?;
        let mut url = self.base.clone();
        url.set_path(&format!("{}{}", self.base.path().trim_end_matches('/'), endpoint.path()));
        if let Some(token) = token {
            url.query_pairs_mut().append_pair("access_token", token.expose());
        }
        let request = if endpoint.is_get() {
            self.http.get(url)
        } else {
            let bytes = serde_json::to_vec(body.unwrap_or(&Value::Object(Default::default())))
                .map_err(|e| WechatError::Config(format!("请求体无法序列化：{e}")))?;
            self.http.post(url).header("content-type", "application/json").body(bytes)
        };
        tracing::debug!(%endpoint, %appid, "calling the Open API");
        let transport = |e: reqwest::Error| {
            let message = if e.is_timeout() {
                format!("请求超时（超过 {} 秒）", self.config.timeout.as_secs_f32())
            } else {
                error_chain(&e.without_url())
            };
            WechatError::Transport { endpoint, message }
        };
        let response = request.send().await.map_err(transport)?;
        let status = response.status();
        if !status.is_success() {
            return Err(WechatError::Http { endpoint, status: status.as_u16() });
        }
        let bytes = response.bytes().await.map_err(transport)?;
        envelope::open(endpoint, &bytes)
    }
}

/// An error and its sources, one sentence.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push('：');
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

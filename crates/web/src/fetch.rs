//! The HTTP fetcher: guarded, polite, bounded, with manually followed redirects.
//!
//! One [`Fetcher`] serves a whole batch. Every request waits for its host's gate (at most
//! `per_host` requests in flight and `delay` between request starts per host), redirects are
//! followed by hand so each hop is recorded and passes the SSRF guard, transient failures
//! (timeouts, refused connections, 429/502/503/504) are retried with exponential backoff, and
//! bodies are read only for HTML or text, up to `max_body` bytes.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::error::Error as _;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use govmedia_model::{FetchError, Timestamp};
use reqwest::Url;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use crate::guard::{self, GuardError, GuardedResolver};

/// Tuning of a fetch batch.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    pub allow_private: bool,
    /// Fixed answers for names (`--resolve`-like); still subject to the guard.
    pub resolve: BTreeMap<String, IpAddr>,
    /// Time for one request, headers and body together.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Retries after the first attempt, for transient failures only.
    pub retries: u32,
    /// First backoff; doubled at each retry.
    pub backoff: Duration,
    /// Requests in flight per host.
    pub per_host: usize,
    /// Minimum time between two request starts on one host.
    pub delay: Duration,
    /// Requests in flight overall.
    pub concurrency: usize,
    pub max_redirects: usize,
    /// Bytes of body kept; the rest is not read.
    pub max_body: usize,
    pub user_agent: String,
}

/// A phone browser's user agent: some sites serve WeChat/mobile users differently.
pub const MOBILE_UA: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800322d) NetType/WIFI Language/zh_CN";

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            allow_private: false,
            resolve: BTreeMap::new(),
            timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(8),
            retries: 2,
            backoff: Duration::from_millis(500),
            per_host: 2,
            delay: Duration::from_millis(250),
            concurrency: 64,
            max_redirects: 10,
            max_body: 2 * 1024 * 1024,
            user_agent: MOBILE_UA.to_owned(),
        }
    }
}

/// Why a fetch produced no final response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    Timeout,
    Dns,
    Tls,
    Connect,
    /// The SSRF guard refused the address (or a redirect to it).
    Refused,
    RedirectLoop,
    TooManyRedirects,
    /// Not an http(s) URL, or unparseable.
    BadUrl,
    Other,
}

impl FailureKind {
    /// Worth trying again later (not cached).
    pub fn is_transient(self) -> bool {
        matches!(self, FailureKind::Timeout | FailureKind::Connect | FailureKind::Other)
    }

    /// The contract's `error` value in pages.jsonl, where one fits.
    pub fn to_model(self) -> Option<FetchError> {
        match self {
            FailureKind::Timeout => Some(FetchError::Timeout),
            FailureKind::Dns => Some(FetchError::Dns),
            FailureKind::Tls => Some(FetchError::Tls),
            FailureKind::Connect => Some(FetchError::Connect),
            _ => None,
        }
    }

    pub fn from_model(e: FetchError) -> Self {
        match e {
            FetchError::Timeout => FailureKind::Timeout,
            FetchError::Dns => FailureKind::Dns,
            FetchError::Tls => FailureKind::Tls,
            FetchError::Connect => FailureKind::Connect,
        }
    }

    /// Chinese label used in finding messages.
    pub fn label_zh(self) -> &'static str {
        match self {
            FailureKind::Timeout => "连接超时",
            FailureKind::Dns => "域名解析失败",
            FailureKind::Tls => "TLS/证书错误",
            FailureKind::Connect => "无法建立连接",
            FailureKind::Refused => "指向内网或本机地址，已拒绝访问",
            FailureKind::RedirectLoop => "重定向循环",
            FailureKind::TooManyRedirects => "重定向次数过多",
            FailureKind::BadUrl => "链接地址无效",
            FailureKind::Other => "请求失败",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    pub kind: FailureKind,
    pub detail: String,
}

/// One redirect hop: the URL requested and the status that sent us on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hop {
    pub url: String,
    pub status: u16,
}

/// The outcome of fetching one URL.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Fetched {
    pub url: String,
    pub fetched_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub redirects: Vec<Hop>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// SHA-256 of the body bytes kept, hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_hash: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub body_truncated: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
    /// The body (HTML/text only); stored beside the metadata, not inside it.
    #[serde(skip)]
    pub body: Option<Arc<[u8]>>,
}

impl Fetched {
    pub fn failed(url: &str, kind: FailureKind, detail: impl Into<String>) -> Self {
        Fetched {
            url: url.to_owned(),
            fetched_at: now(),
            status: None,
            final_url: None,
            redirects: Vec::new(),
            headers: BTreeMap::new(),
            content_type: None,
            content_hash: None,
            body_truncated: false,
            failure: Some(Failure { kind, detail: detail.into() }),
            body: None,
        }
    }

    /// The body decoded to text (charset from the header or a `<meta>`, else UTF-8).
    pub fn text(&self) -> Option<String> {
        self.body.as_ref().map(|b| crate::decode::decode_html(b, self.content_type.as_deref()))
    }

    /// True when the response is worth reading as a page.
    pub fn is_html(&self) -> bool {
        self.content_type.as_deref().is_none_or(is_textual)
    }
}

pub fn now() -> Timestamp {
    Utc::now().with_timezone(&govmedia_model::time::shanghai())
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

fn is_textual(ct: &str) -> bool {
    let ct = ct.to_ascii_lowercase();
    ct.starts_with("text/") || ct.contains("html") || ct.contains("xml") || ct.contains("json")
}

/// Per-host gate: a concurrency limit and a politeness slot.
struct HostGate {
    permits: Semaphore,
    next_start: tokio::sync::Mutex<Instant>,
}

/// A guarded, polite HTTP client for a batch of URLs.
pub struct Fetcher {
    client: reqwest::Client,
    cfg: FetchConfig,
    global: Semaphore,
    hosts: Mutex<HashMap<String, Arc<HostGate>>>,
}

impl Fetcher {
    pub fn new(cfg: FetchConfig) -> Result<Self, crate::WebError> {
        crate::install_crypto_provider();
        let resolver =
            GuardedResolver { allow_private: cfg.allow_private, overrides: Arc::new(cfg.resolve.clone()) };
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(resolver)
            .connect_timeout(cfg.connect_timeout)
            .timeout(cfg.timeout)
            .user_agent(cfg.user_agent.clone())
            .pool_max_idle_per_host(cfg.per_host)
            .build()
            .map_err(|e| crate::WebError::Client(e.to_string()))?;
        Ok(Fetcher {
            client,
            global: Semaphore::new(cfg.concurrency.max(1)),
            cfg,
            hosts: Mutex::new(HashMap::new()),
        })
    }

    pub fn config(&self) -> &FetchConfig {
        &self.cfg
    }

    fn gate(&self, host: &str) -> Arc<HostGate> {
        let mut map = self.hosts.lock().expect("host map");
        map.entry(host.to_owned())
            .or_insert_with(|| {
                Arc::new(HostGate {
                    permits: Semaphore::new(self.cfg.per_host.max(1)),
                    next_start: tokio::sync::Mutex::new(Instant::now()),
                })
            })
            .clone()
    }

    /// Fetches one URL, following redirects.
    pub async fn fetch(&self, url: &str) -> Fetched {
        let _global = self.global.acquire().await.expect("semaphore open");
        let fetched_at = now();
        let mut current = match Url::parse(url.trim()) {
            Ok(u) => u,
            Err(e) => return Fetched::failed(url, FailureKind::BadUrl, e.to_string()),
        };
        let mut hops = Vec::new();
        let mut seen = HashSet::new();
        loop {
            if let Err(g) = guard::check_url(&current, self.cfg.allow_private) {
                let kind = match g {
                    GuardError::Forbidden(_) => FailureKind::Refused,
                    _ => FailureKind::BadUrl,
                };
                return Fetched { redirects: hops, ..Fetched::failed(url, kind, g.to_string()) };
            }
            seen.insert(current.to_string());
            let resp = match self.request_with_retries(&current).await {
                Ok(r) => r,
                Err(f) => {
                    return Fetched { redirects: hops, fetched_at, ..Fetched::failed(url, f.kind, f.detail) };
                }
            };
            let status = resp.status();
            if status.is_redirection()
                && let Some(loc) = resp.headers().get(reqwest::header::LOCATION)
            {
                let next = loc.to_str().ok().and_then(|l| current.join(l).ok());
                let Some(next) = next else {
                    return Fetched {
                        redirects: hops,
                        ..Fetched::failed(url, FailureKind::BadUrl, "重定向目标无效")
                    };
                };
                hops.push(Hop { url: current.to_string(), status: status.as_u16() });
                if seen.contains(next.as_str()) {
                    return Fetched {
                        redirects: hops,
                        ..Fetched::failed(url, FailureKind::RedirectLoop, format!("回到 {next}"))
                    };
                }
                if hops.len() > self.cfg.max_redirects {
                    return Fetched {
                        redirects: hops,
                        ..Fetched::failed(
                            url,
                            FailureKind::TooManyRedirects,
                            format!("超过 {} 次", self.cfg.max_redirects),
                        )
                    };
                }
                current = next;
                continue;
            }
            return self.finish(url, fetched_at, hops, current, resp).await;
        }
    }

    async fn finish(
        &self,
        url: &str,
        fetched_at: Timestamp,
        hops: Vec<Hop>,
        final_url: Url,
        mut resp: reqwest::Response,
    ) -> Fetched {
        let status = resp.status().as_u16();
        let headers: BTreeMap<String, String> = resp
            .headers()
            .iter()
            .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str().to_owned(), v.to_owned())))
            .collect();
        let content_type = headers.get("content-type").cloned();
        let mut body = Vec::new();
        let mut truncated = false;
        let mut failure = None;
        if content_type.as_deref().is_none_or(is_textual) {
            loop {
                match resp.chunk().await {
                    Ok(Some(chunk)) => {
                        let room = self.cfg.max_body - body.len();
                        if chunk.len() >= room {
                            body.extend_from_slice(&chunk[..room]);
                            truncated = true;
                            break;
                        }
                        body.extend_from_slice(&chunk);
                    }
                    Ok(None) => break,
                    Err(e) => {
                        failure = Some(classify_error(&e));
                        break;
                    }
                }
            }
        }
        // A body cut off by a timeout still tells what the server said; only an empty one fails.
        let failure = failure.filter(|_| body.is_empty());
        let hash = (!body.is_empty()).then(|| sha256_hex(&body));
        Fetched {
            url: url.to_owned(),
            fetched_at,
            status: failure.is_none().then_some(status),
            final_url: Some(final_url.to_string()),
            redirects: hops,
            headers,
            content_type,
            content_hash: hash,
            body_truncated: truncated,
            failure,
            body: (!body.is_empty()).then(|| Arc::from(body)),
        }
    }

    async fn request_with_retries(&self, url: &Url) -> Result<reqwest::Response, Failure> {
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let gate = self.gate(&host);
        let mut attempt = 0;
        loop {
            let result = {
                let _permit = gate.permits.acquire().await.expect("semaphore open");
                {
                    let mut next = gate.next_start.lock().await;
                    let now = Instant::now();
                    if *next > now {
                        tokio::time::sleep(*next - now).await;
                    }
                    *next = Instant::now() + self.cfg.delay;
                }
                self.client.get(url.clone()).send().await
            };
            let retryable = match &result {
                Ok(r) => matches!(r.status().as_u16(), 429 | 502 | 503 | 504),
                Err(e) => classify_error(e).kind.is_transient(),
            };
            if !retryable || attempt >= self.cfg.retries {
                return result.map_err(|e| classify_error(&e));
            }
            let wait = self.cfg.backoff * 2u32.pow(attempt);
            attempt += 1;
            tokio::time::sleep(wait).await;
        }
    }

    /// Fetches many URLs concurrently (deduplicated), reporting each completion.
    pub async fn fetch_all(
        self: &Arc<Self>,
        urls: &[String],
        on_done: &(dyn Fn() + Sync),
    ) -> HashMap<String, Fetched> {
        let mut set = tokio::task::JoinSet::new();
        let unique: HashSet<&String> = urls.iter().collect();
        for u in unique {
            let this = Arc::clone(self);
            let u = u.clone();
            set.spawn(async move {
                let f = this.fetch(&u).await;
                (u, f)
            });
        }
        let mut out = HashMap::new();
        while let Some(res) = set.join_next().await {
            if let Ok((u, f)) = res {
                out.insert(u, f);
            }
            on_done();
        }
        out
    }
}

/// Maps a reqwest error to a failure kind by walking its causes.
pub fn classify_error(e: &reqwest::Error) -> Failure {
    let detail = error_chain_text(e);
    if let Some(g) = guard::find_guard_error(e) {
        let kind = match g {
            GuardError::Forbidden(_) => FailureKind::Refused,
            GuardError::Dns(_) => FailureKind::Dns,
            _ => FailureKind::BadUrl,
        };
        return Failure { kind, detail: g.to_string() };
    }
    let lower = detail.to_ascii_lowercase();
    let kind = if e.is_timeout() || lower.contains("timed out") {
        FailureKind::Timeout
    } else if has_tls_cause(e)
        || ["tls", "certificate", "handshake", "corrupt message", "invalidcontenttype"]
            .iter()
            .any(|k| lower.contains(k))
    {
        FailureKind::Tls
    } else if lower.contains("dns") || lower.contains("failed to lookup") {
        FailureKind::Dns
    } else if e.is_connect() || lower.contains("connection refused") || lower.contains("connection reset") {
        FailureKind::Connect
    } else {
        FailureKind::Other
    };
    Failure { kind, detail }
}

fn has_tls_cause(e: &reqwest::Error) -> bool {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = e.source();
    while let Some(c) = cur {
        if c.downcast_ref::<rustls::Error>().is_some() {
            return true;
        }
        if let Some(io) = c.downcast_ref::<std::io::Error>()
            && io.get_ref().is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some())
        {
            return true;
        }
        cur = c.source();
    }
    false
}

fn error_chain_text(e: &reqwest::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(c) = cur {
        parts.push(c.to_string());
        cur = c.source();
    }
    parts.join(": ")
}

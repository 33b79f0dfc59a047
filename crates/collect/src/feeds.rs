//! Collector feeds over HTTP.
//!
//! Each source is one feed URL for one account. A fetch sends the validators of the previous
//! one (`If-None-Match` with its ETag, `If-Modified-Since` with its Last-Modified), so an
//! unchanged feed costs a 304 and no import. Requests to one host are spaced by the politeness
//! interval (collectors are small self-hosted services that rate-limit or ban), hosts are
//! fetched side by side. A changed feed is parsed by the importer's feed reader (RSS, Atom,
//! JSON Feed) and imported in one transaction: articles already stored are updated, never
//! duplicated, so a feed that repeats its last items changes nothing.
//!
//! What each fetch saw is kept per URL in the store's key-value cache (namespace `feeds`):
//! validators, the time, the HTTP status or the failure, and the newest item. The collectors'
//! health ([`crate::health`]) is judged from these states.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use govmedia_ingest::{ImportOptions, Record, import_records};
use govmedia_model::Timestamp;
use govmedia_store_api::Store;
use serde::{Deserialize, Serialize};

use crate::CollectError;

/// The cache namespace of the feeds' states.
const NAMESPACE: &str = "feeds";
/// Largest feed body read (a collector's feed of one account is a few hundred kB).
const MAX_BODY: usize = 16 << 20;

/// One feed a collector serves for one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedSource {
    pub url: String,
    /// The account id in the store (the feed's own id is the collector's business).
    pub account: String,
    /// The collector serving it; default: the URL's host and port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collector: Option<String>,
}

impl FeedSource {
    /// The collector's name: the one configured, else the URL's host (with its port).
    pub fn collector_name(&self) -> String {
        self.collector.clone().unwrap_or_else(|| host_of(&self.url))
    }
}

/// `host[:port]` of a URL, or the URL itself when it has none.
fn host_of(url: &str) -> String {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(|h| u.port().map_or_else(|| h.to_owned(), |p| format!("{h}:{p}"))))
        .unwrap_or_else(|| url.to_owned())
}

/// What the last fetch of a feed left.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// When it was last fetched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetched_at: Option<Timestamp>,
    /// The HTTP status of the last answer (none when the request failed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Why the last fetch failed (Chinese), none after a success or a 304.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
    /// The newest item the feed has shown so far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newest_item: Option<Timestamp>,
}

/// What happened to one source in a run.
#[derive(Debug, Clone, PartialEq)]
pub enum FeedOutcome {
    /// The feed changed: its articles were imported (`articles` stored or updated).
    Imported { articles: u64 },
    /// 304: nothing new since the last fetch.
    NotModified,
    /// The fetch or the feed failed; the reason in Chinese.
    Failed(String),
}

/// One source's outcome and its state after the run.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedReport {
    pub source: FeedSource,
    pub outcome: FeedOutcome,
    pub state: FeedState,
}

/// Fetches and imports collector feeds.
pub struct FeedCollector {
    http: reqwest::Client,
    politeness: Duration,
    /// When each host was last asked, so the interval also holds from one run to the next.
    last_request: std::sync::Arc<std::sync::Mutex<BTreeMap<String, std::time::Instant>>>,
}

/// A fetch's answer before it is imported.
enum Fetched {
    Body { bytes: Vec<u8>, status: u16, etag: Option<String>, last_modified: Option<String> },
    NotModified { status: u16 },
    Failed { status: Option<u16>, reason: String },
}

impl FeedCollector {
    /// A collector with a request timeout and the interval between two requests to one host.
    pub fn new(timeout: Duration, politeness: Duration) -> Result<FeedCollector, CollectError> {
        // reqwest is built without a default crypto provider: ring, once per process (a second
        // install is refused and harmless).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(30)))
            .user_agent(concat!("govmedia/", env!("CARGO_PKG_VERSION"), " (government new-media monitor)"))
            .build()
            .map_err(|e| CollectError::Client(e.to_string()))?;
        Ok(FeedCollector { http, politeness, last_request: Default::default() })
    }

    /// Fetches every source, imports the feeds that changed, and records each source's state
    /// in the store's cache. `now` is the time the states record.
    pub fn collect(
        &self,
        store: &mut dyn Store,
        sources: &[FeedSource],
        now: DateTime<Utc>,
    ) -> Result<Vec<FeedReport>, CollectError> {
        let cache = store.cache()?;
        let mut states: Vec<FeedState> = Vec::with_capacity(sources.len());
        for s in sources {
            let state =
                cache.get(NAMESPACE, &s.url)?.and_then(|v| serde_json::from_str(&v).ok()).unwrap_or_default();
            states.push(state);
        }
        let fetched = self.fetch_all(sources, &states)?;
        let mut reports = Vec::with_capacity(sources.len());
        for ((source, mut state), fetched) in sources.iter().cloned().zip(states).zip(fetched) {
            state.fetched_at = Some(now.into());
            let outcome = match fetched {
                Fetched::NotModified { status } => {
                    state.status = Some(status);
                    state.failure = None;
                    FeedOutcome::NotModified
                }
                Fetched::Failed { status, reason } => {
                    state.status = status;
                    state.failure = Some(reason.clone());
                    FeedOutcome::Failed(reason)
                }
                Fetched::Body { bytes, status, etag, last_modified } => {
                    state.status = Some(status);
                    match import_feed(store, &source, &bytes) {
                        Ok((articles, newest)) => {
                            state.etag = etag;
                            state.last_modified = last_modified;
                            state.failure = None;
                            state.newest_item = state.newest_item.max(newest);
                            FeedOutcome::Imported { articles }
                        }
                        Err(reason) => {
                            // The validators are not kept: the next run fetches the feed again.
                            state.failure = Some(reason.clone());
                            FeedOutcome::Failed(reason)
                        }
                    }
                }
            };
            cache.put(NAMESPACE, &source.url, &serde_json::to_string(&state).expect("plain data"))?;
            reports.push(FeedReport { source, outcome, state });
        }
        Ok(reports)
    }

    /// The states of `sources` as the last runs left them (default for a source never fetched).
    pub fn states(store: &dyn Store, sources: &[FeedSource]) -> Result<Vec<FeedState>, CollectError> {
        let cache = store.cache()?;
        sources
            .iter()
            .map(|s| {
                Ok(cache
                    .get(NAMESPACE, &s.url)?
                    .and_then(|v| serde_json::from_str(&v).ok())
                    .unwrap_or_default())
            })
            .collect()
    }

    /// Fetches all sources: hosts side by side, one host's sources one after another with the
    /// politeness interval between them. The answers come back in the order of `sources`.
    fn fetch_all(&self, sources: &[FeedSource], states: &[FeedState]) -> Result<Vec<Fetched>, CollectError> {
        let mut by_host: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, s) in sources.iter().enumerate() {
            by_host.entry(host_of(&s.url)).or_default().push(i);
        }
        let work = async {
            let mut set = tokio::task::JoinSet::new();
            for (host, indices) in by_host {
                let jobs: Vec<(usize, String, FeedState)> =
                    indices.into_iter().map(|i| (i, sources[i].url.clone(), states[i].clone())).collect();
                let http = self.http.clone();
                let pause = self.politeness;
                let last_request = self.last_request.clone();
                set.spawn(async move {
                    let mut out = Vec::with_capacity(jobs.len());
                    for (i, url, state) in jobs {
                        let last = last_request.lock().unwrap_or_else(|e| e.into_inner()).get(&host).copied();
                        if let Some(wait) =
                            last.map(|t| (t + pause).saturating_duration_since(std::time::Instant::now()))
                        {
                            tokio::time::sleep(wait).await;
                        }
                        last_request
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .insert(host.clone(), std::time::Instant::now());
                        out.push((i, fetch(&http, &url, &state).await));
                    }
                    out
                });
            }
            let mut all = Vec::new();
            while let Some(done) = set.join_next().await {
                all.extend(done.map_err(|e| CollectError::Runtime(e.to_string()))?);
            }
            all.sort_by_key(|x| x.0);
            Ok::<_, CollectError>(all.into_iter().map(|x| x.1).collect())
        };
        block_on(work)?
    }
}

/// Runs async work on a runtime of its own thread (callers may be inside a runtime).
pub(crate) fn block_on<F: std::future::Future + Send>(work: F) -> Result<F::Output, CollectError>
where
    F::Output: Send,
{
    govmedia_checks::blocking::block_on(work).map_err(|e| CollectError::Runtime(e.to_string()))
}

async fn fetch(http: &reqwest::Client, url: &str, state: &FeedState) -> Fetched {
    let mut req = http.get(url).header(
        reqwest::header::ACCEPT,
        "application/atom+xml, application/rss+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, */*;q=0.5",
    );
    if let Some(e) = &state.etag {
        req = req.header(reqwest::header::IF_NONE_MATCH, e);
    }
    if let Some(m) = &state.last_modified {
        req = req.header(reqwest::header::IF_MODIFIED_SINCE, m);
    }
    let resp = match req.send().await {
        Ok(r) => r,
        Err(e) => return Fetched::Failed { status: None, reason: format!("无法访问订阅源：{e}") },
    };
    let status = resp.status().as_u16();
    if status == 304 {
        return Fetched::NotModified { status };
    }
    if !resp.status().is_success() {
        let why = match status {
            401 | 403 => "（采集器拒绝访问：可能需要重新登录或授权）",
            404 => "（订阅源不存在）",
            429 => "（请求过于频繁）",
            _ => "",
        };
        return Fetched::Failed {
            status: Some(status), reason: format!("订阅源返回 HTTP {status}{why}")
        };
    }
    let header = |name: reqwest::header::HeaderName| {
        resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
    };
    let (etag, last_modified) = (header(reqwest::header::ETAG), header(reqwest::header::LAST_MODIFIED));
    match resp.bytes().await {
        Ok(b) if b.len() > MAX_BODY => Fetched::Failed {
            status: Some(status),
            reason: format!("订阅源超过 {} MB 上限", MAX_BODY >> 20),
        },
        Ok(b) => Fetched::Body { bytes: b.to_vec(), status, etag, last_modified },
        Err(e) => Fetched::Failed { status: Some(status), reason: format!("读取订阅源失败：{e}") },
    }
}

/// Parses and imports one feed body; returns the articles stored or updated and the newest
/// item's time, or the reason (Chinese, naming the feed, line and field) it cannot be read.
fn import_feed(
    store: &mut dyn Store,
    source: &FeedSource,
    bytes: &[u8],
) -> Result<(u64, Option<Timestamp>), String> {
    let origin = Path::new(&source.url);
    let records =
        govmedia_ingest::feed::read_for(origin, &source.account, bytes).map_err(|e| e.to_string())?;
    let newest = records
        .iter()
        .filter_map(|r| match r {
            Record::Article(a) => Some(a.published_at),
            _ => None,
        })
        .max();
    let report =
        import_records(store, origin, records, ImportOptions::default()).map_err(|e| e.to_string())?;
    Ok((report.articles, newest))
}

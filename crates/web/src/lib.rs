//! Web checks: links, WeChat soft-404s, login and app walls, mobile adaptation in a real browser.
//!
//! Three checks plug into the engine: `links` (every menu target and every link in article
//! bodies: [`links::LinksCheck`]), `functions` (what the menu's columns offer, read from
//! their pages: [`functions::FunctionsCheck`]) and `mobile` (pages behind the menus at a
//! phone viewport in Chromium: [`mobile::MobileCheck`]). All network and browser work happens in
//! `Check::prepare`; `assess` only looks results up. With `Survey::offline` the checks read
//! the dataset's page snapshot (pages.jsonl) and never touch the network.
//!
//! Safety: every connection passes the SSRF guard ([`guard`]) unless
//! [`WebOptions::allow_private`] is set; the browser's connections go through govmedia's own
//! guarded proxy ([`proxy`]), and the browser never outlives its session
//! ([`browser::Session`]).

pub mod browser;
pub mod cache;
pub mod classify;
pub mod decode;
pub mod fetch;
pub mod fits;
pub mod functions;
pub mod guard;
pub mod links;
pub mod mobile;
pub mod pages;
pub mod proxy;
pub mod snapshot;
pub mod targets;

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use govmedia_checks::Check;
use govmedia_store_api::KvCache;

pub use fetch::{FetchConfig, Fetched, Fetcher};
pub use snapshot::{FetchSummary, fetch_pages};

/// How the web checks fetch and browse.
#[derive(Clone)]
pub struct WebOptions {
    /// Permit private, loopback, link-local and metadata addresses (tests, intranet use).
    pub allow_private: bool,
    /// Persistent fetch cache (the store's); none means no cache.
    pub cache: Option<Arc<dyn KvCache>>,
    /// How long a cached fetch stays valid.
    pub cache_max_age: Duration,
    /// The Chromium executable; none means look in the usual places.
    pub browser: Option<PathBuf>,
    /// Where screenshots and page HTML of the mobile check go; default a `govmedia-evidence`
    /// folder in the temporary directory.
    pub evidence_dir: Option<PathBuf>,
    /// How findings name that folder: e.g. `evidence`, relative to the results file beside it,
    /// so that results do not depend on where they were written; default the folder's path.
    pub evidence_ref: Option<PathBuf>,
    /// Without a browser, add low-confidence findings from the static HTML (viewport meta).
    pub static_mobile_fallback: bool,
    /// Render every page in the browser: no page proven from its HTML alone, identical saved
    /// pages each rendered (to compare with the fast path, or distrust it).
    pub render_all: bool,
    /// Fixed DNS answers (`name → address`), like curl's `--resolve`; still guarded.
    pub resolve: BTreeMap<String, IpAddr>,
    pub timeout: Duration,
    pub retries: u32,
    pub per_host: usize,
    /// Politeness delay between request starts on one host.
    pub delay: Duration,
    pub concurrency: usize,
    /// Time for one page in the browser (navigation and measurement).
    pub page_timeout: Duration,
}

impl Default for WebOptions {
    fn default() -> Self {
        let f = FetchConfig::default();
        WebOptions {
            allow_private: false,
            cache: None,
            cache_max_age: Duration::from_secs(24 * 3600),
            browser: None,
            evidence_dir: None,
            evidence_ref: None,
            static_mobile_fallback: false,
            render_all: false,
            resolve: BTreeMap::new(),
            timeout: f.timeout,
            retries: f.retries,
            per_host: f.per_host,
            delay: f.delay,
            concurrency: f.concurrency,
            page_timeout: Duration::from_secs(30),
        }
    }
}

impl WebOptions {
    pub fn fetch_config(&self) -> FetchConfig {
        FetchConfig {
            allow_private: self.allow_private,
            resolve: self.resolve.clone(),
            timeout: self.timeout,
            connect_timeout: self.timeout.min(FetchConfig::default().connect_timeout),
            retries: self.retries,
            per_host: self.per_host,
            delay: self.delay,
            concurrency: self.concurrency,
            ..FetchConfig::default()
        }
    }

    /// How findings refer to the evidence file `file`.
    pub fn evidence_ref(&self, file: &str) -> PathBuf {
        self.evidence_ref.clone().unwrap_or_else(|| self.evidence_dir()).join(file)
    }

    /// Where mobile evidence files are written.
    pub fn evidence_dir(&self) -> PathBuf {
        self.evidence_dir.clone().unwrap_or_else(|| std::env::temp_dir().join("govmedia-evidence"))
    }
}

/// What stops web work altogether (as opposed to one URL failing).
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("无法创建 HTTP 客户端：{0}")]
    Client(String),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{0}")]
    Other(String),
}

impl WebError {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        WebError::Io { path: path.to_owned(), source }
    }
}

/// The `links`, `functions` and `mobile` checks, sharing one set of fetch results, with the
/// default menu lexicon.
pub fn web_checks(opts: WebOptions) -> Vec<Box<dyn Check>> {
    web_checks_with(opts, govmedia_checks::menu::MenuLexicon::default_lexicon())
}

/// As [`web_checks`], with a user's menu lexicon for the `functions` check (the one the
/// `menu` check uses).
pub fn web_checks_with(
    opts: WebOptions,
    menu_lexicon: govmedia_checks::menu::MenuLexicon,
) -> Vec<Box<dyn Check>> {
    let shared = Arc::new(pages::Pages::new(opts));
    vec![
        Box::new(links::LinksCheck::new(shared.clone())),
        Box::new(functions::FunctionsCheck::new(shared.clone(), menu_lexicon)),
        Box::new(mobile::MobileCheck::new(shared)),
    ]
}

/// reqwest is built without a default crypto provider (to avoid a C build): use ring.
pub(crate) fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may win the race; either way a provider is installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

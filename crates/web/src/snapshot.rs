//! The dataset's page snapshot (pages.jsonl + pages/): reading it for offline runs and
//! writing it (`govmedia fetch-pages`).
//!
//! Beyond the contract's fields, each line keeps in its extra fields: `headers`,
//! `redirects` ([{url, status}]), `content_hash`, `failure` ({kind, detail}) for failures the
//! contract's `error` does not name (refused by the SSRF guard, redirect loops …), and for
//! pages seen in the browser `screenshot` (`pages/FILE.png`) and `mobile` (the measurement).

use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use govmedia_checks::{AccountData, Survey};
use govmedia_model::PageSnapshot;
use serde_json::{Value, json};

use crate::browser::{self, Measurement};
use crate::fetch::{Failure, FailureKind, Fetched, Fetcher, Hop, sha256_hex};
use crate::{WebError, WebOptions, guard, targets};

/// What `fetch_pages` wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchSummary {
    pub urls: usize,
    /// Answered with a status below 400.
    pub ok: usize,
    pub failed: usize,
    pub screenshots: usize,
    /// Pages the browser could not render, with the reason.
    pub browser_errors: Vec<(String, String)>,
    /// Set when no browser was found (no screenshots taken).
    pub no_browser: bool,
    pub pages_jsonl: PathBuf,
}

/// A stored snapshot as a fetch result; the body is read from `dataset_dir/<body>`, when that
/// file lies inside the dataset's pages/ folder ([`snapshot_file`]), at most
/// [`MAX_SNAPSHOT_BODY`] bytes of it.
pub fn from_snapshot(s: &PageSnapshot, dataset_dir: Option<&Path>) -> Fetched {
    let body = s.body.as_ref().and_then(|b| snapshot_file(dataset_dir, b)).and_then(|p| {
        let mut bytes = Vec::new();
        std::fs::File::open(p).and_then(|f| f.take(MAX_SNAPSHOT_BODY).read_to_end(&mut bytes)).ok()?;
        Some(bytes)
    });
    let failure = s
        .extra
        .get("failure")
        .and_then(|v| serde_json::from_value::<Failure>(v.clone()).ok())
        .or_else(|| s.error.map(|e| Failure { kind: FailureKind::from_model(e), detail: String::new() }));
    let redirects: Vec<Hop> =
        s.extra.get("redirects").and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or_default();
    let headers: BTreeMap<String, String> =
        s.extra.get("headers").and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or_default();
    Fetched {
        url: s.url.clone(),
        fetched_at: s.fetched_at,
        status: s.status,
        final_url: s.final_url.clone().or_else(|| Some(s.url.clone())),
        redirects,
        headers,
        content_type: s.content_type.clone(),
        content_hash: body.as_ref().map(|b| sha256_hex(b)),
        body_truncated: false,
        failure,
        body: body.map(Arc::from),
    }
}

/// The most of a snapshot body that is read (the fetcher keeps far less: `max_body`).
pub const MAX_SNAPSHOT_BODY: u64 = 64 << 20;

/// The file a snapshot line names (`pages/…`), when it is a regular file inside the dataset's
/// pages/ folder. A dataset is untrusted: a `body` of `../…`, an absolute path, or a link
/// leading out of pages/ would put any file of this machine into the evidence.
pub fn snapshot_file(dataset_dir: Option<&Path>, rel: &str) -> Option<PathBuf> {
    let rel = Path::new(rel);
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    let base = dataset_dir.unwrap_or(Path::new("."));
    let pages = base.join("pages").canonicalize().ok()?;
    let full = base.join(rel).canonicalize().ok()?;
    (full.starts_with(&pages) && full.metadata().ok()?.is_file()).then_some(full)
}

/// The browser measurement and screenshot path stored with a snapshot, if any.
pub fn stored_mobile(s: &PageSnapshot) -> Option<(Measurement, Option<String>)> {
    let m = serde_json::from_value(s.extra.get("mobile")?.clone()).ok()?;
    Some((m, s.extra.get("screenshot").and_then(Value::as_str).map(str::to_owned)))
}

/// A file name for a URL under pages/ (stable across runs).
pub fn file_stem(url: &str) -> String {
    sha256_hex(url.as_bytes())[..20].to_owned()
}

/// Fetches every URL the web checks look at, renders menu pages in the browser when one is
/// available, and writes `dataset_dir/pages.jsonl` (merged with what is there, by URL) and
/// the bodies and screenshots under `dataset_dir/pages/`.
pub async fn fetch_pages(
    survey: &Survey,
    accounts: &[AccountData],
    dataset_dir: &Path,
    opts: &WebOptions,
) -> Result<FetchSummary, WebError> {
    let mut urls: Vec<String> = Vec::new();
    let mut mobile: Vec<String> = Vec::new();
    for a in accounts {
        urls.extend(targets::link_targets(survey, a).into_iter().map(|t| t.url));
        mobile.extend(targets::mobile_targets(a).into_iter().map(|t| t.url));
    }
    urls.sort();
    urls.dedup();
    mobile.sort();
    mobile.dedup();
    let pages_dir = dataset_dir.join("pages");
    std::fs::create_dir_all(&pages_dir).map_err(|e| WebError::io(&pages_dir, e))?;

    let fetcher = Arc::new(Fetcher::new(opts.fetch_config())?);
    let fetched = fetcher.fetch_all(&urls, &|| {}).await;

    let mut snaps: BTreeMap<String, PageSnapshot> = read_pages_jsonl(&dataset_dir.join("pages.jsonl"))?;
    let mut summary = FetchSummary {
        urls: fetched.len(),
        ok: 0,
        failed: 0,
        screenshots: 0,
        browser_errors: Vec::new(),
        no_browser: false,
        pages_jsonl: dataset_dir.join("pages.jsonl"),
    };
    for f in fetched.values() {
        if f.status.is_some_and(|s| s < 400) {
            summary.ok += 1
        } else {
            summary.failed += 1
        }
        let snap = to_snapshot(f, &pages_dir)?;
        snaps.insert(f.url.clone(), snap);
    }

    let renderable: Vec<String> = mobile
        .into_iter()
        .filter(|u| fetched.get(u).is_some_and(|f| f.status.is_some_and(|s| s < 400) && f.is_html()))
        .collect();
    match browser::find_browser(opts.browser.as_deref()) {
        None => summary.no_browser = !renderable.is_empty(),
        Some(exe) if !renderable.is_empty() => {
            let pins = pin_hosts(&renderable, opts).await;
            let session =
                browser::Session::launch(&exe, &pins, browser::NetPolicy::for_run(opts, false)).await?;
            for u in &renderable {
                match session.render_url(u, opts.page_timeout, browser::Keep::Always).await {
                    Ok(r) => {
                        let name = format!("{}.png", file_stem(u));
                        let p = pages_dir.join(&name);
                        let png = r.screenshot.unwrap_or_default();
                        std::fs::write(&p, &png).map_err(|e| WebError::io(&p, e))?;
                        if let Some(s) = snaps.get_mut(u) {
                            s.extra.insert("screenshot".into(), json!(format!("pages/{name}")));
                            s.extra.insert(
                                "mobile".into(),
                                serde_json::to_value(&r.measurement).unwrap_or(Value::Null),
                            );
                        }
                        summary.screenshots += 1;
                    }
                    Err(e) => summary.browser_errors.push((u.clone(), e)),
                }
            }
            session.close().await;
        }
        Some(_) => {}
    }
    write_pages_jsonl(&summary.pages_jsonl, &snaps)?;
    Ok(summary)
}

/// Resolves each page host once through the guard; hosts it refuses are left out (the
/// browser then cannot resolve them either when every name is pinned or refused).
pub(crate) async fn pin_hosts(urls: &[String], opts: &WebOptions) -> Vec<(String, std::net::IpAddr)> {
    let resolver = guard::GuardedResolver {
        allow_private: opts.allow_private,
        overrides: Arc::new(opts.resolve.clone()),
    };
    let mut seen = HashSet::new();
    let mut pins = Vec::new();
    for u in urls {
        let Ok(url) = reqwest::Url::parse(u) else { continue };
        let Some(url::Host::Domain(host)) = url.host() else { continue };
        if seen.insert(host.to_owned())
            && let Ok(ips) = resolver.lookup(host).await
        {
            pins.push((host.to_owned(), ips[0]));
        }
    }
    pins
}

fn to_snapshot(f: &Fetched, pages_dir: &Path) -> Result<PageSnapshot, WebError> {
    let mut extra = serde_json::Map::new();
    let body = match &f.body {
        Some(b) => {
            let name = format!("{}.html", file_stem(&f.url));
            let p = pages_dir.join(&name);
            std::fs::write(&p, b).map_err(|e| WebError::io(&p, e))?;
            Some(format!("pages/{name}"))
        }
        None => None,
    };
    if !f.headers.is_empty() {
        extra.insert("headers".into(), json!(f.headers));
    }
    if !f.redirects.is_empty() {
        extra.insert("redirects".into(), json!(f.redirects));
    }
    if let Some(h) = &f.content_hash {
        extra.insert("content_hash".into(), json!(h));
    }
    if let Some(fail) = &f.failure {
        extra.insert("failure".into(), json!(fail));
    }
    Ok(PageSnapshot {
        url: f.url.clone(),
        fetched_at: f.fetched_at,
        status: f.status,
        final_url: f.final_url.clone(),
        content_type: f.content_type.clone(),
        body,
        error: f.failure.as_ref().and_then(|x| x.kind.to_model()),
        extra,
    })
}

fn read_pages_jsonl(path: &Path) -> Result<BTreeMap<String, PageSnapshot>, WebError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(WebError::io(path, e)),
    };
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let s: PageSnapshot = serde_json::from_str(line)
            .map_err(|e| WebError::Other(format!("{}:{}: {e}", path.display(), i + 1)))?;
        out.insert(s.url.clone(), s);
    }
    Ok(out)
}

fn write_pages_jsonl(path: &Path, snaps: &BTreeMap<String, PageSnapshot>) -> Result<(), WebError> {
    let mut out = String::new();
    for s in snaps.values() {
        out.push_str(&serde_json::to_string(s).map_err(|e| WebError::Other(e.to_string()))?);
        out.push('\n');
    }
    let tmp = path.with_extension("jsonl.tmp");
    std::fs::write(&tmp, out).map_err(|e| WebError::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| WebError::io(path, e))
}

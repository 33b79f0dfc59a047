//! A headless Chromium at a phone viewport (375×667 CSS px, DPR 2, mobile UA, touch), driven
//! over CDP, measuring what makes a page unusable on a phone.
//!
//! Not adapted when any of these holds (thresholds in [`Measurement::problems`]):
//! - no `<meta name=viewport>` (the page is laid out 980 px wide and shrunk), or a fixed
//!   numeric `width=` in it;
//! - horizontal overflow: the document is wider than the viewport by more than 8 px;
//! - small text: over 30 % of visible text characters render below 12 px on the screen
//!   (CSS size × 375 / layout-viewport width);
//! - small tap targets: over 50 % of visible links, buttons and fields (links inside running
//!   text excepted) measure below 24 px on the screen in either dimension (WCAG 2.5.8).

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::sync::{mpsc, watch};

use crate::WebError;
use crate::fetch::MOBILE_UA;
use crate::guard::{self, GuardedResolver};
use crate::proxy::{Proxy, Rule};

mod cdp;
mod process;

pub use process::{MAX_MEMORY_BYTES, group_memory};

pub const PHONE_WIDTH: u32 = 375;
pub const PHONE_HEIGHT: u32 = 667;
/// How long closing a tab may take (a browser that hangs answers never).
const CLOSE_TIMEOUT: Duration = Duration::from_secs(5);

/// Where Debian and others put Chromium.
const CANDIDATES: &[&str] = &[
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
];

/// The browser to use: the configured path if it exists, else `$CHROME`, else a usual place.
pub fn find_browser(configured: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = configured {
        return p.exists().then(|| p.to_owned());
    }
    std::env::var_os("CHROME")
        .map(PathBuf::from)
        .into_iter()
        .chain(CANDIDATES.iter().map(PathBuf::from))
        .find(|p| p.exists())
}

/// What the page looks like on a phone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    /// Layout viewport width in CSS px (980 without a viewport meta).
    pub viewport_width: f64,
    /// Document width in CSS px.
    pub scroll_width: f64,
    pub viewport_meta: Option<String>,
    pub text_chars: u64,
    pub small_text_chars: u64,
    pub tap_targets: u64,
    pub small_tap_targets: u64,
}

impl Measurement {
    /// Each reason the page is not adapted, in Chinese, with the numbers.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        match self.viewport_meta.as_deref() {
            None => {
                out.push(format!("未设置 viewport，页面按 {:.0}px 宽排版后缩小显示", self.viewport_width))
            }
            Some(meta) => {
                if let Some(w) = fixed_width(meta) {
                    out.push(format!("viewport 固定宽度 {w}px（“{meta}”）"));
                }
            }
        }
        if self.scroll_width > self.viewport_width + 8.0 {
            out.push(format!(
                "页面宽 {:.0}px，超出屏幕 {:.0}px，需要横向滚动",
                self.scroll_width, self.viewport_width
            ));
        }
        if self.text_chars >= 40 && self.small_text_chars as f64 > 0.3 * self.text_chars as f64 {
            out.push(format!(
                "{:.0}% 的文字在手机上小于 12px（{}/{} 字）",
                100.0 * self.small_text_chars as f64 / self.text_chars as f64,
                self.small_text_chars,
                self.text_chars
            ));
        }
        if self.tap_targets >= 3 && self.small_tap_targets as f64 > 0.5 * self.tap_targets as f64 {
            out.push(format!("点击目标过小：{}/{} 个小于 24px", self.small_tap_targets, self.tap_targets));
        }
        out
    }
}

/// `width=1200` → 1200; `width=device-width` → none.
pub fn fixed_width(meta: &str) -> Option<u32> {
    meta.split([',', ';']).find_map(|part| {
        let (k, v) = part.split_once('=')?;
        if k.trim().eq_ignore_ascii_case("width") {
            v.trim().parse::<f64>().ok().map(|w| w as u32)
        } else {
            None
        }
    })
}

/// Runs in the page; returns a [`Measurement`] as JSON.
const MEASURE_JS: &str = r#"(() => {
  const de = document.documentElement, body = document.body;
  const vw = window.innerWidth;
  const scale = 375 / vw;
  const sw = Math.max(de.scrollWidth, body ? body.scrollWidth : 0);
  const metas = [...document.querySelectorAll('meta[name="viewport" i]')];
  const meta = metas.length ? metas[metas.length - 1].getAttribute('content') : null;
  const visible = (el) => {
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden' || parseFloat(cs.opacity) === 0) return null;
    const r = el.getBoundingClientRect();
    return (r.width > 0 && r.height > 0) ? [cs, r] : null;
  };
  let text = 0, small = 0;
  if (body) {
    const w = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    while (w.nextNode()) {
      const t = w.currentNode.textContent.replace(/\s+/g, '');
      const el = w.currentNode.parentElement;
      if (!t.length || !el || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(el.tagName)) continue;
      const v = visible(el);
      if (!v) continue;
      text += t.length;
      if (parseFloat(v[0].fontSize) * scale < 12) small += t.length;
    }
  }
  let taps = 0, smallTaps = 0;
  for (const el of document.querySelectorAll('a[href],button,input:not([type="hidden" i]),select,textarea,[role="button"]')) {
    const v = visible(el);
    if (!v) continue;
    const [cs, r] = v;
    if (el.tagName === 'A' && cs.display === 'inline' && el.parentElement) {
      const own = (el.textContent || '').trim().length;
      const around = (el.parentElement.textContent || '').trim().length;
      if (around > own + 10) continue;
    }
    taps++;
    if (Math.min(r.width, r.height) * scale < 24) smallTaps++;
  }
  return JSON.stringify({viewport_width: vw, scroll_width: sw, viewport_meta: meta,
    text_chars: text, small_text_chars: small, tap_targets: taps, small_tap_targets: smallTaps});
})()"#;

/// Which requests the browser may make (every request, subresources included, is paused
/// and let through or failed by us).
#[derive(Debug, Clone)]
pub enum NetPolicy {
    /// Anything (private addresses allowed).
    Open,
    /// Only what the SSRF guard permits; names are resolved by the guard first.
    Guarded(GuardedResolver),
    /// Nothing leaves the machine (offline snapshots): every http(s) request fails.
    Offline,
}

impl NetPolicy {
    /// The policy for a run: offline blocks everything, `allow_private` opens everything.
    pub fn for_run(opts: &crate::WebOptions, offline: bool) -> Self {
        if offline {
            NetPolicy::Offline
        } else if opts.allow_private {
            NetPolicy::Open
        } else {
            NetPolicy::Guarded(GuardedResolver {
                allow_private: false,
                overrides: Arc::new(opts.resolve.clone()),
            })
        }
    }

    async fn allows(&self, url: &str) -> bool {
        let Ok(u) = reqwest::Url::parse(url) else { return false };
        if matches!(u.scheme(), "data" | "blob" | "about") {
            return true;
        }
        match self {
            NetPolicy::Open => true,
            NetPolicy::Offline => false,
            NetPolicy::Guarded(r) => {
                if guard::check_url(&u, r.allow_private).is_err() {
                    return false;
                }
                match u.host() {
                    Some(url::Host::Domain(h)) => r.lookup(h).await.is_ok(),
                    _ => true,
                }
            }
        }
    }
}

/// One page as the phone saw it.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub measurement: Measurement,
    /// PNG screenshot and rendered HTML, kept as [`Keep`] says.
    pub screenshot: Option<Vec<u8>>,
    pub html: Option<String>,
    pub final_url: String,
    /// Requests the network policy refused (SSRF guard or offline).
    pub blocked_requests: u64,
}

/// A running browser; close it with [`Session::close`]. Dropping it kills the browser too.
pub struct Session {
    cdp: Arc<cdp::Connection>,
    policy: Arc<NetPolicy>,
    process: process::Chromium,
    _proxy: Proxy,
    _profile: tempfile::TempDir,
}

impl Session {
    /// Starts Chromium. `pins` fix the address of each page host (the one the SSRF guard
    /// checked), so the browser connects where the guard looked; `policy` decides every
    /// request the pages make. Every connection goes through govmedia's proxy ([`Proxy`]),
    /// which applies the same guard to the address it connects to, WebSockets included.
    pub async fn launch(exe: &Path, pins: &[(String, IpAddr)], policy: NetPolicy) -> Result<Self, WebError> {
        let profile =
            tempfile::tempdir().map_err(|e| WebError::Other(format!("无法创建浏览器配置目录：{e}")))?;
        let rule = match &policy {
            NetPolicy::Offline => Rule::Deny,
            NetPolicy::Open => {
                Rule::Resolve(GuardedResolver { allow_private: true, overrides: pinned(pins, None) })
            }
            NetPolicy::Guarded(r) => Rule::Resolve(GuardedResolver {
                allow_private: r.allow_private,
                overrides: pinned(pins, Some(&r.overrides)),
            }),
        };
        let proxy =
            Proxy::start(rule).await.map_err(|e| WebError::Other(format!("无法启动浏览器代理：{e}")))?;
        let mut args: Vec<String> = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-default-apps",
            "--disable-breakpad",
            "--no-first-run",
            "--hide-scrollbars",
            "--mute-audio",
            "--remote-debugging-port=0",
            // Every connection through the guarded proxy, loopback included; the browser's
            // own resolver answers nothing, so it cannot look a name up behind the guard.
            "--proxy-bypass-list=<-loopback>",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            // WebRTC may only use the proxy (no UDP to private addresses).
            "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
            "--webrtc-ip-handling-policy=disable_non_proxied_udp",
            // A page's scripts get a bounded heap.
            "--js-flags=--max-old-space-size=512",
        ]
        .map(str::to_owned)
        .into();
        args.push(format!("--proxy-server=http://{}", proxy.addr));
        args.push(format!("--user-data-dir={}", profile.path().display()));
        args.push(format!("--window-size={PHONE_WIDTH},{PHONE_HEIGHT}"));
        let (process, ws) = process::Chromium::start(exe, &args, Duration::from_secs(30)).await?;
        let cdp = cdp::Connection::connect(&ws)
            .await
            .map_err(|e| WebError::Other(format!("无法连接浏览器：{e}")))?;
        Ok(Session {
            cdp: Arc::new(cdp),
            policy: Arc::new(policy),
            process,
            _proxy: proxy,
            _profile: profile,
        })
    }

    /// A blank page at phone metrics whose every request (its frames' and workers' too)
    /// passes the policy.
    async fn phone_page(&self) -> Result<Tab, String> {
        let created = self.cdp.call(None, "Target.createTarget", json!({ "url": "about:blank" })).await?;
        let target = created["targetId"].as_str().ok_or("浏览器未返回页面标识")?.to_owned();
        let attached = self
            .cdp
            .call(None, "Target.attachToTarget", json!({ "targetId": target, "flatten": true }))
            .await?;
        let session = attached["sessionId"].as_str().ok_or("浏览器未返回会话标识")?.to_owned();
        let blocked = Arc::new(AtomicU64::new(0));
        let (lifecycle, loads) = watch::channel(Lifecycle::default());
        let serving = tokio::spawn(serve_page(
            self.cdp.clone(),
            self.cdp.events(&session),
            (target.clone(), session.clone()),
            self.policy.clone(),
            blocked.clone(),
            lifecycle,
        ));
        let tab = Tab { cdp: self.cdp.clone(), target, session, loads, serving, blocked };
        tab.call("Page.enable", json!({})).await?;
        tab.call("Page.setLifecycleEventsEnabled", json!({ "enabled": true })).await?;
        tab.call("Fetch.enable", intercept_all()).await?;
        // Cross-site frames run as targets of their own: they are attached paused, their
        // requests intercepted too, then let run (`serve_page`).
        tab.call(
            "Target.setAutoAttach",
            json!({ "autoAttach": true, "waitForDebuggerOnStart": true, "flatten": true }),
        )
        .await?;
        let metrics = json!({
            "width": PHONE_WIDTH,
            "height": PHONE_HEIGHT,
            "deviceScaleFactor": 2.0,
            "mobile": true,
        });
        tab.call("Emulation.setDeviceMetricsOverride", metrics).await?;
        tab.call("Emulation.setTouchEmulationEnabled", json!({ "enabled": true })).await?;
        tab.call("Emulation.setUserAgentOverride", json!({ "userAgent": MOBILE_UA })).await?;
        Ok(tab)
    }

    /// Opens `url` and measures it.
    pub async fn render_url(&self, url: &str, timeout: Duration, keep: Keep) -> Result<Rendered, String> {
        self.render(Source::Url(url), timeout, keep).await
    }

    /// Loads saved HTML and measures it (for offline snapshots).
    pub async fn render_html(&self, html: &str, timeout: Duration, keep: Keep) -> Result<Rendered, String> {
        self.render(Source::Html(html), timeout, keep).await
    }

    async fn render(&self, source: Source<'_>, timeout: Duration, keep: Keep) -> Result<Rendered, String> {
        // Every exchange with the browser is bounded: a browser that died or hangs answers
        // nothing, and the page is then reported not evaluated instead of waited for.
        self.process.check_alive()?;
        let late = || format!("页面加载超过 {} 秒", timeout.as_secs());
        let deadline = tokio::time::Instant::now() + timeout;
        let page = tokio::time::timeout_at(deadline, self.phone_page())
            .await
            .map_err(|_| self.process.check_alive().err().unwrap_or_else(late))??;
        let result = tokio::time::timeout_at(deadline, async {
            match source {
                Source::Url(url) => page.goto(url).await.map_err(|e| format!("页面打开失败：{e}"))?,
                Source::Html(html) => {
                    page.set_content(html).await.map_err(|e| format!("页面载入失败：{e}"))?
                }
            }
            measure(&page, keep).await
        })
        .await
        .unwrap_or_else(|_| Err(late()));
        // A dead browser explains a failure better than the failure itself.
        let result = self.process.check_alive().and(result);
        let blocked_requests = page.blocked.load(Ordering::Relaxed);
        page.close().await;
        result.map(|r| Rendered { blocked_requests, ..r })
    }

    /// The process group of the browser (its main process id).
    pub fn process_group(&self) -> u32 {
        self.process.pgid()
    }

    /// Closes the browser, and kills whatever of it is left.
    pub async fn close(self) {
        let _ = tokio::time::timeout(Duration::from_secs(5), self.cdp.call(None, "Browser.close", json!({})))
            .await;
        self.process.wait_exit(Duration::from_secs(2)).await;
        // Dropping `process` kills the browser's whole process group.
    }
}

/// `pins` as resolver overrides, over the fixed answers already configured.
fn pinned(
    pins: &[(String, IpAddr)],
    base: Option<&Arc<std::collections::BTreeMap<String, IpAddr>>>,
) -> Arc<std::collections::BTreeMap<String, IpAddr>> {
    let mut map = base.map(|b| (**b).clone()).unwrap_or_default();
    map.extend(pins.iter().cloned());
    Arc::new(map)
}

async fn measure(page: &Tab, keep: Keep) -> Result<Rendered, String> {
    let json = page.evaluate(MEASURE_JS).await.map_err(|e| format!("页面测量失败：{e}"))?;
    let json = json.as_str().ok_or_else(|| format!("页面测量失败：结果不是文本（{json}）"))?;
    let measurement: Measurement = serde_json::from_str(json).map_err(|e| format!("页面测量失败：{e}"))?;
    let (screenshot, html) = if keep == Keep::Always || !measurement.problems().is_empty() {
        let png = page.screenshot().await.map_err(|e| format!("截图失败：{e}"))?;
        let html = page.evaluate(CONTENT_JS).await.map_err(|e| format!("读取页面失败：{e}"))?;
        (Some(png), Some(html.as_str().unwrap_or_default().to_owned()))
    } else {
        (None, None)
    };
    let final_url = page.evaluate("location.href").await.ok();
    let final_url = final_url.as_ref().and_then(Value::as_str).unwrap_or_default().to_owned();
    Ok(Rendered { measurement, screenshot, html, final_url, blocked_requests: 0 })
}

/// The rendered document as HTML, doctype included.
const CONTENT_JS: &str = r#"(document.doctype ? new XMLSerializer().serializeToString(document.doctype) : '')
  + (document.documentElement ? document.documentElement.outerHTML : '')"#;

/// Where the page's main frame is in loading its document.
#[derive(Debug, Default)]
struct Lifecycle {
    /// The event (`seq`) that started the current document: `init` (a navigation commits, or
    /// `document.open()`).
    started: u64,
    /// The current document has fired `load`.
    loaded: bool,
}

/// A page of the browser on a session of its own, closed when dropped.
struct Tab {
    cdp: Arc<cdp::Connection>,
    target: String,
    session: String,
    loads: watch::Receiver<Lifecycle>,
    /// Answers the page's paused requests and follows its lifecycle ([`serve_page`]).
    serving: tokio::task::JoinHandle<()>,
    /// Requests the network policy refused.
    blocked: Arc<AtomicU64>,
}

impl Tab {
    async fn call(&self, method: &str, params: Value) -> Result<Value, String> {
        self.cdp.call(Some(&self.session), method, params).await
    }

    /// Opens `url` and waits until the frame's document (the page, or where its scripts sent
    /// the frame before it loaded) fires `load`.
    async fn goto(&self, url: &str) -> Result<(), String> {
        let before = self.cdp.events_so_far();
        let nav = self.call("Page.navigate", json!({ "url": url })).await?;
        if let Some(error) = nav["errorText"].as_str().filter(|e| !e.is_empty()) {
            return Err(error.to_owned());
        }
        if nav["loaderId"].is_null() {
            return Ok(()); // Within the same document: nothing to load.
        }
        self.loaded_after(before).await
    }

    /// Writes `html` into the blank page as its document and waits for its `load` event.
    async fn set_content(&self, html: &str) -> Result<(), String> {
        let before = self.cdp.events_so_far();
        let write = format!("document.open(); document.write({}); document.close();", Value::from(html));
        self.evaluate(&write).await?;
        self.loaded_after(before).await
    }

    /// Waits until a document started after the `before`-th event of the connection has
    /// loaded (the last one started, when scripts navigate before `load`).
    async fn loaded_after(&self, before: u64) -> Result<(), String> {
        let mut loads = self.loads.clone();
        let done = |l: &Lifecycle| l.started > before && l.loaded;
        loads.wait_for(done).await.map(|_| ()).map_err(|_| "与浏览器的连接已断开".to_owned())
    }

    /// Runs `expression` in the page (promises awaited) and returns its value.
    async fn evaluate(&self, expression: &str) -> Result<Value, String> {
        let mut res = self
            .call(
                "Runtime.evaluate",
                json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
            )
            .await?;
        if let Some(e) = res.get("exceptionDetails") {
            let text = e["exception"]["description"].as_str().or(e["text"].as_str());
            return Err(text.unwrap_or("脚本异常").to_owned());
        }
        Ok(res["result"]["value"].take())
    }

    /// A PNG of the viewport.
    async fn screenshot(&self) -> Result<Vec<u8>, String> {
        self.cdp.call(None, "Target.activateTarget", json!({ "targetId": self.target })).await?;
        let shot = self.call("Page.captureScreenshot", json!({ "format": "png" })).await?;
        let data = shot["data"].as_str().ok_or("浏览器未返回截图")?;
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, data).map_err(|e| e.to_string())
    }

    /// Closes the page.
    async fn close(mut self) {
        close_target(self.cdp.clone(), std::mem::take(&mut self.target)).await;
    }
}

/// Closes a page, waiting at most [`CLOSE_TIMEOUT`] (a browser that hangs answers never).
async fn close_target(cdp: Arc<cdp::Connection>, target: String) {
    let closing = cdp.call(None, "Target.closeTarget", json!({ "targetId": target }));
    let _ = tokio::time::timeout(CLOSE_TIMEOUT, closing).await;
}

/// `Fetch.enable` parameters that pause every request of a session.
fn intercept_all() -> Value {
    json!({ "patterns": [{ "urlPattern": "*" }] })
}

impl Drop for Tab {
    fn drop(&mut self) {
        self.serving.abort();
        self.cdp.forget(&self.session);
        // Not closed yet (a time-out or an error dropped it): close it in the background.
        if !self.target.is_empty()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(close_target(self.cdp.clone(), std::mem::take(&mut self.target)));
        }
    }
}

/// Answers a page's paused requests by the policy (counting refusals), lets frames and
/// workers attached under it run with their requests intercepted too, and follows the main
/// frame's lifecycle.
async fn serve_page(
    cdp: Arc<cdp::Connection>,
    mut events: mpsc::UnboundedReceiver<cdp::Event>,
    (target, page_session): (String, String),
    policy: Arc<NetPolicy>,
    blocked: Arc<AtomicU64>,
    lifecycle: watch::Sender<Lifecycle>,
) {
    while let Some(ev) = events.recv().await {
        let session = Some(ev.session.as_str());
        match ev.method.as_str() {
            "Fetch.requestPaused" => {
                let id = &ev.params["requestId"];
                if policy.allows(ev.params["request"]["url"].as_str().unwrap_or_default()).await {
                    let _ = cdp.call(session, "Fetch.continueRequest", json!({ "requestId": id })).await;
                } else {
                    blocked.fetch_add(1, Ordering::Relaxed);
                    let failed = json!({ "requestId": id, "errorReason": "AccessDenied" });
                    let _ = cdp.call(session, "Fetch.failRequest", failed).await;
                }
            }
            "Target.attachedToTarget" => {
                let child = ev.params["sessionId"].as_str();
                // Workers have no Fetch domain; their requests still pass the proxy's guard.
                let _ = cdp.call(child, "Fetch.enable", intercept_all()).await;
                let _ = cdp.call(child, "Runtime.runIfWaitingForDebugger", json!({})).await;
            }
            "Page.lifecycleEvent"
                if ev.session == page_session && ev.params["frameId"] == target.as_str() =>
            {
                lifecycle.send_modify(|l| match ev.params["name"].as_str() {
                    Some("init") => *l = Lifecycle { started: ev.seq, loaded: false },
                    Some("load") => l.loaded = true,
                    _ => {}
                });
            }
            _ => {}
        }
    }
}

/// Without a browser: a page that declares no viewport, or a fixed-width one, is very likely
/// not adapted. Low confidence: CSS and scripts are not run.
pub fn static_problems(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let meta = lower.match_indices("<meta").find_map(|(i, _)| {
        let tag = &lower[i..i + lower[i..].find('>').unwrap_or(lower.len() - i)];
        tag.contains("viewport").then(|| {
            tag.split("content=")
                .nth(1)
                .map(|c| c.trim_start_matches(['"', '\'']).split(['"', '\'']).next().unwrap_or("").to_owned())
        })
    });
    match meta {
        None => vec!["HTML 中未声明 viewport（静态分析，置信度低）".into()],
        Some(Some(c)) => match fixed_width(&c) {
            Some(w) => vec![format!("viewport 固定宽度 {w}px（静态分析，置信度低）")],
            None => Vec::new(),
        },
        Some(None) => Vec::new(),
    }
}

/// When a render keeps the page's screenshot and HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Always (snapshots that are saved as evidence for later runs).
    Always,
    /// Only when the measurement finds a problem: the evidence of a finding. At national scale
    /// this spares thousands of screenshots nobody reads.
    OnProblems,
}

/// What a phone page renders: a live address or saved HTML.
enum Source<'a> {
    Url(&'a str),
    Html(&'a str),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds() {
        let good = Measurement {
            viewport_width: 375.0,
            scroll_width: 375.0,
            viewport_meta: Some("width=device-width, initial-scale=1".into()),
            text_chars: 500,
            small_text_chars: 20,
            tap_targets: 10,
            small_tap_targets: 2,
        };
        assert!(good.problems().is_empty());
        let bad = Measurement {
            viewport_width: 980.0,
            scroll_width: 1200.0,
            viewport_meta: None,
            small_text_chars: 400,
            small_tap_targets: 9,
            ..good.clone()
        };
        assert_eq!(bad.problems().len(), 4);
        let fixed = Measurement {
            viewport_meta: Some("width=1024".into()),
            viewport_width: 1024.0,
            scroll_width: 1024.0,
            ..good
        };
        assert_eq!(fixed.problems().len(), 1);
        assert_eq!(fixed_width("width=device-width"), None);
    }

    #[test]
    fn static_heuristic() {
        assert_eq!(static_problems("<html><head><title>x</title></head></html>").len(), 1);
        assert_eq!(static_problems(r#"<meta name="viewport" content="width=1200">"#).len(), 1);
        assert!(
            static_problems(r#"<meta name="viewport" content="width=device-width,initial-scale=1">"#)
                .is_empty()
        );
    }
}

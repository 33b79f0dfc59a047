//! The `mobile` check: pages behind the menus at a phone viewport in Chromium.
//!
//! Metrics: `score` (share of the account's rendered menu pages that fit a phone, 0–1),
//! `pages_checked`, `pages_not_adapted`. Pages that could not be opened (broken links are the
//! `links` check's business) are counted in stats as not evaluated, with the reason. Without
//! a browser the check is "未评估：未找到浏览器"; with `static_mobile_fallback` it adds
//! low-confidence findings from the HTML's viewport declaration instead, and no score.

use std::collections::HashMap;
use std::sync::Arc;

use futures_util::StreamExt;
use govmedia_checks::{AccountData, Assessment, Check, CheckError, Outcome, Progress, Survey};
use govmedia_model::{Finding, FindingCode, Severity, Timestamp};
use rayon::prelude::*;
use serde_json::json;

use crate::WebError;
use crate::browser::{self, Keep, Measurement, NetPolicy, Session};
use crate::classify::Verdict;
use crate::fetch::{Fetched, now};
use crate::fits;
use crate::pages::Pages;
use crate::snapshot::{file_stem, pin_hosts, snapshot_file, stored_mobile};
use crate::targets::{Origin, mobile_targets};
use govmedia_checks::blocking::block_on;

pub const NO_BROWSER: &str = "未评估：未找到浏览器";
/// Pages rendered at once when all come from the snapshot (no network: only the local browser
/// is loaded; 8 was the fastest tried on 2 cores).
const TABS_OFFLINE: usize = 8;
/// Pages rendered at once when some are loaded from the live sites: few, as menu pages often
/// share a host.
const TABS_ONLINE: usize = 2;

/// What the phone showed for one page.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum PageResult {
    Measured {
        measurement: Measurement,
        fetched_at: Timestamp,
        final_url: String,
        status: Option<u16>,
        content_hash: Option<String>,
        screenshot: Option<String>,
        html: Option<String>,
        /// Requests of the page refused by the network policy.
        blocked_requests: u64,
    },
    /// Static heuristic only (no browser): the problems found, low confidence.
    Static {
        problems: Vec<String>,
        fetched_at: Timestamp,
        status: Option<u16>,
    },
    /// Fits a phone, proven from the saved HTML without rendering ([`crate::fits`]).
    Proven,
    NotEvaluated(String),
}

pub struct MobileCheck {
    pages: Arc<Pages>,
    results: HashMap<String, PageResult>,
    no_browser: bool,
    /// Observed: the menu pages to judge.
    urls: Vec<String>,
}

impl MobileCheck {
    pub fn new(pages: Arc<Pages>) -> Self {
        MobileCheck { pages, results: HashMap::new(), no_browser: false, urls: Vec::new() }
    }

    /// Renders the pages in Chromium. Identical saved pages render identically without the
    /// network, so each distinct one is rendered once (unless `render_all`); every page keeps
    /// its own evidence files.
    async fn render_pages(
        &self,
        survey: &Survey,
        exe: &std::path::Path,
        jobs: Vec<(String, Fetched)>,
        progress: &dyn Progress,
    ) -> Result<HashMap<String, PageResult>, WebError> {
        let opts = &self.pages.opts;
        let live: Vec<String> =
            jobs.iter().map(|(u, _)| u.clone()).filter(|u| !from_snapshot(survey, u)).collect();
        let pins = if live.is_empty() { Vec::new() } else { pin_hosts(&live, opts).await };
        // Snapshot pages are rendered without the network, so that they render as stored.
        let session = Session::launch(exe, &pins, NetPolicy::for_run(opts, live.is_empty())).await?;
        let dir = opts.evidence_dir();
        std::fs::create_dir_all(&dir).map_err(|e| WebError::io(&dir, e))?;
        progress.start("移动端适配检查", jobs.len() as u64);
        let offline_identical = live.is_empty() && !opts.render_all;
        let render = |group: Vec<(String, Fetched)>| {
            let (session, dir) = (&session, &dir);
            async move {
                let (u, f) = &group[0];
                let rendered = if from_snapshot(survey, u) {
                    match f.text() {
                        Some(html) => session.render_html(&html, opts.page_timeout, Keep::OnProblems).await,
                        None => Err("快照中没有页面内容".into()),
                    }
                } else {
                    session.render_url(u, opts.page_timeout, Keep::OnProblems).await
                };
                let mut out = Vec::with_capacity(group.len());
                for (u, f) in group {
                    let result = match &rendered {
                        Ok(r) => measured(survey, opts, dir, &u, &f, r)?,
                        Err(e) => PageResult::NotEvaluated(format!("未评估：{e}")),
                    };
                    out.push((u, result));
                }
                Ok::<_, WebError>(out)
            }
        };
        // Several tabs at once: a page spends much of its time waiting (loading, layout
        // settling), so the browser's processes keep both cores busy only with a few in flight.
        let tabs = if live.is_empty() { TABS_OFFLINE } else { TABS_ONLINE };
        let groups = if offline_identical {
            group_identical(jobs)
        } else {
            jobs.into_iter().map(|j| vec![j]).collect()
        };
        let mut rendering = futures_util::stream::iter(groups).map(render).buffer_unordered(tabs);
        let mut out = HashMap::new();
        while let Some(done) = rendering.next().await {
            let done = done?;
            progress.advance(done.len() as u64);
            out.extend(done);
        }
        drop(rendering);
        progress.finish();
        session.close().await;
        Ok(out)
    }

    /// Snapshot pages whose HTML proves they fit a phone ([`crate::fits`]) are settled without
    /// the browser (unless `render_all`); the rest are returned to be rendered.
    fn settle_proven(&mut self, survey: &Survey, jobs: Vec<(String, Fetched)>) -> Vec<(String, Fetched)> {
        if self.pages.opts.render_all {
            return jobs;
        }
        let proven: Vec<bool> = jobs
            .par_iter()
            .map(|(u, f)| from_snapshot(survey, u) && f.text().is_some_and(|h| fits::proves_fit(&h).is_ok()))
            .collect();
        let mut rest = Vec::new();
        for (job, proven) in jobs.into_iter().zip(proven) {
            if proven {
                self.results.insert(job.0, PageResult::Proven);
            } else {
                rest.push(job);
            }
        }
        rest
    }
}

/// Whether a page is rendered from the dataset's snapshot rather than loaded live.
fn from_snapshot(survey: &Survey, url: &str) -> bool {
    survey.offline || survey.pages.contains_key(url)
}

/// Pages with the same HTML, together, in the order of their first page.
fn group_identical(jobs: Vec<(String, Fetched)>) -> Vec<Vec<(String, Fetched)>> {
    let mut index: HashMap<Option<String>, usize> = HashMap::new();
    let mut groups: Vec<Vec<(String, Fetched)>> = Vec::new();
    for (u, f) in jobs {
        // A page without a body is rendered alone (and reported as such).
        let key = f.text();
        match key.as_ref().and_then(|_| index.get(&key)) {
            Some(&i) => groups[i].push((u, f)),
            None => {
                index.insert(key, groups.len());
                groups.push(vec![(u, f)]);
            }
        }
    }
    groups
}

/// One page's result from a render (of it, or of an identical page): its evidence files, if
/// the render kept any, are written under its own name.
fn measured(
    survey: &Survey,
    opts: &crate::WebOptions,
    dir: &std::path::Path,
    u: &str,
    f: &Fetched,
    r: &browser::Rendered,
) -> Result<PageResult, WebError> {
    let stem = file_stem(u);
    let save = |ext: &str, bytes: Option<&[u8]>| -> Result<Option<String>, WebError> {
        let Some(bytes) = bytes else { return Ok(None) };
        let file = format!("{stem}.{ext}");
        let p = dir.join(&file);
        std::fs::write(&p, bytes).map_err(|e| WebError::io(&p, e))?;
        Ok(Some(opts.evidence_ref(&file).display().to_string()))
    };
    let snapshot = from_snapshot(survey, u);
    Ok(PageResult::Measured {
        measurement: r.measurement.clone(),
        // A snapshot page is dated by its capture, a live one by this visit.
        fetched_at: if snapshot { f.fetched_at } else { now() },
        final_url: if r.final_url.is_empty() || snapshot {
            f.final_url.clone().unwrap_or(u.to_owned())
        } else {
            r.final_url.clone()
        },
        status: f.status,
        content_hash: f.content_hash.clone(),
        screenshot: save("png", r.screenshot.as_deref())?,
        html: save("html", r.html.as_deref().map(str::as_bytes))?,
        blocked_requests: r.blocked_requests,
    })
}

impl Check for MobileCheck {
    fn reads_bodies(&self) -> bool {
        false
    }

    fn platforms(&self) -> &'static [govmedia_model::Platform] {
        govmedia_checks::WECHAT_ONLY
    }

    fn name(&self) -> &'static str {
        "mobile"
    }

    fn observe(
        &mut self,
        _survey: &Survey,
        accounts: &[AccountData],
        _progress: &dyn Progress,
    ) -> Result<(), CheckError> {
        self.urls.extend(accounts.iter().flat_map(mobile_targets).map(|t| t.url));
        Ok(())
    }

    fn take_observed(&mut self) -> Option<String> {
        govmedia_checks::take_list(&mut self.urls)
    }

    fn absorb(&mut self, observed: &str) -> Result<(), CheckError> {
        govmedia_checks::extend_list(self.name(), &mut self.urls, observed)
    }

    fn prepared(&self) -> Option<String> {
        govmedia_checks::encode(&(&self.results, self.no_browser))
    }

    fn absorb_prepared(&mut self, prepared: &str) -> Result<(), CheckError> {
        (self.results, self.no_browser) = govmedia_checks::decode(self.name(), prepared)?;
        Ok(())
    }

    fn prepare(&mut self, survey: &Survey, progress: &dyn Progress) -> Result<(), CheckError> {
        let err = |e: WebError| CheckError { check: "mobile".into(), message: e.to_string() };
        let browser = browser::find_browser(self.pages.opts.browser.as_deref());
        if browser.is_none() && !self.pages.opts.static_mobile_fallback {
            // Every account is "not evaluated" (see `assess`): nothing to read or classify.
            self.no_browser = true;
            self.urls.clear();
            return Ok(());
        }
        let mut urls = std::mem::take(&mut self.urls);
        urls.sort();
        urls.dedup();
        let fetched = self.pages.get_many(survey, &urls, progress).map_err(err)?;
        // Classifying pages is most of this loop's time: it runs on all cores first, for the
        // pages without a stored measurement.
        let verdicts: HashMap<&str, Verdict> = fetched
            .par_iter()
            .filter(|(u, _)| !survey.pages.get(*u).is_some_and(|s| s.extra.contains_key("mobile")))
            .map(|(u, f)| (u.as_str(), self.pages.verdict(u, f)))
            .collect();
        let mut jobs = Vec::new();
        for u in &urls {
            // A measurement stored by fetch-pages is reused as is (snapshot URLs are read from
            // the snapshot, online or not).
            if let Some(snap) = survey.pages.get(u)
                && let Some((m, shot)) = stored_mobile(snap)
            {
                let dataset = survey.dataset_dir.as_deref();
                let f = fetched.get(u);
                self.results.insert(
                    u.clone(),
                    PageResult::Measured {
                        measurement: m,
                        fetched_at: snap.fetched_at,
                        final_url: snap.final_url.clone().unwrap_or(u.clone()),
                        status: snap.status,
                        content_hash: f.and_then(|f| f.content_hash.clone()),
                        screenshot: shot
                            .and_then(|s| snapshot_file(dataset, &s))
                            .map(|p| p.display().to_string()),
                        html: snap
                            .body
                            .as_ref()
                            .and_then(|b| snapshot_file(dataset, b))
                            .map(|p| p.display().to_string()),
                        blocked_requests: 0,
                    },
                );
                continue;
            }
            match fetched.get(u) {
                None => {
                    self.results
                        .insert(u.clone(), PageResult::NotEvaluated("未评估：页面不在离线快照中".into()));
                }
                Some(f) => {
                    match verdicts.get(u.as_str()).cloned().unwrap_or_else(|| self.pages.verdict(u, f)) {
                        Verdict::Ok if f.is_html() => jobs.push((u.clone(), f.clone())),
                        Verdict::Ok => {
                            self.results.insert(
                                u.clone(),
                                PageResult::NotEvaluated("未评估：不是网页（非 HTML 内容）".into()),
                            );
                        }
                        _ => {
                            self.results.insert(
                                u.clone(),
                                PageResult::NotEvaluated("未评估：页面无法正常打开（见链接检查）".into()),
                            );
                        }
                    }
                }
            }
        }
        match browser {
            Some(exe) if !jobs.is_empty() => {
                let jobs = self.settle_proven(survey, jobs);
                let rendered = block_on(self.render_pages(survey, &exe, jobs, progress))
                    .map_err(|e| err(WebError::Other(format!("无法运行浏览器检查：{e}"))))?
                    .map_err(err)?;
                self.results.extend(rendered);
            }
            Some(_) => {}
            None => {
                self.no_browser = true;
                if self.pages.opts.static_mobile_fallback {
                    for (u, f) in jobs {
                        let problems = f.text().map(|h| browser::static_problems(&h)).unwrap_or_default();
                        self.results.insert(
                            u,
                            PageResult::Static { problems, fetched_at: f.fetched_at, status: f.status },
                        );
                    }
                }
            }
        }
        Ok(())
    }

    fn assess(&self, _survey: &Survey, account: &AccountData) -> Outcome {
        if self.no_browser && !self.pages.opts.static_mobile_fallback {
            return Outcome::NotEvaluated(NO_BROWSER.into());
        }
        let mut a = Assessment::default();
        let (mut checked, mut bad, mut proven) = (0u64, 0u64, 0u64);
        let mut skipped = Vec::new();
        for t in mobile_targets(account) {
            let path = match &t.origin {
                Origin::Menu { path } => path.clone(),
                Origin::Article { title, .. } => title.clone(),
            };
            match self.results.get(&t.url) {
                None => skipped.push(json!({"url": t.url, "reason": "未评估：页面未能检查"})),
                Some(PageResult::NotEvaluated(r)) => {
                    skipped.push(json!({"url": t.url, "menu_path": path, "reason": r}))
                }
                Some(PageResult::Static { problems, fetched_at, status }) => {
                    if !problems.is_empty() {
                        let mut f = Finding::new(
                            FindingCode::MobileNotAdapted,
                            Severity::Minor,
                            format!(
                                "菜单“{path}”页面可能未适配手机屏幕：{}（未找到浏览器，静态分析，置信度低）",
                                problems.join("；")
                            ),
                        )
                        .with("url", t.url.clone())
                        .with("menu_path", path)
                        .with("confidence", "low")
                        .with("fetched_at", fetched_at.to_rfc3339());
                        if let Some(s) = status {
                            f = f.with("status", *s);
                        }
                        a.findings.push(f);
                    }
                }
                Some(PageResult::Proven) => {
                    checked += 1;
                    proven += 1;
                }
                Some(PageResult::Measured {
                    measurement,
                    fetched_at,
                    final_url,
                    status,
                    content_hash,
                    screenshot,
                    html,
                    blocked_requests,
                }) => {
                    checked += 1;
                    let problems = measurement.problems();
                    if problems.is_empty() {
                        continue;
                    }
                    bad += 1;
                    let mut f = Finding::new(
                        FindingCode::MobileNotAdapted,
                        Severity::Major,
                        format!("菜单“{path}”页面未适配手机屏幕：{}", problems.join("；")),
                    )
                    .with("url", t.url.clone())
                    .with("menu_path", path)
                    .with("fetched_at", fetched_at.to_rfc3339())
                    .with("final_url", final_url.clone())
                    .with("measurements", json!(measurement))
                    .with("problems", json!(problems));
                    if let Some(s) = status {
                        f = f.with("status", *s);
                    }
                    if let Some(h) = content_hash {
                        f = f.with("content_hash", h.clone());
                    }
                    if let Some(s) = screenshot {
                        f = f.with("screenshot", s.clone());
                    }
                    if let Some(h) = html {
                        f = f.with("html", h.clone());
                    }
                    if *blocked_requests > 0 {
                        f = f.with("blocked_requests", *blocked_requests);
                    }
                    a.findings.push(f);
                }
            }
        }
        if checked > 0 {
            a.metrics.insert("score".into(), (checked - bad) as f64 / checked as f64);
        } else if self.no_browser {
            a.not_evaluated.insert("score".into(), format!("{NO_BROWSER}（仅静态分析）"));
        } else {
            a.not_evaluated.insert("score".into(), "未评估：没有可检查的菜单网页".into());
        }
        a.metrics.insert("pages_checked".into(), checked as f64);
        a.metrics.insert("pages_not_adapted".into(), bad as f64);
        a.stats.insert("mobile_pages_checked".into(), json!(checked));
        if proven > 0 {
            a.stats.insert("mobile_pages_proven_from_html".into(), json!(proven));
        }
        if !skipped.is_empty() {
            a.stats.insert("mobile_pages_not_evaluated".into(), json!(skipped));
        }
        Outcome::Evaluated(a)
    }
}

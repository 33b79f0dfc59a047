//! The `links` check: every menu target and every link in article bodies.
//!
//! Metrics: `score` (share of the account's checked links with no problem, 0–1),
//! `links_checked`, `links_broken`, `links_wechat_unavailable`, `links_login_required`,
//! `links_app_required`, `menu_links_checked`, `menu_links_failed` (menu links with any
//! problem). Stats add `links_not_evaluated` (missing from the offline snapshot, or
//! unverifiable such as WeChat's captcha page), `links_not_evaluated_reason` and
//! `links_unverifiable` ([{url, reason}]).

use std::collections::HashMap;
use std::sync::Arc;

use govmedia_checks::{AccountData, Assessment, Check, CheckError, Outcome, Progress, Survey};
use govmedia_model::{Finding, FindingCode, Severity};
use rayon::prelude::*;
use serde_json::json;

use crate::classify::Verdict;
use crate::fetch::Fetched;
use crate::pages::Pages;
use crate::targets::{Origin, Target, link_targets};

/// One URL's fetch result (body dropped) and what it means.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LinkResult {
    pub fetched: Fetched,
    pub verdict: Verdict,
}

pub struct LinksCheck {
    pages: Arc<Pages>,
    results: HashMap<String, LinkResult>,
    /// Observed: the links to check.
    urls: Vec<String>,
}

impl LinksCheck {
    pub fn new(pages: Arc<Pages>) -> Self {
        LinksCheck { pages, results: HashMap::new(), urls: Vec::new() }
    }
}

impl Check for LinksCheck {
    fn reads_bodies(&self) -> bool {
        false
    }

    fn name(&self) -> &'static str {
        "links"
    }

    fn observe(
        &mut self,
        survey: &Survey,
        accounts: &[AccountData],
        _progress: &dyn Progress,
    ) -> Result<(), CheckError> {
        self.urls.extend(accounts.iter().flat_map(|a| link_targets(survey, a)).map(|t| t.url));
        Ok(())
    }

    fn take_observed(&mut self) -> Option<String> {
        govmedia_checks::take_list(&mut self.urls)
    }

    fn absorb(&mut self, observed: &str) -> Result<(), CheckError> {
        govmedia_checks::extend_list(self.name(), &mut self.urls, observed)
    }

    fn prepared(&self) -> Option<String> {
        govmedia_checks::encode(&self.results)
    }

    fn absorb_prepared(&mut self, prepared: &str) -> Result<(), CheckError> {
        self.results = govmedia_checks::decode(self.name(), prepared)?;
        Ok(())
    }

    fn prepare(&mut self, survey: &Survey, progress: &dyn Progress) -> Result<(), CheckError> {
        let urls = std::mem::take(&mut self.urls);
        let fetched = self
            .pages
            .get_many(survey, &urls, progress)
            .map_err(|e| CheckError { check: "links".into(), message: e.to_string() })?;
        self.results = fetched
            .into_par_iter()
            .map(|(u, mut f)| {
                let verdict = self.pages.verdict(&u, &f);
                f.body = None;
                (u, LinkResult { fetched: f, verdict })
            })
            .collect();
        Ok(())
    }

    fn assess(&self, survey: &Survey, account: &AccountData) -> Outcome {
        let targets = link_targets(survey, account);
        let mut a = Assessment::default();
        let mut counts: HashMap<&str, u64> = HashMap::new();
        let (mut checked, mut fine, mut missing) = (0u64, 0u64, 0u64);
        let (mut menu_checked, mut menu_failed) = (0u64, 0u64);
        let mut unverifiable = Vec::new();
        for t in &targets {
            let Some(r) = self.results.get(&t.url) else {
                missing += 1;
                continue;
            };
            if let Verdict::Unverifiable(why) = &r.verdict {
                unverifiable.push(json!({"url": t.url, "reason": why}));
                continue;
            }
            checked += 1;
            let is_menu = matches!(t.origin, Origin::Menu { .. });
            menu_checked += u64::from(is_menu);
            match finding(t, r) {
                None => fine += 1,
                Some(f) => {
                    *counts.entry(f.code.as_str()).or_default() += 1;
                    menu_failed += u64::from(is_menu);
                    a.findings.push(f);
                }
            }
        }
        let m = &mut a.metrics;
        if checked > 0 {
            m.insert("score".into(), fine as f64 / checked as f64);
        } else if targets.is_empty() {
            a.not_evaluated.insert("score".into(), "未评估：没有菜单链接或文章链接".into());
        } else if missing > 0 {
            a.not_evaluated.insert("score".into(), format!("未评估：{missing} 个链接不在离线快照中"));
        } else {
            a.not_evaluated.insert("score".into(), "未评估：所有链接均无法确认状态（如微信人机验证）".into());
        }
        m.insert("links_checked".into(), checked as f64);
        for (key, code) in [
            ("links_broken", "link.broken"),
            ("links_wechat_unavailable", "link.wechat_unavailable"),
            ("links_login_required", "link.login_required"),
            ("links_app_required", "link.app_required"),
        ] {
            m.insert(key.into(), counts.get(code).copied().unwrap_or(0) as f64);
        }
        m.insert("menu_links_checked".into(), menu_checked as f64);
        m.insert("menu_links_failed".into(), menu_failed as f64);
        a.stats.insert("links_checked".into(), json!(checked));
        a.stats.insert("links_not_evaluated".into(), json!(missing + unverifiable.len() as u64));
        if !unverifiable.is_empty() {
            a.stats.insert("links_unverifiable".into(), json!(unverifiable));
        }
        if missing > 0 {
            a.stats.insert(
                "links_not_evaluated_reason".into(),
                json!(format!("离线模式：{missing} 个链接不在页面快照（pages.jsonl）中，未评估")),
            );
        }
        Outcome::Evaluated(a)
    }
}

/// The finding for one target, if its page has a problem.
fn finding(t: &Target, r: &LinkResult) -> Option<Finding> {
    let (code, what, reason) = match &r.verdict {
        Verdict::Ok | Verdict::Unverifiable(_) => return None,
        Verdict::Broken(b) => {
            (FindingCode::LinkBroken, format!("链接无法访问（{}）", b.label_zh()), b.code())
        }
        Verdict::WechatUnavailable(n) => {
            (FindingCode::LinkWechatUnavailable, format!("微信文章无法查看（{n}）"), n.clone())
        }
        Verdict::LoginRequired(s) => {
            (FindingCode::LinkLoginRequired, format!("页面须登录或注册后才能查看（{s}）"), s.clone())
        }
        Verdict::AppRequired(s) => {
            (FindingCode::LinkAppRequired, format!("页面仅提示下载应用（{s}）"), s.clone())
        }
    };
    let (message, severity) = match &t.origin {
        Origin::Menu { path } => (format!("菜单“{path}”{what}"), Severity::Major),
        Origin::Article { title, .. } => (format!("文章《{title}》中的{what}"), Severity::Minor),
    };
    let f = &r.fetched;
    let mut finding = Finding::new(code, severity, message).with("url", t.url.clone());
    finding = match &t.origin {
        Origin::Menu { path } => finding.with("menu_path", path.clone()),
        Origin::Article { url, title } => {
            finding.with("article_url", url.clone()).with("article_title", title.clone())
        }
    };
    finding = finding.with("reason", reason).with("fetched_at", f.fetched_at.to_rfc3339());
    if let Some(u) = &f.final_url {
        finding = finding.with("final_url", u.clone());
    }
    if let Some(s) = f.status {
        finding = finding.with("status", s);
    }
    if let Some(h) = &f.content_hash {
        finding = finding.with("content_hash", h.clone());
    }
    if !f.redirects.is_empty() {
        finding = finding.with("redirects", json!(f.redirects));
    }
    if let Some(fail) = &f.failure
        && !fail.detail.is_empty()
    {
        finding = finding.with("error", fail.detail.chars().take(300).collect::<String>());
    }
    Some(finding)
}

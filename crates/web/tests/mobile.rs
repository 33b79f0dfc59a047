//! The `mobile` check in Debian's Chromium against the fixture server.
//!
//! Runs when /usr/bin/chromium exists; on CI (`CI=true`) a missing browser is a failure.

mod common;

use std::path::Path;
use std::time::Duration;

use govmedia_checks::{AccountData, Assessment, Outcome};
use govmedia_model::FindingCode;
use std::sync::atomic::Ordering;

use govmedia_web::browser::{Keep, NetPolicy, Session};
use govmedia_web::guard::GuardedResolver;
use govmedia_web::{WebOptions, web_checks};

const CHROMIUM: &str = "/usr/bin/chromium";

fn have_browser() -> bool {
    if Path::new(CHROMIUM).exists() {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI must install chromium (apt-get install -y chromium)"
    );
    eprintln!("skipped: {CHROMIUM} not found");
    false
}

fn run_mobile(opts: WebOptions, survey: &common::Data) -> Outcome {
    let mut checks = web_checks(opts);
    let mobile = checks.iter_mut().find(|c| c.name() == "mobile").unwrap();
    common::run(mobile.as_mut(), survey).remove(0)
}

fn evaluated(o: Outcome) -> Assessment {
    match o {
        Outcome::Evaluated(a) => a,
        other => panic!("not evaluated: {other:?}"),
    }
}

fn survey_for(fx: &common::Fixture) -> common::Data {
    let items = vec![
        ("社保查询", fx.url("/ok")),
        ("政务公开", fx.url("/desktop")),
        ("失效", fx.url("/404")),
        ("微信文章", fx.named("mp.weixin.qq.com", "/s/article")),
    ];
    common::survey(vec![AccountData {
        account: common::account("a1"),
        articles: Vec::new(),
        menu: Some(common::menu("a1", &items)),
    }])
}

fn opts(fx: &common::Fixture, evidence: &Path) -> WebOptions {
    WebOptions {
        allow_private: true,
        resolve: fx.resolve(),
        timeout: Duration::from_secs(5),
        delay: Duration::ZERO,
        evidence_dir: Some(evidence.to_owned()),
        browser: Some(CHROMIUM.into()),
        ..WebOptions::default()
    }
}

#[test]
fn desktop_page_is_not_adapted_and_adapted_page_is() {
    if !have_browser() {
        return;
    }
    let (fx, _rt) = common::start_background();
    let evidence = tempfile::tempdir().unwrap();
    let survey = survey_for(&fx);
    let a = evaluated(run_mobile(opts(&fx, evidence.path()), &survey));
    assert_eq!(a.metrics["pages_checked"], 2.0, "{a:?}");
    assert_eq!(a.metrics["pages_not_adapted"], 1.0);
    assert_eq!(a.metrics["score"], 0.5);
    assert_eq!(a.findings.len(), 1, "{:?}", a.findings);
    let f = &a.findings[0];
    assert_eq!(f.code, FindingCode::MobileNotAdapted);
    assert_eq!(f.evidence["menu_path"], "办事服务/政务公开");
    assert!(f.message.contains("viewport"), "{}", f.message);
    let m = &f.evidence["measurements"];
    assert!(m["viewport_width"].as_f64().unwrap() > 900.0, "{m}");
    assert!(m["scroll_width"].as_f64().unwrap() >= 1200.0, "{m}");
    for key in ["fetched_at", "final_url", "status", "content_hash", "screenshot", "html"] {
        assert!(f.evidence.contains_key(key), "no {key}");
    }
    let png = std::fs::read(f.evidence["screenshot"].as_str().unwrap()).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let html = std::fs::read_to_string(f.evidence["html"].as_str().unwrap()).unwrap();
    assert!(html.contains("政府信息公开目录"));
    // Evidence files are written for the page with the finding only, not for the adapted one.
    let mut files: Vec<_> = std::fs::read_dir(evidence.path()).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut expected = vec![
        Path::new(f.evidence["html"].as_str().unwrap()).to_owned(),
        Path::new(f.evidence["screenshot"].as_str().unwrap()).to_owned(),
    ];
    expected.sort();
    assert_eq!(files, expected);
    // The broken page is left to the links check; the WeChat article is not a menu web page.
    let skipped = a.stats["mobile_pages_not_evaluated"].as_array().unwrap();
    assert_eq!(skipped.len(), 1);
    assert!(skipped[0]["reason"].as_str().unwrap().contains("链接检查"));
}

#[test]
fn offline_snapshot_renders_without_network() {
    if !have_browser() {
        return;
    }
    let (fx, rt) = common::start_background();
    let dir = tempfile::tempdir().unwrap();
    let evidence = tempfile::tempdir().unwrap();
    let mut survey = survey_for(&fx);
    let o = opts(&fx, evidence.path());
    let summary = rt.block_on(govmedia_web::fetch_pages(&survey, &survey.accounts, dir.path(), &o)).unwrap();
    assert_eq!(summary.screenshots, 2, "{summary:?}");
    drop(rt);
    for line in std::fs::read_to_string(dir.path().join("pages.jsonl")).unwrap().lines() {
        let s: govmedia_model::PageSnapshot = serde_json::from_str(line).unwrap();
        survey.pages.insert(s.url.clone(), s);
    }
    survey.offline = true;
    survey.dataset_dir = Some(dir.path().to_owned());
    let a = evaluated(run_mobile(o.clone(), &survey));
    assert_eq!(a.findings.len(), 1, "{:?}", a.findings);
    assert_eq!(a.findings[0].evidence["menu_path"], "办事服务/政务公开");
    assert!(Path::new(a.findings[0].evidence["screenshot"].as_str().unwrap()).exists());

    // Without stored measurements the saved HTML is rendered with the network blocked.
    for s in survey.pages.values_mut() {
        s.extra.remove("mobile");
        s.extra.remove("screenshot");
    }
    let a = evaluated(run_mobile(o.clone(), &survey));
    assert_eq!(a.findings.len(), 1, "{:?}", a.findings);
    assert_eq!(a.metrics["pages_checked"], 2.0);

    // Online too, pages in the snapshot are rendered from it (the fixture server is gone).
    survey.offline = false;
    let a = evaluated(run_mobile(o, &survey));
    assert_eq!(a.findings.len(), 1, "{:?}", a.findings);
    assert_eq!(a.metrics["pages_checked"], 2.0);
}

#[test]
fn no_browser_is_not_evaluated_unless_static_fallback() {
    let (fx, _rt) = common::start_background();
    let evidence = tempfile::tempdir().unwrap();
    let survey = survey_for(&fx);
    let o = WebOptions { browser: Some("/nonexistent/chromium".into()), ..opts(&fx, evidence.path()) };
    assert_eq!(run_mobile(o.clone(), &survey), Outcome::NotEvaluated("未评估：未找到浏览器".into()));
    let a = evaluated(run_mobile(WebOptions { static_mobile_fallback: true, ..o }, &survey));
    assert_eq!(a.findings.len(), 1, "{:?}", a.findings);
    assert_eq!(a.findings[0].evidence["confidence"], "low");
    assert_eq!(a.findings[0].evidence["menu_path"], "办事服务/政务公开");
    assert!(a.not_evaluated["score"].contains("未找到浏览器"));
}

#[test]
fn a_page_is_measured_where_its_script_sends_it() {
    if !have_browser() {
        return;
    }
    let (fx, rt) = common::start_background();
    let r = rt.block_on(async {
        let s = Session::launch(Path::new(CHROMIUM), &[], NetPolicy::Open).await.unwrap();
        let r = s.render_url(&fx.url("/script-moved"), Duration::from_secs(20), Keep::OnProblems).await;
        s.close().await;
        r.unwrap()
    });
    assert_eq!(r.final_url, fx.url("/ok"));
    assert!(r.measurement.problems().is_empty(), "{r:?}");
}

#[test]
fn requests_of_cross_site_frames_pass_the_policy_too() {
    if !have_browser() {
        return;
    }
    let (fx, rt) = common::start_background();
    let policy = NetPolicy::Guarded(GuardedResolver {
        allow_private: true,
        overrides: std::sync::Arc::new(fx.resolve()),
    });
    let r = rt.block_on(async {
        let s = Session::launch(Path::new(CHROMIUM), &[], policy).await.unwrap();
        // The frame is another site than the page: Chromium runs it as a target of its own.
        let r = s.render_url(&fx.url("/with-frame"), Duration::from_secs(20), Keep::OnProblems).await;
        s.close().await;
        r.unwrap()
    });
    assert_eq!(r.blocked_requests, 1, "the frame's image is refused by the policy: {r:?}");
}

#[test]
fn browser_subresources_pass_the_ssrf_guard() {
    if !have_browser() {
        return;
    }
    let (fx, rt) = common::start_background();
    let page = format!(
        r#"<html><head><meta name="viewport" content="width=device-width"></head><body><p>图片</p>
        <img src="http://127.0.0.1:{p}/pixel?a"><img src="http://localhost:{p}/pixel?b"></body></html>"#,
        p = fx.port
    );
    // Waits up to `wait` after the load for a first hit: longer where one is expected.
    let hits = |policy: NetPolicy, wait: Duration| {
        let before = fx.pixel_hits.load(Ordering::SeqCst);
        let r = rt.block_on(async {
            let s = Session::launch(Path::new(CHROMIUM), &[], policy).await.unwrap();
            let r = s.render_html(&page, Duration::from_secs(20), Keep::OnProblems).await.unwrap();
            let t = std::time::Instant::now();
            while fx.pixel_hits.load(Ordering::SeqCst) == before && t.elapsed() < wait {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            s.close().await;
            r
        });
        (fx.pixel_hits.load(Ordering::SeqCst) - before, r.blocked_requests)
    };
    let (reached, blocked) = hits(NetPolicy::Guarded(GuardedResolver::default()), Duration::from_millis(500));
    assert_eq!(reached, 0, "guarded browser reached loopback");
    assert_eq!(blocked, 2);
    let (reached, blocked) = hits(NetPolicy::Offline, Duration::from_millis(500));
    assert_eq!((reached, blocked), (0, 2));
    let (reached, blocked) = hits(NetPolicy::Open, Duration::from_secs(20));
    assert!(reached >= 1, "the open policy must let the images load");
    assert_eq!(blocked, 0);
}

//! The `links` check against a real HTTP fixture server on 127.0.0.1.

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use govmedia_checks::{AccountData, Outcome};
use govmedia_model::{Finding, FindingCode, Severity};
use govmedia_web::{WebOptions, web_checks};

fn opts(fx: &common::Fixture) -> WebOptions {
    WebOptions {
        allow_private: true,
        resolve: fx.resolve(),
        timeout: Duration::from_secs(1),
        retries: 1,
        delay: Duration::from_millis(5),
        per_host: 4,
        browser: Some("/nonexistent/chromium".into()),
        ..WebOptions::default()
    }
}

fn run_links(opts: WebOptions, survey: &common::Data) -> govmedia_checks::Assessment {
    let mut checks = web_checks(opts);
    let links = &mut checks[0];
    assert_eq!(links.name(), "links");
    match common::run(links.as_mut(), survey).remove(0) {
        Outcome::Evaluated(a) => a,
        other => panic!("links not evaluated: {other:?}"),
    }
}

fn by_path(findings: &[Finding]) -> BTreeMap<String, &Finding> {
    findings
        .iter()
        .filter_map(|f| {
            f.evidence
                .get("menu_path")
                .and_then(|p| p.as_str())
                .map(|p| (p.rsplit('/').next().unwrap().to_owned(), f))
        })
        .collect()
}

#[test]
fn every_fixture_gets_the_right_code() {
    let (fx, _rt) = common::start_background();
    let wx = |n: &str| fx.named("mp.weixin.qq.com", &format!("/s/{n}"));
    let items: Vec<(&str, String)> = vec![
        ("正常", fx.url("/ok")),
        ("跳转", fx.url("/moved")),
        ("长文", fx.url("/long")),
        ("重试", fx.url("/flaky")),
        ("微信正常", wx("article")),
        ("失效404", fx.url("/404")),
        ("错误500", fx.url("/500")),
        ("慢", fx.url("/slow")),
        ("挂起", format!("http://127.0.0.1:{}/", fx.hung_port)),
        ("循环", fx.url("/loop/a")),
        ("证书", format!("https://127.0.0.1:{}/", fx.garbage_port)),
        ("软404", fx.url("/soft404")),
        ("登录跳转", fx.url("/login-redirect")),
        ("登录表单", fx.url("/login-form")),
        ("认证401", fx.url("/private")),
        ("下载", fx.url("/app")),
        ("微信删除", wx("deleted")),
        ("微信违规", wx("violation")),
        ("微信无法查看", wx("unavailable")),
        ("微信过期", wx("expired")),
        ("微信验证", wx("captcha")),
    ];
    let mut acc = AccountData {
        account: common::account("a1"),
        articles: Vec::new(),
        menu: Some(common::menu("a1", &items)),
    };
    acc.articles.push(common::article_with_links(
        "a1",
        vec![fx.named("www.gov.test", "/404"), fx.named("www.gov.test", "/ok")],
    ));
    let survey = common::survey(vec![acc]);
    let a = run_links(opts(&fx), &survey);
    let found = by_path(&a.findings);

    for ok in ["正常", "跳转", "长文", "重试", "微信正常", "微信验证"] {
        assert!(!found.contains_key(ok), "{ok} should have no finding: {:?}", found.get(ok));
    }
    let expect = [
        ("失效404", FindingCode::LinkBroken, "http_404"),
        ("错误500", FindingCode::LinkBroken, "http_500"),
        ("慢", FindingCode::LinkBroken, "timeout"),
        ("挂起", FindingCode::LinkBroken, "timeout"),
        ("循环", FindingCode::LinkBroken, "redirect_loop"),
        ("证书", FindingCode::LinkBroken, "tls"),
        ("软404", FindingCode::LinkBroken, "soft-404"),
        ("登录跳转", FindingCode::LinkLoginRequired, ""),
        ("登录表单", FindingCode::LinkLoginRequired, ""),
        ("认证401", FindingCode::LinkLoginRequired, ""),
        ("下载", FindingCode::LinkAppRequired, ""),
        ("微信删除", FindingCode::LinkWechatUnavailable, "作者已删除"),
        ("微信违规", FindingCode::LinkWechatUnavailable, "内容违规"),
        ("微信无法查看", FindingCode::LinkWechatUnavailable, "该内容暂时无法查看"),
        ("微信过期", FindingCode::LinkWechatUnavailable, "链接已过期"),
    ];
    for (path, code, reason) in expect {
        let f = found.get(path).unwrap_or_else(|| panic!("{path}: no finding"));
        assert_eq!(f.code, code, "{path}: {}", f.message);
        assert_eq!(f.severity, Severity::Major);
        if !reason.is_empty() {
            assert_eq!(f.evidence["reason"], reason, "{path}: {:?}", f.evidence);
        }
        assert!(f.message.contains(path), "{}", f.message);
        for key in ["url", "fetched_at"] {
            assert!(f.evidence.contains_key(key), "{path}: no {key}");
        }
    }
    // Pages that answered carry status, final URL and content hash.
    let login = found["登录跳转"];
    assert_eq!(login.evidence["status"], 200);
    assert!(login.evidence["final_url"].as_str().unwrap().contains("sso.gov.test"));
    assert_eq!(login.evidence["redirects"].as_array().unwrap().len(), 1);
    assert_eq!(found["微信删除"].evidence["content_hash"].as_str().unwrap().len(), 64);
    assert_eq!(found["循环"].evidence["redirects"].as_array().unwrap().len(), 2);

    // The article link: a minor finding naming the article.
    let art: Vec<_> = a.findings.iter().filter(|f| f.evidence.contains_key("article_url")).collect();
    assert_eq!(art.len(), 1, "{art:?}");
    assert_eq!(art[0].code, FindingCode::LinkBroken);
    assert_eq!(art[0].severity, Severity::Minor);
    assert!(art[0].message.contains("关于开展春季植树活动的通知"));

    // WeChat's captcha page is not evaluated, neither fine nor broken.
    assert_eq!(a.stats["links_not_evaluated"], 1);
    assert!(a.stats["links_unverifiable"][0]["reason"].as_str().unwrap().contains("环境异常"));
    assert_eq!(a.metrics["links_checked"], 22.0);
    assert_eq!(a.metrics["links_wechat_unavailable"], 4.0);
    assert_eq!(a.metrics["links_login_required"], 3.0);
    assert_eq!(a.metrics["links_app_required"], 1.0);
    assert_eq!(a.metrics["links_broken"], 8.0);
    assert!((a.metrics["score"] - 6.0 / 22.0).abs() < 1e-9);
}

#[test]
fn ssrf_guard_refuses_private_targets_without_connecting() {
    let (fx, _rt) = common::start_background();
    let items: Vec<(&str, String)> = vec![
        ("本机", fx.url("/ok")),
        ("内网", "http://10.0.0.1/admin".into()),
        ("元数据", "http://169.254.169.254/latest/meta-data/".into()),
        ("本机域名", fx.named("localhost", "/ok")),
    ];
    let acc = AccountData {
        account: common::account("a1"),
        articles: Vec::new(),
        menu: Some(common::menu("a1", &items)),
    };
    let survey = common::survey(vec![acc]);
    let o = WebOptions { allow_private: false, retries: 0, ..opts(&fx) };
    let started = Instant::now();
    let a = run_links(WebOptions { resolve: BTreeMap::new(), ..o }, &survey);
    // Refused before any connection: no connect timeout was waited for.
    assert!(started.elapsed() < Duration::from_millis(900), "took {:?}", started.elapsed());
    let found = by_path(&a.findings);
    for p in ["本机", "内网", "元数据", "本机域名"] {
        let f = found.get(p).unwrap_or_else(|| panic!("{p} not refused"));
        assert_eq!(f.code, FindingCode::LinkBroken);
        assert_eq!(f.evidence["reason"], "refused", "{p}: {:?}", f.evidence);
        assert!(f.evidence.get("status").is_none(), "{p} must not have been fetched");
    }
    // The same loopback target is fine once private addresses are allowed.
    let items = vec![("本机", fx.url("/ok")), ("本机域名", fx.named("localhost", "/ok"))];
    let acc = AccountData {
        account: common::account("a1"),
        articles: Vec::new(),
        menu: Some(common::menu("a1", &items)),
    };
    let a = run_links(opts(&fx), &common::survey(vec![acc]));
    assert!(a.findings.is_empty(), "{:?}", a.findings);
}

#[test]
fn offline_uses_the_snapshot_and_never_the_network() {
    let (fx, rt) = common::start_background();
    let dir = tempfile::tempdir().unwrap();
    let items = vec![
        ("正常", fx.url("/ok")),
        ("失效404", fx.url("/404")),
        ("微信删除", fx.named("mp.weixin.qq.com", "/s/deleted")),
    ];
    let acc = AccountData {
        account: common::account("a1"),
        articles: Vec::new(),
        menu: Some(common::menu("a1", &items)),
    };
    let mut survey = common::survey(vec![acc]);
    let summary =
        rt.block_on(govmedia_web::fetch_pages(&survey, &survey.accounts, dir.path(), &opts(&fx))).unwrap();
    assert_eq!((summary.urls, summary.ok, summary.failed), (3, 2, 1));
    assert!(summary.no_browser);
    drop(rt); // the server is gone: offline results come from the snapshot only

    let text = std::fs::read_to_string(dir.path().join("pages.jsonl")).unwrap();
    for line in text.lines() {
        let s: govmedia_model::PageSnapshot = serde_json::from_str(line).unwrap();
        if let Some(b) = &s.body {
            assert!(dir.path().join(b).exists());
        }
        survey.pages.insert(s.url.clone(), s);
    }
    survey.offline = true;
    survey.dataset_dir = Some(dir.path().to_owned());
    // One URL the snapshot does not have: not evaluated, not broken.
    let items = vec![
        ("正常", fx.url("/ok")),
        ("失效404", fx.url("/404")),
        ("微信删除", fx.named("mp.weixin.qq.com", "/s/deleted")),
        ("新增", fx.url("/never-fetched")),
    ];
    survey.accounts[0].menu = Some(common::menu("a1", &items));
    let a = run_links(opts(&fx), &survey);
    let found = by_path(&a.findings);
    assert_eq!(found.len(), 2, "{:?}", a.findings);
    assert_eq!(found["失效404"].code, FindingCode::LinkBroken);
    assert_eq!(found["微信删除"].code, FindingCode::LinkWechatUnavailable);
    assert!(!found.contains_key("新增"));
    assert_eq!(a.stats["links_not_evaluated"], 1);
    assert!(a.stats["links_not_evaluated_reason"].as_str().unwrap().contains("快照"));
    assert_eq!(a.metrics["links_checked"], 3.0);
}

#[test]
fn cache_serves_repeat_runs() {
    let (fx, rt) = common::start_background();
    let items = vec![("正常", fx.url("/ok")), ("失效404", fx.url("/404"))];
    let acc = AccountData {
        account: common::account("a1"),
        articles: Vec::new(),
        menu: Some(common::menu("a1", &items)),
    };
    let survey = common::survey(vec![acc]);
    let cache: std::sync::Arc<dyn govmedia_store_api::KvCache> =
        std::sync::Arc::new(govmedia_store_api::MemoryCache::default());
    let o = WebOptions { cache: Some(cache), ..opts(&fx) };
    let first = run_links(o.clone(), &survey);
    drop(rt);
    let second = run_links(o, &survey);
    assert_eq!(first.findings.len(), 1);
    assert_eq!(first.findings, second.findings, "the second run must come from the cache");
}

#[test]
fn a_snapshot_page_is_read_once_per_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("pages")).unwrap();
    let body = dir.path().join("pages/p.html");
    std::fs::write(&body, "<p>第一次读到的正文</p>").unwrap();
    let url = "https://www.example.gov.cn/p.html".to_owned();
    let mut data = common::survey(Vec::new());
    let snap: govmedia_model::PageSnapshot = serde_json::from_value(serde_json::json!({
        "url": url, "fetched_at": "2025-03-30T10:00:00+08:00", "status": 200,
        "content_type": "text/html; charset=utf-8", "body": "pages/p.html"
    }))
    .unwrap();
    data.survey.pages.insert(url.clone(), snap);
    data.survey.offline = true;
    data.survey.dataset_dir = Some(dir.path().to_owned());
    let text = |pages: &govmedia_web::pages::Pages| {
        let got =
            pages.get_many(&data.survey, std::slice::from_ref(&url), &govmedia_checks::NoProgress).unwrap();
        String::from_utf8(got[&url].body.as_deref().unwrap().to_vec()).unwrap()
    };

    let pages = govmedia_web::pages::Pages::new(WebOptions::default());
    assert_eq!(text(&pages), "<p>第一次读到的正文</p>");
    // The links, functions and mobile checks of one run share `pages`: the second ask is
    // answered from memory (the file changing meanwhile does not split the run's view).
    std::fs::write(&body, "<p>改过的正文</p>").unwrap();
    assert_eq!(text(&pages), "<p>第一次读到的正文</p>");
    // The next run reads the snapshot again.
    assert_eq!(text(&govmedia_web::pages::Pages::new(WebOptions::default())), "<p>改过的正文</p>");
}

//! The dashboard in real headless Chromium (as `.ci/run` installs it, or `$CHROME`): an
//! operator logs in, opens its account, marks a finding fixed and sees the re-check answered
//! by a new run; an evaluator dismisses a finding and sees the precision page count it.
//! With `GOVMEDIA_SCREENSHOT=FILE` the overview is also saved as a PNG (README's screenshot).

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chromiumoxide::Page;
use chromiumoxide::browser::{Browser, BrowserConfig};
use chromiumoxide::handler::viewport::Viewport;
use chromiumoxide::page::ScreenshotParams;
use futures_util::StreamExt;
use govmedia_pipeline::StoreSpec;
use govmedia_store_api::Role;

fn chromium() -> PathBuf {
    std::env::var_os("CHROME")
        .map(PathBuf::from)
        .into_iter()
        .chain(
            ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].map(PathBuf::from),
        )
        .find(|p| p.exists())
        .expect("Chromium must be installed (.ci/run installs it) or named by $CHROME")
}

/// Polls the page until its HTML contains `text`.
async fn wait_for(page: &Page, text: &str) -> String {
    let started = Instant::now();
    loop {
        // While a form's navigation is under way the old document is gone: ask again.
        let html = page.content().await.unwrap_or_default();
        if html.contains(text) {
            return html;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "the page never showed “{text}”:\n{html}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn login(page: &Page, base: &str, name: &str) {
    page.goto(format!("{base}/login")).await.unwrap();
    page.find_element("input[name=name]").await.unwrap().click().await.unwrap().type_str(name).await.unwrap();
    page.find_element("input[name=password]")
        .await
        .unwrap()
        .click()
        .await
        .unwrap()
        .type_str(common::PASSWORD)
        .await
        .unwrap();
    page.find_element("button.primary").await.unwrap().click().await.unwrap();
    wait_for(page, &format!("{name}（")).await;
}

async fn logout(page: &Page, base: &str) {
    page.goto(format!("{base}/")).await.unwrap();
    wait_for(page, "退出").await;
    page.evaluate(r#"document.querySelector("header form button").click()"#).await.unwrap();
    wait_for(page, "autocomplete=\"current-password\"").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operators_fix_and_evaluators_dismiss_in_a_real_browser() {
    let dir = tempfile::tempdir().unwrap();
    let spec = StoreSpec::Sqlite(dir.path().join("govmedia.db"));
    let results = tokio::task::spawn_blocking({
        let spec = spec.clone();
        move || common::evaluated(&spec, None)
    })
    .await
    .unwrap();
    // The operator's account and another one, each with findings.
    let mut with_findings = results.accounts.iter().filter(|a| !a.findings.is_empty() && a.score.is_some());
    let own = with_findings.next().expect("an account with findings").clone();
    let other = with_findings.next().expect("a second account with findings").clone();
    {
        let mut store = govmedia_pipeline::open_store(&spec).unwrap();
        common::user(&mut *store, "operator1", Role::Operator, &[], &[&own.id]);
        common::user(&mut *store, "evaluator1", Role::Evaluator, &[], &[]);
    }
    let (base, _app) = common::serve(&spec, true, None).await;

    let profile = tempfile::tempdir().unwrap();
    let config = BrowserConfig::builder()
        .chrome_executable(chromium())
        .no_sandbox()
        .user_data_dir(profile.path())
        .window_size(1280, 900)
        .viewport(Viewport { width: 1280, height: 900, ..Viewport::default() })
        .args([
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .build()
        .unwrap();
    let (mut browser, mut handler) = Browser::launch(config).await.expect("Chromium starts");
    let events = tokio::spawn(async move { while handler.next().await.is_some() {} });
    let page = browser.new_page("about:blank").await.unwrap();

    // The operator: its account, one finding marked fixed, the re-check answered by run 2.
    login(&page, &base, "operator1").await;
    page.goto(format!("{base}/accounts/{}", own.id)).await.unwrap();
    let html = wait_for(&page, &own.name).await;
    assert!(
        !html.contains(&other.name) || own.name == other.name,
        "the operator's page shows another account"
    );
    page.find_element("button.fix").await.unwrap().click().await.unwrap();
    wait_for(&page, "已整改：operator1").await;
    let started = Instant::now();
    loop {
        page.goto(format!("{base}/accounts/{}", own.id)).await.unwrap();
        let html = page.content().await.unwrap_or_default();
        if html.contains("已由第 2 次评估复查") {
            // Offline, the re-check sees the same data: the finding is still there, and says so.
            assert!(html.contains("已整改，但复查后仍存在"), "{html}");
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "the re-check was not answered");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // Another unit's account is not there for the operator.
    page.goto(format!("{base}/accounts/{}", other.id)).await.unwrap();
    let html = page.content().await.unwrap();
    assert!(html.contains("无权查看") && !html.contains(&other.findings[0].message), "{html}");
    logout(&page, &base).await;

    // The evaluator: dismiss a finding with a reason; the precision page counts it.
    login(&page, &base, "evaluator1").await;
    let code = other.findings[0].code.as_str();
    page.goto(format!("{base}/precision")).await.unwrap();
    // Only the operator's "fixed" so far: no precision measured yet.
    assert!(!wait_for(&page, "审核准确率").await.contains("0.0%"));
    page.goto(format!("{base}/accounts/{}", other.id)).await.unwrap();
    wait_for(&page, &other.name).await;
    // Typed key by key, Chinese needs an input method: the reason is set as a user's IME would leave it.
    page.evaluate(
        r#"document.querySelector("input[name=reason][required]").value = "证据不足：该链接实际可访问""#,
    )
    .await
    .unwrap();
    page.find_element("input[name=reason][required] + button").await.unwrap().click().await.unwrap();
    wait_for(&page, "已驳回：evaluator1").await;
    page.goto(format!("{base}/precision")).await.unwrap();
    let html = wait_for(&page, code).await;
    assert!(html.contains("0.0%"), "a dismissed finding gives 0 % precision:\n{html}");

    if let Some(path) = std::env::var_os("GOVMEDIA_SCREENSHOT") {
        page.goto(format!("{base}/")).await.unwrap();
        wait_for(&page, "得分分布").await;
        tokio::time::sleep(Duration::from_millis(800)).await; // ECharts animates in.
        page.save_screenshot(ScreenshotParams::builder().full_page(false).build(), path).await.unwrap();
    }

    browser.close().await.unwrap();
    browser.wait().await.unwrap();
    events.abort();
}

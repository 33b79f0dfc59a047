//! The browser's network guard and lifetime: WebSockets to private addresses are refused
//! like any other request, and no browser process outlives its session.
//!
//! Runs when /usr/bin/chromium exists; on CI (`CI=true`) a missing browser is a failure.

use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use govmedia_web::browser::{Keep, NetPolicy, Session, group_memory};
use govmedia_web::guard::GuardedResolver;

const CHROMIUM: &str = "/usr/bin/chromium";

fn have_browser() -> bool {
    if Path::new(CHROMIUM).exists() {
        return true;
    }
    assert!(std::env::var("CI").as_deref() != Ok("true"), "CI must install chromium");
    eprintln!("skipped: {CHROMIUM} not found");
    false
}

/// A listener that counts the connections it accepts.
fn counting(addr: &str) -> Option<(u16, Arc<AtomicU64>)> {
    let l = TcpListener::bind(addr).ok()?;
    let port = l.local_addr().unwrap().port();
    let n = Arc::new(AtomicU64::new(0));
    let count = n.clone();
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            count.fetch_add(1, Ordering::SeqCst);
            drop(s);
        }
    });
    Some((port, n))
}

/// Renders `html`, then keeps the page open until `done` holds or `wait` has passed:
/// WebSocket handshakes run after the page has loaded, later still on a loaded machine.
fn render(policy: NetPolicy, html: &str, wait: Duration, done: impl Fn() -> bool) {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let s = Session::launch(Path::new(CHROMIUM), &[], policy).await.unwrap();
        let _ = s.render_html(html, Duration::from_secs(20), Keep::OnProblems).await;
        let t = std::time::Instant::now();
        while !done() && t.elapsed() < wait {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        s.close().await;
    });
}

#[test]
fn websockets_to_private_addresses_are_refused() {
    if !have_browser() {
        return;
    }
    let (p4, n4) = counting("127.0.0.1:0").unwrap();
    let v6 = counting("[::1]:0");
    let p6 = v6.as_ref().map_or(p4, |(p, _)| *p);
    let page = format!(
        r#"<html><head><meta name="viewport" content="width=device-width"></head><body><p>页面</p><script>
        for (const u of ["ws://127.0.0.1:{p4}/", "ws://localhost:{p4}/", "ws://[::1]:{p6}/", "wss://127.0.0.1:{p4}/"]) {{
          try {{ new WebSocket(u); }} catch (e) {{}}
        }}
        </script></body></html>"#
    );
    let reached = || n4.load(Ordering::SeqCst) + v6.as_ref().map_or(0, |(_, n)| n.load(Ordering::SeqCst));
    // A refused page is watched for a while; any connection ends the wait (and fails).
    let any = || reached() > 0;
    render(NetPolicy::Guarded(GuardedResolver::default()), &page, Duration::from_secs(3), any);
    assert_eq!(reached(), 0, "a guarded page opened a WebSocket to this machine");
    render(NetPolicy::Offline, &page, Duration::from_secs(3), any);
    assert_eq!(reached(), 0, "an offline page opened a WebSocket");
    // The same page may connect when private addresses are allowed: the test can see it.
    render(NetPolicy::Open, &page, Duration::from_secs(30), any);
    assert!(reached() >= 1, "the open policy lets WebSockets through");
}

#[test]
fn no_browser_process_outlives_its_session() {
    if !have_browser() {
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let group = rt.block_on(async {
        let s = Session::launch(Path::new(CHROMIUM), &[], NetPolicy::Offline).await.unwrap();
        let _ = s.render_html("<p>页面</p>", Duration::from_secs(20), Keep::OnProblems).await;
        let group = s.process_group();
        assert!(group_memory(group).is_some_and(|b| b > 0));
        // Dropped without close (an error path): the whole group goes.
        drop(s);
        group
    });
    let t = std::time::Instant::now();
    while group_memory(group).is_some() {
        assert!(t.elapsed() < Duration::from_secs(10), "browser processes are left");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// An offline session that has rendered one page, and its process group.
async fn session_after_a_page() -> (Session, u32) {
    let s = Session::launch(Path::new(CHROMIUM), &[], NetPolicy::Offline).await.unwrap();
    assert!(s.render_html("<p>页面</p>", Duration::from_secs(20), Keep::OnProblems).await.is_ok());
    let group = s.process_group();
    (s, group)
}

fn signal_group(signal: &str, group: u32) {
    let ok = std::process::Command::new("kill").args([signal, "--", &format!("-{group}")]).status().unwrap();
    assert!(ok.success(), "kill {signal} -{group}");
}

#[test]
fn a_browser_that_dies_fails_the_pages_left_at_once() {
    if !have_browser() {
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let (s, group) = session_after_a_page().await;
        signal_group("-KILL", group);
        while group_memory(group).is_some() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        for _ in 0..3 {
            let t = std::time::Instant::now();
            let err =
                s.render_html("<p>页面</p>", Duration::from_secs(60), Keep::OnProblems).await.unwrap_err();
            assert!(t.elapsed() < Duration::from_secs(10), "waited {:?} for a dead browser", t.elapsed());
            assert!(err.contains("浏览器"), "{err}");
        }
        s.close().await;
    });
}

#[test]
fn a_browser_that_hangs_fails_the_page_within_its_time_out() {
    if !have_browser() {
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let (s, group) = session_after_a_page().await;
        // A stopped browser keeps its connection open and answers nothing.
        signal_group("-STOP", group);
        let t = std::time::Instant::now();
        let err = s.render_html("<p>页面</p>", Duration::from_secs(3), Keep::OnProblems).await.unwrap_err();
        // The page's time-out, and at most the few seconds closing the tab may take.
        assert!(t.elapsed() < Duration::from_secs(12), "waited {:?} for a hung browser", t.elapsed());
        assert!(err.contains("超过 3 秒"), "{err}");
        signal_group("-CONT", group);
        s.close().await;
    });
}

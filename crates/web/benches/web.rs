//! Throughput against the fixture server on 127.0.0.1: plain link checks (10,000 URLs over
//! 100 host names, per-host limits on) and browser page checks.

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use divan::Bencher;
use divan::counter::ItemsCount;
use govmedia_web::{FetchConfig, Fetcher};

fn main() {
    divan::main();
}

const URLS: usize = 10_000;
const HOSTS: usize = 100;

#[divan::bench(sample_count = 3, sample_size = 1)]
fn links_10k_over_100_hosts(bencher: Bencher) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let fx = rt.block_on(common::start());
    let lo: IpAddr = "127.0.0.1".parse().unwrap();
    let resolve: BTreeMap<String, IpAddr> = (0..HOSTS).map(|h| (format!("h{h}.bench.test"), lo)).collect();
    let urls: Vec<String> =
        (0..URLS).map(|i| fx.named(&format!("h{}.bench.test", i % HOSTS), &format!("/bench/{i}"))).collect();
    let cfg = FetchConfig {
        allow_private: true,
        resolve,
        per_host: 4,
        delay: Duration::from_millis(2),
        concurrency: 256,
        ..FetchConfig::default()
    };
    bencher.counter(ItemsCount::new(URLS)).bench_local(|| {
        let fetcher = Arc::new(Fetcher::new(cfg.clone()).unwrap());
        let out = rt.block_on(fetcher.fetch_all(&urls, &|| {}));
        assert!(out.values().all(|f| f.status == Some(200)));
        out.len()
    });
}

const PAGES: usize = 10;

#[divan::bench(sample_count = 2, sample_size = 1)]
fn browser_pages(bencher: Bencher) {
    let Some(exe) = govmedia_web::browser::find_browser(None) else {
        eprintln!("browser_pages skipped: no chromium");
        return;
    };
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let fx = rt.block_on(common::start());
    let urls: Vec<String> = (0..PAGES).map(|i| fx.url(if i % 2 == 0 { "/ok" } else { "/desktop" })).collect();
    bencher.counter(ItemsCount::new(PAGES)).bench_local(|| {
        rt.block_on(async {
            let session =
                govmedia_web::browser::Session::launch(&exe, &[], govmedia_web::browser::NetPolicy::Open)
                    .await
                    .unwrap();
            for u in &urls {
                session
                    .render_url(u, Duration::from_secs(20), govmedia_web::browser::Keep::OnProblems)
                    .await
                    .unwrap();
            }
            session.close().await;
        })
    });
}

//! Fetcher limits against the fixture server: politeness per host, bounded bodies, redirects.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use govmedia_web::fetch::FailureKind;
use govmedia_web::{FetchConfig, Fetcher};

fn cfg() -> FetchConfig {
    FetchConfig { allow_private: true, delay: Duration::ZERO, retries: 0, ..FetchConfig::default() }
}

#[test]
fn per_host_delay_spaces_requests_but_not_across_hosts() {
    let (fx, rt) = common::start_background();
    let mut c = cfg();
    c.resolve = fx.resolve();
    c.per_host = 1;
    c.delay = Duration::from_millis(150);
    let one_host: Vec<String> = (0..5).map(|i| fx.url(&format!("/bench/{i}"))).collect();
    let fetcher = Arc::new(Fetcher::new(c.clone()).unwrap());
    let t = Instant::now();
    let out = rt.block_on(fetcher.fetch_all(&one_host, &|| {}));
    assert_eq!(out.len(), 5);
    assert!(t.elapsed() >= Duration::from_millis(600), "5 requests on one host in {:?}", t.elapsed());

    // The same five requests spread over five names are not held back by each other.
    let hosts = ["127.0.0.1", "mp.weixin.qq.com", "sso.gov.test", "www.gov.test", "localhost"];
    let spread: Vec<String> = hosts.iter().map(|h| fx.named(h, "/bench/x")).collect();
    let fetcher = Arc::new(Fetcher::new(c).unwrap());
    let t = Instant::now();
    let out = rt.block_on(fetcher.fetch_all(&spread, &|| {}));
    assert!(out.values().all(|f| f.status == Some(200)), "{out:?}");
    assert!(t.elapsed() < Duration::from_millis(600), "five hosts took {:?}", t.elapsed());
}

#[test]
fn bodies_are_bounded_and_redirects_recorded() {
    let (fx, rt) = common::start_background();
    let fetcher = Fetcher::new(FetchConfig { max_body: 100, ..cfg() }).unwrap();
    let f = rt.block_on(fetcher.fetch(&fx.url("/moved")));
    assert_eq!(f.status, Some(200));
    assert!(f.body_truncated);
    assert_eq!(f.body.as_deref().map(<[u8]>::len), Some(100));
    assert_eq!(f.redirects.len(), 1);
    assert_eq!(f.redirects[0].status, 308);
    assert!(f.final_url.as_deref().unwrap().ends_with("/ok"));

    let fetcher = Fetcher::new(FetchConfig { max_redirects: 0, ..cfg() }).unwrap();
    let f = rt.block_on(fetcher.fetch(&fx.url("/moved")));
    assert_eq!(f.failure.map(|x| x.kind), Some(FailureKind::TooManyRedirects));

    let fetcher = Fetcher::new(cfg()).unwrap();
    let f = rt.block_on(fetcher.fetch(&fx.url("/ok")));
    assert!(!f.body_truncated);
    assert!(f.failure.is_none());
}

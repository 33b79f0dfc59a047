//! Throughput and per-call overhead of the AI client against the fake server on 127.0.0.1.
//!
//! `articles` runs the three article judgements (category, quality, review) for 128 articles at
//! concurrency 32 with an empty cache, with the server answering at once and after a simulated
//! 50 ms model latency. `call_*` compare one judgement with a bare HTTP POST of the same size
//! to isolate what the client adds (render, hash, cache, retry bookkeeping, validation).

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{Canned, FakeServer, smart};
use divan::Bencher;
use divan::counter::ItemsCount;
use govmedia_ai::{Judge, MemoryCache, Profile};

const ARTICLES: usize = 128;

fn main() {
    divan::main();
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

fn profile(server: &FakeServer, concurrency: usize) -> Profile {
    let mut p = Profile::new("bench", &server.url, "deepseek-chat", None);
    p.concurrency = concurrency;
    p
}

fn body(i: usize) -> String {
    format!("第{i}篇：即日起可在线办理社保卡，市民可通过政务服务网提交申请。").repeat(20)
}

fn articles(bencher: Bencher, latency_ms: u64) {
    let server =
        FakeServer::start(move |s| Canned::answer(&smart(s)).delayed(Duration::from_millis(latency_ms)));
    let rt = runtime();
    let p = profile(&server, 32);
    bencher.counter(ItemsCount::new(ARTICLES)).bench_local(|| {
        let judge = Arc::new(Judge::new(&p, Arc::new(MemoryCache::new())).unwrap());
        rt.block_on(async {
            let mut set = tokio::task::JoinSet::new();
            for i in 0..ARTICLES {
                let judge = judge.clone();
                set.spawn(async move {
                    let text = body(i);
                    let c = judge.category("社保卡办理指南", &text).await;
                    let q = judge.quality("社保卡办理指南", &text).await;
                    let r = judge.review("社保卡办理指南", &text).await;
                    assert!(c.answer().is_some() && q.answer().is_some() && r.answer().is_some());
                });
            }
            while set.join_next().await.is_some() {}
        });
    });
}

#[divan::bench(sample_count = 10)]
fn articles_c32_instant_server(bencher: Bencher) {
    articles(bencher, 0);
}

#[divan::bench(sample_count = 10)]
fn articles_c32_50ms_latency(bencher: Bencher) {
    articles(bencher, 50);
}

/// One category judgement, cache empty: the whole client path.
#[divan::bench(sample_count = 50)]
fn call_judgement(bencher: Bencher) {
    let server = FakeServer::smart();
    let rt = runtime();
    let p = profile(&server, 1);
    let judge = Judge::new(&p, Arc::new(MemoryCache::new())).unwrap();
    let mut i = 0usize;
    bencher.bench_local(|| {
        i += 1;
        let j = rt.block_on(judge.category("社保卡办理指南", &body(i)));
        assert!(j.answer().is_some());
    });
}

/// The same request as a bare reqwest POST: the baseline the client's overhead is measured
/// against.
#[divan::bench(sample_count = 50)]
fn call_bare_http(bencher: Bencher) {
    let server = FakeServer::smart();
    let rt = runtime();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let url = format!("{}/chat/completions", server.url);
    let system = govmedia_ai::prompts::Task::Category.template().system.clone().unwrap();
    let mut i = 0usize;
    bencher.bench_local(|| {
        i += 1;
        let req = serde_json::json!({"model": "deepseek-chat", "messages": [
            {"role": "system", "content": system},
            {"role": "user", "content": format!("标题：社保卡办理指南\n\n正文：\n{}", body(i))}]});
        let text = rt.block_on(async {
            http.post(&url)
                .body(serde_json::to_vec(&req).unwrap())
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        });
        divan::black_box(text);
    });
}

/// A cache hit: render, hash, look up, re-validate.
#[divan::bench(sample_count = 50)]
fn call_cached(bencher: Bencher) {
    let server = FakeServer::smart();
    let rt = runtime();
    let p = profile(&server, 1);
    let judge = Judge::new(&p, Arc::new(MemoryCache::new())).unwrap();
    let text = body(0);
    rt.block_on(judge.category("社保卡办理指南", &text));
    bencher.bench_local(|| {
        let j = rt.block_on(judge.category("社保卡办理指南", &text));
        assert!(j.cached);
    });
}

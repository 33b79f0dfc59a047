//! LSH at scale: MinHash signatures of one million synthetic articles, the banded index and
//! the duplicate pairs, with elapsed time and peak memory (VmHWM).
//!
//! Articles are 24 sentences drawn at random from the sentences of the generated national
//! survey; every 100th article is a copy of an earlier one with a new header and footer
//! (planted duplicates). `cargo run --release -p govmedia-content --example lsh_million -- [N]`

use std::time::Instant;

use govmedia_content::minhash::{self, LshIndex};
use govmedia_content::originality::DUPLICATE_THRESHOLD;

fn xorshift(mut x: u64) -> u64 {
    x ^= x << 13;
    x ^= x >> 7;
    x ^ (x << 17)
}

fn peak_rss_mb() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// The text of synthetic article `i` (a planted copy's source is `i - 37`).
fn article(i: u64, sentences: &[&str]) -> String {
    let base = if i % 100 == 99 { i - 37 } else { i };
    let mut x = xorshift(base.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut s = String::with_capacity(2400);
    if base != i {
        s.push_str("来源：某某发布\n");
    }
    for _ in 0..24 {
        x = xorshift(x);
        s.push_str(sentences[(x % sentences.len() as u64) as usize]);
    }
    if base != i {
        s.push_str("（责任编辑：王五）");
    }
    s
}

fn main() {
    let n: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let ds = govmedia_sample::generate(govmedia_sample::Scale::National2025, govmedia_sample::DEFAULT_SEED);
    let bodies: Vec<String> = ds.articles.into_iter().filter_map(|a| a.content).collect();
    let mut sentences: Vec<&str> =
        bodies.iter().flat_map(|b| b.split_inclusive('。')).filter(|s| s.chars().count() > 10).collect();
    sentences.sort_unstable();
    sentences.dedup();
    println!("sentence pool: {}; peak RSS after corpus: {:.0} MB", sentences.len(), peak_rss_mb());

    let t = Instant::now();
    let threads = std::thread::available_parallelism().map_or(2, |p| p.get()).min(4) as u64;
    let per = n.div_ceil(threads);
    let mut index = LshIndex::with_capacity(n as usize);
    let parts: Vec<Vec<minhash::Signature>> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..threads)
            .map(|k| {
                let sentences = &sentences;
                s.spawn(move || {
                    (k * per..((k + 1) * per).min(n))
                        .map(|i| minhash::signature(&article(i, sentences)).expect("long enough"))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    drop(bodies);
    for p in parts {
        for s in p {
            index.add(s);
        }
    }
    let sig_s = t.elapsed().as_secs_f64();
    println!("signatures: {n} in {sig_s:.1}s ({:.0}/s)", n as f64 / sig_s);

    let t = Instant::now();
    let (mut pairs, mut planted_found) = (0u64, 0u64);
    index.pairs(DUPLICATE_THRESHOLD, 64, |a, b, _| {
        pairs += 1;
        if u64::from(b) % 100 == 99 && u64::from(a) == u64::from(b) - 37 {
            planted_found += 1;
        }
    });
    let planted = n / 100;
    println!(
        "LSH pairs: {pairs} pairs ≥ {DUPLICATE_THRESHOLD} in {:.1}s; planted copies found {planted_found}/{planted} ({:.2}%)",
        t.elapsed().as_secs_f64(),
        planted_found as f64 * 100.0 / planted as f64
    );
    println!("peak RSS: {:.0} MB", peak_rss_mb());
}

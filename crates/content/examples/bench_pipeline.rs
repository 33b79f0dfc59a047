//! Throughput of the per-article content work (segmentation + lexicon + PII + MinHash
//! signature) on the generated national-scale survey (29,684 articles, ~2,000 characters).
//!
//! `cargo run --release -p govmedia-content --example bench_pipeline -- [--threads N]
//! [--write-corpus FILE]`; `benches/python/run.sh` runs it beside the Python reference on the
//! same corpus and prints the ratio.

use std::io::Write;
use std::time::Instant;

use govmedia_content::{lexicon, minhash, segment, text};
use govmedia_sample::{DEFAULT_SEED, Scale, generate};

/// The work done per article; returns a checksum so nothing is optimised away.
fn work(body: &str, stage: Stage) -> usize {
    let mut n = 0;
    if matches!(stage, Stage::All | Stage::Segment) {
        n += segment::words(body).len();
    }
    if matches!(stage, Stage::SegmentNoHmm) {
        n += segment::jieba().cut(body, false).len();
    }
    // Lexicon matching and signatures share one folding pass.
    let folded =
        matches!(stage, Stage::All | Stage::Lexicon | Stage::Signature).then(|| text::Folded::new(body));
    if matches!(stage, Stage::All | Stage::Lexicon) {
        n += lexicon::builtin().scan_folded(body, folded.as_ref().unwrap()).len();
    }
    if matches!(stage, Stage::All | Stage::Pii) {
        n += govmedia_pii::scan(body).len();
    }
    if matches!(stage, Stage::All | Stage::Signature) {
        n += minhash::signature_folded(&folded.as_ref().unwrap().text).map_or(0, |s| s[0] as usize & 1);
    }
    n
}

#[derive(Clone, Copy, Debug)]
enum Stage {
    Segment,
    /// Dictionary-only segmentation (no HMM for unknown words), for comparison.
    SegmentNoHmm,
    Lexicon,
    Pii,
    Signature,
    All,
}

fn run(bodies: &[&str], threads: usize, stage: Stage) -> f64 {
    let start = Instant::now();
    let chunk = bodies.len().div_ceil(threads);
    let total: usize = std::thread::scope(|s| {
        let hs: Vec<_> = bodies
            .chunks(chunk)
            .map(|c| s.spawn(move || c.iter().map(|b| work(b, stage)).sum::<usize>()))
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).sum()
    });
    std::hint::black_box(total);
    start.elapsed().as_secs_f64()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |k: &str| args.iter().position(|a| a == k).and_then(|i| args.get(i + 1)).cloned();
    let threads: usize = arg("--threads").and_then(|t| t.parse().ok()).unwrap_or(2);
    let t0 = Instant::now();
    let ds = generate(Scale::National2025, DEFAULT_SEED);
    let bodies: Vec<&str> = ds.articles.iter().filter_map(|a| a.content.as_deref()).collect();
    let bytes: usize = bodies.iter().map(|b| b.len()).sum();
    let chars: usize = bodies.iter().map(|b| b.chars().count()).sum();
    eprintln!("generated {} articles in {:.1}s", bodies.len(), t0.elapsed().as_secs_f64());
    if let Some(path) = arg("--write-corpus") {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("corpus file"));
        for b in &bodies {
            writeln!(f, "{}", serde_json::json!({ "content": b })).unwrap();
        }
    }
    let t1 = Instant::now();
    text::warm_up();
    let _ = lexicon::builtin();
    let _ = segment::jieba();
    let _ = minhash::signature(
        "预热预热预热预热预热预热预热预热预热预热预热预热预热预热预热预热预热预热预热预热预热预热预热预热预热预热预热",
    );
    eprintln!(
        "loaded jieba + {} lexicon terms in {:.2}s",
        lexicon::builtin().len(),
        t1.elapsed().as_secs_f64()
    );
    let mb = bytes as f64 / 1e6;
    println!(
        "corpus: {} articles, {:.0} chars/article, {:.1} MB UTF-8; threads: {threads}",
        bodies.len(),
        chars as f64 / bodies.len() as f64,
        mb
    );
    for stage in [Stage::Segment, Stage::SegmentNoHmm, Stage::Lexicon, Stage::Pii, Stage::Signature] {
        let s = run(&bodies, 1, stage);
        println!("1 thread  {stage:?}: {:.0} articles/s, {:.1} MB/s", bodies.len() as f64 / s, mb / s);
    }
    let s1 = run(&bodies, 1, Stage::All);
    println!("1 thread  All: {:.0} articles/s, {:.1} MB/s", bodies.len() as f64 / s1, mb / s1);
    let s = run(&bodies, threads, Stage::All);
    println!(
        "{threads} threads All: {:.0} articles/s, {:.1} MB/s ({:.2}s)",
        bodies.len() as f64 / s,
        mb / s,
        s
    );
    println!("RESULT rust_articles_per_s={:.1}", bodies.len() as f64 / s);
}

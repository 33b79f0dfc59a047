//! Throughput of the collector-format readers on the real samples in ../shared/data.
//!
//! `cargo bench -p govmedia-ingest --bench readers`: feeds report items/s, pages pages/s.

use std::path::PathBuf;

use divan::counter::{BytesCount, ItemsCount};
use divan::{Bencher, black_box};
use govmedia_ingest::{Record, feed, history, wechat_page};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/wechat/");

fn main() {
    divan::main();
}

/// Every file of a sample directory with its contents.
fn load(dir: &str, ext: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(format!("{DATA}{dir}"))
        .expect("sample dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .map(|p| {
            let bytes = std::fs::read(&p).expect("sample");
            (p, bytes)
        })
        .collect();
    files.sort();
    files
}

fn articles(records: &[Record]) -> usize {
    records.iter().filter(|r| matches!(r, Record::Article(_))).count()
}

/// All 122 government feeds (2,116 items) per iteration.
#[divan::bench]
fn feeds_all(bencher: Bencher) {
    let files = load("feeds-gov-2021/feeds", "xml");
    let items: usize = files.iter().map(|(p, b)| articles(&feed::read(p, b).unwrap())).sum();
    bencher.counter(ItemsCount::new(items)).bench(|| {
        for (path, bytes) in &files {
            black_box(feed::read(black_box(path), black_box(bytes)).unwrap());
        }
    });
}

/// All history-API samples per iteration.
#[divan::bench]
fn history_all(bencher: Bencher) {
    let files = load("history-api", "json");
    let items: usize = files.iter().map(|(p, b)| articles(&history::read(p, b).unwrap())).sum();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    bencher.counter(ItemsCount::new(items)).counter(BytesCount::new(bytes)).bench(|| {
        for (path, bytes) in &files {
            black_box(history::read(black_box(path), black_box(bytes)).unwrap());
        }
    });
}

/// The four 2024–26 article pages of 2.9–3.3 MB each, one page per iteration.
#[divan::bench(args = ["article-01.html", "article-share-01.html", "article-with-author-01.html", "article-with-counters-c01.html"])]
fn page_large(bencher: Bencher, name: &str) {
    let path = PathBuf::from(format!("{DATA}article-pages/{name}"));
    let bytes = std::fs::read(&path).expect("sample page");
    bencher.counter(ItemsCount::new(1usize)).counter(BytesCount::new(bytes.len())).bench(|| {
        black_box(wechat_page::read(black_box(&path), black_box(&bytes)).unwrap());
    });
}

/// `classify_notice` on a 3 MB article (the common, negative case) and on a notice page.
#[divan::bench(args = ["article-01.html", "violation-01.html"])]
fn classify_notice(bencher: Bencher, name: &str) {
    let html = std::fs::read_to_string(format!("{DATA}article-pages/{name}")).expect("sample page");
    bencher
        .counter(BytesCount::new(html.len()))
        .bench(|| black_box(wechat_page::classify_notice(black_box(&html))));
}

//! Per-stage throughput on 500 articles of the generated national survey (divan).
//! `cargo bench -p govmedia-content --bench pipeline`

use divan::counter::{BytesCount, ItemsCount};
use divan::{Bencher, black_box};
use govmedia_content::official_names::OfficialNames;
use govmedia_content::text::Folded;
use govmedia_content::{ai_label, docnum, lexicon, minhash, segment};
use std::sync::LazyLock;

static BODIES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let ds = govmedia_sample::generate(govmedia_sample::Scale::National2025, govmedia_sample::DEFAULT_SEED);
    ds.articles.into_iter().filter_map(|a| a.content).take(500).collect()
});

fn bench(b: Bencher, f: impl Fn(&str) -> usize + Sync) {
    let bodies = &*BODIES;
    let bytes: usize = bodies.iter().map(String::len).sum();
    b.counter(ItemsCount::new(bodies.len()))
        .counter(BytesCount::new(bytes))
        .bench(|| bodies.iter().map(|t| f(black_box(t))).sum::<usize>());
}

#[divan::bench]
fn segmentation(b: Bencher) {
    let _ = segment::jieba();
    bench(b, |t| segment::words(t).len());
}

#[divan::bench]
fn lexicon_scan(b: Bencher) {
    let _ = lexicon::builtin();
    bench(b, |t| lexicon::builtin().scan(t).len());
}

#[divan::bench]
fn folding(b: Bencher) {
    bench(b, |t| Folded::new(t).text.len());
}

#[divan::bench]
fn official_names(b: Bencher) {
    let names = OfficialNames::builtin();
    bench(b, |t| names.scan(t, &Folded::new(t)).len());
}

#[divan::bench]
fn ai_signs(b: Bencher) {
    let signs = ai_label::AiSigns::builtin();
    bench(b, |t| signs.unlabelled_tell(t).map_or(0, |s| s.len()));
}

#[divan::bench]
fn doc_numbers(b: Bencher) {
    bench(b, |t| docnum::check(t).len());
}

#[divan::bench]
fn pii_scan(b: Bencher) {
    bench(b, |t| govmedia_pii::scan(t).len());
}

#[divan::bench]
fn minhash_signature(b: Bencher) {
    bench(b, |t| minhash::signature(t).map_or(0, |s| s[0] as usize));
}

/// The shipped lexicons: TOML parsing, then folding and compiling the automaton (done once per
/// process, beside the first pass).
#[divan::bench(sample_count = 10)]
fn lexicon_parse() -> usize {
    lexicon::LexiconSet::parse(lexicon::BUILTIN_FILES.iter().copied()).unwrap().len()
}

#[divan::bench(sample_count = 10)]
fn lexicon_build(b: Bencher) {
    let files = lexicon::LexiconSet::parse(lexicon::BUILTIN_FILES.iter().copied()).unwrap();
    b.bench(|| lexicon::LexiconSet::build(&files).unwrap().len());
}

fn main() {
    divan::main();
}

//! Report time for a national-scale survey (682 accounts, 2025 level sizes): survey report in
//! HTML, PDF and Excel plus 682 diagnoses in HTML and PDF.

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn national_682_accounts(bencher: divan::Bencher) {
    let results = common::national();
    let dir = tempfile::tempdir().unwrap();
    bencher.bench_local(|| govmedia_report::write_reports(&results, dir.path()).unwrap());
}

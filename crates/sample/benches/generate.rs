//! Generation time of the national-scale survey (682 accounts, 29,684 articles) and of the
//! bundled sample, in memory and written to a temporary directory.
//!
//! `cargo bench -p govmedia-sample`

use govmedia_sample::{DEFAULT_SEED, Scale, generate, write_dataset};

fn main() {
    divan::main();
}

#[divan::bench(args = [Scale::Sample, Scale::National2025], sample_count = 5, sample_size = 1)]
fn generate_in_memory(scale: Scale) -> govmedia_sample::Dataset {
    generate(scale, DEFAULT_SEED)
}

#[divan::bench(args = [Scale::Sample, Scale::National2025], sample_count = 3, sample_size = 1)]
fn generate_and_write(bencher: divan::Bencher, scale: Scale) {
    let dir = std::env::temp_dir().join(format!("govmedia-sample-bench-{}", std::process::id()));
    bencher.bench_local(|| {
        let ds = generate(scale, DEFAULT_SEED);
        write_dataset(&ds, &dir).expect("write dataset");
    });
    std::fs::remove_dir_all(&dir).ok();
}

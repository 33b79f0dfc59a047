//! `evaluate` on the national-scale generated survey (govmedia-sample, `national-2025`: 682
//! accounts, 29,684 articles with comments, menus, events and page snapshots), built once
//! outside the timing; and each structural check alone (observe, prepare, assess).
//! Run: `cargo bench -p govmedia-score`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::OnceLock;

use govmedia_checks::{InMemory, NoProgress, Outcome, run_check, structural_checks};
use govmedia_pipeline::Loaded;
use govmedia_sample::{DEFAULT_SEED, Scale, generate};
use govmedia_score::{Framework, evaluate};

fn main() {
    divan::main();
}

fn national_survey() -> &'static Loaded {
    static S: OnceLock<Loaded> = OnceLock::new();
    S.get_or_init(|| common::store_and_survey(generate(Scale::National2025, DEFAULT_SEED)).1)
}

#[divan::bench(sample_count = 10)]
fn evaluate_national(bencher: divan::Bencher) {
    let loaded = national_survey();
    let articles: usize = loaded.accounts.iter().map(|a| a.articles.len()).sum();
    assert_eq!(loaded.accounts.len(), 682);
    assert!((29_000..=29_684).contains(&articles), "{articles}");
    let fw = Framework::builtin("ccid-2025").unwrap();
    bencher.bench(|| {
        let mut checks = structural_checks();
        evaluate(&loaded.survey, &mut InMemory(&loaded.accounts), &fw, &mut checks, None, &NoProgress)
            .unwrap()
    });
}

/// One check alone: observe, prepare and assess every account.
#[divan::bench(args = ["timeliness", "menu", "interaction", "propagation", "account"], sample_count = 10)]
fn check(bencher: divan::Bencher, name: &str) {
    let loaded = national_survey();
    bencher.bench(|| {
        let mut c = structural_checks().into_iter().find(|c| c.name() == name).unwrap();
        let outcomes = run_check(c.as_mut(), &loaded.survey, &loaded.accounts, &NoProgress).unwrap();
        outcomes.iter().filter(|o| matches!(o, Outcome::Evaluated(_))).count()
    });
}

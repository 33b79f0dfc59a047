//! Accounts are assessed on all cores: every check of a run (structural, content, web offline)
//! gives the same results, byte for byte, on one thread and on several.

mod common;

use std::path::PathBuf;

use govmedia_checks::NoProgress;
use govmedia_pipeline::{CheckOptions, CheckSet, WebCheckOptions, evaluate_survey};
use govmedia_sample::{DEFAULT_SEED, Scale, generate};
use govmedia_score::{Framework, write_results};

#[test]
fn results_do_not_depend_on_the_number_of_threads() {
    let (store, survey) = common::store_and_survey(generate(Scale::Sample, DEFAULT_SEED));
    let fw = Framework::builtin("ccid-2025").unwrap();
    let options = CheckOptions {
        web: WebCheckOptions { browser: Some(PathBuf::from("no-browser")), ..WebCheckOptions::default() },
        ..CheckOptions::default()
    };
    let run = |threads: usize| {
        let mut checks = CheckSet::build(&options, &store, None).unwrap();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        let mut r = pool.install(|| evaluate_survey(&survey, &fw, &mut checks, &NoProgress)).unwrap();
        r.generated_at = String::new();
        let dir = tempfile::tempdir().unwrap();
        write_results(dir.path(), &r).unwrap();
        let files = ["results.json", "rankings.csv"].map(|f| std::fs::read(dir.path().join(f)).unwrap());
        (r, files)
    };
    let (one, single) = run(1);
    assert!(one.accounts.len() > 20 && one.accounts.iter().any(|a| !a.findings.is_empty()));
    assert!(one.articles.iter().any(|a| a.category.is_some()), "the content checks ran");
    let (_, several) = run(4);
    assert!(single == several, "results differ between 1 and 4 threads");
}

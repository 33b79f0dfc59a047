//! Accounts are assessed on all cores: every check of a run (structural, content, web offline)
//! gives the same results, byte for byte, on one thread and on several, in chunks of any size,
//! and whether or not the second pass reads the article bodies.

mod common;

use std::path::PathBuf;

use govmedia_checks::{InMemory, NoProgress};
use govmedia_pipeline::{CheckOptions, CheckSet, WebCheckOptions, evaluate_survey};
use govmedia_sample::{DEFAULT_SEED, Scale, generate};
use govmedia_score::{Framework, write_results};

#[test]
fn results_do_not_depend_on_the_number_of_threads() {
    let (store, loaded) = common::store_and_survey(generate(Scale::Sample, DEFAULT_SEED));
    let fw = Framework::builtin("ccid-2025").unwrap();
    let options = CheckOptions {
        web: WebCheckOptions { browser: Some(PathBuf::from("no-browser")), ..WebCheckOptions::default() },
        ..CheckOptions::default()
    };
    let run = |threads: usize| {
        let mut checks = CheckSet::build(&options, &store, None).unwrap();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        let mut r = pool
            .install(|| {
                evaluate_survey(
                    &loaded.survey,
                    &mut InMemory(&loaded.accounts),
                    &fw,
                    &mut checks,
                    None,
                    &NoProgress,
                )
            })
            .unwrap();
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

/// The results of every check of a run (structural, content, web offline without a browser)
/// on `survey`'s accounts from `source`, as JSON without `generated_at`.
fn results_json(
    store: &dyn govmedia_store_api::Store,
    survey: &govmedia_checks::Survey,
    source: &mut dyn govmedia_checks::AccountSource,
) -> String {
    let fw = Framework::builtin("ccid-2025").unwrap();
    let options = CheckOptions {
        web: WebCheckOptions { browser: Some(PathBuf::from("no-browser")), ..WebCheckOptions::default() },
        ..CheckOptions::default()
    };
    let mut checks = CheckSet::build(&options, store, None).unwrap();
    let mut r = evaluate_survey(survey, source, &fw, &mut checks, None, &NoProgress).unwrap();
    r.generated_at = String::new();
    serde_json::to_string(&r).unwrap()
}

/// Accounts visited a few at a time, as the store-backed source does at scale.
struct Chunked<'a>(&'a [govmedia_checks::AccountData], usize);

impl govmedia_checks::AccountSource for Chunked<'_> {
    fn for_each_chunk(
        &mut self,
        visit: &mut govmedia_checks::Visit<'_>,
    ) -> Result<(), govmedia_checks::PassError> {
        self.0.chunks(self.1).try_for_each(visit)
    }
}

/// The checks keep what they observe across chunks: the results of one chunk and of chunks of
/// a few accounts are the same, byte for byte (duplicates across chunks, percentiles, AI-free
/// content checks, web offline).
#[test]
fn results_do_not_depend_on_chunking() {
    let (store, loaded) = common::store_and_survey(generate(Scale::Sample, DEFAULT_SEED));
    let run = |source: &mut dyn govmedia_checks::AccountSource| results_json(&store, &loaded.survey, source);
    let whole = run(&mut InMemory(&loaded.accounts));
    assert!(whole.contains("content.duplicate"), "the sample has copies across accounts");
    for size in [1, 7] {
        assert!(whole == run(&mut Chunked(&loaded.accounts, size)), "chunks of {size} differ");
    }
}

/// Accounts in chunks of a few, like [`Chunked`], with their articles' bodies left out when
/// asked (as the store does) or always.
struct Bodiless<'a> {
    accounts: &'a [govmedia_checks::AccountData],
    never: bool,
    asked: bool,
}

impl govmedia_checks::AccountSource for Bodiless<'_> {
    fn for_each_chunk(
        &mut self,
        visit: &mut govmedia_checks::Visit<'_>,
    ) -> Result<(), govmedia_checks::PassError> {
        self.accounts.chunks(5).try_for_each(|chunk| {
            if !(self.asked || self.never) {
                return visit(chunk);
            }
            let mut chunk = chunk.to_vec();
            for a in chunk.iter_mut().flat_map(|acc| &mut acc.articles) {
                (a.content, a.content_html) = (None, None);
            }
            visit(&chunk)
        })
    }

    fn leave_out_bodies(&mut self) {
        self.asked = true;
    }
}

/// The second pass reads no bodies: what the checks assessed in it need of them (answers to
/// events, repost markers) was kept in the first. The results are those of a run that reads
/// the bodies twice, while a run that never sees them differs.
#[test]
fn results_do_not_depend_on_bodies_in_the_second_pass() {
    let (store, loaded) = common::store_and_survey(generate(Scale::Sample, DEFAULT_SEED));
    let run = |source: &mut dyn govmedia_checks::AccountSource| results_json(&store, &loaded.survey, source);
    let whole = run(&mut InMemory(&loaded.accounts));
    let mut second = Bodiless { accounts: &loaded.accounts, never: false, asked: false };
    assert!(whole == run(&mut second), "results differ without bodies in the second pass");
    assert!(second.asked, "the second pass was asked to leave the bodies out");
    let mut never = Bodiless { accounts: &loaded.accounts, never: true, asked: false };
    assert!(whole != run(&mut never), "the sample's results depend on the bodies");
}

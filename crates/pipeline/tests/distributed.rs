//! Distributed evaluation with workers in this process, against the throwaway PostgreSQL
//! (`GOVMEDIA_TEST_PG`; skipped without it): an account whose assessment panics is retried,
//! then reported as not evaluated with the reason, while the run completes for every other
//! account. The multi-process tests (1, 2 and 4 workers, SIGKILL) are in the CLI's tests.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use govmedia_checks::{AccountData, Check, Outcome, Survey};
use govmedia_pipeline::distributed::{JobOptions, WorkerOptions, enqueue, finish, work_with};
use govmedia_pipeline::{CheckOptions, CheckSet, EvaluateOptions, NoProgress, StoreSpec, WebCheckOptions};
use govmedia_store_api::{AccountFilter, RunState, Store};
use govmedia_store_postgres::testing::TestDb;

const MESSAGE: &str = "测试：该账号的数据使评估崩溃";

/// Panics on one account, as a check with a bug would on unexpected data.
struct Poison(String);

impl Check for Poison {
    fn name(&self) -> &'static str {
        "poison"
    }

    fn assess(&self, _survey: &Survey, account: &AccountData) -> Outcome {
        assert!(account.account.id != self.0, "{MESSAGE}");
        Outcome::Evaluated(Default::default())
    }
}

/// Offline, without a browser: every check but the mobile one runs.
fn offline_without_browser() -> EvaluateOptions {
    EvaluateOptions {
        offline: true,
        checks: CheckOptions {
            web: WebCheckOptions { browser: Some("/nonexistent/chromium".into()), ..Default::default() },
            ..Default::default()
        },
        ..Default::default()
    }
}

fn sample() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/sample-survey"))
}

#[test]
fn a_panicking_account_is_reported_and_the_run_completes_for_the_others() {
    let Some(db) = TestDb::create("poison") else { return };
    let mut store = govmedia_pipeline::open_store(&StoreSpec::parse(db.url())).unwrap();
    govmedia_pipeline::import(&mut *store, sample(), Default::default(), &NoProgress).unwrap();
    let roster = store.snapshot().unwrap().accounts(&AccountFilter::default()).unwrap();
    let poisoned = roster.iter().find(|a| a.platform == govmedia_model::Platform::Wechat).unwrap().id.clone();
    let options = offline_without_browser();
    let run = enqueue(&mut *store, &options, JobOptions { accounts_per_job: 10, max_attempts: 2 }).unwrap();
    let worker = WorkerOptions {
        name: "test".into(),
        concurrency: 2,
        lease: Duration::from_secs(30),
        poll: Duration::from_millis(50),
        exit_when_idle: true,
    };
    let registry = |checks: &CheckOptions, store: &dyn Store, out: &Path| {
        let mut set = CheckSet::build(checks, store, Some(out))?;
        set.push(Box::new(Poison(poisoned.clone())));
        Ok(set)
    };
    let report = work_with(&*store, &worker, &AtomicBool::new(false), &registry).unwrap();
    assert_eq!(report.retried, 1, "the poisoned job is retried once: {report:?}");
    assert_eq!(report.accounts, roster.len() as u64);

    let results = finish(&mut *store, run, None, Duration::from_millis(50), &NoProgress).unwrap();
    assert_eq!(results.accounts.len(), roster.len() - 1);
    assert!(results.accounts.iter().all(|a| a.id != poisoned));
    let reported: Vec<_> = results.not_evaluated.iter().filter(|n| n.check == "evaluation").collect();
    assert_eq!(reported.len(), 1, "{:?}", results.not_evaluated);
    let reason = &reported[0].reason;
    assert!(
        reason.contains(&poisoned) && reason.contains("已尝试 2 次") && reason.contains(MESSAGE),
        "{reason}"
    );
    let summary = store.runs().unwrap().into_iter().find(|r| r.id == run).unwrap();
    assert_eq!(summary.state, RunState::Finished);
    assert_eq!(summary.accounts, Some(roster.len() as u64 - 1));
}

/// Panics while observing the chunk with one account, as a first pass with a bug would.
struct PoisonedObservation(String);

impl Check for PoisonedObservation {
    fn name(&self) -> &'static str {
        "poisoned_observation"
    }

    fn observe(
        &mut self,
        _survey: &Survey,
        accounts: &[AccountData],
        _progress: &dyn govmedia_checks::Progress,
    ) -> Result<(), govmedia_checks::CheckError> {
        assert!(accounts.iter().all(|a| a.account.id != self.0), "{MESSAGE}");
        Ok(())
    }

    fn assess(&self, _survey: &Survey, _account: &AccountData) -> Outcome {
        Outcome::Evaluated(Default::default())
    }
}

#[test]
fn a_chunk_that_cannot_be_observed_fails_the_run_and_names_its_accounts() {
    let Some(db) = TestDb::create("poison_observe") else { return };
    let mut store = govmedia_pipeline::open_store(&StoreSpec::parse(db.url())).unwrap();
    govmedia_pipeline::import(&mut *store, sample(), Default::default(), &NoProgress).unwrap();
    let roster = store.snapshot().unwrap().accounts(&AccountFilter::default()).unwrap();
    let poisoned = roster[12].id.clone();
    let options = EvaluateOptions { offline: true, ..Default::default() };
    let run = enqueue(&mut *store, &options, JobOptions { accounts_per_job: 10, max_attempts: 1 }).unwrap();
    let worker = WorkerOptions {
        name: "test".into(),
        concurrency: 1,
        lease: Duration::from_secs(30),
        poll: Duration::from_millis(50),
        exit_when_idle: false,
    };
    let registry = |checks: &CheckOptions, store: &dyn Store, out: &Path| {
        let mut set = CheckSet::build(checks, store, Some(out))?;
        set.push(Box::new(PoisonedObservation(poisoned.clone())));
        Ok(set)
    };
    let stop = AtomicBool::new(false);
    let failed = std::thread::scope(|s| {
        let worker = s.spawn(|| {
            work_with(
                &*govmedia_pipeline::open_store(&StoreSpec::parse(db.url())).unwrap(),
                &worker,
                &stop,
                &registry,
            )
        });
        let failed = finish(&mut *store, run, None, Duration::from_millis(50), &NoProgress);
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        worker.join().unwrap().unwrap();
        failed
    });
    let message = failed.unwrap_err().to_string();
    assert!(message.contains(&poisoned) && message.contains(MESSAGE), "{message}");
    let summary = store.runs().unwrap().into_iter().find(|r| r.id == run).unwrap();
    assert_eq!(summary.state, RunState::Failed, "{summary:?}");
}

/// Workers take the content outcomes an in-process evaluation remembered, and remember their
/// own: one scope whoever evaluates. A remembered outcome altered in the cache shows in the
/// distributed run's results (so it was taken, not assessed again); with `fresh` it does not.
#[test]
fn workers_take_the_outcomes_an_in_process_evaluation_remembered() {
    let Some(db) = TestDb::create("remembered") else { return };
    let mut store = govmedia_pipeline::open_store(&StoreSpec::parse(db.url())).unwrap();
    govmedia_pipeline::import(&mut *store, sample(), Default::default(), &NoProgress).unwrap();
    let options = offline_without_browser();
    let in_process = govmedia_pipeline::evaluate(&mut *store, &options, None, &NoProgress).unwrap();
    let account =
        in_process.accounts.iter().find(|a| a.stats.contains_key("articles_checked_for_safety")).unwrap();
    let cache = store.cache().unwrap();
    let slot = format!("safety/{}", account.id);
    let entry = cache.get("outcomes", &slot).unwrap().expect("the in-process evaluation remembered");
    let field = "\"articles_checked_for_safety\":";
    let at = entry.find(field).unwrap() + field.len();
    let end = at + entry[at..].find(|c: char| !c.is_ascii_digit()).unwrap();
    cache.put("outcomes", &slot, &format!("{}99999{}", &entry[..at], &entry[end..])).unwrap();

    let distributed = |store: &mut dyn Store, options: &EvaluateOptions| {
        let run = enqueue(store, options, JobOptions { accounts_per_job: 10, max_attempts: 1 }).unwrap();
        let worker = WorkerOptions {
            name: "test".into(),
            concurrency: 1,
            lease: Duration::from_secs(30),
            poll: Duration::from_millis(50),
            exit_when_idle: true,
        };
        let registry =
            |checks: &CheckOptions, store: &dyn Store, out: &Path| CheckSet::build(checks, store, Some(out));
        work_with(&*store, &worker, &AtomicBool::new(false), &registry).unwrap();
        let results = finish(store, run, None, Duration::from_millis(50), &NoProgress).unwrap();
        let a = results.accounts.iter().find(|a| a.id == account.id).unwrap();
        a.stats["articles_checked_for_safety"].clone()
    };
    assert_eq!(distributed(&mut *store, &options), 99999);
    let fresh = EvaluateOptions { fresh: true, ..options.clone() };
    assert_eq!(distributed(&mut *store, &fresh), account.stats["articles_checked_for_safety"]);
}

//! Distributed evaluation through the real binary against the throwaway PostgreSQL
//! (`GOVMEDIA_TEST_PG`; skipped without it): `evaluate --distributed` with 1, 2 and 4
//! `govmedia worker` processes gives the results of the in-process evaluation, byte for byte
//! apart from `generated_at` (evidence files too); a worker killed with SIGKILL in the middle
//! of a job loses nothing (another takes the job once its lease runs out), and a worker told
//! SIGTERM stops cleanly.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::repo;
use govmedia_store_postgres::testing::TestDb;

const NO_BROWSER: &[&str] = &["--browser", "/nonexistent/chromium"];

fn govmedia(dir: &Path, args: &[&str]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("govmedia"))
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("govmedia starts")
}

fn succeed(child: Child, what: &str) {
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{what} failed: {}", String::from_utf8_lossy(&out.stderr));
}

/// results.json of `out` without `generated_at`, and the evidence files' contents.
fn results(out: &Path) -> (serde_json::Value, Vec<(String, Vec<u8>)>) {
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("results.json")).unwrap()).unwrap();
    v.as_object_mut().unwrap().remove("generated_at");
    let mut evidence: Vec<_> = std::fs::read_dir(out.join("evidence"))
        .map(|d| {
            d.map(|e| {
                let p = e.unwrap().path();
                (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap())
            })
            .collect()
        })
        .unwrap_or_default();
    evidence.sort();
    (v, evidence)
}

/// A database with the bundled sample imported, and a connection to watch its queue.
fn sample_db(dir: &Path, test: &str) -> Option<(TestDb, postgres::Client)> {
    let pg = TestDb::create(test)?;
    let sample = repo("examples/sample-survey");
    succeed(govmedia(dir, &["import", sample.to_str().unwrap(), "--db", pg.url()]), "import");
    let client = postgres::Client::connect(pg.url(), postgres::NoTls).unwrap();
    Some((pg, client))
}

/// Polls `query` (one count) until it is positive.
fn wait_for(client: &mut postgres::Client, query: &str, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while client.query_one(query, &[]).unwrap().get::<_, i64>(0) == 0 {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Enqueues a distributed run writing into `out` and waits until its jobs are queued.
fn start_distributed(
    dir: &Path,
    client: &mut postgres::Client,
    url: &str,
    out: &str,
    extra: &[&str],
) -> Child {
    let before: i64 = client.query_one("SELECT count(*) FROM runs", &[]).unwrap().get(0);
    let mut args = vec!["evaluate", "--db", url, "--offline", "--distributed", "--accounts-per-job", "5"];
    args.extend_from_slice(&["--out", out]);
    args.extend_from_slice(extra);
    let child = govmedia(dir, &args);
    wait_for(
        client,
        &format!(
            "SELECT count(*) FROM run_jobs WHERE run_id = (SELECT max(id) FROM runs) AND (SELECT count(*) FROM runs) > {before}"
        ),
        "the run's jobs",
    );
    child
}

#[test]
fn one_two_and_four_workers_give_the_in_process_results() {
    let dir = tempfile::tempdir().unwrap();
    let Some((pg, mut client)) = sample_db(dir.path(), "distributed_workers") else { return };
    let url = pg.url();
    for (workers, browser) in [(1, NO_BROWSER), (2, &[][..]), (4, NO_BROWSER)] {
        let base = format!("base-{workers}");
        let mut args = vec!["evaluate", "--db", url, "--offline", "--out", &base];
        args.extend_from_slice(browser);
        succeed(govmedia(dir.path(), &args), "in-process evaluate");
        let out = format!("distributed-{workers}");
        let coordinator = start_distributed(dir.path(), &mut client, url, &out, browser);
        let children: Vec<Child> = (0..workers)
            .map(|_| govmedia(dir.path(), &["worker", "--db", url, "--exit-when-idle"]))
            .collect();
        for c in children {
            succeed(c, "worker");
        }
        succeed(coordinator, "evaluate --distributed");
        let expected = results(&dir.path().join(&base));
        assert!(expected.0["accounts"].as_array().unwrap().len() > 40);
        assert!(
            expected == results(&dir.path().join(&out)),
            "{workers} workers: results differ from the in-process run"
        );
    }
    let done: i64 =
        client.query_one("SELECT count(*) FROM run_jobs WHERE state <> 'done'", &[]).unwrap().get(0);
    assert_eq!(done, 0, "every job is done");
}

#[test]
fn a_job_of_a_killed_worker_is_done_by_another_and_sigterm_stops_a_worker() {
    let dir = tempfile::tempdir().unwrap();
    let Some((pg, mut client)) = sample_db(dir.path(), "distributed_kill") else { return };
    let url = pg.url();
    let mut args = vec!["evaluate", "--db", url, "--offline", "--out", "base"];
    args.extend_from_slice(NO_BROWSER);
    succeed(govmedia(dir.path(), &args), "in-process evaluate");

    let coordinator = start_distributed(dir.path(), &mut client, url, "distributed", NO_BROWSER);
    let mut doomed = govmedia(dir.path(), &["worker", "--db", url, "--lease", "3"]);
    wait_for(
        &mut client,
        &format!("SELECT count(*) FROM run_jobs WHERE state = 'running' AND worker LIKE '%:{}'", doomed.id()),
        "the first worker's job",
    );
    doomed.kill().unwrap();
    doomed.wait().unwrap();
    let survivor = govmedia(dir.path(), &["worker", "--db", url, "--lease", "3"]);
    succeed(coordinator, "evaluate --distributed");
    assert!(results(&dir.path().join("base")) == results(&dir.path().join("distributed")));
    let retaken: i64 = client
        .query_one("SELECT count(*) FROM run_jobs WHERE attempts = 2 AND state = 'done'", &[])
        .unwrap()
        .get(0);
    assert_eq!(retaken, 1, "the killed worker's job was leased a second time");

    // SIGTERM: the idle survivor exits at once, successfully.
    let status = Command::new("kill").args(["-TERM", &survivor.id().to_string()]).status().unwrap();
    assert!(status.success());
    let started = Instant::now();
    let out = survivor.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(String::from_utf8_lossy(&out.stderr).contains("工作进程已退出"));
}

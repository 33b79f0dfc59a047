//! Distributed evaluation through the real binary against the throwaway PostgreSQL
//! (`GOVMEDIA_TEST_PG`; skipped without it): `evaluate --distributed` with 1, 2 and 4
//! `govmedia worker` processes gives the results of the in-process evaluation, byte for byte
//! apart from `generated_at` (evidence files too); a worker killed with SIGKILL in the middle
//! of a job loses nothing (another takes the job once its lease runs out; `runs wait` takes
//! over from a killed coordinator), a worker told
//! SIGTERM stops cleanly, a database restart in the middle of a run is survived, and workers
//! in network namespaces of their own (as root) reach the database over TCP as from other hosts.

mod common;
#[path = "../../ai/tests/common/mod.rs"]
mod fake_model;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::repo;
use govmedia_store_postgres::testing::{TestDb, TestServer};

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
    let listed =
        Command::new(assert_cmd::cargo::cargo_bin("govmedia")).args(["runs", "--db", url]).output().unwrap();
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert_eq!(listed.matches("分布式任务：完成 ").count(), 3, "{listed}");
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
    // The coordinator dies too: `runs wait` takes over.
    let mut coordinator = coordinator;
    coordinator.kill().unwrap();
    coordinator.wait().unwrap();
    let run: i64 = client.query_one("SELECT max(id) FROM runs", &[]).unwrap().get(0);
    let survivor = govmedia(dir.path(), &["worker", "--db", url, "--lease", "3"]);
    let run = run.to_string();
    succeed(govmedia(dir.path(), &["runs", "wait", &run, "--db", url, "--out", "distributed"]), "runs wait");
    assert!(results(&dir.path().join("base")) == results(&dir.path().join("distributed")));
    let retaken: i64 = client
        .query_one("SELECT count(*) FROM run_jobs WHERE attempts = 2 AND state = 'done'", &[])
        .unwrap()
        .get(0);
    assert_eq!(retaken, 1, "the killed worker's job was leased a second time");
    // What the jobs handed back is purged once the results are recorded; waiting for the
    // finished run again writes what was recorded.
    let left: i64 = client
        .query_one("SELECT (SELECT count(*) FROM run_outputs) + (SELECT count(*) FROM run_assessed)", &[])
        .unwrap()
        .get(0);
    assert_eq!(left, 0, "outputs and assessments purged");
    succeed(govmedia(dir.path(), &["runs", "wait", &run, "--db", url, "--out", "again"]), "runs wait again");
    assert!(results(&dir.path().join("base")) == results(&dir.path().join("again")));

    // SIGTERM: the idle survivor exits at once, successfully.
    let status = Command::new("kill").args(["-TERM", &survivor.id().to_string()]).status().unwrap();
    assert!(status.success());
    let started = Instant::now();
    let out = survivor.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(String::from_utf8_lossy(&out.stderr).contains("工作进程已退出"));
}

/// Copies the files of `from` into `to`, recursively.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() { copy_dir(&p, &target) } else { std::fs::copy(&p, &target).map(drop).unwrap() }
    }
}

/// Workers need nothing from the enqueuing machine's disk: the user's lexicons, labelled titles
/// and framework file and the dataset's page bodies travel through the database. Once the jobs
/// are queued, the enqueuing folder (dataset included) is renamed away, and the workers run in
/// another folder with a temporary folder of their own.
#[test]
fn workers_need_no_files_of_the_enqueuing_machine() {
    let dir = tempfile::tempdir().unwrap();
    let Some(pg) = TestDb::create("distributed_files") else { return };
    let url = pg.url();
    let here = dir.path().join("enqueuer");
    copy_dir(&repo("examples/sample-survey"), &here.join("sample"));
    common::write(
        &here,
        "lex/mine.toml",
        "name = \"本地词库\"\nkind = \"deny\"\ncategory = \"测试\"\nseverity = \"minor\"\nsource = \"test\"\nterms = [\"防汛\"]\n",
    );
    let rows: String = (1..=10).map(|i| format!("青苗行动第{i}期,科教文史\n")).collect();
    common::write(&here, "mine.csv", &format!("title,category\n{rows}"));
    let shown = Command::new(assert_cmd::cargo::cargo_bin("govmedia"))
        .args(["framework", "show", "ccid-2025"])
        .output()
        .unwrap();
    std::fs::write(here.join("fw.toml"), shown.stdout).unwrap();
    succeed(govmedia(&here, &["import", "sample", "--db", url]), "import");
    let files = [
        "--lexicons",
        "lex",
        "--labelled",
        "mine.csv",
        "--framework",
        "fw.toml",
        NO_BROWSER[0],
        NO_BROWSER[1],
    ];
    let mut args = vec!["evaluate", "--db", url, "--offline", "--out", "base"];
    args.extend_from_slice(&files);
    succeed(govmedia(&here, &args), "in-process evaluate");

    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let coordinator = start_distributed(&here, &mut client, url, "distributed", &files);
    let moved = dir.path().join("moved");
    std::fs::rename(&here, &moved).unwrap();
    let (elsewhere, tmp) = (dir.path().join("worker"), dir.path().join("worker-tmp"));
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::create_dir_all(&tmp).unwrap();
    let worker = Command::new(assert_cmd::cargo::cargo_bin("govmedia"))
        .current_dir(&elsewhere)
        .args(["worker", "--db", url, "--exit-when-idle"])
        .env("TMPDIR", &tmp)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    succeed(worker, "worker");
    succeed(coordinator, "evaluate --distributed");
    let expected = results(&moved.join("base"));
    assert!(expected.0.to_string().contains("本地词库"), "the user's lexicon was used");
    assert!(expected == results(&moved.join("distributed")), "results differ from the in-process run");
    let unpacked: Vec<_> = std::fs::read_dir(tmp.join("govmedia-run-files")).unwrap().collect();
    assert_eq!(unpacked.len(), 1, "one folder per run");
    let pages = unpacked[0].as_ref().unwrap().path().join("dataset/pages");
    assert_eq!(std::fs::read_dir(pages).unwrap().count(), 500, "the snapshots' bodies");
}

/// AI checks in distributed mode: the workers that observe the chunks call the model, as many
/// times as one process does, and the results are that process's. Two databases, so that the
/// distributed run does not find the in-process run's judgements in the cache; the worker runs
/// where there is no govmedia.toml (the enqueuer's travels with the run).
#[test]
fn workers_call_the_model_and_give_the_in_process_ai_results() {
    let server = fake_model::FakeServer::smart();
    let dir = tempfile::tempdir().unwrap();
    let (Some(one), Some(many)) = (TestDb::create("distributed_ai_one"), TestDb::create("distributed_ai"))
    else {
        return;
    };
    common::small_dataset(dir.path());
    common::write(
        dir.path(),
        "govmedia.toml",
        &format!("[ai.profiles.fake]\nbase_url = \"{}\"\nmodel = \"deepseek-chat\"\n", server.url),
    );
    let ai = ["--ai", "fake", NO_BROWSER[0], NO_BROWSER[1]];
    for db in [one.url(), many.url()] {
        succeed(govmedia(dir.path(), &["import", ".", "--db", db]), "import");
    }
    let mut args = vec!["evaluate", "--db", one.url(), "--out", "base"];
    args.extend_from_slice(&ai);
    succeed(govmedia(dir.path(), &args), "in-process evaluate");
    let calls = server.hits();
    assert!(calls > 0);

    let mut client = postgres::Client::connect(many.url(), postgres::NoTls).unwrap();
    let mut args = vec!["evaluate", "--db", many.url(), "--distributed", "--accounts-per-job", "1"];
    args.extend_from_slice(&["--out", "distributed"]);
    args.extend_from_slice(&ai);
    let coordinator = govmedia(dir.path(), &args);
    wait_for(&mut client, "SELECT count(*) FROM run_jobs", "the run's jobs");
    let elsewhere = tempfile::tempdir().unwrap();
    let workers: Vec<Child> = (0..2)
        .map(|_| govmedia(elsewhere.path(), &["worker", "--db", many.url(), "--exit-when-idle"]))
        .collect();
    for w in workers {
        succeed(w, "worker");
    }
    succeed(coordinator, "evaluate --distributed --ai");
    assert_eq!(server.hits(), 2 * calls, "the workers judged every article once");
    let expected = results(&dir.path().join("base"));
    assert!(expected.0.to_string().contains("ai_quality_prompt_tokens"), "the AI checks ran");
    assert!(
        expected == results(&dir.path().join("distributed")),
        "AI results differ from the in-process run"
    );
}

/// Imports the sample into `url` and evaluates it in one process into `base`; its results.
fn import_and_evaluate_in_process(dir: &Path, url: &str) -> (serde_json::Value, Vec<(String, Vec<u8>)>) {
    let sample = repo("examples/sample-survey");
    succeed(govmedia(dir, &["import", sample.to_str().unwrap(), "--db", url]), "import");
    let mut args = vec!["evaluate", "--db", url, "--offline", "--out", "base"];
    args.extend_from_slice(NO_BROWSER);
    succeed(govmedia(dir, &args), "in-process evaluate");
    results(&dir.join("base"))
}

#[test]
fn a_database_restart_in_the_middle_of_a_run_is_survived() {
    let dir = tempfile::tempdir().unwrap();
    let Some(server) = TestServer::start("distributed_restart", "127.0.0.1", None) else { return };
    let url = server.url();
    let expected = import_and_evaluate_in_process(dir.path(), url);
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let before: i64 = client.query_one("SELECT count(*) FROM runs", &[]).unwrap().get(0);
    let mut args = vec!["evaluate", "--db", url, "--offline", "--distributed", "--accounts-per-job", "1"];
    args.extend_from_slice(&["--out", "distributed"]);
    args.extend_from_slice(NO_BROWSER);
    let coordinator = govmedia(dir.path(), &args);
    wait_for(
        &mut client,
        &format!("SELECT count(*) FROM runs WHERE (SELECT count(*) FROM runs) > {before}"),
        "the run",
    );
    let worker = Command::new(assert_cmd::cargo::cargo_bin("govmedia"))
        .current_dir(dir.path())
        .args(["worker", "--db", url, "--lease", "3"])
        .env("RAYON_NUM_THREADS", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(
        &mut client,
        "SELECT (count(*) >= 3)::int::int8 FROM run_jobs WHERE state = 'done'",
        "three jobs done",
    );
    let (done, total): (i64, i64) = {
        let r = client
            .query_one("SELECT count(*) FILTER (WHERE state = 'done'), count(*) FROM run_jobs", &[])
            .unwrap();
        (r.get(0), r.get(1))
    };
    assert!(done < total, "the run was over before the restart");
    drop(client);
    server.restart();
    succeed(coordinator, "evaluate --distributed across a restart");
    assert!(expected == results(&dir.path().join("distributed")), "results differ after a restart");
    Command::new("kill").args(["-TERM", &worker.id().to_string()]).status().unwrap();
    let out = worker.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("无法访问数据库"), "the worker did not see the restart:\n{log}");
}

/// Network namespaces, each joined to this one by a veth pair, deleted with the guard.
struct Namespaces {
    names: Vec<(String, String)>,
}

impl Namespaces {
    /// `n` namespaces; namespace i has address 10.NET.i.2 and reaches 10.NET.i.1 here.
    fn create(net: u8, n: u8) -> Namespaces {
        let ip = |args: &[&str]| {
            let out = Command::new("ip").args(args).output().expect("ip runs");
            assert!(out.status.success(), "ip {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        };
        let mut names = Vec::new();
        for i in 0..n {
            let (ns, host) = (format!("gmw{net}n{i}"), format!("gmw{net}h{i}"));
            let peer = format!("gmw{net}p{i}");
            names.push((ns.clone(), host.clone()));
            ip(&["netns", "add", &ns]);
            ip(&["link", "add", &host, "type", "veth", "peer", "name", &peer]);
            ip(&["link", "set", &peer, "netns", &ns]);
            ip(&["addr", "add", &format!("10.{net}.{i}.1/24"), "dev", &host]);
            ip(&["link", "set", &host, "up"]);
            ip(&["-n", &ns, "addr", "add", &format!("10.{net}.{i}.2/24"), "dev", &peer]);
            ip(&["-n", &ns, "link", "set", &peer, "up"]);
            ip(&["-n", &ns, "link", "set", "lo", "up"]);
        }
        Namespaces { names }
    }
}

impl Drop for Namespaces {
    fn drop(&mut self) {
        for (ns, host) in &self.names {
            let _ = Command::new("ip").args(["link", "del", host]).status();
            let _ = Command::new("ip").args(["netns", "del", ns]).status();
        }
    }
}

#[test]
fn workers_in_other_network_namespaces_reach_the_database_over_tcp() {
    let root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let has_ip = Command::new("ip").arg("-V").output().is_ok_and(|o| o.status.success());
    if !root || !has_ip {
        eprintln!("跳过：需要 root 权限与 ip 命令（iproute2）来创建网络命名空间");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let net = 100 + (std::process::id() % 100) as u8;
    let namespaces = Namespaces::create(net, 2);
    let listen = format!("127.0.0.1,10.{net}.0.1,10.{net}.1.1");
    let Some(server) = TestServer::start("distributed_netns", &listen, Some(&format!("10.{net}.0.0/16")))
    else {
        return;
    };
    let url = server.url();
    let expected = import_and_evaluate_in_process(dir.path(), url);
    let binary = assert_cmd::cargo::cargo_bin("govmedia");
    let in_namespace = |ns: &str, db: &str, extra: &[&str]| {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", ns]).arg(&binary).args(["worker", "--db", db]).args(extra);
        c.current_dir(dir.path()).stdout(Stdio::null()).stderr(Stdio::piped());
        c
    };
    // Inside a namespace, loopback is the namespace's own: no database there.
    let (ns0, _) = &namespaces.names[0];
    let lo = in_namespace(ns0, url, &["--exit-when-idle"]).output().unwrap();
    assert!(!lo.status.success(), "a worker reached the database over the namespace's loopback");

    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let coordinator = start_distributed(dir.path(), &mut client, url, "distributed", NO_BROWSER);
    let workers: Vec<Child> = namespaces
        .names
        .iter()
        .enumerate()
        .map(|(i, (ns, _))| {
            let db = format!("postgres://govmedia@10.{net}.{i}.1:{}/postgres", server.port());
            in_namespace(ns, &db, &["--exit-when-idle"]).spawn().unwrap()
        })
        .collect();
    let pids: Vec<u32> = workers.iter().map(Child::id).collect();
    for w in workers {
        succeed(w, "worker in a network namespace");
    }
    succeed(coordinator, "evaluate --distributed");
    assert!(expected == results(&dir.path().join("distributed")), "results differ");
    for pid in pids {
        let jobs: i64 = client
            .query_one(&format!("SELECT count(*) FROM run_jobs WHERE worker LIKE '%:{pid}'"), &[])
            .unwrap()
            .get(0);
        assert!(jobs > 0, "the worker {pid} did no job");
    }
}

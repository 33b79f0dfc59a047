//! Kill tests: `govmedia` is SIGKILLed at random points of import, evaluate, report and
//! fetch-pages. After every kill the database passes `PRAGMA integrity_check`, every output
//! is the previous run's or the new run's, whole (never truncated, never a mix), no browser
//! outlives govmedia, and the next run succeeds and gives what an uninterrupted run gives.
//!
//! `GOVMEDIA_KILL_ROUNDS` sets the kills per command (default 3, as in CI; SECURITY.md has the
//! figures of a run with 100); `GOVMEDIA_KILL_SEED` replays a run (the seed is printed).

mod common;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{repo, write};

/// A small deterministic generator (xorshift64*), seeded from the clock unless given.
struct Rng(u64);

impl Rng {
    fn new() -> Self {
        let seed =
            std::env::var("GOVMEDIA_KILL_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
                    | 1
            });
        eprintln!("GOVMEDIA_KILL_SEED={seed}");
        Rng(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}

fn rounds() -> usize {
    std::env::var("GOVMEDIA_KILL_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(3)
}

/// A marker in the environment of every process govmedia starts (the browser inherits it).
const MARK: &str = "GOVMEDIA_KILL_TEST";

fn start(dir: &Path, args: &[&str], mark: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_govmedia"))
        .current_dir(dir)
        .args(args)
        .env(MARK, mark)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn run_ok(dir: &Path, args: &[&str]) -> Duration {
    let t = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_govmedia")).current_dir(dir).args(args).output().unwrap();
    assert!(out.status.success(), "govmedia {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    t.elapsed()
}

/// Runs `args` and SIGKILLs it after a random part of `typical`; true when it was killed.
fn kill_during(dir: &Path, args: &[&str], typical: Duration, rng: &mut Rng, mark: &str) -> bool {
    let mut child = start(dir, args, mark);
    let at = Duration::from_micros(rng.below(typical.as_micros() as u64 + 1));
    std::thread::sleep(at);
    let killed = child.try_wait().unwrap().is_none();
    if killed {
        child.kill().unwrap();
    }
    child.wait().unwrap();
    killed
}

/// Processes (other than zombies) whose environment carries `mark`.
fn marked_processes(mark: &str) -> Vec<u32> {
    let needle = format!("{MARK}={mark}\0");
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let env = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let zombie = stat.rsplit_once(')').is_some_and(|(_, r)| r.trim_start().starts_with('Z'));
            !zombie && env.windows(needle.len()).any(|w| w == needle.as_bytes())
        })
        .collect()
}

/// No process started by the killed govmedia is left after a moment.
fn assert_no_orphans(mark: &str) {
    let t = Instant::now();
    while !marked_processes(mark).is_empty() {
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "processes outlived govmedia: {:?}",
            marked_processes(mark)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn integrity(db: &Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let r: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(r, "ok", "{}", db.display());
}

fn stats(dir: &Path) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_govmedia"))
        .current_dir(dir)
        .args(["stats", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Six accounts of the bundled sample (with their articles and menus), and a variant whose
/// survey name differs.
fn datasets(dir: &Path) -> [PathBuf; 2] {
    let a = dir.join("ds-a");
    let b = dir.join("ds-b");
    let sample = repo("examples/sample-survey");
    let accounts: Vec<String> = std::fs::read_to_string(sample.join("accounts.jsonl"))
        .unwrap()
        .lines()
        .take(6)
        .map(str::to_owned)
        .collect();
    let ids: Vec<String> = accounts
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_str().unwrap().to_owned())
        .collect();
    for d in [&a, &b] {
        copy_dir(&sample, d);
        write(d, "accounts.jsonl", &(accounts.join("\n") + "\n"));
        for f in ["articles.jsonl", "menus.jsonl"] {
            let kept: String = std::fs::read_to_string(sample.join(f))
                .unwrap()
                .lines()
                .filter(|l| {
                    let v: serde_json::Value = serde_json::from_str(l).unwrap();
                    ids.iter().any(|id| v["account"] == id.as_str())
                })
                .map(|l| format!("{l}\n"))
                .collect();
            write(d, f, &kept);
        }
    }
    let toml = std::fs::read_to_string(b.join("survey.toml")).unwrap();
    std::fs::write(b.join("survey.toml"), toml.replacen("name = \"", "name = \"乙·", 1)).unwrap();
    [a, b]
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn killed_imports_leave_a_sound_database() {
    let dir = tempfile::tempdir().unwrap();
    let [a, b] = datasets(dir.path());
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    // What an uninterrupted import of each dataset gives.
    let clean = tempfile::tempdir().unwrap();
    let typical = run_ok(clean.path(), &["import", a]);
    let want_a = stats(clean.path());
    run_ok(clean.path(), &["import", b]);
    let want_b = stats(clean.path());
    let db = dir.path().join("govmedia.db");
    run_ok(dir.path(), &["import", a]);
    let mut rng = Rng::new();
    let mut killed = 0;
    for round in 0..rounds() {
        let (ds, want) = if round % 2 == 0 { (b, &want_b) } else { (a, &want_a) };
        killed += usize::from(kill_during(dir.path(), &["import", ds], typical, &mut rng, "import"));
        integrity(&db);
        run_ok(dir.path(), &["import", ds]);
        integrity(&db);
        assert_eq!(&stats(dir.path()), want, "round {round}");
    }
    eprintln!("import: {killed} of {} runs killed before they ended", rounds());
}

/// results.json without the time it was written.
fn results_of(out: &Path) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(out.join("results.json")).ok()?;
    let mut v: serde_json::Value = serde_json::from_str(&text).expect("results.json is whole");
    v.as_object_mut().unwrap().remove("generated_at");
    Some(v)
}

#[test]
fn killed_evaluations_leave_old_or_new_results() {
    let dir = tempfile::tempdir().unwrap();
    let [a, _] = datasets(dir.path());
    run_ok(dir.path(), &["import", a.to_str().unwrap()]);
    let args = |date: &'static str| ["evaluate", "--offline", "--out", "out", "--check-date", date];
    let dates = ["2025-11-01", "2025-11-20"];
    // The outputs of each check date, from uninterrupted runs.
    let mut want = BTreeMap::new();
    let mut typical = Duration::ZERO;
    for d in dates {
        typical = run_ok(dir.path(), &args(d));
        let out = dir.path().join("out");
        want.insert(
            d,
            (results_of(&out).unwrap(), std::fs::read_to_string(out.join("rankings.csv")).unwrap()),
        );
    }
    let mut rng = Rng::new();
    for round in 0..rounds() {
        let date = dates[round % 2];
        kill_during(dir.path(), &args(date), typical, &mut rng, "evaluate");
        integrity(&dir.path().join("govmedia.db"));
        let out = dir.path().join("out");
        let results = results_of(&out).unwrap();
        let rankings = std::fs::read_to_string(out.join("rankings.csv")).unwrap();
        let r =
            want.iter().find(|(_, w)| w.0 == results).map(|(d, _)| *d).expect("results.json is old or new");
        assert!(want.values().any(|w| w.1 == rankings), "round {round}: rankings.csv is neither old nor new");
        // rankings.csv is put in place first: new results come with new rankings.
        if r == date {
            assert_eq!(rankings, want[date].1, "round {round}: new results with old rankings");
        }
        run_ok(dir.path(), &args(date));
        assert_eq!(results_of(&out).unwrap(), want[date].0);
    }
}

/// A report file is whole: HTML closed, PDF ended, the workbook's zip directory present.
fn assert_whole(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    let whole = match path.extension().and_then(|e| e.to_str()) {
        Some("html") => bytes.trim_ascii_end().ends_with(b"</html>"),
        Some("pdf") => bytes.trim_ascii_end().ends_with(b"%%EOF"),
        Some("xlsx") => bytes.windows(4).rev().take(256).any(|w| w == b"PK\x05\x06"),
        _ => true,
    };
    assert!(whole, "{} is not whole", path.display());
}

#[test]
fn killed_reports_leave_old_or_new_reports() {
    let dir = tempfile::tempdir().unwrap();
    let [a, _] = datasets(dir.path());
    run_ok(dir.path(), &["import", a.to_str().unwrap()]);
    run_ok(dir.path(), &["evaluate", "--offline", "--out", "r1", "--check-date", "2025-11-01"]);
    run_ok(dir.path(), &["evaluate", "--offline", "--out", "r2", "--check-date", "2025-11-20"]);
    let args = |r: &'static str| ["report", "--results", r, "--out", "rep"];
    let typical = run_ok(dir.path(), &args("r1/results.json"));
    let mut rng = Rng::new();
    for round in 0..rounds() {
        let results = if round % 2 == 0 { "r2/results.json" } else { "r1/results.json" };
        kill_during(dir.path(), &args(results), typical, &mut rng, "report");
        let rep = dir.path().join("rep");
        for f in ["report.html", "report.pdf", "report.xlsx"] {
            assert_whole(&rep.join(f));
        }
        // The diagnoses are one run's: every one shows the same check date.
        let mut dates = std::collections::BTreeSet::new();
        for e in std::fs::read_dir(rep.join("diagnoses")).unwrap().flatten() {
            assert_whole(&e.path());
            if e.path().extension().is_some_and(|x| x == "html") {
                let html = std::fs::read_to_string(e.path()).unwrap();
                dates.extend(["2025-11-01", "2025-11-20"].into_iter().filter(|d| html.contains(*d)));
            }
        }
        assert_eq!(dates.len(), 1, "round {round}: diagnoses of two runs mixed: {dates:?}");
        run_ok(dir.path(), &args(results));
    }
}

/// A web server on 127.0.0.1 that answers every path with a page; `/slow` waits first.
fn page_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut s = stream;
                let mut buf = [0u8; 4096];
                let n = s.read(&mut buf).unwrap_or(0);
                let head = String::from_utf8_lossy(&buf[..n]).into_owned();
                if head.contains(" /slow") {
                    std::thread::sleep(Duration::from_secs(3));
                }
                let body = format!(
                    "<html><head><title>页面</title></head><body><p>{}</p></body></html>",
                    "办事指南".repeat(500)
                );
                let _ = write!(
                    s,
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    port
}

fn web_dataset(dir: &Path, port: u16, paths: &[&str]) {
    write(
        dir,
        "accounts.jsonl",
        "{\"id\":\"gh_a\",\"name\":\"某市发布\",\"owner\":\"某市人民政府办公室\",\"level\":\"prefecture\"}\n",
    );
    let buttons: Vec<serde_json::Value> = paths
        .iter()
        .enumerate()
        .map(|(i, p)| serde_json::json!({"type": "view", "name": format!("服务{i}"), "url": format!("http://127.0.0.1:{port}{p}")}))
        .collect();
    // Captured before the check date (the day after the last article): later menus are not evaluated.
    let menu = serde_json::json!({"account": "gh_a", "captured_at": "2025-10-20T10:00:00+08:00",
        "menu": {"menu": {"button": [{"name": "办事服务", "sub_button": buttons}]}}});
    write(dir, "menus.jsonl", &format!("{menu}\n"));
    write(
        dir,
        "articles.jsonl",
        "{\"account\":\"gh_a\",\"url\":\"https://mp.weixin.qq.com/s/a1\",\"title\":\"通知\",\"published_at\":\"2025-10-20 09:00:00\"}\n",
    );
}

/// pages.jsonl is whole and every body it names is there with the hash it records.
fn assert_snapshot_whole(ds: &Path) {
    let Ok(text) = std::fs::read_to_string(ds.join("pages.jsonl")) else { return };
    assert!(text.is_empty() || text.ends_with('\n'), "pages.jsonl is cut");
    for line in text.lines() {
        let s: serde_json::Value = serde_json::from_str(line).expect("whole line");
        if let (Some(body), Some(hash)) = (s["body"].as_str(), s["content_hash"].as_str()) {
            let bytes = std::fs::read(ds.join(body)).unwrap();
            use sha2::Digest;
            let got: String = sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(got, hash, "{body} is not the body pages.jsonl names");
        }
    }
}

#[test]
fn killed_fetches_leave_a_whole_snapshot_and_no_browser() {
    let dir = tempfile::tempdir().unwrap();
    let port = page_server();
    let ds = dir.path().join("ds");
    web_dataset(&ds, port, &["/a", "/b", "/c"]);
    run_ok(dir.path(), &["import", "ds"]);
    let args = ["fetch-pages", "ds", "--allow-private"];
    let typical = run_ok(dir.path(), &args);
    let mut rng = Rng::new();
    for round in 0..rounds() {
        let mark = format!("fetch-{round}");
        kill_during(dir.path(), &args, typical, &mut rng, &mark);
        assert_no_orphans(&mark);
        integrity(&dir.path().join("govmedia.db"));
        assert_snapshot_whole(&ds);
        run_ok(dir.path(), &args);
        assert_snapshot_whole(&ds);
    }
}

/// SIGTERM while the browser renders: the browser goes with govmedia.
#[test]
fn the_browser_dies_with_govmedia() {
    if !Path::new("/usr/bin/chromium").exists() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI must install chromium");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let port = page_server();
    let ds = dir.path().join("ds");
    web_dataset(&ds, port, &["/slow"]);
    run_ok(dir.path(), &["import", "ds"]);
    let mut child = start(dir.path(), &["evaluate", "--allow-private", "--out", "out"], "sigterm");
    // Wait until the browser runs (a process other than govmedia carries the mark).
    let t = Instant::now();
    while marked_processes("sigterm").len() < 2 {
        assert!(t.elapsed() < Duration::from_secs(60), "the browser never started");
        assert!(child.try_wait().unwrap().is_none(), "evaluate ended before the browser started");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    child.wait().unwrap();
    assert_no_orphans("sigterm");
}

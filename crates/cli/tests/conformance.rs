//! One conformance suite for both storage backends, driven through the real binary: SQLite
//! always, PostgreSQL when `GOVMEDIA_TEST_PG` names a server (`.ci/run` starts one; see
//! README). Whatever the backend, the same input gives the same store and the same results.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{repo, run, small_dataset, write};
use govmedia_store_api::Store;
use govmedia_store_postgres::testing::TestDb;

/// A store for one test: the `--db` value, and the server database's guard.
struct Backend {
    name: &'static str,
    db: String,
    _guard: Option<TestDb>,
}

impl Backend {
    fn open(&self) -> Box<dyn Store> {
        govmedia_pipeline::open_store(&govmedia_pipeline::StoreSpec::parse(&self.db))
            .expect("the store opens")
    }
}

/// SQLite in `dir`, and PostgreSQL when a test server is configured.
fn backends(dir: &Path, test: &str) -> Vec<Backend> {
    let mut out =
        vec![Backend { name: "sqlite", db: dir.join("govmedia.db").display().to_string(), _guard: None }];
    if let Some(pg) = TestDb::create(test) {
        out.push(Backend { name: "postgres", db: pg.url().to_owned(), _guard: Some(pg) });
    }
    out
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let (code, out, err) = run(dir, args);
    assert_eq!(code, 0, "govmedia {args:?} failed:\n{out}\n{err}");
    out
}

#[test]
fn importing_twice_changes_nothing_and_both_backends_agree() {
    let dir = tempfile::tempdir().unwrap();
    small_dataset(dir.path());
    let mut seen = Vec::new();
    for b in backends(dir.path(), "import_twice") {
        ok(dir.path(), &["import", ".", "--db", &b.db]);
        let first = ok(dir.path(), &["stats", "--json", "--db", &b.db]);
        ok(dir.path(), &["import", ".", "--db", &b.db]);
        assert_eq!(
            first,
            ok(dir.path(), &["stats", "--json", "--db", &b.db]),
            "{}: a second import changed the store",
            b.name
        );
        let articles = b.open().snapshot().unwrap().articles(&Default::default()).unwrap();
        seen.push((b.name, first, serde_json::to_string(&articles).unwrap()));
    }
    for w in seen.windows(2) {
        assert_eq!(w[0].1, w[1].1, "stats differ between {} and {}", w[0].0, w[1].0);
        assert_eq!(w[0].2, w[1].2, "articles differ between {} and {}", w[0].0, w[1].0);
    }
}

#[test]
fn a_bad_line_stores_nothing_of_its_file() {
    let dir = tempfile::tempdir().unwrap();
    small_dataset(dir.path());
    let mut articles = std::fs::read_to_string(dir.path().join("articles.jsonl")).unwrap();
    articles +=
        r#"{"account":"gh_a","url":"https://mp.weixin.qq.com/s/bad","title":"x","published_at":"昨天"}"#;
    articles += "\n";
    write(dir.path(), "articles.jsonl", &articles);
    for b in backends(dir.path(), "bad_line") {
        let (code, _, err) = run(dir.path(), &["import", ".", "--db", &b.db]);
        assert_eq!(code, 1, "{}", b.name);
        assert!(err.contains("articles.jsonl:4: published_at: 无法解析的时间“昨天”"), "{}: {err}", b.name);
        let stats = b.open().snapshot().unwrap().stats().unwrap();
        assert_eq!((stats.accounts, stats.articles), (2, 0), "{}: only the files before the bad one", b.name);
    }
}

#[test]
fn folding_of_republished_copies_is_the_same_everywhere() {
    // Copies of one push (same account and title within 30 minutes) are one article, the newest
    // kept; a copy an hour later is another article. Across two files, and within one.
    let dir = tempfile::tempdir().unwrap();
    small_dataset(dir.path());
    let line = |url: &str, t: &str| {
        format!(
            r#"{{"account":"gh_a","url":"https://mp.weixin.qq.com/s/{url}","title":"重要通知","published_at":"{t}"}}"#
        )
    };
    let first = [
        line("r1", "2025-10-25T08:00:00+08:00"),
        line("r2", "2025-10-25T08:10:00+08:00"),
        line("r3", "2025-10-25T09:30:00+08:00"),
    ];
    write(dir.path(), "articles.jsonl", &(first.join("\n") + "\n"));
    let mut seen = Vec::new();
    for b in backends(dir.path(), "folding") {
        let out = ok(dir.path(), &["import", ".", "--db", &b.db]);
        assert!(out.contains("文章 3（合并重复推送 1）"), "{}: {out}", b.name);
        // An older copy arriving later folds into the stored newer one.
        let later = dir.path().join("later");
        std::fs::create_dir_all(&later).unwrap();
        std::fs::copy(dir.path().join("accounts.jsonl"), later.join("accounts.jsonl")).unwrap();
        write(&later, "articles.jsonl", &(line("r0", "2025-10-25T07:55:00+08:00") + "\n"));
        ok(&later, &["import", ".", "--db", &b.db]);
        let urls: Vec<String> = b
            .open()
            .snapshot()
            .unwrap()
            .articles(&Default::default())
            .unwrap()
            .into_iter()
            .filter(|a| a.title == "重要通知")
            .map(|a| a.url)
            .collect();
        assert_eq!(urls, ["https://mp.weixin.qq.com/s/r2", "https://mp.weixin.qq.com/s/r3"], "{}", b.name);
        seen.push(urls);
    }
    seen.dedup();
    assert_eq!(seen.len(), 1);
}

#[test]
fn personal_data_is_never_stored_raw() {
    let dir = tempfile::tempdir().unwrap();
    small_dataset(dir.path());
    for b in backends(dir.path(), "pii") {
        ok(dir.path(), &["import", ".", "--db", &b.db]);
        let mut store = b.open();
        let articles = store.snapshot().unwrap().articles(&Default::default()).unwrap();
        let texts: Vec<&str> = articles.iter().flat_map(|a| &a.comments).map(|c| c.text.as_str()).collect();
        assert!(texts.iter().any(|t| t.contains("138****5678")), "{}: {texts:?}", b.name);
        assert!(!serde_json::to_string(&articles).unwrap().contains("13812345678"), "{}", b.name);
    }
}

#[test]
fn a_killed_import_leaves_whole_files_and_the_next_import_completes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("national");
    ok(dir.path(), &["generate", "--scale", "national-2025", "--out", data.to_str().unwrap()]);
    for (i, b) in backends(dir.path(), "kill_import").into_iter().enumerate() {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_govmedia"))
            .current_dir(dir.path())
            .args(["import", data.to_str().unwrap(), "--db", &b.db])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(700 + 400 * i as u64));
        child.kill().unwrap();
        child.wait().unwrap();
        // Each file is one transaction: the articles file is in the store whole or not at all.
        let stats = b.open().snapshot().unwrap().stats().unwrap();
        assert!(
            stats.articles == 0 || stats.articles > 29_000,
            "{}: {} articles after the kill",
            b.name,
            stats.articles
        );
        ok(dir.path(), &["import", data.to_str().unwrap(), "--db", &b.db]);
        let stats = b.open().snapshot().unwrap().stats().unwrap();
        assert_eq!(stats.accounts, 682, "{}", b.name);
        assert!(stats.articles > 29_000, "{}", b.name);
    }
}

#[test]
fn the_bundled_sample_gives_byte_identical_results_on_both_backends() {
    let dir = tempfile::tempdir().unwrap();
    let sample = repo("examples/sample-survey");
    let mut outputs = Vec::new();
    for b in backends(dir.path(), "sample_results") {
        let out = dir.path().join(b.name);
        let db =
            if b.name == "sqlite" { out.join("govmedia.db").display().to_string() } else { b.db.clone() };
        ok(
            dir.path(),
            &["survey", sample.to_str().unwrap(), "--out", out.to_str().unwrap(), "--db", &db, "--offline"],
        );
        let results = std::fs::read_to_string(out.join("results.json")).unwrap();
        let generated_at = |s: &str| {
            s.lines()
                .filter(|l| !l.trim_start().starts_with("\"generated_at\""))
                .collect::<Vec<_>>()
                .join("\n")
        };
        // The run is recorded in the store, and its stored results are the file's.
        let runs = ok(dir.path(), &["runs", "--db", &db]);
        assert!(runs.contains("已完成"), "{}: {runs}", b.name);
        let exported = dir.path().join(format!("{}-export", b.name));
        ok(dir.path(), &["runs", "export", "1", "--out", exported.to_str().unwrap(), "--db", &db]);
        assert_eq!(results, std::fs::read_to_string(exported.join("results.json")).unwrap(), "{}", b.name);
        outputs.push((b.name, generated_at(&results)));
    }
    for w in outputs.windows(2) {
        assert!(w[0].1 == w[1].1, "results.json differs between {} and {}", w[0].0, w[1].0);
    }
}

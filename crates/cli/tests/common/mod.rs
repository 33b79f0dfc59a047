//! Helpers shared by the integration tests: run the real binary in a temporary directory.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The shared data folder beside the repository (`../shared/data`).
pub fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data").join(rel)
}

/// The repository root.
pub fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(rel)
}

pub fn govmedia(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("govmedia").expect("binary");
    c.current_dir(dir);
    c
}

/// Runs `govmedia ARGS` in `dir` and returns (status code, stdout, stderr).
pub fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = govmedia(dir).args(args).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Two accounts, three articles with comments (one carrying personal data), one menu.
pub fn small_dataset(dir: &Path) {
    write(
        dir,
        "accounts.jsonl",
        concat!(
            r#"{"id":"gh_a","name":"某市发布","owner":"某市人民政府办公室","level":"prefecture","region":"310000","kind":"subscription","verified":true}"#,
            "\n",
            r#"{"id":"gh_b","name":"某省教育","owner":"某省教育厅","level":"province_dept","field":"教育","biz":"MzA4MDM1Njg3NQ==","kind":"service"}"#,
            "\n"
        ),
    );
    write(
        dir,
        "articles.jsonl",
        concat!(
            r#"{"account":"gh_a","url":"https://mp.weixin.qq.com/s/a1","title":"关于做好冬季供暖工作的通知","published_at":"2025-10-20 09:00:00","position":1,"reads":"10万+","likes":12,"comments":[{"text":"我的电话13812345678，请回电","created_at":"2025-10-20T10:00:00+08:00","reply":{"text":"已联系","created_at":"2025-10-20T12:00:00+08:00"}}]}"#,
            "\n",
            r#"{"account":"gh_a","url":"https://mp.weixin.qq.com/s/a2","title":"本周天气","published_at":"2025-10-21T08:00:00+08:00","reads":523}"#,
            "\n",
            r#"{"account":"MzA4MDM1Njg3NQ==","url":"https://mp.weixin.qq.com/s/b1","title":"招生政策解读","published_at":"2025-10-22T08:00:00+08:00","original":true}"#,
            "\n"
        ),
    );
}

/// The SQLite store the commands wrote in `dir` (`govmedia.db`).
pub fn open_db(dir: &Path) -> govmedia_store_sqlite::SqliteStore {
    govmedia_store_sqlite::SqliteStore::open(&dir.join("govmedia.db")).expect("the database opens")
}

//! Throwaway databases for the tests of crates that run against PostgreSQL.
//!
//! `GOVMEDIA_TEST_PG` names a server and a user allowed to create databases
//! (`postgres://govmedia@127.0.0.1:54329/postgres`; `.ci/run` starts one). Each test gets a
//! database of its own, dropped when the guard is. Without the variable the PostgreSQL half of
//! a test is skipped with a message — unless `GOVMEDIA_REQUIRE_PG` is set (as in CI), where a
//! missing server fails the test instead of passing it silently.

use std::sync::atomic::{AtomicU32, Ordering};

use postgres::{Client, NoTls};

/// The variable that names the test server.
pub const TEST_PG_ENV: &str = "GOVMEDIA_TEST_PG";

/// The test server's URL, or `None` (with a message) when the test's PostgreSQL part is skipped.
fn test_server(test: &str) -> Option<String> {
    let Ok(admin) = std::env::var(TEST_PG_ENV) else {
        assert!(
            std::env::var_os("GOVMEDIA_REQUIRE_PG").is_none(),
            "GOVMEDIA_REQUIRE_PG is set but {TEST_PG_ENV} is not: the PostgreSQL tests cannot run"
        );
        eprintln!("{TEST_PG_ENV} 未设置：跳过 {test} 的 PostgreSQL 部分");
        return None;
    };
    Some(admin)
}

/// A database created for one test; dropped with the guard.
pub struct TestDb {
    admin: String,
    name: String,
    url: String,
}

impl TestDb {
    /// A fresh, empty database, or `None` when no test server is configured.
    pub fn create(test: &str) -> Option<TestDb> {
        let admin = test_server(test)?;
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "govmedia_test_{}_{}_{}",
            test.chars().filter(char::is_ascii_alphanumeric).take(20).collect::<String>().to_lowercase(),
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut client = Client::connect(&admin, NoTls).expect("the test server accepts connections");
        client.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).expect("drop an old database");
        client.batch_execute(&format!("CREATE DATABASE {name}")).expect("create database");
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
        let url = format!("{base}/{name}");
        Some(TestDb { admin, name, url })
    }

    /// The database's URL.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut c) = Client::connect(&self.admin, NoTls) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

/// A PostgreSQL server of one test's own, for tests that restart the server or reach it from
/// other network namespaces: a fresh cluster started with `scripts/throwaway-postgres`, stopped
/// and deleted with the guard. Like [`TestDb`], `None` (the test is skipped) unless a test
/// server is configured, which is also what says the PostgreSQL programs are installed.
pub struct TestServer {
    dir: std::path::PathBuf,
    url: String,
}

impl TestServer {
    /// Starts a server listening on `listen` (comma-separated addresses, 127.0.0.1 among them)
    /// that trusts connections from `trust` (a CIDR network) besides loopback.
    pub fn start(test: &str, listen: &str, trust: Option<&str>) -> Option<TestServer> {
        test_server(test)?;
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "govmedia-pg-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let out = std::process::Command::new(script())
            .args(["start", dir.to_str().expect("a UTF-8 temporary directory")])
            .env("PG_LISTEN", listen)
            .env("PG_TRUST_NET", trust.unwrap_or(""))
            .output()
            .expect("scripts/throwaway-postgres runs");
        assert!(out.status.success(), "the test server starts: {}", String::from_utf8_lossy(&out.stderr));
        let url = String::from_utf8(out.stdout).expect("a URL").trim().to_owned();
        Some(TestServer { dir, url })
    }

    /// The URL of its `postgres` database, over loopback.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The server's TCP port.
    pub fn port(&self) -> u16 {
        self.url
            .rsplit(':')
            .next()
            .and_then(|p| p.split('/').next())
            .and_then(|p| p.parse().ok())
            .expect("a port")
    }

    /// Stops the server and starts it again: every connection is cut.
    pub fn restart(&self) {
        let status = std::process::Command::new(script())
            .args(["restart", self.dir.to_str().expect("UTF-8")])
            .status()
            .expect("scripts/throwaway-postgres runs");
        assert!(status.success(), "the test server restarts");
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = std::process::Command::new(script()).args(["stop", self.dir.to_str().unwrap_or("")]).status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn script() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/throwaway-postgres")
}

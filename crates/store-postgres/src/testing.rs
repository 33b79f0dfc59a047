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

/// A database created for one test; dropped with the guard.
pub struct TestDb {
    admin: String,
    name: String,
    url: String,
}

impl TestDb {
    /// A fresh, empty database, or `None` when no test server is configured.
    pub fn create(test: &str) -> Option<TestDb> {
        let Ok(admin) = std::env::var(TEST_PG_ENV) else {
            assert!(
                std::env::var_os("GOVMEDIA_REQUIRE_PG").is_none(),
                "GOVMEDIA_REQUIRE_PG is set but {TEST_PG_ENV} is not: the PostgreSQL tests cannot run"
            );
            eprintln!("{TEST_PG_ENV} 未设置：跳过 {test} 的 PostgreSQL 部分");
            return None;
        };
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

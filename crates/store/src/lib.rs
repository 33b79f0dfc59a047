//! Persistence of surveys.
//!
//! The embedded store is one SQLite file (default `govmedia.db`) in WAL mode. This crate is the
//! only place that writes SQL, and the SQL stays portable (plain types, `ON CONFLICT … DO
//! UPDATE`) so that a PostgreSQL backend can implement the same API later.
//!
//! Writes go through a [`Writer`], one per imported file: its records are committed together
//! or not at all, so an error or a kill in the middle of a file leaves the store as it was.
//! Comment and reply texts are masked ([`govmedia_pii::mask`]) inside the writer, so raw
//! personal data never reaches the database file.

mod migrate;
mod read;
mod stats;
mod writer;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use read::{AccountFilter, ArticleFilter};
pub use stats::{Distribution, Stats};
pub use writer::{ArticleOutcome, Writer};

/// The default database file, in the working directory.
pub const DEFAULT_DB: &str = "govmedia.db";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("数据库 {path}: {source}")]
    Sqlite {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("数据库 {path} 中的记录无法解析（{what}）: {source}")]
    Corrupt {
        path: String,
        what: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("数据库 {path} 的结构版本 {found} 高于本程序支持的版本 {supported}，请升级 govmedia")]
    TooNew { path: String, found: i64, supported: i64 },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = Connection::open(path).map_err(|e| sql_err(path, e))?;
        Self::init(conn, path.to_owned())
    }

    /// A private in-memory store, for tests and one-shot runs.
    pub fn open_in_memory() -> Result<Store> {
        let path = PathBuf::from(":memory:");
        let conn = Connection::open_in_memory().map_err(|e| sql_err(&path, e))?;
        Self::init(conn, path)
    }

    fn init(mut conn: Connection, path: PathBuf) -> Result<Store> {
        // Pages of 16 KiB hold a whole article body (~6 KB of UTF-8) without overflow chains;
        // a 64 MiB page cache keeps a large import from spilling pages to the WAL over and over.
        // Both are fixed sizes: memory does not grow with the files imported.
        let setup = "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -65536;";
        conn.execute_batch(setup).map_err(|e| sql_err(&path, e))?;
        migrate::run(&mut conn, &path)?;
        Ok(Store { conn, path })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Starts a writer whose records are committed together by [`Writer::commit`]; dropping
    /// it without committing stores nothing.
    pub fn writer(&mut self) -> Result<Writer<'_>> {
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(|e| sql_err(&path, e))?;
        Ok(Writer::new(tx, path))
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        sql_err(&self.path, e)
    }
}

fn sql_err(path: &Path, source: rusqlite::Error) -> StoreError {
    StoreError::Sqlite { path: path.display().to_string(), source }
}

fn corrupt(path: &Path, what: impl Into<String>, source: serde_json::Error) -> StoreError {
    StoreError::Corrupt { path: path.display().to_string(), what: what.into(), source }
}

//! The embedded store: one SQLite file (default `govmedia.db`) in WAL mode.
//!
//! An import runs in bulk-load mode ([`govmedia_store_api::bulk_load`]): it holds the
//! database exclusively and journals with a rollback journal, then returns to WAL. Writes go
//! through a [`Writer`](govmedia_store_api::Writer), one per imported file: its records are
//! committed together or not at all, so an error or a kill in the middle of a file leaves the
//! store as it was.

mod access;
mod cache;
mod migrate;
mod read;
mod runs;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use govmedia_model::results::Results;
use govmedia_store_api::{
    KvCache, LockGuard, NewRun, Result, RunId, RunSummary, Store, StoreError, SurveyRead, Writer,
};
use rusqlite::{Connection, OpenFlags};

/// An open SQLite store.
pub struct SqliteStore {
    conn: Connection,
    /// How to open a second connection to the same database (the cache's).
    uri: String,
    location: String,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let location = path.display().to_string();
        let conn = Connection::open(path).map_err(|e| connect_err(&location, e))?;
        Self::init(conn, path.to_string_lossy().into_owned(), location)
    }

    /// A private in-memory store, for tests and one-shot runs. Its cache connection shares the
    /// same memory database.
    pub fn open_in_memory() -> Result<SqliteStore> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let uri = format!("file:govmedia-memory-{}-{n}?mode=memory&cache=shared", std::process::id());
        let conn = open_uri(&uri).map_err(|e| connect_err(":memory:", e))?;
        Self::init(conn, uri, ":memory:".to_owned())
    }

    fn init(mut conn: Connection, uri: String, location: String) -> Result<SqliteStore> {
        // Pages of 16 KiB hold a whole article body (~6 KB of UTF-8) without overflow chains;
        // a 64 MiB page cache keeps a large import from spilling pages to the WAL over and over.
        // Both are fixed sizes: memory does not grow with the files imported. Statement
        // journals (an upsert checked against foreign keys needs one) stay in memory instead of
        // spilling to a file in /var/tmp: they hold one statement's pages only.
        let setup = "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -65536; \
                     PRAGMA temp_store = MEMORY;";
        conn.execute_batch(setup).map_err(|e| sql_err(&location, e))?;
        migrate::run(&mut conn, &location)?;
        Ok(SqliteStore { conn, uri, location })
    }

    /// The database file (or `:memory:`).
    pub fn path(&self) -> PathBuf {
        PathBuf::from(&self.location)
    }

    /// Runs `pragmas` (the last one a `journal_mode` pragma) and returns the journal mode now in effect.
    fn journal_mode(&mut self, pragmas: &str) -> Result<String> {
        let (before, last) = pragmas.rsplit_once(';').unwrap_or(("", pragmas));
        self.conn.execute_batch(before).map_err(|e| sql_err(&self.location, e))?;
        self.conn.query_row(last, [], |r| r.get::<_, String>(0)).map_err(|e| sql_err(&self.location, e))
    }
}

fn open_uri(uri: &str) -> rusqlite::Result<Connection> {
    let flags =
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_URI;
    Connection::open_with_flags(uri, flags)
}

impl Store for SqliteStore {
    fn location(&self) -> &str {
        &self.location
    }

    fn snapshot(&mut self) -> Result<Box<dyn SurveyRead + '_>> {
        read::Snapshot::begin(&self.conn, &self.location).map(|s| Box::new(s) as Box<dyn SurveyRead>)
    }

    fn reopen(&self) -> Result<Box<dyn Store>> {
        let conn = open_uri(&self.uri).map_err(|e| connect_err(&self.location, e))?;
        Ok(Box::new(Self::init(conn, self.uri.clone(), self.location.clone())?))
    }

    fn writer(&mut self) -> Result<Box<dyn Writer + '_>> {
        let tx = self.conn.transaction().map_err(|e| sql_err(&self.location, e))?;
        Ok(Box::new(writer::SqliteWriter::new(tx, &self.location)))
    }

    /// In WAL mode every page is written twice (to the log, then by the checkpoint); a rollback
    /// journal only saves pages that existed before the transaction, so the new pages of an
    /// import are written once. A kill still rolls the open transaction back (the hot journal
    /// is replayed on the next open). If another process has the database open, the switch is
    /// refused and the load runs in WAL mode, only slower.
    fn begin_bulk_load(&mut self) -> Result<()> {
        let switched = self
            .journal_mode("PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = DELETE")
            .is_ok_and(|mode| mode == "delete");
        if !switched {
            // Someone else holds the database: stay in WAL with normal locking.
            self.journal_mode("PRAGMA locking_mode = NORMAL; PRAGMA journal_mode = WAL")?;
        }
        Ok(())
    }

    /// Returns to WAL, so readers and writers can share the database again.
    fn end_bulk_load(&mut self) -> Result<()> {
        self.journal_mode("PRAGMA locking_mode = NORMAL; PRAGMA journal_mode = WAL").map(|_| ())
    }

    fn cache(&self) -> Result<Arc<dyn KvCache>> {
        let conn = open_uri(&self.uri).map_err(|e| connect_err(&self.location, e))?;
        conn.execute_batch("PRAGMA busy_timeout = 5000;").map_err(|e| sql_err(&self.location, e))?;
        Ok(Arc::new(cache::SqliteCache::new(conn, &self.location)))
    }

    fn start_run(&mut self, run: &NewRun) -> Result<RunId> {
        runs::start(&self.conn, &self.location, run)
    }

    fn finish_run(&mut self, id: RunId, results: &Results) -> Result<()> {
        runs::finish(&mut self.conn, &self.location, id, results)
    }

    fn fail_run(&mut self, id: RunId, reason: &str) -> Result<()> {
        runs::fail(&self.conn, &self.location, id, reason)
    }

    fn runs(&mut self) -> Result<Vec<RunSummary>> {
        runs::list(&self.conn, &self.location)
    }

    fn run_results(&mut self, id: RunId) -> Result<Option<Results>> {
        runs::results(&self.conn, &self.location, id)
    }

    /// A lock file beside the database (`govmedia.db.NAME.lock`), held with `flock`; a private
    /// in-memory store has no other process to exclude.
    fn try_lock(&self, name: &str) -> Result<Option<LockGuard>> {
        if self.location == ":memory:" {
            return Ok(Some(LockGuard::new(())));
        }
        let path = format!("{}.{name}.lock", self.location);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| StoreError::backend(&self.location, format!("无法创建锁文件 {path}"), e))?;
        match file.try_lock() {
            Ok(()) => Ok(Some(LockGuard::new(file))),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(StoreError::backend(&self.location, format!("无法锁定 {path}"), e))
            }
        }
    }
}

/// A failure of SQLite, in words: a busy database says who holds it.
pub(crate) fn sql_err(location: &str, e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            StoreError::Locked { location: location.to_owned() }
        }
        _ => StoreError::backend(location, "SQLite 操作失败", e),
    }
}

fn connect_err(location: &str, e: rusqlite::Error) -> StoreError {
    StoreError::Connect { location: location.to_owned(), reason: e.to_string() }
}

//! Persistence of surveys.
//!
//! The embedded store is one SQLite file (default `govmedia.db`) in WAL mode (an import runs
//! as a [`Store::bulk_load`] with a rollback journal, then returns to WAL). This crate is the
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
pub use writer::{ArticleOutcome, PreparedArticle, Writer};

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
        // Both are fixed sizes: memory does not grow with the files imported. Statement
        // journals (an upsert checked against foreign keys needs one) stay in memory instead of
        // spilling to a file in /var/tmp: they hold one statement's pages only.
        let setup = "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -65536; \
                     PRAGMA temp_store = MEMORY;";
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

    /// Runs a bulk load (an import): `load` has the database to itself, and its transactions
    /// use a rollback journal instead of the write-ahead log.
    ///
    /// In WAL mode every page is written twice (to the log, then by the checkpoint); a rollback
    /// journal only saves pages that existed before the transaction, so the new pages of an
    /// import are written once. A kill still rolls the open transaction back (the hot journal
    /// is replayed on the next open). If another process has the database open, the switch is
    /// refused and the load runs in WAL mode, only slower. The store returns to WAL afterwards,
    /// so readers and writers can share it again.
    pub fn bulk_load<T, E: From<StoreError>>(
        &mut self,
        load: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Result<T, E> {
        let switched = self
            .journal_mode("PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = DELETE")
            .is_ok_and(|mode| mode == "delete");
        if !switched {
            // Someone else holds the database: stay in WAL with normal locking.
            self.journal_mode("PRAGMA locking_mode = NORMAL; PRAGMA journal_mode = WAL")?;
        }
        let out = load(self);
        let back = self.journal_mode("PRAGMA locking_mode = NORMAL; PRAGMA journal_mode = WAL");
        let out = out?;
        back?;
        Ok(out)
    }

    /// Runs `pragmas` (the last one a `journal_mode` pragma) and returns the journal mode now in effect.
    fn journal_mode(&mut self, pragmas: &str) -> Result<String> {
        let (before, last) = pragmas.rsplit_once(';').unwrap_or(("", pragmas));
        self.conn.execute_batch(before).map_err(|e| self.err(e))?;
        self.conn.query_row(last, [], |r| r.get::<_, String>(0)).map_err(|e| self.err(e))
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

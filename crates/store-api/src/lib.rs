//! Storage traits: what govmedia reads and writes, whatever the database.
//!
//! Two backends implement them: `govmedia-store-sqlite` (the embedded default, one file) and
//! `govmedia-store-postgres` (a server shared by several machines). Each keeps its own
//! migrations; neither leaks SQL types through these traits. The pipeline, the importers and
//! the caches of the web and AI checks talk to a `dyn Store`, so every front end (CLI, server,
//! workers) sees the same state whichever backend holds it.
//!
//! Rules both backends follow, so that the same data gives byte-identical results:
//! - records keep their full JSON in a text column (`data`), written and read back verbatim
//!   (SQLite keeps article bodies in a table of their own, so that a read without bodies
//!   reads none of their bytes; they are put back into the articles it reads);
//! - comment and reply texts are masked before they are written ([`PreparedArticle`]);
//! - republished copies of an article are folded by one rule ([`fold`]);
//! - lists come back in a fixed order (accounts by id, articles by account, time, URL …);
//! - a writer's records are committed together or not at all.
//!
//! Beside the survey, a store keeps what the server needs ([`AccessStore`]): users, sessions,
//! review decisions, re-check requests and the audit log.

pub mod access;
mod decode;
mod error;
pub mod fold;
mod prepared;
pub mod queue;
mod read;
pub mod run;
pub mod stats;

use std::sync::Arc;

use govmedia_model::{Account, Event, MenuSnapshot, PageSnapshot, SurveyConfig};
use govmedia_pii::MaskCounts;

pub use access::{
    AccessStore, AccountRun, AuditEntry, Credential, CredentialKind, Decision, NewUser, Recheck, Review,
    Role, User, UserId,
};
pub use decode::{decode_rows, decode_while_reading};
pub use error::{Result, StoreError};
pub use fold::{ArticleOutcome, FOLD_WINDOW_SECS};
pub use prepared::{MaskedComment, PreparedArticle};
pub use queue::RunQueue;
pub use read::{AccountFilter, ArticleFilter, SurveyRead};
pub use run::{NewRun, RunId, RunState, RunSummary};
pub use stats::{Distribution, Stats};

/// The default database: an SQLite file in the working directory.
pub const DEFAULT_DB: &str = "govmedia.db";

/// An open store.
pub trait Store: AccessStore + Send {
    /// Where the data lives, for messages: a file path, or a URL without its password.
    fn location(&self) -> &str;

    /// Reads from one consistent state of the store: an import that commits meanwhile is
    /// either wholly visible or not at all until the returned reader is dropped.
    fn snapshot(&mut self) -> Result<Box<dyn SurveyRead + '_>>;

    /// Another connection to the same database. An evaluation reads its survey from one
    /// snapshot on it, a chunk at a time, while this one records the run.
    fn reopen(&self) -> Result<Box<dyn Store>>;

    /// Starts a writer whose records are committed together by [`Writer::commit`]; dropping
    /// it without committing stores nothing.
    fn writer(&mut self) -> Result<Box<dyn Writer + '_>>;

    /// Enters bulk-load mode (an import): the backend may take the database for itself and
    /// change how it journals. Use [`bulk_load`], which always leaves the mode again.
    fn begin_bulk_load(&mut self) -> Result<()>;

    /// Leaves bulk-load mode.
    fn end_bulk_load(&mut self) -> Result<()>;

    /// A key-value cache on its own connection, shareable between threads: fetch results of
    /// the web checks, model judgements of the AI checks.
    fn cache(&self) -> Result<Arc<dyn KvCache>>;

    /// Records the start of an evaluation run.
    fn start_run(&mut self, run: &NewRun) -> Result<RunId>;

    /// Stores a run's results (per account, with findings) and marks it finished.
    fn finish_run(&mut self, id: RunId, results: &govmedia_model::results::Results) -> Result<()>;

    /// Marks a run failed, with the reason.
    fn fail_run(&mut self, id: RunId, reason: &str) -> Result<()>;

    /// Every run, newest first.
    fn runs(&mut self) -> Result<Vec<RunSummary>>;

    /// The results of a finished run, as `evaluate` wrote them.
    fn run_results(&mut self, id: RunId) -> Result<Option<govmedia_model::results::Results>>;

    /// Takes the lock `name` that every process on this database shares (one monitor round at
    /// a time, say), or `None` while another process holds it. The lock is released when the
    /// guard is dropped or its process dies.
    fn try_lock(&self, name: &str) -> Result<Option<LockGuard>>;

    /// The number of writer commits that changed the survey data (each [`Writer::commit`]
    /// that wrote anything counts itself, in its own transaction). The same number twice: the
    /// data in between did not change, and an evaluation of it need not run again.
    fn data_version(&self) -> Result<u64> {
        let version = self.cache()?.get(DATA_VERSION.0, DATA_VERSION.1)?;
        Ok(version.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    /// The work queue of distributed evaluation, on a connection of its own; only a server
    /// database has one.
    fn queue(&self) -> Result<Box<dyn RunQueue>> {
        Err(StoreError::Unsupported {
            location: self.location().to_owned(),
            what: "分布式评估（需要 PostgreSQL 数据库：--db postgres://…）".into(),
        })
    }
}

/// A held [`Store::try_lock`] lock: whatever keeps it (an open lock file, a database session).
pub struct LockGuard(#[allow(dead_code)] Box<dyn Send>);

impl LockGuard {
    /// Keeps `holder` until the guard is dropped.
    pub fn new(holder: impl Send + 'static) -> LockGuard {
        LockGuard(Box::new(holder))
    }
}

/// Runs `load` in bulk-load mode and leaves the mode whatever the outcome.
pub fn bulk_load<T, E: From<StoreError>>(
    store: &mut dyn Store,
    load: impl FnOnce(&mut dyn Store) -> std::result::Result<T, E>,
) -> std::result::Result<T, E> {
    store.begin_bulk_load()?;
    let out = load(store);
    let back = store.end_bulk_load();
    let out = out?;
    back?;
    Ok(out)
}

/// Writes inside one transaction; nothing is visible until [`Writer::commit`].
pub trait Writer {
    /// Commits everything written through this writer.
    fn commit(self: Box<Self>) -> Result<()>;

    /// Personal data masked so far by this writer.
    fn masked(&self) -> MaskCounts;

    /// Inserts or replaces an account.
    fn upsert_account(&mut self, a: &Account) -> Result<()>;

    /// Inserts `a` unless an account with its id, or with its id as `__biz`, exists.
    /// Returns whether it was inserted.
    fn insert_account_if_missing(&mut self, a: &Account) -> Result<bool> {
        if self.resolve_account(&a.id)?.is_some() {
            return Ok(false);
        }
        self.upsert_account(a)?;
        Ok(true)
    }

    /// The account with this id, as stored (including what this writer wrote).
    fn account(&mut self, id: &str) -> Result<Option<Account>>;

    /// The id of the account known by `key`: its id, or its `__biz`.
    fn resolve_account(&mut self, key: &str) -> Result<Option<String>>;

    /// Stores an article with its comments, folding republished copies ([`fold`]).
    fn upsert_article(&mut self, article: PreparedArticle) -> Result<ArticleOutcome>;

    /// Stores a menu snapshot (keyed by account and capture time).
    fn upsert_menu(&mut self, m: &MenuSnapshot) -> Result<()>;

    fn upsert_event(&mut self, ev: &Event) -> Result<()>;

    fn upsert_page(&mut self, p: &PageSnapshot) -> Result<()>;

    /// Records the survey description and the dataset it came from.
    fn set_survey(&mut self, config: &SurveyConfig, dataset: Option<&str>) -> Result<()>;
}

/// Where [`Store::data_version`] is kept: (namespace, key) in the key-value cache's table,
/// incremented by the backends' writers as they commit.
pub const DATA_VERSION: (&str, &str) = ("store", "data_version");

/// A persistent key-value cache, grouped by namespace (`web`, `ai` …), with content-addressed
/// blobs for large values (page bodies). Failures to write are reported, never fatal to a run.
pub trait KvCache: Send + Sync {
    fn get(&self, namespace: &str, key: &str) -> Result<Option<String>>;

    /// Stores a value, replacing any earlier one.
    fn put(&self, namespace: &str, key: &str, value: &str) -> Result<()>;

    /// The values of `keys` in `namespace`, in their order (none where nothing is stored).
    fn get_many(&self, namespace: &str, keys: &[String]) -> Result<Vec<Option<String>>> {
        keys.iter().map(|k| self.get(namespace, k)).collect()
    }

    /// Stores `entries` (key, value) in `namespace`, replacing earlier values; all or none where
    /// the backend has transactions.
    fn put_many(&self, namespace: &str, entries: &[(String, String)]) -> Result<()> {
        entries.iter().try_for_each(|(k, v)| self.put(namespace, k, v))
    }

    /// A blob by its SHA-256 (hex).
    fn blob(&self, hash: &str) -> Result<Option<Vec<u8>>>;

    /// Stores a blob under its SHA-256 (hex); storing the same hash twice keeps one copy.
    fn put_blob(&self, hash: &str, bytes: &[u8]) -> Result<()>;

    /// Which of `hashes` have no blob yet, in their order (so that only those are uploaded).
    fn missing_blobs(&self, hashes: &[String]) -> Result<Vec<String>> {
        let mut missing = Vec::new();
        for h in hashes {
            if self.blob(h)?.is_none() {
                missing.push(h.clone());
            }
        }
        Ok(missing)
    }
}

/// A [`KvCache`] in memory, for tests and one-shot runs without a store.
#[derive(Debug, Default)]
pub struct MemoryCache {
    values: std::sync::Mutex<std::collections::HashMap<(String, String), String>>,
    blobs: std::sync::Mutex<std::collections::HashMap<String, Vec<u8>>>,
}

impl KvCache for MemoryCache {
    fn get(&self, namespace: &str, key: &str) -> Result<Option<String>> {
        let values = self.values.lock().unwrap_or_else(|e| e.into_inner());
        Ok(values.get(&(namespace.to_owned(), key.to_owned())).cloned())
    }

    fn put(&self, namespace: &str, key: &str, value: &str) -> Result<()> {
        let mut values = self.values.lock().unwrap_or_else(|e| e.into_inner());
        values.insert((namespace.to_owned(), key.to_owned()), value.to_owned());
        Ok(())
    }

    fn blob(&self, hash: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.blobs.lock().unwrap_or_else(|e| e.into_inner()).get(hash).cloned())
    }

    fn put_blob(&self, hash: &str, bytes: &[u8]) -> Result<()> {
        self.blobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(hash.to_owned())
            .or_insert_with(|| bytes.to_vec());
        Ok(())
    }
}

//! Store connections for request handlers. Stores are blocking (rusqlite, the sync postgres
//! client), so each use runs on Tokio's blocking pool with a connection taken from a small
//! idle list; a connection that failed is dropped, not returned.

use std::sync::{Arc, Mutex};

use govmedia_pipeline::StoreSpec;
use govmedia_store_api::{Store, StoreError};

/// Open connections to one store.
pub struct Pool {
    spec: StoreSpec,
    idle: Mutex<Vec<Box<dyn Store>>>,
}

/// Idle connections kept (more are opened under load and closed after).
const MAX_IDLE: usize = 8;

impl Pool {
    /// Opens one connection at once, so a wrong `--db` fails at start, not at the first request.
    pub fn open(spec: StoreSpec) -> Result<Arc<Pool>, govmedia_pipeline::Error> {
        let first = govmedia_pipeline::open_store(&spec)?;
        Ok(Arc::new(Pool { spec, idle: Mutex::new(vec![first]) }))
    }

    /// Where the data lives, for messages.
    pub fn spec(&self) -> &StoreSpec {
        &self.spec
    }

    fn take(&self) -> Result<Box<dyn Store>, StoreError> {
        if let Some(s) = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop() {
            return Ok(s);
        }
        govmedia_pipeline::open_store(&self.spec).map_err(|e| match e {
            govmedia_pipeline::Error::Store(e) => e,
            other => StoreError::Connect { location: format!("{:?}", self.spec), reason: other.to_string() },
        })
    }

    fn give_back(&self, store: Box<dyn Store>) {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < MAX_IDLE {
            idle.push(store);
        }
    }

    /// Runs `f` with a connection on the blocking pool.
    pub async fn with<T, F>(self: &Arc<Self>, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> Result<T, StoreError> + Send + 'static,
    {
        let pool = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let mut store = pool.take()?;
            let out = f(&mut *store);
            if out.is_ok() {
                pool.give_back(store);
            }
            out
        })
        .await
        .unwrap_or_else(|e| {
            Err(StoreError::Backend {
                location: String::new(),
                message: format!("数据库任务中断：{e}"),
                source: None,
            })
        })
    }
}

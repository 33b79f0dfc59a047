//! The key-value cache and blobs, on a connection of their own.

use std::sync::Mutex;

use govmedia_store_api::{KvCache, Result};
use rusqlite::{Connection, OptionalExtension, params};

use crate::sql_err;

pub(crate) struct SqliteCache {
    conn: Mutex<Connection>,
    location: String,
}

impl SqliteCache {
    pub(crate) fn new(conn: Connection, location: &str) -> Self {
        SqliteCache { conn: Mutex::new(conn), location: location.to_owned() }
    }

    fn with<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T> {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        f(&conn).map_err(|e| sql_err(&self.location, e))
    }
}

impl KvCache for SqliteCache {
    fn get(&self, namespace: &str, key: &str) -> Result<Option<String>> {
        self.with(|c| {
            c.prepare_cached("SELECT value FROM cache WHERE namespace = ?1 AND key = ?2")?
                .query_row([namespace, key], |r| r.get(0))
                .optional()
        })
    }

    fn put(&self, namespace: &str, key: &str, value: &str) -> Result<()> {
        self.with(|c| {
            c.prepare_cached(
                "INSERT INTO cache (namespace, key, value) VALUES (?1, ?2, ?3)
                 ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value",
            )?
            .execute([namespace, key, value])
            .map(|_| ())
        })
    }

    fn put_many(&self, namespace: &str, entries: &[(String, String)]) -> Result<()> {
        // One transaction: one sync for the lot.
        let mut conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let put = |conn: &mut Connection| -> rusqlite::Result<()> {
            let tx = conn.transaction()?;
            {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO cache (namespace, key, value) VALUES (?1, ?2, ?3)
                     ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value",
                )?;
                for (k, v) in entries {
                    insert.execute([namespace, k, v])?;
                }
            }
            tx.commit()
        };
        put(&mut conn).map_err(|e| sql_err(&self.location, e))
    }

    fn blob(&self, hash: &str) -> Result<Option<Vec<u8>>> {
        self.with(|c| {
            c.prepare_cached("SELECT data FROM blobs WHERE hash = ?1")?
                .query_row([hash], |r| r.get(0))
                .optional()
        })
    }

    fn put_blob(&self, hash: &str, bytes: &[u8]) -> Result<()> {
        self.with(|c| {
            c.prepare_cached("INSERT INTO blobs (hash, data) VALUES (?1, ?2) ON CONFLICT (hash) DO NOTHING")?
                .execute(params![hash, bytes])
                .map(|_| ())
        })
    }
}

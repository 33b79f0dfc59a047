//! The key-value cache and blobs, on a connection of their own.

use std::sync::Mutex;

use govmedia_store_api::{KvCache, Result};
use postgres::Client;
use postgres::types::ToSql;

use crate::pg_err;

pub(crate) struct PgCache {
    client: Mutex<Client>,
    location: String,
}

impl PgCache {
    pub(crate) fn new(client: Client, location: &str) -> Self {
        PgCache { client: Mutex::new(client), location: location.to_owned() }
    }

    fn one(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Option<postgres::Row>> {
        let mut client = self.client.lock().unwrap_or_else(|e| e.into_inner());
        client.query_opt(sql, params).map_err(|e| pg_err(&self.location, e))
    }

    fn execute(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<()> {
        let mut client = self.client.lock().unwrap_or_else(|e| e.into_inner());
        client.execute(sql, params).map(|_| ()).map_err(|e| pg_err(&self.location, e))
    }
}

impl KvCache for PgCache {
    fn get(&self, namespace: &str, key: &str) -> Result<Option<String>> {
        Ok(self
            .one("SELECT value FROM cache WHERE namespace = $1 AND key = $2", &[&namespace, &key])?
            .map(|r| r.get(0)))
    }

    fn put(&self, namespace: &str, key: &str, value: &str) -> Result<()> {
        self.execute(
            "INSERT INTO cache (namespace, key, value) VALUES ($1, $2, $3)
             ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value",
            &[&namespace, &key, &value],
        )
    }

    fn blob(&self, hash: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.one("SELECT data FROM blobs WHERE hash = $1", &[&hash])?.map(|r| r.get(0)))
    }

    fn put_blob(&self, hash: &str, bytes: &[u8]) -> Result<()> {
        self.execute(
            "INSERT INTO blobs (hash, data) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING",
            &[&hash, &bytes],
        )
    }
}

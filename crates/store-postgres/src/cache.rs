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

    fn missing_blobs(&self, hashes: &[String]) -> Result<Vec<String>> {
        let mut client = self.client.lock().unwrap_or_else(|e| e.into_inner());
        let rows = client
            .query(
                "SELECT h FROM unnest($1::text[]) WITH ORDINALITY AS t(h, i)
                 WHERE NOT EXISTS (SELECT 1 FROM blobs WHERE hash = h) ORDER BY i",
                &[&hashes],
            )
            .map_err(|e| pg_err(&self.location, e))?;
        Ok(rows.into_iter().map(|r| r.get(0)).collect())
    }
}

#[cfg(test)]
mod tests {
    use govmedia_store_api::Store;

    use crate::PgStore;
    use crate::testing::TestDb;

    #[test]
    fn missing_blobs_are_those_not_stored_in_their_order() {
        let Some(db) = TestDb::create("missing_blobs") else { return };
        let store = PgStore::connect(db.url()).unwrap();
        let cache = store.cache().unwrap();
        cache.put_blob("bb", b"two").unwrap();
        let asked: Vec<String> = ["cc", "bb", "aa"].map(String::from).to_vec();
        assert_eq!(cache.missing_blobs(&asked).unwrap(), ["cc", "aa"]);
        assert!(cache.missing_blobs(&[]).unwrap().is_empty());
    }
}

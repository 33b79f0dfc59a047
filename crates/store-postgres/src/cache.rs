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

    fn get_many(&self, namespace: &str, keys: &[String]) -> Result<Vec<Option<String>>> {
        let mut client = self.client.lock().unwrap_or_else(|e| e.into_inner());
        let rows = client
            .query(
                "SELECT c.value FROM unnest($2::text[]) WITH ORDINALITY AS t(k, i)
                 LEFT JOIN cache c ON c.namespace = $1 AND c.key = t.k ORDER BY t.i",
                &[&namespace, &keys],
            )
            .map_err(|e| pg_err(&self.location, e))?;
        Ok(rows.into_iter().map(|r| r.get(0)).collect())
    }

    fn put_many(&self, namespace: &str, entries: &[(String, String)]) -> Result<()> {
        let (keys, values): (Vec<&str>, Vec<&str>) =
            entries.iter().map(|(k, v)| (k.as_str(), v.as_str())).unzip();
        // One statement; a key given twice keeps its last value.
        self.execute(
            "INSERT INTO cache (namespace, key, value)
             SELECT DISTINCT ON (k) $1, k, v FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(k, v, i)
             ORDER BY k, i DESC
             ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value",
            &[&namespace, &keys, &values],
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

    #[test]
    fn many_values_are_read_in_their_order_and_written_at_once() {
        let Some(db) = TestDb::create("cache_many") else { return };
        let store = PgStore::connect(db.url()).unwrap();
        let cache = store.cache().unwrap();
        cache.put("ns", "b", "old").unwrap();
        let entries: Vec<(String, String)> =
            [("a", "1"), ("b", "2"), ("a", "3")].map(|(k, v)| (k.into(), v.into())).to_vec();
        cache.put_many("ns", &entries).unwrap();
        let keys: Vec<String> = ["b", "z", "a"].map(String::from).to_vec();
        let got = cache.get_many("ns", &keys).unwrap();
        assert_eq!(got, [Some("2".to_owned()), None, Some("3".to_owned())]);
        assert_eq!(cache.get_many("other", &keys).unwrap(), [None, None, None]);
        cache.put_many("ns", &[]).unwrap();
    }
}

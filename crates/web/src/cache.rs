//! A persistent fetch cache: `DIR/web-cache.json` (metadata by URL) and `DIR/bodies/HASH`.
//!
//! Repeated evaluations should not hammer the same government sites. Entries older than the
//! maximum age are ignored; transient failures (timeouts, refused connections) are never
//! cached, so the next run tries again. Bodies are stored once per content hash, written to a
//! temporary file and renamed, and checked against their hash when read (a damaged body is a
//! miss). The network policy is part of the cache: runs with `--allow-private` keep their own
//! index (`web-cache-private.json`), so that neither the guard's refusals nor pages fetched
//! from private addresses cross over to runs with the other policy.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use std::io::Write;

use crate::WebError;
use crate::fetch::{Fetched, now, sha256_hex};

pub struct Cache {
    dir: PathBuf,
    index: &'static str,
    max_age: Duration,
    entries: BTreeMap<String, Fetched>,
}

impl Cache {
    /// Opens (or starts) the cache in `dir` for runs with the given policy (`allow_private`);
    /// an unreadable index starts empty.
    pub fn open(dir: &Path, max_age: Duration, allow_private: bool) -> Result<Self, WebError> {
        std::fs::create_dir_all(dir.join("bodies")).map_err(|e| WebError::io(dir, e))?;
        let index = if allow_private { "web-cache-private.json" } else { "web-cache.json" };
        let entries = std::fs::read(dir.join(index))
            .ok()
            .and_then(|b| serde_json::from_slice::<BTreeMap<String, Fetched>>(&b).ok())
            .unwrap_or_default();
        Ok(Cache { dir: dir.to_owned(), index, max_age, entries })
    }

    /// A fresh entry for `url`, with its body when it had one.
    pub fn get(&self, url: &str) -> Option<Fetched> {
        let e = self.entries.get(url)?;
        let age = (now() - e.fetched_at).to_std().unwrap_or(Duration::MAX);
        if age > self.max_age {
            return None;
        }
        let mut e = e.clone();
        if let Some(h) = &e.content_hash {
            let body = std::fs::read(self.dir.join("bodies").join(h)).ok()?;
            if sha256_hex(&body) != *h {
                return None;
            }
            e.body = Some(Arc::from(body));
        }
        Some(e)
    }

    /// Records a result unless its failure is transient.
    pub fn put(&mut self, f: &Fetched) -> Result<(), WebError> {
        if f.failure.as_ref().is_some_and(|x| x.kind.is_transient()) {
            return Ok(());
        }
        if let (Some(h), Some(b)) = (&f.content_hash, &f.body) {
            let p = self.dir.join("bodies").join(h);
            if !p.exists() {
                let mut tmp = tempfile::NamedTempFile::new_in(self.dir.join("bodies"))
                    .map_err(|e| WebError::io(&p, e))?;
                tmp.write_all(b).map_err(|e| WebError::io(&p, e))?;
                tmp.persist(&p).map_err(|e| WebError::io(&p, e.error))?;
            }
        }
        self.entries.insert(f.url.clone(), f.clone());
        Ok(())
    }

    /// Writes the index atomically (temporary file, then rename).
    pub fn save(&self) -> Result<(), WebError> {
        let json = serde_json::to_vec(&self.entries).map_err(|e| WebError::Other(e.to_string()))?;
        let mut tmp = tempfile::NamedTempFile::new_in(&self.dir).map_err(|e| WebError::io(&self.dir, e))?;
        tmp.write_all(&json).map_err(|e| WebError::io(&self.dir, e))?;
        tmp.persist(self.dir.join(self.index)).map_err(|e| WebError::io(&self.dir, e.error))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::FailureKind;

    /// A page fetched with status 200 and `body`.
    fn page(url: &str, body: &'static [u8]) -> Fetched {
        let mut ok = Fetched::failed(url, FailureKind::Other, "");
        ok.failure = None;
        ok.status = Some(200);
        ok.content_hash = Some(sha256_hex(body));
        ok.body = Some(Arc::from(body));
        ok
    }

    #[test]
    fn round_trip_expiry_and_transient_failures() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Cache::open(dir.path(), Duration::from_secs(3600), false).unwrap();
        let ok = page("https://a.gov.cn/", b"<p>hi</p>");
        c.put(&ok).unwrap();
        c.put(&Fetched::failed("https://b.gov.cn/", FailureKind::Timeout, "t")).unwrap();
        c.put(&Fetched::failed("https://c.gov.cn/", FailureKind::Dns, "d")).unwrap();
        c.save().unwrap();
        let c = Cache::open(dir.path(), Duration::from_secs(3600), false).unwrap();
        assert_eq!(c.get("https://a.gov.cn/").unwrap().body.as_deref(), Some(&b"<p>hi</p>"[..]));
        assert!(c.get("https://b.gov.cn/").is_none(), "timeouts are not cached");
        assert!(c.get("https://c.gov.cn/").is_some());
        let stale = Cache::open(dir.path(), Duration::ZERO, false).unwrap();
        assert!(stale.get("https://a.gov.cn/").is_none(), "expired entries are ignored");
    }

    #[test]
    fn the_policy_is_part_of_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let mut guarded = Cache::open(dir.path(), Duration::from_secs(3600), false).unwrap();
        guarded.put(&Fetched::failed("http://intranet.example/", FailureKind::Refused, "refused")).unwrap();
        guarded.save().unwrap();
        let open = Cache::open(dir.path(), Duration::from_secs(3600), true).unwrap();
        assert!(
            open.get("http://intranet.example/").is_none(),
            "a refusal does not reach --allow-private runs"
        );
        let mut open = open;
        open.put(&page("http://intranet.example/", b"secret")).unwrap();
        open.save().unwrap();
        let guarded = Cache::open(dir.path(), Duration::from_secs(3600), false).unwrap();
        assert_eq!(guarded.get("http://intranet.example/").unwrap().status, None, "still the refusal");
    }

    #[test]
    fn a_damaged_body_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Cache::open(dir.path(), Duration::from_secs(3600), false).unwrap();
        let ok = page("https://a.gov.cn/", b"<p>hi</p>");
        c.put(&ok).unwrap();
        std::fs::write(dir.path().join("bodies").join(ok.content_hash.as_ref().unwrap()), b"").unwrap();
        assert!(c.get("https://a.gov.cn/").is_none());
    }
}

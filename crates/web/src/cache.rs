//! A persistent fetch cache: `DIR/web-cache.json` (metadata by URL) and `DIR/bodies/HASH`.
//!
//! Repeated evaluations should not hammer the same government sites. Entries older than the
//! maximum age are ignored; transient failures (timeouts, refused connections) are never
//! cached, so the next run tries again. Bodies are stored once per content hash.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::WebError;
use crate::fetch::{Fetched, now};

const INDEX: &str = "web-cache.json";

pub struct Cache {
    dir: PathBuf,
    max_age: Duration,
    entries: BTreeMap<String, Fetched>,
}

impl Cache {
    /// Opens (or starts) the cache in `dir`; an unreadable index starts empty.
    pub fn open(dir: &Path, max_age: Duration) -> Result<Self, WebError> {
        std::fs::create_dir_all(dir.join("bodies")).map_err(|e| WebError::io(dir, e))?;
        let entries = std::fs::read(dir.join(INDEX))
            .ok()
            .and_then(|b| serde_json::from_slice::<BTreeMap<String, Fetched>>(&b).ok())
            .unwrap_or_default();
        Ok(Cache { dir: dir.to_owned(), max_age, entries })
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
            e.body = Some(Arc::from(std::fs::read(self.dir.join("bodies").join(h)).ok()?));
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
                std::fs::write(&p, b).map_err(|e| WebError::io(&p, e))?;
            }
        }
        self.entries.insert(f.url.clone(), f.clone());
        Ok(())
    }

    /// Writes the index atomically (temporary file, then rename).
    pub fn save(&self) -> Result<(), WebError> {
        let tmp = self.dir.join(format!("{INDEX}.tmp"));
        let json = serde_json::to_vec(&self.entries).map_err(|e| WebError::Other(e.to_string()))?;
        std::fs::write(&tmp, json).map_err(|e| WebError::io(&tmp, e))?;
        std::fs::rename(&tmp, self.dir.join(INDEX)).map_err(|e| WebError::io(&self.dir, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::{FailureKind, sha256_hex};

    #[test]
    fn round_trip_expiry_and_transient_failures() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Cache::open(dir.path(), Duration::from_secs(3600)).unwrap();
        let mut ok = Fetched::failed("https://a.gov.cn/", FailureKind::Other, "");
        ok.failure = None;
        ok.status = Some(200);
        ok.content_hash = Some(sha256_hex(b"<p>hi</p>"));
        ok.body = Some(Arc::from(&b"<p>hi</p>"[..]));
        c.put(&ok).unwrap();
        c.put(&Fetched::failed("https://b.gov.cn/", FailureKind::Timeout, "t")).unwrap();
        c.put(&Fetched::failed("https://c.gov.cn/", FailureKind::Dns, "d")).unwrap();
        c.save().unwrap();
        let c = Cache::open(dir.path(), Duration::from_secs(3600)).unwrap();
        assert_eq!(c.get("https://a.gov.cn/").unwrap().body.as_deref(), Some(&b"<p>hi</p>"[..]));
        assert!(c.get("https://b.gov.cn/").is_none(), "timeouts are not cached");
        assert!(c.get("https://c.gov.cn/").is_some());
        let stale = Cache::open(dir.path(), Duration::ZERO).unwrap();
        assert!(stale.get("https://a.gov.cn/").is_none(), "expired entries are ignored");
    }
}

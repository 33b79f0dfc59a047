//! The persistent fetch cache, kept in the store: metadata by URL in its key-value cache
//! (namespace `web`), bodies as content-addressed blobs checked against their hash on read.
//!
//! Repeated evaluations should not hammer the same government sites, and several machines
//! evaluating one survey should share what was fetched. Entries older than the maximum age are
//! ignored; transient failures (timeouts, refused connections) are never cached, so the next
//! run tries again. The network policy is part of the key: what a run allowed to reach private
//! addresses fetched is never reused by a guarded run, and a guarded run's refusals never
//! answer for a run that allows them.

use std::sync::Arc;
use std::time::Duration;

use govmedia_store_api::KvCache;

use crate::fetch::{Fetched, now, sha256_hex};

const NAMESPACE: &str = "web";

pub struct Cache {
    kv: Arc<dyn KvCache>,
    max_age: Duration,
    /// `guarded` or `private-allowed`: the policy the fetches were made under.
    policy: &'static str,
}

impl Cache {
    pub fn new(kv: Arc<dyn KvCache>, max_age: Duration, allow_private: bool) -> Self {
        Cache { kv, max_age, policy: if allow_private { "private-allowed" } else { "guarded" } }
    }

    fn key(&self, url: &str) -> String {
        format!("{}|{url}", self.policy)
    }

    /// A fresh entry for `url`, with its body when it had one. A body whose bytes no longer
    /// match its hash is a miss.
    pub fn get(&self, url: &str) -> Option<Fetched> {
        let meta = self.kv.get(NAMESPACE, &self.key(url)).ok().flatten()?;
        let mut e: Fetched = serde_json::from_str(&meta).ok()?;
        let age = (now() - e.fetched_at).to_std().unwrap_or(Duration::MAX);
        if age > self.max_age {
            return None;
        }
        if let Some(h) = &e.content_hash {
            let body = self.kv.blob(h).ok().flatten().filter(|b| &sha256_hex(b) == h)?;
            e.body = Some(Arc::from(body));
        }
        Some(e)
    }

    /// Records a result unless its failure is transient. A cache that cannot be written is
    /// reported and skipped: the run goes on.
    pub fn put(&self, f: &Fetched) {
        if f.failure.as_ref().is_some_and(|x| x.kind.is_transient()) {
            return;
        }
        let stored = (|| {
            if let (Some(h), Some(b)) = (&f.content_hash, &f.body) {
                self.kv.put_blob(h, b)?;
            }
            let meta = serde_json::to_string(f).expect("fetch results serialise");
            self.kv.put(NAMESPACE, &self.key(&f.url), &meta)
        })();
        if let Err(e) = stored {
            tracing::warn!("网页缓存写入失败：{e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::FailureKind;
    use govmedia_store_api::MemoryCache;

    #[test]
    fn round_trip_expiry_policy_and_transient_failures() {
        let kv: Arc<dyn KvCache> = Arc::new(MemoryCache::default());
        let c = Cache::new(kv.clone(), Duration::from_secs(3600), false);
        let mut ok = Fetched::failed("https://a.gov.cn/", FailureKind::Other, "");
        ok.failure = None;
        ok.status = Some(200);
        ok.content_hash = Some(sha256_hex(b"<p>hi</p>"));
        ok.body = Some(Arc::from(&b"<p>hi</p>"[..]));
        c.put(&ok);
        c.put(&Fetched::failed("https://b.gov.cn/", FailureKind::Timeout, "t"));
        c.put(&Fetched::failed("https://c.gov.cn/", FailureKind::Dns, "d"));
        assert_eq!(c.get("https://a.gov.cn/").unwrap().body.as_deref(), Some(&b"<p>hi</p>"[..]));
        assert!(c.get("https://b.gov.cn/").is_none(), "timeouts are not cached");
        assert!(c.get("https://c.gov.cn/").is_some());
        let other_policy = Cache::new(kv.clone(), Duration::from_secs(3600), true);
        assert!(other_policy.get("https://c.gov.cn/").is_none(), "the network policy is part of the key");
        let stale = Cache::new(kv.clone(), Duration::ZERO, false);
        assert!(stale.get("https://a.gov.cn/").is_none(), "expired entries are ignored");
        let tampered = MemoryCache::default();
        tampered.put_blob(ok.content_hash.as_deref().unwrap(), b"tampered").unwrap();
        tampered.put(NAMESPACE, "guarded|https://a.gov.cn/", &serde_json::to_string(&ok).unwrap()).unwrap();
        let c = Cache::new(Arc::new(tampered), Duration::from_secs(3600), false);
        assert!(c.get("https://a.gov.cn/").is_none(), "a body that does not match its hash is a miss");
    }
}

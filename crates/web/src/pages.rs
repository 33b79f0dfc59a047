//! Fetch results shared by the `links` and `mobile` checks: from the offline snapshot, from
//! memory, from the persistent cache, or from the network, in that order.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use govmedia_checks::{Progress, Survey};
use rayon::prelude::*;

use crate::cache::Cache;
use crate::classify::{Verdict, classify};
use crate::fetch::{Fetched, Fetcher};
use crate::{WebError, WebOptions, snapshot};
use govmedia_checks::blocking::block_on;

pub struct Pages {
    pub opts: WebOptions,
    memo: Mutex<HashMap<String, Fetched>>,
    /// What each page was found to be, by URL and body: the links, functions and mobile
    /// checks ask about the same pages.
    verdicts: Mutex<HashMap<(String, Option<String>), Verdict>>,
}

impl Pages {
    pub fn new(opts: WebOptions) -> Self {
        Pages { opts, memo: Mutex::new(HashMap::new()), verdicts: Mutex::new(HashMap::new()) }
    }

    /// [`classify`] of `f` (the result for `url`), read once per run.
    pub fn verdict(&self, url: &str, f: &Fetched) -> Verdict {
        let key = (url.to_owned(), f.content_hash.clone());
        if let Some(v) = self.verdicts.lock().expect("verdicts").get(&key) {
            return v.clone();
        }
        let v = classify(f);
        self.verdicts.lock().expect("verdicts").insert(key, v.clone());
        v
    }

    /// Results for `urls`. Offline, a URL missing from the snapshot is absent from the map
    /// (not evaluated); online, snapshot URLs are read from it and every other URL is fetched.
    pub fn get_many(
        &self,
        survey: &Survey,
        urls: &[String],
        progress: &dyn Progress,
    ) -> Result<HashMap<String, Fetched>, WebError> {
        let mut unique: Vec<&String> = urls.iter().collect();
        unique.sort_unstable();
        unique.dedup();
        // The contract: a URL in the dataset's snapshot is read from it, online or not. The
        // snapshot's files are read on all cores, once per run: the links, functions and
        // mobile checks ask for the same pages.
        let mut out: HashMap<String, Fetched> = HashMap::new();
        let mut unread = Vec::new();
        {
            let memo = self.memo.lock().expect("memo");
            for &u in unique.iter().filter(|u| survey.pages.contains_key(u.as_str())) {
                match memo.get(u) {
                    Some(f) => {
                        out.insert(u.clone(), f.clone());
                    }
                    None => unread.push(u),
                }
            }
        }
        let read: Vec<(String, Fetched)> = unread
            .par_iter()
            .map(|&u| (u.clone(), snapshot::from_snapshot(&survey.pages[u], survey.dataset_dir.as_deref())))
            .collect();
        self.memo.lock().expect("memo").extend(read.iter().cloned());
        out.extend(read);
        if survey.offline {
            return Ok(out);
        }
        let mut missing = Vec::new();
        {
            let memo = self.memo.lock().expect("memo");
            for u in unique {
                if out.contains_key(u) {
                    continue;
                }
                match memo.get(u) {
                    Some(f) => {
                        out.insert(u.clone(), f.clone());
                    }
                    None => missing.push(u.clone()),
                }
            }
        }
        let cache = self
            .opts
            .cache
            .clone()
            .map(|kv| Cache::new(kv, self.opts.cache_max_age, self.opts.allow_private));
        if let Some(c) = &cache {
            missing.retain(|u| match c.get(u) {
                Some(f) => {
                    out.insert(u.clone(), f);
                    false
                }
                None => true,
            });
        }
        if !missing.is_empty() {
            progress.start("检查链接", missing.len() as u64);
            let fetcher = Arc::new(Fetcher::new(self.opts.fetch_config())?);
            let fetched = block_on(async { fetcher.fetch_all(&missing, &|| progress.advance(1)).await })
                .map_err(|e| WebError::Other(format!("无法运行网络检查：{e}")))?;
            progress.finish();
            if let Some(c) = &cache {
                for f in fetched.values() {
                    c.put(f);
                }
            }
            out.extend(fetched);
        }
        let mut memo = self.memo.lock().expect("memo");
        for (u, f) in &out {
            memo.entry(u.clone()).or_insert_with(|| f.clone());
        }
        Ok(out)
    }
}

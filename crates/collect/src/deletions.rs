//! Rechecking published articles: one that now answers with WeChat's notice (删除, 违规 …) or
//! a 404 was taken down after publication. The stored article keeps what was captured before
//! (title, text) and is marked `deleted` with the notice's reason and the time it was found
//! (`extra.deleted_detected_at`); the deletion check then reports it (`content.deleted`), with
//! the earlier text as evidence.
//!
//! Only a clear answer marks an article: a WeChat notice, or HTTP 404/410. A timeout, a
//! verification page (环境异常) or any other failure says nothing about the article and leaves
//! it as it was. Fetching goes through the web checks' fetcher: the same SSRF guard, per-host
//! politeness and retries of transient failures.

use chrono::{DateTime, Utc};
use govmedia_model::{Article, Timestamp};
use govmedia_store_api::{ArticleFilter, PreparedArticle, Store};
use govmedia_web::classify::{BrokenReason, Verdict, classify};
use govmedia_web::{FetchConfig, Fetcher};

use crate::CollectError;

/// An article found taken down.
#[derive(Debug, Clone, PartialEq)]
pub struct Deletion {
    pub account: String,
    pub url: String,
    pub title: String,
    /// The notice's reason, or the HTTP status.
    pub reason: String,
}

/// What a recheck did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recheck {
    /// Articles fetched.
    pub checked: usize,
    pub deleted: Vec<Deletion>,
    /// Articles whose answer said nothing about them (failure, verification page), with why.
    pub undecided: Vec<(String, String)>,
}

/// Fetches the stored articles published at or after `since` that are not yet marked deleted,
/// and marks those taken down. `now` is recorded as the time of detection.
pub fn recheck_articles(
    store: &mut dyn Store,
    config: FetchConfig,
    since: Timestamp,
    now: DateTime<Utc>,
) -> Result<Recheck, CollectError> {
    let filter = ArticleFilter { from: Some(since), ..ArticleFilter::default() };
    let articles: Vec<Article> = store
        .snapshot()?
        .articles(&filter)?
        .into_iter()
        .filter(|a| {
            a.deleted != Some(true) && (a.url.starts_with("http://") || a.url.starts_with("https://"))
        })
        .collect();
    let urls: Vec<String> = articles.iter().map(|a| a.url.clone()).collect();
    let fetcher = std::sync::Arc::new(Fetcher::new(config).map_err(|e| CollectError::Client(e.to_string()))?);
    let fetched = crate::feeds::block_on(async { fetcher.fetch_all(&urls, &|| {}).await })?;
    let mut out = Recheck { checked: articles.len(), ..Recheck::default() };
    let mut gone = Vec::new();
    for mut a in articles {
        let Some(f) = fetched.get(&a.url) else { continue };
        let reason = match classify(f) {
            Verdict::WechatUnavailable(why) => why.to_owned(),
            Verdict::Broken(BrokenReason::Status(s @ (404 | 410))) => format!("原链接返回 HTTP {s}"),
            Verdict::Ok | Verdict::LoginRequired(_) | Verdict::AppRequired(_) => continue,
            Verdict::Broken(other) => {
                out.undecided.push((a.url.clone(), other.label_zh()));
                continue;
            }
            Verdict::Unverifiable(why) => {
                out.undecided.push((a.url.clone(), why));
                continue;
            }
        };
        out.deleted.push(Deletion {
            account: a.account.clone(),
            url: a.url.clone(),
            title: a.title.clone(),
            reason: reason.clone(),
        });
        a.deleted = Some(true);
        a.deleted_reason = Some(reason);
        a.extra.insert("deleted_detected_at".into(), now.to_rfc3339().into());
        gone.push(a);
    }
    if !gone.is_empty() {
        let mut w = store.writer()?;
        for a in gone {
            w.upsert_article(PreparedArticle::new(a))?;
        }
        w.commit()?;
    }
    Ok(out)
}

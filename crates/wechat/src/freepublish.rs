//! Published articles (发表记录) from `freepublish/batchget` and `freepublish/getarticle`.
//!
//! These endpoints carry the bodies, authors and digests, but list only what was *published*
//! (发表), not what was mass-sent (群发): the complete article list comes from datacube (see
//! [`crate::merge`]).

use govmedia_model::{Article, Timestamp};
use serde_json::{Map, Value, json};

use crate::fields::{count, int, list, text, unix_time};
use crate::merge::{push_key, set_source};
use crate::{Client, Credentials, Endpoint, WechatError};

/// The most a batchget page holds.
pub const MAX_PAGE: u32 = 20;

/// One page of `freepublish/batchget`.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishPage {
    /// Publications of the account in all.
    pub total_count: u64,
    pub items: Vec<Publication>,
}

/// One publication (one 发表, up to eight articles).
#[derive(Debug, Clone, PartialEq)]
pub struct Publication {
    pub article_id: String,
    /// `content.create_time`: when the publication was created.
    pub create_time: Option<Timestamp>,
    /// `content.update_time` (else the item's `update_time`): its last change.
    pub update_time: Option<Timestamp>,
    pub news: Vec<NewsItem>,
}

impl Publication {
    /// When it went out. The platform names no publication time: `create_time` is taken
    /// (inferred: in the recorded responses it precedes `update_time` by the seconds that
    /// publishing takes, and unlike `update_time` it does not move when the article is edited).
    pub fn published_at(&self) -> Option<Timestamp> {
        self.create_time.or(self.update_time)
    }
}

/// One article of a publication, as `news_item` gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewsItem {
    pub title: Option<String>,
    pub author: Option<String>,
    pub digest: Option<String>,
    /// HTML; absent when the page was asked for with `no_content`.
    pub content: Option<String>,
    /// The "阅读原文" link.
    pub content_source_url: Option<String>,
    pub url: Option<String>,
    pub need_open_comment: Option<bool>,
    pub only_fans_can_comment: Option<bool>,
    pub is_deleted: bool,
}

impl NewsItem {
    fn from_json(v: &Value) -> Self {
        NewsItem {
            title: text(v, "title"),
            author: text(v, "author"),
            digest: text(v, "digest"),
            content: text(v, "content"),
            content_source_url: text(v, "content_source_url"),
            url: text(v, "url"),
            need_open_comment: int(v, "need_open_comment").map(|n| n != 0),
            only_fans_can_comment: int(v, "only_fans_can_comment").map(|n| n != 0),
            is_deleted: v.get("is_deleted").and_then(Value::as_bool).unwrap_or(false),
        }
    }
}

impl Client {
    /// One page of the account's publications, newest first; `count` is capped at 20.
    pub async fn freepublish_page(
        &self,
        creds: &Credentials,
        offset: u64,
        count_wanted: u32,
        no_content: bool,
    ) -> Result<PublishPage, WechatError> {
        let body = json!({"offset": offset, "count": count_wanted.clamp(1, MAX_PAGE), "no_content": u8::from(no_content)});
        let page = self.call(creds, Endpoint::FreepublishBatchget, Some(&body)).await?;
        let items = list(&page, "item")
            .iter()
            .map(|item| {
                let content = item.get("content").unwrap_or(&Value::Null);
                Publication {
                    article_id: text(item, "article_id").unwrap_or_default(),
                    create_time: unix_time(content, "create_time"),
                    update_time: unix_time(content, "update_time").or_else(|| unix_time(item, "update_time")),
                    news: list(content, "news_item").iter().map(NewsItem::from_json).collect(),
                }
            })
            .collect();
        Ok(PublishPage { total_count: count(&page, "total_count").unwrap_or(0), items })
    }

    /// The articles of one publication, with bodies.
    pub async fn freepublish_article(
        &self,
        creds: &Credentials,
        article_id: &str,
    ) -> Result<Vec<NewsItem>, WechatError> {
        let body = json!({"article_id": article_id});
        let answer = self.call(creds, Endpoint::FreepublishGetArticle, Some(&body)).await?;
        Ok(list(&answer, "news_item").iter().map(NewsItem::from_json).collect())
    }
}

/// The articles of a publication as model records; an article without a link or a time is
/// left out and named in the second list.
pub(crate) fn to_articles(account: &str, p: &Publication) -> (Vec<Article>, Vec<String>) {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for (i, item) in p.news.iter().enumerate() {
        let (Some(url), Some(published_at)) = (item.url.as_ref(), p.published_at()) else {
            skipped.push(format!("发表记录 {} 的第 {} 篇缺少链接或时间", p.article_id, i + 1));
            continue;
        };
        let mut a = Article::new(account, url.as_str(), item.title.clone().unwrap_or_default(), published_at);
        a.position = push_key(url).map(|(_, idx)| idx).or(u32::try_from(i + 1).ok());
        a.author = item.author.clone();
        a.digest = item.digest.clone();
        a.content_html = item.content.clone();
        a.deleted = item.is_deleted.then_some(true);
        let mut raw = Map::new();
        raw.insert("article_id".into(), p.article_id.clone().into());
        for (key, t) in [("create_time", p.create_time), ("update_time", p.update_time)] {
            if let Some(t) = t {
                raw.insert(key.into(), t.timestamp().into());
            }
        }
        for (key, flag) in [
            ("need_open_comment", item.need_open_comment),
            ("only_fans_can_comment", item.only_fans_can_comment),
        ] {
            if let Some(flag) = flag {
                raw.insert(key.into(), flag.into());
            }
        }
        if let Some(u) = &item.content_source_url {
            raw.insert("content_source_url".into(), u.clone().into());
        }
        a.extra.insert("source".into(), "freepublish".into());
        a.extra.insert("freepublish".into(), Value::Object(raw));
        let mut given = vec!["url", "published_at", "position"];
        given.extend(item.title.is_some().then_some("title"));
        given.extend(a.author.is_some().then_some("author"));
        given.extend(a.digest.is_some().then_some("digest"));
        given.extend(a.content_html.is_some().then_some("content_html"));
        given.extend(a.deleted.is_some().then_some("deleted"));
        for field in given {
            set_source(&mut a, field, "freepublish");
        }
        out.push(a);
    }
    (out, skipped)
}

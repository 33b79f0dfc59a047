//! One article list from freepublish and datacube, saying per field which source gave it.
//!
//! freepublish has bodies but misses mass-sent (群发) articles; datacube lists every article
//! sent, with counters, but no body. Articles are matched on their push: the `mid` and `idx`
//! of a freepublish URL against datacube's `msgid` (`<msg_data_id>_<index>`). That `mid` is
//! the `msg_data_id` is inferred from the recorded responses (a submit answered
//! `msg_data_id` 2247483651 and its article URL carries `mid=2247483651&idx=1`).
//!
//! Each article gets `extra.source` (`freepublish`, `datacube` or `freepublish+datacube`) and
//! `extra.sources`, a map from field name to the source of its value (`{"title":
//! "freepublish", "reads": "datacube", "comments": "comment"}`).

use std::collections::HashMap;

use govmedia_model::{Article, Reads};
use serde_json::{Map, Value};

use crate::datacube::{DatacubeArticle, split_msgid};

/// The `mid` and `idx` of an article URL.
pub fn push_key(url: &str) -> Option<(u64, u32)> {
    let url = reqwest::Url::parse(url).ok()?;
    let pairs: HashMap<_, _> = url.query_pairs().collect();
    Some((pairs.get("mid")?.parse().ok()?, pairs.get("idx")?.parse().ok().filter(|&i| i > 0)?))
}

/// Records that `field` of `a` came from `source`.
pub(crate) fn set_source(a: &mut Article, field: &str, source: &str) {
    let sources = a.extra.entry("sources").or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(map) = sources {
        map.insert(field.to_owned(), source.into());
    }
}

/// Merges datacube's articles into freepublish's. Datacube articles without a link, when no
/// link can be built for them, are returned as the second list (title and msgid).
pub(crate) fn merge(
    account: &str,
    mut articles: Vec<Article>,
    datacube: Vec<DatacubeArticle>,
) -> (Vec<Article>, Vec<String>) {
    let by_key: HashMap<(u64, u32), usize> =
        articles.iter().enumerate().filter_map(|(i, a)| Some((push_key(&a.url)?, i))).collect();
    let biz = articles.iter().find_map(|a| biz_of(&a.url));
    let mut unlinked = Vec::new();
    for dc in datacube {
        let key = split_msgid(&dc.msgid);
        if let Some(&i) = key.as_ref().and_then(|k| by_key.get(k)) {
            let a = &mut articles[i];
            if a.title.is_empty()
                && let Some(title) = &dc.title
            {
                a.title = title.clone();
                set_source(a, "title", "datacube");
            }
            apply_datacube(a, &dc);
            a.extra.insert("source".into(), "freepublish+datacube".into());
            continue;
        }
        let url = dc.content_url.clone().or_else(|| {
            let ((mid, idx), biz) = (key?, biz.as_ref()?);
            Some(format!("https://mp.weixin.qq.com/s?__biz={biz}&mid={mid}&idx={idx}"))
        });
        let Some(url) = url else {
            unlinked.push(format!("“{}”（msgid {}）", dc.title.as_deref().unwrap_or(""), dc.msgid));
            continue;
        };
        // Datacube gives the day only: the article is placed at 00:00 of it.
        let published_at = govmedia_model::time::start_of_day(dc.ref_date);
        let mut a = Article::new(account, url, dc.title.clone().unwrap_or_default(), published_at);
        a.position = key.map(|(_, idx)| idx);
        for field in ["url", "published_at"].into_iter().chain(a.position.map(|_| "position")) {
            set_source(&mut a, field, "datacube");
        }
        if dc.title.is_some() {
            set_source(&mut a, "title", "datacube");
        }
        apply_datacube(&mut a, &dc);
        a.extra.insert("source".into(), "datacube".into());
        articles.push(a);
    }
    articles.sort_by_key(|a| (a.published_at, a.position));
    (articles, unlinked)
}

/// Counters from datacube, and what datacube said, under `extra.datacube`.
fn apply_datacube(a: &mut Article, dc: &DatacubeArticle) {
    let mut raw = Map::new();
    raw.insert("msgid".into(), dc.msgid.clone().into());
    raw.insert("ref_date".into(), dc.ref_date.to_string().into());
    if let Some(t) = &dc.title {
        raw.insert("title".into(), t.clone().into());
    }
    if let Some(p) = dc.publish_type {
        raw.insert("publish_type".into(), p.into());
    }
    if let Some(c) = &dc.counters {
        raw.insert("detail".into(), c.raw.clone());
        // Readers (阅读人数), not page views: see `ArticleCounters::read_user`.
        a.reads = c.read_user.map(Reads::exact).or(a.reads);
        a.likes = c.like_user.or(a.likes);
        a.wows = c.zaikan_user.or(a.wows);
        a.shares = c.share_user.or(a.shares);
        a.favorites = c.collection_user.or(a.favorites);
        let given = [
            ("reads", c.read_user),
            ("likes", c.like_user),
            ("wows", c.zaikan_user),
            ("shares", c.share_user),
            ("favorites", c.collection_user),
        ];
        for (field, value) in given {
            if value.is_some() {
                set_source(a, field, "datacube");
            }
        }
        if c.read_user.is_some() {
            a.extra.insert("reads_basis".into(), "read_user".into());
        }
    }
    a.extra.insert("datacube".into(), Value::Object(raw));
}

/// The `__biz` of an article URL.
fn biz_of(url: &str) -> Option<String> {
    let url = reqwest::Url::parse(url).ok()?;
    url.query_pairs().find(|(k, _)| k == "__biz").map(|(_, v)| v.into_owned()).filter(|b| !b.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datacube::ArticleCounters;

    const FP_URL: &str = "http://mp.weixin.qq.com/s?__biz=MzkyOTQ5Mjg3OA==&mid=2247483651&idx=1&sn=85a0#rd";

    fn dc(msgid: &str, url: Option<&str>) -> DatacubeArticle {
        DatacubeArticle {
            ref_date: "2023-11-05".parse().unwrap(),
            msgid: msgid.into(),
            title: Some("群发标题".into()),
            content_url: url.map(str::to_owned),
            publish_type: Some(0),
            counters: Some(ArticleCounters {
                stat_date: "2023-11-06".parse().unwrap(),
                read_user: Some(412),
                like_user: Some(9),
                zaikan_user: Some(3),
                share_user: Some(7),
                collection_user: None,
                comment_count: Some(2),
                raw: serde_json::json!({"stat_date": "2023-11-06", "read_user": 412}),
            }),
        }
    }

    #[test]
    fn push_keys_of_urls() {
        assert_eq!(push_key(FP_URL), Some((2_247_483_651, 1)));
        assert_eq!(push_key("https://mp.weixin.qq.com/s/AbCdEf"), None);
        assert_eq!(biz_of(FP_URL).as_deref(), Some("MzkyOTQ5Mjg3OA=="));
    }

    #[test]
    fn matching_articles_merge_and_others_are_added() {
        let published = govmedia_model::time::from_unix(1_699_154_821).unwrap();
        let mut fp = Article::new("gh_1", FP_URL, "一篇测试图文", published);
        fp.content_html = Some("<p>正文</p>".into());
        set_source(&mut fp, "title", "freepublish");
        set_source(&mut fp, "content_html", "freepublish");
        let (merged, unlinked) =
            merge("gh_1", vec![fp], vec![dc("2247483651_1", None), dc("2247483700_2", None), dc("x", None)]);
        assert_eq!(unlinked, vec!["“群发标题”（msgid x）".to_owned()]);
        assert_eq!(merged.len(), 2);
        let both = merged.iter().find(|a| a.url == FP_URL).unwrap();
        assert_eq!(
            (both.title.as_str(), both.reads, both.likes, both.favorites),
            ("一篇测试图文", Some(Reads::exact(412)), Some(9), None)
        );
        assert_eq!(both.extra["source"], "freepublish+datacube");
        assert_eq!(
            both.extra["sources"],
            serde_json::json!({"title": "freepublish", "content_html": "freepublish", "reads": "datacube", "likes": "datacube", "wows": "datacube", "shares": "datacube"})
        );
        let mass = merged.iter().find(|a| a.url != FP_URL).unwrap();
        assert_eq!(mass.url, "https://mp.weixin.qq.com/s?__biz=MzkyOTQ5Mjg3OA==&mid=2247483700&idx=2");
        assert_eq!((mass.position, mass.content_html.as_deref()), (Some(2), None));
        assert_eq!(mass.published_at.to_rfc3339(), "2023-11-05T00:00:00+08:00");
        assert_eq!(mass.extra["sources"]["title"], "datacube");
        assert_eq!(mass.extra["datacube"]["detail"]["read_user"], 412);
    }
}

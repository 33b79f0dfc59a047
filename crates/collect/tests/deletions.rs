//! Rechecking published articles against a fake mp.weixin.qq.com on loopback: real notice pages
//! mark articles deleted, a 404 too; a normal page and a verification page leave them alone.

mod common;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use common::{serve, store};
use govmedia_collect::recheck_articles;
use govmedia_model::Article;
use govmedia_store_api::{PreparedArticle, Store};
use govmedia_web::FetchConfig;

const PAGES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/wechat/article-pages/");

fn page(name: &str) -> String {
    String::from_utf8_lossy(&std::fs::read(format!("{PAGES}{name}")).expect("sample page")).into_owned()
}

#[test]
fn taken_down_articles_are_marked_with_the_notice_and_keep_their_text() {
    let (deleted, violation, normal) =
        (page("deleted-by-author-01.html"), page("violation-01.html"), page("article-01.html"));
    let (base, _) = serve(move |path, _| match path {
        "/s/a" => (200, None, deleted.clone()),
        "/s/b" => (200, None, violation.clone()),
        "/s/c" => (404, None, String::new()),
        "/s/d" => (200, None, normal.clone()),
        _ => (200, None, "<html><body>环境异常，完成验证后即可继续访问</body></html>".into()),
    });
    let port = base.rsplit(':').next().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut store = store(dir.path());
    {
        let mut w = store.writer().unwrap();
        for (k, id) in ["a", "b", "c", "d", "e"].iter().enumerate() {
            let mut a = Article::new(
                "gh_a",
                format!("http://mp.weixin.qq.com:{port}/s/{id}"),
                format!("文章{id}"),
                format!("2025-10-1{k}T09:00:00+08:00").parse().unwrap(),
            );
            a.content = Some(format!("文章{id}删除前的正文"));
            w.upsert_article(PreparedArticle::new(a)).unwrap();
        }
        // Published before the recheck window: not fetched.
        let old = Article::new(
            "gh_a",
            format!("http://mp.weixin.qq.com:{port}/s/old"),
            "旧文",
            "2025-09-01T09:00:00+08:00".parse().unwrap(),
        );
        w.upsert_article(PreparedArticle::new(old)).unwrap();
        w.commit().unwrap();
    }
    let config = FetchConfig {
        allow_private: true,
        resolve: BTreeMap::from([("mp.weixin.qq.com".to_owned(), "127.0.0.1".parse().unwrap())]),
        retries: 0,
        delay: std::time::Duration::ZERO,
        ..FetchConfig::default()
    };
    let now: DateTime<Utc> = "2025-10-20T00:00:00Z".parse().unwrap();
    let since = "2025-10-01T00:00:00+08:00".parse().unwrap();
    let r = recheck_articles(&mut store, config.clone(), since, now).unwrap();
    assert_eq!(r.checked, 5);
    let gone: Vec<(&str, &str)> = r.deleted.iter().map(|d| (d.title.as_str(), d.reason.as_str())).collect();
    assert_eq!(gone.len(), 3, "{r:?}");
    assert_eq!(gone[0].0, "文章a");
    assert!(gone[1].1.contains("违规") || gone[1].1.contains("违反"), "{gone:?}");
    assert_eq!(gone[2], ("文章c", "原链接返回 HTTP 404"));
    assert_eq!(r.undecided.len(), 1, "{r:?}");
    let stored = store.snapshot().unwrap().articles(&Default::default()).unwrap();
    let a = stored.iter().find(|a| a.title == "文章a").unwrap();
    assert_eq!(a.deleted, Some(true));
    assert_eq!(a.content.as_deref(), Some("文章a删除前的正文"));
    assert_eq!(a.extra["deleted_detected_at"], now.to_rfc3339());
    assert!(stored.iter().filter(|a| a.deleted == Some(true)).count() == 3);
    // A second recheck fetches only what is not yet known deleted.
    assert_eq!(recheck_articles(&mut store, config, since, now).unwrap().checked, 2);
}

//! The client's endpoints one by one against the fake Open API: the shared token cache, the
//! daily budget, range splitting, comment paging, `menu/get` without an API menu, getarticle.

mod common;

use std::sync::Arc;

use chrono::Utc;
use common::*;
use govmedia_wechat::{CachedToken, MemoryTokenCache, MenuSource, Secret, TokenCache, WechatError};
use serde_json::json;

#[tokio::test]
async fn one_token_per_account_is_shared_through_the_cache_and_renewed_ahead_of_expiry() {
    let server = FakeServer::start(healthy);
    let cache = Arc::new(MemoryTokenCache::default());
    // Two clients (as two processes would) sharing one cache.
    let (a, b) = (client_with(&server, cache.clone(), |_| {}), client_with(&server, cache.clone(), |_| {}));
    assert_eq!(a.access_token(&creds()).await.unwrap().expose(), "1234567890");
    assert_eq!(b.access_token(&creds()).await.unwrap().expose(), "1234567890");
    assert_eq!(server.calls("/stable_token").len(), 1);
    let cached = cache.get(APPID).unwrap();
    assert!((cached.expires_at - Utc::now().timestamp() - 7200).abs() <= 2);

    // Two minutes left is inside the three-minute margin: a new token is fetched first.
    cache.put(
        APPID,
        &CachedToken { access_token: Secret::new("OLD"), expires_at: Utc::now().timestamp() + 120 },
    );
    a.current_selfmenu(&creds(), ACCOUNT).await.unwrap();
    assert_eq!(server.calls("/stable_token").len(), 2);
    assert_eq!(server.calls("/get_current_selfmenu_info")[0].token.as_deref(), Some("1234567890"));
}

#[tokio::test]
async fn the_daily_budget_refuses_calls_beyond_it() {
    let server = FakeServer::start(healthy);
    let c = client_with(&server, Arc::new(MemoryTokenCache::default()), |cfg| cfg.daily_budget = 3);
    c.current_selfmenu(&creds(), ACCOUNT).await.unwrap();
    c.menu_get(&creds(), ACCOUNT).await.unwrap();
    let e = c.menu_get(&creds(), ACCOUNT).await.unwrap_err();
    assert_eq!(e, WechatError::BudgetExhausted { budget: 3 });
    assert!(e.stops_account() && e.to_string().contains("今日停止采集"));
    assert_eq!(server.seen().len(), 3, "the token request counts; the refused call is not sent");
}

#[tokio::test]
async fn datacube_ranges_are_split_to_each_endpoints_span() {
    let server = FakeServer::start(healthy);
    let c = client(&server);
    let days = c.user_summary(&creds(), date("2023-11-01"), date("2023-11-16")).await.unwrap();
    assert_eq!(days.len(), 16);
    let spans: Vec<_> = server.calls("/getusersummary").iter().map(|s| s.body.clone()).collect();
    assert_eq!(
        spans,
        vec![
            json!({"begin_date": "2023-11-01", "end_date": "2023-11-07"}),
            json!({"begin_date": "2023-11-08", "end_date": "2023-11-14"}),
            json!({"begin_date": "2023-11-15", "end_date": "2023-11-16"}),
        ]
    );
    let articles = c.article_total_detail(&creds(), date("2023-11-04"), date("2023-11-06")).await.unwrap();
    assert_eq!(server.calls("/getarticletotaldetail").len(), 3);
    assert_eq!(articles.len(), 2);
    let counters = articles[0].counters.as_ref().unwrap();
    assert_eq!(
        (counters.stat_date, counters.read_user, counters.comment_count),
        (date("2023-11-06"), Some(412), Some(2))
    );
    let biz = c.biz_summary(&creds(), date("2023-11-01"), date("2023-12-15")).await.unwrap();
    assert_eq!((biz.len(), server.calls("/getbizsummary").len()), (45, 2));
}

#[tokio::test]
async fn comments_are_read_page_by_page() {
    let server = FakeServer::start(|s| {
        if s.path != "/cgi-bin/comment/list" {
            return healthy(s);
        }
        let begin = s.body["begin"].as_u64().unwrap();
        let page: Vec<_> = (begin..(begin + 49).min(60))
            .map(|i| json!({"user_comment_id": i, "create_time": 1_699_160_000 + i, "content": format!("留言{i}"), "comment_type": 0}))
            .collect();
        Reply::json(&json!({"errcode": 0, "errmsg": "ok", "total": 60, "comment": page}))
    });
    let list = client(&server).comments(&creds(), 2_247_483_651, 1).await.unwrap();
    assert_eq!((list.comments.len(), list.total, list.unreadable), (60, 60, 0));
    let begins: Vec<_> = server
        .calls("/comment/list")
        .iter()
        .map(|s| (s.body["begin"].clone(), s.body["index"].clone()))
        .collect();
    assert_eq!(begins, vec![(json!(0), json!(1)), (json!(49), json!(1))]);
}

#[tokio::test]
async fn menu_get_without_an_api_menu_is_an_empty_menu() {
    let server = FakeServer::start(|s| match s.path.as_str() {
        "/cgi-bin/menu/get" => Reply::error(46003, "menu no exist rid: 6553f1a2-3"),
        _ => healthy(s),
    });
    let m = client(&server).menu_get(&creds(), ACCOUNT).await.unwrap();
    assert_eq!(m.source, MenuSource::MenuGet);
    assert_eq!(m.snapshot.menu, json!({"errcode": 46003, "errmsg": "menu no exist rid: 6553f1a2-3"}));
    assert!(m.snapshot.parse().unwrap().is_empty());
}

#[tokio::test]
async fn getarticle_returns_the_articles_of_a_publication() {
    // getarticle answers `news_item` as batchget's `content` does (official documentation).
    let batch = fixture_json("real-responses/freepublish_batchget.zibuyu2015831.TRANSCRIBED.json");
    let answer = json!({"news_item": batch["item"][0]["content"]["news_item"]});
    let server = FakeServer::start(move |s| match s.path.as_str() {
        "/cgi-bin/freepublish/getarticle" => Reply::json(&answer),
        _ => healthy(s),
    });
    let id = "lcl7QHZYV7f-btPXGE2ieW_AKN8TfmSoMBBGMFaLG6oXqviK2jh1BgXylmTBqmLr";
    let news = client(&server).freepublish_article(&creds(), id).await.unwrap();
    assert_eq!(news.len(), 1);
    assert_eq!(
        (news[0].title.as_deref(), news[0].need_open_comment, news[0].is_deleted),
        (Some("一篇测试图文"), Some(false), false)
    );
    assert_eq!(server.calls("/getarticle")[0].body, json!({"article_id": id}));
}

//! `sync_account` against the fake Open API: a normal run, a token expiring mid-run, the daily
//! quota, the IP allow-list, a missing permission, a mangled body, and no secret in any output.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::*;
use govmedia_model::{Menu, Reads};
use govmedia_wechat::{MemoryTokenCache, MenuSource, NotCollected, WechatError, sync_account};
use serde_json::{Value, json};

#[tokio::test]
async fn a_normal_sync_merges_both_sources_with_counters_comments_and_figures() {
    let server = FakeServer::start(healthy);
    let r = sync_account(&client(&server), &creds(), ACCOUNT, date("2023-11-01"), date("2023-11-07")).await;
    assert_eq!(r.not_collected, vec![], "{:#?}", r.not_collected);
    assert_eq!(r.stopped, None);

    // Menus from both endpoints, as returned.
    let sources: Vec<_> = r.menus.iter().map(|m| m.source).collect();
    assert_eq!(sources, vec![MenuSource::GetCurrentSelfmenuInfo, MenuSource::MenuGet]);
    assert_eq!(r.menus[0].snapshot.menu, fixture_json("wechatpy/get_current_selfmenu_info.json"));
    let menu: Menu = r.menus[0].snapshot.parse().unwrap();
    assert_eq!(menu.buttons.len(), 3);
    assert_eq!(r.menus[1].snapshot.account, ACCOUNT);

    // The published article, with datacube's counters; the mass-sent one from datacube alone.
    assert_eq!(r.articles.len(), 2);
    let fp = r.articles.iter().find(|a| a.url == FP_URL).unwrap();
    assert_eq!((fp.title.as_str(), fp.author.as_deref()), ("一篇测试图文", Some("子不语")));
    assert_eq!(fp.digest.as_deref(), Some("这是一篇来自python程序的测试图文"));
    assert!(fp.content_html.as_deref().unwrap().starts_with("this is a test news!"));
    assert_eq!(fp.published_at.to_rfc3339(), "2023-11-05T11:27:01+08:00");
    assert_eq!(fp.position, Some(1));
    assert_eq!(
        (fp.reads, fp.likes, fp.wows, fp.shares, fp.favorites),
        (Some(Reads::exact(412)), Some(12), Some(3), Some(7), Some(5))
    );
    assert_eq!(fp.extra["source"], "freepublish+datacube");
    assert_eq!(
        fp.extra["sources"],
        json!({
            "url": "freepublish", "published_at": "freepublish", "position": "freepublish", "title": "freepublish",
            "author": "freepublish", "digest": "freepublish", "content_html": "freepublish",
            "reads": "datacube", "likes": "datacube", "wows": "datacube", "shares": "datacube", "favorites": "datacube",
            "comments": "comment"
        })
    );
    assert_eq!(
        fp.extra["freepublish"]["article_id"],
        "lcl7QHZYV7f-btPXGE2ieW_AKN8TfmSoMBBGMFaLG6oXqviK2jh1BgXylmTBqmLr"
    );
    assert_eq!(fp.extra["datacube"]["detail"]["stat_date"], "2023-11-06");
    let mass = r.articles.iter().find(|a| a.url == MASS_URL).unwrap();
    assert_eq!((mass.title.as_str(), mass.content_html.as_deref()), ("关于做好冬季供暖工作的通知", None));
    assert_eq!(mass.published_at.to_rfc3339(), "2023-11-05T00:00:00+08:00");
    assert_eq!((mass.reads, mass.extra["source"].as_str()), (Some(Reads::exact(1520)), Some("datacube")));

    // Comments, with the reply and the featured flag; nobody's openid is kept.
    assert_eq!((fp.comments_collected, mass.comments_collected), (Some(true), Some(true)));
    assert_eq!(fp.comments.len(), 2);
    assert_eq!(fp.comments[0].text, "请问供暖何时开始？");
    assert_eq!(fp.comments[0].featured, Some(true));
    assert_eq!(fp.comments[0].reply.as_ref().unwrap().text, "11月15日起供暖。");
    assert!(!serde_json::to_string(&r).unwrap().contains("OPENID"));
    let asked: Vec<_> = server.calls("/comment/list").into_iter().map(|s| s.body).collect();
    assert_eq!(asked.len(), 2);
    assert!(asked.contains(
        &json!({"msg_data_id": 2_247_483_651_u64, "index": 0, "begin": 0, "count": 49, "type": 0})
    ));

    // Daily figures, one entry per day, ranges split by each endpoint's span.
    assert_eq!(r.daily.len(), 7);
    assert_eq!(r.daily[0].cumulate_user, Some(1_217_056));
    assert_eq!((r.daily[3].new_user, r.daily[3].cancel_user), (Some(0), Some(0)));
    assert_eq!(r.daily[0].read_user, Some(1932));
    assert_eq!(server.calls("/getarticletotaldetail").len(), 7);
    for endpoint in ["/getusersummary", "/getusercumulate", "/getbizsummary"] {
        let calls = server.calls(endpoint);
        assert_eq!(calls.len(), 1, "{endpoint}");
        assert_eq!(calls[0].body, json!({"begin_date": "2023-11-01", "end_date": "2023-11-07"}));
    }
    assert!(server.calls("/getarticlesummary").is_empty());
    assert_eq!(
        r.collected.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>(),
        vec![
            ("articles", 2),
            ("comments", 2),
            ("datacube", 2),
            ("days", 7),
            ("freepublish", 1),
            ("menus", 2)
        ]
    );

    // One token for the whole run, sent with every call; the secret only to stable_token.
    let token_calls = server.calls("/stable_token");
    assert_eq!(token_calls.len(), 1);
    assert_eq!(
        token_calls[0].body,
        json!({"grant_type": "client_credential", "appid": APPID, "secret": SECRET, "force_refresh": false})
    );
    assert!(
        server
            .seen()
            .iter()
            .filter(|s| !s.path.ends_with("/stable_token"))
            .all(|s| s.token.as_deref() == Some("1234567890"))
    );
    let menu_calls = server.calls("/get_current_selfmenu_info");
    assert_eq!(menu_calls[0].method, "GET");
}

#[tokio::test]
async fn a_token_expiring_mid_run_is_refreshed_exactly_once() {
    let issued = Arc::new(AtomicUsize::new(0));
    let counter = issued.clone();
    let server = FakeServer::start(move |s| {
        if s.path == "/cgi-bin/stable_token" {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            return Reply::json(&json!({"access_token": format!("TOKEN-{n}"), "expires_in": 7200}));
        }
        // The first token expires after the menus.
        if s.token.as_deref() == Some("TOKEN-0") && s.n > 2 {
            return Reply::error(42001, "access_token expired rid: 6553f1a2-0c1d2e3f");
        }
        healthy(s)
    });
    let r = sync_account(&client(&server), &creds(), ACCOUNT, date("2023-11-01"), date("2023-11-07")).await;
    assert_eq!(r.not_collected, vec![], "{:#?}", r.not_collected);
    assert_eq!(r.articles.len(), 2);
    let token_calls = server.calls("/stable_token");
    assert_eq!(token_calls.len(), 2, "one initial token, one refresh");
    assert_eq!(token_calls[1].body["force_refresh"], false);
    let seen = server.seen();
    let rejected = seen.iter().position(|s| s.token.as_deref() == Some("TOKEN-0") && s.n > 2).unwrap();
    // The rejected call, the refresh, then the same call again with the new token.
    assert_eq!(seen[rejected + 1].path, "/cgi-bin/stable_token");
    assert_eq!(
        (seen[rejected + 2].path.as_str(), seen[rejected + 2].token.as_deref()),
        (seen[rejected].path.as_str(), Some("TOKEN-1"))
    );
    assert!(
        seen[rejected + 2..]
            .iter()
            .filter(|s| s.token.is_some())
            .all(|s| s.token.as_deref() == Some("TOKEN-1"))
    );
}

#[tokio::test]
async fn a_token_rejected_twice_stops_the_account() {
    let server = FakeServer::start(|s| match s.path.as_str() {
        "/cgi-bin/stable_token" => Reply::fixture("wechatpy/token.json"),
        _ => Reply::error(40001, "invalid credential, access_token is invalid or not latest"),
    });
    let r = sync_account(&client(&server), &creds(), ACCOUNT, date("2023-11-01"), date("2023-11-07")).await;
    // Normal mode gave the rejected token back, so the refresh forced a new one: two refreshes
    // for the one retry, then the retry was rejected and the account stopped.
    let token_calls = server.calls("/stable_token");
    assert_eq!(
        token_calls.iter().map(|s| s.body["force_refresh"].as_bool().unwrap()).collect::<Vec<_>>(),
        vec![false, false, true]
    );
    assert_eq!(server.calls("/get_current_selfmenu_info").len(), 2);
    assert!(r.stopped.as_deref().unwrap().contains("刷新后重试仍被拒绝"), "{r:#?}");
    assert!(r.articles.is_empty() && r.menus.is_empty());
    assert_eq!(server.seen().len(), 5, "nothing called after the stop");
}

#[tokio::test]
async fn the_daily_quota_stops_the_account_for_the_day() {
    let server = FakeServer::start(|s| match s.path.as_str() {
        "/cgi-bin/freepublish/batchget" => {
            Reply::error(45009, "reach max api daily quota limit rid: 6553f1a2-1")
        }
        _ => healthy(s),
    });
    let r = sync_account(&client(&server), &creds(), ACCOUNT, date("2023-11-01"), date("2023-11-07")).await;
    let why = r.stopped.clone().unwrap();
    assert_eq!(
        why,
        "微信接口 cgi-bin/freepublish/batchget 今日调用次数已达平台上限（45009）：今日停止采集该账号，明日再试"
    );
    assert_eq!(r.menus.len(), 2, "what came before the stop is kept");
    let items: Vec<&str> = r.not_collected.iter().map(|n| n.item.as_str()).collect();
    assert_eq!(
        items,
        [
            "articles.freepublish",
            "articles.datacube",
            "comments",
            "figures.user_summary",
            "figures.user_cumulate",
            "figures.biz_summary"
        ]
    );
    assert!(r.not_collected[1..].iter().all(|n| n.reason == format!("未采集：本账号已停止采集（{why}）")));
    assert_eq!(
        server.seen().last().unwrap().path,
        "/cgi-bin/freepublish/batchget",
        "nothing called after the stop"
    );
}

#[tokio::test]
async fn an_ip_outside_the_allow_list_is_named() {
    let msg = "invalid ip 1.2.3.4 ipv6 ::ffff:1.2.3.4, not in whitelist rid: 6553f1a2-2b3c4d5e";
    let server = FakeServer::start(move |_| Reply::error(40164, msg));
    let c = client(&server);
    let e = c.access_token(&creds()).await.unwrap_err();
    assert!(matches!(&e, WechatError::IpNotAllowed { ip: Some(ip), .. } if ip == "1.2.3.4"), "{e:?}");
    let r = sync_account(&c, &creds(), ACCOUNT, date("2023-11-01"), date("2023-11-07")).await;
    let why = r.stopped.unwrap();
    assert!(
        why.contains("出口 IP 1.2.3.4 不在该公众号的 IP 白名单中（40164）") && why.contains("加入 1.2.3.4"),
        "{why}"
    );
    assert_eq!(r.not_collected[0], NotCollected { item: "menu.selfmenu".into(), reason: why.clone() });
    assert_eq!(r.not_collected.len(), 8);
    assert!(r.articles.is_empty() && r.daily.is_empty());
    assert_eq!(server.seen().len(), 2, "one token request per attempt, nothing after");
}

#[tokio::test]
async fn an_unauthorized_freepublish_is_not_evaluated_with_the_reason() {
    let server = FakeServer::start(|s| match s.path.as_str() {
        "/cgi-bin/freepublish/batchget" => {
            Reply::fixture("real-responses/freepublish_batchget_48001_api_unauthorized.xianyu564.json")
        }
        _ => healthy(s),
    });
    let r = sync_account(&client(&server), &creds(), ACCOUNT, date("2023-11-01"), date("2023-11-07")).await;
    assert_eq!(
        r.not_collected,
        vec![NotCollected {
            item: "articles.freepublish".into(),
            reason: "未评估：该公众号未获得 freepublish 接口权限（48001）".into()
        }]
    );
    assert_eq!(r.stopped, None, "a missing permission does not stop the account");
    // Datacube still lists both articles, without bodies.
    assert_eq!(r.articles.len(), 2);
    assert!(r.articles.iter().all(|a| a.extra["source"] == "datacube" && a.content_html.is_none()));
    assert_eq!(r.articles.iter().find(|a| a.url == FP_URL).unwrap().comments.len(), 2);
    assert_eq!(r.daily.len(), 7);
}

#[tokio::test]
async fn a_body_whose_utf8_was_read_as_latin1_is_repaired() {
    let text = fixture("real-responses/freepublish_batchget.zibuyu2015831.TRANSCRIBED.json");
    let mangled: String = text.bytes().map(char::from).collect();
    assert!(mangled.contains("\u{e4}\u{b8}\u{80}\u{e7}\u{af}\u{87}") && !mangled.contains("一篇"));
    let server = FakeServer::start(move |s| match s.path.as_str() {
        "/cgi-bin/freepublish/batchget" => Reply::Body(mangled.clone().into_bytes()),
        _ => healthy(s),
    });
    let page = client(&server).freepublish_page(&creds(), 0, 20, false).await.unwrap();
    let item = &page.items[0].news[0];
    assert_eq!(item.title.as_deref(), Some("一篇测试图文"));
    assert_eq!(item.author.as_deref(), Some("子不语"));
    assert_eq!(item.digest.as_deref(), Some("这是一篇来自python程序的测试图文"));
    assert!(item.content.as_deref().unwrap().starts_with("this is a test news!"));
    assert_eq!(item.url.as_deref(), Some(FP_URL));
}

#[tokio::test]
async fn the_secret_and_the_token_are_never_printed() {
    const TOKEN: &str = "ACCESS-TOKEN-MUST-NEVER-BE-PRINTED";
    let server = FakeServer::start(|s| match s.path.as_str() {
        "/cgi-bin/stable_token" => Reply::json(&json!({"access_token": TOKEN, "expires_in": 7200})),
        "/cgi-bin/menu/get" => Reply::Hangup,
        "/cgi-bin/comment/list" => Reply::error(40001, "invalid credential"),
        _ => healthy(s),
    });
    let cache = Arc::new(MemoryTokenCache::default());
    let c = client_with(&server, cache.clone(), |_| {});
    let r = sync_account(&c, &creds(), ACCOUNT, date("2023-11-01"), date("2023-11-07")).await;
    // The failures carry no URL (which holds the token) and no secret.
    assert!(
        r.not_collected
            .iter()
            .any(|n| n.item == "menu.get" && n.reason.contains("请求微信接口 cgi-bin/menu/get 失败"))
    );
    assert!(r.stopped.as_deref().unwrap().contains("刷新后重试仍被拒绝"));
    let outputs = [
        format!("{r:?}"),
        format!("{r:#?}"),
        serde_json::to_string(&r).unwrap(),
        format!("{:?}", creds()),
        format!("{cache:?}"),
        format!("{:?}", c.access_token(&creds()).await.unwrap()),
        format!("{:?}", c.config()),
    ];
    for out in &outputs {
        assert!(!out.contains(SECRET) && !out.contains(TOKEN), "{out}");
    }
    let e = c.menu_get(&creds(), ACCOUNT).await.unwrap_err();
    for out in [e.to_string(), format!("{e:?}")] {
        assert!(!out.contains(TOKEN) && !out.contains("access_token="), "{out}");
    }
    // Sanity: the values did go where they belong.
    assert_eq!(server.calls("/stable_token")[0].body["secret"], SECRET);
    assert!(server.calls("/get_current_selfmenu_info")[0].token.as_deref() == Some(TOKEN));
    let _: Value = serde_json::to_value(&r).unwrap();
}

#[tokio::test]
async fn datacube_is_asked_up_to_yesterday_and_the_days_after_are_reported() {
    let server = FakeServer::start(healthy);
    let today = govmedia_model::time::local_date(&chrono::Utc::now().fixed_offset());
    let r = sync_account(&client(&server), &creds(), ACCOUNT, today - chrono::Days::new(2), today).await;
    let gap = r.not_collected.iter().find(|n| n.item == "datacube").unwrap();
    assert!(gap.reason.contains(&format!("{today} 至 {today} 的阅读等计数与粉丝数据尚未产生")), "{gap:?}");
    assert_eq!(r.daily.len(), 2);
    let today = today.to_string();
    assert!(server.seen().iter().filter_map(|s| s.body["end_date"].as_str()).all(|d| d < today.as_str()));
    assert_eq!(r.collected["freepublish"], 0, "the recorded article is from 2023");
}

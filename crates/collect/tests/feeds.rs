//! Collector feeds against a fake collector on loopback: conditional GET, politeness per host,
//! incremental import into a real SQLite store, and a collector that lost its login.

mod common;

use std::time::Duration;

use chrono::{DateTime, Utc};
use common::{serve, store};
use govmedia_collect::{CollectorHealth, FeedCollector, FeedOutcome, FeedSource, collector_health};
use govmedia_store_api::Store;

fn atom(title: &str, entries: &[(&str, &str)]) -> String {
    let items: String = entries
        .iter()
        .map(|(id, at)| {
            format!("<entry><title>{title}{id}</title><link href=\"https://mp.weixin.qq.com/s/{id}\"/><id>{id}</id><updated>{at}</updated></entry>")
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>{title}</title>{items}</feed>"
    )
}

#[test]
fn unchanged_feeds_cost_a_304_and_changed_ones_import_once() {
    let (base, seen) = serve(|path, inm| {
        match path {
        "/feeds/a.atom" if inm == Some("\"v1\"") => (304, None, String::new()),
        "/feeds/a.atom" => {
            (200, Some("\"v1\"".into()), atom("甲", &[("a1", "2025-10-18T08:00:00+08:00"), ("a2", "2025-10-19T09:00:00+08:00")]))
        }
        // A JSON Feed without validators: fetched whole every time, imported without duplicates.
        "/feeds/b.json" => (
            200,
            None,
            r#"{"version":"https://jsonfeed.org/version/1.1","title":"乙","items":[{"id":"b1","url":"https://mp.weixin.qq.com/s/b1","title":"乙一","date_published":"2025-10-19T10:00:00+08:00"}]}"#.into(),
        ),
        _ => (404, None, String::new()),
    }
    });
    let dir = tempfile::tempdir().unwrap();
    let mut store = store(dir.path());
    let sources = vec![
        FeedSource { url: format!("{base}/feeds/a.atom"), account: "gh_a".into(), collector: None },
        FeedSource { url: format!("{base}/feeds/b.json"), account: "gh_b".into(), collector: None },
    ];
    let collector = FeedCollector::new(Duration::from_secs(10), Duration::from_millis(300)).unwrap();
    let now: DateTime<Utc> = "2025-10-20T00:00:00Z".parse().unwrap();

    let first = collector.collect(&mut store, &sources, now).unwrap();
    assert_eq!(first[0].outcome, FeedOutcome::Imported { articles: 2 });
    assert_eq!(first[1].outcome, FeedOutcome::Imported { articles: 1 });
    assert_eq!(first[0].state.etag.as_deref(), Some("\"v1\""));
    let second = collector.collect(&mut store, &sources, now).unwrap();
    assert_eq!(second[0].outcome, FeedOutcome::NotModified);
    assert_eq!(second[1].outcome, FeedOutcome::Imported { articles: 1 });
    // The validators were sent, and one host's requests were spaced by the politeness interval.
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 4);
    assert_eq!(seen.iter().filter(|s| s.if_none_match.as_deref() == Some("\"v1\"")).count(), 1);
    for pair in seen.windows(2) {
        assert!(pair[1].at.duration_since(pair[0].at) >= Duration::from_millis(250), "{seen:?}");
    }
    assert!(seen.iter().all(|s| s.path.starts_with("/feeds/")));
    let articles = store.snapshot().unwrap().articles(&Default::default()).unwrap();
    assert_eq!(articles.len(), 3);
    assert!(articles.iter().all(|a| a.comments_collected == Some(false)));

    // Both feeds quiet since the 19th: on the 25th the collector, not its accounts, is lost.
    let states = FeedCollector::states(&store, &sources).unwrap();
    let later: DateTime<Utc> = "2025-10-25T00:00:00Z".parse().unwrap();
    let health = collector_health(&sources, &states, later, chrono::Duration::days(3));
    let (name, h) = health.iter().next().unwrap();
    assert!(name.starts_with("127.0.0.1:"));
    assert!(h.is_lost(), "{h:?}");
    assert_eq!(
        collector_health(&sources, &states, now, chrono::Duration::days(3))[name],
        CollectorHealth::Healthy
    );
}

#[test]
fn a_refusing_collector_is_lost_and_a_broken_feed_names_its_line() {
    let (base, _) = serve(|path, _| match path {
        "/bad.atom" => {
            (200, None, "<?xml version=\"1.0\"?><feed><entry><title>t</title></entry></feed>".into())
        }
        _ => (401, None, String::new()),
    });
    let dir = tempfile::tempdir().unwrap();
    let mut store = store(dir.path());
    let sources = vec![
        FeedSource {
            url: format!("{base}/a.atom"),
            account: "gh_a".into(),
            collector: Some("wewe-rss".into()),
        },
        FeedSource {
            url: format!("{base}/b.atom"),
            account: "gh_b".into(),
            collector: Some("wewe-rss".into()),
        },
    ];
    let collector = FeedCollector::new(Duration::from_secs(10), Duration::ZERO).unwrap();
    let now: DateTime<Utc> = "2025-10-20T00:00:00Z".parse().unwrap();
    let reports = collector.collect(&mut store, &sources, now).unwrap();
    assert!(matches!(&reports[0].outcome, FeedOutcome::Failed(r) if r.contains("HTTP 401")));
    let health = collector_health(
        &sources,
        &FeedCollector::states(&store, &sources).unwrap(),
        now,
        chrono::Duration::days(3),
    );
    assert!(health["wewe-rss"].is_lost());

    let bad = vec![FeedSource { url: format!("{base}/bad.atom"), account: "gh_a".into(), collector: None }];
    let reports = collector.collect(&mut store, &bad, now).unwrap();
    let FeedOutcome::Failed(reason) = &reports[0].outcome else { panic!("{reports:?}") };
    assert!(reason.contains("/bad.atom:1") && reason.contains("link"), "{reason}");
    assert!(store.snapshot().unwrap().articles(&Default::default()).unwrap().is_empty());
}

//! Collector feeds against a fake collector on loopback: conditional GET, politeness per host,
//! incremental import into a real SQLite store, and a collector that lost its login.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use govmedia_collect::{CollectorHealth, FeedCollector, FeedOutcome, FeedSource, collector_health};
use govmedia_model::{Account, Level};
use govmedia_store_api::Store;
use govmedia_store_sqlite::SqliteStore;

/// A request as the fake collector saw it.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    if_none_match: Option<String>,
    at: Instant,
}

/// A fake collector: `answer(path, if_none_match)` gives (status, etag, body); every request
/// is recorded. One request per connection (`Connection: close`).
fn serve(
    answer: impl Fn(&str, Option<&str>) -> (u16, Option<String>, String) + Send + 'static,
) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
            let mut if_none_match = None;
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap() == 0 || h == "\r\n" {
                    break;
                }
                if let Some((k, v)) = h.split_once(':')
                    && k.eq_ignore_ascii_case("if-none-match")
                {
                    if_none_match = Some(v.trim().to_owned());
                }
            }
            log.lock().unwrap().push(Seen {
                path: path.clone(),
                if_none_match: if_none_match.clone(),
                at: Instant::now(),
            });
            let (status, etag, body) = answer(&path, if_none_match.as_deref());
            let etag = etag.map(|e| format!("ETag: {e}\r\n")).unwrap_or_default();
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\n{etag}Connection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (base, seen)
}

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

fn store(dir: &std::path::Path) -> SqliteStore {
    let mut s = SqliteStore::open(&dir.join("govmedia.db")).unwrap();
    let mut w = s.writer().unwrap();
    for id in ["gh_a", "gh_b"] {
        w.upsert_account(&Account::new(id, format!("{id}发布"), "某市人民政府办公室", Level::Prefecture))
            .unwrap();
    }
    w.commit().unwrap();
    s
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

//! Delivery on a manual clock: rate limits, digests, retries with back-off, giving up, and a
//! restarted sender keeping to the limit.

mod common;

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use common::{FakeHttp, Seen, account, broken_link, day, ok_errcode, results};
use govmedia_notify::{
    AlertStore, Clock, Dispatcher, ManualClock, Observation, Routing, Rules, SqliteAlertStore, detect,
};

fn start() -> DateTime<Utc> {
    Utc.from_utc_datetime(&day(0).and_hms_opt(1, 0, 0).unwrap())
}

fn far() -> DateTime<Utc> {
    start() + chrono::Duration::days(365)
}

/// `n` broken links in `n` accounts of 广东, detected now: `n` outbox rows per sink.
fn raise(store: &mut SqliteAlertStore, routing: &Routing, n: usize, now: DateTime<Utc>) {
    let accounts = (0..n)
        .map(|i| {
            account(
                &format!("gh_{i:02}"),
                &format!("测试{i:02}市人民政府"),
                "440100",
                vec![broken_link("https://x")],
            )
        })
        .collect();
    let mut obs = Observation::new();
    obs.add_results(&results(day(0), accounts), &Rules::defaults());
    assert_eq!(detect(store, &Rules::defaults(), routing, &obs, now).unwrap().len(), n);
}

/// The DingTalk timestamps (the manual clock at each send) of what the fake received.
fn send_times(seen: &[Seen]) -> Vec<i64> {
    seen.iter().map(|s| s.query("timestamp").unwrap().parse().unwrap()).collect()
}

fn max_in_any_minute(times: &[i64]) -> usize {
    times.iter().map(|t| times.iter().filter(|u| (*t..*t + 60_000).contains(*u)).count()).max().unwrap_or(0)
}

fn dingtalk(fake: &FakeHttp, extra: &str) -> Routing {
    let toml = format!(
        "[[sink]]\nid = \"ding\"\nkind = \"dingtalk\"\nurl = \"{}/robot/send?access_token=t\"\nsecret = \"SECx\"\n{extra}",
        fake.base
    );
    Routing::parse(&toml, "sinks.toml", &|_| None).unwrap()
}

#[tokio::test]
async fn fifty_alerts_to_a_20_per_minute_robot_spread_over_three_minutes() {
    let fake = FakeHttp::start(|_| ok_errcode());
    let routing = dingtalk(&fake, "digest_over = 0\n");
    let clock = Arc::new(ManualClock::new(start()));
    let mut store = SqliteAlertStore::open_in_memory().unwrap();
    raise(&mut store, &routing, 50, start());
    let mut dispatcher = Dispatcher::new(&routing, clock.clone()).unwrap();
    let report = dispatcher.drain(&mut store, far()).await.unwrap();
    assert_eq!((report.messages, report.delivered, report.digests), (50, 50, 0));
    let times = send_times(&fake.seen());
    assert_eq!(times.len(), 50);
    assert_eq!(max_in_any_minute(&times), 20);
    let t0 = start().timestamp_millis();
    let per_minute: Vec<usize> =
        (0..3).map(|m| times.iter().filter(|t| (*t - t0) / 60_000 == m).count()).collect();
    assert_eq!(per_minute, [20, 20, 10]);
    assert_eq!(clock.now() - start(), chrono::Duration::minutes(2));
    assert_eq!(store.counts().unwrap().sent, 50);
}

#[tokio::test]
async fn fifty_alerts_due_at_once_go_as_digests_within_the_limit() {
    let fake = FakeHttp::start(|_| ok_errcode());
    let routing = dingtalk(&fake, "");
    let clock = Arc::new(ManualClock::new(start()));
    let mut store = SqliteAlertStore::open_in_memory().unwrap();
    raise(&mut store, &routing, 50, start());
    let report = Dispatcher::new(&routing, clock.clone()).unwrap().drain(&mut store, far()).await.unwrap();
    let seen = fake.seen();
    assert_eq!(report.delivered, 50);
    assert_eq!(report.messages, seen.len());
    assert_eq!(report.digests, seen.len());
    assert!((1..=3).contains(&seen.len()), "{} digests", seen.len());
    assert!(max_in_any_minute(&send_times(&seen)) <= 20);
    let texts: Vec<String> =
        seen.iter().map(|s| s.json()["markdown"]["text"].as_str().unwrap().to_owned()).collect();
    for t in &texts {
        assert!(t.len() <= 4096);
        assert!(t.starts_with("### 监测告警汇总：同时到期50条"), "{t}");
    }
    let all = texts.concat();
    for i in 0..50 {
        assert_eq!(all.matches(&format!("测试{i:02}市人民政府（")).count(), 1, "account {i} listed once");
    }
    assert_eq!(store.counts().unwrap().sent, 50);
}

#[tokio::test]
async fn failures_are_retried_with_exponential_backoff() {
    let n = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let hits = n.clone();
    let fake = FakeHttp::start(move |_| match hits.fetch_add(1, std::sync::atomic::Ordering::SeqCst) {
        0 => (502, "bad gateway".into()),
        1 => (200, r#"{"errcode":45009,"errmsg":"api freq out of limit"}"#.into()),
        _ => ok_errcode(),
    });
    let routing = Routing::parse(
        &format!(
            "[[sink]]\nid = \"wx\"\nkind = \"wecom\"\nurl = \"{}/send?key=k\"\nbackoff_secs = 30\n",
            fake.base
        ),
        "sinks.toml",
        &|_| None,
    )
    .unwrap();
    let clock = Arc::new(ManualClock::new(start()));
    let mut store = SqliteAlertStore::open_in_memory().unwrap();
    raise(&mut store, &routing, 1, start());
    let report = Dispatcher::new(&routing, clock.clone()).unwrap().drain(&mut store, far()).await.unwrap();
    assert_eq!((report.delivered, report.retries, report.given_up), (1, 2, 0));
    assert_eq!(fake.seen().len(), 3);
    // 30 s after the first failure, 60 s after the second.
    assert_eq!(clock.now() - start(), chrono::Duration::seconds(90));
}

#[tokio::test]
async fn a_row_is_given_up_after_the_maximum_attempts() {
    let fake = FakeHttp::start(|_| (500, "down".into()));
    let routing = Routing::parse(
        &format!(
            "[[sink]]\nid = \"wx\"\nkind = \"wecom\"\nurl = \"{}/send?key=k\"\nmax_attempts = 3\n",
            fake.base
        ),
        "sinks.toml",
        &|_| None,
    )
    .unwrap();
    let clock = Arc::new(ManualClock::new(start()));
    let mut store = SqliteAlertStore::open_in_memory().unwrap();
    raise(&mut store, &routing, 1, start());
    let report = Dispatcher::new(&routing, clock.clone()).unwrap().drain(&mut store, far()).await.unwrap();
    assert_eq!((report.delivered, report.retries, report.given_up), (0, 2, 1));
    assert_eq!(fake.seen().len(), 3);
    let counts = store.counts().unwrap();
    assert_eq!((counts.pending, counts.failed), (0, 1));
}

#[tokio::test]
async fn a_restarted_sender_still_keeps_to_the_limit() {
    let fake = FakeHttp::start(|_| ok_errcode());
    let routing = dingtalk(&fake, "digest_over = 0\n");
    let clock = Arc::new(ManualClock::new(start()));
    let mut store = SqliteAlertStore::open_in_memory().unwrap();
    raise(&mut store, &routing, 20, start());
    Dispatcher::new(&routing, clock.clone()).unwrap().drain(&mut store, far()).await.unwrap();
    // Ten seconds later a new process finds five more due.
    clock.advance(std::time::Duration::from_secs(10));
    let accounts = (0..5)
        .map(|i| account(&format!("gh_new{i}"), "新账号", "440100", vec![broken_link("https://y")]))
        .collect();
    let mut obs = Observation::new();
    obs.add_results(&results(day(0), accounts), &Rules::defaults());
    detect(&mut store, &Rules::defaults(), &routing, &obs, clock.now()).unwrap();
    let report = Dispatcher::new(&routing, clock.clone()).unwrap().drain(&mut store, far()).await.unwrap();
    assert_eq!(report.delivered, 5);
    let times = send_times(&fake.seen());
    assert_eq!(max_in_any_minute(&times), 20);
    assert_eq!(*times.last().unwrap() - start().timestamp_millis(), 60_000);
}

#[test]
fn delivery_can_run_on_a_spawned_task() {
    fn spawnable<T: Send>(_: &T) {}
    let clock = Arc::new(ManualClock::new(start()));
    let mut dispatcher = Dispatcher::new(&Routing::default(), clock).unwrap();
    let mut store = SqliteAlertStore::open_in_memory().unwrap();
    spawnable(&dispatcher.drain(&mut store, far()));
}

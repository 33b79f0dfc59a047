//! Sixty days of monitoring on a manual clock: accounts going silent, links breaking and
//! recovering, comments piling up, a collector losing its login on day 20. The alerts
//! delivered are exactly the expected state changes, none missing, none twice, although the
//! process is killed three times between detection and delivery and restarted from the
//! database file.

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, TimeZone, Utc};
use common::{FakeHttp, Seen, account, broken_link, day, ok_errcode, results, silence, unanswered};
use govmedia_model::Finding;
use govmedia_notify::{
    Alert, AlertStore, Change, Clock, Dispatcher, LoginLost, ManualClock, Observation, PgAlertStore, Routing,
    Rules, SourceStatus, SqliteAlertStore, Subject, detect,
};
use hmac::{Hmac, Mac};
use sha2::Sha256;

const URL1: &str = "https://sz.gov.cn/bsfw/shebao";
const URL2: &str = "https://sz.gov.cn/hdjl/xinxiang";
const URL_FS: &str = "https://fs.gov.cn/zwgk";

fn at(n: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day(n).and_hms_opt(1, 0, 0).unwrap())
}

fn hmac(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).unwrap();
    m.update(msg);
    m.finalize().into_bytes().to_vec()
}

/// The evaluation of day `n`.
fn evaluation(n: u32) -> govmedia_model::results::Results {
    let mut gz: Vec<Finding> = Vec::new();
    if (5..=24).contains(&n) {
        gz = silence(day(n), i64::from(n) - 4);
    } else if (41..=52).contains(&n) {
        gz = silence(day(n), i64::from(n) - 40);
    }
    let mut sz = Vec::new();
    if (8..=17).contains(&n) || (45..=47).contains(&n) {
        sz.push(broken_link(URL1));
    }
    if n >= 30 {
        sz.push(broken_link(URL2));
    }
    let bj = if (30..=44).contains(&n) { vec![unanswered(u64::from(n) - 29)] } else { vec![] };
    let mut fs = Vec::new();
    if (10..=27).contains(&n) {
        fs.push(broken_link(URL_FS));
    }
    if lost(n) {
        // Nothing collected while the login is lost: the account looks silent.
        fs.extend(silence(day(n), i64::from(n) - 19));
    }
    results(
        day(n),
        vec![
            account("gh_gz", "广州市人民政府", "440100", gz),
            account("gh_sz", "深圳市人民政府", "440300", sz),
            account("gh_bj", "北京市人民政府", "110000", bj),
            account("gh_fs", "佛山市人民政府", "440600", fs),
        ],
    )
}

fn lost(n: u32) -> bool {
    (20..=34).contains(&n)
}

fn source(n: u32) -> SourceStatus {
    SourceStatus {
        id: "wx-1".into(),
        name: "公众号采集账号一".into(),
        accounts: vec!["gh_fs".into()],
        login_lost: lost(n)
            .then(|| LoginLost { since: at(20), detail: "登录已过期，需重新扫码".into() }),
    }
}

type Change5 = (u32, Change, &'static str, &'static str, &'static str, usize);

fn expected() -> Vec<Change5> {
    use Change::*;
    vec![
        (8, Raised, "link.broken", "gh_sz", URL1, 0),
        (10, Raised, "link.broken", "gh_fs", URL_FS, 0),
        (14, Raised, "update.silence", "gh_gz", "", 0),
        (16, Escalated, "update.silence", "gh_gz", "", 1),
        (18, Resolved, "link.broken", "gh_sz", URL1, 0),
        (19, Escalated, "update.silence", "gh_gz", "", 2),
        (20, Raised, "source.login_lost", "", "wx-1", 0),
        (25, Resolved, "update.silence", "gh_gz", "", 2),
        (30, Raised, "interaction.unanswered", "gh_bj", "", 0),
        (30, Raised, "link.broken", "gh_sz", URL2, 0),
        // The link was fixed on day 28, during the outage: seen when the source is back.
        (35, Resolved, "link.broken", "gh_fs", URL_FS, 0),
        (35, Resolved, "source.login_lost", "", "wx-1", 0),
        (39, Escalated, "interaction.unanswered", "gh_bj", "", 1),
        (45, Resolved, "interaction.unanswered", "gh_bj", "", 1),
        (45, Raised, "link.broken", "gh_sz", URL1, 0),
        (48, Resolved, "link.broken", "gh_sz", URL1, 0),
        (50, Raised, "update.silence", "gh_gz", "", 0),
        (52, Escalated, "update.silence", "gh_gz", "", 1),
        (53, Resolved, "update.silence", "gh_gz", "", 1),
    ]
}

fn tuple(a: &Alert) -> (u32, Change, String, String, String, usize) {
    let n = (a.detected_at.date_naive() - day(0)).num_days() as u32;
    (n, a.change, a.condition.rule.clone(), a.condition.account.clone(), a.condition.object.clone(), a.stage)
}

#[tokio::test]
async fn sixty_days_with_kills_between_detection_and_delivery() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("govmedia.db");
    sixty_days(&|| Box::new(SqliteAlertStore::open(&db).unwrap())).await;
}

/// The same sixty days with the state in PostgreSQL: a killed process reconnects to the server.
#[test]
fn sixty_days_with_kills_on_postgres() {
    // The throwaway database is made and dropped by the synchronous client: outside the runtime.
    let Some(db) = govmedia_store_postgres::testing::TestDb::create("alerts_sixty_days") else { return };
    let open = || -> Box<dyn AlertStore> { Box::new(PgAlertStore::connect(db.url()).unwrap()) };
    tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap().block_on(sixty_days(&open));
}

/// Sixty days with the alert state in the store `open` opens (anew after each kill).
async fn sixty_days(open_store: &dyn Fn() -> Box<dyn AlertStore>) {
    // The webhook receives everything; it checks each signature and records each alert.
    let hook_secret = "sim-hook-secret";
    let got: Arc<Mutex<Vec<Alert>>> = Arc::default();
    let sink = got.clone();
    let hook = FakeHttp::start(move |s: &Seen| {
        let ts = s.headers.get("x-govmedia-timestamp").cloned().unwrap_or_default();
        let mut msg = format!("{ts}.").into_bytes();
        msg.extend_from_slice(&s.body);
        let hex: String = hmac(hook_secret.as_bytes(), &msg).iter().map(|b| format!("{b:02x}")).collect();
        if s.headers.get("x-govmedia-signature") != Some(&format!("sha256={hex}")) {
            return (401, String::new());
        }
        let alerts: Vec<Alert> = serde_json::from_value(s.json()["alerts"].clone()).unwrap();
        sink.lock().unwrap().extend(alerts);
        (200, "{}".into())
    });
    // 广东's supervising office takes its region's major alerts on a signed 钉钉 robot.
    let ding = FakeHttp::start(|s: &Seen| {
        let ts = s.query("timestamp").unwrap_or_default();
        let expected = STANDARD.encode(hmac(b"SECgd", format!("{ts}\nSECgd").as_bytes()));
        if s.query("sign").as_deref() != Some(expected.as_str()) {
            return (200, r#"{"errcode":310000,"errmsg":"sign not match"}"#.into());
        }
        ok_errcode()
    });
    let routing = Routing::parse(
        &format!(
            "[[sink]]\nid = \"hook\"\nkind = \"webhook\"\nurl = \"{}/alerts\"\nsecret_env = \"HOOK_SECRET\"\n\n\
             [[sink]]\nid = \"gd\"\nkind = \"dingtalk\"\nurl = \"{}/robot/send?access_token=gd\"\nsecret = \"SECgd\"\n\
             regions = [\"44\"]\nmin_severity = \"major\"\n",
            hook.base, ding.base
        ),
        "sinks.toml",
        &|name| (name == "HOOK_SECRET").then(|| hook_secret.to_owned()),
    )
    .unwrap();
    let rules = Rules::defaults();
    let clock = Arc::new(ManualClock::new(at(0)));

    let open = || (open_store(), Dispatcher::new(&routing, clock.clone()).unwrap());
    let mut process = None;
    // Days whose process is killed right after detection; day 35's stays down until day 36.
    let kills = [16, 35, 45];
    for n in 0..60 {
        clock.set(at(n));
        let (store, _) = process.get_or_insert_with(open);
        let mut obs = Observation::new();
        obs.add_results(&evaluation(n), &rules);
        obs.add_source(&source(n), &rules);
        detect(&mut **store, &rules, &routing, &obs, clock.now()).unwrap();
        if kills.contains(&n) {
            // Killed: nothing in memory survives; the database file does.
            process = None;
            if n == 35 {
                continue;
            }
        }
        let (store, dispatcher) = process.get_or_insert_with(open);
        let report = dispatcher.drain(&mut **store, clock.now() + chrono::Duration::hours(1)).await.unwrap();
        assert_eq!((report.retries, report.given_up), (0, 0), "day {n}");
    }

    let got = got.lock().unwrap().clone();
    let mut keys = BTreeMap::new();
    for a in &got {
        *keys.entry(a.idempotency_key.clone()).or_insert(0) += 1;
    }
    assert!(keys.values().all(|n| *n == 1), "an alert was delivered twice: {keys:?}");
    let mut got_tuples: Vec<_> = got.iter().map(tuple).collect();
    got_tuples.sort_by(|a, b| (a.0, &a.2, &a.3, &a.4).cmp(&(b.0, &b.2, &b.3, &b.4)));
    let want: Vec<_> = expected()
        .into_iter()
        .map(|(n, c, r, a, o, s)| (n, c, r.to_owned(), a.to_owned(), o.to_owned(), s))
        .collect();
    assert_eq!(got_tuples, want);

    // The 14-day warning named the date the veto would be hit.
    let warn =
        got.iter().find(|a| a.condition.rule == "update.silence" && a.change == Change::Raised).unwrap();
    assert!(warn.details.iter().any(|d| d.label == "触发否决日期" && d.value == day(19).to_string()));

    // 广东's robot got the region's alerts of severity major or above, and no source alert.
    let gd_want = got
        .iter()
        .filter(|a| match &a.subject {
            Subject::Account { region, .. } => region.as_deref().unwrap_or("").starts_with("44"),
            Subject::Source { .. } => false,
        })
        .filter(|a| a.severity <= govmedia_model::Severity::Major)
        .count();
    assert_eq!(gd_want, 12);
    assert_eq!(ding.seen().len(), gd_want);

    let counts = open_store().counts().unwrap();
    assert_eq!((counts.pending, counts.failed, counts.sent), (0, 0, (want.len() + gd_want) as u64));
}

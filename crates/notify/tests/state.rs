//! State changes: each alert once per state change, persisted across detections.

mod common;

use chrono::{DateTime, TimeZone, Utc};
use common::{account, broken_link, day, results, silence, unanswered};
use govmedia_model::Severity;
use govmedia_model::results::NotEvaluated;
use govmedia_notify::{
    Alert, AlertStore, Change, LoginLost, Observation, Routing, Rules, SourceStatus, SqliteAlertStore, detect,
};

fn at(n: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day(n).and_hms_opt(1, 0, 0).unwrap())
}

struct Run {
    store: SqliteAlertStore,
    rules: Rules,
    routing: Routing,
}

impl Run {
    fn new() -> Self {
        Run {
            store: SqliteAlertStore::open_in_memory().unwrap(),
            rules: Rules::defaults(),
            routing: Routing::default(),
        }
    }

    fn round(&mut self, n: u32, obs: &Observation) -> Vec<Alert> {
        detect(&mut self.store, &self.rules, &self.routing, obs, at(n)).unwrap()
    }

    fn results(&mut self, n: u32, accounts: Vec<govmedia_model::results::AccountResult>) -> Vec<Alert> {
        let mut obs = Observation::new();
        obs.add_results(&results(day(n), accounts), &self.rules);
        self.round(n, &obs)
    }
}

fn kinds(alerts: &[Alert]) -> Vec<(Change, &str, usize)> {
    alerts.iter().map(|a| (a.change, a.condition.rule.as_str(), a.stage)).collect()
}

#[test]
fn raised_once_silent_while_it_persists_resolved_once() {
    let mut run = Run::new();
    let url = "https://gz.gov.cn/shebao";
    let broken = || vec![account("gh_gz", "广州市人民政府", "440100", vec![broken_link(url)])];
    let fixed = || vec![account("gh_gz", "广州市人民政府", "440100", vec![])];
    let raised = run.results(0, broken());
    assert_eq!(kinds(&raised), [(Change::Raised, "link.broken", 0)]);
    assert_eq!(raised[0].condition.object, url);
    assert_eq!(raised[0].severity, Severity::Major);
    assert!(run.results(1, broken()).is_empty());
    assert!(run.results(2, broken()).is_empty());
    let resolved = run.results(3, fixed());
    assert_eq!(kinds(&resolved), [(Change::Resolved, "link.broken", 0)]);
    assert_eq!(resolved[0].title, "链接已恢复访问");
    assert_ne!(resolved[0].idempotency_key, raised[0].idempotency_key);
    assert!(run.results(4, fixed()).is_empty());
    // Breaking again is a new state change with a new key.
    let again = run.results(5, broken());
    assert_eq!(kinds(&again), [(Change::Raised, "link.broken", 0)]);
    assert!(![&raised[0], &resolved[0]].iter().any(|a| a.idempotency_key == again[0].idempotency_key));
}

#[test]
fn silence_warns_at_day_10_escalates_at_day_12_with_the_veto_date() {
    let mut run = Run::new();
    let mut alerts = Vec::new();
    // Last article on day 0; silent until it publishes again on day 17.
    for n in 1..=18 {
        let findings = if n < 17 { silence(day(n), i64::from(n)) } else { vec![] };
        for a in run.results(n, vec![account("gh_sz", "深圳市人民政府", "440300", findings)]) {
            alerts.push((n, a));
        }
    }
    let got: Vec<_> = alerts.iter().map(|(n, a)| (*n, a.change, a.stage, a.severity)).collect();
    assert_eq!(
        got,
        [
            (10, Change::Raised, 0, Severity::Minor),
            (12, Change::Escalated, 1, Severity::Major),
            (15, Change::Escalated, 2, Severity::Veto),
            (17, Change::Resolved, 2, Severity::Veto),
        ]
    );
    let day10 = &alerts[0].1;
    assert_eq!(day10.title, "已连续10天未更新，即将触发两周未更新否决");
    let veto = day10.details.iter().find(|d| d.label == "触发否决日期").unwrap();
    assert_eq!(veto.value, day(15).to_string());
    assert_eq!(alerts[1].1.title, "已连续12天未更新，请主管单位督促更新");
    assert_eq!(alerts[3].1.title, "账号已恢复更新");
}

#[test]
fn a_lower_stage_is_recorded_silently_and_rising_again_escalates_again() {
    let mut run = Run::new();
    let mut seq = Vec::new();
    for (n, count) in [(0, 3), (1, 12), (2, 4), (3, 4), (4, 15), (5, 0)] {
        let findings = if count > 0 { vec![unanswered(count)] } else { vec![] };
        let alerts = run.results(n, vec![account("gh_bj", "北京市人民政府", "110000", findings)]);
        seq.extend(alerts.into_iter().map(|a| (n, a.change, a.stage, a.idempotency_key)));
    }
    let got: Vec<_> = seq.iter().map(|(n, c, s, _)| (*n, *c, *s)).collect();
    assert_eq!(
        got,
        [
            (0, Change::Raised, 0),
            (1, Change::Escalated, 1),
            (4, Change::Escalated, 1),
            (5, Change::Resolved, 1)
        ]
    );
    assert_ne!(seq[1].3, seq[2].3, "each escalation has its own key");
}

#[test]
fn a_collector_losing_its_login_is_its_own_alert_and_sets_its_accounts_aside() {
    let mut run = Run::new();
    let rules = Rules::defaults();
    let url = "https://fs.gov.cn/x";
    let source = |lost: bool| SourceStatus {
        id: "wx-cookie-1".into(),
        name: "公众号采集账号一".into(),
        accounts: vec!["gh_fs".into()],
        login_lost: lost
            .then(|| LoginLost { since: at(3), detail: "登录已过期，需重新扫码".into() }),
    };
    let round = |run: &mut Run, n: u32, lost: bool, findings| {
        let mut obs = Observation::new();
        obs.add_results(
            &results(day(n), vec![account("gh_fs", "佛山市人民政府", "440600", findings)]),
            &rules,
        );
        obs.add_source(&source(lost), &rules);
        run.round(n, &obs)
    };
    assert_eq!(
        kinds(&round(&mut run, 0, false, vec![broken_link(url)])),
        [(Change::Raised, "link.broken", 0)]
    );
    // Lost: the source is alerted; the account's silence and the link's absence (nothing
    // collected) are neither raised nor resolved.
    let lost = round(&mut run, 3, true, silence(day(3), 12));
    assert_eq!(kinds(&lost), [(Change::Raised, "source.login_lost", 0)]);
    assert_eq!(lost[0].title, "采集源失效（登录态丢失）");
    assert!(lost[0].message.contains("登录已过期"));
    assert!(round(&mut run, 4, true, silence(day(4), 13)).is_empty());
    // Back, with the articles collected again: the source resolves, the link is fixed.
    let back = round(&mut run, 5, false, vec![]);
    assert_eq!(
        kinds(&back),
        [(Change::Resolved, "link.broken", 0), (Change::Resolved, "source.login_lost", 0)]
    );
}

#[test]
fn no_resolution_where_the_evaluation_did_not_look() {
    let mut run = Run::new();
    let url = "https://hz.gov.cn/x";
    let with = |f| vec![account("gh_hz", "杭州市人民政府", "330100", f)];
    assert_eq!(run.results(0, with(vec![broken_link(url)])).len(), 1);
    // The links check did not run: no finding proves nothing.
    let mut r = results(day(1), with(vec![]));
    r.not_evaluated
        .push(NotEvaluated { check: "links".into(), reason: "离线模式（1个账号）".into() });
    let mut obs = Observation::new();
    obs.add_results(&r, &run.rules.clone());
    assert!(run.round(1, &obs).is_empty());
    // The account is not in this evaluation at all.
    assert!(run.results(2, vec![account("gh_other", "其他", "330200", vec![])]).is_empty());
    assert_eq!(kinds(&run.results(3, with(vec![]))), [(Change::Resolved, "link.broken", 0)]);
}

#[test]
fn detection_writes_one_outbox_row_per_routed_sink() {
    let mut run = Run::new();
    run.routing = Routing::parse(
        "[[sink]]\nid = \"all\"\nkind = \"wecom\"\nurl = \"http://127.0.0.1:9/a\"\n\n\
         [[sink]]\nid = \"gd-major\"\nkind = \"wecom\"\nurl = \"http://127.0.0.1:9/b\"\nregions = [\"44\"]\nmin_severity = \"major\"\n",
        "sinks.toml",
        &|_| None,
    )
    .unwrap();
    run.results(
        0,
        vec![
            account("gh_gz", "广州市人民政府", "440100", vec![broken_link("https://a")]),
            account("gh_bj", "北京市人民政府", "110000", vec![broken_link("https://b"), unanswered(2)]),
        ],
    );
    // gz link: both sinks; bj link: "all"; bj comments (minor): "all".
    assert_eq!(run.store.counts().unwrap().pending, 4);
    assert_eq!(run.store.due("gd-major", at(0)).unwrap().len(), 1);
}

//! `govmedia monitor`: one monitoring round, as data in and a report out.
//!
//! A round collects what is due (collector feeds and Open API accounts, each on its own
//! interval and time window), rechecks recent articles for take-downs, judges the collectors'
//! health, re-evaluates the survey with today as the check date, and turns the results into
//! alerts: state changes only (raised, escalated, resolved), written with their outbox rows in
//! one transaction and then delivered to the configured robots, e-mail and webhooks. A process
//! killed at any point loses nothing: what was collected is stored, a detected change waits in
//! the outbox, and the next round delivers it once.
//!
//! The configuration is a TOML file ([`MonitorConfig`]); paths in it are relative to the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use govmedia_collect::{
    CollectorHealth, FeedCollector, FeedOutcome, FeedSource, collector_health, recheck_articles,
};
use govmedia_ingest::{ImportOptions, Record, import_records};
use govmedia_model::results::Results;
use govmedia_model::time::local_date;
use govmedia_model::{Progress, Timestamp};
use govmedia_notify::{
    AlertStore, Clock, DeliveryReport, Dispatcher, LoginLost, ManualClock, Observation, PgAlertStore,
    Routing, Rules, SourceStatus, SqliteAlertStore, detect,
};
use govmedia_store_api::{KvCache, RunId, Store};
use govmedia_wechat::{
    CachedToken, Client, ClientConfig, Credentials, MenuSource, Secret, TokenCache, sync_account,
};
use serde::Deserialize;

use crate::{Error, EvaluateOptions, Result, Scope, StoreSpec};

/// The cache namespace of the Open API accounts' last sync.
const WECHAT_SYNC: &str = "wechat_sync";
/// The cache namespace of access tokens (one per AppID, shared by every process).
const WECHAT_TOKENS: &str = "wechat_tokens";

/// monitor.toml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonitorConfig {
    #[serde(default)]
    pub collect: CollectSettings,
    /// Collector feeds (`[[feed]]`).
    #[serde(default)]
    pub feed: Vec<FeedEntry>,
    /// Accounts whose operators authorised the Open API (`[[wechat]]`).
    #[serde(default)]
    pub wechat: Vec<WechatEntry>,
    #[serde(default)]
    pub evaluate: EvaluateSettings,
    #[serde(default)]
    pub alerts: AlertSettings,
    /// The file's directory, for relative paths (set by [`MonitorConfig::load`]).
    #[serde(skip)]
    pub base: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CollectSettings {
    /// Seconds between two requests to one collector host.
    pub politeness_secs: u64,
    pub timeout_secs: u64,
    /// All of a collector's feeds without a new item for this many days: the collector, not its
    /// accounts, stopped (采集源失效).
    pub quiet_after_days: i64,
    /// Recheck the articles of the last N days for take-downs (0: off).
    pub recheck_days: u64,
    /// Allow collector and article URLs on private or loopback addresses (intranet collectors).
    pub allow_private: bool,
}

impl Default for CollectSettings {
    fn default() -> Self {
        CollectSettings {
            politeness_secs: 2,
            timeout_secs: 30,
            quiet_after_days: 3,
            recheck_days: 0,
            allow_private: false,
        }
    }
}

/// One collector feed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedEntry {
    pub url: String,
    pub account: String,
    #[serde(default)]
    pub collector: Option<String>,
    #[serde(default = "hourly")]
    pub every_minutes: u32,
    /// `HH:MM-HH:MM`, Beijing time: fetched only within.
    #[serde(default)]
    pub window: Option<String>,
}

/// One account read through the Open API.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WechatEntry {
    pub account: String,
    /// The key of its credentials: `GOVMEDIA_WECHAT_APPID_<KEY>` and `GOVMEDIA_WECHAT_SECRET_<KEY>`.
    pub credentials: String,
    #[serde(default = "six_hourly")]
    pub every_minutes: u32,
    #[serde(default)]
    pub window: Option<String>,
    /// Days read back at each sync.
    #[serde(default = "week")]
    pub days: u64,
    /// The API's base URL (tests and proxies; default the platform's).
    #[serde(default)]
    pub base_url: Option<String>,
}

fn hourly() -> u32 {
    60
}
fn six_hourly() -> u32 {
    360
}
fn week() -> u64 {
    7
}
fn one() -> usize {
    1
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluateSettings {
    /// A built-in framework or a file; default survey.toml's, else ccid-2025.
    pub framework: Option<String>,
    /// Web checks read the dataset's snapshot only.
    #[serde(default)]
    pub offline: bool,
    /// Chromium for the mobile check (default: found in the usual places).
    #[serde(default)]
    pub browser: Option<PathBuf>,
    /// PostgreSQL: the round's evaluation goes on the job queue as a distributed run, done by
    /// the `govmedia worker` processes on any machine and by this process's own
    /// [`workers`](EvaluateSettings::workers).
    #[serde(default)]
    pub distributed: bool,
    /// With `distributed`: threads of this process that work on the queue while the round
    /// waits for its run (default 1; 0 leaves the run to other workers).
    #[serde(default = "one")]
    pub workers: usize,
    /// With `distributed`: accounts per job.
    #[serde(default)]
    pub accounts_per_job: Option<usize>,
}

impl Default for EvaluateSettings {
    fn default() -> Self {
        EvaluateSettings {
            framework: None,
            offline: false,
            browser: None,
            distributed: false,
            workers: one(),
            accounts_per_job: None,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertSettings {
    /// Rules overlaying the built-in ones.
    pub rules: Option<PathBuf>,
    /// The sinks (`[[sink]]`); none: alerts are recorded, not sent.
    pub sinks: Option<PathBuf>,
    /// A SQLite file for the alert state and outbox; default: the store's own database (its
    /// SQLite file, or its PostgreSQL database).
    pub state: Option<PathBuf>,
}

impl MonitorConfig {
    /// Reads the file; errors name the file, line and key.
    pub fn load(path: &Path) -> Result<MonitorConfig> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let mut c: MonitorConfig = toml::from_str(&text).map_err(|e| {
            let line = e.span().map(|s| text[..s.start].lines().count().max(1));
            Error::Invalid(format!("{}:{}: {}", path.display(), line.unwrap_or(1), e.message()))
        })?;
        c.base = path.parent().map(Path::to_owned).unwrap_or_default();
        for (i, w) in c.feed.iter().map(|f| &f.window).chain(c.wechat.iter().map(|w| &w.window)).enumerate() {
            if let Some(w) = w
                && window(w).is_none()
            {
                return Err(Error::Invalid(format!(
                    "{}: 第 {} 个来源的 window“{w}”无效（应为 HH:MM-HH:MM，北京时间）",
                    path.display(),
                    i + 1
                )));
            }
        }
        Ok(c)
    }

    fn path(&self, p: &Path) -> PathBuf {
        if p.is_absolute() { p.to_owned() } else { self.base.join(p) }
    }

    fn sources(&self) -> Vec<FeedSource> {
        self.feed
            .iter()
            .map(|f| FeedSource {
                url: f.url.clone(),
                account: f.account.clone(),
                collector: f.collector.clone(),
            })
            .collect()
    }
}

/// `HH:MM-HH:MM` (may wrap past midnight).
fn window(s: &str) -> Option<(NaiveTime, NaiveTime)> {
    let (a, b) = s.split_once('-')?;
    Some((
        NaiveTime::parse_from_str(a.trim(), "%H:%M").ok()?,
        NaiveTime::parse_from_str(b.trim(), "%H:%M").ok()?,
    ))
}

/// Whether a source with `every_minutes` and `window`, last run at `last`, is due at `now`.
fn due(last: Option<Timestamp>, every_minutes: u32, win: Option<&str>, now: DateTime<Utc>) -> bool {
    let local = now.with_timezone(&govmedia_model::time::shanghai()).time();
    let inside = win
        .and_then(window)
        .is_none_or(|(a, b)| if a <= b { a <= local && local < b } else { local >= a || local < b });
    inside
        && last.is_none_or(|t| {
            now.signed_duration_since(t) >= chrono::Duration::minutes(i64::from(every_minutes))
        })
}

/// What one round did, for the front end to print.
#[derive(Debug, Default)]
pub struct RoundReport {
    pub feeds_imported: Vec<(String, u64)>,
    pub feeds_unchanged: usize,
    pub feeds_failed: Vec<(String, String)>,
    /// Open API accounts: (account, what was collected, what was not and why).
    pub wechat: Vec<(String, BTreeMap<&'static str, usize>, Vec<String>)>,
    pub deleted: Vec<(String, String)>,
    /// Menus captured this round that differ from the account's previous capture:
    /// (account, summary of the change).
    pub menu_changes: Vec<(String, String)>,
    /// Collectors judged lost, with the reason.
    pub collectors_lost: Vec<(String, String)>,
    pub results: Option<Results>,
    pub raised: usize,
    pub escalated: usize,
    pub resolved: usize,
    pub delivery: DeliveryReport,
    /// Sources due next (for a front end that waits).
    pub next_due: Option<DateTime<Utc>>,
    /// Set when the round did not run because another monitor's round held the database.
    pub skipped: Option<String>,
    /// The recorded run whose results this round reused: nothing the evaluation reads had
    /// changed since it ran.
    pub reused_run: Option<RunId>,
    /// The accounts this round's evaluation did not check again: their data had not changed
    /// since an earlier evaluation (in-process rounds; see [`crate::Evaluation::remembered`]).
    pub remembered: usize,
}

/// The lock a round holds, so that two monitors on one database (a `govmedia monitor` and a
/// `govmedia serve --monitor`, two machines on PostgreSQL) never collect, judge or deliver
/// at the same time: the second waits for its next round and then sees what the first sent.
pub const ROUND_LOCK: &str = "monitor-round";

/// A token cache in the store's key-value cache: every process on the store shares one token
/// per AppID (tokens expire within two hours; the secret itself is never stored).
struct StoreTokens(Arc<dyn KvCache>);

impl TokenCache for StoreTokens {
    fn get(&self, appid: &str) -> Option<CachedToken> {
        let v: serde_json::Value = serde_json::from_str(&self.0.get(WECHAT_TOKENS, appid).ok()??).ok()?;
        Some(CachedToken {
            access_token: Secret::new(v["access_token"].as_str()?.to_owned()),
            expires_at: v["expires_at"].as_i64()?,
        })
    }

    fn put(&self, appid: &str, token: &CachedToken) {
        let v =
            serde_json::json!({"access_token": token.access_token.expose(), "expires_at": token.expires_at});
        // A cache that cannot be written costs one more stable_token call, nothing else.
        let _ = self.0.put(WECHAT_TOKENS, appid, &v.to_string());
    }
}

/// Longest sleep between two rounds (a source added or a clock changed is seen within it).
const MAX_SLEEP: Duration = Duration::from_secs(60);

/// Runs rounds until `stop` is set (looked at every second): each at the time `clock` tells
/// (the current time, or a fixed one in drills), then sleeps until the next source is due, at
/// most a minute. `on_round` sees each report. A round that fails ends the loop with its error.
pub fn run_rounds(
    store: &mut dyn Store,
    db: &StoreSpec,
    config: &MonitorConfig,
    progress: &dyn Progress,
    clock: impl Fn() -> DateTime<Utc>,
    stop: &std::sync::atomic::AtomicBool,
    mut on_round: impl FnMut(DateTime<Utc>, &RoundReport),
) -> Result<()> {
    use std::sync::atomic::Ordering;
    while !stop.load(Ordering::Relaxed) {
        let at = clock();
        let report = run_round(store, db, config, at, progress)?;
        on_round(at, &report);
        let until = report.next_due.map_or(MAX_SLEEP, |t| {
            (t - Utc::now()).to_std().unwrap_or_default().clamp(Duration::from_secs(1), MAX_SLEEP)
        });
        let started = std::time::Instant::now();
        while started.elapsed() < until && !stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_secs(1).min(until));
        }
    }
    Ok(())
}

/// Runs one round at `now` on `store`, which `db` names: the alert state and outbox live in
/// the same database (SQLite file or PostgreSQL) unless the configuration names a file.
pub fn run_round(
    store: &mut dyn Store,
    db: &StoreSpec,
    config: &MonitorConfig,
    now: DateTime<Utc>,
    progress: &dyn Progress,
) -> Result<RoundReport> {
    let mut report = RoundReport::default();
    let Some(_round) = store.try_lock(ROUND_LOCK)? else {
        report.skipped =
            Some("同一数据库上另一个监测进程的轮次正在进行，本轮跳过（下一轮再采集与发送）".into());
        report.next_due = Some(now + chrono::Duration::minutes(1));
        return Ok(report);
    };
    let settings = &config.collect;
    let sources = config.sources();
    let collect_err = |e: govmedia_collect::CollectError| Error::Invalid(e.to_string());

    // 1. Feeds that are due.
    let states = FeedCollector::states(&*store, &sources).map_err(collect_err)?;
    let due_feeds: Vec<FeedSource> = sources
        .iter()
        .zip(&states)
        .zip(&config.feed)
        .filter(|((_, st), f)| due(st.fetched_at, f.every_minutes, f.window.as_deref(), now))
        .map(|((s, _), _)| s.clone())
        .collect();
    if !due_feeds.is_empty() {
        progress.start(&format!("采集订阅源（{} 个）", due_feeds.len()), 0);
        let collector = FeedCollector::new(
            Duration::from_secs(settings.timeout_secs),
            Duration::from_secs(settings.politeness_secs),
        )
        .map_err(collect_err)?;
        for r in collector.collect(store, &due_feeds, now).map_err(collect_err)? {
            match r.outcome {
                FeedOutcome::Imported { articles } => report.feeds_imported.push((r.source.url, articles)),
                FeedOutcome::NotModified => report.feeds_unchanged += 1,
                FeedOutcome::Failed(why) => report.feeds_failed.push((r.source.url, why)),
            }
        }
        progress.finish();
    }

    // 2. Open API accounts that are due.
    let cache = store.cache()?;
    for w in &config.wechat {
        let last = cache.get(WECHAT_SYNC, &w.account)?.and_then(|t| DateTime::parse_from_rfc3339(&t).ok());
        if !due(last, w.every_minutes, w.window.as_deref(), now) {
            continue;
        }
        progress.start(&format!("通过开放接口采集 {}", w.account), 0);
        let outcome = sync_wechat(store, cache.clone(), w, now);
        progress.finish();
        let sync = outcome?;
        cache.put(WECHAT_SYNC, &w.account, &now.to_rfc3339())?;
        report.wechat.push((w.account.clone(), sync.collected, sync.missing));
        report.menu_changes.extend(sync.menu_changes.into_iter().map(|c| (w.account.clone(), c)));
    }

    // 3. Take-downs among recent articles.
    if settings.recheck_days > 0 {
        progress.start("复查近期文章是否被删除", 0);
        let since: Timestamp = (now - chrono::Duration::days(settings.recheck_days as i64)).into();
        let fetch = govmedia_web::FetchConfig { allow_private: settings.allow_private, ..Default::default() };
        let r = recheck_articles(store, fetch, since, now).map_err(collect_err)?;
        report.deleted = r.deleted.into_iter().map(|d| (d.url, d.reason)).collect();
        progress.finish();
    }

    // 4. The collectors' health.
    let states = FeedCollector::states(&*store, &sources).map_err(collect_err)?;
    let health = collector_health(&sources, &states, now, chrono::Duration::days(settings.quiet_after_days));
    let mut statuses = Vec::new();
    for (name, h) in &health {
        let accounts: Vec<String> =
            sources.iter().filter(|s| &s.collector_name() == name).map(|s| s.account.clone()).collect();
        let login_lost = match h {
            CollectorHealth::Lost { newest_item, reason, .. } => {
                report.collectors_lost.push((name.clone(), reason.clone()));
                Some(LoginLost {
                    since: newest_item.map_or(now, |t| t.with_timezone(&Utc)),
                    detail: reason.clone(),
                })
            }
            _ => None,
        };
        statuses.push(SourceStatus { id: name.clone(), name: name.clone(), accounts, login_lost });
    }

    // 5. Today's evaluation, unless the last one was of the same data, check date and settings.
    let today = local_date(&now.into());
    let options = EvaluateOptions {
        scope: Scope { from: None, to: Some(today - Days::new(1)), check_date: Some(today) },
        framework: config.evaluate.framework.clone(),
        offline: config.evaluate.offline,
        checks: crate::CheckOptions {
            web: crate::WebCheckOptions {
                browser: config.evaluate.browser.as_ref().map(|b| config.path(b)),
                ..Default::default()
            },
            ..Default::default()
        },
        ..EvaluateOptions::default()
    };
    let basis = Basis {
        data_version: store.data_version()?,
        check_date: today,
        settings: format!(
            "{:?} {}",
            config.evaluate,
            crate::run_files::settings_fingerprint(
                &options,
                options.framework.as_deref().unwrap_or(crate::evaluate::DEFAULT_FRAMEWORK)
            )?
        ),
        run: 0,
    };
    let last: Option<Basis> =
        cache.get(MONITOR, LAST_EVALUATION)?.and_then(|text| serde_json::from_str(&text).ok());
    let reusable = last.filter(|b| b.same(&basis)).map(|b| b.run);
    let recorded = match reusable {
        Some(run) => store.run_results(run)?.map(|r| (run, r)),
        None => None,
    };
    let results = match recorded {
        Some((run, results)) => {
            report.reused_run = Some(run);
            results
        }
        None => {
            let (run, results) = if config.evaluate.distributed {
                evaluate_on_queue(store, &options, &config.evaluate, progress)?
            } else {
                let e = crate::evaluate::evaluate_run(store, &options, None, progress)?;
                report.remembered = e.remembered;
                (e.run, e.results)
            };
            let basis = Basis { run, ..basis };
            cache.put(MONITOR, LAST_EVALUATION, &serde_json::to_string(&basis).expect("bases serialise"))?;
            results
        }
    };

    // 6. Alerts: state changes recorded with their outbox rows, then delivered.
    let mut rules = Rules::defaults();
    if let Some(p) = &config.alerts.rules {
        let p = config.path(p);
        let text = std::fs::read_to_string(&p).map_err(|e| Error::io(&p, e))?;
        rules = rules.overlay(&text, &p.display().to_string()).map_err(|e| Error::Invalid(e.to_string()))?;
    }
    let routing = match &config.alerts.sinks {
        Some(p) => Routing::load(&config.path(p)).map_err(|e| Error::Invalid(e.to_string()))?,
        None => Routing::new(Vec::new()),
    };
    let alert_err = |e: govmedia_notify::StoreError| Error::Invalid(e.to_string());
    let mut alerts: Box<dyn AlertStore> = match (&config.alerts.state, db) {
        (Some(p), _) => Box::new(SqliteAlertStore::open(&config.path(p)).map_err(alert_err)?),
        (None, StoreSpec::Sqlite(f)) => Box::new(SqliteAlertStore::open(f).map_err(alert_err)?),
        (None, StoreSpec::Postgres(url)) => Box::new(PgAlertStore::connect(url).map_err(alert_err)?),
    };
    let mut observation = Observation::new();
    observation.add_results(&results, &rules);
    for s in &statuses {
        observation.add_source(s, &rules);
    }
    for a in detect(&mut *alerts, &rules, &routing, &observation, now)
        .map_err(|e| Error::Invalid(e.to_string()))?
    {
        match a.change {
            govmedia_notify::Change::Raised => report.raised += 1,
            govmedia_notify::Change::Escalated => report.escalated += 1,
            govmedia_notify::Change::Resolved => report.resolved += 1,
        }
    }
    if !routing.sinks().is_empty() {
        progress.start("发送告警", 0);
        let clock = Arc::new(ManualClock::new(now));
        let clock_dyn: Arc<dyn Clock> = clock.clone();
        let mut dispatcher =
            Dispatcher::new(&routing, clock_dyn).map_err(|e| Error::Invalid(e.to_string()))?;
        report.delivery =
            govmedia_checks::blocking::block_on(async { dispatcher.drain(&mut *alerts, now).await })
                .map_err(|e| Error::Invalid(e.to_string()))?
                .map_err(|e| Error::Invalid(e.to_string()))?;
        progress.finish();
    }
    report.results = Some(results);
    report.next_due = next_due(config, &states, &*cache, now);
    Ok(report)
}

/// The round's evaluation as a distributed run: enqueued, worked on by this process's own
/// threads beside any other workers, and reduced here once every job is done.
fn evaluate_on_queue(
    store: &mut dyn Store,
    options: &EvaluateOptions,
    settings: &EvaluateSettings,
    progress: &dyn Progress,
) -> Result<(RunId, Results)> {
    use std::sync::atomic::{AtomicBool, Ordering};
    let mut jobs = crate::distributed::JobOptions::default();
    if let Some(n) = settings.accounts_per_job {
        jobs.accounts_per_job = n;
    }
    let run = crate::distributed::enqueue(store, options, jobs)?;
    let helper = if settings.workers > 0 { Some(store.reopen()?) } else { None };
    let stop = AtomicBool::new(false);
    let helper_failed = AtomicBool::new(false);
    std::thread::scope(|s| {
        let working = helper.map(|helper| {
            let (stop, failed) = (&stop, &helper_failed);
            s.spawn(move || {
                let worker =
                    crate::distributed::WorkerOptions { concurrency: settings.workers, ..Default::default() };
                let done = crate::distributed::work(&*helper, &worker, stop);
                failed.store(done.is_err(), Ordering::Relaxed);
                done
            })
        });
        let waiting = UntilFailed { progress, failed: &helper_failed };
        let results = crate::distributed::finish(store, run, None, Duration::from_millis(500), &waiting);
        // The helper finishes the jobs in hand (another run's, perhaps) and stops.
        stop.store(true, Ordering::Relaxed);
        if let Some(w) = working {
            w.join().map_err(|_| Error::Invalid("监测进程内的评估线程异常退出".into()))??;
        }
        results.map(|r| (run, r))
    })
}

/// Progress that reports cancelled once `failed` is set: the round stops waiting for a run
/// its own worker can no longer do, and reports that worker's error instead.
struct UntilFailed<'a> {
    progress: &'a dyn Progress,
    failed: &'a std::sync::atomic::AtomicBool,
}

impl Progress for UntilFailed<'_> {
    fn start(&self, label: &str, total: u64) {
        self.progress.start(label, total);
    }
    fn advance(&self, n: u64) {
        self.progress.advance(n);
    }
    fn finish(&self) {
        self.progress.finish();
    }
    fn cancelled(&self) -> bool {
        self.progress.cancelled() || self.failed.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// The cache namespace of the monitor's state, and the key of its last evaluation.
const MONITOR: &str = "monitor";
const LAST_EVALUATION: &str = "last_evaluation";

/// What a round's evaluation depended on: a later round that finds the same data version
/// (no writer committed a change since, whoever it was), check date and evaluation settings
/// reuses the recorded run instead of evaluating again. Live web checks inside a day read the
/// fetch cache (24 hours) either way.
#[derive(Debug, Clone, serde::Serialize, Deserialize)]
struct Basis {
    data_version: u64,
    check_date: NaiveDate,
    /// The `[evaluate]` settings, as this version of govmedia prints them, and the fingerprint
    /// of the files they name (a framework file edited in place is another basis).
    settings: String,
    run: RunId,
}

impl Basis {
    fn same(&self, other: &Basis) -> bool {
        (self.data_version, self.check_date, &self.settings)
            == (other.data_version, other.check_date, &other.settings)
    }
}

/// What one Open API account's sync gave.
#[derive(Default)]
struct ApiSync {
    collected: BTreeMap<&'static str, usize>,
    /// What could not be collected, and why.
    missing: Vec<String>,
    /// Summaries of the menu's changes since the previous capture.
    menu_changes: Vec<String>,
}

/// Reads one Open API account and stores what came back.
fn sync_wechat(
    store: &mut dyn Store,
    cache: Arc<dyn KvCache>,
    w: &WechatEntry,
    now: DateTime<Utc>,
) -> Result<ApiSync> {
    let creds = match Credentials::from_env(&w.credentials) {
        Ok(c) => c,
        Err(e) => return Ok(ApiSync { missing: vec![e.to_string()], ..ApiSync::default() }),
    };
    let mut cfg = ClientConfig::default();
    if let Some(b) = &w.base_url {
        cfg.base_url = b.clone();
    }
    let client = Client::new(cfg, Arc::new(StoreTokens(cache))).map_err(|e| Error::Invalid(e.to_string()))?;
    let to: NaiveDate = local_date(&now.into());
    let from = to - Days::new(w.days.max(1));
    let sync = govmedia_checks::blocking::block_on(sync_account(&client, &creds, &w.account, from, to))
        .map_err(|e| Error::Invalid(e.to_string()))?;
    // The menu users see is compared with the account's previous capture; a change is kept
    // in the store's cache (namespace `menu_changes`, by account and capture time).
    let previous = store.snapshot()?.menus(Some(&w.account))?.into_iter().max_by_key(|m| m.captured_at);
    let mut changes = Vec::new();
    let current = sync.menus.iter().find(|m| m.source == MenuSource::GetCurrentSelfmenuInfo);
    if let (Some(old), Some(new)) = (previous, current)
        && let (Ok(a), Ok(b)) = (old.parse(), new.snapshot.parse())
    {
        let diff = a.diff(&b);
        if !diff.is_empty() {
            let key = format!("{}@{}", w.account, now.to_rfc3339());
            let value = serde_json::json!({"previous": old.captured_at.to_rfc3339(), "diff": diff});
            store.cache()?.put("menu_changes", &key, &value.to_string())?;
            changes.push(diff.summary());
        }
    }
    // One snapshot per capture (the store keys menus by account and time): the menu users see,
    // or the configured one (`menu/get`) when the former could not be read.
    let shown = sync.menus.iter().position(|m| m.source == MenuSource::GetCurrentSelfmenuInfo);
    let menu = match shown {
        Some(i) => sync.menus.into_iter().nth(i),
        None => sync.menus.into_iter().next(),
    };
    // Captured at the round's time (the same as the clock for drills with `--now`).
    let captured_at = now.with_timezone(&govmedia_model::time::shanghai());
    let mut records: Vec<Record> = menu
        .into_iter()
        .map(|mut m| {
            m.snapshot.captured_at = captured_at;
            Record::Menu(m.snapshot)
        })
        .collect();
    records.extend(sync.articles.into_iter().map(Record::Article));
    let origin = PathBuf::from(format!("wechat-api:{}", w.account));
    import_records(store, &origin, records, ImportOptions { skip_invalid: true })?;
    // The daily figures join the account's (a later sync replaces the days it read again).
    let stored = if sync.daily.is_empty() { None } else { store.snapshot()?.account(&w.account)? };
    if let Some(mut account) = stored {
        let fresh: Vec<govmedia_model::DailyFigures> = sync
            .daily
            .iter()
            .filter_map(|d| serde_json::to_value(d).ok().and_then(|v| serde_json::from_value(v).ok()))
            .collect();
        account.daily.retain(|d| fresh.iter().all(|f| f.date != d.date));
        account.daily.extend(fresh);
        account.daily.sort_by_key(|d| d.date);
        let mut w = store.writer()?;
        w.upsert_account(&account)?;
        w.commit()?;
    }
    let mut missing: Vec<String> =
        sync.not_collected.iter().map(|n| format!("{}：{}", n.item, n.reason)).collect();
    if let Some(why) = sync.stopped {
        missing.push(why);
    }
    Ok(ApiSync { collected: sync.collected, missing, menu_changes: changes })
}

/// The earliest time a source becomes due again.
fn next_due(
    config: &MonitorConfig,
    states: &[govmedia_collect::FeedState],
    cache: &dyn KvCache,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let feeds = config.feed.iter().zip(states).map(|(f, s)| (s.fetched_at, f.every_minutes));
    let apis = config.wechat.iter().map(|w| {
        let last = cache
            .get(WECHAT_SYNC, &w.account)
            .ok()
            .flatten()
            .and_then(|t| DateTime::parse_from_rfc3339(&t).ok());
        (last, w.every_minutes)
    });
    feeds
        .chain(apis)
        .map(|(last, every)| {
            last.map_or(now, |t| t.with_timezone(&Utc) + chrono::Duration::minutes(i64::from(every)))
        })
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_due_after_their_interval_and_inside_their_window() {
        let now: DateTime<Utc> = "2025-10-20T02:00:00Z".parse().unwrap(); // 10:00 in Beijing
        let last: Timestamp = "2025-10-20T09:30:00+08:00".parse().unwrap();
        assert!(due(None, 60, None, now));
        assert!(!due(Some(last), 60, None, now));
        assert!(due(Some(last), 30, None, now));
        assert!(due(None, 60, Some("08:00-22:00"), now));
        assert!(!due(None, 60, Some("22:00-08:00"), now));
        assert!(window("8:00-22:00").is_some() && window("8-22").is_none());
    }
}

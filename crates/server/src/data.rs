//! What the pages and the API show, read through the viewer's [`Scope`]: one function per
//! view, returning plain serialisable data that a template renders or the API sends as JSON.
//! A run's accounts are reachable only through [`RunView::accounts`] and
//! [`RunView::account`], which take the scope.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use govmedia_model::results::{AccountResult, Results};
use govmedia_model::{Finding, Level};
use govmedia_store_api::{AccountRun, Decision, Recheck, Review, Role, RunId, RunState, RunSummary};
use serde::{Deserialize, Serialize};

use crate::App;
use crate::auth::Viewer;
use crate::error::HttpError;
use crate::review::{self, Decisions};
use crate::scope::Scope;

/// A chart of the survey report: its title, and its SVG or why it has no data.
pub type ChartSvg = (String, Result<String, String>);

/// A finished run, held in memory once read (finished runs never change).
pub struct RunView {
    pub summary: RunSummary,
    results: Results,
    index: HashMap<String, usize>,
    /// Account kinds (订阅号/服务号) from the store, for the rankings filter.
    kinds: HashMap<String, String>,
    /// The report's charts of the whole survey, once drawn.
    all_charts: std::sync::OnceLock<Vec<ChartSvg>>,
}

impl RunView {
    /// The accounts `scope` may see, in results order.
    pub fn accounts<'a>(&'a self, scope: &'a Scope) -> impl Iterator<Item = &'a AccountResult> + 'a {
        self.results.accounts.iter().filter(move |a| scope.covers(a))
    }

    /// One account, if `scope` may see it.
    pub fn account(&self, scope: &Scope, id: &str) -> Option<&AccountResult> {
        self.index.get(id).map(|&i| &self.results.accounts[i]).filter(|a| scope.covers(a))
    }

    /// The results with only the accounts (and their articles) `scope` may see.
    pub fn scoped_results(&self, scope: &Scope) -> Results {
        let accounts: Vec<AccountResult> = self.accounts(scope).cloned().collect();
        let ids: std::collections::HashSet<&str> = accounts.iter().map(|a| a.id.as_str()).collect();
        let articles =
            self.results.articles.iter().filter(|a| ids.contains(a.account.as_str())).cloned().collect();
        let units = if scope.is_all() { self.results.units.clone() } else { Vec::new() };
        let statistics = if scope.is_all() { self.results.statistics.clone() } else { Default::default() };
        Results { accounts, articles, units, statistics, ..self.results.clone() }
    }

    pub fn check_date(&self) -> chrono::NaiveDate {
        self.results.check_date
    }

    /// The report's charts over the accounts `scope` sees (drawn once for the whole survey).
    fn charts(&self, scope: &Scope) -> Vec<ChartSvg> {
        let draw = |results: &Results| match govmedia_report::survey_charts(results) {
            Ok(charts) => charts.into_iter().map(|c| (c.title, c.svg)).collect(),
            Err(e) => vec![("调查报告图表".into(), Err(e.to_string()))],
        };
        if scope.is_all() {
            return self.all_charts.get_or_init(|| draw(&self.results)).clone();
        }
        draw(&self.scoped_results(scope))
    }
}

/// The `run` parameter of most routes: a run's id, or the latest finished run.
#[derive(Debug, Default, Deserialize)]
pub struct RunQuery {
    pub run: Option<RunId>,
}

/// The two runs to compare.
#[derive(Debug, Deserialize)]
pub struct DiffQuery {
    pub from: RunId,
    pub to: RunId,
}

/// The run `id`, or the latest finished one; `NotFound` when there is none (or it did not finish).
pub async fn run_view(app: &Arc<App>, id: Option<RunId>) -> Result<Arc<RunView>, HttpError> {
    let runs = app.pool.with(|s| s.runs()).await?;
    let summary = match id {
        Some(id) => runs.into_iter().find(|r| r.id == id),
        None => runs.into_iter().find(|r| r.state == RunState::Finished),
    }
    .filter(|r| r.state == RunState::Finished)
    .ok_or(HttpError::NotFound)?;
    if let Some(v) = app.runs.lock().unwrap_or_else(|e| e.into_inner()).get(&summary.id) {
        return Ok(Arc::clone(v));
    }
    let id = summary.id;
    let (results, kinds) = app
        .pool
        .with(move |s| {
            let results = s.run_results(id)?;
            let kinds = s
                .snapshot()?
                .accounts(&Default::default())?
                .into_iter()
                .filter_map(|a| a.kind.map(|k| (a.id, k.label().to_owned())))
                .collect::<HashMap<_, _>>();
            Ok((results, kinds))
        })
        .await?;
    let results = results.ok_or(HttpError::NotFound)?;
    let index = results.accounts.iter().enumerate().map(|(i, a)| (a.id.clone(), i)).collect();
    let view = Arc::new(RunView { summary, results, index, kinds, all_charts: Default::default() });
    app.runs.lock().unwrap_or_else(|e| e.into_inner()).insert(id, Arc::clone(&view));
    Ok(view)
}

/// One row per level: how the visible accounts did.
#[derive(Debug, Serialize)]
pub struct LevelRow {
    pub level: &'static str,
    pub label: &'static str,
    pub accounts: usize,
    pub scored: usize,
    pub passed: usize,
    pub mean: Option<f64>,
    pub max: Option<f64>,
    pub min: Option<f64>,
}

/// An account without a score, and why.
#[derive(Debug, Serialize)]
pub struct Unscored {
    pub id: String,
    pub name: String,
    pub reason: String,
}

/// The overview of a run.
#[derive(Debug, Serialize)]
pub struct Overview {
    pub run: RunSummary,
    pub accounts: usize,
    pub passed: usize,
    pub levels: Vec<LevelRow>,
    /// Veto codes with their titles and the number of visible accounts they hit.
    pub vetoes: Vec<CodeCount>,
    /// Finding codes by how many visible accounts have them.
    pub findings: Vec<CodeCount>,
    pub unscored: Vec<Unscored>,
    /// Checks that did not run, with the reason.
    pub not_evaluated: Vec<govmedia_model::results::NotEvaluated>,
    /// Score histogram per level (10-point bins): ECharts series data.
    pub histogram: Vec<HistogramSeries>,
    /// The survey report's charts over the same accounts.
    pub charts: Vec<ChartSvg>,
}

#[derive(Debug, Serialize)]
pub struct CodeCount {
    pub code: String,
    pub title: String,
    pub accounts: usize,
}

/// One level's bars (an ECharts series).
#[derive(Debug, Serialize)]
pub struct HistogramSeries {
    pub name: &'static str,
    #[serde(rename = "type")]
    pub chart: &'static str,
    pub data: Vec<usize>,
}

fn code_title(code: &str) -> String {
    code.parse::<govmedia_model::FindingCode>()
        .map(|c| c.title().to_owned())
        .unwrap_or_else(|_| code.to_owned())
}

pub fn overview(run: &RunView, scope: &Scope) -> Overview {
    let accounts: Vec<&AccountResult> = run.accounts(scope).collect();
    let mut levels = Vec::new();
    let mut histogram = Vec::new();
    for level in Level::ALL {
        let of: Vec<&&AccountResult> = accounts.iter().filter(|a| a.level == level).collect();
        if of.is_empty() {
            continue;
        }
        let scores: Vec<f64> = of.iter().filter_map(|a| a.score).collect();
        let mut bins = vec![0; 10];
        for s in &scores {
            bins[((*s / 10.0).floor() as usize).min(9)] += 1;
        }
        histogram.push(HistogramSeries { name: level.label(), chart: "bar", data: bins });
        levels.push(LevelRow {
            level: level.as_str(),
            label: level.label(),
            accounts: of.len(),
            scored: scores.len(),
            passed: of.iter().filter(|a| a.passed).count(),
            mean: (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64),
            max: scores.iter().copied().reduce(f64::max),
            min: scores.iter().copied().reduce(f64::min),
        });
    }
    let count = |codes: &mut BTreeMap<String, usize>, list: &mut dyn Iterator<Item = &str>| {
        let mut seen: Vec<&str> = list.collect();
        seen.sort_unstable();
        seen.dedup();
        for c in seen {
            *codes.entry(c.to_owned()).or_default() += 1;
        }
    };
    let (mut vetoes, mut findings) = (BTreeMap::new(), BTreeMap::new());
    for a in &accounts {
        count(&mut vetoes, &mut a.vetoes.iter().map(String::as_str));
        count(&mut findings, &mut a.findings.iter().map(|f| f.code.as_str()));
    }
    let ranked = |m: BTreeMap<String, usize>| {
        let mut v: Vec<CodeCount> = m
            .into_iter()
            .map(|(code, accounts)| CodeCount { title: code_title(&code), code, accounts })
            .collect();
        v.sort_by(|a, b| b.accounts.cmp(&a.accounts).then(a.code.cmp(&b.code)));
        v
    };
    Overview {
        run: run.summary.clone(),
        accounts: accounts.len(),
        passed: accounts.iter().filter(|a| a.passed).count(),
        levels,
        vetoes: ranked(vetoes),
        findings: ranked(findings),
        unscored: accounts
            .iter()
            .filter(|a| a.score.is_none())
            .map(|a| Unscored {
                id: a.id.clone(),
                name: a.name.clone(),
                reason: a.not_evaluated.clone().unwrap_or_else(|| "未评估".into()),
            })
            .collect(),
        not_evaluated: run.results.not_evaluated.clone(),
        histogram,
        charts: run.charts(scope),
    }
}

/// Rankings filters (all optional).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RankingFilter {
    pub run: Option<RunId>,
    pub level: Option<String>,
    /// A region code or name: accounts within it.
    pub region: Option<String>,
    pub field: Option<String>,
    /// 订阅号 / 服务号 (or subscription / service).
    pub kind: Option<String>,
    /// `csv` or `xlsx` for a download.
    pub format: Option<String>,
}

/// An account as the rankings and its own page name it (flattened into both).
#[derive(Debug, Clone, Serialize)]
pub struct AccountHeader {
    pub id: String,
    pub name: String,
    pub owner: String,
    /// The level's Chinese name.
    pub level: &'static str,
    pub region: Option<String>,
    pub region_name: Option<String>,
    pub score: Option<f64>,
    pub rank: Option<u32>,
    pub passed: bool,
    /// Titles of the veto findings.
    pub vetoes: Vec<String>,
}

impl AccountHeader {
    fn of(a: &AccountResult) -> AccountHeader {
        AccountHeader {
            id: a.id.clone(),
            name: a.name.clone(),
            owner: a.owner.clone(),
            level: a.level.label(),
            region: a.region.clone(),
            region_name: a.region.as_deref().and_then(govmedia_score::regions::name).map(str::to_owned),
            score: a.score,
            rank: a.rank,
            passed: a.passed,
            vetoes: a.vetoes.iter().map(|v| code_title(v)).collect(),
        }
    }
}

/// One row of the rankings.
#[derive(Debug, Clone, Serialize)]
pub struct RankingRow {
    #[serde(flatten)]
    pub account: AccountHeader,
    pub field: Option<String>,
    pub kind: Option<String>,
    pub findings: usize,
}

pub fn rankings(run: &RunView, scope: &Scope, f: &RankingFilter) -> Vec<RankingRow> {
    let nonempty =
        |o: &Option<String>| o.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    let (level, region, field, kind) =
        (nonempty(&f.level), nonempty(&f.region), nonempty(&f.field), nonempty(&f.kind));
    let kind = kind.map(|k| match k.as_str() {
        "subscription" => "订阅号".to_owned(),
        "service" => "服务号".to_owned(),
        _ => k,
    });
    let mut rows: Vec<RankingRow> = run
        .accounts(scope)
        .filter(|a| level.as_deref().is_none_or(|l| a.level.as_str() == l))
        .filter(|a| {
            region
                .as_deref()
                .is_none_or(|r| a.region.as_deref().is_some_and(|ar| govmedia_score::regions::covers(r, ar)))
        })
        .filter(|a| field.as_deref().is_none_or(|x| a.field.as_deref() == Some(x)))
        .filter(|a| kind.as_deref().is_none_or(|k| run.kinds.get(&a.id).map(String::as_str) == Some(k)))
        .map(|a| RankingRow {
            account: AccountHeader::of(a),
            field: a.field.clone(),
            kind: run.kinds.get(&a.id).cloned(),
            findings: a.findings.len(),
        })
        .collect();
    // By level as the reports list them, then rank; unscored accounts last.
    rows.sort_by(|a, b| {
        let (a, b) = (&a.account, &b.account);
        let lv = |r: &AccountHeader| Level::ALL.iter().position(|l| l.label() == r.level);
        lv(a)
            .cmp(&lv(b))
            .then(a.rank.is_none().cmp(&b.rank.is_none()))
            .then(a.rank.cmp(&b.rank))
            .then(a.id.cmp(&b.id))
    });
    rows
}

/// An indicator in the score tree.
#[derive(Debug, Serialize)]
pub struct IndicatorRow {
    pub id: String,
    pub name: String,
    pub depth: usize,
    /// 0–100.
    pub score: Option<f64>,
    pub weight: f64,
    pub not_evaluated: Option<String>,
    pub basis: Option<String>,
}

/// A finding as the account page shows it, with its review state.
#[derive(Debug, Serialize)]
pub struct FindingView {
    pub code: String,
    pub title: String,
    pub severity: &'static str,
    pub severity_label: &'static str,
    pub message: String,
    pub evidence: Vec<(String, String)>,
    /// Evidence files to open: (what, link) — screenshots and saved page copies.
    pub files: Vec<(&'static str, String)>,
    pub fingerprint: String,
    pub ai_derived: bool,
    pub review: Option<Review>,
    pub review_label: Option<String>,
}

/// Links to the evidence files a finding cites (served by `downloads.rs`, which checks again).
fn evidence_files(account: &str, f: &Finding) -> Vec<(&'static str, String)> {
    let account = percent_encode(account);
    let text = |k: &str| f.evidence.get(k).and_then(|v| v.as_str());
    let mut files = Vec::new();
    if let Some(name) = text("screenshot").and_then(|p| p.rsplit('/').next()) {
        files.push(("手机截图", format!("/accounts/{account}/evidence/{}", percent_encode(name))));
    }
    if let Some(name) = text("html").and_then(|p| p.rsplit('/').next()) {
        files.push(("渲染后的网页源码", format!("/accounts/{account}/evidence/{}", percent_encode(name))));
    }
    if let Some(hash) = text("content_hash") {
        files.push(("网页快照", format!("/accounts/{account}/snapshot/{hash}")));
    }
    files
}

/// Percent-encodes everything but unreserved characters (a path segment or query value).
pub fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A finding of `run` with its latest decision. A "fixed" from an earlier run whose finding is
/// still there says so: the re-check found it again.
fn finding_view(account: &str, f: &Finding, decisions: &Decisions, run: RunId) -> FindingView {
    let fingerprint = review::fingerprint(f);
    let review = decisions.get(account, f.code.as_str(), &fingerprint).cloned();
    FindingView {
        code: f.code.as_str().to_owned(),
        title: f.code.title().to_owned(),
        severity: match f.severity {
            govmedia_model::Severity::Veto => "veto",
            govmedia_model::Severity::Major => "major",
            govmedia_model::Severity::Minor => "minor",
            govmedia_model::Severity::Info => "info",
        },
        severity_label: f.severity.label(),
        message: f.message.clone(),
        evidence: f
            .evidence
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
            .collect(),
        files: evidence_files(account, f),
        fingerprint,
        ai_derived: f.ai_derived,
        review_label: review.as_ref().map(|r| match (r.decision, r.run) {
            (Decision::Fixed, Some(marked)) if marked < run => "已整改，但复查后仍存在".into(),
            (d, _) => d.label().to_owned(),
        }),
        review,
    }
}

/// How long the account has been silent at the check date, against the 14-day veto line.
#[derive(Debug, Serialize)]
pub struct Silence {
    pub last_published: String,
    pub days: i64,
    /// Days left before the veto (0 when it applies).
    pub days_left: i64,
}

/// Everything the account page shows.
#[derive(Debug, Serialize)]
pub struct AccountView {
    pub run: RunSummary,
    #[serde(flatten)]
    pub account: AccountHeader,
    pub not_evaluated: Option<String>,
    pub indicators: Vec<IndicatorRow>,
    pub findings: Vec<FindingView>,
    /// [date, articles] per publishing day, for the calendar.
    pub calendar: Vec<(String, u64)>,
    pub calendar_year: Option<String>,
    pub trend: Vec<AccountRun>,
    pub rechecks: Vec<Recheck>,
    pub silence: Option<Silence>,
    /// What this viewer may do with the findings.
    pub can_review: bool,
    pub can_fix: bool,
}

/// The silence veto line (days without a post).
const SILENCE_VETO_DAYS: i64 = 14;

pub async fn account(
    app: &Arc<App>,
    viewer: &Viewer,
    run: Option<RunId>,
    id: &str,
) -> Result<AccountView, HttpError> {
    let run = run_view(app, run).await?;
    let a = run.account(&viewer.scope, id).ok_or(HttpError::NotFound)?.clone();
    let key = a.id.clone();
    let (reviews, trend, rechecks) = app
        .pool
        .with(move |s| Ok((s.reviews(Some(&key))?, s.account_runs(&key)?, s.rechecks(&key)?)))
        .await?;
    let decisions = Decisions::new(reviews);
    let mut indicators: Vec<IndicatorRow> = a
        .indicators
        .iter()
        .map(|(id, i)| IndicatorRow {
            depth: id.matches('.').count(),
            name: i.name.clone().unwrap_or_else(|| id.clone()),
            id: id.clone(),
            score: i.score.map(|s| s * 100.0),
            weight: i.weight,
            not_evaluated: i.not_evaluated.clone(),
            basis: i.basis.clone(),
        })
        .collect();
    indicators.sort_by(|x, y| x.id.cmp(&y.id));
    let calendar: Vec<(String, u64)> = a
        .stats
        .get("daily_articles")
        .and_then(|v| v.as_object())
        .map(|m| m.iter().map(|(d, n)| (d.clone(), n.as_u64().unwrap_or(0))).collect())
        .unwrap_or_default();
    let silence = a.stats.get("last_published").and_then(|v| v.as_str()).and_then(|t| {
        let date = chrono::DateTime::parse_from_rfc3339(t).ok()?.date_naive();
        let days = (run.check_date() - date).num_days();
        Some(Silence { last_published: date.to_string(), days, days_left: (SILENCE_VETO_DAYS - days).max(0) })
    });
    let role = viewer.user.role;
    Ok(AccountView {
        run: run.summary.clone(),
        calendar_year: calendar.last().map(|(d, _)| d[..4].to_owned()),
        calendar,
        findings: a.findings.iter().map(|f| finding_view(&a.id, f, &decisions, run.summary.id)).collect(),
        account: AccountHeader::of(&a),
        not_evaluated: a.not_evaluated,
        indicators,
        trend,
        rechecks,
        silence,
        can_review: may_decide(role, Decision::Dismissed),
        can_fix: may_decide(role, Decision::Fixed),
    })
}

/// Who may make which decision: reviewers confirm and dismiss, operators mark fixed.
pub fn may_decide(role: Role, decision: Decision) -> bool {
    match decision {
        Decision::Confirmed | Decision::Dismissed => {
            matches!(role, Role::Admin | Role::Evaluator | Role::Supervisor)
        }
        Decision::Fixed => matches!(role, Role::Admin | Role::Operator),
    }
}

/// A decision as a form or the API sends it.
#[derive(Debug, Clone, Deserialize)]
pub struct ReviewInput {
    pub fingerprint: String,
    pub decision: String,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub run: Option<RunId>,
}

/// Records a decision on one of the account's findings (in the given or latest run); an
/// operator's "fixed" also queues a re-check. Returns the finding as it now shows.
pub async fn decide(
    app: &Arc<App>,
    viewer: &Viewer,
    account: &str,
    input: ReviewInput,
) -> Result<FindingView, HttpError> {
    let decision = Decision::parse(&input.decision).ok_or_else(|| {
        HttpError::BadRequest(format!(
            "decision 应为 confirmed、dismissed 或 fixed，而不是“{}”",
            input.decision
        ))
    })?;
    let run = run_view(app, input.run).await?;
    let a = run.account(&viewer.scope, account).ok_or(HttpError::NotFound)?;
    let finding = a
        .findings
        .iter()
        .find(|f| review::fingerprint(f) == input.fingerprint)
        .ok_or(HttpError::NotFound)?
        .clone();
    if !may_decide(viewer.user.role, decision) {
        return Err(HttpError::Forbidden(format!(
            "{}不能将问题标记为“{}”",
            viewer.user.role.label(),
            decision.label()
        )));
    }
    let reason = input.reason.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
    if decision == Decision::Dismissed && reason.is_none() {
        return Err(HttpError::BadRequest("驳回问题时须填写理由".into()));
    }
    if reason.as_ref().is_some_and(|r| r.chars().count() > 500) {
        return Err(HttpError::BadRequest("理由不能超过 500 字".into()));
    }
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let review = Review {
        id: 0,
        account: a.id.clone(),
        code: finding.code.as_str().to_owned(),
        fingerprint: input.fingerprint,
        decision,
        reason,
        user: viewer.user.name.clone(),
        at: now.clone(),
        run: Some(run.summary.id),
    };
    let (user, stored) = (viewer.user.name.clone(), review.clone());
    app.pool
        .with(move |s| {
            s.add_review(&stored)?;
            crate::auth::audit(
                s,
                Some(&user),
                "review.add",
                &stored.account,
                serde_json::json!({"code": stored.code, "fingerprint": stored.fingerprint,
                                   "decision": stored.decision.as_str(), "reason": stored.reason}),
            )?;
            if stored.decision == Decision::Fixed {
                s.add_recheck(&Recheck {
                    id: 0,
                    account: stored.account.clone(),
                    user,
                    requested_at: now,
                    done_run: None,
                })?;
            }
            Ok(())
        })
        .await?;
    if decision == Decision::Fixed {
        app.recheck.notify_one();
    }
    Ok(finding_view(&a.id, &finding, &Decisions::new(vec![review]), run.summary.id))
}

/// Precision of finding codes and rules, from the decisions on findings the viewer may see.
pub async fn precision(app: &Arc<App>, viewer: &Viewer) -> Result<review::Precision, HttpError> {
    viewer.require(&[Role::Admin, Role::Evaluator, Role::Supervisor])?;
    let reviews = app.pool.with(|s| s.reviews(None)).await?;
    // Rules are read from the findings of the latest run (and kept for findings reviewed earlier).
    let run = run_view(app, None).await.ok();
    let mut rules = HashMap::new();
    let mut visible = std::collections::HashSet::new();
    if let Some(run) = &run {
        for a in run.accounts(&viewer.scope) {
            visible.insert(a.id.clone());
            for f in &a.findings {
                if let Some(rule) = review::rule_of(f) {
                    rules.insert((a.id.clone(), review::fingerprint(f)), rule);
                }
            }
        }
    }
    let reviews =
        reviews.into_iter().filter(|r| viewer.scope.is_all() || visible.contains(&r.account)).collect();
    Ok(Decisions::new(reviews).precision(&rules))
}

/// A finding in the difference between two runs.
#[derive(Debug, Serialize)]
pub struct DiffRow {
    pub account: String,
    pub name: String,
    pub code: String,
    pub title: String,
    pub message: String,
}

/// What changed between two runs, for the accounts the viewer may see.
#[derive(Debug, Serialize)]
pub struct Diff {
    pub from: RunSummary,
    pub to: RunSummary,
    /// In `to` only.
    pub new: Vec<DiffRow>,
    /// In `from` only.
    pub fixed: Vec<DiffRow>,
    /// In both.
    pub open: Vec<DiffRow>,
}

pub async fn diff(app: &Arc<App>, viewer: &Viewer, from: RunId, to: RunId) -> Result<Diff, HttpError> {
    let (a, b) = (run_view(app, Some(from)).await?, run_view(app, Some(to)).await?);
    let keyed = |run: &RunView| -> BTreeMap<(String, String, String), DiffRow> {
        run.accounts(&viewer.scope)
            .flat_map(|acc| {
                acc.findings.iter().map(|f| {
                    (
                        (acc.id.clone(), f.code.as_str().to_owned(), review::fingerprint(f)),
                        DiffRow {
                            account: acc.id.clone(),
                            name: acc.name.clone(),
                            code: f.code.as_str().to_owned(),
                            title: f.code.title().to_owned(),
                            message: f.message.clone(),
                        },
                    )
                })
            })
            .collect()
    };
    let (mut before, after) = (keyed(&a), keyed(&b));
    let (mut new, mut open) = (Vec::new(), Vec::new());
    for (k, row) in after {
        match before.remove(&k) {
            Some(_) => open.push(row),
            None => new.push(row),
        }
    }
    Ok(Diff {
        from: a.summary.clone(),
        to: b.summary.clone(),
        new,
        fixed: before.into_values().collect(),
        open,
    })
}

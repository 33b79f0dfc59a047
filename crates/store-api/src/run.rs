//! Evaluation runs: what was evaluated, when, with which options, and what came out.

use chrono::NaiveDate;
use govmedia_model::Period;
use govmedia_model::results::{AccountResult, Results};
use serde::{Deserialize, Serialize};

/// A run's identifier (increasing).
pub type RunId = i64;

/// What a run is about to evaluate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewRun {
    pub framework: String,
    pub period: Period,
    pub check_date: NaiveDate,
    /// The options that shaped the run (offline, AI profile, lexicons …), as given.
    pub options: serde_json::Value,
}

/// Where a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunState {
    Running,
    Finished,
    Failed,
}

impl RunState {
    pub fn as_str(self) -> &'static str {
        match self {
            RunState::Running => "running",
            RunState::Finished => "finished",
            RunState::Failed => "failed",
        }
    }

    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            RunState::Running => "进行中",
            RunState::Finished => "已完成",
            RunState::Failed => "失败",
        }
    }

    /// The state stored as `s`; unknown text reads as failed.
    pub fn parse(s: &str) -> RunState {
        match s {
            "running" => RunState::Running,
            "finished" => RunState::Finished,
            _ => RunState::Failed,
        }
    }
}

/// One row of the run history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    pub id: RunId,
    #[serde(flatten)]
    pub run: NewRun,
    pub state: RunState,
    /// RFC 3339.
    pub started_at: String,
    pub finished_at: Option<String>,
    /// Accounts evaluated and accounts that passed (finished runs).
    pub accounts: Option<u64>,
    pub passed: Option<u64>,
    /// Why a failed run failed.
    pub error: Option<String>,
}

/// One account's row of a stored run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunAccountRow {
    pub account: String,
    /// None for an account with nothing evaluated (no score, no rank).
    pub score: Option<f64>,
    pub rank: Option<i64>,
    pub passed: bool,
    /// The account's result (with findings) as JSON, as in results.json.
    pub data: String,
}

/// Results without their accounts, borrowed: serialised without copying a national run.
#[derive(Serialize)]
struct Rest<'a> {
    framework: &'a str,
    framework_version: &'a Option<String>,
    survey_name: &'a Option<String>,
    period: &'a Period,
    check_date: &'a NaiveDate,
    generated_at: &'a str,
    govmedia_version: &'a str,
    generated_data: bool,
    accounts: [(); 0],
    articles: &'a [govmedia_model::results::ArticleResult],
    not_evaluated: &'a [govmedia_model::results::NotEvaluated],
    units: &'a [govmedia_model::results::UnitResult],
    statistics: &'a serde_json::Map<String, serde_json::Value>,
}

/// Splits results into what the `runs` row keeps (results.json without its accounts, as
/// JSON) and one row per account, in results order, each serialised only when it is taken
/// (memory holds one account's JSON at a time, not the run's).
pub fn split_results(results: &Results) -> (String, impl ExactSizeIterator<Item = RunAccountRow> + '_) {
    // Every field named: a field added to Results must be added here too.
    let Results {
        framework,
        framework_version,
        survey_name,
        period,
        check_date,
        generated_at,
        govmedia_version,
        generated_data,
        accounts,
        articles,
        not_evaluated,
        units,
        statistics,
    } = results;
    let rest = Rest {
        framework,
        framework_version,
        survey_name,
        period,
        check_date,
        generated_at,
        govmedia_version,
        generated_data: *generated_data,
        accounts: [],
        articles,
        not_evaluated,
        units,
        statistics,
    };
    let rows = accounts.iter().map(|a| RunAccountRow {
        account: a.id.clone(),
        score: a.score,
        rank: a.rank.map(i64::from),
        passed: a.passed,
        data: serde_json::to_string(a).expect("results serialise"),
    });
    (serde_json::to_string(&rest).expect("results serialise"), rows)
}

/// Puts results back together from [`split_results`]' parts (account rows in order).
pub fn join_results(location: &str, rest: &str, accounts: &[String]) -> crate::Result<Results> {
    let corrupt = |what: &str, e| crate::StoreError::corrupt(location, what.to_owned(), e);
    let mut results: Results = serde_json::from_str(rest).map_err(|e| corrupt("评估结果", e))?;
    results.accounts = accounts
        .iter()
        .map(|a| serde_json::from_str::<AccountResult>(a).map_err(|e| corrupt("账号评估结果", e)))
        .collect::<crate::Result<_>>()?;
    Ok(results)
}

/// A `runs` row as both backends store it (dates and options as text).
#[derive(Debug, Clone)]
pub struct RawRun {
    pub id: RunId,
    pub framework: String,
    pub from: String,
    pub to: String,
    pub check_date: String,
    pub options: String,
    pub state: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub accounts: Option<i64>,
    pub passed: Option<i64>,
    pub error: Option<String>,
}

impl RawRun {
    /// The row as a summary; text that does not parse is reported as a corrupt record.
    pub fn summary(self, location: &str) -> crate::Result<RunSummary> {
        let date = |s: &str| {
            s.parse::<NaiveDate>().map_err(|e| crate::StoreError::Backend {
                location: location.to_owned(),
                message: format!("评估记录 {} 的日期“{s}”无法解析", self.id),
                source: Some(Box::new(e)),
            })
        };
        let options = serde_json::from_str(&self.options)
            .map_err(|e| crate::StoreError::corrupt(location, format!("评估记录 {} 的选项", self.id), e))?;
        Ok(RunSummary {
            id: self.id,
            run: NewRun {
                framework: self.framework.clone(),
                period: Period { from: date(&self.from)?, to: date(&self.to)? },
                check_date: date(&self.check_date)?,
                options,
            },
            state: RunState::parse(&self.state),
            started_at: self.started_at.clone(),
            finished_at: self.finished_at.clone(),
            accounts: self.accounts.map(|n| n.max(0) as u64),
            passed: self.passed.map(|n| n.max(0) as u64),
            error: self.error.clone(),
        })
    }
}

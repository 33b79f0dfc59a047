//! Evaluation runs: what was evaluated, when, with which options, and what came out.

use chrono::NaiveDate;
use govmedia_model::Period;
use govmedia_model::results::{AccountResult, ArticleResult, Results};
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

/// One account's article results of a stored run, as a JSON array (results.json's `articles`
/// for that account, in results order).
#[derive(Debug, Clone, PartialEq)]
pub struct RunArticlesRow {
    pub account: String,
    pub data: String,
}

/// Results without their accounts and articles, borrowed: serialised without copying a
/// national run.
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
    articles: [(); 0],
    not_evaluated: &'a [govmedia_model::results::NotEvaluated],
    units: &'a [govmedia_model::results::UnitResult],
    statistics: &'a serde_json::Map<String, serde_json::Value>,
}

/// Splits results into what the `runs` row keeps (results.json without its accounts and
/// articles, as JSON), one row per account in results order, and one row of article results
/// per account (see [`article_rows`]). Rows are serialised only when they are taken: memory
/// holds one account's JSON at a time, never the run's (a national run's articles are
/// gigabytes of JSON).
pub fn split_results(
    results: &Results,
) -> (String, impl ExactSizeIterator<Item = RunAccountRow> + '_, impl Iterator<Item = RunArticlesRow> + '_) {
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
        articles: [],
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
    (serde_json::to_string(&rest).expect("results serialise"), rows, article_rows(articles))
}

/// The article results in blocks of consecutive articles of one account (the engine lists an
/// account's articles together, so that is one block per account), in results order.
fn article_rows(articles: &[ArticleResult]) -> impl Iterator<Item = RunArticlesRow> + '_ {
    articles.chunk_by(|a, b| a.account == b.account).map(|block| RunArticlesRow {
        account: block[0].account.clone(),
        data: serde_json::to_string(block).expect("results serialise"),
    })
}

/// Puts results back together from [`split_results`]' parts (account rows and article rows
/// in order). Runs recorded before articles had rows of their own keep them in `rest`.
pub fn join_results(
    location: &str,
    rest: &str,
    accounts: &[String],
    articles: &[String],
) -> crate::Result<Results> {
    let corrupt = |what: &str, e| crate::StoreError::corrupt(location, what.to_owned(), e);
    let mut results: Results = serde_json::from_str(rest).map_err(|e| corrupt("评估结果", e))?;
    results.accounts = accounts
        .iter()
        .map(|a| serde_json::from_str::<AccountResult>(a).map_err(|e| corrupt("账号评估结果", e)))
        .collect::<crate::Result<_>>()?;
    for block in articles {
        let block: Vec<ArticleResult> =
            serde_json::from_str(block).map_err(|e| corrupt("文章评估结果", e))?;
        results.articles.extend(block);
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn results() -> Results {
        let account = |id: &str| {
            serde_json::json!({"id": id, "name": id, "owner": "某单位", "level": "county", "score": 80.0,
                "rank": 1, "passed": true, "vetoes": [], "indicators": {}, "stats": {}, "findings": []})
        };
        let article = |account: &str, n: u32| {
            serde_json::json!({"url": format!("https://mp.weixin.qq.com/s/{account}{n}"), "account": account,
                "title": format!("标题{n}"), "excellent": false})
        };
        serde_json::from_value(serde_json::json!({
            "framework": "national-2025", "period": {"from": "2025-01-01", "to": "2025-03-31"},
            "check_date": "2025-04-01", "generated_at": "2025-04-01T00:00:00Z", "govmedia_version": "0",
            "accounts": [account("gh_b"), account("gh_a")],
            "articles": [article("gh_a", 1), article("gh_a", 2), article("gh_b", 1)],
        }))
        .unwrap()
    }

    #[test]
    fn split_results_join_back_with_one_article_row_per_account() {
        let results = results();
        let (rest, accounts, articles) = split_results(&results);
        let accounts: Vec<String> = accounts.map(|r| r.data).collect();
        let articles: Vec<RunArticlesRow> = articles.collect();
        assert_eq!(articles.iter().map(|r| r.account.as_str()).collect::<Vec<_>>(), ["gh_a", "gh_b"]);
        assert!(!rest.contains("mp.weixin"), "{rest}");
        let data: Vec<String> = articles.into_iter().map(|r| r.data).collect();
        assert_eq!(join_results("test", &rest, &accounts, &data).unwrap(), results);
    }

    #[test]
    fn runs_recorded_with_articles_in_the_run_row_still_read() {
        let results = results();
        let mut old = serde_json::to_value(&results).unwrap();
        old["accounts"] = serde_json::json!([]);
        let (_, accounts, _) = split_results(&results);
        let accounts: Vec<String> = accounts.map(|r| r.data).collect();
        assert_eq!(join_results("test", &old.to_string(), &accounts, &[]).unwrap(), results);
    }

    #[test]
    fn a_corrupt_article_row_names_what_it_is() {
        let results = results();
        let (rest, accounts, _) = split_results(&results);
        let accounts: Vec<String> = accounts.map(|r| r.data).collect();
        let err = join_results("g.db", &rest, &accounts, &["[{".into()]).unwrap_err().to_string();
        assert!(err.contains("g.db") && err.contains("文章评估结果"), "{err}");
    }
}

//! `results.json`: what `govmedia evaluate` writes and `govmedia report` reads
//! (spec/interchange.md §3). Fields beyond the contract are optional additions.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Finding, Level, Period};

/// The whole results file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub framework: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survey_name: Option<String>,
    pub period: Period,
    pub check_date: chrono::NaiveDate,
    /// RFC 3339; the only field that differs between two runs on the same data.
    pub generated_at: String,
    pub govmedia_version: String,
    /// True when (some of) the data is generated sample data, so reports can say so.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub generated_data: bool,
    pub accounts: Vec<AccountResult>,
    pub articles: Vec<ArticleResult>,
    /// Checks that did not run, with the reason, for the method appendix.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_evaluated: Vec<NotEvaluated>,
    /// Survey-wide statistics for the report (distributions, long tail, CR20, funnel …).
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub statistics: serde_json::Map<String, serde_json::Value>,
}

/// One account's evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountResult {
    pub id: String,
    pub name: String,
    pub owner: String,
    pub level: Level,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// 0–100.
    pub score: f64,
    /// Rank within the level, 1 = best.
    pub rank: u32,
    /// False when any veto applies.
    pub passed: bool,
    /// Codes of the veto findings.
    pub vetoes: Vec<String>,
    /// Indicator id → score (0–1) and effective weight.
    pub indicators: BTreeMap<String, IndicatorResult>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub indices: BTreeMap<String, IndexValue>,
    pub stats: serde_json::Map<String, serde_json::Value>,
    pub findings: Vec<Finding>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub excellent: bool,
}

/// An indicator's outcome for one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorResult {
    /// 0–1; absent when the indicator was not evaluated.
    pub score: Option<f64>,
    /// The weight it carried after redistribution (0 when not evaluated).
    pub weight: f64,
    /// Chinese indicator name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Why there is no score ("未评估：…").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_evaluated: Option<String>,
}

/// A propagation index value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexValue {
    pub value: f64,
    pub version: String,
    /// The formula's weights are not confirmed by a published source.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unverified: bool,
}

/// The category of an article the offline classifier could not decide (its confidence is
/// below the threshold): shown instead of a guess, and left out of the category shares.
pub const UNDECIDED_CATEGORY: &str = "未能确定";

/// One article's classification and selection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleResult {
    pub url: String,
    pub account: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The offline classifier's category beside `category` (which the AI decides when it is
    /// configured): 未能确定 below the classifier's confidence threshold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline_category: Option<String>,
    /// The offline classifier's probability for its best category (0–1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline_confidence: Option<f64>,
    pub excellent: bool,
}

/// A check that did not run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotEvaluated {
    pub check: String,
    pub reason: String,
}

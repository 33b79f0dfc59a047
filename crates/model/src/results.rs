//! `results.json`: what `govmedia evaluate` writes and `govmedia report` reads
//! (spec/interchange.md §3). Fields beyond the contract are optional additions.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Finding, Level, Period, Platform, Reads};

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
    /// Units (主办单位) with their WeChat and Weibo indices and the combined index, for the
    /// communication-power rankings; empty when no account has an index.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<UnitResult>,
    /// Survey-wide statistics for the report (distributions, long tail, CR20, funnel …).
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub statistics: serde_json::Map<String, serde_json::Value>,
}

impl Results {
    /// Masks personal data in every text of the results that comes from the data (findings,
    /// statistics, article titles) with the masking the store uses: nothing leaves govmedia
    /// unmasked. Identifiers (account ids, names, URLs of articles) are kept.
    pub fn mask_personal_data(&mut self) {
        for a in &mut self.accounts {
            a.findings.iter_mut().for_each(crate::Finding::mask_personal_data);
            a.stats.values_mut().for_each(crate::finding::mask_json);
        }
        for a in &mut self.articles {
            if let Some(t) = &mut a.title {
                *t = govmedia_pii::mask(t).0;
            }
        }
        self.statistics.values_mut().for_each(crate::finding::mask_json);
    }
}

/// One account's evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountResult {
    pub id: String,
    pub name: String,
    pub owner: String,
    pub level: Level,
    #[serde(default, skip_serializing_if = "Platform::is_wechat")]
    pub platform: Platform,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// 0–100; `null` when nothing of the framework could be evaluated for the account
    /// (`not_evaluated` says why): such an account has no score and no rank.
    pub score: Option<f64>,
    /// Rank within the level among accounts with a score, 1 = best; `null` without a score.
    pub rank: Option<u32>,
    /// Why the account has no score ("未评估：…"); absent when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_evaluated: Option<String>,
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
    /// Set when the leaf was scored on its framework fallback: which metric, and why its own
    /// was not evaluated (e.g. the keyword match when no AI model is configured).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
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

/// One unit's accounts and indices: the combined index needs both a WeChat and a Weibo index
/// of the framework's pair of versions; a unit with one platform only has `combined` unset and
/// says why in `not_evaluated` (never 0 for the missing platform).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitResult {
    /// The owner as written on its accounts.
    pub unit: String,
    pub level: Level,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The WeChat account whose index is the unit's (the highest of its accounts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wechat: Option<UnitAccount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weibo: Option<UnitAccount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub combined: Option<IndexValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_evaluated: Option<String>,
}

/// A unit's account on one platform, with its index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitAccount {
    pub id: String,
    pub name: String,
    pub index: IndexValue,
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
    /// Publication time (RFC 3339) and counters, for the lists of most-read articles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reads: Option<Reads>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub likes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Where the category came from: `ai` (an AI model's, AI分类) or `rules` (the offline
    /// classifier's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_basis: Option<String>,
    /// The offline classifier's category, when the one shown came from an AI model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_offline: Option<String>,
    /// The offline classifier's probability (0–1) for its category (未能确定 below its
    /// threshold).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline_confidence: Option<f64>,
    /// The 0–1 quality signal the excellent list is chosen on …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<f64>,
    /// … and where it comes from: `ai` (the model's judgement) or `rules`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality_basis: Option<String>,
    pub excellent: bool,
}

impl ArticleResult {
    /// The AI model's category (AI分类), when a model classified the article.
    pub fn ai_category(&self) -> Option<&str> {
        self.category.as_deref().filter(|_| self.category_basis.as_deref() == Some("ai"))
    }

    /// The offline classifier's category, whether or not it is the one shown.
    pub fn offline_category(&self) -> Option<&str> {
        if self.ai_category().is_some() { self.category_offline.as_deref() } else { self.category.as_deref() }
    }
}

/// A check that did not run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotEvaluated {
    pub check: String,
    pub reason: String,
}

//! survey.toml: what a survey covers.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An inclusive date range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }

    /// Number of days, both ends included.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }
}

/// The survey's description (survey.toml). Every field is optional in the file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// The monitoring time point; default: the day after the period ends (the rule is
    /// `govmedia_pipeline::Scope`'s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_date: Option<NaiveDate>,
    /// A built-in framework name or a path to a framework file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework: Option<String>,
    /// True when (some of) the data was produced by `govmedia generate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<bool>,
}

impl SurveyConfig {
    /// Checks what types cannot: dates in [`crate::time::YEARS`], the period in order.
    pub fn validate(&self) -> Result<(), crate::FieldError> {
        if let Some(p) = self.period {
            crate::time::in_range("period.from", p.from)?;
            crate::time::in_range("period.to", p.to)?;
            if p.from > p.to {
                return Err(crate::FieldError::new("period", format!("起点 {} 晚于终点 {}", p.from, p.to)));
            }
        }
        match self.check_date {
            Some(d) => crate::time::in_range("check_date", d),
            None => Ok(()),
        }
    }
}

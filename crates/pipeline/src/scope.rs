//! What an evaluation covers: the one rule for the period, the check date and the cut-off,
//! used by every front end and by the tests.

use chrono::{Days, NaiveDate};
use govmedia_model::time::{local_date, start_of_day};
use govmedia_model::{Period, SurveyConfig, Timestamp};
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The period and check date a user asked for; what is unset comes from survey.toml, then
/// from the data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub check_date: Option<NaiveDate>,
}

/// A scope resolved against the survey and its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Resolved {
    pub period: Period,
    pub check_date: NaiveDate,
}

impl Scope {
    /// The rule:
    /// - period: `from`/`to` as given, else survey.toml's `period`, else the first and last
    ///   publish dates (Asia/Shanghai) in the data;
    /// - check date: as given, else survey.toml's `check_date`, else the day after the period
    ///   ends.
    pub(crate) fn resolve(&self, config: &SurveyConfig, data: Option<Period>) -> Result<Resolved> {
        let from = self.from.or(config.period.map(|p| p.from)).or(data.map(|p| p.from));
        let to = self.to.or(config.period.map(|p| p.to)).or(data.map(|p| p.to));
        let (Some(from), Some(to)) = (from, to) else {
            return Err(Error::Invalid(
                "无法确定评估周期：请在 survey.toml 中设置 period，或使用 --from/--to".into(),
            ));
        };
        if from > to {
            return Err(Error::Invalid(format!("评估周期起点 {from} 晚于终点 {to}")));
        }
        let check_date = self
            .check_date
            .or(config.check_date)
            .or_else(|| to.checked_add_days(Days::new(1)))
            .ok_or_else(|| Error::Invalid("无法确定检查日期".into()))?;
        Ok(Resolved { period: Period { from, to }, check_date })
    }
}

impl Resolved {
    /// Articles published before this instant are evaluated: 00:00 (Asia/Shanghai) of the
    /// check date, the monitoring time point that the 14-day rule counts back from.
    pub fn article_cutoff(&self) -> Timestamp {
        start_of_day(self.check_date)
    }

    /// Whether a menu captured at `t` is part of the evaluation: captured on or before the
    /// check date (an inspection on that day sees the menu of that day). Page snapshots are
    /// all used, whenever they were saved: they are the offline record of what the links gave.
    pub fn captured_in_time(&self, t: &Timestamp) -> bool {
        local_date(t) <= self.check_date
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn explicit_then_survey_toml_then_data() {
        let data = Some(Period { from: d("2025-01-01"), to: d("2025-03-31") });
        let config = SurveyConfig {
            period: Some(Period { from: d("2025-02-01"), to: d("2025-02-28") }),
            ..SurveyConfig::default()
        };
        let r = Scope::default().resolve(&SurveyConfig::default(), data).unwrap();
        assert_eq!(
            (r.period.from, r.period.to, r.check_date),
            (d("2025-01-01"), d("2025-03-31"), d("2025-04-01"))
        );
        let r = Scope::default().resolve(&config, data).unwrap();
        assert_eq!((r.period.from, r.check_date), (d("2025-02-01"), d("2025-03-01")));
        let explicit =
            Scope { to: Some(d("2025-02-10")), check_date: Some(d("2025-02-20")), ..Scope::default() };
        let r = explicit.resolve(&config, data).unwrap();
        assert_eq!(
            (r.period.from, r.period.to, r.check_date),
            (d("2025-02-01"), d("2025-02-10"), d("2025-02-20"))
        );
        assert!(Scope::default().resolve(&SurveyConfig::default(), None).is_err());
    }

    #[test]
    fn cutoff_is_midnight_of_the_check_date() {
        let r = Resolved {
            period: Period { from: d("2025-01-01"), to: d("2025-01-31") },
            check_date: d("2025-02-01"),
        };
        let t = |s: &str| govmedia_model::time::parse_time("t", s).unwrap();
        assert!(t("2025-01-31T23:59:59+08:00") < r.article_cutoff());
        assert!(t("2025-02-01T00:00:00+08:00") >= r.article_cutoff());
        assert!(r.captured_in_time(&t("2025-02-01T18:00:00+08:00")));
        assert!(!r.captured_in_time(&t("2025-02-02T00:00:00+08:00")));
    }
}

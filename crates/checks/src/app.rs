//! Government apps (政务APP): what their store listings show.
//!
//! Metrics: `stores` (listings), `downloads` (sum over the stores that give a count),
//! `rating` (mean over the stores that give one), `days_since_update` (from the latest update
//! in any store to the latest date a store was read, else the check date).
//!
//! Findings:
//! - `app.stale`: no update in any store for more than [`STALE_DAYS`] days (the inspection rules
//!   ask for apps that are maintained; "long" is not quantified there, a year is govmedia's
//!   threshold). Evidence: the latest update, the store it was in, the date read, the days.
//! - `app.duplicate`: the unit has more than one app. 国办发〔2018〕123号 discourages "一事
//!   一端" and asks units to integrate apps of one purpose; evidence names the other apps.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use govmedia_model::{AccountStatus, Finding, FindingCode, Platform, Severity};

use crate::account::UnitNames;
use crate::{AccountData, Assessment, Check, CheckError, Outcome, Progress, Survey};

/// Days without an update after which an app counts as not maintained.
pub const STALE_DAYS: i64 = 365;

/// The app check (module documentation).
#[derive(Debug, Default)]
pub struct AppCheck {
    /// Set by `prepare`: app id → the names of the other active apps of its unit.
    siblings: BTreeMap<String, Vec<String>>,
}

impl Check for AppCheck {
    fn reads_bodies(&self) -> bool {
        false
    }

    fn name(&self) -> &'static str {
        "app"
    }

    fn platforms(&self) -> &'static [Platform] {
        &[Platform::App]
    }

    fn prepare(&mut self, survey: &Survey, _progress: &dyn Progress) -> Result<(), CheckError> {
        let names = UnitNames::default_names();
        let mut by_unit: BTreeMap<String, Vec<(&str, &str)>> = BTreeMap::new();
        for a in &survey.accounts {
            if a.platform == Platform::App && a.status == AccountStatus::Active {
                by_unit.entry(names.key(&a.owner)).or_default().push((&a.id, &a.name));
            }
        }
        self.siblings.clear();
        for apps in by_unit.values().filter(|v| v.len() > 1) {
            for (id, _) in apps {
                let others = apps.iter().filter(|x| x.0 != *id).map(|x| x.1.to_owned()).collect();
                self.siblings.insert((*id).to_owned(), others);
            }
        }
        Ok(())
    }

    fn assess(&self, survey: &Survey, account: &AccountData) -> Outcome {
        let app = &account.account;
        if app.stores.is_empty() {
            return Outcome::NotEvaluated("未提供该APP的应用商店数据".into());
        }
        let mut a = Assessment::default();
        a.metrics.insert("stores".into(), app.stores.len() as f64);
        // The listings as read, for the workbook's app sheet.
        a.stats.insert("stores".into(), serde_json::to_value(&app.stores).expect("plain data"));
        let downloads: Vec<u64> = app.stores.iter().filter_map(|s| s.downloads).collect();
        if downloads.is_empty() {
            a.not_evaluated.insert("downloads".into(), "应用商店数据未给出下载量".into());
        } else {
            a.metrics.insert("downloads".into(), downloads.iter().sum::<u64>() as f64);
        }
        let ratings: Vec<f64> = app.stores.iter().filter_map(|s| s.rating).collect();
        if ratings.is_empty() {
            a.not_evaluated.insert("rating".into(), "应用商店数据未给出评分".into());
        } else {
            a.metrics.insert("rating".into(), ratings.iter().sum::<f64>() / ratings.len() as f64);
        }
        let latest = app.stores.iter().filter_map(|s| s.updated_at.map(|d| (d, s.store.as_str()))).max();
        let read_on: NaiveDate = app.stores.iter().filter_map(|s| s.as_of).max().unwrap_or(survey.check_date);
        match latest {
            Some((updated, store)) => {
                let days = (read_on - updated).num_days();
                a.metrics.insert("days_since_update".into(), days as f64);
                if days > STALE_DAYS && app.status == AccountStatus::Active {
                    a.findings.push(
                        Finding::new(
                            FindingCode::AppStale,
                            Severity::Major,
                            format!(
                                "“{}”在各应用商店最近一次更新为{updated}（{store}），至{read_on}已{days}天未更新，超过{STALE_DAYS}天",
                                app.name
                            ),
                        )
                        .with("updated_at", updated.to_string())
                        .with("store", store)
                        .with("as_of", read_on.to_string())
                        .with("days_since_update", days)
                        .with("threshold_days", STALE_DAYS),
                    );
                }
            }
            None => {
                a.not_evaluated.insert("days_since_update".into(), "应用商店数据未给出最近更新日期".into());
            }
        }
        if let Some(others) = self.siblings.get(&app.id) {
            a.metrics.insert("single_app".into(), 0.0);
            a.findings.push(
                Finding::new(
                    FindingCode::AppDuplicate,
                    Severity::Minor,
                    format!(
                        "“{}”的主办单位{}还开设了{}等{}个APP，国办发〔2018〕123号要求整合同类应用、避免“一事一端”",
                        app.name,
                        app.owner,
                        others.join("、"),
                        others.len()
                    ),
                )
                .with("owner", app.owner.clone())
                .with("other_apps", others.clone()),
            );
        } else {
            a.metrics.insert("single_app".into(), 1.0);
        }
        Outcome::Evaluated(a)
    }
}

#[cfg(test)]
mod tests {
    use govmedia_model::{Account, Level, StoreListing};

    use super::*;

    fn app(id: &str, owner: &str, updated: &str) -> AccountData {
        let mut a = Account::new(id, format!("{id}APP"), owner, Level::Prefecture);
        a.platform = Platform::App;
        a.stores.push(StoreListing {
            store: "应用宝".into(),
            downloads: Some(1200),
            rating: Some(4.0),
            updated_at: Some(updated.parse().unwrap()),
            as_of: Some("2025-10-31".parse().unwrap()),
        });
        AccountData { account: a, articles: Vec::new(), menu: None }
    }

    #[test]
    fn stale_and_duplicate_apps_are_found_with_evidence() {
        let accounts = [
            app("a", "某市人民政府办公室", "2024-06-30"),
            app("b", "某市人民政府办公室", "2025-09-01"),
            app("c", "某市公安局", "2025-10-30"),
        ];
        let s = crate::october_survey(&accounts);
        let outcomes = crate::run_check(&mut AppCheck::default(), &s, &accounts, &crate::NoProgress).unwrap();
        let outcome = |i: usize| match outcomes[i].clone() {
            Outcome::Evaluated(a) => a,
            Outcome::NotEvaluated(why) => panic!("{why}"),
        };
        let a = outcome(0);
        let codes: Vec<_> = a.findings.iter().map(|f| f.code).collect();
        assert_eq!(codes, [FindingCode::AppStale, FindingCode::AppDuplicate]);
        assert_eq!(a.findings[0].evidence["days_since_update"], 488);
        assert_eq!(a.findings[1].evidence["other_apps"], serde_json::json!(["bAPP"]));
        assert_eq!(outcome(1).findings.len(), 1);
        let c = outcome(2);
        assert!(c.findings.is_empty());
        assert_eq!(c.metrics["downloads"], 1200.0);
        assert_eq!(c.metrics["days_since_update"], 1.0);
    }
}

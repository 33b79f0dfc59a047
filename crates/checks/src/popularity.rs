//! The handbook's popularity factors (《政务微信手册》: 阅读率, follower growth, 退订率, share and
//! 在看 rates), measurable only from the platform's own statistics: WeChat's datacube, which an
//! operator who authorised the Open API lets `govmedia monitor` read into the account's `daily`
//! figures. Without them every metric is not evaluated, with the reason: public data cannot
//! give these (followers and unfollows are not public).
//!
//! Over the days of the survey period that have figures:
//! - `read_rate` (阅读率): mean daily readers ÷ mean followers;
//! - `follower_growth`: followers at the last day ÷ followers at the first day − 1;
//! - `cancel_rate` (退订率): unfollows ÷ mean followers;
//! - `share_rate`, `wow_rate`: sharers and 在看 users ÷ readers;
//! - `days`: the days with figures. `stats.figures_source` is `datacube`.

use govmedia_model::DailyFigures;

use crate::{AccountData, Assessment, Check, Outcome, Survey, WECHAT_ONLY};

/// The popularity check (module documentation).
#[derive(Debug, Default)]
pub struct PopularityCheck;

const METRICS: [&str; 6] = ["read_rate", "follower_growth", "cancel_rate", "share_rate", "wow_rate", "days"];

fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// `part / whole` when both were given on some day and `whole` is positive.
fn ratio(part: Option<f64>, whole: Option<f64>) -> Option<f64> {
    match (part, whole) {
        (Some(p), Some(w)) if w > 0.0 => Some(p / w),
        _ => None,
    }
}

fn sum(days: &[&DailyFigures], f: fn(&DailyFigures) -> Option<u64>) -> Option<f64> {
    let v: Vec<u64> = days.iter().filter_map(|d| f(d)).collect();
    (!v.is_empty()).then(|| v.iter().sum::<u64>() as f64)
}

impl Check for PopularityCheck {
    /// Reads nothing that `observe` or `prepare` compute.
    fn assessable_unprepared(&self) -> bool {
        true
    }

    fn name(&self) -> &'static str {
        "popularity"
    }

    fn platforms(&self) -> &'static [govmedia_model::Platform] {
        WECHAT_ONLY
    }

    fn assess(&self, survey: &Survey, account: &AccountData) -> Outcome {
        let mut a = Assessment::default();
        let days: Vec<&DailyFigures> =
            account.account.daily.iter().filter(|d| survey.period.contains(d.date)).collect();
        if days.is_empty() {
            for m in METRICS {
                a.not_evaluated
                    .insert(m.into(), "未通过开放接口取得统计期内的平台数据统计（datacube）".into());
            }
            return Outcome::Evaluated(a);
        }
        a.stats.insert("figures_source".into(), "datacube".into());
        a.metrics.insert("days".into(), days.len() as f64);
        let followers: Vec<f64> = days.iter().filter_map(|d| d.cumulate_user.map(|x| x as f64)).collect();
        let mean_followers = mean(&followers);
        let readers = sum(&days, |d| d.read_user);
        let reader_days = days.iter().filter(|d| d.read_user.is_some()).count() as f64;
        let values = [
            ("read_rate", ratio(readers.map(|r| r / reader_days), mean_followers), "未取得阅读人数或粉丝数"),
            (
                "follower_growth",
                ratio(
                    followers.last().zip(followers.first()).map(|(l, f)| l - f),
                    followers.first().copied(),
                ),
                "未取得期初与期末粉丝数",
            ),
            (
                "cancel_rate",
                ratio(sum(&days, |d| d.cancel_user), mean_followers),
                "未取得取消关注人数或粉丝数",
            ),
            ("share_rate", ratio(sum(&days, |d| d.share_user), readers), "未取得分享人数或阅读人数"),
            ("wow_rate", ratio(sum(&days, |d| d.zaikan_user), readers), "未取得在看人数或阅读人数"),
        ];
        for (metric, value, why) in values {
            match value {
                Some(v) => {
                    a.metrics.insert(metric.into(), v);
                }
                None => {
                    a.not_evaluated.insert(metric.into(), why.into());
                }
            }
        }
        Outcome::Evaluated(a)
    }
}

#[cfg(test)]
mod tests {
    use govmedia_model::{Account, Level};

    use super::*;

    fn day(d: &str, cumulate: u64, cancel: u64, read: Option<u64>) -> DailyFigures {
        DailyFigures {
            date: d.parse().unwrap(),
            new_user: Some(20),
            cancel_user: Some(cancel),
            cumulate_user: Some(cumulate),
            read_user: read,
            share_user: read.map(|r| r / 10),
            zaikan_user: None,
            like_user: None,
        }
    }

    #[test]
    fn the_handbook_factors_come_from_the_daily_figures_and_only_from_them() {
        let mut acc = Account::new("gh_a", "某市发布", "某市", Level::Prefecture);
        acc.daily = vec![
            day("2025-09-30", 900, 50, Some(9_999)), // before the period: not counted
            day("2025-10-01", 1000, 2, Some(300)),
            day("2025-10-02", 1100, 4, Some(500)),
        ];
        let data = AccountData { account: acc, articles: Vec::new(), menu: None };
        let Outcome::Evaluated(a) = PopularityCheck.assess(&crate::october_survey(&[]), &data) else {
            panic!()
        };
        assert_eq!(a.metrics["days"], 2.0);
        assert!((a.metrics["read_rate"] - 400.0 / 1050.0).abs() < 1e-9);
        assert!((a.metrics["follower_growth"] - 0.1).abs() < 1e-9);
        assert!((a.metrics["cancel_rate"] - 6.0 / 1050.0).abs() < 1e-9);
        assert!((a.metrics["share_rate"] - 0.1).abs() < 1e-9);
        assert!(a.not_evaluated["wow_rate"].contains("在看"));
        assert_eq!(a.stats["figures_source"], "datacube");

        let bare = AccountData {
            account: Account::new("gh_b", "某县发布", "某县", Level::County),
            articles: Vec::new(),
            menu: None,
        };
        let Outcome::Evaluated(b) = PopularityCheck.assess(&crate::october_survey(&[]), &bare) else {
            panic!()
        };
        assert!(b.metrics.is_empty());
        assert!(b.not_evaluated["read_rate"].contains("datacube"));
    }
}

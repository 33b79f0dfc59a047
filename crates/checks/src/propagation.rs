//! Propagation (传播力): reads, rates and the published indices over the survey period.
//!
//! Reads shown as "10万+" count as 100001 (the stored value); `capped_articles` says how many.
//! The WCI period d is the survey period's length in days. Versions before 13.0 read likes
//! in their Z slot, 13.0 and 14.2 read 在看 (see `govmedia_indices`).
//!
//! Metrics: `score` (mid-rank percentile of the account's WCI 14.2 among the accounts of its
//! level that have read counts: raw reads reward big accounts, so the score is relative to
//! peers), `wci_percentile` (same), `reads`, `avg_reads`, `capped_articles`, `like_rate`,
//! `wow_rate`, `share_rate` (per read), `engagement_per_1k_followers` ((likes + 在看 +
//! shares + comments) per article per 1,000 followers), `wci_2_0`, `wci_11`, `wci_12`,
//! `wci_13_0`, `wci_14_2`, and from the account's Weibo inputs `bci_tsinghua_2014`
//! (published sub-indices) or `bci_provincial` (raw counts). No findings.

use std::collections::HashMap;

use govmedia_indices::{Averaging, Figures, PeriodFigures, WciVersion, bci_provincial, tsinghua_bci_2014};
use govmedia_model::{Article, Level, WeiboInputs};

use crate::{AccountData, Assessment, Check, CheckError, Outcome, Progress, Survey};

/// The metric name of a WCI version (`wci_14_2`).
pub fn wci_metric(v: WciVersion) -> &'static str {
    match v {
        WciVersion::V2 => "wci_2_0",
        WciVersion::V11 => "wci_11",
        WciVersion::V12 => "wci_12",
        WciVersion::V13 => "wci_13_0",
        WciVersion::V14_2 => "wci_14_2",
    }
}

#[derive(Debug, Clone, Default)]
pub struct PropagationCheck {
    /// Averages rounded to 0.1 before the logarithm (the publisher's convention).
    pub averaging: Averaging,
    /// Set by `prepare`: account id → percentile of its WCI 14.2 within its level.
    percentiles: HashMap<String, f64>,
}

fn figures(a: &Article) -> Figures {
    Figures {
        reads: a.reads.map_or(0.0, |r| r.value as f64),
        wows: a.wows.unwrap_or(0) as f64,
        likes: a.likes.unwrap_or(0) as f64,
        shares: a.shares.unwrap_or(0) as f64,
    }
}

fn add(x: &mut Figures, y: Figures) {
    x.reads += y.reads;
    x.wows += y.wows;
    x.likes += y.likes;
    x.shares += y.shares;
}

fn max(x: &mut Figures, y: Figures) {
    x.reads = x.reads.max(y.reads);
    x.wows = x.wows.max(y.wows);
    x.likes = x.likes.max(y.likes);
    x.shares = x.shares.max(y.shares);
}

/// The period figures of an account, or None when no article in the period has reads.
pub fn period_figures(survey: &Survey, account: &AccountData) -> Option<PeriodFigures> {
    let mut p = PeriodFigures { days: survey.period.days().max(1) as f64, ..Default::default() };
    let mut any_reads = false;
    for a in survey.in_period(account) {
        any_reads |= a.reads.is_some();
        let f = figures(a);
        add(&mut p.total, f);
        max(&mut p.max, f);
        p.articles += 1.0;
        if a.is_headline() {
            add(&mut p.headline, f);
            p.headline_articles += 1.0;
        }
    }
    any_reads.then_some(p)
}

impl Check for PropagationCheck {
    fn name(&self) -> &'static str {
        "propagation"
    }

    fn prepare(&mut self, survey: &Survey, _progress: &dyn Progress) -> Result<(), CheckError> {
        let mut by_level: HashMap<Level, Vec<(String, f64)>> = HashMap::new();
        for acc in &survey.accounts {
            if let Some(p) = period_figures(survey, acc) {
                let v = WciVersion::V14_2.compute(&p, self.averaging);
                by_level.entry(acc.account.level).or_default().push((acc.account.id.clone(), v));
            }
        }
        self.percentiles.clear();
        for list in by_level.values() {
            let mut values: Vec<f64> = list.iter().map(|x| x.1).collect();
            values.sort_by(f64::total_cmp);
            let n = values.len() as f64;
            for (id, v) in list {
                let below = values.partition_point(|x| x < v) as f64;
                let equal = values.partition_point(|x| x <= v) as f64 - below;
                self.percentiles.insert(id.clone(), (below + 0.5 * equal) / n);
            }
        }
        Ok(())
    }

    fn assess(&self, survey: &Survey, account: &AccountData) -> Outcome {
        let mut a = Assessment::default();
        let articles: Vec<&Article> = survey.in_period(account).collect();
        let capped = articles.iter().filter(|x| x.reads.is_some_and(|r| r.capped)).count();
        let comments: usize = articles.iter().map(|x| x.comments.len()).sum();
        let reads: u64 = articles.iter().filter_map(|x| x.reads).map(|r| r.value).sum();
        a.stats.insert("reads".into(), reads.into());
        if let Some(w) = &account.account.weibo {
            match *w {
                WeiboInputs::SubIndices { coverage, activity, interaction, propagation } => {
                    a.metrics.insert(
                        "bci_tsinghua_2014".into(),
                        tsinghua_bci_2014(coverage, activity, interaction, propagation),
                    );
                }
                WeiboInputs::Raw { posts, reposts, comments, likes } => {
                    a.metrics.insert(
                        "bci_provincial".into(),
                        bci_provincial(posts as f64, reposts as f64, comments as f64, likes as f64).value,
                    );
                }
            }
        }
        let Some(p) = period_figures(survey, account) else {
            let reason = if articles.is_empty() { "统计期内无文章" } else { "未采集阅读数" };
            for m in ["score", "wci_percentile", "reads", "avg_reads", "like_rate", "wow_rate", "share_rate"]
            {
                a.not_evaluated.insert(m.into(), reason.into());
            }
            for v in WciVersion::ALL {
                a.not_evaluated.insert(wci_metric(v).into(), reason.into());
            }
            return Outcome::Evaluated(a);
        };
        let t = p.total;
        a.metrics.insert("reads".into(), t.reads);
        a.metrics.insert("avg_reads".into(), t.reads / p.articles);
        a.metrics.insert("capped_articles".into(), capped as f64);
        a.stats.insert("capped_articles".into(), capped.into());
        if t.reads > 0.0 {
            a.metrics.insert("like_rate".into(), t.likes / t.reads);
            a.metrics.insert("wow_rate".into(), t.wows / t.reads);
            a.metrics.insert("share_rate".into(), t.shares / t.reads);
        } else {
            for m in ["like_rate", "wow_rate", "share_rate"] {
                a.not_evaluated.insert(m.into(), "阅读数为零".into());
            }
        }
        match account.account.followers.filter(|f| *f > 0) {
            Some(f) => {
                let engagement = t.likes + t.wows + t.shares + comments as f64;
                a.metrics.insert(
                    "engagement_per_1k_followers".into(),
                    engagement / p.articles / f as f64 * 1000.0,
                );
            }
            None => {
                a.not_evaluated.insert("engagement_per_1k_followers".into(), "未提供粉丝数".into());
            }
        }
        for v in WciVersion::ALL {
            a.metrics.insert(wci_metric(v).into(), v.compute(&p, self.averaging));
        }
        match self.percentiles.get(&account.account.id) {
            Some(pct) => {
                a.metrics.insert("score".into(), *pct);
                a.metrics.insert("wci_percentile".into(), *pct);
            }
            None => {
                a.not_evaluated.insert("score".into(), "未在准备阶段计算同层级排位".into());
            }
        }
        Outcome::Evaluated(a)
    }
}

//! Propagation (传播力): reads, rates and the published indices over the survey period.
//!
//! The 2025 survey measures 传播力 by 阅读量、转发率、点赞率、在看率, so those are what this
//! check ranks: each account's average reads per article and its share, like and 在看 rates
//! (per read) are turned into mid-rank percentiles among the accounts of its level that have
//! the same figure (raw reads reward big accounts, so the scores are relative to peers).
//! A counter that was not collected gives no rate and no percentile (not evaluated), never a
//! rate of 0. Reads shown as "10万+" count as 100001 (the stored value); `capped_articles`
//! says how many.
//!
//! The WCI is computed for every published version, each only when the counters it reads
//! were collected (2.0–12.0 read reads and likes, 13.0 reads and 在看, 14.2 all four), with
//! its percentile within the level: which version a framework ranks by or reports is a
//! framework setting (`wci` and the metric it binds), not this check's. The WCI period d is
//! the survey period's length in days.
//!
//! Metrics: `score` (mean of the available rate percentiles below), `reads_percentile`,
//! `share_rate_percentile`, `like_rate_percentile`, `wow_rate_percentile`, `reads`,
//! `avg_reads`, `capped_articles`, `like_rate`, `wow_rate`, `share_rate`,
//! `engagement_per_1k_followers` ((likes + 在看 + shares + comments) per article per 1,000
//! followers), `wci_2_0`, `wci_11`, `wci_12`, `wci_13_0`, `wci_14_2` and their
//! `…_percentile`, `read_rate` (average reads per article ÷ followers), and from the
//! account's Weibo inputs `bci_tsinghua_2014` (published sub-indices) or `bci_provincial`
//! (raw counts).
//!
//! Finding `content.low_reads` (阅读量低, a problem the 2025 survey names: "平均阅读量均低于
//! 100"): average reads per article below [`LOW_READS`], below a quarter of the median of
//! its level (among at least [`MIN_PEERS`] accounts with reads), or below 1 % of its
//! followers.

use std::collections::HashMap;

use govmedia_indices::tsinghua_wci_2014;
use govmedia_indices::{Averaging, Figures, PeriodFigures, WciVersion, bci_provincial, tsinghua_bci_2014};
use govmedia_model::{Article, Finding, FindingCode, Level, Platform, Severity};

use crate::{AccountData, Assessment, Check, CheckError, Outcome, Progress, Survey, median};

/// Average reads per article below which an account's reads are low (the 2025 survey's
/// example: "平均阅读量均低于100").
pub const LOW_READS: f64 = 100.0;
/// Share of the level's median average reads below which reads are low.
const LOW_SHARE_OF_MEDIAN: f64 = 0.25;
/// Share of followers below which the average reads per article are low.
const LOW_READ_RATE: f64 = 0.01;
/// Accounts with reads a level needs before its median is a yardstick.
const MIN_PEERS: usize = 5;

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

/// A counter of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Counter {
    Reads,
    Likes,
    Wows,
    Shares,
}

impl Counter {
    fn of(self, a: &Article) -> Option<f64> {
        match self {
            Counter::Reads => a.reads.map(|r| r.value as f64),
            Counter::Likes => a.likes.map(|x| x as f64),
            Counter::Wows => a.wows.map(|x| x as f64),
            Counter::Shares => a.shares.map(|x| x as f64),
        }
    }

    fn label(self) -> &'static str {
        match self {
            Counter::Reads => "阅读数",
            Counter::Likes => "点赞数",
            Counter::Wows => "在看数",
            Counter::Shares => "转发数",
        }
    }
}

/// The counters a WCI version reads.
fn wci_inputs(v: WciVersion) -> &'static [Counter] {
    match v {
        WciVersion::V2 | WciVersion::V11 | WciVersion::V12 => &[Counter::Reads, Counter::Likes],
        WciVersion::V13 => &[Counter::Reads, Counter::Wows],
        WciVersion::V14_2 => &[Counter::Reads, Counter::Wows, Counter::Likes, Counter::Shares],
    }
}

/// The ranked figures: (metric, percentile metric).
const RANKED: [(&str, &str); 4] = [
    ("avg_reads", "reads_percentile"),
    ("share_rate", "share_rate_percentile"),
    ("like_rate", "like_rate_percentile"),
    ("wow_rate", "wow_rate_percentile"),
];

#[derive(Debug, Clone, Default)]
pub struct PropagationCheck {
    /// Averages rounded to 0.1 before the logarithm (the publisher's convention).
    pub averaging: Averaging,
    /// Set by `prepare`: account id → the figures ranked within the level, with percentiles.
    ranked: HashMap<String, HashMap<String, f64>>,
    /// Set by `prepare`: the median average reads per level (levels with enough peers).
    level_median_reads: HashMap<Level, f64>,
    /// Observed: level → metric → [(account, value)], what `prepare` ranks.
    observed: HashMap<Level, HashMap<String, Vec<(String, f64)>>>,
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

/// An account's period figures and which counters any of its articles carries.
struct Collected {
    figures: PeriodFigures,
    has: Vec<Counter>,
}

fn collected(survey: &Survey, account: &AccountData) -> Collected {
    let mut p = PeriodFigures { days: survey.period.days().max(1) as f64, ..Default::default() };
    let mut has = Vec::new();
    for a in survey.in_period(account) {
        for c in [Counter::Reads, Counter::Likes, Counter::Wows, Counter::Shares] {
            if c.of(a).is_some() && !has.contains(&c) {
                has.push(c);
            }
        }
        let f = Figures {
            reads: Counter::Reads.of(a).unwrap_or(0.0),
            wows: Counter::Wows.of(a).unwrap_or(0.0),
            likes: Counter::Likes.of(a).unwrap_or(0.0),
            shares: Counter::Shares.of(a).unwrap_or(0.0),
        };
        add(&mut p.total, f);
        max(&mut p.max, f);
        p.articles += 1.0;
        if a.is_headline() {
            add(&mut p.headline, f);
            p.headline_articles += 1.0;
        }
    }
    Collected { figures: p, has }
}

/// The period figures of an account, or None when no article in the period has reads.
pub fn period_figures(survey: &Survey, account: &AccountData) -> Option<PeriodFigures> {
    let c = collected(survey, account);
    c.has.contains(&Counter::Reads).then_some(c.figures)
}

/// The figures of one account that are ranked or compared, each only when collected; the
/// value is the reason when it is not.
fn figures_of(c: &Collected, averaging: Averaging) -> Vec<(String, Result<f64, String>)> {
    let t = c.figures.total;
    let have = |k: Counter| c.has.contains(&k);
    let mut out: Vec<(String, Result<f64, String>)> = Vec::new();
    let reads = have(Counter::Reads);
    out.push((
        "avg_reads".into(),
        if reads { Ok(t.reads / c.figures.articles) } else { Err("未采集阅读数".into()) },
    ));
    for (metric, counter, total) in [
        ("share_rate", Counter::Shares, t.shares),
        ("like_rate", Counter::Likes, t.likes),
        ("wow_rate", Counter::Wows, t.wows),
    ] {
        let v = match (reads, have(counter)) {
            (false, _) => Err("未采集阅读数".to_owned()),
            (true, false) => Err(format!("未采集{}", counter.label())),
            (true, true) if t.reads <= 0.0 => Err("阅读数为零".to_owned()),
            (true, true) => Ok(total / t.reads),
        };
        out.push((metric.into(), v));
    }
    for v in WciVersion::ALL {
        let missing: Vec<&str> = wci_inputs(v).iter().filter(|k| !have(**k)).map(|k| k.label()).collect();
        let value = if missing.is_empty() {
            Ok(v.compute(&c.figures, averaging))
        } else {
            Err(format!("WCI {} 需要{}，未采集", v.as_str(), missing.join("、")))
        };
        out.push((wci_metric(v).into(), value));
    }
    out
}

fn percentile_metric(metric: &str) -> String {
    RANKED
        .iter()
        .find(|(m, _)| *m == metric)
        .map_or_else(|| format!("{metric}_percentile"), |(_, p)| (*p).to_owned())
}

impl Check for PropagationCheck {
    fn reads_bodies(&self) -> bool {
        false
    }

    fn name(&self) -> &'static str {
        "propagation"
    }

    fn observe(
        &mut self,
        survey: &Survey,
        accounts: &[AccountData],
        _progress: &dyn Progress,
    ) -> Result<(), CheckError> {
        for acc in accounts {
            let c = collected(survey, acc);
            for (metric, v) in figures_of(&c, self.averaging) {
                if let Ok(v) = v {
                    self.observed
                        .entry(acc.account.level)
                        .or_default()
                        .entry(metric)
                        .or_default()
                        .push((acc.account.id.clone(), v));
                }
            }
        }
        Ok(())
    }

    fn take_observed(&mut self) -> Option<String> {
        crate::encode(&std::mem::take(&mut self.observed))
    }

    fn absorb(&mut self, observed: &str) -> Result<(), CheckError> {
        let observed: HashMap<Level, HashMap<String, Vec<(String, f64)>>> =
            crate::decode(self.name(), observed)?;
        for (level, metrics) in observed {
            let mine = self.observed.entry(level).or_default();
            for (metric, values) in metrics {
                mine.entry(metric).or_default().extend(values);
            }
        }
        Ok(())
    }

    fn prepared(&self) -> Option<String> {
        crate::encode(&(&self.ranked, &self.level_median_reads))
    }

    fn absorb_prepared(&mut self, prepared: &str) -> Result<(), CheckError> {
        (self.ranked, self.level_median_reads) = crate::decode(self.name(), prepared)?;
        Ok(())
    }

    fn prepare(&mut self, _survey: &Survey, _progress: &dyn Progress) -> Result<(), CheckError> {
        let by_level = std::mem::take(&mut self.observed);
        self.ranked.clear();
        self.level_median_reads.clear();
        for (level, metrics) in &by_level {
            for (metric, list) in metrics {
                let mut values: Vec<f64> = list.iter().map(|x| x.1).collect();
                values.sort_by(f64::total_cmp);
                let n = values.len() as f64;
                for (id, v) in list {
                    let below = values.partition_point(|x| x < v) as f64;
                    let equal = values.partition_point(|x| x <= v) as f64 - below;
                    self.ranked
                        .entry(id.clone())
                        .or_default()
                        .insert(percentile_metric(metric), (below + 0.5 * equal) / n);
                }
                if metric == "avg_reads"
                    && values.len() >= MIN_PEERS
                    && let Some(m) = median(values)
                {
                    self.level_median_reads.insert(*level, m);
                }
            }
        }
        Ok(())
    }

    fn assess(&self, survey: &Survey, account: &AccountData) -> Outcome {
        let mut a = Assessment::default();
        let articles: Vec<&Article> = survey.in_period(account).collect();
        let capped = articles.iter().filter(|x| x.reads.is_some_and(|r| r.capped)).count();
        let comments: usize = articles.iter().map(|x| x.comments.len()).sum();
        published_indices(account, &articles, &mut a);
        let c = collected(survey, account);
        if articles.is_empty() || !c.has.contains(&Counter::Reads) {
            let reason = if articles.is_empty() { "统计期内无文章" } else { "未采集阅读数" };
            for m in ["score", "reads", "avg_reads", "like_rate", "wow_rate", "share_rate", "read_rate"] {
                a.not_evaluated.insert(m.into(), reason.into());
            }
            for (_, p) in RANKED {
                a.not_evaluated.insert(p.into(), reason.into());
            }
            for v in WciVersion::ALL {
                a.not_evaluated.insert(wci_metric(v).into(), reason.into());
                a.not_evaluated.insert(format!("{}_percentile", wci_metric(v)), reason.into());
            }
            return Outcome::Evaluated(a);
        }
        let t = c.figures.total;
        a.metrics.insert("reads".into(), t.reads);
        a.metrics.insert("capped_articles".into(), capped as f64);
        a.stats.insert("capped_articles".into(), capped.into());
        let ranked = self.ranked.get(&account.account.id);
        for (metric, v) in figures_of(&c, self.averaging) {
            let pct = percentile_metric(&metric);
            match v {
                Ok(v) => {
                    a.metrics.insert(metric, v);
                    match ranked.and_then(|r| r.get(&pct)) {
                        Some(p) => {
                            a.metrics.insert(pct, *p);
                        }
                        None => {
                            a.not_evaluated.insert(pct, "未在准备阶段计算同层级排位".into());
                        }
                    }
                }
                Err(why) => {
                    a.not_evaluated.insert(pct, why.clone());
                    a.not_evaluated.insert(metric, why);
                }
            }
        }
        let rates: Vec<f64> = RANKED.iter().filter_map(|(_, p)| a.metrics.get(*p).copied()).collect();
        if rates.is_empty() {
            a.not_evaluated.insert("score".into(), "阅读量、转发率、点赞率、在看率均无同层级排位".into());
        } else {
            a.metrics.insert("score".into(), rates.iter().sum::<f64>() / rates.len() as f64);
        }
        let followers = account.account.followers.filter(|f| *f > 0);
        match followers {
            Some(f) => {
                let engagement = t.likes + t.wows + t.shares + comments as f64;
                a.metrics.insert(
                    "engagement_per_1k_followers".into(),
                    engagement / c.figures.articles / f as f64 * 1000.0,
                );
                a.metrics.insert("read_rate".into(), t.reads / c.figures.articles / f as f64);
            }
            None => {
                a.not_evaluated.insert("engagement_per_1k_followers".into(), "未提供粉丝数".into());
                a.not_evaluated.insert("read_rate".into(), "未提供粉丝数".into());
            }
        }
        if let Some(f) = self.low_reads(&a, account) {
            a.findings.push(f);
        }
        Outcome::Evaluated(a)
    }
}

impl PropagationCheck {
    /// The `content.low_reads` finding (module documentation), when one of its tests holds.
    fn low_reads(&self, a: &Assessment, account: &AccountData) -> Option<Finding> {
        let avg = *a.metrics.get("avg_reads")?;
        let level = account.account.level;
        let median = self.level_median_reads.get(&level).copied();
        let read_rate = a.metrics.get("read_rate").copied();
        let mut why = Vec::new();
        if avg < LOW_READS {
            why.push(format!("平均每篇阅读量{avg:.0}，低于{LOW_READS:.0}"));
        }
        if let Some(m) = median.filter(|m| avg < LOW_SHARE_OF_MEDIAN * m) {
            why.push(format!("不足本层级（{}）中位数{m:.0}的四分之一", level.label()));
        }
        if let Some(r) = read_rate.filter(|r| *r < LOW_READ_RATE) {
            why.push(format!("仅为关注数的{:.2}%", r * 100.0));
        }
        if why.is_empty() {
            return None;
        }
        let mut f = Finding::new(
            FindingCode::ContentLowReads,
            Severity::Minor,
            format!("文章阅读量低：{}", why.join("，")),
        )
        .with("avg_reads", (avg * 10.0).round() / 10.0)
        .with("min_avg_reads", LOW_READS);
        if let Some(m) = median {
            f = f.with("level_median_avg_reads", (m * 10.0).round() / 10.0);
        }
        if let (Some(r), Some(followers)) = (read_rate, account.account.followers) {
            f = f.with("read_rate", (r * 10_000.0).round() / 10_000.0).with("followers", followers);
        }
        Some(f)
    }
}

/// The indices computed from what an index provider or the platform published, each under its
/// own formula: `wci_tsinghua_2014` (0.6 R + 0.4 Z from the account's `wechat` inputs),
/// `bci_tsinghua_2014` (the 2014 relation over the four sub-indices) and `bci_provincial` (from
/// the period's posts, reposts, comments and likes: given in `weibo`, else summed over the
/// Weibo account's posts of the period; `stats.bci_provincial_basis` says which).
fn published_indices(account: &AccountData, posts: &[&Article], a: &mut Assessment) {
    let acc = &account.account;
    match acc.wechat {
        Some(w) => {
            a.metrics.insert("wci_tsinghua_2014".into(), tsinghua_wci_2014(w.read_index, w.like_index));
            a.stats.insert("wechat_inputs".into(), serde_json::to_value(w).expect("plain numbers"));
        }
        None => {
            a.not_evaluated
                .insert("wci_tsinghua_2014".into(), "未提供阅读指数与点赞指数（指数机构导出）".into());
        }
    }
    let weibo = acc.weibo.as_ref();
    if let Some(w) = weibo {
        // Shown beside the index (the report's sub-index columns), as given.
        a.stats.insert("weibo_inputs".into(), serde_json::to_value(w).expect("plain numbers"));
    }
    match weibo.and_then(|w| w.sub_indices()) {
        Some([c, act, i, p]) => {
            a.metrics.insert("bci_tsinghua_2014".into(), tsinghua_bci_2014(c, act, i, p));
        }
        None => {
            a.not_evaluated.insert(
                "bci_tsinghua_2014".into(),
                "未提供微博覆盖度、活跃度、互动度、传播度四项分指数".into(),
            );
        }
    }
    let given = weibo.and_then(|w| w.counts()).map(|c| (c.map(|x| x as f64), "导入的微博统计期数据"));
    let counted =
        if acc.platform == Platform::Weibo && !posts.is_empty() { post_counts(posts) } else { None };
    match given.or(counted.map(|c| (c, "统计期内采集的微博"))) {
        Some(([n, r, c, l], basis)) => {
            a.metrics.insert("bci_provincial".into(), bci_provincial(n, r, c, l).value);
            a.stats.insert("bci_provincial_basis".into(), basis.into());
        }
        None => {
            a.not_evaluated.insert(
                "bci_provincial".into(),
                "未提供微博发博、转发、评论、点赞数，也未采集到统计期内的微博".into(),
            );
        }
    }
}

/// Posts, reposts, comments and likes of a Weibo account's posts, when every post carries the
/// three counters (a post without them would count as 0, which nobody measured).
fn post_counts(posts: &[&Article]) -> Option<[f64; 4]> {
    let mut sums = [posts.len() as f64, 0.0, 0.0, 0.0];
    for p in posts {
        let comments =
            p.comment_count.or_else(|| (!p.comments.is_empty()).then_some(p.comments.len() as u64));
        for (sum, v) in sums[1..].iter_mut().zip([p.shares?, comments?, p.likes?]) {
            *sum += v as f64;
        }
    }
    Some(sums)
}

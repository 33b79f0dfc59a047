//! Survey-wide figures computed once from the results and shared by every output.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use govmedia_model::results::{AccountResult, Results};
use govmedia_model::{Finding, FindingCode, Level, Severity};

/// Everything the outputs need beyond the raw results.
pub struct Summary<'a> {
    /// The WeChat accounts' results (the surveys' subject), which every WeChat chapter reads.
    pub results: &'a Results,
    /// The results of every platform (Weibo accounts, apps, units), for their own chapters.
    pub all: &'a Results,
    /// Levels that have accounts, in the order of [`Level::ALL`].
    pub levels: Vec<LevelSummary<'a>>,
    /// Finding codes that occur, most frequent first.
    pub codes: Vec<CodeSummary<'a>>,
    /// Indicators in id order.
    pub indicators: Vec<IndicatorSummary>,
    /// Per-level median of each indicator's score (0–1), for diagnoses.
    indicator_medians: HashMap<(Level, String), f64>,
}

pub struct LevelSummary<'a> {
    pub level: Level,
    /// By rank, best first; accounts without a score last.
    pub accounts: Vec<&'a AccountResult>,
    /// Over the accounts with a score; none when no account of the level has one.
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub passed: usize,
    /// Accounts without a score (nothing could be evaluated).
    pub not_evaluated: usize,
    /// Excellent accounts in administrative-division order (GB/T 2260 ascending, unknown last).
    pub excellent: Vec<&'a AccountResult>,
}

pub struct CodeSummary<'a> {
    pub code: FindingCode,
    /// The most serious severity seen with this code.
    pub severity: Severity,
    pub findings: usize,
    pub accounts: usize,
    /// Every (account, finding) pair, in results order.
    pub occurrences: Vec<(&'a AccountResult, &'a Finding)>,
}

pub struct IndicatorSummary {
    pub id: String,
    pub name: String,
    /// The weight most accounts carried (weights move when an indicator is not evaluated).
    pub weight: f64,
    pub evaluated: usize,
    pub mean: Option<f64>,
    /// Reasons given for accounts where it was not evaluated, with how many accounts.
    pub not_evaluated: Vec<(String, usize)>,
}

/// The results of one platform's accounts and their articles (units and statistics kept):
/// WeChat chapters and each platform's diagnoses compare an account with its own platform's
/// peers. The results themselves when every account is on that platform.
pub fn platform_view(results: &Results, platform: govmedia_model::Platform) -> std::borrow::Cow<'_, Results> {
    if results.accounts.iter().all(|a| a.platform == platform) {
        return std::borrow::Cow::Borrowed(results);
    }
    let mut view = Results { accounts: Vec::new(), articles: Vec::new(), ..results.clone() };
    view.accounts = results.accounts.iter().filter(|a| a.platform == platform).cloned().collect();
    let ids: std::collections::HashSet<&str> = view.accounts.iter().map(|a| a.id.as_str()).collect();
    view.articles = results.articles.iter().filter(|a| ids.contains(a.account.as_str())).cloned().collect();
    std::borrow::Cow::Owned(view)
}

/// Comment → reply funnel over all accounts.
pub struct Funnel {
    pub articles: u64,
    pub with_comments: Option<u64>,
    pub with_valid_comments: u64,
    pub replied: u64,
}

impl<'a> Summary<'a> {
    pub fn new(results: &'a Results) -> Self {
        let levels = Level::ALL
            .iter()
            .filter_map(|&level| {
                let mut accounts: Vec<_> = results.accounts.iter().filter(|a| a.level == level).collect();
                if accounts.is_empty() {
                    return None;
                }
                accounts.sort_by(|a, b| {
                    (a.rank.is_none(), a.rank).cmp(&(b.rank.is_none(), b.rank)).then_with(|| a.id.cmp(&b.id))
                });
                let scores: Vec<f64> = accounts.iter().filter_map(|a| a.score).collect();
                let mut excellent: Vec<_> = accounts.iter().copied().filter(|a| a.excellent).collect();
                excellent.sort_by_key(|a| (region_order(a.region.as_deref()), a.rank, a.id.clone()));
                Some(LevelSummary {
                    level,
                    mean: mean(&scores),
                    median: median(&scores),
                    min: scores.iter().copied().reduce(f64::min),
                    max: scores.iter().copied().reduce(f64::max),
                    passed: accounts.iter().filter(|a| a.passed).count(),
                    not_evaluated: accounts.len() - scores.len(),
                    excellent,
                    accounts,
                })
            })
            .collect();

        let mut by_code: BTreeMap<FindingCode, CodeSummary<'a>> = BTreeMap::new();
        for a in &results.accounts {
            for f in &a.findings {
                let c = by_code.entry(f.code).or_insert_with(|| CodeSummary {
                    code: f.code,
                    severity: f.severity,
                    findings: 0,
                    accounts: 0,
                    occurrences: Vec::new(),
                });
                c.severity = c.severity.min(f.severity);
                c.findings += 1;
                if c.occurrences.last().is_none_or(|(last, _)| last.id != a.id) {
                    c.accounts += 1;
                }
                c.occurrences.push((a, f));
            }
        }
        let mut codes: Vec<_> = by_code.into_values().collect();
        codes.sort_by(|a, b| {
            b.accounts.cmp(&a.accounts).then(b.findings.cmp(&a.findings)).then(a.code.cmp(&b.code))
        });

        let (indicators, indicator_medians) = indicators(results);
        Summary { results, all: results, levels, codes, indicators, indicator_medians }
    }

    pub fn level(&self, level: Level) -> Option<&LevelSummary<'a>> {
        self.levels.iter().find(|l| l.level == level)
    }

    pub fn indicator_median(&self, level: Level, id: &str) -> Option<f64> {
        self.indicator_medians.get(&(level, id.to_owned())).copied()
    }

    pub fn total_findings(&self) -> usize {
        self.codes.iter().map(|c| c.findings).sum()
    }

    pub fn account(&self, id: &str) -> Option<&'a AccountResult> {
        self.results.accounts.iter().find(|a| a.id == id)
    }

    /// Each account's total reads, when its stats carry them, largest first.
    pub fn reads_desc(&self) -> Vec<u64> {
        let mut v: Vec<u64> = self.results.accounts.iter().filter_map(|a| stat(a, "reads")).collect();
        v.sort_unstable_by(|a, b| b.cmp(a));
        v
    }

    pub fn funnel(&self) -> Option<Funnel> {
        let sum = |key: &str| -> Option<u64> {
            let vals: Vec<u64> = self.results.accounts.iter().filter_map(|a| stat(a, key)).collect();
            (!vals.is_empty()).then(|| vals.iter().sum())
        };
        Some(Funnel {
            articles: sum("articles")?,
            with_comments: sum("articles_with_comments"),
            with_valid_comments: sum("articles_with_valid_comments")?,
            replied: sum("articles_replied")?,
        })
    }

    /// Articles published per day over the survey, from `statistics.daily_articles` or the sum
    /// of the accounts' `stats.daily_articles` (both `{"YYYY-MM-DD": n}`).
    pub fn daily_articles(&self) -> Option<BTreeMap<NaiveDate, u64>> {
        let mut days = BTreeMap::new();
        let mut add = |m: &serde_json::Map<String, serde_json::Value>| {
            for (k, v) in m {
                if let (Ok(d), Some(n)) = (NaiveDate::parse_from_str(k, "%Y-%m-%d"), v.as_u64()) {
                    *days.entry(d).or_insert(0) += n;
                }
            }
        };
        if let Some(m) = self.results.statistics.get("daily_articles").and_then(|v| v.as_object()) {
            add(m);
        } else {
            for a in &self.results.accounts {
                if let Some(m) = a.stats.get("daily_articles").and_then(|v| v.as_object()) {
                    add(m);
                }
            }
        }
        (!days.is_empty()).then_some(days)
    }
}

/// A numeric account statistic.
pub fn stat(a: &AccountResult, key: &str) -> Option<u64> {
    let v = a.stats.get(key)?;
    v.as_u64().or_else(|| v.as_f64().filter(|f| *f >= 0.0).map(|f| f.round() as u64))
}

pub fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

pub fn median(v: &[f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    Some(if n % 2 == 1 { s[n / 2] } else { (s[n / 2 - 1] + s[n / 2]) / 2.0 })
}

fn indicators(results: &Results) -> (Vec<IndicatorSummary>, HashMap<(Level, String), f64>) {
    struct Acc {
        name: Option<String>,
        weights: BTreeMap<i64, usize>,
        scores: Vec<f64>,
        missing: BTreeMap<String, usize>,
        per_level: BTreeMap<Level, Vec<f64>>,
    }
    let mut all: BTreeMap<&str, Acc> = BTreeMap::new();
    for a in &results.accounts {
        for (id, ind) in &a.indicators {
            let acc = all.entry(id).or_insert_with(|| Acc {
                name: None,
                weights: BTreeMap::new(),
                scores: Vec::new(),
                missing: BTreeMap::new(),
                per_level: BTreeMap::new(),
            });
            if acc.name.is_none() {
                acc.name.clone_from(&ind.name);
            }
            match ind.score {
                Some(s) => {
                    *acc.weights.entry((ind.weight * 10_000.0).round() as i64).or_insert(0) += 1;
                    acc.scores.push(s);
                    acc.per_level.entry(a.level).or_default().push(s);
                }
                None => {
                    let why = ind.not_evaluated.clone().unwrap_or_else(|| "未评估（未说明原因）".to_owned());
                    *acc.missing.entry(why).or_insert(0) += 1;
                }
            }
        }
    }
    let mut medians = HashMap::new();
    let list = all
        .into_iter()
        .map(|(id, acc)| {
            for (level, scores) in &acc.per_level {
                if let Some(m) = median(scores) {
                    medians.insert((*level, id.to_owned()), m);
                }
            }
            let weight = acc
                .weights
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map_or(0.0, |(w, _)| *w as f64 / 10_000.0);
            let mut not_evaluated: Vec<_> = acc.missing.into_iter().collect();
            not_evaluated.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            IndicatorSummary {
                name: acc.name.unwrap_or_else(|| id.to_owned()),
                id: id.to_owned(),
                weight,
                evaluated: acc.scores.len(),
                mean: (!acc.scores.is_empty())
                    .then(|| acc.scores.iter().sum::<f64>() / acc.scores.len() as f64),
                not_evaluated,
            }
        })
        .collect();
    (list, medians)
}

/// Sort key for administrative-division order: a GB/T 2260 code (or a name starting with a
/// province's name) sorts by code; anything else comes last.
pub fn region_order(region: Option<&str>) -> (u8, u32) {
    let Some(r) = region.map(str::trim) else { return (1, 0) };
    if r.len() == 6 && r.bytes().all(|b| b.is_ascii_digit()) {
        return (0, r.parse().unwrap_or(0));
    }
    PROVINCES.iter().find(|(_, name)| r.starts_with(name)).map_or((1, 0), |(code, _)| (0, code * 10_000))
}

/// Province-level divisions of GB/T 2260 (two-digit prefix, short name).
const PROVINCES: [(u32, &str); 34] = [
    (11, "北京"),
    (12, "天津"),
    (13, "河北"),
    (14, "山西"),
    (15, "内蒙古"),
    (21, "辽宁"),
    (22, "吉林"),
    (23, "黑龙江"),
    (31, "上海"),
    (32, "江苏"),
    (33, "浙江"),
    (34, "安徽"),
    (35, "福建"),
    (36, "江西"),
    (37, "山东"),
    (41, "河南"),
    (42, "湖北"),
    (43, "湖南"),
    (44, "广东"),
    (45, "广西"),
    (46, "海南"),
    (50, "重庆"),
    (51, "四川"),
    (52, "贵州"),
    (53, "云南"),
    (54, "西藏"),
    (61, "陕西"),
    (62, "甘肃"),
    (63, "青海"),
    (64, "宁夏"),
    (65, "新疆"),
    (71, "台湾"),
    (81, "香港"),
    (82, "澳门"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_codes_sort_before_unknown() {
        let mut v = [None, Some("440100"), Some("福建省"), Some("110000"), Some("某地")];
        v.sort_by_key(|r| region_order(*r));
        assert_eq!(v[..3], [Some("110000"), Some("福建省"), Some("440100")]);
        assert_eq!(region_order(Some("某地")), (1, 0));
    }

    #[test]
    fn median_of_even_and_odd() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }
}

//! Survey-wide statistics for the report: distributions by level, region and field; the long
//! tail (share of reads held by the top 20 % of accounts) and CR20 (share held by the 20
//! largest accounts), as the Shanghai 2015 framework recommends instead of raw read rankings;
//! the comment → reply funnel the 2025 survey reports (5.6 % of articles with a valid
//! comment, 36.6 % of those answered); finding and veto counts.

use std::collections::BTreeMap;

use govmedia_model::Level;
use govmedia_model::results::{AccountResult, ArticleResult};
use serde_json::{Map, Value, json};

use crate::framework::Framework;
use crate::{regions, report_figures};

fn stat(a: &AccountResult, key: &str) -> Option<u64> {
    a.stats.get(key).and_then(Value::as_u64)
}

fn share(part: f64, whole: f64) -> Value {
    if whole > 0.0 { json!((part / whole * 1e6).round() / 1e6) } else { Value::Null }
}

fn median(mut v: Vec<f64>) -> Value {
    if v.is_empty() {
        return Value::Null;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    json!(if v.len() % 2 == 1 { v[m] } else { (v[m - 1] + v[m]) / 2.0 })
}

/// Count, passed, accounts without a score, mean and median score (over scored accounts;
/// null when none), articles, and reads (over accounts whose reads were collected; null when
/// none) of a group.
fn group(list: &[&AccountResult]) -> Map<String, Value> {
    let scores: Vec<f64> = list.iter().filter_map(|a| a.score).collect();
    let mut m = Map::new();
    m.insert("accounts".into(), list.len().into());
    m.insert("passed".into(), list.iter().filter(|a| a.passed).count().into());
    m.insert("not_evaluated".into(), (list.len() - scores.len()).into());
    let mean = (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64);
    m.insert("mean_score".into(), mean.map_or(Value::Null, |x| json!((x * 100.0).round() / 100.0)));
    m.insert("median_score".into(), median(scores));
    m.insert("articles".into(), list.iter().filter_map(|a| stat(a, "articles")).sum::<u64>().into());
    let reads: Vec<u64> = list.iter().filter_map(|a| stat(a, "reads")).collect();
    m.insert("reads".into(), if reads.is_empty() { Value::Null } else { reads.iter().sum::<u64>().into() });
    m
}

/// Groups by province (GB/T 2260 code of the province; `unknown` for accounts without a
/// known region), each with its name.
fn by_province(accounts: &[&AccountResult]) -> Map<String, Value> {
    let mut regions_map: BTreeMap<String, Vec<&AccountResult>> = BTreeMap::new();
    for a in accounts {
        let key = a
            .region
            .as_deref()
            .and_then(regions::resolve)
            .and_then(|c| regions::province_of(&c))
            .unwrap_or_else(|| "unknown".into());
        regions_map.entry(key).or_default().push(a);
    }
    regions_map
        .into_iter()
        .map(|(code, list)| {
            let mut g = group(&list);
            g.insert("name".into(), regions::name(&code).unwrap_or("未知或中央").into());
            (code, Value::Object(g))
        })
        .collect()
}

/// Groups by livelihood field (accounts with a field only).
fn by_field(accounts: &[&AccountResult]) -> Map<String, Value> {
    let mut fields: BTreeMap<String, Vec<&AccountResult>> = BTreeMap::new();
    for a in accounts.iter().filter(|a| a.field.is_some()) {
        fields.entry(a.field.clone().unwrap_or_default()).or_default().push(a);
    }
    fields.into_iter().map(|(f, list)| (f, Value::Object(group(&list)))).collect()
}

/// The long-tail figures over accounts' reads.
pub fn concentration(mut reads: Vec<u64>) -> Map<String, Value> {
    reads.sort_unstable_by(|a, b| b.cmp(a));
    let total: u64 = reads.iter().sum();
    let top = (reads.len() as f64 * 0.2).ceil() as usize;
    let mut m = Map::new();
    m.insert("accounts".into(), reads.len().into());
    m.insert("total_reads".into(), total.into());
    m.insert("top20pct_accounts".into(), top.into());
    m.insert("top20pct_read_share".into(), share(reads.iter().take(top).sum::<u64>() as f64, total as f64));
    m.insert("cr20".into(), share(reads.iter().take(20).sum::<u64>() as f64, total as f64));
    m
}

/// All survey statistics (the `statistics` object of results.json, without `excellent`).
pub fn survey_statistics(
    accounts: &[AccountResult],
    article_results: &[ArticleResult],
    fw: &Framework,
) -> Map<String, Value> {
    let mut s = Map::new();
    s.insert("accounts".into(), accounts.len().into());
    s.insert("passed".into(), accounts.iter().filter(|a| a.passed).count().into());
    let all: Vec<&AccountResult> = accounts.iter().collect();
    s.insert("overall".into(), Value::Object(group(&all)));

    let mut by_level = Map::new();
    for level in Level::ALL {
        let list: Vec<&AccountResult> = accounts.iter().filter(|a| a.level == level).collect();
        if !list.is_empty() {
            let mut g = group(&list);
            g.insert("label".into(), level.label().into());
            by_level.insert(level.as_str().into(), Value::Object(g));
        }
    }
    s.insert("by_level".into(), Value::Object(by_level));

    s.insert("by_region".into(), Value::Object(by_province(&all)));
    s.insert("by_field".into(), Value::Object(by_field(&all)));
    // The 2025 report judges 省级政府职能部门 by province and by field.
    let depts: Vec<&AccountResult> = accounts.iter().filter(|a| a.level == Level::ProvinceDept).collect();
    if !depts.is_empty() {
        s.insert(
            "province_dept".into(),
            json!({"by_province": by_province(&depts), "by_field": by_field(&depts)}),
        );
    }

    // Long tail over the accounts whose reads were collected only: a missing count is not 0.
    let reads: Vec<u64> = accounts.iter().filter_map(|a| stat(a, "reads")).collect();
    s.insert(
        "concentration".into(),
        if reads.is_empty() {
            json!({"not_evaluated": "未采集：结果中没有任何账号的阅读数"})
        } else {
            let without = accounts.len() - reads.len();
            let mut c = concentration(reads);
            c.insert("accounts_without_reads".into(), without.into());
            Value::Object(c)
        },
    );

    let articles: u64 = accounts.iter().filter_map(|a| stat(a, "articles")).sum();
    let with_valid: u64 = accounts.iter().filter_map(|a| stat(a, "articles_with_valid_comments")).sum();
    let replied: u64 = accounts.iter().filter_map(|a| stat(a, "articles_replied")).sum();
    let measured = accounts.iter().any(|a| a.stats.contains_key("articles_with_valid_comments"));
    s.insert(
        "interaction_funnel".into(),
        if measured {
            json!({
                "articles": articles,
                "articles_with_valid_comments": with_valid,
                "valid_comment_share": share(with_valid as f64, articles as f64),
                "articles_replied": replied,
                "replied_share": share(replied as f64, with_valid as f64),
            })
        } else {
            json!({"not_evaluated": "未评估：互动检查未运行"})
        },
    );

    let mut findings: BTreeMap<&str, u64> = BTreeMap::new();
    let mut vetoes: BTreeMap<&str, u64> = BTreeMap::new();
    for a in accounts {
        let mut codes: Vec<&str> = a.findings.iter().map(|f| f.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        for c in codes {
            *findings.entry(c).or_default() += 1;
        }
        for v in &a.vetoes {
            *vetoes.entry(v.as_str()).or_default() += 1;
        }
    }
    s.insert("accounts_by_finding".into(), json!(findings));
    s.insert("accounts_by_veto".into(), json!(vetoes));

    let mut moved: BTreeMap<String, u64> = BTreeMap::new();
    for r in &fw.redistribute {
        let n = accounts
            .iter()
            .filter(|a| {
                a.indicators
                    .get(&r.from)
                    .and_then(|i| i.not_evaluated.as_deref())
                    .is_some_and(|t| t.starts_with(crate::engine::MOVED))
            })
            .count() as u64;
        moved.insert(format!("{}→{}", r.from, r.to), n);
    }
    if !moved.is_empty() {
        s.insert("redistributed".into(), json!(moved));
    }
    if let Some(c) = report_figures::content_quality(accounts) {
        s.insert("content_quality".into(), Value::Object(c));
    }
    s.insert("low_reads".into(), Value::Object(report_figures::low_reads(accounts)));
    let table = report_figures::report_statistics(accounts, article_results, &s);
    s.insert("report_statistics".into(), Value::Array(table));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_tail_and_cr20() {
        // 25 accounts: five with 1000 reads, twenty with 10.
        let mut reads = vec![1000; 5];
        reads.extend(vec![10; 20]);
        let m = concentration(reads);
        assert_eq!(m["top20pct_accounts"], 5);
        assert_eq!(m["top20pct_read_share"], json!(((5000.0 / 5200.0) * 1e6_f64).round() / 1e6));
        // CR20 = the 20 largest: 5 × 1000 + 15 × 10.
        assert_eq!(m["cr20"], json!(((5150.0 / 5200.0) * 1e6_f64).round() / 1e6));
    }
}

//! Survey-wide statistics for the report: distributions by level, region and field; the long
//! tail (share of reads held by the top 20 % of accounts) and CR20 (share held by the 20
//! largest accounts), as the Shanghai 2015 framework recommends instead of raw read rankings;
//! the comment → reply funnel the 2025 survey reports (5.6 % of articles with a valid
//! comment, 36.6 % of those answered); finding and veto counts.

use std::collections::BTreeMap;

use govmedia_model::Level;
use govmedia_model::results::AccountResult;
use serde_json::{Map, Value, json};

use crate::framework::Framework;
use crate::regions;

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

/// Count, passed, mean and median score, articles and reads of a group.
fn group(list: &[&AccountResult]) -> Map<String, Value> {
    let scores: Vec<f64> = list.iter().map(|a| a.score).collect();
    let mean = if scores.is_empty() { 0.0 } else { scores.iter().sum::<f64>() / scores.len() as f64 };
    let mut m = Map::new();
    m.insert("accounts".into(), list.len().into());
    m.insert("passed".into(), list.iter().filter(|a| a.passed).count().into());
    m.insert("mean_score".into(), json!((mean * 100.0).round() / 100.0));
    m.insert("median_score".into(), median(scores));
    m.insert("articles".into(), list.iter().filter_map(|a| stat(a, "articles")).sum::<u64>().into());
    m.insert("reads".into(), list.iter().filter_map(|a| stat(a, "reads")).sum::<u64>().into());
    m
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
pub fn survey_statistics(accounts: &[AccountResult], fw: &Framework) -> Map<String, Value> {
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
    let by_region: Map<String, Value> = regions_map
        .into_iter()
        .map(|(code, list)| {
            let mut g = group(&list);
            g.insert("name".into(), regions::name(&code).unwrap_or("未知或中央").into());
            (code, Value::Object(g))
        })
        .collect();
    s.insert("by_region".into(), Value::Object(by_region));

    let mut fields: BTreeMap<String, Vec<&AccountResult>> = BTreeMap::new();
    for a in accounts.iter().filter(|a| a.field.is_some()) {
        fields.entry(a.field.clone().unwrap_or_default()).or_default().push(a);
    }
    s.insert(
        "by_field".into(),
        Value::Object(fields.into_iter().map(|(f, list)| (f, Value::Object(group(&list)))).collect()),
    );

    s.insert(
        "concentration".into(),
        Value::Object(concentration(accounts.iter().map(|a| stat(a, "reads").unwrap_or(0)).collect())),
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
                    .is_some_and(|t| t.starts_with("权重已转移"))
            })
            .count() as u64;
        moved.insert(format!("{}→{}", r.from, r.to), n);
    }
    if !moved.is_empty() {
        s.insert("redistributed".into(), json!(moved));
    }
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

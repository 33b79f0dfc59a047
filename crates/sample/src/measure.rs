//! Precision and recall of every finding code on a dataset that carries its own truth (the
//! `planted` and `near_miss` lists of its account records: the seeded world, or the sample).
//!
//! Scoring is per account and code: a code found at an account where it was planted is a true
//! positive, found where it was not planted a false positive, planted and not found a false
//! negative. An account with no case is clean: whatever it raises is a false alarm.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use serde_json::Value;

use crate::truth;

/// Codes the offline world cannot plant, and why.
pub const NOT_PLANTED: &[(&str, &str)] = &[
    ("interaction.poor_reply", "由AI模型判断回复质量，离线评测不运行模型"),
    ("timeliness.incomplete_response", "由AI模型判断回应要素，离线评测不运行模型"),
    ("mobile.not_adapted", "需在Chromium中以手机视口渲染页面，由 crates/web 的浏览器测试覆盖"),
    (
        "content.deleted",
        "文章删除由采集器或 monitor 复查标记，评测世界不含已删除文章；由 deletion 检查与 crates/collect 的回环测试覆盖",
    ),
    (
        "app.stale",
        "评测世界只含微信公众号；政务APP由 app 检查单元测试与 platforms、tsinghua_2014 端到端测试覆盖",
    ),
    (
        "app.duplicate",
        "评测世界只含微信公众号；政务APP由 app 检查单元测试与 platforms、tsinghua_2014 端到端测试覆盖",
    ),
];

/// One code's counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeScore {
    /// Accounts where the code was planted.
    pub planted: usize,
    /// Look-alike clean accounts built against the code.
    pub near_misses: usize,
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
    /// Accounts (id) of the false positives and false negatives, for review.
    pub false_positives: Vec<String>,
    pub false_negatives: Vec<String>,
}

impl CodeScore {
    pub fn precision(&self) -> Option<f64> {
        let found = self.tp + self.fp;
        (found > 0).then(|| self.tp as f64 / found as f64)
    }

    pub fn recall(&self) -> Option<f64> {
        (self.planted > 0).then(|| self.tp as f64 / self.planted as f64)
    }
}

/// Every code's counts over a dataset and its results.
#[derive(Debug, Clone, Default)]
pub struct Measurement {
    pub accounts: usize,
    pub codes: BTreeMap<String, CodeScore>,
}

/// Scores `results` (a results.json value) against the truth of `accounts` (the dataset's
/// account records). Fails when an account of the results is not in the dataset.
pub fn measure(accounts: &[Value], results: &Value) -> Result<Measurement, String> {
    let truths: BTreeMap<&str, (BTreeSet<String>, BTreeSet<String>)> =
        accounts.iter().filter_map(|a| Some((a.get("id")?.as_str()?, truth(a)))).collect();
    let mut m = Measurement { accounts: truths.len(), codes: BTreeMap::new() };
    for (planted, near) in truths.values() {
        for c in planted {
            m.codes.entry(c.clone()).or_default().planted += 1;
        }
        for c in near {
            m.codes.entry(c.clone()).or_default().near_misses += 1;
        }
    }
    let empty = Vec::new();
    let mut seen = BTreeSet::new();
    for r in results.get("accounts").and_then(Value::as_array).unwrap_or(&empty) {
        let id = r.get("id").and_then(Value::as_str).ok_or("results.json: 账号缺少 id")?;
        let (planted, _) = truths.get(id).ok_or_else(|| format!("results.json: 账号“{id}”不在数据集中"))?;
        seen.insert(id);
        let found: BTreeSet<&str> = r
            .get("findings")
            .and_then(Value::as_array)
            .unwrap_or(&empty)
            .iter()
            .filter_map(|f| f.get("code")?.as_str())
            .collect();
        for code in &found {
            let s = m.codes.entry((*code).to_owned()).or_default();
            if planted.contains(*code) {
                s.tp += 1;
            } else {
                s.fp += 1;
                s.false_positives.push(id.to_owned());
            }
        }
        for code in planted.iter().filter(|c| !found.contains(c.as_str())) {
            let s = m.codes.get_mut(code).expect("planted codes are counted");
            s.fn_ += 1;
            s.false_negatives.push(id.to_owned());
        }
    }
    // Accounts missing from the results miss every code planted at them.
    for (id, (planted, _)) in truths.iter().filter(|(id, _)| !seen.contains(*id)) {
        for code in planted {
            let s = m.codes.get_mut(code).expect("planted codes are counted");
            s.fn_ += 1;
            s.false_negatives.push((*id).to_owned());
        }
    }
    Ok(m)
}

fn ratio(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), |v| format!("{v:.2}"))
}

impl Measurement {
    /// The table as Markdown: one row per code, then the codes that cannot be planted.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        out.push_str("| 问题代码 | 植入 | 近似干净案例 | TP | FP | FN | 精确率 | 召回率 |\n");
        out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (code, s) in &self.codes {
            writeln!(
                out,
                "| {code} | {} | {} | {} | {} | {} | {} | {} |",
                s.planted,
                s.near_misses,
                s.tp,
                s.fp,
                s.fn_,
                ratio(s.precision()),
                ratio(s.recall())
            )
            .expect("write to string");
        }
        out.push_str("\n未植入的问题代码：\n\n");
        for (code, why) in NOT_PLANTED {
            writeln!(out, "- {code}：{why}").expect("write to string");
        }
        out
    }

    /// The false positives and negatives, one line each, for review.
    pub fn details(&self) -> String {
        let mut out = String::new();
        for (code, s) in &self.codes {
            for id in &s.false_positives {
                writeln!(out, "FP {code} {id}").expect("write to string");
            }
            for id in &s.false_negatives {
                writeln!(out, "FN {code} {id}").expect("write to string");
            }
        }
        out
    }

    /// Codes below `min` precision or recall, or planted fewer than `min_planted` times.
    pub fn below(&self, min: f64, min_planted: usize) -> Vec<String> {
        self.codes
            .iter()
            .filter(|(_, s)| {
                s.planted < min_planted
                    || s.precision().is_some_and(|p| p < min)
                    || s.recall().is_none_or(|r| r < min)
            })
            .map(|(c, _)| c.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn counts_per_account_and_code() {
        let accounts = vec![
            json!({"id": "a", "planted": ["link.broken"]}),
            json!({"id": "b", "near_miss": ["link.broken"]}),
            json!({"id": "c", "planted": ["link.broken", "menu.none"]}),
            json!({"id": "d"}),
        ];
        let results = json!({"accounts": [
            {"id": "a", "findings": [{"code": "link.broken"}, {"code": "link.broken"}]},
            {"id": "b", "findings": [{"code": "link.broken"}]},
            {"id": "c", "findings": [{"code": "menu.none"}]},
        ]});
        let m = measure(&accounts, &results).unwrap();
        let broken = &m.codes["link.broken"];
        assert_eq!((broken.planted, broken.near_misses, broken.tp, broken.fp, broken.fn_), (2, 1, 1, 1, 1));
        assert_eq!(broken.precision(), Some(0.5));
        assert_eq!(m.codes["menu.none"].recall(), Some(1.0));
        assert_eq!(broken.false_positives, ["b"]);
        assert_eq!(m.below(0.95, 1), ["link.broken"]);
        assert!(m.markdown().contains("| link.broken | 2 | 1 | 1 | 1 | 1 | 0.50 | 0.50 |"));
        let missing = json!({"accounts": [{"id": "x", "findings": []}]});
        assert!(measure(&accounts, &missing).unwrap_err().contains("“x”"));
    }
}

//! Reviewers' decisions on findings: how a finding is known across runs, which decision holds
//! for it, and how precise each finding code and rule turned out to be.

use std::collections::{BTreeMap, HashMap};

use govmedia_model::Finding;
use govmedia_store_api::{Decision, Review};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// A finding's identity across runs: the SHA-256 of its code and evidence (keys sorted), cut to
/// 16 hex digits. The same problem on the same object keeps its fingerprint from run to run,
/// and a decision on it lapses when its evidence changes.
pub fn fingerprint(finding: &Finding) -> String {
    let mut h = Sha256::new();
    h.update(finding.code.as_str().as_bytes());
    h.update([0]);
    h.update(canonical(&serde_json::Value::Object(finding.evidence.clone())).as_bytes());
    h.finalize()[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// JSON with object keys sorted at every depth.
fn canonical(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Object(map) => {
            let sorted: BTreeMap<_, _> = map.iter().collect();
            let parts: Vec<String> = sorted
                .into_iter()
                .map(|(k, v)| format!("{}:{}", serde_json::Value::from(k.as_str()), canonical(v)))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        serde_json::Value::Array(items) => {
            format!("[{}]", items.iter().map(canonical).collect::<Vec<_>>().join(","))
        }
        other => other.to_string(),
    }
}

/// The rule behind a finding, where its evidence names one: a lexicon entry (`lexicon:term`)
/// or a rule's source. Precision is also measured per rule, so one noisy entry shows.
pub fn rule_of(finding: &Finding) -> Option<String> {
    let text = |k: &str| finding.evidence.get(k).and_then(|v| v.as_str());
    match (text("lexicon"), text("term")) {
        (Some(l), Some(t)) => Some(format!("{l}：{t}")),
        (None, Some(t)) => Some(t.to_owned()),
        _ => text("rule_source").or(text("rule")).map(str::to_owned),
    }
}

/// The latest decision per (account, code, fingerprint).
#[derive(Debug, Default)]
pub struct Decisions {
    latest: HashMap<(String, String, String), Review>,
}

impl Decisions {
    /// From decisions in the order they were made (oldest first).
    pub fn new(reviews: Vec<Review>) -> Decisions {
        let mut latest = HashMap::new();
        for r in reviews {
            latest.insert((r.account.clone(), r.code.clone(), r.fingerprint.clone()), r);
        }
        Decisions { latest }
    }

    pub fn get(&self, account: &str, code: &str, fingerprint: &str) -> Option<&Review> {
        self.latest.get(&(account.to_owned(), code.to_owned(), fingerprint.to_owned()))
    }

    /// Precision per finding code and per rule, from confirmed and dismissed findings.
    pub fn precision(&self, rules: &HashMap<(String, String), String>) -> Precision {
        let mut codes: BTreeMap<String, Tally> = BTreeMap::new();
        let mut by_rule: BTreeMap<(String, String), Tally> = BTreeMap::new();
        for ((account, code, fp), r) in &self.latest {
            let tally = |t: &mut Tally| match r.decision {
                Decision::Confirmed => t.confirmed += 1,
                Decision::Dismissed => t.dismissed += 1,
                Decision::Fixed => t.fixed += 1,
            };
            tally(codes.entry(code.clone()).or_default());
            if let Some(rule) = rules.get(&(account.clone(), fp.clone())) {
                tally(by_rule.entry((code.clone(), rule.clone())).or_default());
            }
        }
        let row = |code: String, rule: Option<String>, t: Tally| PrecisionRow {
            title: code
                .parse::<govmedia_model::FindingCode>()
                .map(|c| c.title().to_owned())
                .unwrap_or_default(),
            precision: (t.confirmed + t.dismissed > 0)
                .then(|| t.confirmed as f64 / (t.confirmed + t.dismissed) as f64),
            code,
            rule,
            confirmed: t.confirmed,
            dismissed: t.dismissed,
            fixed: t.fixed,
        };
        Precision {
            codes: codes.into_iter().map(|(c, t)| row(c, None, t)).collect(),
            rules: by_rule.into_iter().map(|((c, r), t)| row(c, Some(r), t)).collect(),
        }
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    confirmed: u64,
    dismissed: u64,
    fixed: u64,
}

/// What reviewers' decisions say about the rules.
#[derive(Debug, Clone, Serialize)]
pub struct Precision {
    /// Per finding code.
    pub codes: Vec<PrecisionRow>,
    /// Per finding code and rule (lexicon entry, rule source).
    pub rules: Vec<PrecisionRow>,
}

/// One code's (or rule's) tally.
#[derive(Debug, Clone, Serialize)]
pub struct PrecisionRow {
    pub code: String,
    /// The code's Chinese title.
    pub title: String,
    pub rule: Option<String>,
    pub confirmed: u64,
    pub dismissed: u64,
    pub fixed: u64,
    /// confirmed / (confirmed + dismissed); `None` before any such decision.
    pub precision: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use govmedia_model::{FindingCode, Severity};

    #[test]
    fn the_fingerprint_follows_the_evidence_not_its_key_order() {
        let a = Finding::new(FindingCode::LinkBroken, Severity::Major, "菜单链接无法访问")
            .with("url", "https://a.example/x")
            .with("status", 404);
        let b = Finding::new(FindingCode::LinkBroken, Severity::Major, "另一种说法")
            .with("status", 404)
            .with("url", "https://a.example/x");
        assert_eq!(fingerprint(&a), fingerprint(&b));
        let c = a.clone().with("status", 500);
        assert_ne!(fingerprint(&a), fingerprint(&c));
        assert_eq!(fingerprint(&a).len(), 16);
    }

    #[test]
    fn the_latest_decision_holds_and_precision_counts_it() {
        let review = |id, fp: &str, decision| Review {
            id,
            account: "a".into(),
            code: "content.sensitive_term".into(),
            fingerprint: fp.into(),
            decision,
            reason: None,
            user: "评估员".into(),
            at: "2026-12-01T00:00:00Z".into(),
            run: Some(1),
        };
        let d = Decisions::new(vec![
            review(1, "f1", Decision::Confirmed),
            review(2, "f1", Decision::Dismissed),
            review(3, "f2", Decision::Confirmed),
        ]);
        assert_eq!(d.get("a", "content.sensitive_term", "f1").unwrap().decision, Decision::Dismissed);
        let rules = [(("a".to_owned(), "f1".to_owned()), "敏感词：某词".to_owned())].into();
        let p = d.precision(&rules);
        assert_eq!(p.codes[0].precision, Some(0.5));
        assert_eq!(p.rules[0].dismissed, 1);
        assert_eq!(p.rules[0].precision, Some(0.0));
    }
}

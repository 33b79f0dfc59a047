//! An alert: one state change of one condition, as it is stored in the outbox and sent.

use chrono::{DateTime, Utc};
use govmedia_model::Severity;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::condition::{ConditionKey, Detail, Subject, beijing};

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// A condition appeared.
    Raised,
    /// A condition reached a higher stage (day 12 after day 10 of silence): a new state, sent
    /// like a new alert.
    Escalated,
    /// A condition that was raised is gone.
    Resolved,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// Unique per state change and stable across restarts: receivers deduplicate on it.
    pub idempotency_key: String,
    pub change: Change,
    pub condition: ConditionKey,
    pub stage: usize,
    pub title: String,
    pub severity: Severity,
    pub subject: Subject,
    pub message: String,
    pub details: Vec<Detail>,
    pub detected_at: DateTime<Utc>,
}

impl Alert {
    /// The key of the `seq`-th alert of a condition: a hash, so it carries no account data
    /// into logs or receivers' dedup tables.
    pub fn key_for(condition: &ConditionKey, seq: u32) -> String {
        let mut h = Sha256::new();
        for part in [&condition.rule, &condition.account, &condition.object] {
            h.update(part.as_bytes());
            h.update([0x1f]);
        }
        h.update(seq.to_be_bytes());
        let digest = h.finalize();
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        format!("gm-{hex}")
    }

    /// The first line: what changed, how serious, what.
    pub fn headline(&self) -> String {
        let severity = self.severity.label();
        match self.change {
            Change::Raised => format!("【{severity}】{}", self.title),
            Change::Escalated => format!("【升级·{severity}】{}", self.title),
            Change::Resolved => format!("【已解除】{}", self.title),
        }
    }

    /// Labelled lines of the body, in the order every sink shows them.
    pub fn lines(&self) -> Vec<(String, String)> {
        let mut lines = Vec::new();
        match &self.subject {
            Subject::Account { id, name, owner, region } => {
                lines.push(("账号".to_owned(), format!("{name}（{id}）")));
                if !owner.is_empty() {
                    lines.push(("主办单位".to_owned(), owner.clone()));
                }
                if let Some(r) = region {
                    lines.push(("地区代码".to_owned(), r.clone()));
                }
            }
            Subject::Source { id, name } => lines.push(("采集源".to_owned(), format!("{name}（{id}）"))),
        }
        lines.push(("情况".to_owned(), self.message.clone()));
        lines.extend(self.details.iter().map(|d| (d.label.clone(), d.value.clone())));
        let when = match self.change {
            Change::Resolved => "解除时间",
            Change::Raised | Change::Escalated => "发现时间",
        };
        lines.push((when.to_owned(), format!("{}（北京时间）", beijing(self.detected_at))));
        lines.push(("告警编号".to_owned(), self.idempotency_key.clone()));
        lines
    }

    /// One line for a digest.
    pub fn summary(&self) -> String {
        format!("{} {}", self.headline(), self.subject.describe())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_differ_per_condition_and_sequence_and_are_stable() {
        let k =
            ConditionKey { rule: "link.broken".into(), account: "gh_1".into(), object: "http://a".into() };
        let a = Alert::key_for(&k, 1);
        assert_eq!(a, Alert::key_for(&k, 1));
        assert_ne!(a, Alert::key_for(&k, 2));
        // Parts are delimited: ("ab", "c") is not ("a", "bc").
        let k2 =
            ConditionKey { rule: "link.broken".into(), account: "gh_1h".into(), object: "ttp://a".into() };
        assert_ne!(a, Alert::key_for(&k2, 1));
        assert_eq!(a.len(), 3 + 32);
    }
}

//! Alert conditions: what holds now, derived from an evaluation's results by the rules and
//! from the state of the collector sources.
//!
//! An [`Observation`] also records what it covered. A condition that is missing proves it is
//! resolved only where the observation looked: an account in the results, a check that ran,
//! a source that reported. Accounts fed by a source that lost its login are set aside
//! entirely: their silence is the collector's, not the account's, so nothing about them is
//! raised or resolved until the source works again.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset, Utc};
use govmedia_model::Severity;
use govmedia_model::results::Results;
use serde::{Deserialize, Serialize};

use crate::rules::{Rule, Rules, SOURCE_LOGIN_LOST, Trigger};

/// Identifies a condition across evaluations: rule, account and object (e.g. a link's URL).
/// For a source's condition the account is empty and the object is the source id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ConditionKey {
    pub rule: String,
    pub account: String,
    pub object: String,
}

/// Who or what an alert is about; routing filters on an account's id and region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Subject {
    Account {
        id: String,
        name: String,
        owner: String,
        /// GB/T 2260 code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        region: Option<String>,
    },
    Source {
        id: String,
        name: String,
    },
}

impl Subject {
    /// The account's or source's name, for titles.
    pub fn name(&self) -> &str {
        match self {
            Subject::Account { name, .. } | Subject::Source { name, .. } => name,
        }
    }

    /// How alerts name it.
    pub fn describe(&self) -> String {
        match self {
            Subject::Account { name, owner, .. } if !owner.is_empty() && owner != name => {
                format!("{name}（{owner}）")
            }
            Subject::Account { name, .. } => name.clone(),
            Subject::Source { name, .. } => format!("采集源“{name}”"),
        }
    }
}

/// One shown piece of evidence, already labelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detail {
    pub label: String,
    pub value: String,
}

/// A condition that holds now.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub key: ConditionKey,
    /// The escalation stage reached (0 for rules without stages).
    pub stage: usize,
    pub title: String,
    pub severity: Severity,
    pub subject: Subject,
    pub message: String,
    pub details: Vec<Detail>,
}

/// A collector source's health, as the collector reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceStatus {
    pub id: String,
    pub name: String,
    /// Accounts collected through this source.
    pub accounts: Vec<String>,
    /// Set while the source's login is lost.
    pub login_lost: Option<LoginLost>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LoginLost {
    pub since: DateTime<Utc>,
    /// What the collector saw (Chinese), e.g. "登录已过期，需重新扫码".
    pub detail: String,
}

/// The conditions of one monitoring round and what the round covered.
#[derive(Debug, Clone, Default)]
pub struct Observation {
    conditions: BTreeMap<ConditionKey, Condition>,
    accounts: BTreeSet<String>,
    sources: BTreeSet<String>,
    /// Accounts behind a source that lost its login.
    set_aside: BTreeSet<String>,
    /// Checks the evaluation could not run for some account.
    checks_not_evaluated: BTreeSet<String>,
}

impl Observation {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the conditions the rules find in an evaluation's results.
    pub fn add_results(&mut self, results: &Results, rules: &Rules) {
        self.checks_not_evaluated.extend(results.not_evaluated.iter().map(|n| n.check.clone()));
        for account in &results.accounts {
            self.accounts.insert(account.id.clone());
            let subject = Subject::Account {
                id: account.id.clone(),
                name: account.name.clone(),
                owner: account.owner.clone(),
                region: account.region.clone(),
            };
            for rule in rules.iter() {
                // Per object, the highest stage reached and the finding that reached it.
                let mut reached: BTreeMap<String, (usize, &govmedia_model::Finding)> = BTreeMap::new();
                for f in account.findings.iter().filter(|f| rule.watches(f.code)) {
                    let Some(stage) = rule.stage_of(f.code, &f.evidence) else { continue };
                    let object = object_of(rule, &f.evidence);
                    if reached.get(&object).is_none_or(|(s, _)| stage > *s) {
                        reached.insert(object, (stage, f));
                    }
                }
                for (object, (stage, f)) in reached {
                    self.add(Condition {
                        key: ConditionKey { rule: rule.id.clone(), account: account.id.clone(), object },
                        stage,
                        title: rule.stage_title(stage).to_owned(),
                        severity: rule.stage_severity(stage).unwrap_or(f.severity),
                        subject: subject.clone(),
                        message: f.message.clone(),
                        details: details(rule, rules, &f.evidence),
                    });
                }
            }
        }
    }

    /// Adds a collector source's state: a condition while its login is lost, and its accounts
    /// set aside for as long.
    pub fn add_source(&mut self, status: &SourceStatus, rules: &Rules) {
        self.sources.insert(status.id.clone());
        let Some(lost) = &status.login_lost else { return };
        self.set_aside.extend(status.accounts.iter().cloned());
        let external = |r: &&Rule| matches!(&r.trigger, Trigger::External(k) if k == SOURCE_LOGIN_LOST);
        for rule in rules.iter().filter(external) {
            let mut evidence = govmedia_model::Evidence::new();
            evidence.insert("source".into(), format!("{}（{}）", status.name, status.id).into());
            evidence.insert("since".into(), beijing(lost.since).into());
            self.add(Condition {
                key: ConditionKey {
                    rule: rule.id.clone(),
                    account: String::new(),
                    object: status.id.clone(),
                },
                stage: 0,
                title: rule.title.clone(),
                severity: rule.severity.unwrap_or(Severity::Major),
                subject: Subject::Source { id: status.id.clone(), name: status.name.clone() },
                message: format!(
                    "采集源“{}”登录态已失效（{}），其采集的{}个账号暂停停更、留言等告警判定，请尽快重新登录",
                    status.name,
                    lost.detail,
                    status.accounts.len()
                ),
                details: details(rule, rules, &evidence),
            });
        }
    }

    fn add(&mut self, c: Condition) {
        match self.conditions.get(&c.key) {
            Some(old) if old.stage >= c.stage => {}
            _ => {
                self.conditions.insert(c.key.clone(), c);
            }
        }
    }

    /// The conditions that count this round (none of set-aside accounts).
    pub fn conditions(&self) -> impl Iterator<Item = &Condition> {
        self.conditions.values().filter(|c| !self.set_aside.contains(&c.key.account))
    }

    pub fn get(&self, key: &ConditionKey) -> Option<&Condition> {
        self.conditions.get(key).filter(|c| !self.set_aside.contains(&c.key.account))
    }

    /// Whether this round looked where `key`'s condition would show, so that its absence
    /// means it is resolved.
    pub fn covers(&self, key: &ConditionKey, rule: &Rule) -> bool {
        if rule.is_external() {
            return self.sources.contains(&key.object);
        }
        self.accounts.contains(&key.account)
            && !self.set_aside.contains(&key.account)
            && rule.check.as_ref().is_none_or(|c| !self.checks_not_evaluated.contains(c))
    }
}

fn object_of(rule: &Rule, evidence: &govmedia_model::Evidence) -> String {
    rule.object
        .iter()
        .map(|f| evidence.get(f).map(show_value).unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" · ")
}

fn details(rule: &Rule, rules: &Rules, evidence: &govmedia_model::Evidence) -> Vec<Detail> {
    rule.show
        .iter()
        .filter_map(|field| {
            let v = evidence.get(field).filter(|v| !v.is_null())?;
            Some(Detail { label: rules.label(field).to_owned(), value: show_value(v) })
        })
        .collect()
}

fn show_value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(true) => "是".into(),
        serde_json::Value::Bool(false) => "否".into(),
        other => other.to_string(),
    }
}

/// Beijing time (UTC+8, no daylight saving), as alerts print it.
pub fn beijing(t: DateTime<Utc>) -> String {
    let east8 = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    t.with_timezone(&east8).format("%Y-%m-%d %H:%M").to_string()
}

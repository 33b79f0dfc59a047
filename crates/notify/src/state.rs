//! State changes: the current conditions compared with the persisted state. A new condition
//! is raised, a higher stage escalates, a condition gone (where the observation looked) is
//! resolved; an unchanged one sends nothing, so each alert goes out once per state change.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::alert::{Alert, Change};
use crate::condition::{Condition, ConditionKey, Observation};
use crate::error::StoreError;
use crate::routing::Routing;
use crate::rules::Rules;
use crate::store::{AlertStore, Detection, StateRecord};

/// Compares an observation with the previous state: the state records to write and the
/// alerts to emit, in a stable order.
///
/// A stage going down (fewer unanswered comments) is recorded without an alert, so that
/// reaching the higher stage again escalates again. A condition of a rule no longer in force
/// is closed without an alert: nobody asked for it any more.
pub fn changes(
    previous: &[StateRecord],
    observation: &Observation,
    rules: &Rules,
    now: DateTime<Utc>,
) -> (Vec<StateRecord>, Vec<Alert>) {
    let previous: BTreeMap<&ConditionKey, &StateRecord> = previous.iter().map(|r| (&r.key, r)).collect();
    let mut states = Vec::new();
    let mut alerts = Vec::new();
    for c in observation.conditions() {
        match previous.get(&c.key) {
            Some(p) if p.active => {
                if c.stage > p.stage {
                    let alert = alert_for(c, Change::Escalated, p.seq + 1, now);
                    states.push(StateRecord {
                        stage: c.stage,
                        seq: p.seq + 1,
                        changed_at: now,
                        last: alert.clone(),
                        ..(*p).clone()
                    });
                    alerts.push(alert);
                } else if c.stage < p.stage {
                    states.push(StateRecord { stage: c.stage, changed_at: now, ..(*p).clone() });
                }
            }
            p => {
                let seq = p.map_or(0, |p| p.seq) + 1;
                let alert = alert_for(c, Change::Raised, seq, now);
                states.push(StateRecord {
                    key: c.key.clone(),
                    active: true,
                    stage: c.stage,
                    seq,
                    since: now,
                    changed_at: now,
                    last: alert.clone(),
                });
                alerts.push(alert);
            }
        }
    }
    for p in previous.values().filter(|p| p.active && observation.get(&p.key).is_none()) {
        let Some(rule) = rules.get(&p.key.rule) else {
            states.push(StateRecord { active: false, changed_at: now, ..(*p).clone() });
            continue;
        };
        if !observation.covers(&p.key, rule) {
            continue;
        }
        let seq = p.seq + 1;
        let alert = Alert {
            idempotency_key: Alert::key_for(&p.key, seq),
            change: Change::Resolved,
            title: rule.resolved_title.clone(),
            message: format!("此前告警“{}”的情况已不再出现。原告警：{}", p.last.title, p.last.message),
            detected_at: now,
            ..p.last.clone()
        };
        states.push(StateRecord { active: false, seq, changed_at: now, last: alert.clone(), ..(*p).clone() });
        alerts.push(alert);
    }
    (states, alerts)
}

fn alert_for(c: &Condition, change: Change, seq: u32, now: DateTime<Utc>) -> Alert {
    Alert {
        idempotency_key: Alert::key_for(&c.key, seq),
        change,
        condition: c.key.clone(),
        stage: c.stage,
        title: c.title.clone(),
        severity: c.severity,
        subject: c.subject.clone(),
        message: c.message.clone(),
        details: c.details.clone(),
        detected_at: now,
    }
}

/// Detects the state changes of `observation` and records them with their outbox rows (one
/// per sink the routing sends each alert to) in one transaction. Returns the alerts emitted.
///
/// With an empty [`Routing`] the state is recorded and nothing is queued: a first run over a
/// large survey can take its baseline that way instead of alerting on everything at once.
pub fn detect(
    store: &mut dyn AlertStore,
    rules: &Rules,
    routing: &Routing,
    observation: &Observation,
    now: DateTime<Utc>,
) -> Result<Vec<Alert>, StoreError> {
    let detection = store.record(&mut |previous| {
        let (states, alerts) = changes(previous, observation, rules, now);
        let outbox = alerts
            .iter()
            .flat_map(|a| routing.route(a).into_iter().map(move |sink| (sink.id.clone(), a.clone())))
            .collect();
        Detection { states, alerts, outbox }
    })?;
    Ok(detection.alerts)
}

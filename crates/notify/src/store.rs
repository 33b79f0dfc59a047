//! Persistence of alert state and the outbox, behind a small trait: SQLite
//! ([`crate::sqlite::SqliteAlertStore`]) and PostgreSQL ([`crate::postgres::PgAlertStore`]),
//! with the same tables and contract.
//!
//! The contract that makes "each alert once per state change" survive a crash: detection
//! reads the state, and writes the new state together with the outbox rows in one
//! transaction ([`AlertStore::record`]). A process killed before that commit re-detects the
//! same changes (with the same idempotency keys); one killed after it finds the rows pending
//! and the state already changed, so it sends them and detects nothing twice.

use chrono::{DateTime, Utc};

use crate::alert::Alert;
use crate::condition::ConditionKey;
use crate::error::StoreError;

/// The persisted state of one condition. Rows are kept after resolution so the alert
/// sequence number, part of the idempotency key, never repeats.
#[derive(Debug, Clone, PartialEq)]
pub struct StateRecord {
    pub key: ConditionKey,
    pub active: bool,
    pub stage: usize,
    /// Alerts emitted for this condition so far.
    pub seq: u32,
    /// When the current (or last) episode was raised.
    pub since: DateTime<Utc>,
    pub changed_at: DateTime<Utc>,
    /// The last alert emitted: a resolution repeats its subject, grade and details.
    pub last: Alert,
}

/// What one detection decided: state rows to upsert, alerts emitted, and one outbox row per
/// alert and sink it is routed to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Detection {
    pub states: Vec<StateRecord>,
    pub alerts: Vec<Alert>,
    pub outbox: Vec<(String, Alert)>,
}

/// An outbox row waiting for delivery.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub id: i64,
    pub sink: String,
    pub alert: Alert,
    /// Failed attempts so far.
    pub attempts: u32,
}

/// Outbox rows by status, for a status display.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub pending: u64,
    pub sent: u64,
    /// Given up after the sink's maximum attempts.
    pub failed: u64,
}

pub trait AlertStore: Send {
    /// In one transaction: reads every state record, calls `detect`, and writes the state
    /// records and outbox rows it returns (an outbox row already present for the same
    /// idempotency key and sink is left as it is).
    fn record(
        &mut self,
        detect: &mut dyn FnMut(&[StateRecord]) -> Detection,
    ) -> Result<Detection, StoreError>;

    /// Pending rows of `sink` due at `now`, oldest first.
    fn due(&mut self, sink: &str, now: DateTime<Utc>) -> Result<Vec<Pending>, StoreError>;

    /// The earliest time a pending row of one of `sinks` is due.
    fn next_due(&mut self, sinks: &[&str]) -> Result<Option<DateTime<Utc>>, StoreError>;

    /// Marks rows delivered, all in one message `message` (a digest holds several).
    fn mark_sent(&mut self, ids: &[i64], at: DateTime<Utc>, message: &str) -> Result<(), StoreError>;

    /// Records a failed attempt: retried at `retry_at`, or given up when it is `None`.
    fn mark_failed(
        &mut self,
        id: i64,
        attempts: u32,
        retry_at: Option<DateTime<Utc>>,
        error: &str,
    ) -> Result<(), StoreError>;

    /// When messages were delivered to `sink` since `since` (one time per message), so a
    /// restarted sender keeps within the platform's rate limit.
    fn sent_since(&mut self, sink: &str, since: DateTime<Utc>) -> Result<Vec<DateTime<Utc>>, StoreError>;

    fn counts(&mut self) -> Result<OutboxCounts, StoreError>;
}

/// A failure of the alert store at `location`.
pub(crate) fn err(location: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError { location: location.to_owned(), message: e.to_string() }
}

/// Times are stored as Unix milliseconds.
pub(crate) fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub(crate) fn time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// An alert stored as JSON.
pub(crate) fn decode(location: &str, json: &str) -> Result<Alert, StoreError> {
    serde_json::from_str(json).map_err(|e| err(location, format!("告警记录无法解析：{e}")))
}

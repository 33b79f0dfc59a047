//! The alert store over SQLite: tables `alert_state` and `alert_outbox`, created if missing in
//! whichever database file the caller names (govmedia's own database, or a file of their own).
//! The tables belong to this crate alone; no other table is read or changed.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::condition::ConditionKey;
use crate::error::StoreError;
use crate::store::{AlertStore, Detection, OutboxCounts, Pending, StateRecord, decode, err, ms, time};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS alert_state (
    rule TEXT NOT NULL,
    account TEXT NOT NULL,
    object TEXT NOT NULL,
    active INTEGER NOT NULL,
    stage INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    since_ms INTEGER NOT NULL,
    changed_ms INTEGER NOT NULL,
    last_alert TEXT NOT NULL,
    PRIMARY KEY (rule, account, object)
);
CREATE TABLE IF NOT EXISTS alert_outbox (
    id INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL,
    sink TEXT NOT NULL,
    alert TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_ms INTEGER NOT NULL,
    last_error TEXT,
    sent_ms INTEGER,
    message TEXT,
    UNIQUE (idempotency_key, sink)
);
CREATE INDEX IF NOT EXISTS alert_outbox_due ON alert_outbox (status, sink, next_ms);
";

pub struct SqliteAlertStore {
    conn: Connection,
    location: String,
}

impl SqliteAlertStore {
    /// Opens (creating if needed) the database file and the alert tables in it.
    pub fn open(path: &Path) -> Result<SqliteAlertStore, StoreError> {
        let location = path.display().to_string();
        let conn = Connection::open(path).map_err(|e| err(&location, e))?;
        Self::init(conn, location)
    }

    /// A private in-memory store.
    pub fn open_in_memory() -> Result<SqliteAlertStore, StoreError> {
        let conn = Connection::open_in_memory().map_err(|e| err(":memory:", e))?;
        Self::init(conn, ":memory:".to_owned())
    }

    fn init(conn: Connection, location: String) -> Result<SqliteAlertStore, StoreError> {
        // The database may be govmedia's, in use by an import: wait for its lock rather than
        // fail. Its journal mode is the owner's choice and is left alone.
        conn.execute_batch("PRAGMA busy_timeout = 5000;").map_err(|e| err(&location, e))?;
        conn.execute_batch(SCHEMA).map_err(|e| err(&location, e))?;
        Ok(SqliteAlertStore { conn, location })
    }

    fn err(&self, e: impl std::fmt::Display) -> StoreError {
        err(&self.location, e)
    }
}

impl AlertStore for SqliteAlertStore {
    fn record(
        &mut self,
        detect: &mut dyn FnMut(&[StateRecord]) -> Detection,
    ) -> Result<Detection, StoreError> {
        let location = self.location.clone();
        // IMMEDIATE: the state read and the writes below form one unit no other writer can
        // interleave with, so two monitors cannot both raise the same change.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| err(&location, e))?;
        let previous = {
            let mut stmt = tx
                .prepare(
                    "SELECT rule, account, object, active, stage, seq, since_ms, changed_ms, last_alert \
                     FROM alert_state",
                )
                .map_err(|e| err(&location, e))?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        ConditionKey { rule: r.get(0)?, account: r.get(1)?, object: r.get(2)? },
                        r.get::<_, bool>(3)?,
                        r.get::<_, i64>(4)?,
                        r.get::<_, u32>(5)?,
                        r.get::<_, i64>(6)?,
                        r.get::<_, i64>(7)?,
                        r.get::<_, String>(8)?,
                    ))
                })
                .map_err(|e| err(&location, e))?;
            let mut previous = Vec::new();
            for row in rows {
                let (key, active, stage, seq, since, changed, last) = row.map_err(|e| err(&location, e))?;
                previous.push(StateRecord {
                    key,
                    active,
                    stage: usize::try_from(stage).unwrap_or_default(),
                    seq,
                    since: time(since),
                    changed_at: time(changed),
                    last: decode(&location, &last)?,
                });
            }
            previous
        };
        let detection = detect(&previous);
        {
            let mut upsert = tx
                .prepare(
                    "INSERT INTO alert_state (rule, account, object, active, stage, seq, since_ms, changed_ms, last_alert) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
                     ON CONFLICT (rule, account, object) DO UPDATE SET active = excluded.active, \
                     stage = excluded.stage, seq = excluded.seq, since_ms = excluded.since_ms, \
                     changed_ms = excluded.changed_ms, last_alert = excluded.last_alert",
                )
                .map_err(|e| err(&location, e))?;
            for s in &detection.states {
                let last = serde_json::to_string(&s.last).map_err(|e| err(&location, e))?;
                upsert
                    .execute(params![
                        s.key.rule,
                        s.key.account,
                        s.key.object,
                        s.active,
                        i64::try_from(s.stage).unwrap_or(i64::MAX),
                        s.seq,
                        ms(s.since),
                        ms(s.changed_at),
                        last
                    ])
                    .map_err(|e| err(&location, e))?;
            }
            let mut insert = tx
                .prepare(
                    "INSERT OR IGNORE INTO alert_outbox (idempotency_key, sink, alert, created_ms, next_ms) \
                     VALUES (?1, ?2, ?3, ?4, ?4)",
                )
                .map_err(|e| err(&location, e))?;
            for (sink, alert) in &detection.outbox {
                let json = serde_json::to_string(alert).map_err(|e| err(&location, e))?;
                insert
                    .execute(params![alert.idempotency_key, sink, json, ms(alert.detected_at)])
                    .map_err(|e| err(&location, e))?;
            }
        }
        tx.commit().map_err(|e| err(&location, e))?;
        Ok(detection)
    }

    fn due(&mut self, sink: &str, now: DateTime<Utc>) -> Result<Vec<Pending>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, alert, attempts FROM alert_outbox \
                 WHERE status = 'pending' AND sink = ?1 AND next_ms <= ?2 ORDER BY id",
            )
            .map_err(|e| err(&self.location, e))?;
        let rows = stmt
            .query_map(params![sink, ms(now)], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, u32>(2)?))
            })
            .map_err(|e| err(&self.location, e))?;
        let mut due = Vec::new();
        for row in rows {
            let (id, json, attempts) = row.map_err(|e| err(&self.location, e))?;
            due.push(Pending { id, sink: sink.to_owned(), alert: decode(&self.location, &json)?, attempts });
        }
        Ok(due)
    }

    fn next_due(&mut self, sinks: &[&str]) -> Result<Option<DateTime<Utc>>, StoreError> {
        let mut next: Option<i64> = None;
        for sink in sinks {
            let t: Option<i64> = self
                .conn
                .query_row(
                    "SELECT MIN(next_ms) FROM alert_outbox WHERE status = 'pending' AND sink = ?1",
                    [sink],
                    |r| r.get(0),
                )
                .optional()
                .map_err(|e| self.err(e))?
                .flatten();
            next = match (next, t) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        Ok(next.map(time))
    }

    fn mark_sent(&mut self, ids: &[i64], at: DateTime<Utc>, message: &str) -> Result<(), StoreError> {
        let location = self.location.clone();
        let tx = self.conn.transaction().map_err(|e| err(&location, e))?;
        {
            let mut stmt = tx
                .prepare("UPDATE alert_outbox SET status = 'sent', sent_ms = ?2, message = ?3, last_error = NULL WHERE id = ?1")
                .map_err(|e| err(&location, e))?;
            for id in ids {
                stmt.execute(params![id, ms(at), message]).map_err(|e| err(&location, e))?;
            }
        }
        tx.commit().map_err(|e| err(&location, e))
    }

    fn mark_failed(
        &mut self,
        id: i64,
        attempts: u32,
        retry_at: Option<DateTime<Utc>>,
        error: &str,
    ) -> Result<(), StoreError> {
        let (status, next) = match retry_at {
            Some(t) => ("pending", Some(ms(t))),
            None => ("failed", None),
        };
        self.conn
            .execute(
                "UPDATE alert_outbox SET status = ?2, attempts = ?3, next_ms = COALESCE(?4, next_ms), \
                 last_error = ?5 WHERE id = ?1",
                params![id, status, attempts, next, error],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    fn sent_since(&mut self, sink: &str, since: DateTime<Utc>) -> Result<Vec<DateTime<Utc>>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT MIN(sent_ms) FROM alert_outbox WHERE status = 'sent' AND sink = ?1 AND sent_ms >= ?2 \
                 GROUP BY message ORDER BY 1",
            )
            .map_err(|e| err(&self.location, e))?;
        let rows = stmt
            .query_map(params![sink, ms(since)], |r| r.get::<_, i64>(0))
            .map_err(|e| err(&self.location, e))?;
        rows.map(|r| r.map(time).map_err(|e| err(&self.location, e))).collect()
    }

    fn counts(&mut self) -> Result<OutboxCounts, StoreError> {
        let mut c = OutboxCounts::default();
        let mut stmt = self
            .conn
            .prepare("SELECT status, COUNT(*) FROM alert_outbox GROUP BY status")
            .map_err(|e| err(&self.location, e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            .map_err(|e| err(&self.location, e))?;
        for row in rows {
            let (status, n) = row.map_err(|e| err(&self.location, e))?;
            let n = u64::try_from(n).unwrap_or_default();
            match status.as_str() {
                "pending" => c.pending = n,
                "sent" => c.sent = n,
                _ => c.failed = n,
            }
        }
        Ok(c)
    }
}

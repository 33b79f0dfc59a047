//! The alert store over PostgreSQL: the same tables and contract as [`crate::sqlite`], in
//! govmedia's PostgreSQL database (or any other the caller names), so monitors on several
//! machines share one alert state. The tables belong to this crate alone.

use std::time::Duration;

use chrono::{DateTime, Utc};
use postgres::{Client, Config, NoTls};

use crate::condition::ConditionKey;
use crate::error::StoreError;
use crate::store::{AlertStore, Detection, OutboxCounts, Pending, StateRecord, decode, err, ms, time};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS alert_state (
    rule TEXT NOT NULL,
    account TEXT NOT NULL,
    object TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    stage BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    since_ms BIGINT NOT NULL,
    changed_ms BIGINT NOT NULL,
    last_alert TEXT NOT NULL,
    PRIMARY KEY (rule, account, object)
);
CREATE TABLE IF NOT EXISTS alert_outbox (
    id BIGSERIAL PRIMARY KEY,
    idempotency_key TEXT NOT NULL,
    sink TEXT NOT NULL,
    alert TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts BIGINT NOT NULL DEFAULT 0,
    next_ms BIGINT NOT NULL,
    last_error TEXT,
    sent_ms BIGINT,
    message TEXT,
    UNIQUE (idempotency_key, sink)
);
CREATE INDEX IF NOT EXISTS alert_outbox_due ON alert_outbox (status, sink, next_ms);
";

/// Serialises schema creation between processes (`CREATE TABLE IF NOT EXISTS` alone races).
const SCHEMA_LOCK: i64 = 0x676f_766d_616c_7274; // "govmalrt"

pub struct PgAlertStore {
    /// Always `Some` until dropped (see the `Drop` implementation).
    client: Option<Client>,
    location: String,
}

impl PgAlertStore {
    /// Connects to `url` (`postgres://user:password@host:port/db`) and creates the alert
    /// tables if they are missing. Messages name the server without the password.
    pub fn connect(url: &str) -> Result<PgAlertStore, StoreError> {
        if tokio::runtime::Handle::try_current().is_ok() {
            // See `run`: the synchronous client cannot start inside an async runtime.
            return std::thread::scope(|s| {
                s.spawn(|| Self::connect(url)).join().expect("the connecting thread")
            });
        }
        let mut config: Config = url.parse().map_err(|e| err(&redact(url), e))?;
        let location = describe(&config);
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        let mut client = config.connect(NoTls).map_err(|e| err(&location, e))?;
        let mut tx = client.transaction().map_err(|e| err(&location, e))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK]).map_err(|e| err(&location, e))?;
        tx.batch_execute(SCHEMA).map_err(|e| err(&location, e))?;
        tx.commit().map_err(|e| err(&location, e))?;
        Ok(PgAlertStore { client: Some(client), location })
    }

    /// Runs `f` on the connection. The synchronous client drives a runtime of its own, which
    /// cannot start inside another (the dispatcher is async): there, `f` runs on a thread.
    fn run<T: Send>(
        &mut self,
        f: impl FnOnce(&mut Client) -> Result<T, StoreError> + Send,
    ) -> Result<T, StoreError> {
        let client = self.client.as_mut().expect("the connection is open until dropped");
        if tokio::runtime::Handle::try_current().is_err() {
            return f(client);
        }
        std::thread::scope(|s| s.spawn(move || f(client)).join().expect("the alert store's thread"))
    }

    /// Ends the open transaction after `e`; `e` is what is reported.
    fn rollback(&mut self, e: StoreError) -> StoreError {
        let _ = self.run(|c| c.batch_execute("ROLLBACK").map_err(|e| err("", e)));
        e
    }
}

impl Drop for PgAlertStore {
    /// Closing the connection drives the client's runtime too: off any async runtime.
    fn drop(&mut self) {
        if let Some(client) = self.client.take()
            && tokio::runtime::Handle::try_current().is_ok()
        {
            std::thread::scope(|s| {
                s.spawn(move || drop(client));
            });
        }
    }
}

/// `postgres://user@host:port/db`, never the password.
fn describe(c: &Config) -> String {
    let host = c
        .get_hosts()
        .first()
        .map(|h| match h {
            postgres::config::Host::Tcp(s) => s.clone(),
            postgres::config::Host::Unix(p) => p.display().to_string(),
        })
        .unwrap_or_default();
    let port = c.get_ports().first().map(|p| format!(":{p}")).unwrap_or_default();
    format!("postgres://{}@{host}{port}/{}", c.get_user().unwrap_or(""), c.get_dbname().unwrap_or(""))
}

/// A URL that did not parse, with anything between `://` and `@` replaced.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(a)) if a > s => format!("{}://***{}", &url[..s], &url[a..]),
        _ => url.to_owned(),
    }
}

fn previous(client: &mut Client, location: &str) -> Result<Vec<StateRecord>, StoreError> {
    let rows = client
        .query(
            "SELECT rule, account, object, active, stage, seq, since_ms, changed_ms, last_alert FROM alert_state \
             ORDER BY rule COLLATE \"C\", account COLLATE \"C\", object COLLATE \"C\"",
            &[],
        )
        .map_err(|e| err(location, e))?;
    rows.iter()
        .map(|r| {
            Ok(StateRecord {
                key: ConditionKey { rule: r.get(0), account: r.get(1), object: r.get(2) },
                active: r.get(3),
                stage: usize::try_from(r.get::<_, i64>(4)).unwrap_or_default(),
                seq: u32::try_from(r.get::<_, i64>(5)).unwrap_or(u32::MAX),
                since: time(r.get(6)),
                changed_at: time(r.get(7)),
                last: decode(location, r.get(8))?,
            })
        })
        .collect()
}

/// Writes what a detection decided and commits the transaction [`PgAlertStore::record`] began.
fn write(c: &mut Client, location: &str, detection: &Detection) -> Result<(), StoreError> {
    let upsert = c
        .prepare(
            "INSERT INTO alert_state (rule, account, object, active, stage, seq, since_ms, changed_ms, last_alert) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (rule, account, object) DO UPDATE SET active = excluded.active, \
             stage = excluded.stage, seq = excluded.seq, since_ms = excluded.since_ms, \
             changed_ms = excluded.changed_ms, last_alert = excluded.last_alert",
        )
        .map_err(|e| err(location, e))?;
    for s in &detection.states {
        let last = serde_json::to_string(&s.last).map_err(|e| err(location, e))?;
        let stage = i64::try_from(s.stage).unwrap_or(i64::MAX);
        c.execute(
            &upsert,
            &[
                &s.key.rule,
                &s.key.account,
                &s.key.object,
                &s.active,
                &stage,
                &i64::from(s.seq),
                &ms(s.since),
                &ms(s.changed_at),
                &last,
            ],
        )
        .map_err(|e| err(location, e))?;
    }
    let insert = c
        .prepare(
            "INSERT INTO alert_outbox (idempotency_key, sink, alert, created_ms, next_ms) \
             VALUES ($1, $2, $3, $4, $4) ON CONFLICT (idempotency_key, sink) DO NOTHING",
        )
        .map_err(|e| err(location, e))?;
    for (sink, alert) in &detection.outbox {
        let json = serde_json::to_string(alert).map_err(|e| err(location, e))?;
        c.execute(&insert, &[&alert.idempotency_key, sink, &json, &ms(alert.detected_at)])
            .map_err(|e| err(location, e))?;
    }
    c.batch_execute("COMMIT").map_err(|e| err(location, e))
}

impl AlertStore for PgAlertStore {
    fn record(
        &mut self,
        detect: &mut dyn FnMut(&[StateRecord]) -> Detection,
    ) -> Result<Detection, StoreError> {
        let location = self.location.clone();
        // The lock conflicts with itself and not with readers: two monitors cannot both read
        // the old state and raise the same change; the second waits and sees the first's rows.
        let loc = location.as_str();
        let previous = self.run(move |c| {
            c.batch_execute("BEGIN; LOCK TABLE alert_state IN SHARE ROW EXCLUSIVE MODE")
                .map_err(|e| err(loc, e))?;
            previous(c, loc)
        });
        let previous = match previous {
            Ok(p) => p,
            Err(e) => return Err(self.rollback(e)),
        };
        let detection = detect(&previous);
        let d = &detection;
        match self.run(move |c| write(c, loc, d)) {
            Ok(()) => Ok(detection),
            Err(e) => Err(self.rollback(e)),
        }
    }

    fn due(&mut self, sink: &str, now: DateTime<Utc>) -> Result<Vec<Pending>, StoreError> {
        let loc = self.location.clone();
        self.run(move |c| {
            let rows = c
                .query(
                    "SELECT id, alert, attempts FROM alert_outbox \
                     WHERE status = 'pending' AND sink = $1 AND next_ms <= $2 ORDER BY id",
                    &[&sink, &ms(now)],
                )
                .map_err(|e| err(&loc, e))?;
            rows.iter()
                .map(|r| {
                    Ok(Pending {
                        id: r.get(0),
                        sink: sink.to_owned(),
                        alert: decode(&loc, r.get(1))?,
                        attempts: u32::try_from(r.get::<_, i64>(2)).unwrap_or(u32::MAX),
                    })
                })
                .collect()
        })
    }

    fn next_due(&mut self, sinks: &[&str]) -> Result<Option<DateTime<Utc>>, StoreError> {
        let loc = self.location.clone();
        self.run(move |c| {
            let row = c
                .query_one(
                    "SELECT MIN(next_ms) FROM alert_outbox WHERE status = 'pending' AND sink = ANY($1)",
                    &[&sinks],
                )
                .map_err(|e| err(&loc, e))?;
            Ok(row.get::<_, Option<i64>>(0).map(time))
        })
    }

    fn mark_sent(&mut self, ids: &[i64], at: DateTime<Utc>, message: &str) -> Result<(), StoreError> {
        let loc = self.location.clone();
        self.run(move |c| {
            c.execute(
                "UPDATE alert_outbox SET status = 'sent', sent_ms = $2, message = $3, last_error = NULL \
                 WHERE id = ANY($1)",
                &[&ids, &ms(at), &message],
            )
            .map_err(|e| err(&loc, e))?;
            Ok(())
        })
    }

    fn mark_failed(
        &mut self,
        id: i64,
        attempts: u32,
        retry_at: Option<DateTime<Utc>>,
        error: &str,
    ) -> Result<(), StoreError> {
        let loc = self.location.clone();
        let status = if retry_at.is_some() { "pending" } else { "failed" };
        self.run(move |c| {
            c.execute(
                "UPDATE alert_outbox SET status = $2, attempts = $3, next_ms = COALESCE($4, next_ms), \
                 last_error = $5 WHERE id = $1",
                &[&id, &status, &i64::from(attempts), &retry_at.map(ms), &error],
            )
            .map_err(|e| err(&loc, e))?;
            Ok(())
        })
    }

    fn sent_since(&mut self, sink: &str, since: DateTime<Utc>) -> Result<Vec<DateTime<Utc>>, StoreError> {
        let loc = self.location.clone();
        self.run(move |c| {
            let rows = c
                .query(
                    "SELECT MIN(sent_ms) FROM alert_outbox \
                     WHERE status = 'sent' AND sink = $1 AND sent_ms >= $2 GROUP BY message ORDER BY 1",
                    &[&sink, &ms(since)],
                )
                .map_err(|e| err(&loc, e))?;
            Ok(rows.iter().map(|r| time(r.get(0))).collect())
        })
    }

    fn counts(&mut self) -> Result<OutboxCounts, StoreError> {
        let loc = self.location.clone();
        self.run(move |c| {
            let mut counts = OutboxCounts::default();
            let rows = c
                .query("SELECT status, COUNT(*) FROM alert_outbox GROUP BY status", &[])
                .map_err(|e| err(&loc, e))?;
            for r in rows {
                let n = u64::try_from(r.get::<_, i64>(1)).unwrap_or_default();
                match r.get::<_, &str>(0) {
                    "pending" => counts.pending = n,
                    "sent" => counts.sent = n,
                    _ => counts.failed = n,
                }
            }
            Ok(counts)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_never_show_the_password() {
        let e =
            PgAlertStore::connect("postgres://alice:s3cret@127.0.0.1:1/survey").err().unwrap().to_string();
        assert!(!e.contains("s3cret"), "{e}");
        assert!(e.contains("postgres://alice@127.0.0.1:1/survey"), "{e}");
        assert_eq!(redact("postgres://alice:s3cret@h/db?x"), "postgres://***@h/db?x");
    }
}

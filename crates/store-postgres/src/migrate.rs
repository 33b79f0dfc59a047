//! Versioned migrations, PostgreSQL's own: numbered SQL files applied in order, recorded in
//! `schema_migrations`, in one transaction that holds an advisory lock, so that two processes
//! starting at once (workers, a server) do not migrate together.

use govmedia_store_api::{Result, StoreError};
use postgres::Client;

use crate::pg_err;

/// (version, SQL). Append only: never edit a migration that has shipped.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/0001_init.sql")),
    (2, include_str!("../migrations/0002_access.sql")),
    (3, include_str!("../migrations/0003_run_articles.sql")),
    (4, include_str!("../migrations/0004_run_jobs.sql")),
];

/// Any fixed number: the key of the advisory lock held while migrating.
const LOCK: i64 = 0x676f_766d_6564;

pub(crate) fn run(client: &mut Client, location: &str) -> Result<()> {
    let e = |err| pg_err(location, err);
    let mut tx = client.transaction().map_err(e)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK]).map_err(e)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)",
    )
    .map_err(e)?;
    let current: i64 =
        tx.query_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &[]).map_err(e)?.get(0);
    let latest = MIGRATIONS.last().map_or(0, |m| m.0);
    if current > latest {
        return Err(StoreError::TooNew { location: location.to_owned(), found: current, supported: latest });
    }
    for (version, sql) in MIGRATIONS.iter().filter(|m| m.0 > current) {
        tx.batch_execute(sql).map_err(e)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
            &[version, &chrono::Utc::now().to_rfc3339()],
        )
        .map_err(e)?;
    }
    tx.commit().map_err(e)
}

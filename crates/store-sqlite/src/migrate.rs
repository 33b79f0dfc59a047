//! Versioned schema migrations: numbered SQL files applied in order, each in its own
//! transaction, recorded in `schema_migrations`. A dozen lines of code do not justify a
//! migration framework whose driver versions would have to follow rusqlite's.

use rusqlite::Connection;

use govmedia_store_api::{Result, StoreError};

use crate::sql_err;

/// (version, SQL). Append only: never edit a migration that has shipped.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/0001_init.sql")),
    (2, include_str!("../migrations/0002_cache_runs.sql")),
    (3, include_str!("../migrations/0003_access.sql")),
    (4, include_str!("../migrations/0004_run_articles.sql")),
];

pub(crate) fn run(conn: &mut Connection, location: &str) -> Result<()> {
    let e = |err| sql_err(location, err);
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)",
    )
    .map_err(e)?;
    let current: i64 = conn
        .query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], |r| r.get(0))
        .map_err(e)?;
    let latest = MIGRATIONS.last().map_or(0, |m| m.0);
    if current > latest {
        return Err(StoreError::TooNew { location: location.to_owned(), found: current, supported: latest });
    }
    for (version, sql) in MIGRATIONS.iter().filter(|m| m.0 > current) {
        let tx = conn.transaction().map_err(e)?;
        tx.execute_batch(sql).map_err(e)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
            rusqlite::params![version, chrono::Utc::now().to_rfc3339()],
        )
        .map_err(e)?;
        tx.commit().map_err(e)?;
    }
    Ok(())
}

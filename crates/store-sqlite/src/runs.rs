//! Evaluation runs and their results.

use govmedia_model::results::Results;
use govmedia_store_api::run::{RawRun, RunAccountRow, RunArticlesRow, join_results, split_results};
use govmedia_store_api::{NewRun, Result, RunId, RunSummary};
use rusqlite::{Connection, OptionalExtension, params};

use crate::sql_err;

pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub(crate) fn start(conn: &Connection, location: &str, run: &NewRun) -> Result<RunId> {
    conn.execute(
        "INSERT INTO runs (framework, period_from, period_to, check_date, options, state, started_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'running', ?6)",
        params![
            run.framework,
            run.period.from.to_string(),
            run.period.to.to_string(),
            run.check_date.to_string(),
            run.options.to_string(),
            now()
        ],
    )
    .map_err(|e| sql_err(location, e))?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn finish(conn: &mut Connection, location: &str, id: RunId, results: &Results) -> Result<()> {
    let e = |err| sql_err(location, err);
    let (rest, rows, articles) = split_results(results);
    let tx = conn.transaction().map_err(e)?;
    tx.execute("DELETE FROM run_accounts WHERE run_id = ?1", [id]).map_err(e)?;
    tx.execute("DELETE FROM run_articles WHERE run_id = ?1", [id]).map_err(e)?;
    // The rows are serialised on another thread while this one writes them (a national run's
    // are ~14 MB of JSON); the channel keeps a few in memory, not the run.
    std::thread::scope(|s| -> Result<()> {
        let (send, receive) = std::sync::mpsc::sync_channel::<Row>(32);
        s.spawn(move || {
            let mut all = rows.map(Row::Account).chain(articles.map(Row::Articles));
            all.try_for_each(|r| send.send(r)).ok();
        });
        let mut accounts = tx
            .prepare("INSERT INTO run_accounts (run_id, seq, account, score, rank, passed, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
            .map_err(e)?;
        let mut blocks = tx
            .prepare("INSERT INTO run_articles (run_id, seq, account, data) VALUES (?1, ?2, ?3, ?4)")
            .map_err(e)?;
        let (mut account_seq, mut block_seq) = (0i64, 0i64);
        // An error drops the receiver: the serialising thread stops at its next row.
        for row in receive {
            match row {
                Row::Account(r) => {
                    accounts
                        .execute(params![id, account_seq, r.account, r.score, r.rank, r.passed, r.data])
                        .map_err(e)?;
                    account_seq += 1;
                }
                Row::Articles(r) => {
                    blocks.execute(params![id, block_seq, r.account, r.data]).map_err(e)?;
                    block_seq += 1;
                }
            }
        }
        Ok(())
    })?;
    let passed = results.accounts.iter().filter(|a| a.passed).count() as i64;
    tx.execute(
        "UPDATE runs SET state = 'finished', finished_at = ?2, accounts = ?3, passed = ?4, results = ?5, error = NULL
         WHERE id = ?1",
        params![id, now(), results.accounts.len() as i64, passed, rest],
    )
    .map_err(e)?;
    tx.commit().map_err(e)
}

/// A row of a run's results, on its way to the database.
enum Row {
    Account(RunAccountRow),
    Articles(RunArticlesRow),
}

pub(crate) fn fail(conn: &Connection, location: &str, id: RunId, reason: &str) -> Result<()> {
    conn.execute(
        "UPDATE runs SET state = 'failed', finished_at = ?2, error = ?3 WHERE id = ?1",
        params![id, now(), reason],
    )
    .map_err(|e| sql_err(location, e))
    .map(|_| ())
}

pub(crate) fn list(conn: &Connection, location: &str) -> Result<Vec<RunSummary>> {
    let e = |err| sql_err(location, err);
    let mut st = conn
        .prepare(
            "SELECT id, framework, period_from, period_to, check_date, options, state, started_at, finished_at,
                    accounts, passed, error FROM runs ORDER BY id DESC",
        )
        .map_err(e)?;
    let rows = st
        .query_map([], |r| {
            Ok(RawRun {
                id: r.get(0)?,
                framework: r.get(1)?,
                from: r.get(2)?,
                to: r.get(3)?,
                check_date: r.get(4)?,
                options: r.get(5)?,
                state: r.get(6)?,
                started_at: r.get(7)?,
                finished_at: r.get(8)?,
                accounts: r.get(9)?,
                passed: r.get(10)?,
                error: r.get(11)?,
            })
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(e)?;
    rows.into_iter().map(|r| r.summary(location)).collect()
}

pub(crate) fn results(conn: &Connection, location: &str, id: RunId) -> Result<Option<Results>> {
    let e = |err| sql_err(location, err);
    let rest: Option<Option<String>> =
        conn.query_row("SELECT results FROM runs WHERE id = ?1", [id], |r| r.get(0)).optional().map_err(e)?;
    let Some(Some(rest)) = rest else { return Ok(None) };
    let column = |table: &str| {
        conn.prepare(&format!("SELECT data FROM {table} WHERE run_id = ?1 ORDER BY seq"))
            .and_then(|mut st| {
                st.query_map([id], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(e)
    };
    join_results(location, &rest, &column("run_accounts")?, &column("run_articles")?).map(Some)
}

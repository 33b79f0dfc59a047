//! Evaluation runs and their results.

use govmedia_model::results::Results;
use govmedia_store_api::run::{RawRun, join_results, split_results};
use govmedia_store_api::{NewRun, Result, RunId, RunSummary};
use postgres::Client;

use crate::pg_err;

pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub(crate) fn start(client: &mut Client, location: &str, run: &NewRun) -> Result<RunId> {
    let row = client
        .query_one(
            "INSERT INTO runs (framework, period_from, period_to, check_date, options, state, started_at)
             VALUES ($1, $2, $3, $4, $5, 'running', $6) RETURNING id",
            &[
                &run.framework,
                &run.period.from.to_string(),
                &run.period.to.to_string(),
                &run.check_date.to_string(),
                &run.options.to_string(),
                &now(),
            ],
        )
        .map_err(|e| pg_err(location, e))?;
    Ok(row.get(0))
}

pub(crate) fn finish(client: &mut Client, location: &str, id: RunId, results: &Results) -> Result<()> {
    let e = |err| pg_err(location, err);
    let (rest, rows, articles) = split_results(results);
    let mut tx = client.transaction().map_err(e)?;
    tx.execute("DELETE FROM run_accounts WHERE run_id = $1", &[&id]).map_err(e)?;
    tx.execute("DELETE FROM run_articles WHERE run_id = $1", &[&id]).map_err(e)?;
    let st = tx
        .prepare("INSERT INTO run_accounts (run_id, seq, account, score, rank, passed, data) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .map_err(e)?;
    for (seq, r) in rows.enumerate() {
        let (seq, rank, passed) =
            (seq as i32, r.rank.map(|r| i32::try_from(r).unwrap_or(i32::MAX)), i32::from(r.passed));
        tx.execute(&st, &[&id, &seq, &r.account, &r.score, &rank, &passed, &r.data]).map_err(e)?;
    }
    let st = tx
        .prepare("INSERT INTO run_articles (run_id, seq, account, data) VALUES ($1, $2, $3, $4)")
        .map_err(e)?;
    for (seq, r) in articles.enumerate() {
        tx.execute(&st, &[&id, &(seq as i32), &r.account, &r.data]).map_err(e)?;
    }
    let passed = results.accounts.iter().filter(|a| a.passed).count() as i64;
    tx.execute(
        "UPDATE runs SET state = 'finished', finished_at = $2, accounts = $3, passed = $4, results = $5, error = NULL
         WHERE id = $1",
        &[&id, &now(), &(results.accounts.len() as i64), &passed, &rest],
    )
    .map_err(e)?;
    tx.commit().map_err(e)
}

pub(crate) fn fail(client: &mut Client, location: &str, id: RunId, reason: &str) -> Result<()> {
    client
        .execute(
            "UPDATE runs SET state = 'failed', finished_at = $2, error = $3 WHERE id = $1",
            &[&id, &now(), &reason],
        )
        .map(|_| ())
        .map_err(|e| pg_err(location, e))
}

pub(crate) fn list(client: &mut Client, location: &str) -> Result<Vec<RunSummary>> {
    let rows = client
        .query(
            "SELECT id, framework, period_from, period_to, check_date, options, state, started_at, finished_at,
                    accounts, passed, error FROM runs ORDER BY id DESC",
            &[],
        )
        .map_err(|e| pg_err(location, e))?;
    rows.iter()
        .map(|r| {
            RawRun {
                id: r.get(0),
                framework: r.get(1),
                from: r.get(2),
                to: r.get(3),
                check_date: r.get(4),
                options: r.get(5),
                state: r.get(6),
                started_at: r.get(7),
                finished_at: r.get(8),
                accounts: r.get(9),
                passed: r.get(10),
                error: r.get(11),
            }
            .summary(location)
        })
        .collect()
}

pub(crate) fn results(client: &mut Client, location: &str, id: RunId) -> Result<Option<Results>> {
    let e = |err| pg_err(location, err);
    let rest: Option<Option<String>> =
        client.query_opt("SELECT results FROM runs WHERE id = $1", &[&id]).map_err(e)?.map(|r| r.get(0));
    let Some(Some(rest)) = rest else { return Ok(None) };
    let mut column = |table: &str| -> Result<Vec<String>> {
        let sql = format!("SELECT data FROM {table} WHERE run_id = $1 ORDER BY seq");
        Ok(client.query(&sql, &[&id]).map_err(e)?.iter().map(|r| r.get(0)).collect())
    };
    let accounts = column("run_accounts")?;
    join_results(location, &rest, &accounts, &column("run_articles")?).map(Some)
}

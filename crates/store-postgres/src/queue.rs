//! The work queue of distributed evaluation, as a lease table (`run_jobs`): a worker takes the
//! next ready job with `FOR UPDATE SKIP LOCKED`, so concurrent workers never take the same
//! one, and holds it for a lease it renews; the database's clock decides when a lease ran out.

use std::time::Duration;

use govmedia_store_api::queue::{AssessedRow, FailedJob, Job, JobKey, NewJob, QueueCounts, Stage};
use govmedia_store_api::{Result, RunId, RunQueue, StoreError};
use postgres::Client;

use crate::pg_err;

pub(crate) struct PgQueue {
    pub(crate) client: Client,
    pub(crate) location: String,
}

const JOB_COLUMNS: &str = "run_id, chunk, first_position, accounts, attempts, max_attempts, stage";

impl PgQueue {
    fn err(&self) -> impl Fn(postgres::Error) -> StoreError + '_ {
        |e| pg_err(&self.location, e)
    }

    fn job(&self, row: &postgres::Row) -> Result<Job> {
        let accounts: String = row.get(3);
        let accounts = serde_json::from_str(&accounts)
            .map_err(|e| StoreError::corrupt(&self.location, "任务的账号列表", e))?;
        let stage: i16 = row.get(6);
        let stage = Stage::from_number(stage).ok_or_else(|| StoreError::Backend {
            location: self.location.clone(),
            message: format!("任务的阶段“{stage}”无法识别"),
            source: None,
        })?;
        Ok(Job {
            key: JobKey { run: row.get(0), chunk: row.get(1) },
            stage,
            first: row.get::<_, i32>(2) as u32,
            accounts,
            attempts: row.get::<_, i32>(4) as u32,
            max_attempts: row.get::<_, i32>(5) as u32,
        })
    }

    /// Fails the jobs whose lease ran out on their last attempt.
    fn sweep(&mut self) -> Result<()> {
        self.client
            .execute(
                "UPDATE run_jobs SET state = 'failed', lease_until = NULL,
                        error = '工作进程 ' || COALESCE(worker, '') || ' 未在租约内完成（进程中断或失联），已尝试 '
                                || attempts || ' 次'
                 WHERE state = 'running' AND lease_until < now() AND attempts >= max_attempts",
                &[],
            )
            .map(drop)
            .map_err(|e| pg_err(&self.location, e))
    }
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

impl RunQueue for PgQueue {
    fn enqueue(&mut self, run: RunId, jobs: &[NewJob], max_attempts: u32) -> Result<()> {
        let location = self.location.clone();
        let e = |err| pg_err(&location, err);
        let mut tx = self.client.transaction().map_err(e)?;
        let st = tx
            .prepare(
                "INSERT INTO run_jobs (run_id, chunk, stage, first_position, accounts, max_attempts)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .map_err(e)?;
        let max = max_attempts.max(1) as i32;
        for (chunk, job) in jobs.iter().enumerate() {
            let accounts = serde_json::to_string(&job.accounts).expect("strings serialise");
            tx.execute(
                &st,
                &[&run, &(chunk as i32), &job.stage.number(), &(job.first as i32), &accounts, &max],
            )
            .map_err(e)?;
        }
        tx.commit().map_err(e)
    }

    fn claim(&mut self, worker: &str, lease: Duration) -> Result<Option<Job>> {
        self.sweep()?;
        let row = self
            .client
            .query_opt(
                &format!(
                    "UPDATE run_jobs j SET state = 'running', worker = $1, attempts = j.attempts + 1,
                            lease_until = now() + make_interval(secs => $2),
                            error = CASE WHEN j.state = 'running'
                                    THEN '工作进程 ' || COALESCE(j.worker, '') || ' 未在租约内完成（进程中断或失联）'
                                    ELSE j.error END
                     FROM (SELECT run_id, chunk FROM run_jobs r
                           WHERE ((state = 'queued' AND ready_at <= now())
                                  OR (state = 'running' AND lease_until < now()))
                             AND NOT EXISTS (
                                  SELECT 1 FROM run_jobs o
                                  WHERE o.run_id = r.run_id AND o.stage < r.stage AND o.state <> 'done')
                           ORDER BY run_id, chunk LIMIT 1 FOR UPDATE SKIP LOCKED) next
                     WHERE j.run_id = next.run_id AND j.chunk = next.chunk
                     RETURNING {}",
                    JOB_COLUMNS.split(", ").map(|c| format!("j.{c}")).collect::<Vec<_>>().join(", ")
                ),
                &[&worker, &secs(lease)],
            )
            .map_err(self.err())?;
        row.map(|r| self.job(&r)).transpose()
    }

    fn renew(&mut self, job: JobKey, worker: &str, lease: Duration) -> Result<bool> {
        let n = self
            .client
            .execute(
                "UPDATE run_jobs SET lease_until = now() + make_interval(secs => $4)
                 WHERE run_id = $1 AND chunk = $2 AND worker = $3 AND state = 'running'",
                &[&job.run, &job.chunk, &worker, &secs(lease)],
            )
            .map_err(self.err())?;
        Ok(n == 1)
    }

    fn complete(&mut self, job: JobKey, rows: &[AssessedRow]) -> Result<()> {
        let location = self.location.clone();
        let e = |err| pg_err(&location, err);
        let mut tx = self.client.transaction().map_err(e)?;
        let st = tx
            .prepare(
                "INSERT INTO run_assessed (run_id, account, position, data, error) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (run_id, account) DO UPDATE
                 SET position = EXCLUDED.position, data = EXCLUDED.data, error = EXCLUDED.error",
            )
            .map_err(e)?;
        for r in rows {
            let (data, error) = match &r.outcome {
                Ok(d) => (Some(d.as_str()), None),
                Err(why) => (None, Some(why.as_str())),
            };
            tx.execute(&st, &[&job.run, &r.account, &(r.position as i32), &data, &error]).map_err(e)?;
        }
        tx.execute(
            "UPDATE run_jobs SET state = 'done', lease_until = NULL, error = NULL WHERE run_id = $1 AND chunk = $2",
            &[&job.run, &job.chunk],
        )
        .map_err(e)?;
        tx.commit().map_err(e)
    }

    fn complete_outputs(&mut self, job: JobKey, outputs: &[(String, String)]) -> Result<()> {
        let location = self.location.clone();
        let e = |err| pg_err(&location, err);
        let mut tx = self.client.transaction().map_err(e)?;
        let st = tx
            .prepare(
                "INSERT INTO run_outputs (run_id, chunk, stage, check_name, data)
                 SELECT $1, $2, stage, $3, $4 FROM run_jobs WHERE run_id = $1 AND chunk = $2
                 ON CONFLICT (run_id, chunk, check_name) DO UPDATE SET data = EXCLUDED.data",
            )
            .map_err(e)?;
        for (check, data) in outputs {
            tx.execute(&st, &[&job.run, &job.chunk, check, data]).map_err(e)?;
        }
        tx.execute(
            "UPDATE run_jobs SET state = 'done', lease_until = NULL, error = NULL WHERE run_id = $1 AND chunk = $2",
            &[&job.run, &job.chunk],
        )
        .map_err(e)?;
        tx.commit().map_err(e)
    }

    fn outputs(
        &mut self,
        run: RunId,
        stage: Stage,
        check: &str,
        visit: &mut dyn FnMut(String) -> Result<()>,
    ) -> Result<()> {
        let location = self.location.clone();
        let e = |err| pg_err(&location, err);
        let mut rows = self
            .client
            .query_raw(
                "SELECT data FROM run_outputs WHERE run_id = $1 AND stage = $2 AND check_name = $3 ORDER BY chunk",
                [&run as &(dyn postgres::types::ToSql + Sync), &stage.number(), &check],
            )
            .map_err(e)?;
        while let Some(r) = postgres::fallible_iterator::FallibleIterator::next(&mut rows).map_err(e)? {
            visit(r.get(0))?;
        }
        Ok(())
    }

    fn cancel(&mut self, run: RunId, reason: &str) -> Result<()> {
        self.client
            .execute(
                "UPDATE run_jobs SET state = 'failed', lease_until = NULL, error = $2
                 WHERE run_id = $1 AND state <> 'done' AND state <> 'failed'",
                &[&run, &reason],
            )
            .map(drop)
            .map_err(self.err())
    }

    fn purge(&mut self, run: RunId) -> Result<()> {
        let location = self.location.clone();
        let e = |err| pg_err(&location, err);
        let mut tx = self.client.transaction().map_err(e)?;
        tx.execute("DELETE FROM run_outputs WHERE run_id = $1", &[&run]).map_err(e)?;
        tx.execute("DELETE FROM run_assessed WHERE run_id = $1", &[&run]).map_err(e)?;
        tx.commit().map_err(e)
    }

    fn retry(&mut self, job: JobKey, worker: &str, error: &str, delay: Duration) -> Result<()> {
        self.client
            .execute(
                "UPDATE run_jobs SET state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
                        ready_at = now() + make_interval(secs => $5), lease_until = NULL, error = $4
                 WHERE run_id = $1 AND chunk = $2 AND worker = $3 AND state = 'running'",
                &[&job.run, &job.chunk, &worker, &error, &secs(delay)],
            )
            .map(drop)
            .map_err(self.err())
    }

    fn release(&mut self, job: JobKey, worker: &str) -> Result<()> {
        self.client
            .execute(
                "UPDATE run_jobs SET state = 'queued', attempts = attempts - 1, ready_at = now(), lease_until = NULL
                 WHERE run_id = $1 AND chunk = $2 AND worker = $3 AND state = 'running'",
                &[&job.run, &job.chunk, &worker],
            )
            .map(drop)
            .map_err(self.err())
    }

    fn open_jobs(&mut self) -> Result<u64> {
        self.sweep()?;
        let row = self
            .client
            .query_one("SELECT count(*) FROM run_jobs WHERE state IN ('queued', 'running')", &[])
            .map_err(self.err())?;
        Ok(row.get::<_, i64>(0) as u64)
    }

    fn counts(&mut self, run: RunId) -> Result<QueueCounts> {
        self.sweep()?;
        let mut c = QueueCounts::default();
        let rows = self
            .client
            .query("SELECT state, count(*) FROM run_jobs WHERE run_id = $1 GROUP BY state", &[&run])
            .map_err(self.err())?;
        for r in rows {
            let n = r.get::<_, i64>(1) as u64;
            match r.get::<_, &str>(0) {
                "queued" => c.queued = n,
                "running" => c.running = n,
                "done" => c.done = n,
                _ => c.failed += n,
            }
        }
        let row = self
            .client
            .query_one("SELECT count(*) FROM run_assessed WHERE run_id = $1", &[&run])
            .map_err(self.err())?;
        c.accounts = row.get::<_, i64>(0) as u64;
        Ok(c)
    }

    fn failed(&mut self, run: RunId) -> Result<Vec<FailedJob>> {
        let rows = self
            .client
            .query(
                &format!("SELECT {JOB_COLUMNS}, error FROM run_jobs WHERE run_id = $1 AND state = 'failed' ORDER BY chunk"),
                &[&run],
            )
            .map_err(self.err())?;
        rows.iter()
            .map(|r| {
                Ok(FailedJob {
                    job: self.job(r)?,
                    error: r.get::<_, Option<String>>("error").unwrap_or_default(),
                })
            })
            .collect()
    }

    fn rows(&mut self, run: RunId, visit: &mut dyn FnMut(AssessedRow) -> Result<()>) -> Result<()> {
        let location = self.location.clone();
        let e = |err| pg_err(&location, err);
        let mut rows = self
            .client
            .query_raw(
                "SELECT account, position, data, error FROM run_assessed WHERE run_id = $1 ORDER BY position",
                &[&run],
            )
            .map_err(e)?;
        while let Some(r) = postgres::fallible_iterator::FallibleIterator::next(&mut rows).map_err(e)? {
            let outcome = match r.get::<_, Option<String>>(2) {
                Some(data) => Ok(data),
                None => Err(r.get::<_, Option<String>>(3).unwrap_or_default()),
            };
            visit(AssessedRow { account: r.get(0), position: r.get::<_, i32>(1) as u32, outcome })?;
        }
        Ok(())
    }
}

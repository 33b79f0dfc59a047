//! The work queue of a distributed evaluation: a run's accounts cut into jobs (chunks in
//! roster order) that workers on any machine lease and complete, in three stages: observe
//! jobs hand back, per check, what the checks keep of their chunk for the survey-wide
//! preparation (compact: signatures, figures, URLs); then one prepare job hands back, per
//! check, what the preparation computed (first publishers, ranks, link and page results);
//! then assess jobs hand back each account's assessment. A job is leased only once every job
//! of the earlier stages is done. Only a server database has one (PostgreSQL).
//!
//! Delivery is at least once: a job whose worker dies is leased again once its lease runs
//! out, so completing a job replaces its accounts' rows (keyed by run and account) and a job
//! done twice leaves the same rows as a job done once.

use std::time::Duration;

use crate::{Result, RunId};

/// What a job does with its accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    /// The checks observe them (the first pass); the job's output is what they kept.
    Observe,
    /// The checks take every chunk's observations and prepare (no accounts of its own); the
    /// output is what they prepared.
    Prepare,
    /// The prepared checks assess them; the output is a row per account.
    Assess,
}

impl Stage {
    /// The stage's number: stages run in this order.
    pub fn number(self) -> i16 {
        match self {
            Stage::Observe => 0,
            Stage::Prepare => 1,
            Stage::Assess => 2,
        }
    }

    pub fn from_number(n: i16) -> Option<Stage> {
        [Stage::Observe, Stage::Prepare, Stage::Assess].into_iter().find(|s| s.number() == n)
    }

    /// In Chinese, for messages.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Observe => "读取与观察",
            Stage::Prepare => "全局准备",
            Stage::Assess => "评估",
        }
    }
}

/// A job to enqueue: consecutive accounts of the roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJob {
    pub stage: Stage,
    /// The roster position of the first account.
    pub first: u32,
    /// Account ids, in roster order.
    pub accounts: Vec<String>,
}

/// Which job: a run and the job's number in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct JobKey {
    pub run: RunId,
    pub chunk: i32,
}

/// A leased job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub key: JobKey,
    pub stage: Stage,
    pub first: u32,
    pub accounts: Vec<String>,
    /// This lease included (1 on the first).
    pub attempts: u32,
    /// After this many leases the job fails instead of being retried.
    pub max_attempts: u32,
}

/// One account's outcome in a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessedRow {
    pub account: String,
    /// The account's roster position: results are read back in this order.
    pub position: u32,
    /// The serialised assessment, or why the account could not be assessed.
    pub outcome: std::result::Result<String, String>,
}

/// How far a run's jobs are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueCounts {
    pub queued: u64,
    pub running: u64,
    pub done: u64,
    pub failed: u64,
    /// Accounts with a row (assessed or given up on).
    pub accounts: u64,
}

impl QueueCounts {
    /// Every job is done or failed.
    pub fn settled(&self) -> bool {
        self.queued == 0 && self.running == 0
    }
}

/// A job that failed for good, with its last error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedJob {
    pub job: Job,
    pub error: String,
}

/// The queue. Each method is one transaction; the lease clock is the database's, so workers
/// on several machines agree on it.
pub trait RunQueue: Send {
    /// Adds a run's jobs, each given at most `max_attempts` times.
    fn enqueue(&mut self, run: RunId, jobs: &[NewJob], max_attempts: u32) -> Result<()>;

    /// Leases the next ready job to `worker` for `lease`: queued jobs whose retry delay has
    /// passed, and running jobs whose lease ran out (their worker is gone). A job whose lease
    /// ran out on its last attempt fails instead.
    fn claim(&mut self, worker: &str, lease: Duration) -> Result<Option<Job>>;

    /// Extends `worker`'s lease on a job; false when the job is no longer its own.
    fn renew(&mut self, job: JobKey, worker: &str, lease: Duration) -> Result<bool>;

    /// Stores an assess job's rows (replacing any earlier ones) and marks it done.
    fn complete(&mut self, job: JobKey, rows: &[AssessedRow]) -> Result<()>;

    /// Stores an observe or prepare job's outputs, (check, JSON) pairs, and marks it done.
    fn complete_outputs(&mut self, job: JobKey, outputs: &[(String, String)]) -> Result<()>;

    /// The outputs of `check` from `run`'s jobs of `stage`, in roster order, one at a time.
    fn outputs(
        &mut self,
        run: RunId,
        stage: Stage,
        check: &str,
        visit: &mut dyn FnMut(String) -> Result<()>,
    ) -> Result<()>;

    /// Fails every job of `run` not yet done (a run that cannot complete), with `reason`.
    fn cancel(&mut self, run: RunId, reason: &str) -> Result<()>;

    /// Deletes what the jobs of `run` handed back (observations, preparations, assessments)
    /// once the run's results are recorded or it failed: they are the bulk of a run's rows.
    /// The jobs stay listed.
    fn purge(&mut self, run: RunId) -> Result<()>;

    /// Gives a job back after an error: queued again after `delay`, or failed with `error`
    /// when it has had its attempts.
    fn retry(&mut self, job: JobKey, worker: &str, error: &str, delay: Duration) -> Result<()>;

    /// Gives a leased job back untouched (a worker stopping): it is ready at once and this
    /// lease does not count as an attempt.
    fn release(&mut self, job: JobKey, worker: &str) -> Result<()>;

    /// Jobs of any run still queued or running: work a worker may yet get.
    fn open_jobs(&mut self) -> Result<u64>;

    /// How far `run` is.
    fn counts(&mut self, run: RunId) -> Result<QueueCounts>;

    /// The jobs of `run` that failed for good.
    fn failed(&mut self, run: RunId) -> Result<Vec<FailedJob>>;

    /// The rows of `run` in roster order, one at a time.
    fn rows(&mut self, run: RunId, visit: &mut dyn FnMut(AssessedRow) -> Result<()>) -> Result<()>;
}

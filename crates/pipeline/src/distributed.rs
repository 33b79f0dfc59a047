//! Distributed evaluation on PostgreSQL: [`enqueue`] records a run and cuts its roster into
//! jobs on the database's queue ([`govmedia_store_api::RunQueue`]); any number of [`work`]ers,
//! on any machine that reaches the database, lease the jobs, assess their accounts and hand
//! the assessments back; [`finish`] waits for the jobs, ranks from the assessments (the
//! survey-wide stage) and records the run — the same results as [`crate::evaluate`] in one
//! process, apart from `generated_at`.
//!
//! A run has three stages of jobs; a job is leased once every job of the earlier stages is
//! done. Observe jobs read a chunk of the roster and hand back what each check keeps for the
//! survey-wide preparation (MinHash signatures, propagation figures, URLs to check:
//! [`govmedia_checks::Check::take_observed`]). One prepare job absorbs every chunk's
//! observations in roster order and prepares the checks once for the run — the near-duplicate
//! index, link checks, page rendering in the browser — and hands back what they prepared
//! ([`govmedia_checks::Check::prepared`]: first publishers, ranks, link and page results).
//! Assess jobs then assess chunks with checks that absorbed the prepared results, so an
//! assessing worker holds neither the signatures of the corpus nor a browser. The articles are
//! read once per run in all, whatever the number of workers, and everything a worker reads is
//! in the database: the survey, the run's options, the jobs' outputs, the caches of web
//! fetches and model judgements.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use govmedia_checks::AccountData;
use govmedia_model::Progress;
use govmedia_model::results::Results;
use govmedia_score::Framework;
use govmedia_score::Memo;
use govmedia_score::engine::{Assessed, Reduction, assess_account, assess_chunk};
use govmedia_store_api::queue::{AssessedRow, Job, NewJob, Stage};
use govmedia_store_api::{RunId, RunQueue, RunState, Store};
use rayon::prelude::*;

use crate::checks::{CheckOptions, CheckSet, EVIDENCE};
use crate::evaluate::{EvaluateOptions, RememberedOutcomes, framework_name, new_run};
use crate::load::{Header, StoreAccounts, read_survey};
use crate::{Error, Result, run_files};

/// How a run is cut into jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobOptions {
    /// Accounts per job.
    pub accounts_per_job: usize,
    /// Leases of a job before it fails for good (a worker crash counts as one).
    pub max_attempts: u32,
}

impl Default for JobOptions {
    fn default() -> Self {
        JobOptions { accounts_per_job: 50, max_attempts: 3 }
    }
}

/// How long [`finish`] waits for a database that went away.
const OUTAGE: Duration = Duration::from_secs(600);

/// Records a run of `options` and puts its jobs on the queue; returns the run's id.
pub fn enqueue(store: &mut dyn Store, options: &EvaluateOptions, jobs: JobOptions) -> Result<RunId> {
    let mut queue = store.queue()?;
    let location = store.location().to_owned();
    let header = {
        let mut read = store.snapshot()?;
        read_survey(&mut *read, &location, &options.scope, options.dataset.clone(), options.offline)?
    };
    let framework_name = framework_name(options, &header);
    let framework = Framework::load(&framework_name)?;
    // The checks are built here once so that a bad option (a lexicon, an AI profile without
    // its key) is an error now, not in every worker.
    CheckSet::build(&options.checks, &*store, None)?;
    let run = store.start_run(&new_run(options, &header, &framework))?;
    // Before the jobs: a worker may claim one at once.
    run_files::ship(&*store, run, options, &framework_name, &header)?;
    let per_job = jobs.accounts_per_job.max(1);
    let chunk_jobs = |stage| {
        header.survey.accounts.chunks(per_job).enumerate().map(move |(i, c)| NewJob {
            stage,
            first: (i * per_job) as u32,
            accounts: c.iter().map(|a| a.id.clone()).collect(),
        })
    };
    let prepare = NewJob { stage: Stage::Prepare, first: 0, accounts: Vec::new() };
    let new: Vec<NewJob> =
        chunk_jobs(Stage::Observe).chain(std::iter::once(prepare)).chain(chunk_jobs(Stage::Assess)).collect();
    queue.enqueue(run, &new, jobs.max_attempts)?;
    Ok(run)
}

/// Waits until every job of `run` is done or failed, showing accounts assessed on `progress`,
/// then ranks, records the run in `store`, and writes `results.json` and `rankings.csv` into
/// `out`. Accounts whose job failed are not ranked; the results say which and why.
pub fn finish(
    store: &mut dyn Store,
    run: RunId,
    out: Option<&Path>,
    poll: Duration,
    progress: &dyn Progress,
) -> Result<Results> {
    let mut queue = store.queue()?;
    if let Some(results) = recorded(store, run)? {
        // Finished before (its outputs are purged): what was recorded.
        if let Some(out) = out {
            download_evidence(&*store, &results, out)?;
            crate::write_results(out, &results)?;
        }
        return Ok(results);
    }
    let (options, framework, _) = run_record(store, run)?;
    let location = store.location().to_owned();
    let mut read = store.snapshot()?;
    let header =
        read_survey(&mut *read, &location, &options.scope, options.dataset.clone(), options.offline)?;
    drop(read);
    let total = header.survey.accounts.len() as u64;
    progress.start("评估账号（分布式）", total);
    let mut shown = 0;
    let counts = queue.counts(run)?;
    if counts.queued + counts.running + counts.done + counts.failed == 0 {
        return Err(Error::Invalid(format!("第 {run} 次评估不是分布式评估（没有任务）")));
    }
    let mut outage: Option<Instant> = None;
    loop {
        if progress.cancelled() {
            return Err(Error::Cancelled);
        }
        match queue.counts(run) {
            Ok(counts) => {
                outage = None;
                progress.advance(counts.accounts.saturating_sub(shown));
                shown = shown.max(counts.accounts);
                if counts.settled() {
                    break;
                }
                if counts.failed > 0
                    && let Some(reason) = unprepared(&mut *queue, run)?
                {
                    queue.cancel(run, &reason)?;
                    store.fail_run(run, &reason)?;
                    queue.purge(run)?;
                    return Err(Error::Invalid(format!("第 {run} 次评估失败：{reason}")));
                }
            }
            // The database went away (a restart): wait for it as the workers do.
            Err(e) if outage.get_or_insert_with(Instant::now).elapsed() < OUTAGE => {
                tracing::warn!("无法访问任务队列，稍后重试：{e}");
                if let Ok(q) = store.queue() {
                    queue = q;
                }
            }
            Err(e) => return Err(e.into()),
        }
        std::thread::sleep(poll);
    }
    progress.finish();
    // Connections opened before an outage are gone; these are new.
    let mut store = store.reopen()?;
    let store = &mut *store;
    let mut queue = store.queue()?;
    let names = CheckSet::build(&options.checks, &*store, None)?.names();
    let mut reduction = Reduction::default();
    let mut seen = std::collections::HashSet::new();
    queue.rows(run, &mut |row| {
        seen.insert(row.account.clone());
        match row.outcome {
            Ok(data) => reduction.add(serde_json::from_str::<Assessed>(&data).map_err(|e| {
                govmedia_store_api::StoreError::corrupt(
                    &location,
                    format!("账号 {} 的评估结果", row.account),
                    e,
                )
            })?),
            Err(why) => reduction.unassessed(&row.account, &why),
        }
        Ok(())
    })?;
    for failed in queue.failed(run)? {
        for id in failed.job.accounts.iter().filter(|id| !seen.contains(*id)) {
            reduction.unassessed(id, &failed.error);
        }
    }
    let results = reduction.finish(&header.survey, &framework, &names);
    // Another process finishing the same run (a second `runs wait`) may have recorded it and
    // purged the rows meanwhile: its record stands. Rows read before that were complete.
    let results = match recorded(store, run)? {
        Some(theirs) => theirs,
        None => {
            store.finish_run(run, &results)?;
            queue.purge(run)?;
            results
        }
    };
    if let Some(out) = out {
        download_evidence(&*store, &results, out)?;
        crate::write_results(out, &results)?;
    }
    Ok(results)
}

/// Why a run cannot complete, when one of its observe jobs or its prepare job failed for good:
/// without them no account can be assessed.
fn unprepared(queue: &mut dyn RunQueue, run: RunId) -> Result<Option<String>> {
    let failed = queue.failed(run)?.into_iter().find(|f| f.job.stage != Stage::Assess);
    Ok(failed.map(|f| match f.job.stage {
        Stage::Observe => {
            format!("读取账号 {} 的数据失败，无法完成全局准备：{}", f.job.accounts.join("、"), f.error)
        }
        _ => format!("全局准备失败：{}", f.error),
    }))
}

/// The key of an evidence file in the database's blobs: its path relative to the output.
fn evidence_key(file: &str) -> String {
    format!("{EVIDENCE}/{file}")
}

/// Moves the evidence files a worker wrote under `scratch` into the database.
fn upload_evidence(store: &dyn Store, scratch: &Path) -> Result<()> {
    let dir = scratch.join(EVIDENCE);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(()) };
    let cache = store.cache()?;
    for entry in entries {
        let path = entry.map_err(|e| Error::io(&dir, e))?.path();
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        cache.put_blob(&evidence_key(&name), &bytes)?;
    }
    std::fs::remove_dir_all(scratch).map_err(|e| Error::io(scratch, e))
}

/// Writes the evidence files the findings of `results` name into `out`, from the database.
fn download_evidence(store: &dyn Store, results: &Results, out: &Path) -> Result<()> {
    let mut names = std::collections::BTreeSet::new();
    for f in results.accounts.iter().flat_map(|a| &a.findings) {
        collect_evidence(&serde_json::to_value(&f.evidence).expect("evidence serialises"), &mut names);
    }
    if names.is_empty() {
        return Ok(());
    }
    let cache = store.cache()?;
    let dir = out.join(EVIDENCE);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    for name in names {
        if let Some(bytes) = cache.blob(&evidence_key(&name))? {
            let path = dir.join(&name);
            std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
        }
    }
    Ok(())
}

/// The file names of `evidence/…` references anywhere in `value`.
fn collect_evidence(value: &serde_json::Value, names: &mut std::collections::BTreeSet<String>) {
    match value {
        serde_json::Value::String(s) => {
            if let Some(name) = s.strip_prefix(&format!("{EVIDENCE}/")).filter(|n| !n.contains('/')) {
                names.insert(name.to_owned());
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_evidence(v, names)),
        serde_json::Value::Object(map) => map.values().for_each(|v| collect_evidence(v, names)),
        _ => {}
    }
}

/// How a worker works.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Names the worker in the queue and in messages (host and process id by default).
    pub name: String,
    /// Jobs assessed at once.
    pub concurrency: usize,
    /// How long a job stays leased without a renewal; renewed every third of it.
    pub lease: Duration,
    /// How often an idle worker looks for work.
    pub poll: Duration,
    /// Stop once no run has a job left to do (none queued, none leased to another worker)
    /// instead of waiting for new runs (tests, batch use).
    pub exit_when_idle: bool,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        WorkerOptions {
            name: default_worker_name(),
            concurrency: 1,
            lease: Duration::from_secs(120),
            poll: Duration::from_secs(1),
            exit_when_idle: false,
        }
    }
}

/// `host:pid`.
pub fn default_worker_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "worker".into());
    format!("{host}:{}", std::process::id())
}

/// What a worker did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WorkerReport {
    pub jobs: u64,
    pub accounts: u64,
    /// Jobs given back for a retry (an account's assessment failed).
    pub retried: u64,
}

/// A run prepared in this worker: the survey, its framework and the prepared checks.
struct Prepared {
    run: RunId,
    header: Header,
    framework: Framework,
    checks: CheckSet,
    memo_scope: Option<String>,
}

/// Builds the checks of a run from its options, on a store, with evidence files under a
/// directory: [`CheckSet::build`], or a deployment's own registry.
pub type Registry<'a> = dyn Fn(&CheckOptions, &dyn Store, &Path) -> Result<CheckSet> + Sync + 'a;

/// Works on the queue of `store` until `stop` is set (finishing the jobs in hand) or, with
/// `exit_when_idle`, until no job is left. A database that goes away is waited for: the
/// worker reconnects and goes on.
pub fn work(store: &dyn Store, options: &WorkerOptions, stop: &AtomicBool) -> Result<WorkerReport> {
    work_with(store, options, stop, &|checks, store, out| CheckSet::build(checks, store, Some(out)))
}

/// [`work`] with the checks of `registry`.
pub fn work_with(
    store: &dyn Store,
    options: &WorkerOptions,
    stop: &AtomicBool,
    registry: &Registry<'_>,
) -> Result<WorkerReport> {
    let prepared: Mutex<Option<Arc<Prepared>>> = Mutex::new(None);
    let report = Mutex::new(WorkerReport::default());
    let threads = options.concurrency.max(1);
    // Each thread has connections of its own: one to assess, one to renew leases.
    let connections =
        (0..threads).map(|_| Ok((store.reopen()?, store.reopen()?))).collect::<Result<Vec<_>>>()?;
    std::thread::scope(|s| {
        for (i, (main, lease)) in connections.into_iter().enumerate() {
            let name = if threads == 1 { options.name.clone() } else { format!("{}#{i}", options.name) };
            let (prepared, report) = (&prepared, &report);
            s.spawn(move || {
                let mut worker = Worker {
                    name,
                    options,
                    registry,
                    store: main,
                    lease: (lease, None),
                    queue: None,
                    observer: None,
                };
                worker.work(stop, prepared, report)
            });
        }
    });
    Ok(*report.lock().unwrap_or_else(|p| p.into_inner()))
}

/// One thread of a worker, with its connections.
struct Worker<'a> {
    name: String,
    options: &'a WorkerOptions,
    registry: &'a Registry<'a>,
    store: Box<dyn Store>,
    /// The connection that renews leases while a job is assessed, and its queue.
    lease: (Box<dyn Store>, Option<Box<dyn RunQueue>>),
    queue: Option<Box<dyn RunQueue>>,
    /// The checks this thread observes chunks of a run with.
    observer: Option<Observer>,
}

/// A job's output.
enum Done {
    /// What the checks kept of an observe job's chunk, or prepared in a prepare job:
    /// (check, JSON) pairs.
    Outputs(Vec<(String, String)>),
    /// An assess job's rows, and the accounts whose assessment failed.
    Assessed(Vec<AssessedRow>, Vec<String>),
}

/// A run's checks as they observe chunks, with the survey they observe.
struct Observer {
    run: RunId,
    header: Header,
    checks: CheckSet,
}

impl Worker<'_> {
    fn work(
        &mut self,
        stop: &AtomicBool,
        prepared: &Mutex<Option<Arc<Prepared>>>,
        report: &Mutex<WorkerReport>,
    ) {
        let mut backoff = self.options.poll;
        while !stop.load(Ordering::Relaxed) {
            match self.step(prepared, report) {
                Ok(true) => backoff = self.options.poll,
                Ok(false) => {
                    if self.options.exit_when_idle
                        && queue_of(&*self.store, &mut self.queue).and_then(|q| Ok(q.open_jobs()?)).ok()
                            == Some(0)
                    {
                        return;
                    }
                    std::thread::sleep(self.options.poll);
                }
                Err(e) => {
                    // The database went away (or refused): new connections after a pause that
                    // doubles up to half a minute. A job in hand is leased again once its
                    // lease runs out.
                    tracing::warn!(
                        "{}: 无法访问数据库，{:.0} 秒后重试：{e}",
                        self.name,
                        backoff.as_secs_f64()
                    );
                    std::thread::sleep(backoff);
                    backoff = (backoff * 2).min(Duration::from_secs(30));
                    self.queue = None;
                    self.lease.1 = None;
                    if let (Ok(main), Ok(lease)) = (self.store.reopen(), self.store.reopen()) {
                        self.store = main;
                        self.lease.0 = lease;
                    }
                }
            }
        }
    }

    /// Claims and does one job; false when none was ready.
    fn step(
        &mut self,
        prepared: &Mutex<Option<Arc<Prepared>>>,
        report: &Mutex<WorkerReport>,
    ) -> Result<bool> {
        let lease = self.options.lease;
        let Some(job) = queue_of(&*self.store, &mut self.queue)?.claim(&self.name, lease)? else {
            return Ok(false);
        };
        let started = Instant::now();
        let (done, renewals) = mpsc::channel::<()>();
        let name = self.name.as_str();
        let outcome = std::thread::scope(|s| {
            let lease_conn = &mut self.lease;
            s.spawn(|| renew_lease(lease_conn, name, job.key, lease, renewals));
            let outcome = match job.stage {
                Stage::Observe => {
                    let observed = observe_job(&mut *self.store, self.registry, &job, &mut self.observer);
                    if observed.is_err() {
                        // Its checks may hold part of the failed chunk.
                        self.observer = None;
                    }
                    observed.map(Done::Outputs)
                }
                Stage::Prepare => {
                    prepare_job(&mut *self.store, self.registry, &job, prepared).map(Done::Outputs)
                }
                Stage::Assess => assess_job(&mut *self.store, self.registry, &job, prepared)
                    .map(|(r, f)| Done::Assessed(r, f)),
            };
            drop(done);
            outcome
        });
        let queue = queue_of(&*self.store, &mut self.queue)?;
        let error = match outcome {
            Ok(Done::Outputs(outputs)) => {
                queue.complete_outputs(job.key, &outputs)?;
                report.lock().unwrap_or_else(|p| p.into_inner()).jobs += 1;
                tracing::info!(
                    "{name}: 评估任务 {} 第 {} 块（{}）完成：{} 个账号，用时 {:.1} 秒",
                    job.key.run,
                    job.key.chunk,
                    job.stage.label(),
                    job.accounts.len(),
                    started.elapsed().as_secs_f64()
                );
                return Ok(true);
            }
            Ok(Done::Assessed(rows, failures)) if failures.is_empty() || job.attempts >= job.max_attempts => {
                queue.complete(job.key, &rows)?;
                let mut r = report.lock().unwrap_or_else(|p| p.into_inner());
                r.jobs += 1;
                r.accounts += rows.len() as u64;
                tracing::info!(
                    "{name}: 评估任务 {} 第 {} 块（评估）完成：{} 个账号，用时 {:.1} 秒",
                    job.key.run,
                    job.key.chunk,
                    rows.len(),
                    started.elapsed().as_secs_f64()
                );
                return Ok(true);
            }
            Ok(Done::Assessed(_, failures)) => failures.join("；"),
            Err(e) => e.to_string(),
        };
        tracing::warn!(
            "{name}: 评估任务 {} 第 {} 块出错（第 {} 次）：{error}",
            job.key.run,
            job.key.chunk,
            job.attempts
        );
        // Retried after a delay that doubles with each attempt.
        queue.retry(job.key, name, &error, Duration::from_secs(1 << job.attempts.min(6)))?;
        report.lock().unwrap_or_else(|p| p.into_inner()).retried += 1;
        Ok(true)
    }
}

fn queue_of<'q>(store: &dyn Store, queue: &'q mut Option<Box<dyn RunQueue>>) -> Result<&'q mut dyn RunQueue> {
    if queue.is_none() {
        *queue = Some(store.queue()?);
    }
    Ok(&mut **queue.as_mut().expect("just connected"))
}

/// Renews the lease on `job` every third of `lease` until `done` closes.
fn renew_lease(
    (store, queue): &mut (Box<dyn Store>, Option<Box<dyn RunQueue>>),
    name: &str,
    job: govmedia_store_api::queue::JobKey,
    lease: Duration,
    done: mpsc::Receiver<()>,
) {
    while let Err(mpsc::RecvTimeoutError::Timeout) = done.recv_timeout(lease / 3) {
        // A failed renewal is tried again at the next tick, on a new connection.
        if let Err(e) = queue_of(&**store, queue).and_then(|q| Ok(q.renew(job, name, lease)?)) {
            tracing::warn!("{name}: 续租失败：{e}");
            *queue = None;
            if let Ok(s) = store.reopen() {
                *store = s;
            }
        }
    }
}

/// Observes an observe job's chunk with this thread's checks of the run and takes what they
/// kept.
fn observe_job(
    store: &mut dyn Store,
    registry: &Registry<'_>,
    job: &Job,
    observer: &mut Option<Observer>,
) -> Result<Vec<(String, String)>> {
    if observer.as_ref().is_none_or(|o| o.run != job.key.run) {
        let RunChecks { header, checks, .. } = run_checks(store, registry, job.key.run, None)?;
        *observer = Some(Observer { run: job.key.run, header: without_pages(header), checks });
    }
    let Observer { header, checks, .. } = observer.as_mut().expect("just built");
    let mut read = store.snapshot()?;
    let accounts = StoreAccounts::new(&mut *read, header).read(&job.accounts)?;
    drop(read);
    let survey = &header.survey;
    let observed = catch_unwind(AssertUnwindSafe(|| {
        let mut out = Vec::new();
        for c in checks.checks_mut() {
            c.observe(survey, &accounts, &crate::NoProgress)?;
            if let Some(v) = c.take_observed() {
                out.push((c.name().to_owned(), v));
            }
        }
        Ok::<_, govmedia_checks::CheckError>(out)
    }))
    .map_err(|panic| {
        Error::Invalid(format!("读取与观察时出错（已尝试 {} 次）：{}", job.attempts, panic_message(&*panic)))
    })?;
    observed.map_err(|e| Error::Evaluate(e.into()))
}

/// A run's options, survey and freshly registered checks, which write evidence files under
/// `scratch` (a directory of their own when none).
fn run_checks(
    store: &mut dyn Store,
    registry: &Registry<'_>,
    run: RunId,
    scratch: Option<&Path>,
) -> Result<RunChecks> {
    let (options, framework, memo_scope) = run_record(store, run)?;
    let location = store.location().to_owned();
    let scratch =
        scratch.map_or_else(|| std::env::temp_dir().join("govmedia-worker-observe"), Path::to_owned);
    let checks = registry(&options.checks, &*store, &scratch)?;
    let mut read = store.snapshot()?;
    let header =
        read_survey(&mut *read, &location, &options.scope, options.dataset.clone(), options.offline)?;
    drop(read);
    Ok(RunChecks { framework, header, checks, memo_scope })
}

/// A run's checks, built on this machine, and what they evaluate.
struct RunChecks {
    framework: Framework,
    header: Header,
    checks: CheckSet,
    /// The scope of the outcomes its assessments remember (none with `fresh`).
    memo_scope: Option<String>,
}

/// The results of `run` when it finished before.
fn recorded(store: &mut dyn Store, run: RunId) -> Result<Option<Results>> {
    let finished = store.runs()?.into_iter().any(|r| r.id == run && r.state == RunState::Finished);
    Ok(if finished { store.run_results(run)? } else { None })
}

/// The options and framework of `run`, with the files it shipped unpacked on this machine, and
/// the scope of the outcomes its assessments remember (none with `fresh`).
fn run_record(store: &mut dyn Store, run: RunId) -> Result<(EvaluateOptions, Framework, Option<String>)> {
    let summary = store
        .runs()?
        .into_iter()
        .find(|r| r.id == run)
        .ok_or_else(|| Error::Invalid(format!("数据库 {} 中没有评估任务 {run}", store.location())))?;
    let mut options: EvaluateOptions = serde_json::from_value(summary.run.options)
        .map_err(|e| Error::Invalid(format!("评估任务 {run} 的选项无法解析：{e}")))?;
    let mut framework = summary.run.framework;
    run_files::unpack(&*store, run, &mut options, &mut framework)?;
    let memo_scope = run_files::memo_scope(&options, &framework)?;
    Ok((options, Framework::load(&framework)?, memo_scope))
}

fn assess_job(
    store: &mut dyn Store,
    registry: &Registry<'_>,
    job: &Job,
    prepared: &Mutex<Option<Arc<Prepared>>>,
) -> Result<(Vec<AssessedRow>, Vec<String>)> {
    let run = prepare_run(store, registry, job.key.run, prepared)?;
    let mut read = store.snapshot()?;
    let accounts: Vec<AccountData> = StoreAccounts::new(&mut *read, &run.header).read(&job.accounts)?;
    drop(read);
    let survey = &run.header.survey;
    let checks = run.checks.checks();
    let remembered = RememberedOutcomes(store.cache()?);
    let memo = run.memo_scope.as_deref().map(|scope| Memo::new(&remembered, scope, survey));
    let chunk = catch_unwind(AssertUnwindSafe(|| {
        assess_chunk(survey, &run.framework, checks, &accounts, memo.as_ref(), &crate::NoProgress)
    }));
    let outcomes: Vec<std::result::Result<Assessed, String>> = match chunk {
        Ok(assessed) => assessed.map_err(|e| Error::Invalid(e.to_string()))?.into_iter().map(Ok).collect(),
        // One account's check failed: each account again on its own, to name it.
        Err(_) => accounts
            .par_iter()
            .map(|acc| {
                catch_unwind(AssertUnwindSafe(|| assess_account(survey, &run.framework, checks, acc)))
                    .map_err(|panic| panic_message(&*panic))
            })
            .collect(),
    };
    let mut failures = Vec::new();
    let rows = accounts
        .iter()
        .zip(outcomes)
        .enumerate()
        .map(|(i, (acc, outcome))| {
            let outcome =
                outcome.map(|a| serde_json::to_string(&a).expect("assessments serialise")).map_err(|why| {
                    let why = format!("评估时出错（已尝试 {} 次）：{why}", job.attempts);
                    failures.push(format!("账号 {} {why}", acc.account.id));
                    why
                });
            AssessedRow { account: acc.account.id.clone(), position: job.first + i as u32, outcome }
        })
        .collect();
    Ok((rows, failures))
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "程序异常".into())
}

/// The run prepared in this worker, preparing it first when it is another run than the last.
fn prepare_run(
    store: &mut dyn Store,
    registry: &Registry<'_>,
    run: RunId,
    prepared: &Mutex<Option<Arc<Prepared>>>,
) -> Result<Arc<Prepared>> {
    // Held while preparing: the worker's other threads need the same run.
    let mut slot = prepared.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(p) = slot.as_ref().filter(|p| p.run == run) {
        return Ok(p.clone());
    }
    let RunChecks { framework, header, mut checks, memo_scope } = run_checks(store, registry, run, None)?;
    let mut queue = store.queue()?;
    for c in checks.checks_mut() {
        let mut prepared = None;
        queue.outputs(run, Stage::Prepare, c.name(), &mut |v| {
            prepared = Some(v);
            Ok(())
        })?;
        match prepared {
            Some(v) => c.absorb_prepared(&v).map_err(check_error)?,
            // Prepared from the survey alone (or, for a check that hands back only its
            // observations, from them).
            None => {
                let name = c.name().to_owned();
                queue.outputs(run, Stage::Observe, &name, &mut |v| c.absorb(&v).map_err(check_error))?;
                c.prepare(&header.survey, &crate::NoProgress).map_err(check_error)?;
            }
        }
    }
    let p = Arc::new(Prepared { run, header: without_pages(header), framework, checks, memo_scope });
    *slot = Some(p.clone());
    Ok(p)
}

/// Page snapshots are read only while preparing (the links, functions and mobile checks);
/// jobs that observe or assess drop them, so that their memory does not grow with the pages.
fn without_pages(mut header: Header) -> Header {
    header.survey.pages = Default::default();
    header
}

/// The prepare job: every chunk's observations into fresh checks, then the survey-wide
/// preparation (network, browser) once for the run; hands back what each check prepared, and
/// keeps the prepared checks for this worker's assess jobs.
fn prepare_job(
    store: &mut dyn Store,
    registry: &Registry<'_>,
    job: &Job,
    prepared: &Mutex<Option<Arc<Prepared>>>,
) -> Result<Vec<(String, String)>> {
    let run = job.key.run;
    let started = Instant::now();
    // Evidence files (the mobile check's screenshots) are written here while preparing, then
    // kept in the database for the process that writes the results.
    let scratch = std::env::temp_dir().join(format!("govmedia-worker-{}-run-{run}", std::process::id()));
    let RunChecks { framework, header, mut checks, memo_scope } =
        run_checks(store, registry, run, Some(&scratch))?;
    let mut queue = store.queue()?;
    for c in checks.checks_mut() {
        let name = c.name().to_owned();
        queue.outputs(run, Stage::Observe, &name, &mut |v| c.absorb(&v).map_err(check_error))?;
    }
    catch_unwind(AssertUnwindSafe(|| {
        govmedia_score::engine::prepare_observed(&header.survey, checks.checks_mut(), &crate::NoProgress)
    }))
    .map_err(|panic| {
        Error::Invalid(format!("全局准备时出错（已尝试 {} 次）：{}", job.attempts, panic_message(&*panic)))
    })?
    .map_err(Error::Evaluate)?;
    upload_evidence(&*store, &scratch)?;
    let outputs = checks.checks().iter().filter_map(|c| Some((c.name().to_owned(), c.prepared()?))).collect();
    tracing::info!(
        "评估任务 {run}：全局准备完成（{} 个账号），用时 {:.1} 秒",
        header.survey.accounts.len(),
        started.elapsed().as_secs_f64()
    );
    *prepared.lock().unwrap_or_else(|p| p.into_inner()) =
        Some(Arc::new(Prepared { run, header, framework, checks, memo_scope }));
    Ok(outputs)
}

/// A check's error where the queue's errors are expected (reading its outputs).
fn check_error(e: govmedia_checks::CheckError) -> govmedia_store_api::StoreError {
    govmedia_store_api::StoreError::Backend { location: String::new(), message: e.to_string(), source: None }
}

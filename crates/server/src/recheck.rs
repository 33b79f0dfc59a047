//! Re-checks and requested runs, evaluated in the server's process: an operator's "fixed,
//! check again" and an evaluator's "run now" start a new run with the options of the latest
//! finished one, and the waiting requests are answered by it.
//!
//! Each run evaluates the whole survey again, not only the accounts asked about: ranks and
//! the survey-wide checks (near-duplicates, level medians) need every account. Evaluating
//! only the affected accounts waits for the two-phase evaluation of the distributed issue.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use govmedia_pipeline::{EvaluateOptions, NoProgress};
use govmedia_store_api::{RunState, Store, StoreError};

use crate::App;
use crate::error::HttpError;

/// Asks the worker for a new run.
pub async fn request_run(app: &Arc<App>, by: &str) -> Result<(), HttpError> {
    let by = by.to_owned();
    app.pool
        .with(move |s| crate::auth::audit(s, Some(&by), "run.request", "", serde_json::json!({})))
        .await?;
    app.run_requested.store(true, Ordering::SeqCst);
    app.recheck.notify_one();
    Ok(())
}

/// Waits for requests and answers them, one run at a time, until the server stops.
pub async fn worker(app: Arc<App>) {
    loop {
        let spec = app.pool.spec().clone();
        let requested = app.run_requested.swap(false, Ordering::SeqCst);
        let outcome = tokio::task::spawn_blocking(move || {
            let mut store = govmedia_pipeline::open_store(&spec).map_err(|e| e.to_string())?;
            answer(&mut *store, requested)
        })
        .await;
        match outcome {
            Ok(Ok(Some(run))) => tracing::info!("复查评估完成：第 {run} 次评估"),
            Ok(Ok(None)) => {}
            Ok(Err(e)) => tracing::error!("复查评估失败：{e}"),
            Err(e) => tracing::error!("复查评估中断：{e}"),
        }
        app.recheck.notified().await;
    }
}

/// Runs one evaluation when something waits; returns the new run's id.
fn answer(store: &mut dyn Store, requested: bool) -> Result<Option<i64>, String> {
    let pending = store.pending_rechecks().map_err(|e| e.to_string())?;
    if pending.is_empty() && !requested {
        return Ok(None);
    }
    let options = latest_options(store).map_err(|e| e.to_string())?;
    let Some(options) = options else {
        return Err("数据库中还没有完成的评估，无法按其选项复查；请先运行 govmedia evaluate".into());
    };
    govmedia_pipeline::evaluate(store, &options, None, &NoProgress).map_err(|e| e.to_string())?;
    let run = store
        .runs()
        .map_err(|e| e.to_string())?
        .into_iter()
        .find(|r| r.state == RunState::Finished)
        .map(|r| r.id)
        .ok_or("评估完成后未找到其记录")?;
    let ids: Vec<i64> = pending.iter().map(|r| r.id).collect();
    store.complete_rechecks(&ids, run).map_err(|e| e.to_string())?;
    Ok(Some(run))
}

/// The options of the latest finished run.
fn latest_options(store: &mut dyn Store) -> Result<Option<EvaluateOptions>, StoreError> {
    let Some(run) = store.runs()?.into_iter().find(|r| r.state == RunState::Finished) else {
        return Ok(None);
    };
    serde_json::from_value(run.run.options)
        .map(Some)
        .map_err(|e| StoreError::corrupt(store.location(), format!("评估记录 {} 的选项", run.id), e))
}

//! Evaluation: load, check, score, record the run.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use govmedia_checks::{AccountSource, Survey};
use govmedia_model::Progress;
use govmedia_model::results::Results;
use govmedia_score::{Framework, Memo, MemoStore};
use govmedia_store_api::{KvCache, NewRun, RunId, Store};
use serde::{Deserialize, Serialize};

use crate::checks::{CheckOptions, CheckSet};
use crate::load::{Header, StoreAccounts, read_survey};
use crate::scope::Scope;
use crate::{Error, Result};

/// The framework a survey is evaluated with when neither the options nor survey.toml name one.
pub(crate) const DEFAULT_FRAMEWORK: &str = "ccid-2025";

/// Everything an evaluation is told.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EvaluateOptions {
    pub scope: Scope,
    /// A built-in framework name or a framework file; none: survey.toml's, else ccid-2025.
    pub framework: Option<String>,
    /// The dataset directory (page bodies of the snapshot); none: the one recorded at import.
    pub dataset: Option<PathBuf>,
    /// No network: the web checks read the snapshot only, the AI checks the cache only.
    pub offline: bool,
    pub checks: CheckOptions,
    /// Assess every account afresh: no outcome remembered from an earlier evaluation is reused
    /// (see [`govmedia_score::Memo`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fresh: bool,
}

/// Reads the survey from `store`, runs the checks, scores, and records the run (options,
/// per-account results and findings) in the store. The survey is read from one snapshot on a
/// second connection ([`Store::reopen`]), its accounts a chunk at a time, so memory does not
/// grow with the corpus. With `out`, mobile-check evidence goes under `out/evidence`, and once
/// the run is recorded `results.json` and `rankings.csv` are written there (rendered while
/// the store records the run).
pub fn evaluate(
    store: &mut dyn Store,
    options: &EvaluateOptions,
    out: Option<&Path>,
    progress: &dyn Progress,
) -> Result<Results> {
    evaluate_run(store, options, out, progress).map(|e| e.results)
}

/// What [`evaluate_run`] did.
#[derive(Debug)]
pub struct Evaluation {
    /// The run it recorded.
    pub run: RunId,
    pub results: Results,
    /// The accounts whose data had not changed since an earlier evaluation with the same
    /// settings: their content safety and classification outcomes were reused, not assessed
    /// again (none with [`EvaluateOptions::fresh`]).
    pub remembered: usize,
}

/// [`evaluate`], saying which run it recorded and how many accounts it did not assess again.
pub fn evaluate_run(
    store: &mut dyn Store,
    options: &EvaluateOptions,
    out: Option<&Path>,
    progress: &dyn Progress,
) -> Result<Evaluation> {
    // Reading the store keeps one core busy; the shipped content tables are built on the other
    // meanwhile, and while the first pass reads: a check that needs a table before it is built
    // waits for it (and a re-evaluation whose content outcomes are all remembered needs few).
    let warm = std::thread::spawn(govmedia_content::warm_up);
    let mut reader = store.reopen()?;
    let mut read = reader.snapshot()?;
    let header =
        read_survey(&mut *read, store.location(), &options.scope, options.dataset.clone(), options.offline)?;
    let framework_name = framework_name(options, &header);
    let framework = Framework::load(&framework_name)?;
    let mut checks = CheckSet::build(&options.checks, &*store, out)?;
    let remembered = RememberedOutcomes(store.cache()?);
    let scope = crate::run_files::memo_scope(options, &framework_name)?;
    let memo = scope.as_deref().map(|scope| Memo::new(&remembered, scope, &header.survey));
    let run = store.start_run(&new_run(options, &header, &framework))?;
    let mut source = StoreAccounts::new(&mut *read, &header);
    let evaluated =
        evaluate_survey(&header.survey, &mut source, &framework, &mut checks, memo.as_ref(), progress);
    drop(read);
    warm.join().expect("the shipped content tables build");
    match evaluated {
        Ok(results) => {
            let (recorded, rendered) = std::thread::scope(|s| {
                let rendered = out.map(|out| s.spawn(|| govmedia_score::Outputs::render(out, &results)));
                let recorded = store.finish_run(run, &results);
                (recorded, rendered.map(|r| r.join().expect("rendering the results")))
            });
            recorded?;
            if let (Some(out), Some(rendered)) = (out, rendered) {
                rendered.and_then(|r| r.persist()).map_err(|e| Error::io(out, e))?;
            }
            Ok(Evaluation { run, results, remembered: memo.as_ref().map_or(0, Memo::recalled) })
        }
        Err(e) => {
            // The run's failure is recorded when the store can take it; the error is what matters.
            let _ = store.fail_run(run, &e.to_string());
            Err(e)
        }
    }
}

/// The record of a run of `options` on `header`'s survey under `framework`, as it starts.
pub(crate) fn new_run(options: &EvaluateOptions, header: &Header, framework: &Framework) -> NewRun {
    NewRun {
        framework: framework.name.clone(),
        period: header.survey.period,
        check_date: header.survey.check_date,
        options: serde_json::to_value(options).expect("options serialise"),
    }
}

/// The framework a run uses: the options', else survey.toml's, else the default.
pub(crate) fn framework_name(options: &EvaluateOptions, header: &Header) -> String {
    options.framework.clone().or(header.config.framework.clone()).unwrap_or_else(|| DEFAULT_FRAMEWORK.into())
}

/// Runs `checks` over a survey whose accounts come from `source` and scores it under
/// `framework`, reusing what `memo` remembers.
pub fn evaluate_survey(
    survey: &Survey,
    source: &mut dyn AccountSource,
    framework: &Framework,
    checks: &mut CheckSet,
    memo: Option<&Memo>,
    progress: &dyn Progress,
) -> Result<Results> {
    govmedia_score::evaluate(survey, source, framework, checks.checks_mut(), memo, progress).map_err(|e| {
        match e {
            govmedia_score::EvaluateError::Cancelled => Error::Cancelled,
            other => Error::Evaluate(other),
        }
    })
}

/// The cache namespace of the outcomes remembered between evaluations.
const OUTCOMES: &str = "outcomes";

/// Outcomes remembered in the store's key-value cache, for every process on the database.
pub(crate) struct RememberedOutcomes(pub(crate) Arc<dyn KvCache>);

impl MemoStore for RememberedOutcomes {
    fn load(&self, slots: &[String]) -> std::result::Result<Vec<Option<String>>, String> {
        self.0.get_many(OUTCOMES, slots).map_err(|e| e.to_string())
    }

    fn save(&self, entries: &[(String, String)]) {
        if let Err(e) = self.0.put_many(OUTCOMES, entries) {
            tracing::warn!("未能保存检查结果以供下次评估沿用：{e}");
        }
    }
}

/// Writes `results.json` and `rankings.csv` into `out` (created if needed).
pub fn write_results(out: &Path, results: &Results) -> Result<()> {
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    govmedia_score::write_results(out, results).map_err(|e| Error::io(out, e))
}

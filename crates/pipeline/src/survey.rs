//! Import, reports, and the main job that chains the stages.

use std::path::Path;

use govmedia_ingest::{ImportOptions, ImportReport};
use govmedia_model::Progress;
use govmedia_model::results::Results;
use govmedia_report::ReportFiles;
use govmedia_store_api::{Stats, Store};

use crate::evaluate::{EvaluateOptions, evaluate};
use crate::{Error, Result};

/// Imports the dataset directory `dataset` into `store` (each file one transaction).
pub fn import(
    store: &mut dyn Store,
    dataset: &Path,
    options: ImportOptions,
    progress: &dyn Progress,
) -> Result<ImportReport> {
    Ok(govmedia_ingest::import_dataset(store, dataset, options, progress)?)
}

/// Writes the survey report (HTML, PDF, Excel) and one diagnosis per account into `out`.
pub fn report(results: &Results, out: &Path, progress: &dyn Progress) -> Result<ReportFiles> {
    Ok(govmedia_report::write_reports_with(results, out, progress)?)
}

/// Reads a `results.json`; an invalid file is reported with the line of the error.
pub fn read_results(path: &Path) -> Result<Results> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_str(&text).map_err(|e| {
        Error::Invalid(format!("{}: 不是有效的 results.json（第 {} 行：{e}）", path.display(), e.line()))
    })
}

/// What the main job did, stage by stage.
#[derive(Debug)]
pub struct SurveyOutcome {
    pub import: ImportReport,
    pub stats: Stats,
    pub results: Results,
    pub report: ReportFiles,
}

/// The main job: imports `dataset`, evaluates it, and writes results.json, rankings.csv, the
/// survey report and the diagnoses into `out`. The dataset is the survey's snapshot directory
/// unless `options.dataset` says otherwise.
pub fn survey(
    store: &mut dyn Store,
    dataset: &Path,
    options: &EvaluateOptions,
    out: &Path,
    progress: &dyn Progress,
) -> Result<SurveyOutcome> {
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let import = import(store, dataset, ImportOptions::default(), progress)?;
    let stats = store.snapshot()?.stats()?;
    let mut options = options.clone();
    options.dataset.get_or_insert_with(|| dataset.to_owned());
    let results = evaluate(store, &options, Some(out), progress)?;
    let report = report(&results, out, progress)?;
    Ok(SurveyOutcome { import, stats, results, report })
}

/// Fetches every URL the web checks would visit and saves them into the dataset's snapshot
/// (`pages.jsonl` and `pages/`), so that later evaluations can run offline. The existing
/// snapshot is what is being refreshed: it is not read.
pub fn fetch_pages(
    store: &mut dyn Store,
    dataset: &Path,
    options: &EvaluateOptions,
) -> Result<govmedia_web::FetchSummary> {
    let mut loaded = crate::load_survey(store, &options.scope, Some(dataset.to_owned()), false)?;
    loaded.survey.pages.clear();
    let web = options.checks.web.web_options(Some(store.cache()?), Some(dataset));
    let summary = govmedia_checks::blocking::block_on(govmedia_web::fetch_pages(
        &loaded.survey,
        &loaded.accounts,
        dataset,
        &web,
    ))
    .map_err(|e| Error::Invalid(format!("无法运行网络抓取：{e}")))?
    .map_err(|e| Error::Invalid(format!("无法写入 {}：{e}", dataset.display())))?;
    Ok(summary)
}

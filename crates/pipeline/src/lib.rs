//! The govmedia pipeline as a library: collect → store → analyse → score → report.
//!
//! Every front end — the `govmedia` command line, the server, workers, the monitor — calls
//! this crate and nothing below it: it opens a store by path or URL ([`open_store`]), imports
//! a dataset ([`import`]), loads a survey under one rule for the period, the check date and
//! the article cut-off ([`load_survey`]), registers the checks the options ask for
//! ([`CheckSet`]), evaluates and records the run ([`evaluate`]), and writes the reports
//! ([`report`]). [`survey`] chains them, as the main job does; [`monitor::run_round`] is one
//! round of live collection, re-evaluation and alerts. Progress and cancellation
//! travel through [`Progress`]: a front end shows bars, a server a percentage, and either
//! stops the work by answering `cancelled()`.

mod checks;
mod db;
pub mod distributed;
mod error;
mod evaluate;
mod load;
pub mod monitor;
mod run_files;
mod scope;
mod survey;

pub use checks::{CheckOptions, CheckSet, WebCheckOptions, ai_check};
pub use db::{DB_ENV, StoreSpec, open_store};
pub use error::{Error, Result};
pub use evaluate::{EvaluateOptions, Evaluation, evaluate, evaluate_run, evaluate_survey, write_results};
pub use govmedia_model::progress::{NoProgress, Progress};
pub use govmedia_store_api as store;
pub use load::{Header, Loaded, StoreAccounts, load_survey, read_survey};
pub use scope::Scope;
pub use survey::{SurveyOutcome, fetch_pages, import, read_results, report, survey};

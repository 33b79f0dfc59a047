//! Frameworks as data: indicator trees, vetoes, redistribution, scores and rankings.
//!
//! [`Framework`] loads a versioned TOML file (five are built in: `ccid-2025`,
//! `gov-2019-inspection`, `shanghai-2015`, `tsinghua-2014`, `wechat-handbook`); [`evaluate`] runs the checks over a survey and
//! produces the `results.json` contract; [`write_results`] writes it with `rankings.csv`.

pub mod apps;
pub mod engine;
pub mod framework;
pub mod memo;
pub mod output;
pub mod regions;
pub mod report_figures;
pub mod stats;
pub mod units;

pub use engine::{EvaluateError, evaluate};
pub use framework::{Framework, FrameworkError};
pub use memo::{Memo, MemoStore};
pub use output::{Outputs, rankings_csv, write_results};

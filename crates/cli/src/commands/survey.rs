//! `govmedia survey DATASET --out DIR`: the main job (`govmedia_pipeline::survey`).

use std::path::Path;

use anyhow::Result;
use govmedia_pipeline::StoreSpec;

use super::evaluate::EvaluateArgs;
use crate::progress::Bars;

pub fn run(dataset: &Path, out: &Path, db: &StoreSpec, args: &EvaluateArgs) -> Result<()> {
    std::fs::create_dir_all(out).map_err(|e| anyhow::anyhow!("无法创建输出目录 {}：{e}", out.display()))?;
    let mut store = govmedia_pipeline::open_store(db)?;
    let outcome = govmedia_pipeline::survey(&mut *store, dataset, &args.options(), out, &Bars::default())?;
    super::import::print_report(&outcome.import);
    print!("{}", super::stats::render(&outcome.stats));
    super::evaluate::print_summary(&outcome.results, out);
    super::report::print_files(&outcome.report, out);
    Ok(())
}

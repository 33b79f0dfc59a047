//! `govmedia survey DATASET --out DIR`: the main job.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::evaluate::EvaluateArgs;

pub fn run(dataset: &Path, out: &Path, db: Option<PathBuf>, args: &EvaluateArgs) -> Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("无法创建输出目录 {}", out.display()))?;
    let db = db.unwrap_or_else(|| out.join(govmedia_store::DEFAULT_DB));
    let report = super::import::import(dataset, &db, false)?;
    super::import::print_report(&report);
    let store = govmedia_store::Store::open(&db)?;
    print!("{}", super::stats::render(&store.stats()?));
    drop(store);
    let mut args = args.clone();
    args.data.get_or_insert_with(|| dataset.to_owned());
    let results = super::evaluate::run(&db, &args, out)?;
    super::report::write(&results, out)
}

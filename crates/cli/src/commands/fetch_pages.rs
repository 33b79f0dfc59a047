//! `govmedia fetch-pages`: save every URL the web checks would visit into the dataset's
//! snapshot (pages.jsonl and pages/), so later evaluations can run `--offline`.

use std::path::Path;

use anyhow::Result;
use govmedia_pipeline::StoreSpec;

use super::evaluate::EvaluateArgs;

pub fn run(db: &StoreSpec, dataset: &Path, args: &EvaluateArgs) -> Result<()> {
    let mut store = govmedia_pipeline::open_store(db)?;
    let summary = govmedia_pipeline::fetch_pages(&mut *store, dataset, &args.options())?;
    println!(
        "已保存 {} 个网址（成功 {}，失败 {}，截图 {}）→ {}",
        summary.urls,
        summary.ok,
        summary.failed,
        summary.screenshots,
        summary.pages_jsonl.display()
    );
    if summary.no_browser {
        println!("  未找到浏览器：未保存移动端截图");
    }
    Ok(())
}

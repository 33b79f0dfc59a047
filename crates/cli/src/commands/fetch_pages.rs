//! `govmedia fetch-pages`: save every URL the web checks would visit into the dataset's
//! snapshot (pages.jsonl and pages/), so later evaluations can run `--offline`.

use std::path::Path;

use anyhow::{Context, Result};
use govmedia_store::Store;

use super::evaluate::EvaluateArgs;
use crate::load::{Scope, load_survey};

pub fn run(db: &Path, dataset: &Path, args: &EvaluateArgs) -> Result<()> {
    let store = Store::open(db)?;
    let scope = Scope {
        from: args.from,
        to: args.to,
        check_date: args.check_date,
        offline: false,
        dataset: Some(dataset.to_owned()),
    };
    let (mut survey, _) = load_survey(&store, &scope)?;
    // Fetch everything anew: the existing snapshot is what is being refreshed.
    survey.pages.clear();
    let opts = args.web_options(db, Some(dataset));
    let summary = govmedia_checks::blocking::block_on(govmedia_web::fetch_pages(&survey, dataset, &opts))?
        .with_context(|| format!("无法写入 {}", dataset.display()))?;
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

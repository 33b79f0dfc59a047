//! `govmedia import DATASET`

use std::path::Path;

use anyhow::Result;
use govmedia_ingest::{ImportOptions, ImportReport};
use govmedia_pipeline::StoreSpec;

use crate::progress::Bars;

pub fn run(dataset: &Path, db: &StoreSpec, skip_invalid: bool) -> Result<()> {
    let mut store = govmedia_pipeline::open_store(db)?;
    let report =
        govmedia_pipeline::import(&mut *store, dataset, ImportOptions { skip_invalid }, &Bars::default())?;
    print_report(&report);
    Ok(())
}

pub fn print_report(report: &ImportReport) {
    let (mut accounts, mut articles, mut folded, mut menus, mut events, mut pages, mut masked) =
        (0, 0, 0, 0, 0, 0, 0);
    for f in &report.files {
        accounts += f.accounts;
        articles += f.articles;
        folded += f.folded;
        menus += f.menus;
        events += f.events;
        pages += f.pages;
        masked += f.masked.total();
    }
    println!(
        "已导入 {} 个文件：账号 {accounts}，文章 {articles}（合并重复推送 {folded}），菜单 {menus}，事件 {events}，网页快照 {pages}；留言脱敏 {masked} 处",
        report.files.len()
    );
    let rejected: Vec<_> = report.rejected().collect();
    if !rejected.is_empty() {
        println!("已跳过 {} 行无效数据：", rejected.len());
        for e in rejected {
            println!("  {e}");
        }
    }
}

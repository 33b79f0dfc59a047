//! `govmedia runs`: the evaluation runs recorded in the store.

use std::path::Path;

use anyhow::{Context, Result};
use govmedia_pipeline::StoreSpec;

use crate::progress::Bars;

pub fn list(db: &StoreSpec) -> Result<()> {
    let mut store = govmedia_pipeline::open_store(db)?;
    let runs = store.runs()?;
    let mut queue = store.queue().ok();
    println!("编号\t状态\t指标体系\t评估周期\t检查日期\t开始时间\t账号\t通过");
    for r in &runs {
        let n = |v: Option<u64>| v.map_or("-".into(), |v| v.to_string());
        println!(
            "{}\t{}\t{}\t{} 至 {}\t{}\t{}\t{}\t{}",
            r.id,
            r.state.label(),
            r.run.framework,
            r.run.period.from,
            r.run.period.to,
            r.run.check_date,
            r.started_at,
            n(r.accounts),
            n(r.passed)
        );
        if let Some(e) = &r.error {
            println!("\t失败原因：{e}");
        }
        // A distributed run's jobs (PostgreSQL only).
        if let Some(c) = queue
            .as_mut()
            .and_then(|q| q.counts(r.id).ok())
            .filter(|c| c.done + c.queued + c.running + c.failed > 0)
        {
            let total = c.done + c.queued + c.running + c.failed;
            println!(
                "\t分布式任务：完成 {}/{}，进行中 {}，等待 {}，失败 {}；已评估 {} 个账号",
                c.done, total, c.running, c.queued, c.failed, c.accounts
            );
        }
    }
    eprintln!("共 {} 次评估", runs.len());
    Ok(())
}

/// Writes a stored run's results.json and rankings.csv into `out`.
pub fn export(db: &StoreSpec, id: i64, out: &Path) -> Result<()> {
    let mut store = govmedia_pipeline::open_store(db)?;
    let results = store.run_results(id)?.with_context(|| format!("没有已完成的第 {id} 次评估"))?;
    govmedia_pipeline::write_results(out, &results)?;
    println!("已写出第 {id} 次评估的结果 → {}", out.join("results.json").display());
    Ok(())
}

/// Waits for a distributed run's jobs, then ranks and writes its results into `out`.
pub fn wait(db: &StoreSpec, id: i64, out: &Path) -> Result<()> {
    let mut store = govmedia_pipeline::open_store(db)?;
    let poll = std::time::Duration::from_millis(500);
    let results = govmedia_pipeline::distributed::finish(&mut *store, id, Some(out), poll, &Bars::default())?;
    super::evaluate::print_summary(&results, out);
    Ok(())
}

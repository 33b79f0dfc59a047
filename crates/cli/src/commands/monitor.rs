//! `govmedia monitor`: rounds of live collection, re-evaluation and alerts; the work is
//! `govmedia_pipeline::monitor::run_round`.

use std::path::Path;

use anyhow::Result;
use chrono::{DateTime, Utc};
use govmedia_pipeline::StoreSpec;
use govmedia_pipeline::monitor::{MonitorConfig, RoundReport, run_round, run_rounds};

use crate::progress::Bars;

pub fn run(db: &StoreSpec, config: &Path, once: bool, now: Option<DateTime<Utc>>) -> Result<()> {
    let config = MonitorConfig::load(config)?;
    let mut store = govmedia_pipeline::open_store(db)?;
    let clock = || now.unwrap_or_else(Utc::now);
    if once {
        let at = clock();
        print(&run_round(&mut *store, db, &config, at, &Bars::default())?, at);
        return Ok(());
    }
    let forever = std::sync::atomic::AtomicBool::new(false);
    Ok(run_rounds(&mut *store, db, &config, &Bars::default(), clock, &forever, |at, r| print(r, at))?)
}

fn print(r: &RoundReport, at: DateTime<Utc>) {
    println!("监测轮次 {}", govmedia_notify::condition::beijing(at));
    if let Some(why) = &r.skipped {
        println!("  {why}");
        return;
    }
    let articles: u64 = r.feeds_imported.iter().map(|x| x.1).sum();
    println!(
        "  订阅源：{} 个有更新（{articles} 篇文章），{} 个无变化，{} 个失败",
        r.feeds_imported.len(),
        r.feeds_unchanged,
        r.feeds_failed.len()
    );
    for (url, why) in &r.feeds_failed {
        println!("    {url}：{why}");
    }
    for (account, collected, missing) in &r.wechat {
        let got: Vec<String> = collected.iter().map(|(k, n)| format!("{k} {n}")).collect();
        println!("  开放接口 {account}：{}", got.join("，"));
        for m in missing {
            println!("    未采集：{m}");
        }
    }
    for (account, change) in &r.menu_changes {
        println!("  菜单变更 {account}：{change}");
    }
    for (url, why) in &r.deleted {
        println!("  文章已被删除：{url}（{why}）");
    }
    for (name, why) in &r.collectors_lost {
        println!("  采集源失效：{name}：{why}");
    }
    if let Some(run) = r.reused_run {
        println!("  评估：上次评估以来数据、检查日期与评估设置均未变化，沿用第 {run} 次评估的结果");
    }
    if r.remembered > 0 {
        println!("  评估：{} 个账号的数据自上次评估以来未变，沿用其内容安全与分类检查结果", r.remembered);
    }
    if let Some(res) = &r.results {
        let vetoed = res.accounts.iter().filter(|a| !a.vetoes.is_empty()).count();
        println!(
            "  评估：{} 个账号，{vetoed} 个触发单项否决（检查日期 {}）",
            res.accounts.len(),
            res.check_date
        );
    }
    println!(
        "  告警：新发 {}，升级 {}，解除 {}；已发送 {} 条消息（其中汇总 {}），待重试 {}，放弃 {}",
        r.raised,
        r.escalated,
        r.resolved,
        r.delivery.messages,
        r.delivery.digests,
        r.delivery.retries,
        r.delivery.given_up
    );
}

//! `govmedia stats`

use anyhow::Result;
use govmedia_model::{Kind, Level};
use govmedia_pipeline::StoreSpec;
use govmedia_store_api::Stats;

pub fn run(db: &StoreSpec, json: bool) -> Result<()> {
    let mut store = govmedia_pipeline::open_store(db)?;
    let s = store.snapshot()?.stats()?;
    if json {
        println!("{}", serde_json::to_string_pretty(&s)?);
    } else {
        print!("{}", render(&s));
    }
    Ok(())
}

/// The Chinese summary; deterministic for a given store.
pub fn render(s: &Stats) -> String {
    let mut out = String::new();
    let level_label = |k: &str| k.parse::<Level>().map(|l| l.label()).unwrap_or("未知");
    out += &format!("账号总数：{}\n", s.accounts);
    out += "按层级：\n";
    for (k, v) in &s.accounts_by_level {
        let articles = s.articles_by_level.get(k).copied().unwrap_or(0);
        out += &format!("  {:<10}\t账号 {v}\t文章 {articles}\n", level_label(k));
    }
    out += "按类型：\n";
    for (k, v) in &s.accounts_by_kind {
        out += &format!("  {}\t{v}\n", k.parse::<Kind>().map(|k| k.label()).unwrap_or("未注明"));
    }
    out += &format!("文章总数：{}（已删除 {}）\n", s.articles, s.articles_deleted);
    match (&s.first_published, &s.last_published) {
        (Some(a), Some(b)) => out += &format!("覆盖时段：{a} 至 {b}\n"),
        _ => out += "覆盖时段：无文章\n",
    }
    let d = &s.articles_per_account;
    out += &format!(
        "每账号文章数：最少 {}，下四分位 {}，中位数 {}，上四分位 {}，最多 {}，平均 {:.1}；无文章账号 {}\n",
        d.min, d.p25, d.median, d.p75, d.max, d.mean, s.accounts_without_articles
    );
    out +=
        &format!("留言：{}（已回复 {}），留言脱敏 {} 处\n", s.comments, s.comments_replied, s.masked_total);
    out += &format!("菜单快照：{}，重大事件：{}，网页快照：{}\n", s.menus, s.events, s.pages);
    out
}

//! `govmedia generate`

use std::path::Path;

use anyhow::{Context, Result};
use govmedia_sample::Scale;

pub fn run(scale: Scale, seed: u64, size: Option<govmedia_sample::Size>, out: &Path) -> Result<()> {
    let ds = match size {
        Some(size) => govmedia_sample::generate_sized(size, seed).map_err(anyhow::Error::msg)?,
        None => govmedia_sample::generate(scale, seed),
    };
    govmedia_sample::write_dataset(&ds, out).with_context(|| format!("无法写入 {}", out.display()))?;
    let scale = match size {
        Some(s) => format!("{} 个账号 × 平均 {} 篇", s.accounts, s.articles_per_account),
        None => scale.to_string(),
    };
    println!(
        "已生成 {} 规模数据集（种子 {seed}）：账号 {}，文章 {}，菜单 {}，事件 {} → {}（生成数据均标记为 generated）",
        scale,
        ds.accounts.len(),
        ds.articles.len(),
        ds.menus.len(),
        ds.events.len(),
        out.display()
    );
    Ok(())
}

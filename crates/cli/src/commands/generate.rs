//! `govmedia generate`

use std::path::Path;

use anyhow::{Context, Result};
use govmedia_sample::Scale;

pub fn run(scale: Scale, seed: u64, out: &Path) -> Result<()> {
    let ds = govmedia_sample::generate_into(scale, seed, out)
        .with_context(|| format!("无法写入 {}", out.display()))?;
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

//! `govmedia framework list|show`

use anyhow::{Context, Result};
use clap::Subcommand;
use govmedia_score::Framework;

#[derive(Subcommand)]
pub enum FrameworkAction {
    /// 列出内置指标体系
    List,
    /// 输出内置指标体系的定义文件（TOML），可重定向保存后修改
    Show {
        /// 名称，如 ccid-2025
        name: String,
    },
}

pub fn run(action: FrameworkAction) -> Result<()> {
    match action {
        FrameworkAction::List => {
            for name in Framework::builtin_names() {
                let fw = Framework::builtin(name).context("内置指标体系无法加载")?;
                println!("{name}\t{}\t版本 {}", fw.title, fw.version);
            }
        }
        FrameworkAction::Show { name } => {
            let text = Framework::source_text(&name).with_context(|| {
                format!("没有名为“{name}”的内置指标体系（可选：{}）", Framework::builtin_names().join("、"))
            })?;
            print!("{text}");
        }
    }
    Ok(())
}

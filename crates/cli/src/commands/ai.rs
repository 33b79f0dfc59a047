//! AI options, and `govmedia ai-check`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;

/// Options that choose an AI profile.
#[derive(Args, Clone, Default)]
pub struct AiArgs {
    /// 启用 AI 智评并使用该配置档（deepseek、qwen、doubao、local，或配置文件中定义的名称）；不指定则 AI 指标为“未评估”
    #[arg(long, value_name = "PROFILE")]
    pub ai: Option<String>,
    /// AI 配置文件（默认：当前目录的 govmedia.toml，否则使用内置配置档）
    #[arg(long, value_name = "FILE")]
    pub ai_config: Option<PathBuf>,
}

/// `govmedia ai-check PROFILE`: tries a provider on one article.
pub fn check_one(
    args: &AiArgs,
    name: &str,
    title: &str,
    content: Option<String>,
    file: Option<&Path>,
) -> Result<()> {
    let content = match (content, file) {
        (Some(c), _) => c,
        (None, Some(f)) => std::fs::read_to_string(f).with_context(|| format!("无法读取 {}", f.display()))?,
        (None, None) => String::new(),
    };
    let judgements = govmedia_pipeline::ai_check(args.ai_config.as_deref(), name, title, &content)?;
    println!("{}", judgements.summary());
    if let Some(failure) = judgements.first_failure() {
        anyhow::bail!("AI 评估未完成：{failure}");
    }
    Ok(())
}

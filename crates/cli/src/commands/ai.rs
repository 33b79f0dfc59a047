//! The AI layer's wiring: profiles, the store-backed judgement cache, `govmedia ai-check`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use clap::Args;
use govmedia_ai::{AiConfig, CacheKey, JudgementCache, Profile};
use govmedia_checks::Check;
use govmedia_store::Store;

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

/// Judgements cached in the store (table `cache`, namespace `ai`): a re-run makes no calls.
pub struct StoreCache {
    store: Mutex<Store>,
}

impl StoreCache {
    pub fn open(db: &Path) -> Result<Self> {
        Ok(StoreCache { store: Mutex::new(Store::open(db)?) })
    }

    fn key(k: &CacheKey) -> String {
        format!("{}|{}|{}", k.prompt_version, k.model, k.content_hash)
    }
}

impl JudgementCache for StoreCache {
    fn get(&self, key: &CacheKey) -> Option<String> {
        let store = self.store.lock().expect("cache lock");
        store.cache_get("ai", &Self::key(key)).ok().flatten()
    }

    fn put(&self, key: &CacheKey, value: &str) {
        let store = self.store.lock().expect("cache lock");
        if let Err(e) = store.cache_put("ai", &Self::key(key), value) {
            eprintln!("警告：无法写入 AI 评估缓存：{e}");
        }
    }
}

fn profile(args: &AiArgs, name: &str) -> Result<Profile> {
    let config = AiConfig::discover(args.ai_config.as_deref())?;
    Ok(config.profile(name)?)
}

/// The AI checks when a profile is chosen; none otherwise.
pub fn checks(args: &AiArgs, db: &Path) -> Result<Vec<Box<dyn Check>>> {
    let Some(name) = &args.ai else { return Ok(Vec::new()) };
    let profile = profile(args, name)?;
    let cache = Arc::new(StoreCache::open(db)?);
    Ok(govmedia_ai::ai_checks(&profile, cache)?)
}

/// `govmedia ai-check PROFILE`: tries a provider on one article.
pub fn check_one(
    args: &AiArgs,
    name: &str,
    title: &str,
    content: Option<String>,
    file: Option<&Path>,
) -> Result<()> {
    let profile = profile(args, name)?;
    let content = match (content, file) {
        (Some(c), _) => c,
        (None, Some(f)) => std::fs::read_to_string(f).with_context(|| format!("无法读取 {}", f.display()))?,
        (None, None) => String::new(),
    };
    let judgements =
        govmedia_checks::blocking::block_on(govmedia_ai::ai_check_one(&profile, title, &content))??;
    println!("{}", judgements.summary());
    if let Some(failure) = judgements.first_failure() {
        anyhow::bail!("AI 评估未完成：{failure}");
    }
    Ok(())
}

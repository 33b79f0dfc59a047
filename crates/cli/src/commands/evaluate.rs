//! `govmedia evaluate`: load the survey, run every registered check, score, write results.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::Args;
use govmedia_checks::Check;
use govmedia_checks::menu::MenuLexicon;
use govmedia_model::results::Results;
use govmedia_score::Framework;
use govmedia_store::Store;

use crate::load::{Scope, load_survey};
use crate::progress::Bars;

#[derive(Args, Clone, Default)]
pub struct EvaluateArgs {
    /// 数据集目录（网页快照等文件所在位置；默认取导入时的目录）
    #[arg(long, value_name = "DATASET")]
    pub data: Option<PathBuf>,
    /// 评估周期起点（含），默认取 survey.toml
    #[arg(long)]
    pub from: Option<NaiveDate>,
    /// 评估周期终点（含），默认取 survey.toml
    #[arg(long)]
    pub to: Option<NaiveDate>,
    /// 检查日期（“两周未更新”从该日 0 时往前计算），默认为周期终点次日
    #[arg(long)]
    pub check_date: Option<NaiveDate>,
    /// 指标体系：内置名称（ccid-2025、gov-2019-inspection、shanghai-2015）或 TOML 文件路径
    #[arg(long, value_name = "NAME|FILE")]
    pub framework: Option<String>,
    /// 不访问网络：网页检查只使用数据集中的网页快照，AI 智评只使用缓存
    #[arg(long)]
    pub offline: bool,
    /// 允许访问内网、本机与链路本地地址（测试与内网部署用；默认拒绝，防止 SSRF）
    #[arg(long)]
    pub allow_private: bool,
    /// Chromium 可执行文件（移动端适配检查用；默认在常见位置查找）
    #[arg(long, value_name = "PATH")]
    pub browser: Option<PathBuf>,
    /// 自定义词库目录（*.toml：敏感词、允许词、规范表述，与内置词库一起使用；其中的 menu.toml 替换内置菜单词库）
    #[arg(long, value_name = "DIR")]
    pub lexicons: Option<PathBuf>,
    /// 自己标注的文章标题（CSV，title、category 列），加入分类模型的训练数据
    #[arg(long, value_name = "CSV")]
    pub labelled: Option<PathBuf>,
    #[command(flatten)]
    pub ai: super::ai::AiArgs,
}

impl EvaluateArgs {
    /// Web-check options: the fetch cache sits beside the database, evidence under `out`.
    pub fn web_options(&self, db: &Path, out: Option<&Path>) -> govmedia_web::WebOptions {
        let dir = db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        govmedia_web::WebOptions {
            allow_private: self.allow_private,
            cache_dir: Some(dir.join("govmedia-cache")),
            browser: self.browser.clone(),
            evidence_dir: out.map(|o| o.join("evidence")),
            ..govmedia_web::WebOptions::default()
        }
    }
}

/// The checks this run registers. A framework leaf bound to a check that is not here is
/// reported as not evaluated. Offline (rule) checks come before the AI layer, so that their
/// per-article categories are the ones kept and the model's are compared with them.
fn registered_checks(args: &EvaluateArgs, db: &Path, out: &Path) -> Result<Vec<Box<dyn Check>>> {
    // A menu.toml among the user's lexicons replaces the embedded menu lexicon.
    let dir_lexicon =
        args.lexicons.as_deref().map(MenuLexicon::from_dir).transpose().map_err(anyhow::Error::msg)?;
    let menu_lexicon = dir_lexicon.flatten().unwrap_or_else(MenuLexicon::default_lexicon);
    let mut checks = govmedia_checks::structural_checks_with(menu_lexicon.clone());
    let content = govmedia_content::ContentOptions {
        lexicons: args.lexicons.clone(),
        labelled_titles: args.labelled.clone(),
    };
    checks.extend(govmedia_content::content_checks(&content)?);
    checks.extend(govmedia_web::web_checks_with(args.web_options(db, Some(out)), menu_lexicon));
    checks.extend(super::ai::checks(&args.ai, db)?);
    Ok(checks)
}

pub fn run(db: &Path, args: &EvaluateArgs, out: &Path) -> Result<Results> {
    let store = Store::open(db)?;
    let scope = Scope {
        from: args.from,
        to: args.to,
        check_date: args.check_date,
        offline: args.offline,
        dataset: args.data.clone(),
    };
    let (survey, config) = load_survey(&store, &scope)?;
    let name = args.framework.clone().or(config.framework).unwrap_or_else(|| "ccid-2025".to_owned());
    let framework = Framework::load(&name)?;
    let mut checks = registered_checks(args, db, out)?;
    let results = govmedia_score::evaluate(&survey, &framework, &mut checks, &Bars::default())?;
    std::fs::create_dir_all(out).with_context(|| format!("无法创建输出目录 {}", out.display()))?;
    govmedia_score::write_results(out, &results).with_context(|| format!("无法写入 {}", out.display()))?;
    let passed = results.accounts.iter().filter(|a| a.passed).count();
    println!(
        "已评估 {} 个账号（指标体系 {}，周期 {} 至 {}，检查日期 {}）：通过 {}，否决 {} → {}",
        results.accounts.len(),
        results.framework,
        results.period.from,
        results.period.to,
        results.check_date,
        passed,
        results.accounts.len() - passed,
        out.join("results.json").display()
    );
    for ne in &results.not_evaluated {
        println!("  未评估：{}（{}）", ne.check, ne.reason);
    }
    Ok(results)
}

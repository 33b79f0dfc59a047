//! `govmedia fetch-pages`: save every URL the web checks would visit into the dataset's
//! snapshot (pages.jsonl and pages/), so later evaluations can run `--offline`.

use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Args;
use govmedia_pipeline::{CheckOptions, EvaluateOptions, StoreSpec, WebCheckOptions};

use super::evaluate::PeriodArgs;

/// What fetching needs to know: which articles' links (the period) and how to reach pages.
/// Every menu page is rendered once for its screenshot, so there is no `--render-all` here.
#[derive(Args, Clone, Default)]
pub struct FetchPagesArgs {
    #[command(flatten)]
    pub period: PeriodArgs,
    /// 允许访问内网、本机与链路本地地址（测试与内网部署用；默认拒绝，防止 SSRF）
    #[arg(long)]
    pub allow_private: bool,
    /// Chromium 可执行文件（保存菜单网页的移动端截图；默认在常见位置查找）
    #[arg(long, value_name = "PATH")]
    pub browser: Option<PathBuf>,
}

pub fn run(db: &StoreSpec, dataset: &Path, args: &FetchPagesArgs) -> Result<()> {
    let mut store = govmedia_pipeline::open_store(db)?;
    let options = EvaluateOptions {
        scope: args.period.scope(),
        checks: CheckOptions {
            web: WebCheckOptions {
                allow_private: args.allow_private,
                browser: args.browser.clone(),
                render_all: false,
            },
            ..CheckOptions::default()
        },
        ..EvaluateOptions::default()
    };
    let summary = govmedia_pipeline::fetch_pages(&mut *store, dataset, &options)?;
    println!(
        "已保存 {} 个网址（成功 {}，失败 {}，截图 {}）→ {}",
        summary.urls,
        summary.ok,
        summary.failed,
        summary.screenshots,
        summary.pages_jsonl.display()
    );
    if summary.no_browser {
        println!("  未找到浏览器：未保存移动端截图");
    }
    Ok(())
}

//! `govmedia evaluate`: arguments in, results out; the work is `govmedia_pipeline::evaluate`.

use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;
use govmedia_model::results::Results;
use govmedia_pipeline::{CheckOptions, EvaluateOptions, Scope, StoreSpec, WebCheckOptions};

use crate::progress::Bars;

/// The evaluation period and check date (`evaluate`, `survey`, `fetch-pages`).
#[derive(Args, Clone, Default)]
pub struct PeriodArgs {
    /// 评估周期起点（含），默认取 survey.toml，否则取数据中最早的发布日期
    #[arg(long)]
    pub from: Option<NaiveDate>,
    /// 评估周期终点（含），默认取 survey.toml，否则取数据中最晚的发布日期
    #[arg(long)]
    pub to: Option<NaiveDate>,
    /// 检查日期（评估该日 0 时之前发布的文章，“两周未更新”从该日 0 时往前计算），默认为周期终点次日
    #[arg(long)]
    pub check_date: Option<NaiveDate>,
}

impl PeriodArgs {
    pub fn scope(&self) -> Scope {
        Scope { from: self.from, to: self.to, check_date: self.check_date }
    }
}

#[derive(Args, Clone, Default)]
pub struct EvaluateArgs {
    /// 数据集目录（网页快照等文件所在位置；默认取导入时的目录）
    #[arg(long, value_name = "DATASET")]
    pub data: Option<PathBuf>,
    #[command(flatten)]
    pub period: PeriodArgs,
    /// 指标体系：内置名称（ccid-2025、gov-2019-inspection、shanghai-2015、tsinghua-2014、wechat-handbook）或 TOML 文件路径
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
    /// 移动端适配检查逐页渲染全部网页（默认：内容相同的快照网页只渲染一次，HTML 足以证明适配的简单网页不渲染）
    #[arg(long)]
    pub render_all: bool,
    /// 自定义词库目录（*.toml：敏感词、允许词、规范表述），与内置词库一起使用
    #[arg(long, value_name = "DIR")]
    pub lexicons: Option<PathBuf>,
    /// 自己标注的文章标题（CSV，title、category 列），加入分类模型的训练数据
    #[arg(long, value_name = "CSV")]
    pub labelled: Option<PathBuf>,
    #[command(flatten)]
    pub ai: super::ai::AiArgs,
    /// 全部账号重新检查：不沿用上次评估中数据未变账号的内容安全与分类结果
    #[arg(long)]
    pub fresh: bool,
}

impl EvaluateArgs {
    /// The pipeline's options.
    pub fn options(&self) -> EvaluateOptions {
        EvaluateOptions {
            scope: self.period.scope(),
            framework: self.framework.clone(),
            dataset: self.data.clone(),
            offline: self.offline,
            checks: CheckOptions {
                lexicons: self.lexicons.clone(),
                labelled: self.labelled.clone(),
                web: WebCheckOptions {
                    allow_private: self.allow_private,
                    browser: self.browser.clone(),
                    render_all: self.render_all,
                },
                ai: self.ai.ai.clone(),
                ai_config: self.ai.ai_config.clone(),
            },
            fresh: self.fresh,
        }
    }
}

/// Evaluation by workers (`govmedia worker`) on a PostgreSQL queue.
#[derive(Args, Clone, Default)]
pub struct DistributedArgs {
    /// 分布式评估：把账号分成任务放入 PostgreSQL 任务队列，由 govmedia worker 工作进程完成，本进程等待并汇总排名
    #[arg(long)]
    pub distributed: bool,
    /// 与 --distributed 一起：每个任务的账号数
    #[arg(long, default_value_t = 50, value_name = "N", requires = "distributed")]
    pub accounts_per_job: usize,
    /// 与 --distributed 一起：任务最多尝试的次数（工作进程中断也计一次），之后其账号记为未评估并说明原因
    #[arg(long, default_value_t = 3, value_name = "N", requires = "distributed")]
    pub max_attempts: u32,
}

pub fn run(db: &StoreSpec, args: &EvaluateArgs, distributed: &DistributedArgs, out: &Path) -> Result<()> {
    let mut store = govmedia_pipeline::open_store(db)?;
    let bars = Bars::default();
    let results = if distributed.distributed {
        use govmedia_pipeline::distributed::{JobOptions, enqueue, finish};
        let jobs = JobOptions {
            accounts_per_job: distributed.accounts_per_job,
            max_attempts: distributed.max_attempts,
        };
        let run = enqueue(&mut *store, &args.options(), jobs)?;
        eprintln!("已创建第 {run} 次评估并放入任务队列，等待工作进程（govmedia worker --db …）完成");
        finish(&mut *store, run, Some(out), std::time::Duration::from_millis(500), &bars)?
    } else {
        let e = govmedia_pipeline::evaluate_run(&mut *store, &args.options(), Some(out), &bars)?;
        if e.remembered > 0 {
            println!(
                "{} 个账号的数据自上次评估以来未变，沿用其内容安全与分类检查结果（--fresh 全部重新检查）",
                e.remembered
            );
        }
        e.results
    };
    print_summary(&results, out);
    // The process ends here: freeing a national run's results piece by piece takes longer
    // than the system takes to reclaim them.
    std::mem::forget(results);
    Ok(())
}

/// One line on what was evaluated, and the checks that were not.
pub fn print_summary(results: &Results, out: &Path) {
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
}

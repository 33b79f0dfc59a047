//! The `govmedia` binary: argument parsing, progress and wiring; the work is in the libraries.

mod commands;
mod progress;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use govmedia_pipeline::StoreSpec;

const LONG_ABOUT: &str = "\
政务新媒体评估监测系统（govmedia）：采集政务微信公众号发布的内容，对照指标体系检查，
评分排名，并生成调查报告与逐个账号的体检报告。

典型流程：
  govmedia survey examples/sample-survey --out out     一步完成导入、评估与报告（HTML、PDF、Excel）
  govmedia import DATASET                              只导入数据集（可重复导入，结果不变）
  govmedia stats                                       查看已导入数据的统计
  govmedia evaluate --out out                          评估已导入的数据，写出 results.json 与 rankings.csv
  govmedia runs                                        查看数据库中记录的历次评估
  govmedia evaluate --db postgres://… --distributed --out out
                                                       由各机器上的 govmedia worker 分担评估（PostgreSQL）

数据集格式见 docs/interchange.md。数据库默认为当前目录下的 SQLite 文件 govmedia.db；
用 --db 或环境变量 GOVMEDIA_DB 指定其他文件，或 PostgreSQL 服务器（postgres://用户@主机:端口/数据库）。
退出状态：0 成功，1 输入无效，2 用法错误。";

#[derive(Parser)]
#[command(name = "govmedia", version, about = "政务新媒体评估监测系统", long_about = LONG_ABOUT)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The database option shared by every command that reads or writes the store.
#[derive(Args, Clone)]
struct DbArg {
    /// 数据库：SQLite 文件路径（默认 govmedia.db），或 PostgreSQL 地址 postgres://用户@主机:端口/数据库；
    /// 未指定时读取环境变量 GOVMEDIA_DB
    #[arg(long, value_name = "PATH|URL", global = true)]
    db: Option<String>,
}

impl DbArg {
    fn spec(&self) -> StoreSpec {
        StoreSpec::from_env_or_default(self.db.as_deref())
    }
}

#[derive(Subcommand)]
enum Command {
    /// 导入数据集目录（accounts、articles、menus、events、pages，以及 feeds/、history/、html/）
    #[command(long_about = "导入数据集目录到数据库。\n\n\
        每个文件在一个事务中写入：某行无效时报告“文件:行号: 字段: 原因”，该文件不写入任何内容，退出状态为 1；\
        使用 --skip-invalid 则写入有效行并列出被拒绝的行。留言与回复中的手机号、身份证号、银行卡号和电子邮箱在写入前脱敏。\
        重复导入同一数据集不改变数据库内容。")]
    Import {
        /// 数据集目录
        dataset: PathBuf,
        #[command(flatten)]
        db: DbArg,
        /// 跳过无效行，写入其余有效行
        #[arg(long)]
        skip_invalid: bool,
    },
    /// 列出或查看账号
    Accounts {
        #[command(subcommand)]
        action: Option<commands::list::AccountsAction>,
        #[command(flatten)]
        filter: commands::list::AccountFilterArgs,
        #[command(flatten)]
        db: DbArg,
    },
    /// 列出某账号在某时段发布的文章
    Articles {
        /// 账号 ID（或 __biz）
        #[arg(long)]
        account: Option<String>,
        /// 起始日期（含），YYYY-MM-DD
        #[arg(long)]
        from: Option<NaiveDate>,
        /// 截止日期（含），YYYY-MM-DD
        #[arg(long)]
        to: Option<NaiveDate>,
        #[command(flatten)]
        db: DbArg,
    },
    /// 数据统计：各层级与类型的账号数、覆盖时段、每账号文章数分布
    Stats {
        #[command(flatten)]
        db: DbArg,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 评估已导入的数据，写出 results.json 与 rankings.csv
    Evaluate {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        opts: commands::evaluate::EvaluateArgs,
        #[command(flatten)]
        distributed: commands::evaluate::DistributedArgs,
        /// 输出目录
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// 评估工作进程：从 PostgreSQL 任务队列领取分布式评估（evaluate --distributed）的任务并完成；可在多台机器上各启动若干个
    Worker {
        #[command(flatten)]
        db: DbArg,
        /// 同时处理的任务数
        #[arg(long, default_value_t = 1, value_name = "N")]
        concurrency: usize,
        /// 任务租约（秒）：工作进程失联超过该时间后，其任务交给其他工作进程
        #[arg(long, default_value_t = 120, value_name = "SECS")]
        lease: u64,
        /// 队列中没有可领取的任务时退出（默认一直等待新任务）
        #[arg(long)]
        exit_when_idle: bool,
    },
    /// 根据 results.json 生成调查报告（HTML、PDF、Excel）与逐个账号的体检报告
    Report {
        /// evaluate 写出的 results.json
        #[arg(long, value_name = "FILE")]
        results: PathBuf,
        /// 输出目录
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// 主流程：导入数据集、评估并生成报告
    Survey {
        /// 数据集目录
        dataset: PathBuf,
        /// 输出目录
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// 数据库：SQLite 文件路径或 PostgreSQL 地址（默认：环境变量 GOVMEDIA_DB，否则输出目录下的 govmedia.db）
        #[arg(long, value_name = "PATH|URL")]
        db: Option<String>,
        #[command(flatten)]
        opts: commands::evaluate::EvaluateArgs,
    },
    /// 抓取菜单与文章中的全部网址，保存为数据集的网页快照（pages.jsonl 与 pages/），之后可用 --offline 复现评估
    FetchPages {
        /// 数据集目录（快照写入其中）
        dataset: PathBuf,
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        opts: commands::fetch_pages::FetchPagesArgs,
    },
    /// 指标体系：列出内置体系或输出其定义文件（可复制修改后用 --framework 使用）
    Framework {
        #[command(subcommand)]
        action: commands::framework::FrameworkAction,
    },
    /// 文章分类：读取含 title 列（可选 content 列）的 CSV，输出增加 category 列的 CSV；
    /// 加 --evaluate 则检验分类准确率
    Classify {
        /// CSV 文件（UTF-8）；--evaluate 时为标注文件（title、category 列）
        file: PathBuf,
        #[command(flatten)]
        opts: commands::classify::ClassifyArgs,
    },
    /// 用一篇文章试用 AI 智评配置档（检查连通性、模型许可与输出格式）
    AiCheck {
        /// 配置档名称：deepseek、qwen、doubao、local 或配置文件中的名称
        profile: String,
        /// 文章标题
        #[arg(long)]
        title: String,
        /// 文章正文
        #[arg(long, conflicts_with = "file")]
        content: Option<String>,
        /// 从文件读取正文
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
        /// AI 配置文件（默认：当前目录的 govmedia.toml，否则使用内置配置档）
        #[arg(long, value_name = "FILE")]
        ai_config: Option<PathBuf>,
    },
    /// 持续监测：按计划采集订阅源与开放接口、复查文章删除、重新评估，并向企业微信、钉钉、飞书、邮件、Webhook 发送告警
    #[command(long_about = "持续监测。\n\n\
        配置文件（monitor.toml）列出采集器订阅源（[[feed]]）与授权开放接口的公众号（[[wechat]]），各有采集间隔与时间窗口；\
        每轮采集到期的来源，判断采集器是否失效（全部订阅源同时停更时报告“采集源失效”，而不是账号停更），\
        以当天为检查日期重新评估，把状态变化（新发、升级、解除）写入告警发件箱并发送。\
        进程在任何时刻被终止都不会丢失或重复告警状态：下一轮发送尚未发出的告警。\
        同一数据库上的多个监测进程每次只有一个运行轮次，其余的跳过该轮。")]
    Monitor {
        /// 监测配置文件
        #[arg(long, value_name = "FILE", default_value = "monitor.toml")]
        config: PathBuf,
        /// 只运行一轮后退出
        #[arg(long)]
        once: bool,
        /// 以该时间为“现在”（RFC 3339；用于演练与测试）
        #[arg(long, value_name = "TIME")]
        now: Option<chrono::DateTime<chrono::Utc>>,
        #[command(flatten)]
        db: DbArg,
    },
    /// 启动网页服务：评估概览、排名、账号诊断、问题审核、报告下载与 JSON 接口（/api/v1）
    #[command(
        long_about = "启动网页服务（中文界面与 /api/v1 JSON 接口），与命令行共用同一数据库（SQLite 或 PostgreSQL）。\n\n\
        先用 govmedia user add 创建管理员，再在浏览器中登录。管理员管理用户；评估人员查看全部账号、发起评估、审核问题；\
        监管单位查看其行政区划内的账号；运营单位只查看本单位账号，可将问题标记为已整改并申请复查（服务进程内重新评估）。"
    )]
    Serve {
        /// 监听地址
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        /// 会话 Cookie 加 Secure 标记（经 HTTPS 反向代理提供服务时使用）
        #[arg(long)]
        secure_cookies: bool,
        /// 不在本进程内执行复查与评估请求（由其他进程执行）
        #[arg(long)]
        no_evaluate: bool,
        /// 评估输出目录（govmedia evaluate/survey 的 --out）：在问题证据中显示其 evidence/ 下的手机截图
        #[arg(long, value_name = "DIR")]
        evidence: Option<PathBuf>,
        /// 在服务进程内按此监测配置持续采集、重新评估并发送告警（同 govmedia monitor）
        #[arg(long, value_name = "FILE")]
        monitor: Option<PathBuf>,
        #[command(flatten)]
        db: DbArg,
    },
    /// 管理网页服务的用户
    User {
        #[command(subcommand)]
        action: commands::serve::UserAction,
        #[command(flatten)]
        db: DbArg,
    },
    /// 为脚本创建、列出、吊销 API 令牌（Authorization: Bearer 令牌）
    Token {
        #[command(subcommand)]
        action: commands::serve::TokenAction,
        #[command(flatten)]
        db: DbArg,
    },
    /// 查看数据库中记录的历次评估，或导出某次评估的结果
    Runs {
        #[command(subcommand)]
        action: Option<RunsAction>,
        #[command(flatten)]
        db: DbArg,
    },
    /// 生成确定性的示例调查数据（生成的数值均有标记）
    Generate {
        /// 规模：sample（示例）、national-2025（全国调查规模：682 个账号、约 3 万篇文章）
        /// 或 world（问题识别准确率评测世界：每个问题代码均植入已知账号，并配有近似的干净案例）
        #[arg(long, default_value = "sample")]
        scale: govmedia_sample::Scale,
        /// 随机种子
        #[arg(long, default_value_t = govmedia_sample::DEFAULT_SEED)]
        seed: u64,
        /// 按全国调查的分布生成该数量的账号（代替 --scale；超过 682 个时依次加入各区县政府及其民生领域部门）
        #[arg(long, value_name = "N", requires = "articles_per_account")]
        accounts: Option<usize>,
        /// 与 --accounts 一起：每个账号的平均文章数（各账号按其发布节奏分配）
        #[arg(long, value_name = "M", requires = "accounts")]
        articles_per_account: Option<usize>,
        /// 输出目录
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// 按数据集中植入的问题（账号记录的 planted、near_miss）逐个问题代码统计精确率与召回率
    Measure {
        /// 数据集目录（如 govmedia generate --scale world 生成的评测世界）
        #[arg(long, value_name = "DATASET")]
        data: PathBuf,
        /// 该数据集的评估结果 results.json
        #[arg(long, value_name = "FILE")]
        results: PathBuf,
        /// 另列出每个误报（FP）与漏报（FN）的账号
        #[arg(long)]
        details: bool,
    },
}

#[derive(Subcommand)]
enum RunsAction {
    /// 列出历次评估（默认）
    List,
    /// 等待一次分布式评估（evaluate --distributed）完成并写出结果：发起评估的进程中断后用它接着汇总
    Wait {
        /// 评估编号（见 govmedia runs）
        id: i64,
        /// 输出目录
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// 把某次评估的结果写出为 results.json 与 rankings.csv
    Export {
        /// 评估编号（见 govmedia runs）
        id: i64,
        /// 输出目录
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

/// glibc malloc locks its arena when one thread frees what another allocated, which the import
/// does for every article (parsed on one thread, stored on the other): mimalloc does not.
/// Built without transparent huge pages (`no_thp`): with them, every page mimalloc takes back
/// from the kernel came as a 2 MB page to zero — a quarter of the import's time in the profile.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Import { dataset, db, skip_invalid } => {
            commands::import::run(&dataset, &db.spec(), skip_invalid)
        }
        Command::Accounts { action, filter, db } => commands::list::accounts(&db.spec(), action, &filter),
        Command::Articles { account, from, to, db } => {
            commands::list::articles(&db.spec(), account, from, to)
        }
        Command::Stats { db, json } => commands::stats::run(&db.spec(), json),
        Command::Evaluate { db, opts, distributed, out } => {
            commands::evaluate::run(&db.spec(), &opts, &distributed, &out)
        }
        Command::Worker { db, concurrency, lease, exit_when_idle } => {
            commands::worker::run(&db.spec(), concurrency, lease, exit_when_idle)
        }
        Command::Report { results, out } => commands::report::run(&results, &out),
        Command::Survey { dataset, out, db, opts } => {
            let db = StoreSpec::resolve(db.as_deref(), &out.join(govmedia_store_api::DEFAULT_DB));
            commands::survey::run(&dataset, &out, &db, &opts)
        }
        Command::FetchPages { dataset, db, opts } => commands::fetch_pages::run(&db.spec(), &dataset, &opts),
        Command::Framework { action } => commands::framework::run(action),
        Command::Monitor { config, once, now, db } => commands::monitor::run(&db.spec(), &config, once, now),
        Command::Serve { listen, secure_cookies, no_evaluate, evidence, monitor, db } => {
            commands::serve::serve(
                &db.spec(),
                listen,
                secure_cookies,
                !no_evaluate,
                evidence,
                monitor.as_deref(),
            )
        }
        Command::User { action, db } => commands::serve::user(&db.spec(), action),
        Command::Token { action, db } => commands::serve::token(&db.spec(), action),
        Command::Runs { action, db } => match action.unwrap_or(RunsAction::List) {
            RunsAction::List => commands::runs::list(&db.spec()),
            RunsAction::Wait { id, out } => commands::runs::wait(&db.spec(), id, &out),
            RunsAction::Export { id, out } => commands::runs::export(&db.spec(), id, &out),
        },
        Command::Generate { scale, seed, accounts, articles_per_account, out } => {
            let size = accounts.zip(articles_per_account).map(|(accounts, articles_per_account)| {
                govmedia_sample::Size { accounts, articles_per_account }
            });
            commands::generate::run(scale, seed, size, &out)
        }
        Command::Measure { data, results, details } => commands::measure::run(&data, &results, details),
        Command::Classify { file, opts } => commands::classify::run(&file, &opts),
        Command::AiCheck { profile, title, content, file, ai_config } => {
            let args = commands::ai::AiArgs { ai: None, ai_config };
            commands::ai::check_one(&args, &profile, &title, content, file.as_deref())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::from(1)
        }
    }
}

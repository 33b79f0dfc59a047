//! `govmedia serve`, `govmedia user …` and `govmedia token …`: the web service and its
//! users.

use std::io::BufRead;
use std::net::SocketAddr;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use govmedia_pipeline::StoreSpec;
use govmedia_server::ServerConfig;
use govmedia_store_api::Role;

/// The environment variable a password may come from (instead of `--password-stdin`).
const PASSWORD_ENV: &str = "GOVMEDIA_PASSWORD";

#[derive(Subcommand)]
pub enum UserAction {
    /// 添加用户（密码从标准输入读取：--password-stdin，或环境变量 GOVMEDIA_PASSWORD）
    Add {
        /// 用户名
        name: String,
        /// 角色：admin（管理员）、evaluator（评估人员）、supervisor（监管单位）、operator（运营单位）
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// 监管单位的行政区划（代码或名称，可重复；省级代码涵盖其下的市、县）
        #[arg(long = "region", value_name = "CODE")]
        regions: Vec<String>,
        /// 运营单位的账号 ID（可重复）
        #[arg(long = "account", value_name = "ID")]
        accounts: Vec<String>,
        /// 从标准输入读取密码（一行）
        #[arg(long)]
        password_stdin: bool,
        /// 不设密码（只用 API 令牌的脚本用户）
        #[arg(long, conflicts_with = "password_stdin")]
        no_password: bool,
    },
    /// 设置用户密码（并解除锁定）
    Passwd {
        name: String,
        /// 从标准输入读取密码（一行）
        #[arg(long)]
        password_stdin: bool,
    },
    /// 列出用户
    List,
}

#[derive(Subcommand)]
pub enum TokenAction {
    /// 创建令牌并显示一次（数据库只保存其哈希）
    Create {
        /// 用户名
        #[arg(long)]
        user: String,
        /// 用途说明
        #[arg(long, default_value = "script")]
        label: String,
    },
    /// 列出 API 令牌（标识、用户、用途、创建时间；不含令牌本身）
    List {
        /// 只列出此用户的令牌
        #[arg(long)]
        user: Option<String>,
    },
    /// 吊销 API 令牌：使用它的脚本从下一次请求起被拒绝
    Revoke {
        /// `token list` 所列的令牌标识（至少 8 位）
        id: String,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| format!("未知角色“{s}”：应为 admin、evaluator、supervisor 或 operator"))
}

pub fn serve(
    db: &StoreSpec,
    listen: SocketAddr,
    secure_cookies: bool,
    evaluate: bool,
    evidence: Option<std::path::PathBuf>,
    monitor: Option<&std::path::Path>,
) -> Result<()> {
    let monitor = monitor.map(govmedia_pipeline::monitor::MonitorConfig::load).transpose()?;
    tracing_subscriber::fmt()
        .with_max_level(tracing_subscriber::filter::LevelFilter::INFO)
        .with_writer(std::io::stderr)
        .init();
    let config = ServerConfig { db: db.clone(), listen, secure_cookies, evaluate, evidence, monitor };
    govmedia_server::serve(config, |addr| {
        eprintln!("govmedia 网页服务已启动：http://{addr}/ （按 Ctrl-C 停止）");
    })?;
    eprintln!("网页服务已停止");
    Ok(())
}

/// The password from `GOVMEDIA_PASSWORD` or one line of standard input (never an argument:
/// arguments show in the process list).
fn read_password(from_stdin: bool) -> Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).context("无法从标准输入读取密码")?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    match std::env::var(PASSWORD_ENV) {
        Ok(p) if !p.is_empty() => Ok(p),
        _ => bail!("请用 --password-stdin 从标准输入提供密码，或设置环境变量 {PASSWORD_ENV}"),
    }
}

pub fn user(db: &StoreSpec, action: UserAction) -> Result<()> {
    let mut store = govmedia_pipeline::open_store(db)?;
    match action {
        UserAction::Add { name, role, regions, accounts, password_stdin, no_password } => {
            let password = if no_password { None } else { Some(read_password(password_stdin)?) };
            let user = govmedia_server::users::add_user(
                &mut *store,
                &name,
                role,
                &regions,
                &accounts,
                password.as_deref(),
                None,
            )?;
            println!("已添加用户“{}”（{}）", user.name, user.role.label());
        }
        UserAction::Passwd { name, password_stdin } => {
            let password = read_password(password_stdin)?;
            govmedia_server::users::set_password(&mut *store, &name, &password, None)?;
            println!("已设置用户“{name}”的密码");
        }
        UserAction::List => {
            println!("用户名\t角色\t地区\t账号\t状态");
            for u in store.users()? {
                let state = if u.disabled {
                    "已停用"
                } else if u.locked_until.is_some() {
                    "已锁定"
                } else {
                    "正常"
                };
                println!(
                    "{}\t{}\t{}\t{}\t{state}",
                    u.name,
                    u.role.label(),
                    u.regions.join(","),
                    u.accounts.join(",")
                );
            }
        }
    }
    Ok(())
}

pub fn token(db: &StoreSpec, action: TokenAction) -> Result<()> {
    let mut store = govmedia_pipeline::open_store(db)?;
    match action {
        TokenAction::Create { user, label } => {
            let secret = govmedia_server::users::create_token(&mut *store, &user, &label, None)?;
            let id = &govmedia_server::auth::secret_hash(&secret)[..govmedia_server::users::TOKEN_ID_LEN];
            eprintln!("已为用户“{user}”创建令牌 {id}（令牌只显示这一次，请妥善保存）：");
            println!("{secret}");
        }
        TokenAction::List { user } => {
            let tokens = govmedia_server::users::tokens(&mut *store, user.as_deref())?;
            println!("标识\t用户\t用途\t创建时间");
            for t in tokens {
                println!("{}\t{}\t{}\t{}", t.id, t.user, t.label, t.created_at);
            }
        }
        TokenAction::Revoke { id } => {
            let t = govmedia_server::users::revoke_token(&mut *store, &id, None)?;
            println!("已吊销用户“{}”的令牌 {}（{}）", t.user, t.id, t.label);
        }
    }
    Ok(())
}

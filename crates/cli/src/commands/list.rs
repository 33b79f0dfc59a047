//! `govmedia accounts` and `govmedia articles`

use anyhow::{Context, Result};
use chrono::{Days, NaiveDate};
use clap::{Args, Subcommand};
use govmedia_model::time::start_of_day;
use govmedia_model::{Field, Level};
use govmedia_pipeline::StoreSpec;
use govmedia_store_api::{AccountFilter, ArticleFilter};

#[derive(Subcommand)]
pub enum AccountsAction {
    /// 列出账号（默认）
    List,
    /// 查看一个账号的全部信息（JSON）
    Show {
        /// 账号 ID 或 __biz
        id: String,
    },
}

#[derive(Args)]
pub struct AccountFilterArgs {
    /// 层级：ministry、province、province_dept、prefecture、county、other
    #[arg(long)]
    level: Option<Level>,
    /// 地区代码前缀（如 31 表示上海）或地区名称
    #[arg(long)]
    region: Option<String>,
    /// 民生领域（如 教育、税务）
    #[arg(long)]
    field: Option<Field>,
}

pub fn accounts(db: &StoreSpec, action: Option<AccountsAction>, f: &AccountFilterArgs) -> Result<()> {
    let mut store = govmedia_pipeline::open_store(db)?;
    let mut store = store.snapshot()?;
    match action.unwrap_or(AccountsAction::List) {
        AccountsAction::Show { id } => {
            let a = store.account(&id)?.with_context(|| format!("未找到账号“{id}”"))?;
            println!("{}", serde_json::to_string_pretty(&a)?);
        }
        AccountsAction::List => {
            let filter = AccountFilter { level: f.level, region: f.region.clone(), field: f.field };
            let list = store.accounts(&filter)?;
            println!("ID\t名称\t主办单位\t层级\t地区\t领域\t状态");
            for a in &list {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    a.id,
                    a.name,
                    a.owner,
                    a.level.label(),
                    a.region.as_deref().unwrap_or("-"),
                    a.field.map_or("-", |f| f.as_str()),
                    a.status.label()
                );
            }
            eprintln!("共 {} 个账号", list.len());
        }
    }
    Ok(())
}

pub fn articles(
    db: &StoreSpec,
    account: Option<String>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<()> {
    let mut store = govmedia_pipeline::open_store(db)?;
    let mut store = store.snapshot()?;
    let filter = ArticleFilter {
        account,
        from: from.map(start_of_day),
        until: to.and_then(|d| d.checked_add_days(Days::new(1))).map(start_of_day),
        without_comments: true,
        without_bodies: true,
    };
    let list = store.articles(&filter)?;
    println!("发布时间\t账号\t位置\t原创\t阅读\t标题\tURL");
    for a in &list {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            a.published_at.format("%Y-%m-%d %H:%M"),
            a.account,
            a.position.map_or("-".into(), |p| p.to_string()),
            match a.original {
                Some(true) => "是",
                Some(false) => "否",
                None => "-",
            },
            a.reads.map_or("-".into(), |r| if r.capped { "10万+".into() } else { r.value.to_string() }),
            a.title,
            a.url
        );
    }
    eprintln!("共 {} 篇文章", list.len());
    Ok(())
}

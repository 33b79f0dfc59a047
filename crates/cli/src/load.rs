//! Loads what an evaluation reads from the store into a [`Survey`].

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, Result};
use chrono::{Days, NaiveDate};
use govmedia_checks::{AccountData, Survey};
use govmedia_model::time::{local_date, start_of_day};
use govmedia_model::{Period, SurveyConfig};
use govmedia_store::{AccountFilter, ArticleFilter, Store};

/// What the command line says about the period; unset values come from survey.toml, then
/// from the data.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub check_date: Option<NaiveDate>,
    pub offline: bool,
    pub dataset: Option<PathBuf>,
}

/// Loads every account with its articles up to the check date and its latest menu.
pub fn load_survey(store: &Store, scope: &Scope) -> Result<(Survey, SurveyConfig)> {
    let (config, dataset) = store.survey()?;
    let accounts = store.accounts(&AccountFilter::default())?;
    anyhow::ensure!(
        !accounts.is_empty(),
        "数据库 {} 中没有账号：请先运行 govmedia import DATASET",
        store.path().display()
    );
    let stats = store.stats()?;
    let parse = |s: &Option<String>| s.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let from = scope.from.or(config.period.map(|p| p.from)).or_else(|| parse(&stats.first_published));
    let to = scope.to.or(config.period.map(|p| p.to)).or_else(|| parse(&stats.last_published));
    let (Some(from), Some(to)) = (from, to) else {
        anyhow::bail!("无法确定评估周期：请在 survey.toml 中设置 period，或使用 --from/--to");
    };
    anyhow::ensure!(from <= to, "评估周期起点 {from} 晚于终点 {to}");
    let period = Period { from, to };
    let check_date = scope
        .check_date
        .or(config.check_date)
        .or_else(|| to.checked_add_days(Days::new(1)))
        .context("无法确定检查日期")?;
    let until = start_of_day(check_date);

    let mut by_account: BTreeMap<String, AccountData> = accounts
        .into_iter()
        .map(|a| (a.id.clone(), AccountData { account: a, articles: Vec::new(), menu: None }))
        .collect();
    for article in store.articles(&ArticleFilter { until: Some(until), ..ArticleFilter::default() })? {
        if let Some(acc) = by_account.get_mut(&article.account) {
            acc.articles.push(article);
        }
    }
    for m in store.menus(None)? {
        if local_date(&m.captured_at) <= check_date
            && let Some(acc) = by_account.get_mut(&m.account)
        {
            acc.menu = Some(m);
        }
    }
    let pages = store.pages()?.into_iter().map(|p| (p.url.clone(), p)).collect();
    let survey = Survey {
        name: config.name.clone(),
        period,
        check_date,
        accounts: by_account.into_values().collect(),
        events: store.events()?,
        pages,
        dataset_dir: scope.dataset.clone().or(dataset.map(PathBuf::from)),
        offline: scope.offline,
        generated_data: config.generated.unwrap_or(false),
    };
    Ok((survey, config))
}

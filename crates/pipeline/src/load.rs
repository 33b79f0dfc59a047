//! Loads what an evaluation reads from a store into a [`Survey`], from one consistent state.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use govmedia_checks::{AccountData, Survey};
use govmedia_model::{Period, SurveyConfig};
use govmedia_store_api::{AccountFilter, ArticleFilter, Store};

use crate::scope::Scope;
use crate::{Error, Result};

/// A survey loaded for evaluation, with the survey.toml it came with.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub survey: Survey,
    pub config: SurveyConfig,
}

/// Loads every account with its articles published before the check date's 00:00 and its
/// latest menu captured on or before the check date ([`Scope`] says how the period and check
/// date are found). Everything is read in one read transaction: an import that commits
/// meanwhile is either wholly in the survey or not at all.
///
/// `dataset` overrides the dataset directory recorded at import (where page bodies are);
/// `offline` forbids the network in the checks.
pub fn load_survey(
    store: &mut dyn Store,
    scope: &Scope,
    dataset: Option<PathBuf>,
    offline: bool,
) -> Result<Loaded> {
    let location = store.location().to_owned();
    let mut read = store.snapshot()?;
    let (config, recorded_dataset) = read.survey()?;
    let accounts = read.accounts(&AccountFilter::default())?;
    if accounts.is_empty() {
        return Err(Error::Invalid(format!(
            "数据库 {location} 中没有账号：请先运行 govmedia import DATASET"
        )));
    }
    let (first, last) = read.published_span()?;
    let date = |s: &Option<String>| s.as_deref().and_then(|d| d.parse::<NaiveDate>().ok());
    let data = match (date(&first), date(&last)) {
        (Some(from), Some(to)) => Some(Period { from, to }),
        _ => None,
    };
    let resolved = scope.resolve(&config, data)?;

    let mut by_account: BTreeMap<String, AccountData> = accounts
        .into_iter()
        .map(|a| (a.id.clone(), AccountData { account: a, articles: Vec::new(), menu: None }))
        .collect();
    let filter = ArticleFilter { until: Some(resolved.article_cutoff()), ..ArticleFilter::default() };
    for article in read.articles(&filter)? {
        if let Some(acc) = by_account.get_mut(&article.account) {
            acc.articles.push(article);
        }
    }
    // Menus come by capture time: the last one in time wins.
    for m in read.menus(None)? {
        if resolved.captured_in_time(&m.captured_at)
            && let Some(acc) = by_account.get_mut(&m.account)
        {
            acc.menu = Some(m);
        }
    }
    let pages = read.pages()?.into_iter().map(|p| (p.url.clone(), p)).collect();
    let survey = Survey {
        name: config.name.clone(),
        period: resolved.period,
        check_date: resolved.check_date,
        accounts: by_account.into_values().collect(),
        events: read.events()?,
        pages,
        dataset_dir: dataset.or(recorded_dataset.map(PathBuf::from)),
        offline,
        generated_data: config.generated.unwrap_or(false),
    };
    Ok(Loaded { survey, config })
}

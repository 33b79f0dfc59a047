//! Turns a generated dataset into the Survey the engine reads (what the store's loader does
//! for the CLI): articles grouped per account, oldest first, up to the check date; the latest
//! menu snapshot not after the check date.

use std::collections::HashMap;

use chrono::Days;
use govmedia_checks::{AccountData, Survey};
use govmedia_model::time::start_of_day;
use govmedia_sample::Dataset;

pub fn survey_from(ds: Dataset) -> Survey {
    let period = ds.config.period.expect("generated surveys have a period");
    let check_date = ds.config.effective_check_date().expect("check date");
    let end = start_of_day(check_date + Days::new(1));
    let mut articles: HashMap<String, Vec<_>> = HashMap::new();
    for a in ds.articles.into_iter().filter(|a| a.published_at < end) {
        articles.entry(a.account.clone()).or_default().push(a);
    }
    let mut menus: HashMap<String, govmedia_model::MenuSnapshot> = HashMap::new();
    for m in ds.menus.into_iter().filter(|m| m.captured_at < end) {
        match menus.get(&m.account) {
            Some(old) if old.captured_at >= m.captured_at => {}
            _ => {
                menus.insert(m.account.clone(), m);
            }
        }
    }
    let accounts = ds
        .accounts
        .into_iter()
        .map(|account| {
            let mut list = articles.remove(&account.id).unwrap_or_default();
            list.sort_by(|a, b| a.published_at.cmp(&b.published_at).then(a.url.cmp(&b.url)));
            let menu = menus.remove(&account.id);
            AccountData { account, articles: list, menu }
        })
        .collect();
    Survey {
        name: ds.config.name.clone(),
        period,
        check_date,
        accounts,
        events: ds.events,
        pages: ds.pages.into_iter().map(|p| (p.url.clone(), p)).collect(),
        dataset_dir: None,
        offline: true,
        generated_data: true,
    }
}

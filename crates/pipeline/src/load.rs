//! Loads what an evaluation reads from a store, from one consistent state: the survey itself
//! ([`read_survey`]), then its accounts' articles and menus a chunk at a time
//! ([`StoreAccounts`]) or all at once ([`load_survey`]).

use std::path::PathBuf;

use chrono::NaiveDate;
use govmedia_checks::{AccountData, AccountSource, PassError, Survey, Visit};
use govmedia_model::{Period, SurveyConfig};
use govmedia_store_api::{AccountFilter, ArticleFilter, Store, SurveyRead};

use crate::scope::{Resolved, Scope};
use crate::{Error, Result};

/// Accounts are read until a chunk holds this many articles (or [`CHUNK_ACCOUNTS`] accounts):
/// about 25 MB of articles, so that memory does not grow with the corpus while each chunk
/// still keeps both cores busy. Three chunks are in memory at once (see
/// [`StoreAccounts::for_each_chunk`]); larger chunks only raise the peak.
const CHUNK_ARTICLES: usize = 3_000;
const CHUNK_ACCOUNTS: usize = 1_000;

/// A survey read from a store, with the survey.toml it came with and the rule that picks its
/// articles and menus.
#[derive(Debug, Clone)]
pub struct Header {
    pub survey: Survey,
    pub config: SurveyConfig,
    pub(crate) resolved: Resolved,
}

/// A survey with every account's data in memory.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub survey: Survey,
    pub accounts: Vec<AccountData>,
    pub config: SurveyConfig,
}

/// Reads the survey from `read`: its description, period and check date ([`Scope`] says how
/// they are found), the roster of accounts, events and page snapshots; not the articles.
///
/// `dataset` overrides the dataset directory recorded at import (where page bodies are);
/// `offline` forbids the network in the checks. `location` names the store in messages.
pub fn read_survey(
    read: &mut dyn SurveyRead,
    location: &str,
    scope: &Scope,
    dataset: Option<PathBuf>,
    offline: bool,
) -> Result<Header> {
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
    let pages = read.pages()?.into_iter().map(|p| (p.url.clone(), p)).collect();
    let survey = Survey {
        name: config.name.clone(),
        period: resolved.period,
        check_date: resolved.check_date,
        accounts,
        events: read.events()?,
        pages,
        dataset_dir: dataset.or(recorded_dataset.map(PathBuf::from)),
        offline,
        generated_data: config.generated.unwrap_or(false),
    };
    Ok(Header { survey, config, resolved })
}

/// The accounts of a survey read from a store snapshot, a chunk at a time: each account with
/// its articles published before the check date's 00:00 and its latest menu captured on or
/// before the check date.
pub struct StoreAccounts<'r> {
    read: &'r mut dyn SurveyRead,
    header: &'r Header,
    /// Articles are read without their bodies (see [`AccountSource::leave_out_bodies`]).
    without_bodies: bool,
}

impl<'r> StoreAccounts<'r> {
    pub fn new(read: &'r mut dyn SurveyRead, header: &'r Header) -> Self {
        StoreAccounts { read, header, without_bodies: false }
    }

    /// The accounts `ids` of the roster, in the order given.
    pub fn read(&mut self, ids: &[String]) -> Result<Vec<AccountData>> {
        let roster: std::collections::HashMap<&str, &govmedia_model::Account> =
            self.header.survey.accounts.iter().map(|a| (a.id.as_str(), a)).collect();
        ids.iter()
            .map(|id| match roster.get(id.as_str()) {
                Some(a) => self.account(a),
                None => Err(Error::Invalid(format!("账号 {id} 不在调查名单中"))),
            })
            .collect()
    }

    fn account(&mut self, account: &govmedia_model::Account) -> Result<AccountData> {
        let filter = ArticleFilter {
            account: Some(account.id.clone()),
            until: Some(self.header.resolved.article_cutoff()),
            without_bodies: self.without_bodies,
            ..ArticleFilter::default()
        };
        let articles = self.read.articles(&filter)?;
        // Menus come by capture time: the last one in time wins.
        let menu = self
            .read
            .menus(Some(&account.id))?
            .into_iter()
            .rfind(|m| self.header.resolved.captured_in_time(&m.captured_at));
        Ok(AccountData { account: account.clone(), articles, menu })
    }
}

impl AccountSource for StoreAccounts<'_> {
    /// Reads the next chunk while the current one is visited on a second thread, so that
    /// reading (queries, decoding) overlaps the checks' work. Memory holds at most three
    /// chunks: visited, waiting and being read.
    fn for_each_chunk(&mut self, visit: &mut Visit<'_>) -> std::result::Result<(), PassError> {
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<AccountData>>(1);
        std::thread::scope(|scope| {
            let visitor = scope.spawn(move || receive.iter().try_for_each(|chunk| visit(&chunk)));
            // A visit that fails drops the receiver: reading stops at the next chunk.
            let read = self.read_chunks(|chunk| send.send(chunk).is_ok());
            drop(send);
            let visited = visitor.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            visited.and(read.map_err(|e| PassError::Read(e.to_string())))
        })
    }

    fn leave_out_bodies(&mut self) {
        self.without_bodies = true;
    }
}

impl StoreAccounts<'_> {
    /// Reads the roster's accounts in chunks, handing each to `take` until it returns false.
    fn read_chunks(&mut self, mut take: impl FnMut(Vec<AccountData>) -> bool) -> Result<()> {
        let mut chunk: Vec<AccountData> = Vec::new();
        let mut articles = 0;
        for account in &self.header.survey.accounts {
            let data = self.account(account)?;
            articles += data.articles.len();
            chunk.push(data);
            if articles >= CHUNK_ARTICLES || chunk.len() >= CHUNK_ACCOUNTS {
                if !take(std::mem::take(&mut chunk)) {
                    return Ok(());
                }
                articles = 0;
            }
        }
        if !chunk.is_empty() {
            take(chunk);
        }
        Ok(())
    }
}

/// Loads the survey with every account's data into memory, from one read transaction (an
/// import that commits meanwhile is either wholly in the survey or not at all). For the
/// tools that need the whole corpus at once (fetch-pages) and small surveys; evaluation
/// streams instead.
pub fn load_survey(
    store: &mut dyn Store,
    scope: &Scope,
    dataset: Option<PathBuf>,
    offline: bool,
) -> Result<Loaded> {
    let location = store.location().to_owned();
    let mut read = store.snapshot()?;
    let header = read_survey(&mut *read, &location, scope, dataset, offline)?;
    let mut accounts = Vec::with_capacity(header.survey.accounts.len());
    StoreAccounts::new(&mut *read, &header)
        .for_each_chunk(&mut |chunk| {
            accounts.extend_from_slice(chunk);
            Ok(())
        })
        .map_err(|e| Error::Invalid(e.to_string()))?;
    let Header { survey, config, .. } = header;
    Ok(Loaded { survey, accounts, config })
}

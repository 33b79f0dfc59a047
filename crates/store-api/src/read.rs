//! Reads: what the loader, the listings and the server ask of a store.

use govmedia_model::{
    Account, Article, Event, Field, Level, MenuSnapshot, PageSnapshot, SurveyConfig, Timestamp,
};

use crate::{Result, Stats};

/// Which accounts to list. Empty means all.
#[derive(Debug, Clone, Default)]
pub struct AccountFilter {
    pub level: Option<Level>,
    /// A region code prefix (`31` matches every Shanghai code) or an exact region name.
    pub region: Option<String>,
    pub field: Option<Field>,
}

/// Which articles to load. Empty means all.
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    pub account: Option<String>,
    /// Published at or after.
    pub from: Option<Timestamp>,
    /// Published before.
    pub until: Option<Timestamp>,
    /// Leave comments out (faster, for listings).
    pub without_comments: bool,
    /// Leave the bodies (`content`, `content_html`) out: both are `None` in the articles
    /// returned (faster, for a pass that does not read them).
    pub without_bodies: bool,
}

/// Reads of one consistent state (see [`crate::Store::snapshot`]). Every list comes back in
/// the order each method names, the same on every backend.
pub trait SurveyRead {
    /// The survey description of the last imported dataset, and that dataset's path.
    fn survey(&mut self) -> Result<(SurveyConfig, Option<String>)>;

    /// Accounts matching `filter`, by id.
    fn accounts(&mut self, filter: &AccountFilter) -> Result<Vec<Account>>;

    /// One account by id or `__biz` (the id wins when both match).
    fn account(&mut self, key: &str) -> Result<Option<Account>>;

    /// Articles matching `filter`, by account, then publish time, then URL; comments attached
    /// in their stored order (unless `without_comments`), bodies included (unless
    /// `without_bodies`). Everything else reads the same with or without bodies.
    fn articles(&mut self, filter: &ArticleFilter) -> Result<Vec<Article>>;

    /// Menu snapshots (of one account or all), by account and capture time.
    fn menus(&mut self, account: Option<&str>) -> Result<Vec<MenuSnapshot>>;

    /// Every event, by time, then id.
    fn events(&mut self) -> Result<Vec<Event>>;

    /// Every page snapshot, by URL.
    fn pages(&mut self) -> Result<Vec<PageSnapshot>>;

    /// Counts over the whole store.
    fn stats(&mut self) -> Result<Stats>;

    /// The first and last publish dates of the stored articles, as in [`Stats`], without the
    /// other counts (which read every article).
    fn published_span(&mut self) -> Result<(Option<String>, Option<String>)>;
}

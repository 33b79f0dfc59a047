//! Readers for every input format, each producing the same [`Record`]s.
//!
//! One module per format. A reader turns one file into records or a [`RecordError`] naming
//! the file, line and field; the import driver ([`import`]) writes each file's records in one
//! store transaction, so a bad file or a kill leaves the store as it was before that file.

use std::fmt;
use std::path::{Path, PathBuf};

use govmedia_model::{Account, Article, Event, MenuSnapshot, PageSnapshot};

pub mod canonical;
pub mod feed;
pub mod history;
pub mod import;
pub mod input;
mod text;
pub mod wechat_page;
pub mod xlsx;

pub use import::{FileReport, ImportError, ImportOptions, ImportReport, import_dataset, import_records};

/// One thing read from an input file.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// An account as the input describes it: inserted or replaced.
    Account(Account),
    /// An account the input only implies (a feed's channel, a page's nickname): inserted
    /// when no account with this id (or `__biz`) exists, otherwise ignored.
    AccountIfMissing(Account),
    /// A government app with the store listings of one input row: its listings are merged
    /// into those already stored (a listing replaces the stored one of the same store), so
    /// rows per store add up and importing a file twice changes nothing.
    AppListings(Account),
    /// Facts from a "关于公众号" page, merged into the existing account (matched by `biz`
    /// or id).
    AccountAbout(AccountAbout),
    /// `article.account` may be an account id or a `__biz`: the driver resolves it.
    Article(Article),
    Menu(MenuSnapshot),
    Event(Event),
    Page(PageSnapshot),
}

/// What a "关于公众号" page says about an account.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AccountAbout {
    pub biz: String,
    pub name: Option<String>,
    pub verification_type: Option<String>,
    pub verified_subject: Option<String>,
    pub former_names: Vec<String>,
    pub ip_location: Option<String>,
    pub intro: Option<String>,
}

/// A rejected input: `FILE:LINE: field: reason` (line and field when known).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    pub file: PathBuf,
    pub line: Option<u64>,
    pub field: Option<String>,
    pub reason: String,
}

impl RecordError {
    pub fn new(file: &Path, line: Option<u64>, field: Option<&str>, reason: impl Into<String>) -> Self {
        RecordError { file: file.to_owned(), line, field: field.map(str::to_owned), reason: reason.into() }
    }

    /// A whole-file error (`FILE: reason`).
    pub fn file(file: &Path, reason: impl Into<String>) -> Self {
        Self::new(file, None, None, reason)
    }
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        write!(f, ": {}", self.reason)
    }
}

impl std::error::Error for RecordError {}

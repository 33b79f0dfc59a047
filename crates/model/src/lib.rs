//! The vocabulary of govmedia.
//!
//! Every other crate speaks in these types: what is collected (accounts, articles, comments,
//! menu snapshots, events, page snapshots), what is found (findings with stable codes) and
//! what is written out (the `results.json` contract). Nothing here does I/O.

pub mod account;
pub mod article;
pub mod event;
pub mod finding;
pub mod menu;
pub mod page;
pub mod progress;
pub mod results;
mod serde_util;
pub mod survey;
pub mod time;

pub use account::{
    Account, AccountStatus, DailyFigures, Field, Kind, Level, Platform, StoreListing, WechatInputs,
    WeiboInputs,
};
pub use article::{Article, Comment, Media, Reads, Reply};
pub use event::{Event, EventKind, EventScope};
pub use finding::{Evidence, Finding, FindingCode, Severity};
pub use menu::{Menu, MenuDiff, MenuItem, MenuSnapshot, MenuTarget};
pub use page::{FetchError, PageSnapshot};
pub use progress::{NoProgress, Progress};
pub use survey::{Period, SurveyConfig};
pub use time::Timestamp;

/// A value that could not be turned into a model type: the field it belongs to and why.
///
/// Importers add the file and line; this error only knows the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct FieldError {
    pub field: String,
    pub reason: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { field: field.into(), reason: reason.into() }
    }
}

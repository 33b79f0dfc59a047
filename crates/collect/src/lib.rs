//! Live collection: what govmedia fetches by itself, as opposed to the files `import` reads.
//!
//! [`feeds`] subscribes to the RSS, Atom and JSON feeds that self-hosted collectors (wewe-rss,
//! we-mp-rss, any RSS source) serve for WeChat accounts: conditional GET, politeness per host,
//! and an incremental import into the store. [`health`] tells a collector that lost its login
//! (every feed it serves stopped at once) from an account that went silent, so nobody is told
//! an account is dead when the collector is. [`deletions`] rechecks published articles and
//! marks those taken down since.

pub mod deletions;
pub mod feeds;
pub mod health;

pub use deletions::{Deletion, Recheck, recheck_articles};
pub use feeds::{FeedCollector, FeedOutcome, FeedReport, FeedSource, FeedState};
pub use health::{CollectorHealth, collector_health};

/// What stops a collection run (a feed that fails is reported in its outcome, not here).
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    #[error("无法创建 HTTP 客户端：{0}")]
    Client(String),
    #[error(transparent)]
    Store(#[from] govmedia_store_api::StoreError),
    #[error(transparent)]
    Import(#[from] govmedia_ingest::ImportError),
    #[error("采集任务无法运行：{0}")]
    Runtime(String),
}

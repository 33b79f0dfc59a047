//! A thin client of the WeChat Official Account Open API (微信公众号开放接口), for accounts whose
//! owners grant govmedia their AppID and AppSecret.
//!
//! It reads what an evaluation needs and nothing else: the custom menu, published and
//! mass-sent articles with their counters, comments, and the daily follower and reading
//! figures. [`sync_account`] does all of it for one account and a date range and returns
//! model records with a list of what could not be collected and why.
//!
//! What it takes care of: one access token per account shared by every process
//! ([`TokenCache`], refreshed ahead of expiry, refreshed once and the call retried once when
//! the platform rejects it); the `errcode` envelope in one place (daily quota, IP allow-list,
//! missing permission become distinct errors with Chinese messages); a per-account minimum
//! interval and daily budget; datacube ranges split to each endpoint's maximum span; bodies
//! whose UTF-8 was once read as Latin-1 repaired; the secret and tokens kept out of every
//! Debug output, error and log line ([`Secret`]).
//!
//! Credentials come from the environment: `GOVMEDIA_WECHAT_APPID_<KEY>` and
//! `GOVMEDIA_WECHAT_SECRET_<KEY>` ([`Credentials::from_env`]).

mod client;
pub mod comments;
mod credentials;
pub mod datacube;
mod endpoint;
mod envelope;
mod error;
mod fields;
pub mod freepublish;
pub mod menu;
pub mod merge;
pub mod mojibake;
mod pace;
mod sync;
mod token;

pub use client::{Client, ClientConfig, DatacubeSpans};
pub use comments::CommentList;
pub use credentials::{Credentials, Secret, env_names};
pub use datacube::{ArticleCounters, DailyFigures, DatacubeArticle};
pub use endpoint::Endpoint;
pub use error::WechatError;
pub use freepublish::{NewsItem, Publication, PublishPage};
pub use menu::{MenuCapture, MenuSource};
pub use sync::{NotCollected, SyncReport, sync_account};
pub use token::{CachedToken, MemoryTokenCache, TokenCache};

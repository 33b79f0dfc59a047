//! Alerts for `govmedia monitor`: a supervising office learns of an account going silent, a
//! broken service link or comments left unanswered when it changes, not from the next report.
//!
//! The flow of one monitoring round:
//! 1. [`Observation`]: the conditions that hold now, from an evaluation's
//!    [`Results`](govmedia_model::results::Results) by the [`Rules`] (data, with built-in
//!    defaults) and from the collector sources' state ([`SourceStatus`]).
//! 2. [`detect`]: compared with the persisted state, new conditions are raised, higher stages
//!    escalated, vanished ones resolved; state and outbox rows (one per routed sink) are
//!    written in one transaction ([`AlertStore`], [`SqliteAlertStore`]).
//! 3. [`Dispatcher`]: sends the outbox to 企业微信 / 钉钉 / 飞书 robots, e-mail and webhooks
//!    within rate limits, as digests when many are due, retrying with back-off.
//!
//! Time comes from a [`Clock`], so the whole flow runs on a [`ManualClock`] in tests.

pub mod alert;
pub mod clock;
pub mod condition;
pub mod error;
pub mod outbox;
pub mod postgres;
pub mod render;
pub mod routing;
pub mod rules;
pub mod sinks;
pub mod sqlite;
pub mod state;
pub mod store;

pub use alert::{Alert, Change};
pub use clock::{Clock, ManualClock, SystemClock};
pub use condition::{Condition, ConditionKey, Detail, LoginLost, Observation, SourceStatus, Subject};
pub use error::{ConfigError, SinkError, StoreError};
pub use outbox::{DeliveryReport, Dispatcher, Pass};
pub use postgres::PgAlertStore;
pub use routing::{Filter, Routing, SinkConfig, SinkKind, SmtpConfig, SmtpSecurity};
pub use rules::{Rule, Rules, Stage, Trigger};
pub use sqlite::SqliteAlertStore;
pub use state::detect;
pub use store::{AlertStore, Detection, OutboxCounts, Pending, StateRecord};

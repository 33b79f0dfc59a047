//! Is the collector alive? A self-hosted collector (wewe-rss, we-mp-rss …) reads WeChat through
//! a logged-in session; when the login expires — the most common complaint in those projects'
//! issue trackers — every feed it serves stops at once. One account's silence is the account's;
//! all of a collector's accounts silent together is the collector's, and must not be reported
//! as accounts gone dead.
//!
//! A collector is judged on its feeds' states ([`crate::FeedState`]):
//! - **lost** (`采集源失效`) when every one of its feeds failed in its last fetch with a refusal
//!   (HTTP 401/403), or when it serves at least [`MIN_FEEDS`] feeds and none of them has shown
//!   an item newer than `quiet_after` before `now` (governments publish daily; that many
//!   accounts together quiet for days is the collector's failure);
//! - **unknown** with one feed only, or before any fetch: the two cases cannot be told apart;
//! - **healthy** otherwise.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use govmedia_model::Timestamp;

use crate::{FeedSource, FeedState};

/// Feeds a collector needs before their common silence says something about it.
pub const MIN_FEEDS: usize = 2;

/// A collector's state, with its evidence.
#[derive(Debug, Clone, PartialEq)]
pub enum CollectorHealth {
    Healthy,
    /// 采集源失效: the collector (most likely its WeChat login) stopped; the accounts it feeds
    /// are not evaluated for silence until it recovers.
    Lost {
        /// The newest item any of its feeds has shown (none: never any).
        newest_item: Option<Timestamp>,
        feeds: usize,
        /// Why, in Chinese.
        reason: String,
    },
    /// Cannot be judged (one feed, or not fetched yet), with the reason.
    Unknown(String),
}

impl CollectorHealth {
    pub fn is_lost(&self) -> bool {
        matches!(self, CollectorHealth::Lost { .. })
    }
}

/// The health of every collector of `sources` (by [`FeedSource::collector_name`]), from the
/// feeds' states (same order as `sources`).
pub fn collector_health(
    sources: &[FeedSource],
    states: &[FeedState],
    now: DateTime<Utc>,
    quiet_after: Duration,
) -> BTreeMap<String, CollectorHealth> {
    let mut by_collector: BTreeMap<String, Vec<&FeedState>> = BTreeMap::new();
    for (s, st) in sources.iter().zip(states) {
        by_collector.entry(s.collector_name()).or_default().push(st);
    }
    by_collector
        .into_iter()
        .map(|(name, feeds)| {
            let health = judge(&feeds, now, quiet_after);
            (name, health)
        })
        .collect()
}

fn judge(feeds: &[&FeedState], now: DateTime<Utc>, quiet_after: Duration) -> CollectorHealth {
    if feeds.iter().all(|f| f.fetched_at.is_none()) {
        return CollectorHealth::Unknown("尚未采集".into());
    }
    let newest_item = feeds.iter().filter_map(|f| f.newest_item).max();
    let refused = feeds.iter().all(|f| matches!(f.status, Some(401 | 403)));
    if refused {
        return CollectorHealth::Lost {
            newest_item,
            feeds: feeds.len(),
            reason: format!(
                "全部 {} 个订阅源均被采集器拒绝访问（HTTP 401/403），采集器登录可能已失效",
                feeds.len()
            ),
        };
    }
    if feeds.len() < MIN_FEEDS {
        return CollectorHealth::Unknown("只有一个订阅源，无法区分采集源失效与账号停更".into());
    }
    let quiet = newest_item.is_none_or(|t| now.signed_duration_since(t) > quiet_after);
    if quiet {
        let since = newest_item.map_or("从未".to_owned(), |t| t.format("%Y-%m-%d %H:%M").to_string());
        return CollectorHealth::Lost {
            newest_item,
            feeds: feeds.len(),
            reason: format!(
                "该采集器的全部 {} 个订阅源自{since}起均无新内容（超过 {} 天），应是采集器登录失效，而非各账号同时停更",
                feeds.len(),
                quiet_after.num_days()
            ),
        };
    }
    CollectorHealth::Healthy
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(n: usize, collector: &str) -> FeedSource {
        FeedSource {
            url: format!("http://c/{n}"),
            account: format!("a{n}"),
            collector: Some(collector.into()),
        }
    }

    fn state(newest: Option<&str>, status: u16) -> FeedState {
        FeedState {
            fetched_at: Some("2025-10-20T08:00:00+08:00".parse().unwrap()),
            status: Some(status),
            newest_item: newest.map(|t| t.parse().unwrap()),
            ..FeedState::default()
        }
    }

    #[test]
    fn all_feeds_quiet_together_is_the_collectors_loss_one_quiet_feed_is_not() {
        let now: DateTime<Utc> = "2025-10-20T00:00:00Z".parse().unwrap();
        let sources = [source(1, "wewe"), source(2, "wewe"), source(3, "wewe"), source(4, "solo")];
        let fresh = Some("2025-10-19T09:00:00+08:00");
        let old = Some("2025-10-10T09:00:00+08:00");
        let h = collector_health(
            &sources,
            &[state(old, 200), state(fresh, 304), state(old, 200), state(old, 200)],
            now,
            Duration::days(3),
        );
        assert_eq!(h["wewe"], CollectorHealth::Healthy);
        assert!(matches!(h["solo"], CollectorHealth::Unknown(_)));
        let h = collector_health(
            &sources[..3],
            &[state(old, 200), state(old, 304), state(None, 200)],
            now,
            Duration::days(3),
        );
        let CollectorHealth::Lost { feeds, reason, .. } = &h["wewe"] else { panic!("{h:?}") };
        assert_eq!(*feeds, 3);
        assert!(reason.contains("2025-10-10"), "{reason}");
        let refused = collector_health(&sources[3..], &[state(fresh, 401)], now, Duration::days(3));
        assert!(refused["solo"].is_lost());
    }
}

//! Datacube figures: per-article counters (`getarticletotaldetail`), the account's daily
//! content summary (`getbizsummary`) and its followers (`getusersummary`, `getusercumulate`).
//!
//! Every endpoint takes `begin_date`–`end_date` (both included, the end at most yesterday)
//! with a maximum span per endpoint ([`crate::DatacubeSpans`]); longer ranges are split here.
//! The deprecated `getarticlesummary` family is not used.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::fields::{count, date, int, list, text};
use crate::{Client, Credentials, Endpoint, WechatError};

/// One article of `getarticletotaldetail`: one article of a push or publication, mass-sent
/// (群发) ones included.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatacubeArticle {
    /// The day it was sent.
    pub ref_date: NaiveDate,
    /// `<msg_data_id>_<index>`, the index counted from 1 within the push.
    pub msgid: String,
    pub title: Option<String>,
    pub content_url: Option<String>,
    /// 0: followers were notified; 1: published without notification.
    pub publish_type: Option<i64>,
    /// The counters up to the latest statistics day, when the platform gave any.
    pub counters: Option<ArticleCounters>,
}

/// An article's counters from `detail_list`. Each entry holds the totals from the send day to
/// its `stat_date`, so the latest entry holds the totals; the platform counts at most 30 days
/// after sending.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleCounters {
    pub stat_date: NaiveDate,
    /// 阅读人数 (readers, not page views: the public page shows 阅读次数, a larger figure).
    pub read_user: Option<u64>,
    /// 拇指赞 (likes).
    pub like_user: Option<u64>,
    /// 爱心赞, shown as 在看.
    pub zaikan_user: Option<u64>,
    pub share_user: Option<u64>,
    /// 收藏人数.
    pub collection_user: Option<u64>,
    /// 留言数.
    pub comment_count: Option<u64>,
    /// The entry as the platform gave it, unknown fields included.
    pub raw: Value,
}

/// The `<msg_data_id>` and 1-based index of a datacube `msgid`.
pub fn split_msgid(msgid: &str) -> Option<(u64, u32)> {
    let (id, idx) = msgid.split_once('_')?;
    Some((id.parse().ok()?, idx.parse().ok().filter(|&i| i > 0)?))
}

/// One day of an account's figures: followers from the user endpoints, reading from
/// getbizsummary. What the handbook's popularity metrics need: 阅读率 (reads over followers),
/// follower growth, and 退订率 (cancelled over cumulative followers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailyFigures {
    pub date: NaiveDate,
    /// New followers, all sources together.
    pub new_user: Option<u64>,
    /// Unfollows, all sources together.
    pub cancel_user: Option<u64>,
    /// Followers at the end of the day.
    pub cumulate_user: Option<u64>,
    /// Readers of the account's content that day (all articles, all days they were sent).
    pub read_user: Option<u64>,
    pub share_user: Option<u64>,
    pub zaikan_user: Option<u64>,
    pub like_user: Option<u64>,
    pub comment_count: Option<u64>,
    pub collection_user: Option<u64>,
    /// Articles sent that day (发布篇数; inferred from the field name, the page gives no text).
    pub send_page_count: Option<u64>,
}

impl DailyFigures {
    fn empty(date: NaiveDate) -> Self {
        DailyFigures {
            date,
            new_user: None,
            cancel_user: None,
            cumulate_user: None,
            read_user: None,
            share_user: None,
            zaikan_user: None,
            like_user: None,
            comment_count: None,
            collection_user: None,
            send_page_count: None,
        }
    }

    /// New minus cancelled followers.
    pub fn net_growth(&self) -> Option<i64> {
        Some(i64::try_from(self.new_user?).ok()? - i64::try_from(self.cancel_user?).ok()?)
    }

    /// 退订率: cancelled over cumulative followers.
    pub fn cancel_rate(&self) -> Option<f64> {
        let base = self.cumulate_user.filter(|&n| n > 0)?;
        Some(self.cancel_user? as f64 / base as f64)
    }
}

/// `[from, to]` in pieces of at most `span` days.
pub fn split_range(from: NaiveDate, to: NaiveDate, span: u32) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let mut start = from;
    while start <= to {
        let end = start.checked_add_days(Days::new(u64::from(span.max(1)) - 1)).map_or(to, |e| e.min(to));
        out.push((start, end));
        match end.succ_opt() {
            Some(next) => start = next,
            None => break,
        }
    }
    out
}

impl Client {
    /// The `list` rows of an endpoint over a range, split by its span.
    async fn datacube_rows(
        &self,
        creds: &Credentials,
        endpoint: Endpoint,
        span: u32,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Value>, WechatError> {
        let mut rows = Vec::new();
        for (begin, end) in split_range(from, to, span) {
            let body = json!({"begin_date": begin.to_string(), "end_date": end.to_string()});
            let answer = self.call(creds, endpoint, Some(&body)).await?;
            rows.extend(list(&answer, "list").iter().cloned());
        }
        Ok(rows)
    }

    /// The articles sent in `[from, to]`, with their counters.
    pub async fn article_total_detail(
        &self,
        creds: &Credentials,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<DatacubeArticle>, WechatError> {
        let span = self.config.spans.article_total_detail;
        let rows = self.datacube_rows(creds, Endpoint::ArticleTotalDetail, span, from, to).await?;
        Ok(rows
            .iter()
            .filter_map(|row| {
                let counters = list(row, "detail_list")
                    .iter()
                    .filter_map(|d| Some((date(d, "stat_date")?, d)))
                    .max_by_key(|(day, _)| *day)
                    .map(|(stat_date, d)| ArticleCounters {
                        stat_date,
                        read_user: count(d, "read_user"),
                        like_user: count(d, "like_user"),
                        zaikan_user: count(d, "zaikan_user"),
                        share_user: count(d, "share_user"),
                        collection_user: count(d, "collection_user"),
                        comment_count: count(d, "comment_count"),
                        raw: d.clone(),
                    });
                Some(DatacubeArticle {
                    ref_date: date(row, "ref_date")?,
                    msgid: text(row, "msgid")?,
                    title: text(row, "title"),
                    content_url: text(row, "content_url"),
                    publish_type: int(row, "publish_type"),
                    counters,
                })
            })
            .collect())
    }

    /// Followers gained and lost per day over `[from, to]` (only those fields are set). A
    /// day the call covered without a row had none (inferred: the platform lists a day only
    /// for the sources with activity, one row per source, summed here).
    pub async fn user_summary(
        &self,
        creds: &Credentials,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<DailyFigures>, WechatError> {
        let rows = self
            .datacube_rows(creds, Endpoint::UserSummary, self.config.spans.user_summary, from, to)
            .await?;
        let mut days = days_of(from, to);
        for day in days.values_mut() {
            (day.new_user, day.cancel_user) = (Some(0), Some(0));
        }
        for row in &rows {
            if let Some(day) = date(row, "ref_date").and_then(|d| days.get_mut(&d)) {
                day.new_user = Some(day.new_user.unwrap_or(0) + count(row, "new_user").unwrap_or(0));
                day.cancel_user = Some(day.cancel_user.unwrap_or(0) + count(row, "cancel_user").unwrap_or(0));
            }
        }
        Ok(days.into_values().collect())
    }

    /// Followers at the end of each day over `[from, to]` (only `cumulate_user` is set).
    pub async fn user_cumulate(
        &self,
        creds: &Credentials,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<DailyFigures>, WechatError> {
        let rows = self
            .datacube_rows(creds, Endpoint::UserCumulate, self.config.spans.user_cumulate, from, to)
            .await?;
        let mut days = days_of(from, to);
        for row in &rows {
            if let Some(day) = date(row, "ref_date").and_then(|d| days.get_mut(&d)) {
                // One row a day is documented; should several come, the largest is kept.
                day.cumulate_user = day.cumulate_user.max(count(row, "cumulate_user"));
            }
        }
        Ok(days.into_values().collect())
    }

    /// The account's reading per day over `[from, to]` (`getbizsummary`: the reading fields).
    pub async fn biz_summary(
        &self,
        creds: &Credentials,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<DailyFigures>, WechatError> {
        let rows =
            self.datacube_rows(creds, Endpoint::BizSummary, self.config.spans.biz_summary, from, to).await?;
        let mut days = days_of(from, to);
        for row in &rows {
            let (Some(day), Some(d)) =
                (date(row, "ref_date").and_then(|d| days.get_mut(&d)), row.get("detail"))
            else {
                continue;
            };
            day.read_user = count(d, "read_user");
            day.share_user = count(d, "share_user");
            day.zaikan_user = count(d, "zaikan_user");
            day.like_user = count(d, "like_user");
            day.comment_count = count(d, "comment_count");
            day.collection_user = count(d, "collection_user");
            day.send_page_count = count(d, "send_page_count");
        }
        Ok(days.into_values().collect())
    }
}

/// An empty entry for every day of `[from, to]`.
fn days_of(from: NaiveDate, to: NaiveDate) -> BTreeMap<NaiveDate, DailyFigures> {
    from.iter_days().take_while(|d| *d <= to).map(|d| (d, DailyFigures::empty(d))).collect()
}

/// Days from several endpoints joined by date: each field from whichever set it.
pub fn join_days(parts: impl IntoIterator<Item = Vec<DailyFigures>>) -> Vec<DailyFigures> {
    let mut days: BTreeMap<NaiveDate, DailyFigures> = BTreeMap::new();
    for day in parts.into_iter().flatten() {
        let into = days.entry(day.date).or_insert_with(|| DailyFigures::empty(day.date));
        into.new_user = into.new_user.or(day.new_user);
        into.cancel_user = into.cancel_user.or(day.cancel_user);
        into.cumulate_user = into.cumulate_user.or(day.cumulate_user);
        into.read_user = into.read_user.or(day.read_user);
        into.share_user = into.share_user.or(day.share_user);
        into.zaikan_user = into.zaikan_user.or(day.zaikan_user);
        into.like_user = into.like_user.or(day.like_user);
        into.comment_count = into.comment_count.or(day.comment_count);
        into.collection_user = into.collection_user.or(day.collection_user);
        into.send_page_count = into.send_page_count.or(day.send_page_count);
    }
    days.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn ranges_are_split_by_span() {
        assert_eq!(
            split_range(d("2025-11-01"), d("2025-11-16"), 7),
            vec![
                (d("2025-11-01"), d("2025-11-07")),
                (d("2025-11-08"), d("2025-11-14")),
                (d("2025-11-15"), d("2025-11-16"))
            ]
        );
        assert_eq!(split_range(d("2025-11-01"), d("2025-11-02"), 1).len(), 2);
        assert!(split_range(d("2025-11-02"), d("2025-11-01"), 7).is_empty());
    }

    #[test]
    fn msgids_and_rates() {
        assert_eq!(split_msgid("2247490098_1"), Some((2_247_490_098, 1)));
        assert_eq!(split_msgid("2247490098"), None);
        let mut day = DailyFigures::empty(d("2025-11-01"));
        assert_eq!(day.cancel_rate(), None);
        (day.new_user, day.cancel_user, day.cumulate_user) = (Some(30), Some(12), Some(1200));
        assert_eq!(day.net_growth(), Some(18));
        assert_eq!(day.cancel_rate(), Some(0.01));
    }
}

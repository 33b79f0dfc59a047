//! What a store holds, in numbers (`govmedia stats`). The queries are portable SQL that both
//! backends run as they are (their schemas share column names and types), so the numbers
//! agree by construction.

use std::collections::BTreeMap;

use govmedia_pii::MaskCounts;
use serde::Serialize;

use crate::Result;

/// Quantiles of a count over accounts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Distribution {
    pub min: u64,
    pub p25: u64,
    pub median: u64,
    pub p75: u64,
    pub max: u64,
    pub mean: f64,
}

impl Distribution {
    /// From unsorted values; all zero when empty. Quantiles are nearest-rank.
    pub fn of(mut values: Vec<u64>) -> Self {
        if values.is_empty() {
            return Distribution::default();
        }
        values.sort_unstable();
        let q = |p: f64| values[((p * values.len() as f64).ceil() as usize).clamp(1, values.len()) - 1];
        Distribution {
            min: values[0],
            p25: q(0.25),
            median: q(0.5),
            p75: q(0.75),
            max: values[values.len() - 1],
            mean: values.iter().sum::<u64>() as f64 / values.len() as f64,
        }
    }
}

/// Counts over the whole store.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stats {
    pub accounts: u64,
    pub accounts_by_level: BTreeMap<String, u64>,
    pub accounts_by_kind: BTreeMap<String, u64>,
    pub accounts_by_status: BTreeMap<String, u64>,
    pub articles: u64,
    pub articles_deleted: u64,
    pub articles_by_level: BTreeMap<String, u64>,
    /// First and last publish dates (Asia/Shanghai), when there are articles.
    pub first_published: Option<String>,
    pub last_published: Option<String>,
    /// Articles per account, over all accounts (accounts without articles count as 0).
    pub articles_per_account: Distribution,
    pub accounts_without_articles: u64,
    pub comments: u64,
    pub comments_replied: u64,
    pub menus: u64,
    pub events: u64,
    pub pages: u64,
    #[serde(skip)]
    pub masked: MaskCounts,
    pub masked_total: u32,
}

/// One row of an aggregate query: an optional text key and integer values.
pub type AggregateRow = (Option<String>, Vec<Option<i64>>);

/// How a backend answers the aggregate queries below.
pub trait Aggregates {
    /// Rows of (key, values) for `sql`; a query without a key column yields `None` keys.
    fn rows(&mut self, sql: &str, keyed: bool) -> Result<Vec<AggregateRow>>;
}

impl Stats {
    /// The first and last publish dates (Asia/Shanghai, `YYYY-MM-DD`) of the stored articles:
    /// one index scan, for the loader, which needs no other count.
    pub fn published_span(db: &mut dyn Aggregates) -> Result<(Option<String>, Option<String>)> {
        let span = db.rows("SELECT MIN(published_at), MAX(published_at) FROM articles", false)?;
        let at = |i: usize| span.first().and_then(|r| r.1.get(i).copied().flatten());
        let date = |t: Option<i64>| {
            t.and_then(govmedia_model::time::from_unix).map(|t| t.date_naive().format("%Y-%m-%d").to_string())
        };
        Ok((date(at(0)), date(at(1))))
    }

    /// Runs the aggregate queries through `db`.
    pub fn collect(db: &mut dyn Aggregates) -> Result<Stats> {
        let as_u64 = |v: Option<i64>| v.unwrap_or(0).max(0) as u64;
        let first =
            |rows: Vec<AggregateRow>, i: usize| rows.first().and_then(|r| r.1.get(i).copied().flatten());
        let mut count = |sql: &str| -> Result<u64> { Ok(as_u64(first(db.rows(sql, false)?, 0))) };
        let mut s = Stats {
            accounts: count("SELECT COUNT(*) FROM accounts")?,
            articles: count("SELECT COUNT(*) FROM articles")?,
            articles_deleted: count("SELECT COUNT(*) FROM articles WHERE deleted = 1")?,
            comments: count("SELECT COUNT(*) FROM comments")?,
            comments_replied: count("SELECT COUNT(*) FROM comments WHERE reply_text IS NOT NULL")?,
            menus: count("SELECT COUNT(*) FROM menus")?,
            events: count("SELECT COUNT(*) FROM events")?,
            pages: count("SELECT COUNT(*) FROM pages")?,
            ..Stats::default()
        };
        let mut grouped = |sql: &str| -> Result<BTreeMap<String, u64>> {
            Ok(db
                .rows(sql, true)?
                .into_iter()
                .map(|(k, v)| (k.unwrap_or_else(|| "unknown".into()), as_u64(v.first().copied().flatten())))
                .collect())
        };
        s.accounts_by_level = grouped("SELECT level, COUNT(*) FROM accounts GROUP BY level")?;
        s.accounts_by_kind = grouped("SELECT kind, COUNT(*) FROM accounts GROUP BY kind")?;
        s.accounts_by_status = grouped("SELECT status, COUNT(*) FROM accounts GROUP BY status")?;
        s.articles_by_level = grouped(
            "SELECT ac.level, COUNT(*) FROM articles a JOIN accounts ac ON ac.id = a.account GROUP BY ac.level",
        )?;
        (s.first_published, s.last_published) = Stats::published_span(db)?;
        let per_account: Vec<u64> = db
            .rows(
                "SELECT ac.id, COUNT(a.url) FROM accounts ac LEFT JOIN articles a ON a.account = ac.id GROUP BY ac.id",
                true,
            )?
            .into_iter()
            .map(|(_, v)| as_u64(v.first().copied().flatten()))
            .collect();
        s.accounts_without_articles = per_account.iter().filter(|&&n| n == 0).count() as u64;
        s.articles_per_account = Distribution::of(per_account);
        let m = db.rows(
            "SELECT SUM(masked_phone), SUM(masked_id_number), SUM(masked_bank_card), SUM(masked_email) FROM comments",
            false,
        )?;
        let m: Vec<u32> =
            (0..4).map(|i| first(m.clone(), i).unwrap_or(0).clamp(0, u32::MAX.into()) as u32).collect();
        s.masked = MaskCounts { phone: m[0], id_number: m[1], bank_card: m[2], email: m[3] };
        s.masked_total = s.masked.total();
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::Distribution;

    #[test]
    fn nearest_rank_quantiles() {
        let d = Distribution::of(vec![5, 1, 3, 2, 4]);
        assert_eq!((d.min, d.p25, d.median, d.p75, d.max), (1, 2, 3, 4, 5));
        assert_eq!(d.mean, 3.0);
        assert_eq!(Distribution::of(vec![]), Distribution::default());
    }
}

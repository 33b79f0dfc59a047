//! What a store holds, in numbers (`govmedia stats`).

use std::collections::BTreeMap;

use govmedia_pii::MaskCounts;
use serde::Serialize;

use crate::{Result, Store};

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

impl Store {
    /// Counts over the whole store.
    pub fn stats(&self) -> Result<Stats> {
        let one = |sql: &str| -> Result<u64> {
            self.conn.query_row(sql, [], |r| r.get::<_, i64>(0)).map(|v| v as u64).map_err(|e| self.err(e))
        };
        let grouped = |sql: &str| -> Result<BTreeMap<String, u64>> {
            let mut st = self.conn.prepare(sql).map_err(|e| self.err(e))?;
            st.query_map([], |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?.unwrap_or_else(|| "unknown".into()),
                    r.get::<_, i64>(1)? as u64,
                ))
            })
            .and_then(|rows| rows.collect())
            .map_err(|e| self.err(e))
        };
        let mut s = Stats {
            accounts: one("SELECT COUNT(*) FROM accounts")?,
            accounts_by_level: grouped("SELECT level, COUNT(*) FROM accounts GROUP BY level ORDER BY level")?,
            accounts_by_kind: grouped("SELECT kind, COUNT(*) FROM accounts GROUP BY kind ORDER BY kind")?,
            accounts_by_status: grouped(
                "SELECT status, COUNT(*) FROM accounts GROUP BY status ORDER BY status",
            )?,
            articles: one("SELECT COUNT(*) FROM articles")?,
            articles_deleted: one("SELECT COUNT(*) FROM articles WHERE deleted = 1")?,
            articles_by_level: grouped(
                "SELECT ac.level, COUNT(*) FROM articles a JOIN accounts ac ON ac.id = a.account GROUP BY ac.level ORDER BY ac.level",
            )?,
            comments: one("SELECT COUNT(*) FROM comments")?,
            comments_replied: one("SELECT COUNT(*) FROM comments WHERE reply_text IS NOT NULL")?,
            menus: one("SELECT COUNT(*) FROM menus")?,
            events: one("SELECT COUNT(*) FROM events")?,
            pages: one("SELECT COUNT(*) FROM pages")?,
            ..Stats::default()
        };
        let (first, last): (Option<i64>, Option<i64>) = self
            .conn
            .query_row("SELECT MIN(published_at), MAX(published_at) FROM articles", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .map_err(|e| self.err(e))?;
        let date = |t: Option<i64>| {
            t.and_then(govmedia_model::time::from_unix).map(|t| t.date_naive().format("%Y-%m-%d").to_string())
        };
        s.first_published = date(first);
        s.last_published = date(last);
        let per_account: Vec<u64> = {
            let mut st = self
                .conn
                .prepare("SELECT COUNT(a.url) FROM accounts ac LEFT JOIN articles a ON a.account = ac.id GROUP BY ac.id")
                .map_err(|e| self.err(e))?;
            st.query_map([], |r| r.get::<_, i64>(0).map(|v| v as u64))
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
                .map_err(|e| self.err(e))?
        };
        s.accounts_without_articles = per_account.iter().filter(|&&n| n == 0).count() as u64;
        s.articles_per_account = Distribution::of(per_account);
        let m: (i64, i64, i64, i64) = self
            .conn
            .query_row(
                "SELECT COALESCE(SUM(masked_phone),0), COALESCE(SUM(masked_id_number),0), COALESCE(SUM(masked_bank_card),0),
                 COALESCE(SUM(masked_email),0) FROM comments",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .map_err(|e| self.err(e))?;
        s.masked =
            MaskCounts { phone: m.0 as u32, id_number: m.1 as u32, bank_card: m.2 as u32, email: m.3 as u32 };
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

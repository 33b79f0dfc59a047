//! Reads inside one read transaction (a snapshot of the database).

use std::collections::HashMap;

use govmedia_model::{
    Account, Article, Comment, Event, MenuSnapshot, PageSnapshot, Reply, SurveyConfig, time::from_unix,
};
use govmedia_store_api::stats::{AggregateRow, Aggregates};
use govmedia_store_api::{
    AccountFilter, ArticleFilter, Result, Stats, StoreError, SurveyRead, decode_rows, decode_while_reading,
};
use rusqlite::types::{Type, ValueRef};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::sql_err;

/// A read transaction: SQLite in WAL mode reads one state of the database from the first
/// query until the transaction ends.
pub(crate) struct Snapshot<'a> {
    tx: Transaction<'a>,
    location: &'a str,
}

/// `column = ?n` when filtering by `value`, else a condition that holds for every row. Written
/// as `(?n IS NULL OR column = ?n)` the filter would keep SQLite from using the index on
/// `column`: reading one account would scan every article.
fn equals(column: &str, n: u8, value: Option<&str>) -> String {
    match value {
        Some(_) => format!("{column} = ?{n}"),
        None => format!("?{n} IS NULL"),
    }
}

impl<'a> Snapshot<'a> {
    pub(crate) fn begin(conn: &'a Connection, location: &'a str) -> Result<Self> {
        let tx = conn.unchecked_transaction().map_err(|e| sql_err(location, e))?;
        Ok(Snapshot { tx, location })
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        sql_err(self.location, e)
    }

    fn corrupt(&self, what: impl Into<String>, e: serde_json::Error) -> StoreError {
        StoreError::corrupt(self.location, what, e)
    }

    fn comments(
        &self,
        account: Option<&str>,
        from: Option<i64>,
        until: Option<i64>,
    ) -> Result<HashMap<String, Vec<Comment>>> {
        let sql = format!(
            "SELECT c.article_url, c.comment_id, c.created_at, c.text, c.likes, c.featured, c.reply_text, c.reply_at
             FROM comments c JOIN articles a ON a.url = c.article_url
             WHERE {} AND (?2 IS NULL OR a.published_at >= ?2)
             AND (?3 IS NULL OR a.published_at < ?3)
             ORDER BY c.article_url, c.seq",
            equals("a.account", 1, account)
        );
        let mut st = self.tx.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let mut out: HashMap<String, Vec<Comment>> = HashMap::new();
        let mut rows = st.query(params![account, from, until]).map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let get = || -> rusqlite::Result<(String, Comment)> {
                let created: i64 = r.get(2)?;
                let reply_text: Option<String> = r.get(6)?;
                let reply_at: Option<i64> = r.get(7)?;
                let comment = Comment {
                    id: r.get(1)?,
                    text: r.get(3)?,
                    created_at: from_unix(created).unwrap_or_default(),
                    likes: r.get::<_, Option<i64>>(4)?.map(|v| v as u64),
                    featured: r.get(5)?,
                    reply: reply_text.map(|text| Reply {
                        text,
                        created_at: reply_at.and_then(from_unix).unwrap_or_default(),
                    }),
                };
                Ok((r.get(0)?, comment))
            };
            let (url, c) = get().map_err(|e| self.err(e))?;
            out.entry(url).or_default().push(c);
        }
        Ok(out)
    }

    fn json_rows<T: serde::de::DeserializeOwned + Send>(&self, sql: &str, what: &str) -> Result<Vec<T>> {
        let mut st = self.tx.prepare_cached(sql).map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| Ok((r.get::<_, String>(0)?, text(r, 1)?)))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        decode_rows(self.location, what, &rows)
    }
}

/// Text column `i` as a string. Validating article bodies (mostly CJK) as UTF-8 was the largest
/// single cost of reading them with std's validator; simdutf8 (already built for encoding_rs)
/// checks the same bytes several times faster.
fn text(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<String> {
    match r.get_ref(i)? {
        ValueRef::Text(bytes) => simdutf8::basic::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, Type::Text, Box::new(e))),
        // Not text: rusqlite reports the type mismatch.
        _ => r.get(i),
    }
}

impl SurveyRead for Snapshot<'_> {
    fn accounts(&mut self, filter: &AccountFilter) -> Result<Vec<Account>> {
        let mut st = self
            .tx
            .prepare_cached(
                "SELECT id, data FROM accounts WHERE (?1 IS NULL OR level = ?1) AND (?2 IS NULL OR field = ?2)
                 AND (?3 IS NULL OR region = ?3 OR region LIKE ?3 || '%') ORDER BY id",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map(
                params![filter.level.map(|l| l.as_str()), filter.field.map(|f| f.as_str()), filter.region],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
            )
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        rows.into_iter()
            .map(|(id, d)| serde_json::from_str(&d).map_err(|e| self.corrupt(format!("账号 {id}"), e)))
            .collect()
    }

    /// One account by id or `__biz`.
    fn account(&mut self, key: &str) -> Result<Option<Account>> {
        let row: Option<(String, String)> = self
            .tx
            .query_row(
                "SELECT id, data FROM accounts WHERE id = ?1 OR biz = ?1 ORDER BY id = ?1 DESC LIMIT 1",
                [key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        row.map(|(id, d)| serde_json::from_str(&d).map_err(|e| self.corrupt(format!("账号 {id}"), e)))
            .transpose()
    }

    /// Articles matching `filter`, by account, then time, then URL; comments attached.
    fn articles(&mut self, filter: &ArticleFilter) -> Result<Vec<Article>> {
        let from = filter.from.map(|t| t.timestamp());
        let until = filter.until.map(|t| t.timestamp());
        let sql = format!(
            "SELECT url, data FROM articles WHERE {}
             AND (?2 IS NULL OR published_at >= ?2) AND (?3 IS NULL OR published_at < ?3)
             ORDER BY account, published_at, url",
            equals("account", 1, filter.account.as_deref())
        );
        let mut st = self.tx.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let mut articles: Vec<Article> = decode_while_reading(self.location, "文章", |push| {
            let mut rows = st.query(params![filter.account, from, until]).map_err(|e| self.err(e))?;
            while let Some(r) = rows.next().map_err(|e| self.err(e))? {
                push(r.get(0).map_err(|e| self.err(e))?, text(r, 1).map_err(|e| self.err(e))?);
            }
            Ok(())
        })?;
        let mut comments = if filter.without_comments {
            HashMap::new()
        } else {
            self.comments(filter.account.as_deref(), from, until)?
        };
        for a in &mut articles {
            a.comments = comments.remove(&a.url).unwrap_or_default();
        }
        Ok(articles)
    }

    /// Every menu snapshot, by account and capture time.
    fn menus(&mut self, account: Option<&str>) -> Result<Vec<MenuSnapshot>> {
        let sql = format!(
            "SELECT account, captured_at, menu FROM menus WHERE {} ORDER BY account, captured_at",
            equals("account", 1, account)
        );
        let mut st = self.tx.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let rows = st
            .query_map([account], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        rows.into_iter()
            .map(|(account, t, menu)| {
                let menu =
                    serde_json::from_str(&menu).map_err(|e| self.corrupt(format!("菜单 {account}"), e))?;
                Ok(MenuSnapshot { account, captured_at: from_unix(t).unwrap_or_default(), menu })
            })
            .collect()
    }

    /// Every event, by time.
    fn events(&mut self) -> Result<Vec<Event>> {
        self.json_rows("SELECT id, data FROM events ORDER BY occurred_at, id", "事件")
    }

    /// Every page snapshot, by URL.
    fn pages(&mut self) -> Result<Vec<PageSnapshot>> {
        self.json_rows("SELECT url, data FROM pages ORDER BY url", "网页快照")
    }

    /// The survey description of the last imported dataset, and that dataset's path.
    fn survey(&mut self) -> Result<(SurveyConfig, Option<String>)> {
        let get = |k: &str| -> Result<Option<String>> {
            self.tx
                .query_row("SELECT value FROM survey WHERE key = ?1", [k], |r| r.get(0))
                .optional()
                .map_err(|e| self.err(e))
        };
        let config = match get("config")? {
            Some(s) => serde_json::from_str(&s).map_err(|e| self.corrupt("survey.toml", e))?,
            None => SurveyConfig::default(),
        };
        Ok((config, get("dataset")?))
    }

    fn stats(&mut self) -> Result<Stats> {
        Stats::collect(self)
    }

    fn published_span(&mut self) -> Result<(Option<String>, Option<String>)> {
        Stats::published_span(self)
    }
}

impl Aggregates for Snapshot<'_> {
    fn rows(&mut self, sql: &str, keyed: bool) -> Result<Vec<AggregateRow>> {
        let mut st = self.tx.prepare(sql).map_err(|e| self.err(e))?;
        let n = st.column_count();
        let rows = st
            .query_map([], |r| {
                let key = if keyed { r.get::<_, Option<String>>(0)? } else { None };
                let values = (usize::from(keyed)..n)
                    .map(|i| r.get::<_, Option<i64>>(i))
                    .collect::<rusqlite::Result<_>>()?;
                Ok((key, values))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        rows.map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    #[test]
    fn text_columns_are_validated_as_utf8() {
        let conn = Connection::open_in_memory().unwrap();
        let read = |sql: &str| conn.query_row(sql, [], |r| super::text(r, 0));
        assert_eq!(read("SELECT CAST(x'e694bfe58aa1' AS TEXT)").unwrap(), "政务");
        let bad = read("SELECT CAST(x'e694bfe58a' AS TEXT)").unwrap_err();
        assert!(matches!(bad, rusqlite::Error::FromSqlConversionFailure(0, _, _)), "{bad:?}");
        let null = read("SELECT NULL").unwrap_err();
        assert!(matches!(null, rusqlite::Error::InvalidColumnType(0, _, _)), "{null:?}");
    }
}

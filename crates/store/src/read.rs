//! Queries.

use std::collections::HashMap;

use govmedia_model::{
    Account, Article, Comment, Event, Field, Level, MenuSnapshot, PageSnapshot, Reply, SurveyConfig,
    Timestamp, time::from_unix,
};
use rusqlite::{OptionalExtension, params};

use crate::{Result, Store, corrupt};

/// Which accounts to list. Empty means all.
#[derive(Debug, Clone, Default)]
pub struct AccountFilter {
    pub level: Option<Level>,
    /// A region code prefix (`31` matches every Shanghai code) or an exact region name.
    pub region: Option<String>,
    pub field: Option<Field>,
}

/// Which articles to load. Empty means all.
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    pub account: Option<String>,
    /// Published at or after.
    pub from: Option<Timestamp>,
    /// Published before.
    pub until: Option<Timestamp>,
    /// Leave comments out (faster, for listings).
    pub without_comments: bool,
}

impl Store {
    /// Accounts matching `filter`, by id.
    pub fn accounts(&self, filter: &AccountFilter) -> Result<Vec<Account>> {
        let mut st = self
            .conn
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
            .map(|(id, d)| serde_json::from_str(&d).map_err(|e| corrupt(&self.path, format!("账号 {id}"), e)))
            .collect()
    }

    /// One account by id or `__biz`.
    pub fn account(&self, key: &str) -> Result<Option<Account>> {
        let row: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT id, data FROM accounts WHERE id = ?1 OR biz = ?1 ORDER BY id = ?1 DESC LIMIT 1",
                [key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        row.map(|(id, d)| serde_json::from_str(&d).map_err(|e| corrupt(&self.path, format!("账号 {id}"), e)))
            .transpose()
    }

    /// Articles matching `filter`, by account, then time, then URL; comments attached.
    pub fn articles(&self, filter: &ArticleFilter) -> Result<Vec<Article>> {
        let from = filter.from.map(|t| t.timestamp());
        let until = filter.until.map(|t| t.timestamp());
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT url, data FROM articles WHERE (?1 IS NULL OR account = ?1)
                 AND (?2 IS NULL OR published_at >= ?2) AND (?3 IS NULL OR published_at < ?3)
                 ORDER BY account, published_at, url",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map(params![filter.account, from, until], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        let mut comments = if filter.without_comments {
            HashMap::new()
        } else {
            self.comments(filter.account.as_deref(), from, until)?
        };
        rows.into_iter()
            .map(|(url, d)| {
                let mut a: Article =
                    serde_json::from_str(&d).map_err(|e| corrupt(&self.path, format!("文章 {url}"), e))?;
                a.comments = comments.remove(&url).unwrap_or_default();
                Ok(a)
            })
            .collect()
    }

    fn comments(
        &self,
        account: Option<&str>,
        from: Option<i64>,
        until: Option<i64>,
    ) -> Result<HashMap<String, Vec<Comment>>> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT c.article_url, c.comment_id, c.created_at, c.text, c.likes, c.featured, c.reply_text, c.reply_at
                 FROM comments c JOIN articles a ON a.url = c.article_url
                 WHERE (?1 IS NULL OR a.account = ?1) AND (?2 IS NULL OR a.published_at >= ?2)
                 AND (?3 IS NULL OR a.published_at < ?3)
                 ORDER BY c.article_url, c.seq",
            )
            .map_err(|e| self.err(e))?;
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

    /// Every menu snapshot, by account and capture time.
    pub fn menus(&self, account: Option<&str>) -> Result<Vec<MenuSnapshot>> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT account, captured_at, menu FROM menus WHERE (?1 IS NULL OR account = ?1) ORDER BY account, captured_at",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([account], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        rows.into_iter()
            .map(|(account, t, menu)| {
                let menu = serde_json::from_str(&menu)
                    .map_err(|e| corrupt(&self.path, format!("菜单 {account}"), e))?;
                Ok(MenuSnapshot { account, captured_at: from_unix(t).unwrap_or_default(), menu })
            })
            .collect()
    }

    /// Every event, by time.
    pub fn events(&self) -> Result<Vec<Event>> {
        self.json_rows("SELECT id, data FROM events ORDER BY occurred_at, id", "事件")
    }

    /// Every page snapshot, by URL.
    pub fn pages(&self) -> Result<Vec<PageSnapshot>> {
        self.json_rows("SELECT url, data FROM pages ORDER BY url", "网页快照")
    }

    fn json_rows<T: serde::de::DeserializeOwned>(&self, sql: &str, what: &str) -> Result<Vec<T>> {
        let mut st = self.conn.prepare_cached(sql).map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        rows.into_iter()
            .map(|(k, d)| serde_json::from_str(&d).map_err(|e| corrupt(&self.path, format!("{what} {k}"), e)))
            .collect()
    }

    /// The survey description of the last imported dataset, and that dataset's path.
    pub fn survey(&self) -> Result<(SurveyConfig, Option<String>)> {
        let get = |k: &str| -> Result<Option<String>> {
            self.conn
                .query_row("SELECT value FROM survey WHERE key = ?1", [k], |r| r.get(0))
                .optional()
                .map_err(|e| self.err(e))
        };
        let config = match get("config")? {
            Some(s) => serde_json::from_str(&s).map_err(|e| corrupt(&self.path, "survey.toml", e))?,
            None => SurveyConfig::default(),
        };
        Ok((config, get("dataset")?))
    }

    /// A cached value (AI judgements and the like).
    pub fn cache_get(&self, namespace: &str, key: &str) -> Result<Option<String>> {
        self.conn
            .prepare_cached("SELECT value FROM cache WHERE namespace = ?1 AND key = ?2")
            .and_then(|mut st| st.query_row([namespace, key], |r| r.get(0)).optional())
            .map_err(|e| self.err(e))
    }

    /// Stores a cached value, replacing any earlier one.
    pub fn cache_put(&self, namespace: &str, key: &str, value: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO cache (namespace, key, value) VALUES (?1, ?2, ?3)
                 ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value",
            )
            .and_then(|mut st| st.execute([namespace, key, value]))
            .map_err(|e| self.err(e))?;
        Ok(())
    }
}

//! Transactional writes: one writer per imported file.

use govmedia_model::{Account, Event, MenuSnapshot, PageSnapshot, SurveyConfig};
use govmedia_pii::MaskCounts;
use govmedia_store_api::fold::{self, ArticleOutcome, FOLD_WINDOW_SECS};
use govmedia_store_api::{DATA_VERSION, PreparedArticle, Result, StoreError, Writer};
use rusqlite::{OptionalExtension, Transaction, params};

use crate::sql_err;

/// Writes inside one transaction; nothing is visible until [`Writer::commit`].
pub(crate) struct SqliteWriter<'a> {
    tx: Transaction<'a>,
    location: &'a str,
    masked: MaskCounts,
    /// The connection's change count when the transaction began: more at commit means this
    /// writer changed the data.
    changes_before: u64,
}

impl<'a> SqliteWriter<'a> {
    pub(crate) fn new(tx: Transaction<'a>, location: &'a str) -> Self {
        let changes_before = tx.total_changes();
        SqliteWriter { tx, location, masked: MaskCounts::default(), changes_before }
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        sql_err(self.location, e)
    }
}

impl Writer for SqliteWriter<'_> {
    fn commit(self: Box<Self>) -> Result<()> {
        let location = self.location;
        if self.tx.total_changes() > self.changes_before {
            self.tx
                .execute(
                    "INSERT INTO cache (namespace, key, value) VALUES (?1, ?2, '1')
                     ON CONFLICT (namespace, key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)",
                    [DATA_VERSION.0, DATA_VERSION.1],
                )
                .map_err(|e| sql_err(location, e))?;
        }
        self.tx.commit().map_err(|e| sql_err(location, e))
    }

    fn masked(&self) -> MaskCounts {
        self.masked
    }

    /// Inserts or replaces an account.
    fn upsert_account(&mut self, a: &Account) -> Result<()> {
        let data = serde_json::to_string(a).expect("accounts serialise");
        self.tx
            .prepare_cached(
                "INSERT INTO accounts (id, name, owner, level, field, region, platform, biz, kind, status, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, owner = excluded.owner,
                   level = excluded.level, field = excluded.field, region = excluded.region,
                   platform = excluded.platform, biz = excluded.biz, kind = excluded.kind,
                   status = excluded.status, data = excluded.data",
            )
            .and_then(|mut st| {
                st.execute(params![
                    a.id,
                    a.name,
                    a.owner,
                    a.level.as_str(),
                    a.field.map(|f| f.as_str()),
                    a.region,
                    a.platform.as_str(),
                    a.biz,
                    a.kind.map(|k| k.as_str()),
                    a.status.as_str(),
                    data
                ])
            })
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The account with this id, as stored (including what this writer wrote).
    fn account(&mut self, id: &str) -> Result<Option<Account>> {
        let data: Option<String> = self
            .tx
            .prepare_cached("SELECT data FROM accounts WHERE id = ?1")
            .and_then(|mut st| st.query_row([id], |r| r.get(0)).optional())
            .map_err(|e| self.err(e))?;
        data.map(|d| {
            serde_json::from_str(&d).map_err(|e| StoreError::corrupt(self.location, format!("账号 {id}"), e))
        })
        .transpose()
    }

    /// The id of the account known by `key`: its id, or its `__biz`.
    fn resolve_account(&mut self, key: &str) -> Result<Option<String>> {
        self.tx
            .prepare_cached("SELECT id FROM accounts WHERE id = ?1 UNION ALL SELECT id FROM accounts WHERE biz = ?1 LIMIT 1")
            .and_then(|mut st| st.query_row([key], |r| r.get(0)).optional())
            .map_err(|e| self.err(e))
    }

    /// Stores an article with its comments (personal data in comment and reply texts masked,
    /// see [`PreparedArticle`]), folding republished copies (same account and title within 30
    /// minutes: the newest is kept).
    fn upsert_article(&mut self, article: PreparedArticle) -> Result<ArticleOutcome> {
        // The bodies go to article_bodies, the rest of the JSON to articles.data (see
        // migrations/0005_article_bodies.sql).
        let PreparedArticle { article, data_without_bodies: data, comments, .. } = article;
        let t = article.published_at.timestamp();
        let twins: Vec<(String, i64)> = self
            .tx
            .prepare_cached(
                "SELECT url, published_at FROM articles WHERE account = ?1 AND title = ?2 AND url <> ?3
                 AND published_at BETWEEN ?4 AND ?5",
            )
            .and_then(|mut st| {
                st.query_map(
                    params![
                        article.account,
                        article.title,
                        article.url,
                        t - FOLD_WINDOW_SECS,
                        t + FOLD_WINDOW_SECS
                    ],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?
                .collect()
            })
            .map_err(|e| self.err(e))?;
        let outcome = fold::decide(t, &twins);
        match &outcome {
            ArticleOutcome::Folded(_) => return Ok(outcome),
            ArticleOutcome::Replaced(urls) => {
                for url in urls {
                    self.tx.execute("DELETE FROM articles WHERE url = ?1", [url]).map_err(|e| self.err(e))?;
                }
            }
            ArticleOutcome::Stored => {}
        }

        // A new URL is a plain insert; only a URL already stored is updated and loses its old
        // comments and body. (An upsert would make SQLite keep a statement journal for every
        // article: a sixth of a fresh import's time.)
        let reads = article.reads;
        let row = params![
            article.url,
            article.account,
            article.title,
            t,
            article.position,
            reads.map(|r| i64::try_from(r.value).unwrap_or(i64::MAX)),
            reads.is_some_and(|r| r.capped),
            article.deleted.unwrap_or(false),
            data
        ];
        let inserted = self
            .tx
            .prepare_cached(
                "INSERT INTO articles (url, account, title, published_at, position, reads, reads_capped, deleted, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (url) DO NOTHING",
            )
            .and_then(|mut st| st.execute(row))
            .map_err(|e| self.err(e))?;
        if inserted == 0 {
            self.tx
                .prepare_cached(
                    "UPDATE articles SET account = ?2, title = ?3, published_at = ?4, position = ?5, reads = ?6,
                       reads_capped = ?7, deleted = ?8, data = ?9 WHERE url = ?1",
                )
                .and_then(|mut st| st.execute(row))
                .map_err(|e| self.err(e))?;
            self.tx
                .prepare_cached("DELETE FROM comments WHERE article_url = ?1")
                .and_then(|mut st| st.execute([&article.url]))
                .map_err(|e| self.err(e))?;
            self.tx
                .prepare_cached("DELETE FROM article_bodies WHERE url = ?1")
                .and_then(|mut st| st.execute([&article.url]))
                .map_err(|e| self.err(e))?;
        }
        if article.content.is_some() || article.content_html.is_some() {
            self.tx
                .prepare_cached("INSERT INTO article_bodies (url, content, content_html) VALUES (?1, ?2, ?3)")
                .and_then(|mut st| st.execute(params![article.url, article.content, article.content_html]))
                .map_err(|e| self.err(e))?;
        }
        for (seq, c) in comments.iter().enumerate() {
            self.masked += c.counts;
            self.tx
                .prepare_cached(
                    "INSERT INTO comments (article_url, seq, comment_id, created_at, text, likes, featured,
                       reply_text, reply_at, masked_phone, masked_id_number, masked_bank_card, masked_email)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                )
                .and_then(|mut st| {
                    st.execute(params![
                        article.url,
                        seq as i64,
                        c.id,
                        c.created_at,
                        c.text,
                        c.likes,
                        c.featured,
                        c.reply.as_ref().map(|r| &r.0),
                        c.reply.as_ref().map(|r| r.1),
                        c.counts.phone,
                        c.counts.id_number,
                        c.counts.bank_card,
                        c.counts.email
                    ])
                })
                .map_err(|e| self.err(e))?;
        }
        Ok(outcome)
    }

    /// Stores a menu snapshot (keyed by account and capture time).
    fn upsert_menu(&mut self, m: &MenuSnapshot) -> Result<()> {
        let menu = serde_json::to_string(&m.menu).expect("menus serialise");
        self.tx
            .prepare_cached(
                "INSERT INTO menus (account, captured_at, menu) VALUES (?1, ?2, ?3)
                 ON CONFLICT (account, captured_at) DO UPDATE SET menu = excluded.menu",
            )
            .and_then(|mut st| st.execute(params![m.account, m.captured_at.timestamp(), menu]))
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    fn upsert_event(&mut self, ev: &Event) -> Result<()> {
        let data = serde_json::to_string(ev).expect("events serialise");
        self.tx
            .prepare_cached(
                "INSERT INTO events (id, occurred_at, data) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET occurred_at = excluded.occurred_at, data = excluded.data",
            )
            .and_then(|mut st| st.execute(params![ev.id, ev.occurred_at.timestamp(), data]))
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    fn upsert_page(&mut self, p: &PageSnapshot) -> Result<()> {
        let data = serde_json::to_string(p).expect("pages serialise");
        self.tx
            .prepare_cached(
                "INSERT INTO pages (url, fetched_at, status, data) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (url) DO UPDATE SET fetched_at = excluded.fetched_at, status = excluded.status,
                   data = excluded.data",
            )
            .and_then(|mut st| st.execute(params![p.url, p.fetched_at.timestamp(), p.status, data]))
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Records the survey description and the dataset it came from.
    fn set_survey(&mut self, config: &SurveyConfig, dataset: Option<&str>) -> Result<()> {
        let mut rows = vec![("config", serde_json::to_string(config).expect("config serialises"))];
        if let Some(d) = dataset {
            rows.push(("dataset", d.to_owned()));
        }
        for (k, v) in rows {
            self.tx
                .execute(
                    "INSERT INTO survey (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    params![k, v],
                )
                .map_err(|e| self.err(e))?;
        }
        Ok(())
    }
}

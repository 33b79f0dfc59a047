//! Transactional writes: one [`Writer`] per imported file.

use std::path::PathBuf;

use govmedia_model::{Account, Article, Event, MenuSnapshot, PageSnapshot, SurveyConfig};
use govmedia_pii::MaskCounts;
use rusqlite::{OptionalExtension, Transaction, params};

use crate::{Result, StoreError, corrupt, sql_err};

/// Republished copies of one article (same account, same title) sent within this many
/// seconds of each other are one article: a deleted-and-resent push must not count twice.
pub const FOLD_WINDOW_SECS: i64 = 30 * 60;

/// What happened to an article handed to [`Writer::upsert_article`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArticleOutcome {
    /// Inserted or updated under its URL.
    Stored,
    /// Stored, replacing older republished copies (their URLs).
    Replaced(Vec<String>),
    /// Not stored: a newer copy with the same title is already there (its URL).
    Folded(String),
}

/// An article made ready to store: comment and reply texts masked, its JSON written. Building
/// one needs no database, so an importer can prepare articles on another thread than the one
/// that writes them.
#[derive(Debug, Clone)]
pub struct PreparedArticle {
    /// Without its comments (they are in `comments`, masked).
    article: Article,
    data: String,
    comments: Vec<MaskedComment>,
}

#[derive(Debug, Clone)]
struct MaskedComment {
    id: Option<String>,
    created_at: i64,
    text: String,
    likes: Option<i64>,
    featured: Option<bool>,
    reply: Option<(String, i64)>,
    counts: MaskCounts,
}

impl PreparedArticle {
    pub fn new(mut article: Article) -> Self {
        let comments = std::mem::take(&mut article.comments)
            .into_iter()
            .map(|c| {
                let (text, mut counts) = govmedia_pii::mask(&c.text);
                let reply = c.reply.map(|r| {
                    let (t, n) = govmedia_pii::mask(&r.text);
                    counts += n;
                    (t, r.created_at.timestamp())
                });
                MaskedComment {
                    id: c.id,
                    created_at: c.created_at.timestamp(),
                    text,
                    likes: c.likes.map(|v| v as i64),
                    featured: c.featured,
                    reply,
                    counts,
                }
            })
            .collect();
        let data = serde_json::to_string(&article).expect("articles serialise");
        PreparedArticle { article, data, comments }
    }

    /// The account key the article names (an account id or a `__biz`).
    pub fn account(&self) -> &str {
        &self.article.account
    }

    /// Files the article under the account `id` (when it named the account by `__biz`).
    pub fn set_account(&mut self, id: String) {
        if self.article.account != id {
            self.article.account = id;
            self.data = serde_json::to_string(&self.article).expect("articles serialise");
        }
    }
}

impl From<Article> for PreparedArticle {
    fn from(a: Article) -> Self {
        PreparedArticle::new(a)
    }
}

/// Writes inside one transaction; nothing is visible until [`Writer::commit`].
pub struct Writer<'a> {
    tx: Transaction<'a>,
    path: PathBuf,
    masked: MaskCounts,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(tx: Transaction<'a>, path: PathBuf) -> Self {
        Writer { tx, path, masked: MaskCounts::default() }
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        sql_err(&self.path, e)
    }

    /// Commits everything written through this writer.
    pub fn commit(self) -> Result<()> {
        let path = self.path;
        self.tx.commit().map_err(|e| sql_err(&path, e))
    }

    /// Personal data masked so far by this writer.
    pub fn masked(&self) -> MaskCounts {
        self.masked
    }

    /// Inserts or replaces an account.
    pub fn upsert_account(&mut self, a: &Account) -> Result<()> {
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

    /// Inserts `a` unless an account with its id, or with its id as `__biz`, exists.
    /// Returns whether it was inserted.
    pub fn insert_account_if_missing(&mut self, a: &Account) -> Result<bool> {
        if self.resolve_account(&a.id)?.is_some() {
            return Ok(false);
        }
        self.upsert_account(a)?;
        Ok(true)
    }

    /// The account with this id, as stored (including what this writer wrote).
    pub fn account(&self, id: &str) -> Result<Option<Account>> {
        let data: Option<String> = self
            .tx
            .prepare_cached("SELECT data FROM accounts WHERE id = ?1")
            .and_then(|mut st| st.query_row([id], |r| r.get(0)).optional())
            .map_err(|e| self.err(e))?;
        data.map(|d| serde_json::from_str(&d).map_err(|e| corrupt(&self.path, format!("账号 {id}"), e)))
            .transpose()
    }

    /// The id of the account known by `key`: its id, or its `__biz`.
    pub fn resolve_account(&self, key: &str) -> Result<Option<String>> {
        self.tx
            .prepare_cached("SELECT id FROM accounts WHERE id = ?1 UNION ALL SELECT id FROM accounts WHERE biz = ?1 LIMIT 1")
            .and_then(|mut st| st.query_row([key], |r| r.get(0)).optional())
            .map_err(|e| self.err(e))
    }

    /// Stores an article with its comments (personal data in comment and reply texts masked,
    /// see [`PreparedArticle`]), folding republished copies (same account and title within 30
    /// minutes: the newest is kept).
    pub fn upsert_article(&mut self, article: impl Into<PreparedArticle>) -> Result<ArticleOutcome> {
        let PreparedArticle { article, data, comments } = article.into();
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
        if let Some((url, _)) = twins.iter().find(|(_, other)| *other >= t) {
            return Ok(ArticleOutcome::Folded(url.clone()));
        }
        for (url, _) in &twins {
            self.tx.execute("DELETE FROM articles WHERE url = ?1", [url]).map_err(|e| self.err(e))?;
        }

        let reads = article.reads;
        self.tx
            .prepare_cached(
                "INSERT INTO articles (url, account, title, published_at, position, reads, reads_capped, deleted, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (url) DO UPDATE SET account = excluded.account, title = excluded.title,
                   published_at = excluded.published_at, position = excluded.position, reads = excluded.reads,
                   reads_capped = excluded.reads_capped, deleted = excluded.deleted, data = excluded.data",
            )
            .and_then(|mut st| {
                st.execute(params![
                    article.url,
                    article.account,
                    article.title,
                    t,
                    article.position,
                    reads.map(|r| r.value as i64),
                    reads.is_some_and(|r| r.capped),
                    article.deleted.unwrap_or(false),
                    data
                ])
            })
            .map_err(|e| self.err(e))?;
        self.tx
            .prepare_cached("DELETE FROM comments WHERE article_url = ?1")
            .and_then(|mut st| st.execute([&article.url]))
            .map_err(|e| self.err(e))?;
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
        Ok(if twins.is_empty() {
            ArticleOutcome::Stored
        } else {
            ArticleOutcome::Replaced(twins.into_iter().map(|t| t.0).collect())
        })
    }

    /// Stores a menu snapshot (keyed by account and capture time).
    pub fn upsert_menu(&mut self, m: &MenuSnapshot) -> Result<()> {
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

    pub fn upsert_event(&mut self, ev: &Event) -> Result<()> {
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

    pub fn upsert_page(&mut self, p: &PageSnapshot) -> Result<()> {
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
    pub fn set_survey(&mut self, config: &SurveyConfig, dataset: Option<&str>) -> Result<()> {
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

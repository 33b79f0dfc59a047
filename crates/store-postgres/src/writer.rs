//! Transactional writes for PostgreSQL: one writer per imported file.
//!
//! Accounts, menus, events and pages are few and go in with plain upserts. Articles are many:
//! they are buffered and streamed with binary `COPY`, all in the file's one transaction. New
//! articles (a URL the database does not hold) go straight into `articles` and `comments`;
//! articles that update a stored one go into temporary staging tables and are merged with
//! `INSERT … ON CONFLICT` when the writer commits, so an import is an idempotent upsert. The fold rule needs to know, per account and title, which articles
//! exist: the writer loads those keys once per account and keeps them up to date in memory, so
//! that it answers each article at once, exactly as the SQLite writer does row by row.

use std::collections::{HashMap, HashSet};

use govmedia_model::{Account, Event, MenuSnapshot, PageSnapshot, SurveyConfig};
use govmedia_pii::MaskCounts;
use govmedia_store_api::fold::{self, ArticleOutcome};
use govmedia_store_api::{DATA_VERSION, PreparedArticle, Result, StoreError, Writer};
use postgres::Transaction;
use postgres::types::ToSql;

use crate::binary_copy::CopyRows;
use crate::pg_err;

/// Articles buffered before one `COPY` (bounded memory: ~6 KB each).
const FLUSH_EVERY: usize = 2_000;

/// Pages and menus buffered before one upsert over arrays: a round trip per row was most of
/// a PostgreSQL import apart from its articles.
const UPSERT_EVERY: usize = 1_000;

pub(crate) struct PgWriter<'a> {
    tx: Transaction<'a>,
    location: &'a str,
    masked: MaskCounts,
    /// Account ids and `__biz` → id, loaded at the first lookup.
    accounts: Option<AccountKeys>,
    /// Per account: title → stored or staged (URL, publish time), for the fold rule.
    titles: HashMap<String, HashMap<String, Vec<(String, i64)>>>,
    /// URL → (account, title) of every entry in `titles`.
    where_is: HashMap<String, (String, String)>,
    /// Articles replaced by a newer copy: deleted (stored or staged) at commit.
    dropped: HashSet<String>,
    pending: Vec<PreparedArticle>,
    /// URLs written by this writer (copied or staged).
    written: HashSet<String>,
    /// Whether the staging tables exist, and how many articles they hold.
    staging: bool,
    staged: u64,
    pages: Upserts<String, (i64, Option<i32>, String)>,
    menus: Upserts<(String, i64), String>,
}

/// Rows waiting for one upsert, the last one of each key kept (one statement may not update
/// a row twice).
struct Upserts<K, V> {
    index: HashMap<K, usize>,
    rows: Vec<(K, V)>,
}

impl<K: Clone + Eq + std::hash::Hash, V> Default for Upserts<K, V> {
    fn default() -> Self {
        Upserts { index: HashMap::new(), rows: Vec::new() }
    }
}

impl<K: Clone + Eq + std::hash::Hash, V> Upserts<K, V> {
    /// Adds a row; true when the buffer is full.
    fn add(&mut self, key: K, value: V) -> bool {
        match self.index.get(&key) {
            Some(&i) => self.rows[i].1 = value,
            None => {
                self.index.insert(key.clone(), self.rows.len());
                self.rows.push((key, value));
            }
        }
        self.rows.len() >= UPSERT_EVERY
    }

    fn take(&mut self) -> Vec<(K, V)> {
        self.index.clear();
        std::mem::take(&mut self.rows)
    }
}

#[derive(Default)]
struct AccountKeys {
    ids: HashSet<String>,
    /// The smallest id of the accounts with this `__biz`.
    by_biz: HashMap<String, String>,
}

impl AccountKeys {
    fn add(&mut self, id: &str, biz: Option<&str>) {
        self.ids.insert(id.to_owned());
        if let Some(b) = biz {
            let e = self.by_biz.entry(b.to_owned()).or_insert_with(|| id.to_owned());
            if id < e.as_str() {
                *e = id.to_owned();
            }
        }
    }

    fn resolve(&self, key: &str) -> Option<String> {
        if self.ids.contains(key) { Some(key.to_owned()) } else { self.by_biz.get(key).cloned() }
    }
}

impl<'a> PgWriter<'a> {
    pub(crate) fn new(tx: Transaction<'a>, location: &'a str) -> Self {
        PgWriter {
            tx,
            location,
            masked: MaskCounts::default(),
            accounts: None,
            titles: HashMap::new(),
            where_is: HashMap::new(),
            dropped: HashSet::new(),
            pending: Vec::new(),
            written: HashSet::new(),
            staging: false,
            staged: 0,
            pages: Upserts::default(),
            menus: Upserts::default(),
        }
    }

    fn flush_pages(&mut self) -> Result<()> {
        let rows = self.pages.take();
        if rows.is_empty() {
            return Ok(());
        }
        let mut cols = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (url, (fetched_at, status, data)) in rows {
            cols.0.push(url);
            cols.1.push(fetched_at);
            cols.2.push(status);
            cols.3.push(data);
        }
        self.execute(
            "INSERT INTO pages (url, fetched_at, status, data)
             SELECT * FROM unnest($1::text[], $2::int8[], $3::int4[], $4::text[])
             ON CONFLICT (url) DO UPDATE SET fetched_at = excluded.fetched_at, status = excluded.status,
               data = excluded.data",
            &[&cols.0, &cols.1, &cols.2, &cols.3],
        )
        .map(|_| ())
    }

    fn flush_menus(&mut self) -> Result<()> {
        let rows = self.menus.take();
        if rows.is_empty() {
            return Ok(());
        }
        let mut cols = (Vec::new(), Vec::new(), Vec::new());
        for ((account, captured_at), menu) in rows {
            cols.0.push(account);
            cols.1.push(captured_at);
            cols.2.push(menu);
        }
        self.execute(
            "INSERT INTO menus (account, captured_at, menu)
             SELECT * FROM unnest($1::text[], $2::int8[], $3::text[])
             ON CONFLICT (account, captured_at) DO UPDATE SET menu = excluded.menu",
            &[&cols.0, &cols.1, &cols.2],
        )
        .map(|_| ())
    }

    fn err(&self, e: postgres::Error) -> StoreError {
        pg_err(self.location, e)
    }

    fn execute(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64> {
        let location = self.location;
        self.tx.execute(sql, params).map_err(|e| pg_err(location, e))
    }

    fn account_keys(&mut self) -> Result<&mut AccountKeys> {
        if self.accounts.is_none() {
            let rows =
                self.tx.query("SELECT id, biz FROM accounts", &[]).map_err(|e| pg_err(self.location, e))?;
            let mut keys = AccountKeys::default();
            for r in &rows {
                keys.add(r.get(0), r.get(1));
            }
            self.accounts = Some(keys);
        }
        Ok(self.accounts.as_mut().expect("loaded above"))
    }

    /// The titles index of `account`, loaded from the database at first use. URLs this
    /// writer already placed elsewhere are left out: their stored row is about to move.
    fn titles_of(&mut self, account: &str) -> Result<&mut HashMap<String, Vec<(String, i64)>>> {
        if !self.titles.contains_key(account) {
            let rows = self
                .tx
                .query("SELECT url, title, published_at FROM articles WHERE account = $1", &[&account])
                .map_err(|e| pg_err(self.location, e))?;
            let mut index: HashMap<String, Vec<(String, i64)>> = HashMap::new();
            for r in rows {
                let url: String = r.get(0);
                if self.where_is.contains_key(&url) || self.dropped.contains(&url) {
                    continue;
                }
                let title: String = r.get(1);
                self.where_is.insert(url.clone(), (account.to_owned(), title.clone()));
                index.entry(title).or_default().push((url, r.get(2)));
            }
            self.titles.insert(account.to_owned(), index);
        }
        Ok(self.titles.get_mut(account).expect("loaded above"))
    }

    /// Takes `url` out of the titles index, wherever it is.
    fn unindex(&mut self, url: &str) {
        if let Some((account, title)) = self.where_is.remove(url)
            && let Some(list) = self.titles.get_mut(&account).and_then(|t| t.get_mut(&title))
        {
            list.retain(|(u, _)| u != url);
        }
    }

    /// Writes the buffered articles. Articles whose URL neither the database nor this writer has
    /// seen are new: they are copied straight into `articles` and `comments`. The others are
    /// upserts: they are copied into the staging tables and merged at commit.
    fn flush(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        let unseen: Vec<&str> =
            pending.iter().map(|p| p.article.url.as_str()).filter(|u| !self.written.contains(*u)).collect();
        let stored: HashSet<String> = self
            .tx
            .query("SELECT url FROM articles WHERE url = ANY($1)", &[&unseen])
            .map_err(|e| pg_err(self.location, e))?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let (mut direct, mut staged) = (Vec::new(), Vec::new());
        for p in &pending {
            let url = &p.article.url;
            if self.written.insert(url.clone()) && !stored.contains(url) {
                direct.push((None, p));
            } else {
                staged.push((Some(self.staged as i64), p));
                self.staged += 1;
            }
        }
        if !staged.is_empty() && !self.staging {
            self.tx
                .batch_execute(
                    "CREATE TEMP TABLE stage_articles (LIKE articles) ON COMMIT DROP;
                     ALTER TABLE stage_articles ADD COLUMN seq BIGINT NOT NULL;
                     CREATE TEMP TABLE stage_comments (LIKE comments) ON COMMIT DROP;
                     ALTER TABLE stage_comments ADD COLUMN article_seq BIGINT NOT NULL;",
                )
                .map_err(|e| self.err(e))?;
            self.staging = true;
        }
        copy(&mut self.tx, self.location, "", &direct)?;
        copy(&mut self.tx, self.location, "stage_", &staged)
    }

    /// Applies the staged articles: drops replaced copies, then upserts the last staged version
    /// of each URL with its comments.
    fn merge(&mut self) -> Result<()> {
        self.flush_pages()?;
        self.flush_menus()?;
        self.flush()?;
        if !self.dropped.is_empty() {
            let dropped: Vec<String> = self.dropped.iter().cloned().collect();
            if self.staging {
                self.execute("DELETE FROM stage_articles WHERE url = ANY($1)", &[&dropped])?;
            }
            self.execute("DELETE FROM articles WHERE url = ANY($1)", &[&dropped])?;
        }
        if !self.staging {
            return Ok(());
        }
        self.tx
            .batch_execute(
                "CREATE TEMP TABLE stage_winners ON COMMIT DROP AS
                   SELECT DISTINCT ON (url) * FROM stage_articles ORDER BY url, seq DESC;
                 INSERT INTO articles (url, account, title, published_at, position, reads, reads_capped, deleted, data)
                   SELECT url, account, title, published_at, position, reads, reads_capped, deleted, data FROM stage_winners
                   ON CONFLICT (url) DO UPDATE SET account = excluded.account, title = excluded.title,
                     published_at = excluded.published_at, position = excluded.position, reads = excluded.reads,
                     reads_capped = excluded.reads_capped, deleted = excluded.deleted, data = excluded.data;
                 DELETE FROM comments c USING stage_winners w WHERE c.article_url = w.url;
                 INSERT INTO comments (article_url, seq, comment_id, created_at, text, likes, featured, reply_text,
                     reply_at, masked_phone, masked_id_number, masked_bank_card, masked_email)
                   SELECT c.article_url, c.seq, c.comment_id, c.created_at, c.text, c.likes, c.featured, c.reply_text,
                     c.reply_at, c.masked_phone, c.masked_id_number, c.masked_bank_card, c.masked_email
                   FROM stage_comments c JOIN stage_winners w ON w.seq = c.article_seq;",
            )
            .map_err(|e| self.err(e))
    }
}

impl Writer for PgWriter<'_> {
    fn commit(mut self: Box<Self>) -> Result<()> {
        self.merge()?;
        let location = self.location;
        // A transaction that wrote nothing has no transaction id yet.
        let wrote: bool = self
            .tx
            .query_one("SELECT txid_current_if_assigned() IS NOT NULL", &[])
            .map_err(|e| pg_err(location, e))?
            .get(0);
        if wrote {
            self.tx
                .execute(
                    "INSERT INTO cache (namespace, key, value) VALUES ($1, $2, '1')
                     ON CONFLICT (namespace, key) DO UPDATE SET value = (cache.value::bigint + 1)::text",
                    &[&DATA_VERSION.0, &DATA_VERSION.1],
                )
                .map_err(|e| pg_err(location, e))?;
        }
        self.tx.commit().map_err(|e| pg_err(location, e))
    }

    fn masked(&self) -> MaskCounts {
        self.masked
    }

    fn upsert_account(&mut self, a: &Account) -> Result<()> {
        let data = serde_json::to_string(a).expect("accounts serialise");
        let level = a.level.as_str();
        let field = a.field.map(|f| f.as_str());
        let platform = a.platform.as_str();
        let kind = a.kind.map(|k| k.as_str());
        let status = a.status.as_str();
        self.execute(
            "INSERT INTO accounts (id, name, owner, level, field, region, platform, biz, kind, status, data)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, owner = excluded.owner,
               level = excluded.level, field = excluded.field, region = excluded.region,
               platform = excluded.platform, biz = excluded.biz, kind = excluded.kind,
               status = excluded.status, data = excluded.data",
            &[&a.id, &a.name, &a.owner, &level, &field, &a.region, &platform, &a.biz, &kind, &status, &data],
        )?;
        self.account_keys()?.add(&a.id, a.biz.as_deref());
        Ok(())
    }

    fn account(&mut self, id: &str) -> Result<Option<Account>> {
        let row =
            self.tx.query_opt("SELECT data FROM accounts WHERE id = $1", &[&id]).map_err(|e| self.err(e))?;
        row.map(|r| {
            serde_json::from_str(r.get(0))
                .map_err(|e| StoreError::corrupt(self.location, format!("账号 {id}"), e))
        })
        .transpose()
    }

    fn resolve_account(&mut self, key: &str) -> Result<Option<String>> {
        Ok(self.account_keys()?.resolve(key))
    }

    fn upsert_article(&mut self, article: PreparedArticle) -> Result<ArticleOutcome> {
        let (url, account, title) = (&article.article.url, &article.article.account, &article.article.title);
        let t = article.article.published_at.timestamp();
        let twins: Vec<(String, i64)> = self
            .titles_of(account)?
            .get(title)
            .map(|list| {
                list.iter().filter(|(u, other)| u != url && fold::within_window(t, *other)).cloned().collect()
            })
            .unwrap_or_default();
        let outcome = fold::decide(t, &twins);
        match &outcome {
            ArticleOutcome::Folded(_) => return Ok(outcome),
            ArticleOutcome::Replaced(urls) => {
                for u in urls {
                    self.unindex(u);
                    self.dropped.insert(u.clone());
                }
            }
            ArticleOutcome::Stored => {}
        }
        let (url, account, title) = (url.clone(), account.clone(), title.clone());
        self.unindex(&url);
        self.dropped.remove(&url);
        self.titles_of(&account)?.entry(title.clone()).or_default().push((url.clone(), t));
        self.where_is.insert(url, (account, title));
        self.masked += article.masked();
        self.pending.push(article);
        if self.pending.len() >= FLUSH_EVERY {
            self.flush()?;
        }
        Ok(outcome)
    }

    fn upsert_menu(&mut self, m: &MenuSnapshot) -> Result<()> {
        let menu = serde_json::to_string(&m.menu).expect("menus serialise");
        if self.menus.add((m.account.clone(), m.captured_at.timestamp()), menu) {
            self.flush_menus()?;
        }
        Ok(())
    }

    fn upsert_event(&mut self, ev: &Event) -> Result<()> {
        let data = serde_json::to_string(ev).expect("events serialise");
        self.execute(
            "INSERT INTO events (id, occurred_at, data) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET occurred_at = excluded.occurred_at, data = excluded.data",
            &[&ev.id, &ev.occurred_at.timestamp(), &data],
        )
        .map(|_| ())
    }

    fn upsert_page(&mut self, p: &PageSnapshot) -> Result<()> {
        let data = serde_json::to_string(p).expect("pages serialise");
        if self.pages.add(p.url.clone(), (p.fetched_at.timestamp(), p.status.map(i32::from), data)) {
            self.flush_pages()?;
        }
        Ok(())
    }

    fn set_survey(&mut self, config: &SurveyConfig, dataset: Option<&str>) -> Result<()> {
        let mut rows = vec![("config", serde_json::to_string(config).expect("config serialises"))];
        if let Some(d) = dataset {
            rows.push(("dataset", d.to_owned()));
        }
        for (k, v) in rows {
            self.execute(
                "INSERT INTO survey (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                &[&k, &v],
            )?;
        }
        Ok(())
    }
}

/// Streams `rows` with binary `COPY` into `{prefix}articles` and `{prefix}comments`: the tables
/// themselves (no sequence numbers) or their staging copies (with them).
fn copy(
    tx: &mut Transaction<'_>,
    location: &str,
    prefix: &str,
    rows: &[(Option<i64>, &PreparedArticle)],
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let e = |err| pg_err(location, err);
    let seq = rows[0].0.is_some();
    let seq_col = if seq { ", seq" } else { "" };
    let sink = tx
        .copy_in(&format!(
            "COPY {prefix}articles (url, account, title, published_at, position, reads, reads_capped, deleted, data{seq_col})
             FROM STDIN BINARY"
        ))
        .map_err(e)?;
    let mut w = CopyRows::new(sink, location);
    for (n, p) in rows {
        let a = &p.article;
        w.row(if seq { 10 } else { 9 })?;
        w.text(Some(&a.url));
        w.text(Some(&a.account));
        w.text(Some(&a.title));
        w.int8(Some(a.published_at.timestamp()));
        w.int4(a.position.map(|v| i32::try_from(v).unwrap_or(i32::MAX)));
        w.int8(a.reads.map(|r| i64::try_from(r.value).unwrap_or(i64::MAX)));
        w.int4(Some(i32::from(a.reads.is_some_and(|r| r.capped))));
        w.int4(Some(i32::from(a.deleted.unwrap_or(false))));
        w.text(Some(&p.data));
        if let Some(n) = n {
            w.int8(Some(*n));
        }
    }
    w.finish()?;

    if rows.iter().all(|(_, p)| p.comments.is_empty()) {
        return Ok(());
    }
    let seq_col = if seq { ", article_seq" } else { "" };
    let sink = tx
        .copy_in(&format!(
            "COPY {prefix}comments (article_url, seq, comment_id, created_at, text, likes, featured, reply_text, reply_at,
               masked_phone, masked_id_number, masked_bank_card, masked_email{seq_col})
             FROM STDIN BINARY"
        ))
        .map_err(e)?;
    let mut w = CopyRows::new(sink, location);
    let int4 = |v: u32| Some(i32::try_from(v).unwrap_or(i32::MAX));
    for (n, p) in rows {
        for (i, c) in p.comments.iter().enumerate() {
            w.row(if seq { 14 } else { 13 })?;
            w.text(Some(&p.article.url));
            w.int4(Some(i32::try_from(i).unwrap_or(i32::MAX)));
            w.text(c.id.as_deref());
            w.int8(Some(c.created_at));
            w.text(Some(&c.text));
            w.int8(c.likes);
            w.int4(c.featured.map(i32::from));
            w.text(c.reply.as_ref().map(|r| r.0.as_str()));
            w.int8(c.reply.as_ref().map(|r| r.1));
            let m = c.counts;
            for v in [m.phone, m.id_number, m.bank_card, m.email] {
                w.int4(int4(v));
            }
            if let Some(n) = n {
                w.int8(Some(*n));
            }
        }
    }
    w.finish()?;
    Ok(())
}

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

/// Text column `i` as a string, as [`text`], or `None` when it is NULL.
fn optional_text(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<String>> {
    match r.get_ref(i)? {
        ValueRef::Null => Ok(None),
        _ => text(r, i).map(Some),
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

    /// Articles matching `filter`, by account, then time, then URL; comments attached. The
    /// bodies are not in `articles.data` but in `article_bodies` (migration 0005): joined and
    /// put back into the decoded articles, or not read at all with `without_bodies`.
    fn articles(&mut self, filter: &ArticleFilter) -> Result<Vec<Article>> {
        let from = filter.from.map(|t| t.timestamp());
        let until = filter.until.map(|t| t.timestamp());
        let with_bodies = !filter.without_bodies;
        let sql = if with_bodies {
            format!(
                "SELECT a.url, a.data, b.content, b.content_html
                 FROM articles a LEFT JOIN article_bodies b ON b.url = a.url WHERE {}
                 AND (?2 IS NULL OR a.published_at >= ?2) AND (?3 IS NULL OR a.published_at < ?3)
                 ORDER BY a.account, a.published_at, a.url",
                equals("a.account", 1, filter.account.as_deref())
            )
        } else {
            format!(
                "SELECT url, data FROM articles WHERE {}
                 AND (?2 IS NULL OR published_at >= ?2) AND (?3 IS NULL OR published_at < ?3)
                 ORDER BY account, published_at, url",
                equals("account", 1, filter.account.as_deref())
            )
        };
        let mut st = self.tx.prepare_cached(&sql).map_err(|e| self.err(e))?;
        // The bodies of the rows read, in their order: the JSON goes to the decoder, the
        // bodies (plain text, nothing to decode) wait here to be put into what it decodes.
        let mut bodies: Vec<(Option<String>, Option<String>)> = Vec::new();
        let mut articles: Vec<Article> = decode_while_reading(self.location, "文章", |push| {
            let mut rows = st.query(params![filter.account, from, until]).map_err(|e| self.err(e))?;
            while let Some(r) = rows.next().map_err(|e| self.err(e))? {
                if with_bodies {
                    let content = optional_text(r, 2).map_err(|e| self.err(e))?;
                    let content_html = optional_text(r, 3).map_err(|e| self.err(e))?;
                    bodies.push((content, content_html));
                }
                push(r.get(0).map_err(|e| self.err(e))?, text(r, 1).map_err(|e| self.err(e))?);
            }
            Ok(())
        })?;
        // An article without a row in article_bodies keeps what its JSON holds: nothing, as this
        // store writes it, but a row written by another tool may still carry its bodies there.
        if with_bodies {
            debug_assert_eq!(bodies.len(), articles.len());
            for (a, (content, content_html)) in articles.iter_mut().zip(bodies) {
                if content.is_some() || content_html.is_some() {
                    (a.content, a.content_html) = (content, content_html);
                }
            }
        } else {
            for a in &mut articles {
                (a.content, a.content_html) = (None, None);
            }
        }
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
    use govmedia_model::{Account, Article, Level};
    use govmedia_store_api::{ArticleFilter, PreparedArticle, Store};
    use rusqlite::Connection;

    use crate::SqliteStore;

    fn article(url: &str, t: &str, content: Option<&str>, content_html: Option<&str>) -> Article {
        let mut a: Article = serde_json::from_value(serde_json::json!({
            "account": "gh_a", "url": url, "title": format!("标题 {url}"), "published_at": t,
            "position": 1, "reads": "10万+", "likes": 3, "links": ["https://a.gov.cn/"],
            "comments": [{"text": "写得好", "created_at": t, "likes": 2}],
            "来源栏目": {"名称": "政务公开"}
        }))
        .unwrap();
        a.content = content.map(str::to_owned);
        a.content_html = content_html.map(str::to_owned);
        a
    }

    fn store_with(articles: &[Article]) -> SqliteStore {
        let mut store = SqliteStore::open_in_memory().unwrap();
        write(&mut store, articles);
        store
    }

    fn write(store: &mut SqliteStore, articles: &[Article]) {
        let mut w = store.writer().unwrap();
        w.insert_account_if_missing(&Account::new(
            "gh_a",
            "某市发布",
            "某市人民政府办公室",
            Level::Prefecture,
        ))
        .unwrap();
        for a in articles {
            w.upsert_article(PreparedArticle::new(a.clone())).unwrap();
        }
        w.commit().unwrap();
    }

    fn read(store: &mut SqliteStore, filter: &ArticleFilter) -> Vec<Article> {
        store.snapshot().unwrap().articles(filter).unwrap()
    }

    fn without_bodies(a: &Article) -> Article {
        Article { content: None, content_html: None, ..a.clone() }
    }

    /// What the database holds: (url, data) of every article, (url, content, content_html) of
    /// every body.
    type Bodies = Vec<(String, Option<String>, Option<String>)>;
    fn raw(store: &SqliteStore) -> (Vec<(String, String)>, Bodies) {
        let data = store
            .conn
            .prepare("SELECT url, data FROM articles ORDER BY url")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let bodies = store
            .conn
            .prepare("SELECT url, content, content_html FROM article_bodies ORDER BY url")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        (data, bodies)
    }

    #[test]
    fn articles_read_back_with_their_bodies_or_without() {
        let t = "2025-03-01T08:00:00+08:00";
        let both = article("u1", t, Some("正文\"引号\"\n第二段\u{0}"), Some("<p>正文</p>"));
        let html = article("u2", "2025-03-02T08:00:00+08:00", None, Some("<p>只有 HTML</p>"));
        let bare = article("u3", "2025-03-03T08:00:00+08:00", None, None);
        let empty = article("u4", "2025-03-04T08:00:00+08:00", Some(""), None);
        let written = [bare.clone(), both.clone(), empty.clone(), html.clone()];
        let mut store = store_with(&written);
        let all = ArticleFilter::default();
        assert_eq!(read(&mut store, &all), [both.clone(), html.clone(), bare.clone(), empty.clone()]);
        let lean = ArticleFilter { without_bodies: true, ..ArticleFilter::default() };
        let expected: Vec<Article> = [&both, &html, &bare, &empty].map(without_bodies).into();
        assert_eq!(read(&mut store, &lean), expected);
        // Filtered by account and time, without comments: the other form of each query.
        let some = ArticleFilter {
            account: Some("gh_a".into()),
            from: Some(html.published_at),
            without_comments: true,
            ..ArticleFilter::default()
        };
        let no_comments = |a: &Article| Article { comments: vec![], ..a.clone() };
        assert_eq!(read(&mut store, &some), [&html, &bare, &empty].map(no_comments));
        let some = ArticleFilter { without_bodies: true, ..some };
        assert_eq!(read(&mut store, &some), [&html, &bare, &empty].map(|a| no_comments(&without_bodies(a))));

        // The bodies are kept apart, and only for articles that have one.
        let (data, bodies) = raw(&store);
        assert!(data.iter().all(|(_, d)| !d.contains("content")), "{data:?}");
        let body =
            |u: &str, c: Option<&str>, h: Option<&str>| (u.to_owned(), c.map(Into::into), h.map(Into::into));
        assert_eq!(
            bodies,
            [
                body("u1", both.content.as_deref(), Some("<p>正文</p>")),
                body("u2", None, Some("<p>只有 HTML</p>")),
                body("u4", Some(""), None)
            ]
        );
    }

    /// A row written with its bodies in `data` (by another tool than this store) reads back
    /// with them, and without them when asked.
    #[test]
    fn bodies_left_in_the_json_still_read() {
        let mut store = store_with(&[]);
        let a = article("u1", "2025-03-01T08:00:00+08:00", Some("正文"), Some("<p>正文</p>"));
        let data = serde_json::to_string(&Article { comments: vec![], ..a.clone() }).unwrap();
        store
            .conn
            .execute(
                "INSERT INTO articles (url, account, title, published_at, data) VALUES ('u1', 'gh_a', 't', 0, ?1)",
                [&data],
            )
            .unwrap();
        let no_comments = Article { comments: vec![], ..a };
        assert_eq!(read(&mut store, &ArticleFilter::default()), std::slice::from_ref(&no_comments));
        let lean = ArticleFilter { without_bodies: true, ..ArticleFilter::default() };
        assert_eq!(read(&mut store, &lean), [without_bodies(&no_comments)]);
    }

    /// More rows than the decoder's chunk: decoded on another thread, the bodies still go to
    /// their own articles.
    #[test]
    fn bodies_go_to_their_articles_in_a_large_read() {
        let articles: Vec<Article> = (0..700)
            .map(|i| {
                let t = format!("2025-03-01T{:02}:{:02}:00+08:00", i / 60 % 24, i % 60);
                let content = (i % 3 != 0).then(|| format!("第 {i} 篇的正文").repeat(i % 7 + 1));
                let html = (i % 5 == 0).then(|| format!("<p>{i}</p>"));
                let mut a = article(&format!("u{i:04}"), &t, content.as_deref(), html.as_deref());
                a.title = format!("标题 {i}"); // no two alike: nothing folds
                a
            })
            .collect();
        let mut store = store_with(&articles);
        let mut expected = articles.clone();
        expected.sort_by_key(|a| (a.published_at, a.url.clone()));
        assert_eq!(read(&mut store, &ArticleFilter::default()), expected);
        let lean = ArticleFilter { without_bodies: true, ..ArticleFilter::default() };
        assert_eq!(read(&mut store, &lean), expected.iter().map(without_bodies).collect::<Vec<_>>());
    }

    #[test]
    fn an_article_imported_again_replaces_its_body() {
        let t = "2025-03-01T08:00:00+08:00";
        let mut store = store_with(&[article("u1", t, Some("旧正文"), Some("<p>旧</p>"))]);
        let bodies = |store: &SqliteStore| raw(store).1;

        let changed = article("u1", t, Some("新正文"), None);
        write(&mut store, std::slice::from_ref(&changed));
        assert_eq!(read(&mut store, &ArticleFilter::default()), [changed]);
        assert_eq!(bodies(&store), [("u1".to_owned(), Some("新正文".to_owned()), None)]);

        let removed = article("u1", t, None, None);
        write(&mut store, std::slice::from_ref(&removed));
        assert_eq!(read(&mut store, &ArticleFilter::default()), [removed]);
        assert!(bodies(&store).is_empty());

        let back = article("u1", t, None, Some("<p>又有了</p>"));
        write(&mut store, std::slice::from_ref(&back));
        assert_eq!(read(&mut store, &ArticleFilter::default()), std::slice::from_ref(&back));

        // A republished copy (same title, ten minutes later) replaces the article: the old
        // body goes with it.
        let mut copy = article("u2", "2025-03-01T08:10:00+08:00", Some("转发的正文"), None);
        copy.title = back.title.clone();
        write(&mut store, std::slice::from_ref(&copy));
        assert_eq!(read(&mut store, &ArticleFilter::default()), [copy]);
        assert_eq!(bodies(&store), [("u2".to_owned(), Some("转发的正文".to_owned()), None)]);
    }

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

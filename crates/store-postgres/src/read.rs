//! Reads inside one `REPEATABLE READ` transaction. Text keys sort with `COLLATE "C"` (byte
//! order), as SQLite sorts them, so both backends list records in the same order.

use std::collections::HashMap;

use govmedia_model::time::from_unix;
use govmedia_model::{Account, Article, Comment, Event, MenuSnapshot, PageSnapshot, Reply, SurveyConfig};
use govmedia_store_api::stats::{AggregateRow, Aggregates};
use govmedia_store_api::{AccountFilter, ArticleFilter, Result, Stats, StoreError, SurveyRead, decode_rows};
use postgres::Transaction;
use postgres::types::ToSql;

use crate::pg_err;

pub(crate) struct Snapshot<'a> {
    tx: Transaction<'a>,
    location: &'a str,
}

/// `column = $n` when filtering by `value`, else a condition that holds for every row: a
/// generic plan of `($n IS NULL OR column = $n)` would not use the index on `column`.
fn equals(column: &str, n: u8, value: Option<&str>) -> String {
    match value {
        Some(_) => format!("{column} = ${n}"),
        None => format!("${n}::text IS NULL"),
    }
}

impl<'a> Snapshot<'a> {
    pub(crate) fn new(tx: Transaction<'a>, location: &'a str) -> Self {
        Snapshot { tx, location }
    }

    fn query(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<postgres::Row>> {
        self.tx.query(sql, params).map_err(|e| pg_err(self.location, e))
    }

    /// Rows of (key, JSON) parsed as `T`.
    fn json_rows<T: serde::de::DeserializeOwned + Send>(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        what: &str,
    ) -> Result<Vec<T>> {
        let rows = self.query(sql, params)?;
        let docs: Vec<(&str, &str)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
        decode_rows(self.location, what, &docs)
    }

    fn comments(
        &mut self,
        account: Option<&str>,
        from: Option<i64>,
        until: Option<i64>,
    ) -> Result<HashMap<String, Vec<Comment>>> {
        let sql = format!(
            "SELECT c.article_url, c.comment_id, c.created_at, c.text, c.likes, c.featured, c.reply_text, c.reply_at
             FROM comments c JOIN articles a ON a.url = c.article_url
             WHERE {} AND ($2::bigint IS NULL OR a.published_at >= $2)
             AND ($3::bigint IS NULL OR a.published_at < $3)
             ORDER BY c.article_url COLLATE \"C\", c.seq",
            equals("a.account", 1, account)
        );
        let rows = self.query(&sql, &[&account, &from, &until])?;
        let mut out: HashMap<String, Vec<Comment>> = HashMap::new();
        for r in rows {
            let reply_text: Option<String> = r.get(6);
            let reply_at: Option<i64> = r.get(7);
            let comment = Comment {
                id: r.get(1),
                text: r.get(3),
                created_at: from_unix(r.get(2)).unwrap_or_default(),
                likes: r.get::<_, Option<i64>>(4).map(|v| v.max(0) as u64),
                featured: r.get::<_, Option<i32>>(5).map(|v| v != 0),
                reply: reply_text
                    .map(|text| Reply { text, created_at: reply_at.and_then(from_unix).unwrap_or_default() }),
            };
            out.entry(r.get(0)).or_default().push(comment);
        }
        Ok(out)
    }
}

impl SurveyRead for Snapshot<'_> {
    fn survey(&mut self) -> Result<(SurveyConfig, Option<String>)> {
        let rows = self.query("SELECT key, value FROM survey WHERE key IN ('config', 'dataset')", &[])?;
        let get = |k: &str| rows.iter().find(|r| r.get::<_, &str>(0) == k).map(|r| r.get::<_, String>(1));
        let config = match get("config") {
            Some(s) => {
                serde_json::from_str(&s).map_err(|e| StoreError::corrupt(self.location, "survey.toml", e))?
            }
            None => SurveyConfig::default(),
        };
        Ok((config, get("dataset")))
    }

    fn accounts(&mut self, filter: &AccountFilter) -> Result<Vec<Account>> {
        let level = filter.level.map(|l| l.as_str());
        let field = filter.field.map(|f| f.as_str());
        self.json_rows(
            "SELECT id, data FROM accounts WHERE ($1::text IS NULL OR level = $1) AND ($2::text IS NULL OR field = $2)
             AND ($3::text IS NULL OR region = $3 OR starts_with(region, $3)) ORDER BY id COLLATE \"C\"",
            &[&level, &field, &filter.region],
            "账号",
        )
    }

    fn account(&mut self, key: &str) -> Result<Option<Account>> {
        let mut found = self.json_rows(
            "SELECT id, data FROM accounts WHERE id = $1 OR biz = $1 ORDER BY id = $1 DESC, id COLLATE \"C\" LIMIT 1",
            &[&key],
            "账号",
        )?;
        Ok(found.pop())
    }

    fn articles(&mut self, filter: &ArticleFilter) -> Result<Vec<Article>> {
        let from = filter.from.map(|t| t.timestamp());
        let until = filter.until.map(|t| t.timestamp());
        // Without bodies, the server takes them out of the JSON: they are not sent (nine tenths
        // of the bytes of a survey's articles). Not as `(data::jsonb - 'content' - …)`: jsonb
        // rewrites numbers (`1e16` comes back as an integer, `-0.0` as `0.0`), so the fields
        // kept beside the contract's could read differently with and without bodies; json_each
        // hands each value back as written. Neither takes the escape \u0000 (a JSON string may
        // hold it): such a document is sent whole and its bodies are dropped here.
        let data = if filter.without_bodies {
            "CASE WHEN strpos(data, '\\u0000') = 0 THEN (SELECT json_object_agg(e.key, e.value)
               FROM json_each(data::json) e WHERE e.key NOT IN ('content', 'content_html'))::text
             ELSE data END"
        } else {
            "data"
        };
        let sql = format!(
            "SELECT url, {data} FROM articles WHERE {}
             AND ($2::bigint IS NULL OR published_at >= $2) AND ($3::bigint IS NULL OR published_at < $3)
             ORDER BY account COLLATE \"C\", published_at, url COLLATE \"C\"",
            equals("account", 1, filter.account.as_deref())
        );
        let mut articles: Vec<Article> = self.json_rows(&sql, &[&filter.account, &from, &until], "文章")?;
        if filter.without_bodies {
            for a in &mut articles {
                (a.content, a.content_html) = (None, None);
            }
        }
        if !filter.without_comments {
            let mut comments = self.comments(filter.account.as_deref(), from, until)?;
            for a in &mut articles {
                a.comments = comments.remove(&a.url).unwrap_or_default();
            }
        }
        Ok(articles)
    }

    fn menus(&mut self, account: Option<&str>) -> Result<Vec<MenuSnapshot>> {
        let location = self.location;
        let sql = format!(
            "SELECT account, captured_at, menu FROM menus WHERE {} ORDER BY account COLLATE \"C\", captured_at",
            equals("account", 1, account)
        );
        self.query(&sql, &[&account])?
            .into_iter()
            .map(|r| {
                let account: String = r.get(0);
                let menu = serde_json::from_str(r.get(2))
                    .map_err(|e| StoreError::corrupt(location, format!("菜单 {account}"), e))?;
                Ok(MenuSnapshot { account, captured_at: from_unix(r.get(1)).unwrap_or_default(), menu })
            })
            .collect()
    }

    fn events(&mut self) -> Result<Vec<Event>> {
        self.json_rows("SELECT id, data FROM events ORDER BY occurred_at, id COLLATE \"C\"", &[], "事件")
    }

    fn pages(&mut self) -> Result<Vec<PageSnapshot>> {
        self.json_rows("SELECT url, data FROM pages ORDER BY url COLLATE \"C\"", &[], "网页快照")
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
        Ok(self
            .query(sql, &[])?
            .iter()
            .map(|r| {
                let key = if keyed { r.get::<_, Option<String>>(0) } else { None };
                let values = (usize::from(keyed)..r.len()).map(|i| r.get::<_, Option<i64>>(i)).collect();
                (key, values)
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use govmedia_model::{Account, Article, Level};
    use govmedia_store_api::{ArticleFilter, PreparedArticle, Store};

    use crate::PgStore;
    use crate::testing::TestDb;

    /// Without bodies, an article reads as with them but for its bodies, even where jsonb would
    /// have rewritten a number or refused a string.
    #[test]
    fn articles_read_without_bodies_are_otherwise_the_same() {
        let Some(db) = TestDb::create("articles_without_bodies") else { return };
        let mut store = PgStore::connect(db.url()).unwrap();
        let article = |url: &str, t: &str, content: Option<&str>, html: Option<&str>| {
            let mut a: Article = serde_json::from_value(serde_json::json!({
                "account": "gh_a", "url": url, "title": format!("标题 {url}"), "published_at": t,
                "reads": "10万+", "likes": 3, "comments": [{"text": "写得好", "created_at": t}],
                "来源栏目": {"名称": "政务公开", "content": "嵌套的同名字段"},
                "big": 1e16, "negative_zero": -0.0, "small": 1.5e-7
            }))
            .unwrap();
            a.content = content.map(str::to_owned);
            a.content_html = html.map(str::to_owned);
            a
        };
        let articles = [
            article("u1", "2025-03-01T08:00:00+08:00", Some("正文\"引号\"\n第二段"), Some("<p>正文</p>")),
            article("u2", "2025-03-02T08:00:00+08:00", Some("含\u{0}的正文"), None),
            article("u3", "2025-03-03T08:00:00+08:00", None, None),
        ];
        let mut w = store.writer().unwrap();
        w.upsert_account(&Account::new("gh_a", "某市发布", "某市人民政府办公室", Level::Prefecture)).unwrap();
        for a in &articles {
            w.upsert_article(PreparedArticle::new(a.clone())).unwrap();
        }
        w.commit().unwrap();

        let json = |v: &[Article]| serde_json::to_string(v).unwrap();
        let all = store.snapshot().unwrap().articles(&ArticleFilter::default()).unwrap();
        assert_eq!(json(&all), json(&articles));
        let lean = ArticleFilter { without_bodies: true, ..ArticleFilter::default() };
        let bare: Vec<Article> =
            articles.iter().map(|a| Article { content: None, content_html: None, ..a.clone() }).collect();
        let read = store.snapshot().unwrap().articles(&lean).unwrap();
        assert_eq!(json(&read), json(&bare));
        let one =
            ArticleFilter { account: Some("gh_a".into()), from: Some(articles[1].published_at), ..lean };
        let read = store.snapshot().unwrap().articles(&one).unwrap();
        assert_eq!(json(&read), json(&bare[1..]));
    }
}

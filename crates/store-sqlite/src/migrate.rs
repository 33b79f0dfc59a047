//! Versioned schema migrations: numbered SQL files applied in order, each in its own
//! transaction, recorded in `schema_migrations`. A dozen lines of code do not justify a
//! migration framework whose driver versions would have to follow rusqlite's.

use rusqlite::Connection;

use govmedia_store_api::{Result, StoreError};

use crate::sql_err;

/// (version, SQL). Append only: never edit a migration that has shipped.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/0001_init.sql")),
    (2, include_str!("../migrations/0002_cache_runs.sql")),
    (3, include_str!("../migrations/0003_access.sql")),
    (4, include_str!("../migrations/0004_run_articles.sql")),
    (5, include_str!("../migrations/0005_article_bodies.sql")),
];

pub(crate) fn run(conn: &mut Connection, location: &str) -> Result<()> {
    let e = |err| sql_err(location, err);
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)",
    )
    .map_err(e)?;
    let current: i64 = conn
        .query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], |r| r.get(0))
        .map_err(e)?;
    let latest = MIGRATIONS.last().map_or(0, |m| m.0);
    if current > latest {
        return Err(StoreError::TooNew { location: location.to_owned(), found: current, supported: latest });
    }
    for (version, sql) in MIGRATIONS.iter().filter(|m| m.0 > current) {
        let tx = conn.transaction().map_err(e)?;
        tx.execute_batch(sql).map_err(e)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
            rusqlite::params![version, chrono::Utc::now().to_rfc3339()],
        )
        .map_err(e)?;
        tx.commit().map_err(e)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use govmedia_model::Article;
    use govmedia_store_api::{ArticleFilter, Store};
    use rusqlite::Connection;

    use crate::SqliteStore;

    /// A database left at version 4 (bodies inside articles.data) gets them moved to
    /// article_bodies, and reads the same articles as before.
    #[test]
    fn version_5_moves_the_bodies_out_of_the_article_json() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v4.db");
        let article = |url: &str, extra: &str| {
            format!(
                r#"{{"account":"gh_a","url":"{url}","title":"标题{url}","published_at":"2025-03-01T08:00:00+08:00","likes":3{extra}}}"#
            )
        };
        let both = r#","content":"正文\"引号\"\n第二段","content_html":"<p>正文</p>","reads":"10万+""#;
        let rows = [
            ("u1", article("u1", both)),
            ("u2", article("u2", r#","content_html":"<p>只有 HTML</p>""#)),
            ("u3", article("u3", "")),
            ("u4", article("u4", r#","content":null"#)),
        ];
        {
            let mut conn = Connection::open(&path).unwrap();
            conn.execute_batch("PRAGMA foreign_keys = ON; CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)")
                .unwrap();
            let tx = conn.transaction().unwrap();
            for (version, sql) in &super::MIGRATIONS[..4] {
                assert!(*version <= 4);
                tx.execute_batch(sql).unwrap();
                tx.execute("INSERT INTO schema_migrations VALUES (?1, 't')", [version]).unwrap();
            }
            tx.execute_batch(
                "INSERT INTO accounts (id, name, owner, level, platform, status, data)
                 VALUES ('gh_a', '某市发布', '某市人民政府办公室', 'prefecture', 'wechat', 'active',
                         '{\"id\":\"gh_a\",\"name\":\"某市发布\",\"owner\":\"某市人民政府办公室\",\"level\":\"prefecture\"}')",
            )
            .unwrap();
            for (i, (url, data)) in rows.iter().enumerate() {
                tx.execute(
                    "INSERT INTO articles (url, account, title, published_at, data) VALUES (?1, 'gh_a', ?1, ?2, ?3)",
                    rusqlite::params![url, 1_740_787_200 + i as i64, data],
                )
                .unwrap();
            }
            tx.commit().unwrap();
        }
        let expected: Vec<Article> = rows.iter().map(|(_, d)| serde_json::from_str(d).unwrap()).collect();
        assert_eq!(expected[0].content.as_deref(), Some("正文\"引号\"\n第二段"));

        let mut store = SqliteStore::open(&path).unwrap();
        let version: i64 =
            store.conn.query_row("SELECT MAX(version) FROM schema_migrations", [], |r| r.get(0)).unwrap();
        assert_eq!(version, 5);
        assert_eq!(store.snapshot().unwrap().articles(&ArticleFilter::default()).unwrap(), expected);
        let lean = ArticleFilter { without_bodies: true, ..ArticleFilter::default() };
        let bare: Vec<Article> =
            expected.iter().map(|a| Article { content: None, content_html: None, ..a.clone() }).collect();
        assert_eq!(store.snapshot().unwrap().articles(&lean).unwrap(), bare);

        let data: Vec<String> = store
            .conn
            .prepare("SELECT data FROM articles ORDER BY url")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(data.iter().all(|d| !d.contains("content")), "{data:?}");
        assert_eq!(data[2], rows[2].1, "an article without a body is left as it was");
        let with_body: Vec<String> = store
            .conn
            .prepare("SELECT url FROM article_bodies ORDER BY url")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(with_body, ["u1", "u2"]);
    }
}

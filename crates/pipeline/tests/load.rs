//! The loader applies one rule for the period, the check date and the cut-off, whichever front
//! end calls it (the CLI, the tests, the server).

use govmedia_model::time::parse_time;
use govmedia_model::{Account, Article, Level, MenuSnapshot, SurveyConfig};
use govmedia_pipeline::{Scope, load_survey};
use govmedia_store_api::{PreparedArticle, Store};
use govmedia_store_sqlite::SqliteStore;

fn article(url: &str, t: &str) -> Article {
    let mut a: Article = serde_json::from_value(serde_json::json!({
        "account": "gh_a", "url": url, "title": url, "published_at": t
    }))
    .unwrap();
    a.comments.clear();
    a
}

fn menu(t: &str, name: &str) -> MenuSnapshot {
    let menu =
        serde_json::json!({"menu": {"button": [{"name": name, "type": "view", "url": "https://a.gov.cn/"}]}});
    MenuSnapshot { account: "gh_a".into(), captured_at: parse_time("t", t).unwrap(), menu }
}

fn menu_name(s: &govmedia_pipeline::Loaded) -> String {
    s.accounts[0].menu.as_ref().unwrap().parse().unwrap().buttons[0].name.clone()
}

/// A survey of January 2025.
fn set_january_survey(w: &mut dyn govmedia_store_api::Writer) {
    let config: SurveyConfig =
        toml::from_str("[period]\nfrom = \"2025-01-01\"\nto = \"2025-01-31\"\n").unwrap();
    w.set_survey(&config, None).unwrap();
}

#[test]
fn articles_before_the_check_dates_midnight_and_the_last_menu_captured_by_that_day() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    let mut w = store.writer().unwrap();
    set_january_survey(&mut *w);
    w.upsert_account(&Account::new("gh_a", "某市发布", "某市人民政府办公室", Level::Prefecture)).unwrap();
    for (url, t) in [
        ("before-period", "2024-12-20T10:00:00+08:00"),
        ("last-minute", "2025-01-31T23:59:59+08:00"),
        ("check-day", "2025-02-01T00:00:00+08:00"),
    ] {
        w.upsert_article(PreparedArticle::new(article(url, t))).unwrap();
    }
    w.upsert_menu(&menu("2025-01-10T09:00:00+08:00", "旧菜单")).unwrap();
    w.upsert_menu(&menu("2025-02-01T18:00:00+08:00", "检查日菜单")).unwrap();
    w.upsert_menu(&menu("2025-02-02T00:00:00+08:00", "次日菜单")).unwrap();
    w.commit().unwrap();

    let s = load_survey(&mut store, &Scope::default(), None, true).unwrap();
    assert_eq!(s.survey.check_date.to_string(), "2025-02-01", "the day after the period ends");
    let urls: Vec<&str> = s.accounts[0].articles.iter().map(|a| a.url.as_str()).collect();
    assert_eq!(
        urls,
        ["before-period", "last-minute"],
        "articles before 00:00 of the check date, the period's start does not cut"
    );
    assert_eq!(menu_name(&s), "检查日菜单");

    let earlier = Scope { check_date: Some("2025-01-15".parse().unwrap()), ..Scope::default() };
    let s = load_survey(&mut store, &earlier, None, true).unwrap();
    assert_eq!(s.accounts[0].articles.len(), 1);
    assert_eq!(menu_name(&s), "旧菜单");
}

/// The store's accounts come in chunks, in roster order, read while the previous chunk is
/// visited; a visit that fails stops the pass with its error and nothing more is visited.
#[test]
fn accounts_are_read_in_chunks_in_roster_order_and_a_failed_visit_stops_the_pass() {
    use govmedia_checks::{AccountSource, PassError};
    use govmedia_pipeline::{StoreAccounts, read_survey};

    let mut store = SqliteStore::open_in_memory().unwrap();
    let mut w = store.writer().unwrap();
    set_january_survey(&mut *w);
    let ids: Vec<String> = (0..2_500).map(|i| format!("gh_{i:04}")).collect();
    for id in &ids {
        w.upsert_account(&Account::new(id, "某发布", "某单位", Level::County)).unwrap();
        let mut a = article(&format!("https://mp.weixin.qq.com/s/{id}"), "2025-01-10T10:00:00+08:00");
        a.account = id.clone();
        w.upsert_article(PreparedArticle::new(a)).unwrap();
    }
    w.commit().unwrap();
    let mut read = store.snapshot().unwrap();
    let header = read_survey(&mut *read, "test.db", &Scope::default(), None, true).unwrap();
    let mut source = StoreAccounts::new(&mut *read, &header);

    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    source
        .for_each_chunk(&mut |chunk| {
            sizes.push(chunk.len());
            seen.extend(chunk.iter().map(|a| (a.account.id.clone(), a.articles.len())));
            Ok(())
        })
        .unwrap();
    assert!(sizes.len() > 1, "several chunks: {sizes:?}");
    assert_eq!(seen, ids.iter().map(|id| (id.clone(), 1)).collect::<Vec<_>>());

    let mut visits = 0;
    let stopped = source.for_each_chunk(&mut |_| {
        visits += 1;
        Err(PassError::Read("停止".into()))
    });
    assert!(matches!(stopped, Err(PassError::Read(m)) if m == "停止"));
    assert_eq!(visits, 1);
}

/// The data version counts the writer commits that changed something, on both backends: a
/// reader that sees the same number twice knows the data did not change in between.
fn data_version_counts_changing_commits(spec: &str) {
    let mut store = govmedia_pipeline::open_store(&govmedia_pipeline::StoreSpec::parse(spec)).unwrap();
    let start = store.data_version().unwrap();
    let mut w = store.writer().unwrap();
    set_january_survey(&mut *w);
    w.commit().unwrap();
    assert_eq!(store.data_version().unwrap(), start + 1, "a commit that wrote");
    store.writer().unwrap().commit().unwrap();
    assert_eq!(store.data_version().unwrap(), start + 1, "a commit that wrote nothing");
    let mut w = store.writer().unwrap();
    set_january_survey(&mut *w);
    drop(w);
    assert_eq!(store.data_version().unwrap(), start + 1, "a writer dropped without committing");
    let mut w = store.writer().unwrap();
    w.upsert_account(&Account::new("gh_a", "某市发布", "某市人民政府办公室", Level::Prefecture)).unwrap();
    w.upsert_menu(&menu("2025-01-05T10:00:00+08:00", "政务公开")).unwrap();
    w.commit().unwrap();
    assert_eq!(store.data_version().unwrap(), start + 2);
}

#[test]
fn the_data_version_counts_changing_commits() {
    let dir = tempfile::tempdir().unwrap();
    data_version_counts_changing_commits(dir.path().join("g.db").to_str().unwrap());
    if let Some(db) = govmedia_store_postgres::testing::TestDb::create("data_version") {
        data_version_counts_changing_commits(db.url());
    }
}

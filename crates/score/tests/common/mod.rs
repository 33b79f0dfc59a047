//! Turns a generated dataset into the survey the engine reads, through the same store and
//! loader as every front end: the records go into an in-memory SQLite store (returned beside
//! the survey: the checks' caches live in it), and the pipeline's loader applies the one rule
//! for the period, the check date and the cut-off.

use govmedia_pipeline::{Loaded, Scope, load_survey};
use govmedia_sample::Dataset;
use govmedia_store_api::{PreparedArticle, Store};
use govmedia_store_sqlite::SqliteStore;

pub fn store_and_survey(ds: Dataset) -> (SqliteStore, Loaded) {
    let mut store = SqliteStore::open_in_memory().expect("in-memory store");
    let mut w = store.writer().expect("writer");
    w.set_survey(&ds.config, None).unwrap();
    for a in &ds.accounts {
        w.upsert_account(a).unwrap();
    }
    for a in ds.articles {
        w.upsert_article(PreparedArticle::new(a)).unwrap();
    }
    for m in &ds.menus {
        w.upsert_menu(m).unwrap();
    }
    for e in &ds.events {
        w.upsert_event(e).unwrap();
    }
    for p in &ds.pages {
        w.upsert_page(p).unwrap();
    }
    w.commit().unwrap();
    let loaded = load_survey(&mut store, &Scope::default(), None, true).expect("the generated survey loads");
    (store, loaded)
}

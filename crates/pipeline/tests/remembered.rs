//! An evaluation reuses the content checks' outcomes of the accounts whose data did not change
//! since an earlier evaluation on the same database, and never across a change of settings:
//! a lexicon edited in place is read again.

use std::path::Path;

use govmedia_pipeline::{CheckOptions, EvaluateOptions, NoProgress, Scope, WebCheckOptions, evaluate_run};
use govmedia_sample::{DEFAULT_SEED, Scale, generate};
use govmedia_store_api::{PreparedArticle, Store};
use govmedia_store_sqlite::SqliteStore;

fn lexicon(dir: &Path, term: &str) {
    let text = format!(
        "name = \"本地词库\"\nkind = \"deny\"\ncategory = \"测试\"\nseverity = \"minor\"\nsource = \"test\"\nterms = [\"{term}\"]\n"
    );
    std::fs::write(dir.join("mine.toml"), text).unwrap();
}

#[test]
fn unchanged_accounts_are_not_checked_again_unless_the_settings_changed() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("g.db")).unwrap();
    let ds = generate(Scale::Sample, DEFAULT_SEED);
    let mut w = store.writer().unwrap();
    w.set_survey(&ds.config, None).unwrap();
    for a in &ds.accounts {
        w.upsert_account(a).unwrap();
    }
    let late = ds.articles.iter().rposition(|a| a.content.is_some()).unwrap();
    for (i, a) in ds.articles.iter().enumerate() {
        if i != late {
            w.upsert_article(PreparedArticle::new(a.clone())).unwrap();
        }
    }
    for m in &ds.menus {
        w.upsert_menu(m).unwrap();
    }
    w.commit().unwrap();
    let lexicons = dir.path().join("lex");
    std::fs::create_dir(&lexicons).unwrap();
    lexicon(&lexicons, "不会出现的词语");
    let options = EvaluateOptions {
        offline: true,
        checks: CheckOptions {
            lexicons: Some(lexicons.clone()),
            web: WebCheckOptions { browser: Some("no-browser".into()), ..Default::default() },
            ..Default::default()
        },
        ..Default::default()
    };
    let evaluate = |store: &mut SqliteStore, options: &EvaluateOptions| {
        let mut e = evaluate_run(store, options, None, &NoProgress).unwrap();
        e.results.generated_at.clear();
        (e.remembered, serde_json::to_string(&e.results).unwrap())
    };
    let accounts = ds.accounts.len();

    let (remembered, first) = evaluate(&mut store, &options);
    assert_eq!(remembered, 0);
    let (remembered, again) = evaluate(&mut store, &options);
    assert_eq!((remembered, &again), (accounts, &first), "nothing changed: no account checked again");

    // An article collected late: only its account is checked again.
    let mut w = store.writer().unwrap();
    w.upsert_article(PreparedArticle::new(ds.articles[late].clone())).unwrap();
    w.commit().unwrap();
    let (remembered, late_collected) = evaluate(&mut store, &options);
    assert_eq!(remembered, accounts - 1);
    let fresh = EvaluateOptions { fresh: true, ..options.clone() };
    let (remembered, fresh_results) = evaluate(&mut store, &fresh);
    assert_eq!((remembered, &late_collected), (0, &fresh_results));

    // A week later, the same articles in the period: the check date is not part of what the
    // content checks see, nothing is checked again (a daily monitor's first round of a day).
    let period = ds.config.period.expect("the sample has a period");
    let later = EvaluateOptions {
        scope: Scope { check_date: Some(period.to + chrono::Days::new(8)), ..Scope::default() },
        ..options.clone()
    };
    let (remembered, a_week_later) = evaluate(&mut store, &later);
    assert_eq!(remembered, accounts);
    let later_fresh = EvaluateOptions { fresh: true, ..later.clone() };
    assert_eq!(a_week_later, evaluate(&mut store, &later_fresh).1);
    assert_ne!(a_week_later, late_collected, "the week shows in timeliness");

    // The lexicon edited in place to a term the sample's articles use: every account again.
    let term: String = ds.articles[late].title.chars().take(4).collect();
    lexicon(&lexicons, &term);
    let (remembered, edited) = evaluate(&mut store, &options);
    assert_eq!(remembered, 0, "another lexicon is another scope");
    assert!(edited.contains("本地词库") && !late_collected.contains("本地词库"));
    assert_eq!(edited, evaluate(&mut store, &fresh).1);
}

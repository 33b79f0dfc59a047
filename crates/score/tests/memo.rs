//! Remembered outcomes: an evaluation that reuses the account-local checks' outcomes of
//! accounts whose data did not change gives the fresh results, and assesses again exactly the
//! accounts that changed.

mod common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use govmedia_checks::{AccountData, InMemory, NoProgress, Survey};
use govmedia_model::results::Results;
use govmedia_pipeline::{CheckOptions, CheckSet, WebCheckOptions, evaluate_survey};
use govmedia_sample::{DEFAULT_SEED, Scale, generate};
use govmedia_score::{Framework, Memo, MemoStore};
use govmedia_store_sqlite::SqliteStore;

/// Entries in memory, counting what is stored.
#[derive(Default)]
struct Entries {
    map: Mutex<HashMap<String, String>>,
    saved: Mutex<Vec<String>>,
}

impl MemoStore for Entries {
    fn load(&self, slots: &[String]) -> Result<Vec<Option<String>>, String> {
        let map = self.map.lock().unwrap();
        Ok(slots.iter().map(|s| map.get(s).cloned()).collect())
    }

    fn save(&self, entries: &[(String, String)]) {
        let mut map = self.map.lock().unwrap();
        let mut saved = self.saved.lock().unwrap();
        for (slot, entry) in entries {
            map.insert(slot.clone(), entry.clone());
            saved.push(slot.clone());
        }
    }
}

impl Entries {
    /// The slots stored since the last call, sorted.
    fn take_saved(&self) -> Vec<String> {
        let mut saved = std::mem::take(&mut *self.saved.lock().unwrap());
        saved.sort();
        saved
    }
}

fn evaluate(store: &SqliteStore, survey: &Survey, accounts: &[AccountData], memo: Option<&Memo>) -> String {
    let options = CheckOptions {
        web: WebCheckOptions { browser: Some(PathBuf::from("no-browser")), ..WebCheckOptions::default() },
        ..CheckOptions::default()
    };
    let fw = Framework::builtin("ccid-2025").unwrap();
    let mut checks = CheckSet::build(&options, store, None).unwrap();
    let mut r: Results =
        evaluate_survey(survey, &mut InMemory(accounts), &fw, &mut checks, memo, &NoProgress).unwrap();
    r.generated_at = String::new();
    serde_json::to_string_pretty(&r).unwrap()
}

#[test]
fn remembered_outcomes_give_the_fresh_results_and_only_changed_accounts_are_assessed() {
    let (store, mut loaded) = common::store_and_survey(generate(Scale::Sample, DEFAULT_SEED));
    let entries = Entries::default();
    let memo = Memo::new(&entries, "settings", &loaded.survey);
    let fresh = evaluate(&store, &loaded.survey, &loaded.accounts, None);

    let first = evaluate(&store, &loaded.survey, &loaded.accounts, Some(&memo));
    assert_eq!(first, fresh);
    let stored = entries.take_saved();
    assert_eq!(stored.len(), 2 * loaded.accounts.len(), "safety and classification, every account");
    assert!(stored.iter().all(|s| s.starts_with("safety/") || s.starts_with("classification/")));

    let again = evaluate(&store, &loaded.survey, &loaded.accounts, Some(&memo));
    assert_eq!(again, fresh);
    assert!(entries.take_saved().is_empty(), "nothing changed: every outcome came from memory");
    assert_eq!(memo.recalled(), loaded.accounts.len());

    // One account publishes a citizen's ID number in an article of the period.
    let i = loaded.accounts.iter().position(|a| a.articles.len() > 3).unwrap();
    let id = loaded.accounts[i].account.id.clone();
    let period = loaded.survey.period;
    let article = loaded.accounts[i]
        .articles
        .iter_mut()
        .rev()
        .find(|a| period.contains(govmedia_model::time::local_date(&a.published_at)))
        .unwrap();
    let body = article.content.get_or_insert_with(String::new);
    body.push_str("联系人身份证号 11010519491231002X。");
    let changed_fresh = evaluate(&store, &loaded.survey, &loaded.accounts, None);
    assert_ne!(changed_fresh, fresh);
    assert!(changed_fresh.contains("content.pii_exposed"));
    let changed = evaluate(&store, &loaded.survey, &loaded.accounts, Some(&memo));
    assert_eq!(changed, changed_fresh);
    assert_eq!(entries.take_saved(), [format!("classification/{id}"), format!("safety/{id}")]);

    // Another scope (other settings) remembers nothing of this one.
    let other = Memo::new(&entries, "other settings", &loaded.survey);
    assert_eq!(evaluate(&store, &loaded.survey, &loaded.accounts, Some(&other)), changed_fresh);
    assert_eq!(entries.take_saved().len(), stored.len());
}

#[test]
fn an_entry_that_does_not_read_back_is_assessed_again() {
    let (store, loaded) = common::store_and_survey(generate(Scale::Sample, DEFAULT_SEED));
    let entries = Entries::default();
    let memo = Memo::new(&entries, "settings", &loaded.survey);
    let fresh = evaluate(&store, &loaded.survey, &loaded.accounts, Some(&memo));
    let slot = entries.take_saved().into_iter().find(|s| s.starts_with("safety/")).unwrap();
    {
        let mut map = entries.map.lock().unwrap();
        let entry = map.get_mut(&slot).unwrap();
        let key = entry.split_once('\n').unwrap().0.to_owned();
        *entry = format!("{key}\n{{\"Evaluated\": 3}}");
    }
    assert_eq!(evaluate(&store, &loaded.survey, &loaded.accounts, Some(&memo)), fresh);
    assert_eq!(entries.take_saved(), [slot]);
}

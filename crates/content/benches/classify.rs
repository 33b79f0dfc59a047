//! Article classification at survey scale: the 29,684 articles of the generated 2025 national
//! survey (682 accounts), each account's articles classified together as the check does.
//! Target: 30,000 articles in ≤ 1 s (release build).
//! `cargo bench -p govmedia-content --bench classify`

use divan::counter::ItemsCount;
use divan::{Bencher, black_box};
use govmedia_content::classify::{Context, default_classifier};
use govmedia_model::Article;
use std::collections::BTreeMap;
use std::sync::LazyLock;

fn main() {
    divan::main();
}

/// The survey's articles by account, with each account's level.
static ACCOUNTS: LazyLock<Vec<(govmedia_model::Level, Vec<Article>)>> = LazyLock::new(|| {
    let ds = govmedia_sample::generate(govmedia_sample::Scale::National2025, govmedia_sample::DEFAULT_SEED);
    let levels: BTreeMap<String, govmedia_model::Level> =
        ds.accounts.iter().map(|a| (a.id.clone(), a.level)).collect();
    let mut by: BTreeMap<String, Vec<Article>> = BTreeMap::new();
    for a in ds.articles {
        by.entry(a.account.clone()).or_default().push(a);
    }
    by.into_iter().map(|(id, arts)| (levels[&id], arts)).collect()
});

fn classify(b: Bencher, with_body: bool) {
    let accounts = &*ACCOUNTS;
    let _ = default_classifier();
    let n: usize = accounts.iter().map(|(_, a)| a.len()).sum();
    b.counter(ItemsCount::new(n)).bench(|| {
        let mut decided = 0;
        for (level, arts) in accounts {
            let inputs: Vec<(&str, Context<'_>)> = arts
                .iter()
                .map(|a| {
                    let ctx = Context {
                        body: a.content.as_deref().filter(|_| with_body),
                        level: Some(*level),
                        headline: a.position.map(|p| p == 1),
                        ..Context::default()
                    };
                    (a.title.as_str(), ctx)
                })
                .collect();
            decided += default_classifier()
                .predict_account(black_box(&inputs))
                .iter()
                .filter(|p| p.is_decided())
                .count();
        }
        decided
    });
}

#[divan::bench(sample_count = 5)]
fn titles_of_the_national_survey(b: Bencher) {
    classify(b, false);
}

#[divan::bench(sample_count = 5)]
fn titles_and_bodies_of_the_national_survey(b: Bencher) {
    classify(b, true);
}

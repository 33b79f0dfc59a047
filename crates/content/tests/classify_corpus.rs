//! The labelled corpus against `../shared` (where the 2021 feed titles stay), and the shipped
//! classifier on titles it was never trained on. The full evaluation (held-out 20 %, learning
//! curve, κ) is `examples/classify_corpus.rs`.

use std::path::Path;

use govmedia_content::classify::corpus;
use govmedia_content::classify::metrics::Confusion;
use govmedia_content::classify::{default_classifier, read_labelled_file};

#[path = "support/feeds.rs"]
mod feeds;

fn repo() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

#[test]
fn every_feed_label_finds_its_title_in_shared() {
    let items = feeds::feed_items(&repo().join("../shared")).unwrap();
    assert_eq!(items.len(), 1958);
    let accounts: std::collections::HashSet<_> = items.iter().filter_map(|i| i.account.as_deref()).collect();
    assert_eq!(accounts.len(), 122);
    assert!(items.iter().all(|i| i.level.is_some()));
    // Each push has one 头条: fewer headlines than items, more than accounts.
    let headlines = items.iter().filter(|i| i.headline == Some(true)).count();
    assert!(headlines > 122 && headlines < 1958, "{headlines}");
}

#[test]
fn the_shipped_model_classifies_the_survey_titles_it_never_saw() {
    // The 76 titles of the 2025 report are not in the corpus the model was trained on.
    let survey = read_labelled_file(&repo().join("lexicons/classify-titles-2025.csv")).unwrap();
    let known: std::collections::HashSet<String> = corpus::shipped_titles()
        .iter()
        .map(|i| corpus::title_fnv(&i.title))
        .chain(corpus::feed_labels().into_iter().map(|l| l.title_fnv))
        .collect();
    assert!(survey.iter().all(|i| !known.contains(&corpus::title_fnv(&i.title))));
    let predicted = default_classifier().predict_items(&survey);
    let m = Confusion::from_pairs(survey.iter().zip(&predicted).map(|(i, p)| (i.category, p.category())));
    let acc = m.accuracy().unwrap();
    println!("shipped model on the 76 survey titles: {:.1}%", acc * 100.0);
    // 69.7 % when measured (README): below the 75 % the issue aimed at; this guards against
    // a model that does worse.
    assert!(acc >= 0.65, "{acc}");
}

//! The article classifier measured on its labelled corpus, and the shipped model rebuilt.
//!
//! ```text
//! cargo run --release -p govmedia-content --example classify_corpus            # evaluate
//! cargo run --release -p govmedia-content --example classify_corpus -- build   # rebuild lexicons/classify-model.tsv
//! cargo run --release -p govmedia-content --example classify_corpus -- tune    # settings by CV on the training part
//! ```
//! Needs `../shared` beside the repository (the 2021 feed titles are read from there, never
//! copied); `GOVMEDIA_SHARED` names another place.
//!
//! Evaluation protocol: a fixed 20 % of the corpus (by a hash of each item's id) is held out
//! and never trained on; the classifier is trained on the other 80 %. The 76 survey titles
//! (`lexicons/classify-titles-2025.csv`) are never in the corpus: they are classified by the
//! model trained on the whole corpus. The labellers' κ compares the blind second labelling
//! of a random 10 % with the first.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use govmedia_content::classify::bayes::NaiveBayes;
use govmedia_content::classify::corpus::{self, Item};
use govmedia_content::classify::linear::Settings;
use govmedia_content::classify::metrics::Confusion;
use govmedia_content::classify::{
    CATEGORIES, Classifier, Context, MIN_CONFIDENCE, Prediction, read_labelled_file,
};

#[path = "../tests/support/feeds.rs"]
mod feeds;

/// Features whose weights all stay below this are left out of the shipped file.
fn prune() -> f32 {
    std::env::var("CLS_PRUNE").ok().and_then(|v| v.parse().ok()).unwrap_or(0.1)
}

/// Settings from the environment (for experiments): CLS_L2, CLS_NEWS, CLS_BALANCE, CLS_ITER, CLS_CUES.
fn settings() -> Settings {
    let env = |k: &str| std::env::var(k).ok();
    let d = Settings::default();
    Settings {
        iterations: env("CLS_ITER").and_then(|v| v.parse().ok()).unwrap_or(d.iterations),
        l2: env("CLS_L2").and_then(|v| v.parse().ok()).unwrap_or(d.l2),
        news_weight: env("CLS_NEWS").and_then(|v| v.parse().ok()).unwrap_or(d.news_weight),
        balance: env("CLS_BALANCE").map_or(d.balance, |v| v == "1"),
        cue_weight: env("CLS_CUES").and_then(|v| v.parse().ok()).unwrap_or(d.cue_weight),
    }
}

/// Items with their predictions.
type Scored = Vec<(Item, Prediction)>;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shared = std::env::var_os("GOVMEDIA_SHARED").map_or_else(|| repo.join("../shared"), PathBuf::from);
    let items = load(&shared)?;
    match std::env::args().nth(1).as_deref() {
        Some("build") => build(&repo, &items),
        Some("tune") => {
            tune(&items);
            Ok(())
        }
        None | Some("eval") => evaluate(&repo, &items),
        Some(other) => Err(format!("未知命令 {other}（应为 eval、build 或 tune）").into()),
    }
}

/// The whole corpus: shipped titles plus the feed labels joined with titles from `shared`.
fn load(shared: &Path) -> Result<Vec<Item>, Box<dyn std::error::Error>> {
    let mut items = corpus::shipped_titles();
    items.extend(feeds::feed_items(shared)?);
    Ok(items)
}

/// A stable bucket 0–4 of a string (a hash of it).
fn bucket(s: &str) -> u32 {
    u32::from_str_radix(&corpus::title_fnv(s), 16).unwrap_or(0) % 5
}

/// Whether an item is in the held-out 20 %.
fn held_out(item: &Item) -> bool {
    bucket(&item.id) == 0
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), |v| format!("{:.1}%", v * 100.0))
}

fn confusion(items: &[Item], predicted: &[usize]) -> Confusion {
    Confusion::from_pairs(items.iter().zip(predicted).map(|(i, p)| (i.category, *p)))
}

fn categories(p: &[Prediction]) -> Vec<usize> {
    p.iter().map(Prediction::category).collect()
}

fn summary(name: &str, m: &Confusion) {
    println!("{name}: {} titles, accuracy {}, macro-F1 {}", m.total(), pct(m.accuracy()), pct(m.macro_f1()));
}

fn evaluate(repo: &Path, items: &[Item]) -> Result<(), Box<dyn std::error::Error>> {
    let (test, train): (Vec<Item>, Vec<Item>) = items.iter().cloned().partition(held_out);
    let gov = |i: &Item| i.is_government();
    println!(
        "Corpus: {} titles ({} from government accounts, {} news headlines and others); held out {}, trained on {}\n",
        items.len(),
        items.iter().filter(|i| gov(i)).count(),
        items.iter().filter(|i| !gov(i)).count(),
        test.len(),
        train.len()
    );
    let t = Instant::now();
    let model = Classifier::train(&train, settings());
    println!("Linear model trained in {:.2} s ({} features)\n", t.elapsed().as_secs_f64(), model.features());

    let predicted = model.predict_items(&test);
    let m = confusion(&test, &categories(&predicted));
    println!("== Held-out 20 % (never trained on) ==");
    summary("linear model (title, account field/level, 头条, account mix)", &m);
    let (gov_test, news_test): (Scored, Scored) =
        test.iter().cloned().zip(predicted.iter().copied()).partition(|(i, _)| gov(i));
    for (name, part) in
        [("  government-account titles", &gov_test), ("  news headlines and others", &news_test)]
    {
        let (i, p): (Vec<Item>, Vec<Prediction>) = part.iter().cloned().unzip();
        summary(name, &confusion(&i, &categories(&p)));
    }
    let pruned = Classifier::from_text(&model.to_text(prune()))?;
    summary(
        &format!("linear model pruned as shipped (weights < {} dropped)", prune()),
        &confusion(&test, &categories(&pruned.predict_items(&test))),
    );
    let alone: Vec<usize> =
        test.iter().map(|i| model.predict(&i.title, &Context::default()).category()).collect();
    summary("linear model, title only (no account, no mix)", &confusion(&test, &alone));
    let nb = NaiveBayes::train(&train);
    let nb_pred: Vec<usize> = test.iter().map(|i| nb.predict(&i.title)).collect();
    summary(
        "naive Bayes + cue words (the previous classifier), same training data",
        &confusion(&test, &nb_pred),
    );
    confidence_report(&test, &predicted);
    println!();
    per_category(&m);

    let quick = std::env::var_os("QUICK").is_some();
    if !quick {
        println!("\n== Unseen accounts: 20 % of the feed accounts held out whole ==");
        let unseen = |i: &Item| i.account.as_deref().is_some_and(|a| bucket(a) == 0);
        let (acc_test, acc_train): (Vec<Item>, Vec<Item>) =
            items.iter().filter(|i| gov(i)).cloned().partition(unseen);
        let mut acc_train_all = acc_train;
        acc_train_all.extend(train.iter().filter(|i| !gov(i)).cloned());
        let acc_model = Classifier::train(&acc_train_all, settings());
        let accounts = acc_test
            .iter()
            .filter_map(|i| i.account.as_deref())
            .collect::<std::collections::HashSet<_>>()
            .len();
        summary(
            &format!("linear model on {accounts} unseen accounts"),
            &confusion(&acc_test, &categories(&acc_model.predict_items(&acc_test))),
        );
    }

    println!("\n== The 76 survey titles (development set; never in the corpus) ==");
    let survey = read_labelled_file(&repo.join("lexicons/classify-titles-2025.csv"))?;
    let full = Classifier::train(items, settings());
    let survey_pred = full.predict_items(&survey);
    let sm = confusion(&survey, &categories(&survey_pred));
    summary("linear model, whole corpus + cue words (as shipped)", &sm);
    let corpus_only = Classifier::train(items, Settings { cue_weight: 0.0, ..settings() });
    summary(
        "linear model, whole corpus only (no cue words)",
        &confusion(&survey, &categories(&corpus_only.predict_items(&survey))),
    );
    let full_nb = NaiveBayes::train(items);
    summary(
        "naive Bayes + cue words, whole corpus",
        &confusion(&survey, &survey.iter().map(|i| full_nb.predict(&i.title)).collect::<Vec<_>>()),
    );
    confidence_report(&survey, &survey_pred);
    per_category(&sm);

    println!("\n== Labellers' agreement (blind second labelling of a random 10 %) ==");
    let first: HashMap<&str, usize> = items.iter().map(|i| (i.id.as_str(), i.category)).collect();
    let second = corpus::second_pass();
    let k = Confusion::from_pairs(second.iter().filter_map(|(id, c)| Some((*first.get(id.as_str())?, *c))));
    println!(
        "{} titles, agreement {}, Cohen's κ {:.3} (both passes by the same AI labeller: an upper bound on human agreement)",
        k.total(),
        pct(k.accuracy()),
        k.kappa().unwrap_or(f64::NAN)
    );

    if quick {
        return Ok(());
    }
    println!("\n== Learning curve (held-out 20 % and the 76 survey titles) ==");
    println!("training titles\theld-out acc\tgovernment acc\t76 titles acc");
    let mut sizes: Vec<usize> = [500, 1000, 2000].into_iter().filter(|n| *n < train.len()).collect();
    sizes.push(train.len());
    for n in sizes {
        let sub = subset(&train, n);
        let c = Classifier::train(&sub, settings());
        let p = categories(&c.predict_items(&test));
        let g: Vec<(usize, usize)> =
            test.iter().zip(&p).filter(|(i, _)| gov(i)).map(|(i, p)| (i.category, *p)).collect();
        println!(
            "{n}\t{}\t{}\t{}",
            pct(confusion(&test, &p).accuracy()),
            pct(Confusion::from_pairs(g).accuracy()),
            pct(confusion(&survey, &categories(&c.predict_items(&survey))).accuracy())
        );
    }
    Ok(())
}

/// `n` items of `train`, the same ones for the same `n`, keeping the category proportions
/// roughly (items taken in the order of a hash of their ids).
fn subset(train: &[Item], n: usize) -> Vec<Item> {
    let mut v: Vec<&Item> = train.iter().collect();
    v.sort_by_key(|i| corpus::title_fnv(&format!("subset:{}", i.id)));
    v.into_iter().take(n).cloned().collect()
}

fn confidence_report(items: &[Item], predicted: &[Prediction]) {
    let decided: Vec<(usize, usize)> = items
        .iter()
        .zip(predicted)
        .filter(|(_, p)| p.is_decided())
        .map(|(i, p)| (i.category, p.category()))
        .collect();
    let n = decided.len();
    println!(
        "confidence ≥ {MIN_CONFIDENCE}: {n} of {} decided ({}), accuracy of those {}; {} reported as 未能确定",
        items.len(),
        pct(Some(n as f64 / items.len().max(1) as f64)),
        pct(Confusion::from_pairs(decided).accuracy()),
        items.len() - n
    );
}

fn per_category(m: &Confusion) {
    println!("category\tlabelled\trecall\tprecision");
    for (c, name) in CATEGORIES.iter().enumerate() {
        println!("{name}\t{}\t{}\t{}", m.gold(c), pct(m.recall(c)), pct(m.precision(c)));
    }
    println!("confusion (rows: labelled, columns: predicted, in the order above)");
    for (c, name) in CATEGORIES.iter().enumerate() {
        let cells: Vec<String> = m.0[c].iter().map(usize::to_string).collect();
        println!("{name}\t{}", cells.join("\t"));
    }
}

fn build(repo: &Path, items: &[Item]) -> Result<(), Box<dyn std::error::Error>> {
    let t = Instant::now();
    let model = Classifier::train(items, settings());
    let text = model.to_text(prune());
    let path = repo.join("lexicons/classify-model.tsv");
    std::fs::write(&path, &text)?;
    println!(
        "trained on {} titles in {:.1} s; wrote {} ({} of {} features, {} KB)",
        items.len(),
        t.elapsed().as_secs_f64(),
        path.display(),
        text.lines().count() - 2,
        model.features(),
        text.len() / 1024
    );
    // What pruning costs, on titles neither model was trained on.
    let survey = read_labelled_file(&repo.join("lexicons/classify-titles-2025.csv"))?;
    let shipped = Classifier::from_text(&text)?;
    for (name, m) in [("full", &model), ("pruned", &shipped)] {
        summary(
            &format!("{name} model on the 76 survey titles"),
            &confusion(&survey, &categories(&m.predict_items(&survey))),
        );
    }
    Ok(())
}

/// 5-fold cross-validation on the training part only (the held-out 20 % stays unseen) over a
/// small grid of settings.
fn tune(items: &[Item]) {
    let train: Vec<Item> = items.iter().filter(|i| !held_out(i)).cloned().collect();
    println!("iterations\tl2\tCV accuracy (training part)");
    for iterations in [100, 300] {
        {
            for l2 in [1e-5, 1e-4, 3e-4, 1e-3] {
                let s = Settings { iterations, l2, ..settings() };
                let mut pairs = Vec::new();
                for f in 0..5 {
                    let (te, tr): (Vec<Item>, Vec<Item>) =
                        train.iter().cloned().partition(|i| bucket(&format!("cv:{}", i.id)) == f);
                    let c = Classifier::train(&tr, s);
                    pairs
                        .extend(te.iter().zip(c.predict_items(&te)).map(|(i, p)| (i.category, p.category())));
                }
                println!("{iterations}\t{l2}\t{}", pct(Confusion::from_pairs(pairs).accuracy()));
            }
        }
    }
}

//! False positives of the shipped lexicons on real government text, per category, and
//! planted sensitive terms that must still be caught.
//!
//! Pruning (examples/build_lexicons.rs) saw 8 laws and the `politics_only_dev` titles; the
//! other 4 laws and the `politics_only_test` titles are held out.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use govmedia_content::lexicon::{Kind, builtin};

fn data() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data")).to_path_buf()
}

fn laws(dirs: &[&str]) -> String {
    let mut s = String::new();
    for d in dirs {
        let mut files: Vec<_> =
            std::fs::read_dir(data().join("gov-text/laws").join(d)).unwrap().flatten().collect();
        files.sort_by_key(|f| f.path());
        for f in files {
            s.push_str(&std::fs::read_to_string(f.path()).unwrap());
            s.push('\n');
        }
    }
    s
}

fn titles(file: &str) -> String {
    let t = std::fs::read_to_string(data().join("gov-text/thucnews-politics-titles").join(file)).unwrap();
    t.lines().map(|l| l.split('\t').next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// Hits per category, with the hit terms, and the text's length in characters.
fn measure(text: &str) -> (BTreeMap<String, Vec<String>>, usize) {
    let mut by: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for h in builtin().scan(text) {
        by.entry(h.entry.category.clone()).or_default().push(text[h.start..h.end].to_owned());
    }
    (by, text.chars().count())
}

fn per_10k(by: &BTreeMap<String, Vec<String>>, chars: usize) -> f64 {
    by.values().map(Vec::len).sum::<usize>() as f64 * 10_000.0 / chars as f64
}

#[test]
fn false_positives_on_government_text_stay_below_half_per_10k_chars() {
    let corpora = [
        ("laws (pruning set)", laws(&["宪法相关法", "行政法"])),
        ("laws (held out)", laws(&["社会法", "行政法规"])),
        ("politics titles dev (pruning set)", titles("politics_only_dev.DERIVED.txt")),
        ("politics titles test (held out)", titles("politics_only_test.DERIVED.txt")),
    ];
    let mut all_hits = 0usize;
    let mut all_chars = 0usize;
    for (name, text) in &corpora {
        let (by, chars) = measure(text);
        println!("{name}: {chars} chars, {:.3} per 10k chars", per_10k(&by, chars));
        for (cat, terms) in &by {
            println!(
                "  {cat}: {} ({:.3}/10k) {:?}",
                terms.len(),
                terms.len() as f64 * 10_000.0 / chars as f64,
                terms
            );
        }
        all_hits += by.values().map(Vec::len).sum::<usize>();
        all_chars += chars;
    }
    let overall = all_hits as f64 * 10_000.0 / all_chars as f64;
    println!("overall: {all_hits} hits in {all_chars} chars = {overall:.3} per 10k chars");
    assert!(overall <= 0.5, "{overall}");
}

#[test]
fn planted_sensitive_terms_in_law_text_are_caught() {
    let law = laws(&["社会法"]);
    let cut = law.char_indices().nth(3000).unwrap().0;
    let planted = [
        ("法轮功", "政治"),
        ("全能神", "邪教"),
        ("冰毒", "毒品"),
        ("海洛因", "毒品"),
        ("博狗娱乐城赌博", "赌博"),
        ("六四事件", "政治"),
        ("裸聊", "色情"),
    ];
    for (term, cat) in planted {
        for spelled in [term.to_owned(), term.chars().map(|c| c.to_string()).collect::<Vec<_>>().join(" ")] {
            let text = format!("{}某地发现有人宣扬{spelled}，已依法处理。{}", &law[..cut], &law[cut..]);
            let hits = builtin().scan(&text);
            assert!(
                hits.iter().any(|h| h.entry.kind == Kind::Deny
                    && h.entry.category == cat
                    && text[h.start..h.end] == spelled),
                "{spelled} ({cat}) not caught: {:?}",
                hits.iter().map(|h| (&h.entry.term, &h.entry.category)).collect::<Vec<_>>()
            );
        }
    }
}

//! Precision and recall of the content findings against the problems the sample generator
//! planted (each generated article lists its planted codes in `extra.planted`).

use std::collections::{BTreeMap, BTreeSet};

use govmedia_checks::{AccountData, Check, NoProgress, Survey};
use govmedia_content::originality::OriginalityCheck;
use govmedia_content::safety::SafetyCheck;
use govmedia_model::FindingCode;
use govmedia_sample::{DEFAULT_SEED, Scale, generate};

#[test]
fn content_findings_match_planted_problems() {
    let ds = generate(Scale::Sample, DEFAULT_SEED);
    let mut by_account: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for a in ds.articles {
        by_account.entry(a.account.clone()).or_default().push(a);
    }
    let accounts: Vec<AccountData> = ds
        .accounts
        .into_iter()
        .map(|acc| {
            let mut articles = by_account.remove(&acc.id).unwrap_or_default();
            articles.sort_by_key(|a| a.published_at);
            AccountData { account: acc, articles, menu: None }
        })
        .collect();
    let survey = Survey {
        name: None,
        period: ds.config.period.expect("generated surveys have a period"),
        check_date: ds.config.check_date.expect("generated surveys have a check date"),
        accounts: accounts.iter().map(|a| a.account.clone()).collect(),
        events: Vec::new(),
        pages: BTreeMap::new(),
        dataset_dir: None,
        offline: true,
        generated_data: true,
    };
    let safety = SafetyCheck::new();
    let mut originality = OriginalityCheck::new();
    originality.observe(&survey, &accounts, &NoProgress).unwrap();
    originality.prepare(&survey, &NoProgress).unwrap();
    let codes = [
        FindingCode::ContentSensitiveTerm,
        FindingCode::ContentWordingError,
        FindingCode::ContentDocNumberFormat,
        FindingCode::ContentPiiExposed,
        FindingCode::ContentDuplicate,
    ];
    // (true positives, false positives, false negatives) per code.
    let mut tally: BTreeMap<FindingCode, (usize, usize, usize)> = BTreeMap::new();
    for acc in &accounts {
        for a in &acc.articles {
            if a.content.is_none() {
                continue;
            }
            let planted: BTreeSet<String> = a
                .extra
                .get("planted")
                .and_then(|v| v.as_array())
                .map(|v| v.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect())
                .unwrap_or_default();
            let mut found: BTreeSet<FindingCode> =
                safety.article_findings(a).0.iter().map(|f| f.code).collect();
            if originality.first_publisher(&a.url).is_some() && a.source.is_none() {
                found.insert(FindingCode::ContentDuplicate);
            }
            for c in codes {
                let t = tally.entry(c).or_default();
                match (planted.contains(c.as_str()), found.contains(&c)) {
                    (true, true) => t.0 += 1,
                    (false, true) => t.1 += 1,
                    (true, false) => t.2 += 1,
                    _ => {}
                }
            }
        }
    }
    for (c, (tp, fp, fneg)) in &tally {
        let p = *tp as f64 / (tp + fp).max(1) as f64;
        let r = *tp as f64 / (tp + fneg).max(1) as f64;
        println!("{c}: tp {tp} fp {fp} fn {fneg} precision {p:.3} recall {r:.3}");
        assert!(*tp > 0, "{c}: nothing planted was found");
        assert!(p >= 0.9 && r >= 0.9, "{c}: precision {p:.3} recall {r:.3}");
    }
}

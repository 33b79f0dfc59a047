//! The seeded evaluation world (`govmedia generate --scale world`): the table of
//! docs/evaluation.md is what govmedia measures today, and every code planted at least ten
//! times reaches precision and recall 0.95.

mod common;

use common::{repo, run};

#[test]
fn the_documented_table_is_current_and_every_code_reaches_the_bar() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (code, _, err) = run(d, &["generate", "--scale", "world", "--out", "world"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(d, &["import", "world", "--db", "world.db"]);
    assert_eq!(code, 0, "{err}");
    // A browser path that does not exist: the mobile check is not part of the offline world.
    let args = ["evaluate", "--db", "world.db", "--offline", "--browser", "no-browser", "--out", "out"];
    let (code, _, err) = run(d, &args);
    assert_eq!(code, 0, "{err}");
    let (code, table, err) = run(d, &["measure", "--data", "world", "--results", "out/results.json"]);
    assert_eq!(code, 0, "{err}");

    let doc = std::fs::read_to_string(repo("docs/evaluation.md")).unwrap();
    let documented = doc
        .split_once("<!-- table:start -->\n")
        .and_then(|(_, rest)| rest.split_once("<!-- table:end -->"))
        .map(|(table, _)| table)
        .expect("docs/evaluation.md has the table markers");
    assert_eq!(documented, table, "docs/evaluation.md is stale: run scripts/evaluation-table");

    let accounts: Vec<serde_json::Value> = std::fs::read_to_string(d.join("world/accounts.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("out/results.json")).unwrap()).unwrap();
    let m = govmedia_sample::measure::measure(&accounts, &results).unwrap();
    assert!(m.codes.len() >= 35, "{} codes planted", m.codes.len());
    assert_eq!(m.below(0.95, 10), Vec::<String>::new(), "{}", m.details());
}

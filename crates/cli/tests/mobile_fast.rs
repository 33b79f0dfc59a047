//! The mobile check's fast path — identical saved pages rendered once, plain pages proven to
//! fit from their HTML — against rendering every page (`--render-all`), in Debian's Chromium,
//! on the bundled sample's 500 snapshot pages: the same results, account by account.
//!
//! Runs when /usr/bin/chromium exists; on CI (`CI=true`) a missing browser is a failure.

mod common;

use std::path::Path;

use serde_json::Value;

const CHROMIUM: &str = "/usr/bin/chromium";

fn evaluate(dir: &Path, out: &str, extra: &[&str]) -> Value {
    let mut args = vec!["evaluate", "--db", "s.db", "--offline", "--browser", CHROMIUM, "--out", out];
    args.extend_from_slice(extra);
    let (code, _, err) = common::run(dir, &args);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&std::fs::read_to_string(dir.join(out).join("results.json")).unwrap()).unwrap()
}

#[test]
fn the_fast_path_gives_the_results_of_rendering_every_page() {
    if !Path::new(CHROMIUM).exists() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI must install chromium");
        eprintln!("skipped: {CHROMIUM} not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sample = common::repo("examples/sample-survey");
    let (code, _, err) = common::run(dir.path(), &["import", sample.to_str().unwrap(), "--db", "s.db"]);
    assert_eq!(code, 0, "{err}");
    let mut fast = evaluate(dir.path(), "fast", &[]);
    let mut full = evaluate(dir.path(), "full", &["--render-all"]);

    // What the fast path spared, and that both runs found pages that do not fit.
    let proven: u64 = fast["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["stats"]["mobile_pages_proven_from_html"].as_u64())
        .sum();
    let rendered_problems = full["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["findings"].as_array().unwrap())
        .filter(|f| f["code"] == "mobile.not_adapted")
        .count();
    assert!(proven > 0, "no page was proven from its HTML");
    assert!(rendered_problems > 0, "the sample has no page that does not fit");
    assert!(
        full["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["stats"].get("mobile_pages_proven_from_html").is_none())
    );

    for results in [&mut fast, &mut full] {
        results["generated_at"] = Value::Null;
        for a in results["accounts"].as_array_mut().unwrap() {
            a["stats"].as_object_mut().unwrap().remove("mobile_pages_proven_from_html");
        }
    }
    let (fast, full) = (&fast["accounts"], &full["accounts"]);
    for (f, r) in fast.as_array().unwrap().iter().zip(full.as_array().unwrap()) {
        assert_eq!(f, r, "account {} differs between the fast path and rendering every page", f["id"]);
    }
    assert_eq!(fast, full);
}

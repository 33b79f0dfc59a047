//! Accounts beyond WeChat through the real binary: apps imported from rows per store, and the
//! bundled sample's Weibo accounts and apps in results, report and workbook.

mod common;

use calamine::{Reader, Xlsx, open_workbook};
use common::{run, write};
use govmedia_store_api::Store;
use serde_json::Value;

#[test]
fn app_rows_per_store_add_up_and_importing_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "accounts.jsonl",
        "{\"id\":\"gh_a\",\"name\":\"某市发布\",\"owner\":\"某市人民政府办公室\",\"level\":\"prefecture\"}\n",
    );
    write(
        dir.path(),
        "apps.csv",
        "id,name,owner,level,store,downloads,updated_at,as_of\n\
         app1,掌上办事,某市人民政府办公室,prefecture,应用宝,1200,2025-09-01,2025-10-31\n\
         app1,掌上办事,某市人民政府办公室,prefecture,华为应用市场,800,2025-09-03,2025-10-31\n",
    );
    for _ in 0..2 {
        let (code, _, err) = run(dir.path(), &["import", "."]);
        assert_eq!(code, 0, "{err}");
        let app = common::open_db(dir.path()).snapshot().unwrap().account("app1").unwrap().unwrap();
        let stores: Vec<(&str, Option<u64>)> =
            app.stores.iter().map(|l| (l.store.as_str(), l.downloads)).collect();
        assert_eq!(stores, [("应用宝", Some(1200)), ("华为应用市场", Some(800))]);
    }
    // A row that names a WeChat account's id is refused with its line and field.
    write(
        dir.path(),
        "apps.csv",
        "id,name,owner,level,store\ngh_a,某市发布,某市人民政府办公室,prefecture,应用宝\n",
    );
    let (code, _, err) = run(dir.path(), &["import", "."]);
    assert_eq!(code, 1);
    assert!(err.contains("apps.csv:2") && err.contains("id") && err.contains("微信"), "{err}");
}

#[test]
fn the_bundled_sample_has_weibo_accounts_and_apps_in_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let sample = common::repo("examples/sample-survey");
    let (code, out, err) = run(
        dir.path(),
        &["survey", sample.to_str().unwrap(), "--out", "out", "--offline", "--browser", "/nonexistent"],
    );
    assert_eq!(code, 0, "{out}\n{err}");
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/results.json")).unwrap()).unwrap();
    let accounts = results["accounts"].as_array().unwrap();
    let weibo: Vec<&Value> = accounts.iter().filter(|a| a["platform"] == "weibo").collect();
    assert_eq!(weibo.len(), 3);
    for w in &weibo {
        assert_eq!(w["indices"]["bci"]["version"], "provincial");
        assert_eq!(w["stats"]["bci_provincial_basis"], "统计期内采集的微博");
        assert!(w["findings"].as_array().unwrap().iter().all(|f| f["code"] != "update.stale_14d"));
    }
    let menu_skipped = results["not_evaluated"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["check"] == "menu" && n["reason"].as_str().unwrap().starts_with("不适用于微博账号"));
    assert!(menu_skipped);
    // Each Weibo account's unit also has a WeChat account: three combined indices of one pair.
    let combined: Vec<&Value> =
        results["units"].as_array().unwrap().iter().filter(|u| !u["combined"].is_null()).collect();
    assert_eq!(combined.len(), 3);
    assert!(combined.iter().all(|u| u["combined"]["version"] == "0.6×WCI 14.2 + 0.4×BCI provincial"));
    // The WeChat statistics stay WeChat's; apps are counted beside them.
    assert_eq!(results["statistics"]["accounts"], 48);
    assert_eq!(results["statistics"]["platforms"], serde_json::json!({"wechat": 48, "weibo": 3, "app": 3}));
    let apps: Vec<&Value> = accounts.iter().filter(|a| a["platform"] == "app").collect();
    assert!(apps.iter().all(|a| a["score"].is_null()));
    let codes: Vec<&str> = apps
        .iter()
        .flat_map(|a| a["findings"].as_array().unwrap())
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"app.stale") && codes.contains(&"app.duplicate"), "{codes:?}");
    let csv = std::fs::read_to_string(dir.path().join("out/rankings.csv")).unwrap();
    assert!(
        csv.lines().any(|l| l.contains(",weibo,") && l.split(',').nth(10).is_some_and(|b| !b.is_empty()))
    );

    let html = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    for heading in ["七、政务传播力指数榜", "八、政务APP", "应用宝下载量前十的APP", "政务微信热门文章"]
    {
        assert!(html.contains(heading), "{heading}");
    }
    let mut wb: Xlsx<_> = open_workbook(dir.path().join("out/report.xlsx")).unwrap();
    let names = wb.sheet_names();
    for sheet in ["微博排名", "传播力指数", "政务APP"] {
        assert!(names.iter().any(|n| n == sheet), "{sheet} in {names:?}");
    }
    assert_eq!(wb.worksheet_range("微博排名").unwrap().rows().count(), 4);
    // Diagnoses for WeChat and Weibo accounts, none for apps.
    let diagnoses = std::fs::read_dir(dir.path().join("out/diagnoses")).unwrap().count();
    assert_eq!(diagnoses, 2 * 51);
}

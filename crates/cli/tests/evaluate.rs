//! `govmedia evaluate` end to end on small datasets (issue 17): a serious safety finding vetoes
//! an account, and a menu lexicon among `--lexicons` replaces the embedded one.

mod common;

use common::{run, write};

fn results(dir: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("out/results.json")).unwrap()).unwrap()
}

fn account<'a>(r: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    r["accounts"].as_array().unwrap().iter().find(|a| a["id"] == id).unwrap()
}

/// Item 5: a state-secret marking in a published article fails the account (安全、泄密).
#[test]
fn a_state_secret_marking_vetoes_the_account() {
    let dir = tempfile::tempdir().unwrap();
    common::small_dataset(dir.path());
    let mut articles = std::fs::read_to_string(dir.path().join("articles.jsonl")).unwrap();
    articles.push_str(
        r#"{"account":"gh_a","url":"https://mp.weixin.qq.com/s/a3","title":"关于调整工作安排的通知","published_at":"2025-10-23T09:00:00+08:00","content":"机密★6个月\n各单位：现将有关工作安排通知如下。"}"#,
    );
    articles.push('\n');
    write(dir.path(), "articles.jsonl", &articles);
    let (code, _, err) = run(dir.path(), &["import", "."]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(dir.path(), &["evaluate", "--out", "out", "--offline"]);
    assert_eq!(code, 0, "{err}");
    let r = results(dir.path());
    let a = account(&r, "gh_a");
    assert_eq!(a["passed"], false);
    assert!(
        a["vetoes"].as_array().unwrap().iter().any(|v| v == "content.classified_marking"),
        "{}",
        a["vetoes"]
    );
    let f =
        a["findings"].as_array().unwrap().iter().find(|f| f["code"] == "content.classified_marking").unwrap();
    assert_eq!(f["severity"], "veto");
    assert_eq!(f["evidence"]["marking"], "机密★6个月");
}

/// Item 12: `--lexicons DIR` with a `menu.toml` replaces the embedded menu lexicon (before, the
/// command line ignored it); a broken one is refused with its file named.
#[test]
fn a_menu_lexicon_in_the_lexicons_directory_replaces_the_default() {
    let dir = tempfile::tempdir().unwrap();
    common::small_dataset(dir.path());
    write(
        dir.path(),
        "menus.jsonl",
        concat!(
            r#"{"account":"gh_a","captured_at":"2025-10-20T10:00:00+08:00","menu":{"menu":{"button":["#,
            r#"{"type":"view","name":"政务公开","url":"https://www.a.gov.cn/xxgk/"},"#,
            r#"{"type":"view","name":"办事大厅","url":"https://zwfw.a.gov.cn/"},"#,
            r#"{"type":"view","name":"民生直通车","url":"https://www.a.gov.cn/ms/"}]}}}"#,
            "\n"
        ),
    );
    let (code, _, err) = run(dir.path(), &["import", "."]);
    assert_eq!(code, 0, "{err}");
    let has_missing_interaction = |dir: &std::path::Path| {
        let r = results(dir);
        account(&r, "gh_a")["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "menu.missing_interaction")
    };
    let (code, _, err) = run(dir.path(), &["evaluate", "--out", "out", "--offline"]);
    assert_eq!(code, 0, "{err}");
    assert!(has_missing_interaction(dir.path()));
    let menu = std::fs::read_to_string(common::repo("lexicons/menu.toml")).unwrap();
    let edited = menu.replacen("\"互动\", \"交流\",", "\"互动\", \"交流\", \"直通车\",", 1);
    assert_ne!(edited, menu);
    write(dir.path(), "lex/menu.toml", &edited);
    let (code, _, err) = run(dir.path(), &["evaluate", "--out", "out", "--offline", "--lexicons", "lex"]);
    assert_eq!(code, 0, "{err}");
    assert!(!has_missing_interaction(dir.path()), "the user's menu lexicon was not used");
    write(dir.path(), "lex/menu.toml", &menu.replacen("names = [", "nmaes = [", 1));
    let (code, _, err) = run(dir.path(), &["evaluate", "--out", "out", "--offline", "--lexicons", "lex"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("menu.toml") && err.contains("nmaes"), "{err}");
}

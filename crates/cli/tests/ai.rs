//! The AI layer from the command line: without a profile the AI indicators are not
//! evaluated; a foreign model is refused before any call; a missing key is a clear error.

mod common;

use common::{run, write};

#[test]
fn without_a_profile_ai_indicators_are_not_evaluated() {
    let dir = tempfile::tempdir().unwrap();
    common::small_dataset(dir.path());
    let (code, out, err) = run(dir.path(), &["survey", ".", "--out", "out"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("未评估：ai_quality"), "{out}");
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/results.json")).unwrap()).unwrap();
    let ne = results["not_evaluated"].as_array().unwrap();
    assert!(ne.iter().any(|n| n["check"] == "ai_quality"), "{ne:?}");
}

#[test]
fn foreign_models_and_missing_keys_are_refused_before_any_call() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "govmedia.toml",
        "[ai.profiles.foreign]\nbase_url = \"http://127.0.0.1:9/v1\"\nmodel = \"gpt-4o\"\napi_key_env = \"GOVMEDIA_TEST_KEY\"\n",
    );
    let (code, _, err) = run(dir.path(), &["ai-check", "foreign", "--title", "测试"]);
    assert_eq!(code, 1);
    assert!(err.contains("gpt-4o"), "{err}");

    common::small_dataset(dir.path());
    let out = common::govmedia(dir.path())
        .args(["survey", ".", "--out", "out", "--ai", "deepseek"])
        .env_remove("DEEPSEEK_API_KEY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("DEEPSEEK_API_KEY"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn classify_adds_a_category_column() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "titles.csv",
        "title\n关于印发《促进民营经济发展若干措施》的通知及政策解读\n社保卡线上办理指南\n",
    );
    let (code, out, err) = run(dir.path(), &["classify", "titles.csv"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "title,category,category_confidence");
    assert_eq!(lines.len(), 3);
    for l in &lines[1..] {
        let mut cells = l.rsplit(',');
        let confidence: f64 = cells.next().unwrap().parse().unwrap();
        let cat = cells.next().unwrap();
        assert!(
            ["政策发布解读", "政务服务", "社会关切", "经验总结", "科教文史", "新闻活动", "未能确定"]
                .contains(&cat),
            "{l}"
        );
        assert!((0.0..=1.0).contains(&confidence), "{l}");
    }
    assert!(err.contains("已分类 2 篇文章，其中"), "{err}");
}

#[test]
fn classify_learns_an_evaluators_labelled_titles_and_measures_them() {
    let dir = tempfile::tempdir().unwrap();
    let rows: String = (1..=10).map(|i| format!("青苗行动第{i}期,科教文史\n")).collect();
    write(dir.path(), "mine.csv", &format!("title,category\n{rows}"));
    write(dir.path(), "titles.csv", "title\n青苗行动\n");
    let (code, out, err) = run(dir.path(), &["classify", "--evaluate", "mine.csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("标注标题 10 条（mine.csv）\n内置模型（未用这些标题训练）：准确率 "), "{out}");
    assert!(out.contains("交叉验证，每折在内置语料与其余各折上继续训练）：准确率 100.0%（10/10）"), "{out}");
    assert!(out.contains("科教文史\t10\t100.0%\t100.0%"), "{out}");

    // The shipped model is not sure about the local programme name; the evaluator's titles
    // make it sure.
    let (_, before, _) = run(dir.path(), &["classify", "titles.csv"]);
    assert!(before.lines().nth(1).unwrap().starts_with("青苗行动,未能确定,"), "{before}");
    let (code, after, err) = run(dir.path(), &["classify", "titles.csv", "--labelled", "mine.csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(after.lines().nth(1).unwrap().starts_with("青苗行动,科教文史,"), "{after}");

    write(dir.path(), "bad.csv", "title,category\n青苗行动,科教\n");
    let (code, _, err) = run(dir.path(), &["classify", "--evaluate", "bad.csv"]);
    assert_eq!(code, 1);
    assert!(err.contains("bad.csv:2: category: 未知类别「科教」"), "{err}");
}

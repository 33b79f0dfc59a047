//! `govmedia import`: real fixtures, exact values and every error path.

mod common;

use common::{govmedia, run, shared, write};
use govmedia_store_api::Store;

#[test]
fn registry_rows_import_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let ds = dir.path().join("ds");
    // The real 2025 registry, turned into the contract's columns.
    let registry = std::fs::read_to_string(shared("registry-2025-sample.csv")).unwrap();
    let mut csv = String::from("id,name,owner,level,region\n");
    for (i, line) in registry.lines().skip(1).enumerate() {
        let f: Vec<&str> = line.split(',').collect();
        let name = if f[3].is_empty() { f[2] } else { f[3] };
        csv += &format!("reg{i:03},{name},{},{},{}\n", f[2], f[0], f[1]);
    }
    write(&ds, "accounts.csv", &csv);
    let (code, out, err) = run(dir.path(), &["import", "ds"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("账号 335"), "{out}");
    let (_, out, _) = run(dir.path(), &["accounts", "--level", "ministry"]);
    assert_eq!(out.lines().count() - 1, 51);
    assert!(out.contains("reg000\t外交部\t外交部\t国务院部委"), "{out}");
    let (_, out, _) = run(dir.path(), &["stats", "--json"]);
    let s: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(s["accounts_by_level"]["prefecture"], 200);
    assert_eq!(s["accounts_by_level"]["county"], 33);
}

#[test]
fn platform_menu_shapes_are_stored_as_given() {
    let dir = tempfile::tempdir().unwrap();
    common::small_dataset(dir.path());
    let fixtures = shared("wechat/api-fixtures/wechatpy");
    let mut menus = String::new();
    for (t, f) in [
        ("2025-10-01T00:00:00+08:00", "get_current_selfmenu_info.json"),
        ("2025-10-02T00:00:00+08:00", "menu_get.json"),
    ] {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(fixtures.join(f)).unwrap()).unwrap();
        menus += &serde_json::json!({"account": "gh_a", "captured_at": t, "menu": v}).to_string();
        menus.push('\n');
    }
    write(dir.path(), "menus.jsonl", &menus);
    let (code, out, err) = run(dir.path(), &["import", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("菜单 2"), "{out}");
    let snaps = common::open_db(dir.path()).snapshot().unwrap().menus(Some("gh_a")).unwrap();
    let first = snaps[0].parse().unwrap();
    let paths: Vec<String> = first.items().into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        paths,
        ["button", "button/view_url", "button/news", "button/video", "button/voice", "text", "photo"]
    );
    let second = snaps[1].parse().unwrap();
    assert_eq!(second.items()[0].0, "test");
}

#[test]
fn xlsx_articles_import_with_the_same_columns() {
    let dir = tempfile::tempdir().unwrap();
    common::small_dataset(dir.path());
    std::fs::remove_file(dir.path().join("articles.jsonl")).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["account", "url", "title", "published_at", "position", "reads", "original", "images"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "gh_a").unwrap();
    ws.write_string(1, 1, "https://mp.weixin.qq.com/s/x1").unwrap();
    ws.write_string(1, 2, "医保报销新规解读").unwrap();
    ws.write_string(1, 3, "2025-09-01 08:30:00").unwrap();
    ws.write_number(1, 4, 1).unwrap();
    ws.write_string(1, 5, "10万+").unwrap();
    ws.write_string(1, 6, "是").unwrap();
    ws.write_number(1, 7, 3).unwrap();
    wb.save(dir.path().join("articles.xlsx")).unwrap();
    let (code, _, err) = run(dir.path(), &["import", "."]);
    assert_eq!(code, 0, "{err}");
    let a = common::open_db(dir.path()).snapshot().unwrap().articles(&Default::default()).unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].title, "医保报销新规解读");
    assert_eq!(a[0].published_at.to_rfc3339(), "2025-09-01T08:30:00+08:00");
    assert_eq!(a[0].reads, Some(govmedia_model::Reads::capped()));
    assert_eq!(a[0].original, Some(true));
    assert_eq!(a[0].media.unwrap().images, 3);
}

#[test]
fn a_bad_row_names_file_line_and_field_and_stores_nothing_of_that_file() {
    let dir = tempfile::tempdir().unwrap();
    common::small_dataset(dir.path());
    let mut articles = std::fs::read_to_string(dir.path().join("articles.jsonl")).unwrap();
    articles +=
        r#"{"account":"gh_a","url":"https://mp.weixin.qq.com/s/bad","title":"x","published_at":"昨天"}"#;
    articles += "\n";
    write(dir.path(), "articles.jsonl", &articles);
    let (code, _, err) = run(dir.path(), &["import", "."]);
    assert_eq!(code, 1);
    assert!(err.contains("articles.jsonl:4: published_at: 无法解析的时间“昨天”"), "{err}");
    let stats = common::open_db(dir.path()).snapshot().unwrap().stats().unwrap();
    assert_eq!(stats.articles, 0, "nothing of the bad file is stored");
    assert_eq!(stats.accounts, 2, "the files before it are stored");

    let (code, out, _) = run(dir.path(), &["import", ".", "--skip-invalid"]);
    assert_eq!(code, 0);
    assert!(out.contains("已跳过 1 行无效数据") && out.contains("articles.jsonl:4: published_at"), "{out}");
    let (_, out, _) = run(dir.path(), &["stats", "--json"]);
    assert!(out.contains("\"articles\": 3"), "{out}");
}

#[test]
fn error_paths() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "accounts.jsonl",
            "{\"id\":\"a\",\"name\":\"n\",\"owner\":\"o\"}\n",
            "accounts.jsonl:1: level: 缺少必填字段",
        ),
        (
            "accounts.jsonl",
            "{\"id\":\"a\",\"name\":\"n\",\"owner\":\"o\",\"level\":\"city\"}\n",
            "accounts.jsonl:1: level: 无效取值“city”",
        ),
        (
            "accounts.jsonl",
            "{\"id\":\"\",\"name\":\"n\",\"owner\":\"o\",\"level\":\"other\"}\n",
            "accounts.jsonl:1: id: 不能为空",
        ),
        ("accounts.jsonl", "\n{not json\n", "accounts.jsonl:2: JSON 语法错误"),
        (
            "accounts.csv",
            "id,name,owner,level,verified\na,n,o,other,maybe\n",
            "accounts.csv:2: verified: 无效布尔值",
        ),
    ];
    for (file, text, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), file, text);
        let (code, _, err) = run(dir.path(), &["import", "."]);
        assert_eq!(code, 1, "{file}: {err}");
        assert!(err.contains(expected), "expected {expected:?} in {err:?}");
    }
    // Unknown account, non-UTF-8 text, missing accounts file, usage error.
    let dir = tempfile::tempdir().unwrap();
    common::small_dataset(dir.path());
    write(
        dir.path(),
        "articles.jsonl",
        "{\"account\":\"nobody\",\"url\":\"u\",\"title\":\"t\",\"published_at\":\"2025-01-01\"}\n",
    );
    let (code, _, err) = run(dir.path(), &["import", "."]);
    assert_eq!(code, 1);
    assert!(err.contains("articles.jsonl:1: account: 未知账号“nobody”"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    // "某市" in GBK.
    std::fs::write(dir.path().join("accounts.csv"), b"id,name,owner,level\na,\xc4\xb3\xca\xd0,o,other\n")
        .unwrap();
    let (code, _, err) = run(dir.path(), &["import", "."]);
    assert_eq!(code, 1);
    assert!(err.contains("accounts.csv:2: 文件不是 UTF-8 编码"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(dir.path(), &["import", "."]);
    assert_eq!(code, 1);
    assert!(err.contains("缺少账号文件"), "{err}");
    let (code, _, _) = run(dir.path(), &["import"]);
    assert_eq!(code, 2);
}

#[test]
fn importing_twice_changes_nothing_and_personal_data_never_reaches_the_file() {
    let dir = tempfile::tempdir().unwrap();
    common::small_dataset(dir.path());
    let id = "11010519491231002X";
    let mut a = std::fs::read_to_string(dir.path().join("articles.jsonl")).unwrap();
    a += &format!(
        "{{\"account\":\"gh_a\",\"url\":\"u9\",\"title\":\"t\",\"published_at\":\"2025-10-23\",\"comments\":[{{\"text\":\"身份证{id}，卡6222020200112233446\",\"created_at\":\"2025-10-23\",\"reply\":{{\"text\":\"请勿公开 zhang@example.com\",\"created_at\":\"2025-10-23\"}}}}]}}\n"
    );
    write(dir.path(), "articles.jsonl", &a);
    let (code, first, err) = run(dir.path(), &["import", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(first.contains("留言脱敏 4 处"), "{first}");
    let stats1 = run(dir.path(), &["stats"]).1;
    assert_eq!(run(dir.path(), &["import", "."]).0, 0);
    let stats2 = run(dir.path(), &["stats"]).1;
    assert_eq!(stats1, stats2);
    assert!(stats1.contains("留言：2（已回复 2）"), "{stats1}");

    // Checkpoint the WAL so every byte is in the main file, then scan all database files.
    let a = common::open_db(dir.path()).snapshot().unwrap().articles(&Default::default()).unwrap();
    assert!(a.iter().flat_map(|a| &a.comments).any(|c| c.text.contains("110105********002X")));
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let p = entry.unwrap().path();
        if p.file_name().unwrap().to_string_lossy().starts_with("govmedia.db") {
            let bytes = std::fs::read(&p).unwrap();
            for raw in ["13812345678", id, "6222020200112233446", "zhang@example.com"] {
                assert!(
                    !bytes.windows(raw.len()).any(|w| w == raw.as_bytes()),
                    "{raw} found in {}",
                    p.display()
                );
            }
        }
    }
}

#[test]
fn republished_copies_fold_into_the_newest() {
    let dir = tempfile::tempdir().unwrap();
    common::small_dataset(dir.path());
    let mut a = std::fs::read_to_string(dir.path().join("articles.jsonl")).unwrap();
    a += r#"{"account":"gh_a","url":"https://mp.weixin.qq.com/s/a1-resent","title":"关于做好冬季供暖工作的通知","published_at":"2025-10-20 09:20:00"}"#;
    a += "\n";
    write(dir.path(), "articles.jsonl", &a);
    let (code, out, _) = run(dir.path(), &["import", "."]);
    assert_eq!(code, 0);
    assert!(out.contains("合并重复推送 1"), "{out}");
    let (_, list, _) = run(dir.path(), &["articles", "--account", "gh_a"]);
    assert!(list.contains("a1-resent") && !list.contains("/s/a1\n"), "{list}");
    assert_eq!(list.lines().count() - 1, 2);
}

#[test]
fn a_killed_import_leaves_the_database_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    common::small_dataset(dir.path());
    assert_eq!(run(dir.path(), &["import", "."]).0, 0);
    let before = run(dir.path(), &["stats", "--json"]).1;

    // A second dataset with a large articles file; kill the import while it runs.
    let big = dir.path().join("big");
    std::fs::create_dir_all(&big).unwrap();
    std::fs::copy(dir.path().join("accounts.jsonl"), big.join("accounts.jsonl")).unwrap();
    let mut text = String::with_capacity(60 << 20);
    let body = "政务公开内容。".repeat(60);
    for i in 0..200_000 {
        text += &format!(
            "{{\"account\":\"gh_a\",\"url\":\"https://mp.weixin.qq.com/s/k{i}\",\"title\":\"标题{i}\",\"published_at\":\"2025-06-01T08:00:00+08:00\",\"content\":\"{body}\"}}\n"
        );
    }
    std::fs::write(big.join("articles.jsonl"), text).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("govmedia"))
        .current_dir(dir.path())
        .args(["import", "big"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the import has started writing (an import journals in rollback mode; the WAL
    // is the fallback when the database is shared) and is well into the 200,000 articles, then
    // kill it hard.
    let journals = ["govmedia.db-journal", "govmedia.db-wal"].map(|f| dir.path().join(f));
    let start = std::time::Instant::now();
    while journals.iter().all(|j| std::fs::metadata(j).map(|m| m.len()).unwrap_or(0) == 0) {
        assert!(child.try_wait().unwrap().is_none(), "import finished before it could be killed");
        assert!(start.elapsed().as_secs() < 120, "import never started writing");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(child.try_wait().unwrap().is_none(), "import finished before it could be killed");
    child.kill().unwrap();
    child.wait().unwrap();
    let after = run(dir.path(), &["stats", "--json"]).1;
    assert_eq!(before, after);
}

#[test]
fn help_teaches() {
    let dir = tempfile::tempdir().unwrap();
    let out = govmedia(dir.path()).arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("govmedia survey examples/sample-survey --out out"), "{text}");
    assert!(text.contains("退出状态"), "{text}");
}

//! No personal data in any output: personal numbers planted in titles, bodies (beside an ID
//! number, in a list, in other widths) and comments must not appear in results.json,
//! rankings.csv, the reports (HTML, PDF text, every cell of the workbook) or the diagnoses,
//! and no output of the bundled sample holds anything the detector reports; no personal
//! number of the seeded evaluation world (`generate --scale world`) reaches its outputs.

mod common;

use std::path::{Path, PathBuf};

use common::{repo, run, write};

/// The planted numbers, as digits.
const PLANTED: [&str; 7] = [
    "11010519491231002X",
    "13900000121",
    "13900000122",
    "13900000123",
    "13900000124",
    "13900000125",
    "13900000126",
];

fn dataset(dir: &Path) {
    write(
        dir,
        "accounts.jsonl",
        "{\"id\":\"gh_a\",\"name\":\"某市民政\",\"owner\":\"某市民政局\",\"level\":\"prefecture\",\"region\":\"310000\"}\n",
    );
    let articles = [
        serde_json::json!({"account": "gh_a", "url": "https://mp.weixin.qq.com/s/p1",
            "title": "关于低保名单的公示（咨询13900000122）", "published_at": "2025-10-20 09:00:00",
            "content": "经审核，下列人员符合条件：张三，身份证号11010519491231002X，联系电话13900000121，现予公示。"}),
        serde_json::json!({"account": "gh_a", "url": "https://mp.weixin.qq.com/s/p2",
            "title": "志愿者名单", "published_at": "2025-10-21 09:00:00",
            "content": "李四 １３９ ００００ ０１２３；王五 +86 139-0000-0124；赵六 13900000125 2025年加入。",
            "comments": [{"text": "我的电话0086 13900000126，邮箱zhang.san＠example.com", "created_at": "2025-10-21T10:00:00+08:00"}]}),
    ];
    write(dir, "articles.jsonl", &articles.map(|a| a.to_string() + "\n").concat());
}

/// Every file under `dir`, as the text a reader sees.
fn texts(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(texts(&p));
            continue;
        }
        let text = match p.extension().and_then(|x| x.to_str()) {
            Some("db" | "db-wal" | "db-shm" | "png") => continue,
            Some("pdf") => match std::process::Command::new("pdftotext").arg(&p).arg("-").output() {
                Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
                _ => {
                    assert!(std::env::var("CI").as_deref() != Ok("true"), "CI must install poppler-utils");
                    continue;
                }
            },
            Some("xlsx") => workbook_text(&p),
            // Texts only: a number's long fraction (0.8391234567891234) is not a card.
            Some("json") => {
                let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
                let mut t = String::new();
                strings(&v, &mut t);
                t
            }
            _ => String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned(),
        };
        out.push((p, text));
    }
    out
}

fn strings(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(m) => m.iter().for_each(|(k, x)| {
            out.push_str(k);
            out.push('\n');
            strings(x, out)
        }),
        _ => {}
    }
}

fn workbook_text(p: &Path) -> String {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(p).unwrap();
    let mut out = String::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        for row in range.rows() {
            // One cell per line: numbers in neighbouring cells are not one number.
            for c in row {
                out.push_str(&c.to_string());
                out.push('\n');
            }
        }
    }
    out
}

/// Digits (either width) and `X`, with every separator dropped.
fn digits(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '0'..='9' | 'X' => Some(c),
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            _ if c.is_alphanumeric() || c == '*' => Some('|'),
            _ => None,
        })
        .collect()
}

#[test]
fn no_planted_number_reaches_any_output() {
    let dir = tempfile::tempdir().unwrap();
    dataset(&dir.path().join("ds"));
    let (code, _, err) = run(dir.path(), &["survey", "ds", "--out", "out", "--offline"]);
    assert_eq!(code, 0, "{err}");
    let out = dir.path().join("out");
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    let pii: Vec<&serde_json::Value> = results["accounts"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "content.pii_exposed")
        .collect();
    assert!(!pii.is_empty(), "the planted ID number is found");
    let texts = texts(&out);
    assert!(
        texts.iter().any(|(p, _)| p.ends_with("report.pdf")) || std::env::var("CI").as_deref() != Ok("true")
    );
    for (path, text) in &texts {
        let d = digits(text);
        for n in PLANTED {
            assert!(!d.contains(n), "{n} in {}", path.display());
        }
        assert!(!text.contains("zhang.san"), "e-mail in {}", path.display());
    }
}

#[test]
fn the_bundled_sample_outputs_nothing_personal() {
    let dir = tempfile::tempdir().unwrap();
    let ds = repo("examples/sample-survey");
    let (code, _, err) = run(dir.path(), &["survey", ds.to_str().unwrap(), "--out", "out", "--offline"]);
    assert_eq!(code, 0, "{err}");
    for (path, text) in texts(&dir.path().join("out")) {
        let found = govmedia_pii::scan(&text);
        assert!(
            found.is_empty(),
            "{}: {:?}",
            path.display(),
            found.iter().map(|m| &text[m.start..m.end]).collect::<Vec<_>>()
        );
    }
}

#[test]
fn no_personal_number_of_the_seeded_world_reaches_any_output() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(dir.path(), &["generate", "--scale", "world", "--out", "world"]);
    assert_eq!(code, 0, "{err}");
    // Every personal number the world's articles hold, as digits.
    let mut personal = std::collections::BTreeSet::new();
    for line in std::fs::read_to_string(dir.path().join("world/articles.jsonl")).unwrap().lines() {
        let a: serde_json::Value = serde_json::from_str(line).unwrap();
        for field in ["title", "content"] {
            let text = a[field].as_str().unwrap_or_default();
            for m in govmedia_pii::scan(text) {
                personal.insert(digits(&text[m.start..m.end]));
            }
        }
    }
    assert!(personal.len() >= 20, "{} personal numbers planted", personal.len());
    let args = ["survey", "world", "--out", "out", "--offline", "--browser", "no-browser"];
    let (code, _, err) = run(dir.path(), &args);
    assert_eq!(code, 0, "{err}");
    for (path, text) in texts(&dir.path().join("out")) {
        let d = digits(&text);
        for n in &personal {
            assert!(!d.contains(n.as_str()), "{n} in {}", path.display());
        }
    }
}

//! The `functions` check (issue 17, item 6) on an offline page snapshot: two accounts whose
//! menus the `menu` check cannot tell apart (both have 政务公开, 办事服务 and 互动交流 with the
//! usual names) differ in what the pages behind them offer.

mod common;

use std::collections::BTreeMap;

use govmedia_checks::menu::MenuCheck;
use govmedia_checks::{AccountData, Assessment, Check, Outcome};
use govmedia_model::{MenuSnapshot, PageSnapshot};
use govmedia_web::{WebOptions, web_checks};
use serde_json::json;

const ITEMS: [(&str, &str, &str); 6] = [
    ("政务公开", "政策解读", "zcjd"),
    ("政务公开", "政策文件", "zcwj"),
    ("办事服务", "办事指南", "bszn"),
    ("办事服务", "预约办理", "yybl"),
    ("互动交流", "我要留言", "lyb"),
    ("互动交流", "领导信箱", "ldxx"),
];

fn menu(id: &str, host: &str) -> MenuSnapshot {
    let mut buttons: Vec<serde_json::Value> = Vec::new();
    for parent in ["政务公开", "办事服务", "互动交流"] {
        let subs: Vec<_> = ITEMS
            .iter()
            .filter(|(p, _, _)| *p == parent)
            .map(|(_, n, path)| json!({"type": "view", "name": n, "url": format!("https://{host}/{path}/")}))
            .collect();
        buttons.push(json!({"name": parent, "sub_button": subs}));
    }
    MenuSnapshot {
        account: id.into(),
        captured_at: govmedia_model::time::parse_time("", "2025-03-30T08:00:00+08:00").unwrap(),
        menu: json!({"menu": {"button": buttons}}),
    }
}

/// Writes a page snapshot: (url, final url, body text).
fn snapshot(
    dir: &std::path::Path,
    pages: &mut BTreeMap<String, PageSnapshot>,
    url: &str,
    final_url: &str,
    text: &str,
) {
    let file = format!("pages/{}.html", pages.len());
    let title = text.split('：').next().unwrap_or("");
    std::fs::create_dir_all(dir.join("pages")).unwrap();
    std::fs::write(
        dir.join(&file),
        format!("<html><head><title>{title}</title></head><body><h1>{title}</h1><p>{text}</p></body></html>"),
    )
    .unwrap();
    let snap: PageSnapshot = serde_json::from_value(json!({
        "url": url, "fetched_at": "2025-03-30T10:00:00+08:00", "status": 200, "final_url": final_url,
        "content_type": "text/html; charset=utf-8", "body": file,
    }))
    .unwrap();
    pages.insert(url.to_owned(), snap);
}

fn assess(check: &mut dyn Check, s: &common::Data) -> Vec<Assessment> {
    common::run(check, s)
        .into_iter()
        .map(|o| match o {
            Outcome::Evaluated(x) => x,
            Outcome::NotEvaluated(r) => panic!("{r}"),
        })
        .collect()
}

#[test]
fn functions_are_scored_on_what_the_pages_offer() {
    let dir = tempfile::tempdir().unwrap();
    let mut pages = BTreeMap::new();
    // "full": every capability the survey names, on the government website.
    let full = [
        ("zcjd", "政策解读：一图读懂新出台的医保政策，附视频解读。"),
        ("zcwj", "政策文件：规范性文件全文。"),
        ("bszn", "办事指南：列明申请材料和办理流程，无需登录即可查看。"),
        ("yybl", "预约办理：在线预约、在线办理，可查询办理进度。"),
        ("lyb", "我要留言：填写内容即可留言，常见问题见智能问答。"),
        ("ldxx", "领导信箱：写信给领导，答复公开。"),
    ];
    for (path, text) in full {
        let url = format!("https://www.full.gov.cn/{path}/");
        snapshot(dir.path(), &mut pages, &url, &url, text);
    }
    // "walls": the same menu, but the service pages force a login, the appointment sends
    // people to the hall, the message box has no Q&A bank, and nothing is on a government
    // site (the account's website is another host).
    let walls = [
        ("zcjd", "政策解读：本栏目内容持续更新。"),
        ("zcwj", "政策文件：本栏目内容持续更新。"),
        ("bszn", "用户登录：请先登录后查看办事指南。"),
        ("yybl", "预约办理：请携带材料前往政务服务大厅现场办理。"),
        ("lyb", "我要留言：填写内容即可留言，5个工作日内答复。"),
        ("ldxx", "领导信箱：本栏目内容持续更新。"),
    ];
    for (path, text) in walls {
        let url = format!("https://walls.example/{path}/");
        let final_url =
            if path == "bszn" { "https://sso.walls.example/login".to_owned() } else { url.clone() };
        snapshot(dir.path(), &mut pages, &url, &final_url, text);
    }
    let account = |id: &str, host: &str, website: Option<&str>| {
        let mut a = common::account(id);
        a.website = website.map(str::to_owned);
        AccountData { account: a, articles: Vec::new(), menu: Some(menu(id, host)) }
    };
    let mut national = account("national", "www.full.gov.cn", None);
    national.menu = Some(MenuSnapshot {
        menu: json!({"menu": {"button": [{"name": "互动交流", "sub_button": [
            {"type": "view", "name": "互联网+督查", "url": "https://www.gov.cn/hudong/ducha/"}]}]}}),
        ..menu("national", "x")
    });
    let mut s = common::survey(vec![
        account("full", "www.full.gov.cn", None),
        account("walls", "walls.example", Some("https://www.walls-gov.example")),
        account("unfetched", "nowhere.example", None),
        national,
    ]);
    s.pages = pages;
    s.dataset_dir = Some(dir.path().to_owned());
    s.offline = true;

    // Before: the menu check (which the functions indicators used to read) cannot tell them apart.
    let m = assess(&mut MenuCheck::default(), &s);
    for f in ["disclosure", "service", "interaction"] {
        assert_eq!((m[0].metrics[f], m[1].metrics[f]), (1.0, 1.0), "{f}");
    }

    let mut checks = web_checks(WebOptions::default());
    let functions = checks.iter_mut().find(|c| c.name() == "functions").unwrap();
    let r = assess(functions.as_mut(), &s);
    for f in ["disclosure", "service", "interaction"] {
        assert_eq!(r[0].metrics[f], 1.0, "full {f}: {:?}", r[0].metrics);
    }
    assert!(r[0].findings.is_empty(), "{:?}", r[0].findings);
    let w = &r[1];
    // 政务公开: pages open but no interpretation and not on a government site: 1 of 3.
    assert!((w.metrics["disclosure"] - 1.0 / 3.0).abs() < 1e-9, "{:?}", w.metrics);
    // 办事服务: guide behind a login, no online handling or query, not on a government site.
    assert_eq!(w.metrics["service"], 0.0);
    assert_eq!(w.metrics["service_guide"], 0.0);
    // 互动交流: a working message box, but no Q&A bank and not on a government site.
    assert!((w.metrics["interaction"] - 1.0 / 3.0).abs() < 1e-9);
    let missing: Vec<&str> = w.findings.iter().map(|f| f.evidence["function"].as_str().unwrap()).collect();
    assert_eq!(missing, ["政务公开", "办事服务", "互动交流"]);
    assert!(w.findings[1].message.contains("在线办理"), "{}", w.findings[1].message);
    // Pages that could not be read: not evaluated, never a guess.
    for f in ["disclosure", "service", "interaction"] {
        assert!(r[2].not_evaluated[f].contains("未能读取"), "{:?}", r[2].not_evaluated);
    }
    // Only the national platforms: 互动交流 scores nothing; absent functions score 0.
    assert_eq!((r[3].metrics["interaction"], r[3].metrics["service"]), (0.0, 0.0));
}

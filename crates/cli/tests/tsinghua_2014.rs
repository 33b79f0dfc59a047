//! The 2014 Tsinghua report from import to report: its WeChat (R, Z) and Weibo (four
//! sub-indices) table rows and its app download table go in as data (accounts.jsonl with
//! `wechat` and `weibo`, apps.csv with one row per app and store), `govmedia survey
//! --framework tsinghua-2014` runs, and the combined values and order of tables 1.2 and 1.3,
//! and the top-10 list of each store of table 4.1, come out in results.json, report.html and
//! report.xlsx.
//!
//! A unit of tables 1.2/1.3 is imported when its WeChat account is in table 2.1/2.2 and its
//! Weibo account in table 3.1/3.2 (the other rows print only the index, not its inputs); both
//! accounts get the unit's 认证信息 from table 1.2/1.3 as owner, as a registry would give.
//! The seed is read at test time from ../shared/seeds (it is not part of the repository).

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{DataType, Reader, Xlsx, open_workbook};
use common::{run, write};
use serde_json::{Value, json};

const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds/001_50cc3814bfe9a3da.txt");

/// Table 1.2 prints 790.00 for 团学小微, whose own WCI and BCI give 789.87 (a typesetting error
/// the indices crate's test documents).
const MISPRINTED: &[&str] = &["团学小微(团中央学校部)"];

#[derive(Debug, Clone)]
struct Row {
    name: String,
    owner: String,
    numbers: Vec<f64>,
}

/// The data rows of each table, by table number.
fn tables() -> BTreeMap<String, Vec<Row>> {
    let text = std::fs::read_to_string(SEED).expect("seed text under ../shared/seeds");
    let mut table = String::new();
    let mut out: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    for line in text.lines() {
        if let Some(rest) = line.trim().strip_prefix("表 ") {
            table = rest.split_whitespace().next().unwrap_or_default().to_owned();
            continue;
        }
        let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
        let num = |c: &str| c.parse::<f64>().ok();
        let row = match table.as_str() {
            "1.2" | "1.3" | "2.1" | "2.2" if cells.len() == 6 && num(cells[5]).is_some() => Row {
                name: cells[1].to_owned(),
                owner: cells[2].to_owned(),
                numbers: cells[3..].iter().map(|c| num(c).unwrap()).collect(),
            },
            "3.1" | "3.2" if cells.len() >= 8 && num(cells[cells.len() - 1]).is_some() => {
                let skip = cells.len() - 8;
                let nums: Vec<f64> = cells[skip + 2..].iter().map(|c| num(c).unwrap()).collect();
                // 中国气象局's row lost its follower count (cells shifted left by one).
                let (followers, subs) = if cells[skip + 2].contains('.') {
                    (None, &nums[0..4])
                } else {
                    (Some(nums[0]), &nums[1..5])
                };
                let mut numbers = subs.to_vec();
                numbers.push(followers.unwrap_or(-1.0));
                Row { name: cells[skip].to_owned(), owner: cells[skip + 1].to_owned(), numbers }
            }
            "4.1" if cells.len() == 6 && num(cells[1]).is_some() => Row {
                name: cells.iter().step_by(2).copied().collect::<Vec<_>>().join("\t"),
                owner: String::new(),
                numbers: cells.iter().skip(1).step_by(2).map(|c| num(c).unwrap()).collect(),
            },
            _ => continue,
        };
        out.entry(table.clone()).or_default().push(row);
    }
    out
}

fn level_of(name: &str, ministry: bool) -> &'static str {
    if ministry {
        return "ministry";
    }
    match name {
        "上海发布" | "广东发布" | "浙江发布" | "北京发布" | "山东发布" | "最后一公里" => {
            "province"
        }
        "平安北京" | "广东省公安厅" | "云南省人民检察院" => "province_dept",
        _ => "prefecture",
    }
}

/// A unit of a combined table with the names of its two accounts.
#[derive(Debug)]
struct Unit {
    nick: String,
    owner: String,
    level: &'static str,
    combined: f64,
}

/// Writes the dataset; returns the units expected to get a combined index, in table order.
fn dataset(dir: &Path, t: &BTreeMap<String, Vec<Row>>) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut owners: BTreeMap<(String, bool), String> = BTreeMap::new();
    for (combined, wechat, weibo, ministry) in [("1.2", "2.1", "3.1", true), ("1.3", "2.2", "3.2", false)] {
        for r in &t[combined] {
            let (wechat_name, weibo_name) = match r.name.split_once('(') {
                Some((w, b)) => (w.to_owned(), b.trim_end_matches(')').to_owned()),
                None => (r.name.clone(), r.name.clone()),
            };
            let has = |table: &str, name: &str| t[table].iter().any(|x| x.name == name);
            if has(wechat, &wechat_name) && has(weibo, &weibo_name) {
                owners.insert((format!("wechat:{wechat_name}"), ministry), r.owner.clone());
                owners.insert((format!("weibo:{weibo_name}"), ministry), r.owner.clone());
                units.push(Unit {
                    nick: r.name.clone(),
                    owner: r.owner.clone(),
                    level: level_of(&wechat_name, ministry),
                    combined: r.numbers[2],
                });
            }
        }
    }
    let mut accounts = String::new();
    for (table, platform, ministry) in
        [("2.1", "wechat", true), ("2.2", "wechat", false), ("3.1", "weibo", true), ("3.2", "weibo", false)]
    {
        for (i, r) in t[table].iter().enumerate() {
            let owner = owners.get(&(format!("{platform}:{}", r.name), ministry)).unwrap_or(&r.owner);
            let mut a = json!({
                "id": format!("{platform}-{table}-{i}"),
                "name": r.name,
                "owner": owner,
                "level": level_of(&r.name, ministry),
                "platform": platform,
            });
            if platform == "wechat" {
                a["wechat"] = json!({"read_index": r.numbers[0], "like_index": r.numbers[1]});
            } else {
                let n = &r.numbers;
                a["weibo"] =
                    json!({"coverage": n[0], "activity": n[1], "interaction": n[2], "propagation": n[3]});
                if n[4] >= 0.0 {
                    a["followers"] = json!(n[4] as u64);
                }
            }
            accounts.push_str(&format!("{a}\n"));
        }
    }
    write(dir, "accounts.jsonl", &accounts);
    // Table 4.1's first block: 360手机助手, QQ应用宝 and 豌豆荚, ten apps each; the report does
    // not name the apps' units, so each app stands for its own unit here.
    let stores = ["360手机助手", "QQ应用宝", "豌豆荚"];
    let mut apps = String::from("id,name,owner,level,store,downloads,as_of\n");
    for r in t["4.1"].iter().take(10) {
        let names: Vec<&str> = r.name.split('\t').collect();
        for (k, store) in stores.iter().enumerate() {
            // The row of 广东警民通出入境 breaks across a page: its name ends on the next line.
            let name = if names[k] == "广东警民通出入境" {
                "广东警民通出入境连线"
            } else {
                names[k]
            };
            apps.push_str(&format!("{name},{name},{name},prefecture,{store},{},2014-10-31\n", r.numbers[k]));
        }
    }
    write(dir, "apps.csv", &apps);
    write(
        dir,
        "survey.toml",
        "name = \"2014 政务新媒体传播力（清华大学表格复现）\"\nperiod = { from = \"2014-10-01\", to = \"2014-10-31\" }\n",
    );
    units
}

#[test]
fn the_2014_report_comes_out_of_a_survey() {
    let t = tables();
    let dir = tempfile::tempdir().unwrap();
    let units = dataset(dir.path(), &t);
    assert_eq!(units.len(), 17, "{units:?}");
    let (code, out, err) = run(
        dir.path(),
        &[
            "survey",
            ".",
            "--out",
            "out",
            "--framework",
            "tsinghua-2014",
            "--offline",
            "--browser",
            "/nonexistent",
        ],
    );
    assert_eq!(code, 0, "{out}\n{err}");
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/results.json")).unwrap()).unwrap();

    // Combined values: the printed ones (±0.01), the misprinted row within half a point.
    let got = results["units"].as_array().unwrap();
    let combined: Vec<&Value> = got.iter().filter(|u| !u["combined"].is_null()).collect();
    assert_eq!(combined.len(), units.len());
    for u in &units {
        let g = combined.iter().find(|g| g["unit"] == u.owner.as_str()).unwrap_or_else(|| panic!("{u:?}"));
        assert_eq!(g["combined"]["version"], "tsinghua-2014");
        assert_eq!(g["level"], u.level);
        let value = g["combined"]["value"].as_f64().unwrap();
        let tolerance = if MISPRINTED.contains(&u.nick.as_str()) { 0.5 } else { 0.01 };
        assert!((value - u.combined).abs() <= tolerance, "{}: {value} vs printed {}", u.nick, u.combined);
    }
    // Order: within each level, the table's order.
    for level in ["ministry", "province", "prefecture"] {
        let expected: Vec<&str> =
            units.iter().filter(|u| u.level == level).map(|u| u.owner.as_str()).collect();
        let order: Vec<&str> =
            combined.iter().filter(|g| g["level"] == level).map(|g| g["unit"].as_str().unwrap()).collect();
        assert_eq!(order, expected, "{level}");
    }
    // Units with one platform only have no combined index and say why.
    let single: Vec<&Value> = got.iter().filter(|u| u["combined"].is_null()).collect();
    assert!(!single.is_empty());
    assert!(single.iter().all(|u| u["not_evaluated"].as_str().unwrap().contains("无")));

    // The report prints the tables in that order, and the app chapter the stores' top lists.
    let html = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    let ministry_table = &html[html.find("部委综合传播值 TOP20").expect("combined table")..];
    let mut at = 0;
    for u in units.iter().filter(|u| u.level == "ministry") {
        at += ministry_table[at..].find(&u.owner).unwrap_or_else(|| panic!("{} after {at}", u.nick));
    }
    for heading in [
        "政务传播力指数榜",
        "部委微信传播指数 TOP20",
        "部委微博传播指数 TOP20",
        "政务APP",
        "360手机助手下载量前十的APP",
    ] {
        assert!(html.contains(heading), "{heading}");
    }

    // The workbook: the unit sheet, the Weibo ranking and the apps per store.
    let mut wb: Xlsx<_> = open_workbook(dir.path().join("out/report.xlsx")).unwrap();
    let names = wb.sheet_names();
    for sheet in ["传播力指数", "微博排名", "政务APP"] {
        assert!(names.iter().any(|n| n == sheet), "{sheet} in {names:?}");
    }
    let sheet = wb.worksheet_range("传播力指数").unwrap();
    let first = sheet.rows().nth(1).unwrap();
    assert_eq!(first[1].to_string(), "国务院办公厅政府信息公开办公室");
    assert!((first[8].get_float().unwrap() - 983.00).abs() <= 0.01);
    let apps = wb.worksheet_range("政务APP").unwrap();
    assert_eq!(apps.rows().count() - 1, 30);

    // Table 4.1: each store's top ten, in the printed order, with the printed downloads.
    let by_store = results["statistics"]["apps"]["by_store"].as_array().unwrap();
    for (k, store) in ["360手机助手", "QQ应用宝", "豌豆荚"].iter().enumerate() {
        let s = by_store.iter().find(|s| s["store"] == *store).unwrap();
        let top: Vec<u64> =
            s["top"].as_array().unwrap().iter().map(|a| a["downloads"].as_u64().unwrap()).collect();
        let printed: Vec<u64> = t["4.1"].iter().take(10).map(|r| r.numbers[k] as u64).collect();
        assert_eq!(top, printed, "{store}");
    }
}

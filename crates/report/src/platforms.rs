//! The chapters beyond WeChat, as the 2014 Tsinghua report prints them: communication-power
//! rankings (综合传播值 of units with both accounts, 微信传播指数, 微博传播指数; TOP 20 of
//! ministries and of provinces, TOP 10 of cities), the most-read articles, and government apps
//! (apps and downloads per store, the ten most downloaded of each store, distribution by
//! province and by field, findings). Each chapter appears only when the results have its data.

use govmedia_model::results::{AccountResult, IndexValue, Results, UnitResult};
use govmedia_model::{FindingCode, Level, Platform};
use serde_json::Value;

use crate::charts;
use crate::doc::{Chart, Doc};
use crate::survey::cn_num;

/// The groups the rankings are printed for, with their list length.
pub const RANK_GROUPS: [(&str, &[Level], usize); 3] = [
    ("部委", &[Level::Ministry], 20),
    ("省级", &[Level::Province, Level::ProvinceDept], 20),
    ("地市级", &[Level::Prefecture], 10),
];

/// Articles in the most-read list.
const HOT_ARTICLES: usize = 20;

/// Whether the results have what the index chapter shows.
pub fn has_indices(r: &Results) -> bool {
    !r.units.is_empty() || r.accounts.iter().any(|a| a.platform == Platform::Weibo)
}

/// An index with its formula, as a table cell.
pub fn index_cell(i: &IndexValue) -> String {
    format!("{:.2}", i.value)
}

/// The units with a combined index in one group, best first (results order).
pub fn combined_ranking<'a>(r: &'a Results, levels: &[Level]) -> Vec<&'a UnitResult> {
    r.units.iter().filter(|u| u.combined.is_some() && levels.contains(&u.level)).collect()
}

/// The accounts of one platform in one group with index `key` (`wci`, `bci`), highest first.
pub fn index_ranking<'a>(
    r: &'a Results,
    platform: Platform,
    key: &str,
    levels: &[Level],
) -> Vec<&'a AccountResult> {
    let mut v: Vec<&AccountResult> = r
        .accounts
        .iter()
        .filter(|a| a.platform == platform && levels.contains(&a.level) && a.indices.contains_key(key))
        .collect();
    v.sort_by(|a, b| b.indices[key].value.total_cmp(&a.indices[key].value).then(a.id.cmp(&b.id)));
    v
}

/// The index chapter and the app chapter, numbered from `n`; returns the next number.
pub fn chapters(d: &mut Doc, r: &Results, charts: &[Chart], mut n: usize) -> usize {
    if has_indices(r) {
        indices(d, r, n);
        n += 1;
    }
    if let Some(apps) = r.statistics.get("apps") {
        apps_chapter(d, r, apps, charts, n);
        n += 1;
    }
    n
}

fn indices(d: &mut Doc, r: &Results, n: usize) {
    d.h1(format!("{}、政务传播力指数榜", cn_num(n)));
    let versions = |key: &str| {
        let mut v: Vec<&str> =
            r.accounts.iter().filter_map(|a| a.indices.get(key).map(|i| i.version.as_str())).collect();
        v.sort_unstable();
        v.dedup();
        if v.is_empty() { "无".to_owned() } else { v.join("、") }
    };
    d.para(format!(
        "微信传播指数（WCI，版本：{}）衡量政务微信的传播能力与效力，微博传播指数（BCI，版本：{}）衡量政务微博的覆盖度、活跃度、互动度与传播度；同一单位同时开通政务微信与政务微博时，按同一对版本计算综合传播值 = 0.6 × WCI + 0.4 × BCI。只开通一个平台的单位不计综合传播值（不按 0 计）。",
        versions("wci"),
        versions("bci")
    ));
    let mut section = 0;
    let mut next = |d: &mut Doc, title: &str| {
        section += 1;
        d.h2(format!("（{}）{title}", cn_num(section)));
    };
    next(d, "综合传播力榜");
    let single = r.units.iter().filter(|u| u.combined.is_none()).count();
    for (group, levels, top) in RANK_GROUPS {
        let list = combined_ranking(r, levels);
        if list.is_empty() {
            continue;
        }
        let rows = list
            .iter()
            .take(top)
            .enumerate()
            .map(|(i, u)| {
                let (w, b, c) =
                    (u.wechat.as_ref().unwrap(), u.weibo.as_ref().unwrap(), u.combined.as_ref().unwrap());
                let names =
                    if w.name == b.name { w.name.clone() } else { format!("{}（{}）", w.name, b.name) };
                vec![
                    (i + 1).to_string(),
                    names,
                    u.unit.clone(),
                    index_cell(&w.index),
                    index_cell(&b.index),
                    index_cell(c),
                ]
            })
            .collect();
        d.table(
            Some(format!("{group}综合传播值 TOP{top}")),
            &["排名", "微信（微博）名称", "单位", "微信传播指数", "微博传播指数", "综合传播值"],
            rows,
            Some(&[6, 26, 30, 12, 12, 12]),
        );
    }
    if r.units.iter().all(|u| u.combined.is_none()) {
        d.para("没有同时具备微信传播指数与微博传播指数的单位，未计算综合传播值。");
    }
    if single > 0 {
        d.note(format!(
            "另有 {single} 个单位只具备一个平台的传播指数，未计综合传播值，见 report.xlsx 的“传播力指数”表。"
        ));
    }
    for (platform, key, title, label) in [
        (Platform::Wechat, "wci", "政务微信榜", "微信传播指数"),
        (Platform::Weibo, "bci", "政务微博榜", "微博传播指数"),
    ] {
        next(d, title);
        let mut any = false;
        for (group, levels, top) in RANK_GROUPS {
            let list = index_ranking(r, platform, key, levels);
            if list.is_empty() {
                continue;
            }
            any = true;
            // The inputs the index was computed from, as the 2014 report prints them.
            let (stat, inputs): (&str, &[(&str, &str)]) = match platform {
                Platform::Wechat => {
                    ("wechat_inputs", &[("read_index", "阅读指数(R)"), ("like_index", "点赞指数(Z)")])
                }
                _ => (
                    "weibo_inputs",
                    &[
                        ("coverage", "覆盖度"),
                        ("activity", "活跃度"),
                        ("interaction", "互动度"),
                        ("propagation", "传播度"),
                    ],
                ),
            };
            let shown: Vec<(&str, &str)> = inputs
                .iter()
                .copied()
                .filter(|(k, _)| list.iter().any(|a| a.stats.get(stat).is_some_and(|s| s[*k].is_number())))
                .collect();
            let rows = list
                .iter()
                .take(top)
                .enumerate()
                .map(|(i, a)| {
                    let followers = a
                        .stats
                        .get("followers")
                        .and_then(Value::as_u64)
                        .map_or(String::new(), |f| f.to_string());
                    let mut row = vec![(i + 1).to_string(), a.name.clone(), a.owner.clone(), followers];
                    for (k, _) in &shown {
                        let v = a.stats.get(stat).and_then(|s| s[*k].as_f64());
                        row.push(v.map_or(String::new(), |v| format!("{v:.2}")));
                    }
                    row.push(index_cell(&a.indices[key]));
                    row
                })
                .collect();
            let mut header = vec!["排名", "账号名称", "主办单位", "粉丝（听众）数"];
            header.extend(shown.iter().map(|x| x.1));
            header.push(label);
            d.table(Some(format!("{group}{label} TOP{top}")), &header, rows, None);
        }
        if !any {
            d.para(format!("本次数据中没有可计算{label}的账号。"));
        }
    }
    next(d, "政务微信热门文章");
    hot_articles(d, r);
}

fn hot_articles(d: &mut Doc, r: &Results) {
    let wechat: std::collections::HashMap<&str, &AccountResult> =
        r.accounts.iter().filter(|a| a.platform == Platform::Wechat).map(|a| (a.id.as_str(), a)).collect();
    let mut list: Vec<_> =
        r.articles.iter().filter(|a| a.reads.is_some() && wechat.contains_key(a.account.as_str())).collect();
    if list.is_empty() {
        d.para("未采集文章阅读数，不列热门文章。");
        return;
    }
    list.sort_by(|a, b| {
        let reads = |x: &govmedia_model::results::ArticleResult| x.reads.map_or(0, |r| r.value);
        reads(b).cmp(&reads(a)).then(b.likes.cmp(&a.likes)).then(a.url.cmp(&b.url))
    });
    let rows = list
        .iter()
        .take(HOT_ARTICLES)
        .enumerate()
        .map(|(i, a)| {
            let reads = a
                .reads
                .map_or(String::new(), |r| if r.capped { "10万+".to_owned() } else { r.value.to_string() });
            vec![
                (i + 1).to_string(),
                wechat[a.account.as_str()].name.clone(),
                a.published_at.as_deref().map_or(String::new(), |t| t.get(..10).unwrap_or(t).to_owned()),
                a.title.clone().unwrap_or_default(),
                reads,
                a.likes.map_or(String::new(), |l| l.to_string()),
            ]
        })
        .collect();
    d.table(
        Some(format!("政务微信热门文章 TOP{HOT_ARTICLES}（按阅读数）")),
        &["序号", "微信名", "发布日期", "标题", "阅读数", "点赞数"],
        rows,
        Some(&[6, 16, 12, 46, 10, 8]),
    );
}

fn apps_chapter(d: &mut Doc, r: &Results, apps: &Value, charts: &[Chart], n: usize) {
    d.h1(format!("{}、政务APP", cn_num(n)));
    let total = apps["apps"].as_u64().unwrap_or(0);
    let stores = apps["by_store"].as_array().cloned().unwrap_or_default();
    d.para(format!("本次统计政务APP {total} 个，分布在 {} 个应用商店。", stores.len()));
    d.h2("（一）政务APP平台分布");
    let rows = stores
        .iter()
        .map(|s| {
            vec![
                s["store"].as_str().unwrap_or("").to_owned(),
                s["apps"].to_string(),
                s["downloads"].to_string(),
                s["mean_downloads"].as_f64().map_or("未提供".to_owned(), |m| format!("{m:.0}")),
            ]
        })
        .collect();
    d.table(
        Some("各应用商店政务APP数量与下载量".into()),
        &["应用商店", "APP数", "总下载量", "平均下载量"],
        rows,
        None,
    );
    for id in ["app-stores", "app-regions"] {
        if let Some(c) = charts::find(charts, id) {
            d.chart(c);
        }
    }
    d.h2("（二）政务APP下载量排名");
    for s in &stores {
        let top = s["top"].as_array().cloned().unwrap_or_default();
        if top.is_empty() {
            d.para(format!("{}未提供下载量。", s["store"].as_str().unwrap_or("")));
            continue;
        }
        let rows = top
            .iter()
            .enumerate()
            .map(|(i, a)| {
                vec![
                    (i + 1).to_string(),
                    a["name"].as_str().unwrap_or("").to_owned(),
                    a["owner"].as_str().unwrap_or("").to_owned(),
                    a["downloads"].to_string(),
                ]
            })
            .collect();
        d.table(
            Some(format!("{}下载量前十的APP", s["store"].as_str().unwrap_or(""))),
            &["排名", "APP名称", "主办单位", "下载量"],
            rows,
            Some(&[6, 30, 40, 14]),
        );
    }
    d.h2("（三）政务APP地域与领域分布");
    let count_rows = |m: &Value, name: &dyn Fn(&str, &Value) -> String| -> Vec<Vec<String>> {
        let mut v: Vec<(String, u64)> = m
            .as_object()
            .map(|o| o.iter().map(|(k, x)| (name(k, x), x["apps"].as_u64().unwrap_or(0))).collect())
            .unwrap_or_default();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v.into_iter().map(|(k, n)| vec![k, n.to_string()]).collect()
    };
    let regions = count_rows(&apps["by_region"], &|_, x| x["name"].as_str().unwrap_or("").to_owned());
    d.table(Some("政务APP地域分布".into()), &["省份", "APP数"], regions, None);
    let fields = count_rows(&apps["by_field"], &|k, _| k.to_owned());
    d.table(Some("政务APP领域分布".into()), &["领域", "APP数"], fields, None);
    d.h2("（四）政务APP存在的问题");
    let found: Vec<String> = r
        .accounts
        .iter()
        .filter(|a| a.platform == Platform::App)
        .flat_map(|a| {
            a.findings.iter().filter(|f| matches!(f.code, FindingCode::AppStale | FindingCode::AppDuplicate))
        })
        .map(|f| f.message.clone())
        .collect();
    if found.is_empty() {
        d.para("未发现长期未更新或一事多端的政务APP。");
    } else {
        d.bullets(found);
    }
}

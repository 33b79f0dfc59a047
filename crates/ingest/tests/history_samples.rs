//! `history::read` on the real history-API samples (../shared/data/wechat/history-api/).

use std::collections::BTreeSet;
use std::path::Path;

use govmedia_ingest::{Record, history};
use govmedia_model::Article;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/wechat/history-api/");

fn read(name: &str) -> Vec<Record> {
    let path = format!("{DIR}{name}");
    history::read(Path::new(&path), &std::fs::read(&path).expect("sample")).expect("reads")
}

fn articles(records: &[Record]) -> Vec<&Article> {
    records.iter().filter_map(|r| if let Record::Article(a) = r { Some(a) } else { None }).collect()
}

fn mid(url: &str) -> &str {
    let at = url.find("mid=").expect("mid") + 4;
    url[at..].split('&').next().unwrap()
}

/// Positions grouped by push, in file order.
fn positions(arts: &[&Article]) -> Vec<Vec<u32>> {
    let mut out: Vec<(String, Vec<u32>)> = Vec::new();
    for a in arts {
        let m = mid(&a.url).to_owned();
        match out.last_mut() {
            Some((last, ps)) if *last == m => ps.push(a.position.unwrap()),
            _ => out.push((m, vec![a.position.unwrap()])),
        }
    }
    out.into_iter().map(|(_, p)| p).collect()
}

#[test]
fn gongqingtuan_pushes_articles_positions() {
    let recs = read("共青团中央.json");
    let Record::AccountIfMissing(acc) = &recs[0] else { panic!("implied account first") };
    assert_eq!((acc.id.as_str(), acc.biz.as_deref()), ("共青团中央", Some("MzA3NTE5MzQzMA==")));
    let arts = articles(&recs);
    assert_eq!(arts.len(), 73);
    let pos = positions(&arts);
    assert_eq!(pos.len(), 30);
    assert_eq!(pos[..4], [vec![1, 2, 3], vec![1, 2], vec![1, 2, 3], vec![1, 2]]);
    let first = arts[0];
    assert_eq!(first.account, "共青团中央");
    assert_eq!(first.title, "赢了！焊接、数控、移动机器人……世界技能大赛中国青年再创新高！未来就要这样干！");
    assert_eq!(first.published_at.to_rfc3339(), "2019-09-30T06:35:08+08:00");
    assert!(
        first.url.starts_with("http://mp.weixin.qq.com/s?__biz=MzA3NTE5MzQzMA==&mid=2655077856&idx=1&sn=")
    );
    assert!(!first.url.contains("&amp;") && !first.url.contains("\\/"));
    assert_eq!((first.original, first.deleted), (Some(false), Some(false)));
    // 共青团中央 only uses 100 and 101: nothing is declared original.
    assert!(arts.iter().all(|a| a.original == Some(false)));
    assert!(arts.iter().all(|a| a.comments_collected == Some(false)), "the history API lists no comments");
}

#[test]
fn guokr_keeps_positions_after_an_empty_headline() {
    let arts_recs = read("果壳.json");
    let arts = articles(&arts_recs);
    assert_eq!(arts.len(), 72);
    let pos = positions(&arts);
    assert_eq!(pos.len(), 30);
    assert_eq!(pos[10], vec![2, 3]);
    assert_eq!(arts[0].title, "认小鸟当娃、骑摩托遛鸟，什么工作这么有趣？");
    assert_eq!(arts[0].original, Some(true));
    let stats: BTreeSet<i64> = arts.iter().filter_map(|a| a.extra.get("copyright_stat")?.as_i64()).collect();
    assert_eq!(stats, BTreeSet::from([11, 12, 100, 101, 201]));
    assert!(arts.iter().filter(|a| a.extra["copyright_stat"] == 201).all(|a| a.original.is_none()));
}

#[test]
fn appmsg_list_format() {
    let recs = read("test.json");
    let arts = articles(&recs);
    assert_eq!(arts.len(), 26);
    let pushes: BTreeSet<&str> = arts.iter().map(|a| mid(&a.url)).collect();
    assert_eq!(pushes.len(), 5);
    assert_eq!(positions(&arts)[..3], [vec![1, 2, 3, 4, 5, 6], vec![1, 2, 3, 4, 5], vec![1, 2, 3, 4]]);
    assert_eq!(arts[0].title, "iPhone 12 mini/Pro Max预约破百万 A14X性能曝光 多核大提升");
    assert_eq!(arts[0].published_at.to_rfc3339(), "2020-11-06T21:55:46+08:00");
    assert_eq!(arts[0].original, None);
    assert_eq!(arts[0].account, "test");
}

#[test]
fn every_sample_reads() {
    let mut total = 0;
    for entry in std::fs::read_dir(DIR).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let recs = history::read(&path, &std::fs::read(&path).unwrap()).unwrap();
            total += articles(&recs).len();
        }
    }
    assert_eq!(total, 736 + 26);
}

#[test]
fn a_json_file_that_is_not_a_history_list() {
    let e = history::read(Path::new("history/x.json"), br#"{"accounts": [{"id": "a"}]}"#).unwrap_err();
    assert_eq!(e.to_string(), "history/x.json:1: 不是历史消息列表项（缺少 comm_msg_info 或 appmsgid 字段）");
    let truncated = &std::fs::read(format!("{DIR}AppSo.json")).unwrap()[..5000];
    let e = history::read(Path::new("AppSo.json"), truncated).unwrap_err();
    assert_eq!(e.line, Some(3));
    assert!(e.reason.starts_with("JSON 语法错误"), "{e}");
}

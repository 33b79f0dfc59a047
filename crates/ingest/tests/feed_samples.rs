//! `feed::read` on the real government feeds of 2021 (../shared/data/wechat/feeds-gov-2021/,
//! no licence: read in place, never copied).

use std::path::{Path, PathBuf};

use govmedia_ingest::{Record, feed};
use govmedia_model::{Account, Article};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/wechat/feeds-gov-2021/feeds/");

fn read(stem: &str) -> (Account, Vec<Article>) {
    let path = PathBuf::from(format!("{DIR}{stem}.xml"));
    split(feed::read(&path, &std::fs::read(&path).expect("sample feed")).expect("reads"))
}

fn split(records: Vec<Record>) -> (Account, Vec<Article>) {
    let mut account = None;
    let mut articles = Vec::new();
    for r in records {
        match r {
            Record::AccountIfMissing(a) => account = Some(a),
            Record::Article(a) => articles.push(a),
            other => panic!("unexpected record {other:?}"),
        }
    }
    (account.expect("implied account"), articles)
}

/// The newest item; among items sent together, the first listed (feeds list newest first).
fn newest(articles: &[Article]) -> &Article {
    let max = articles.iter().map(|a| a.published_at).max().expect("items");
    articles.iter().find(|a| a.published_at == max).unwrap()
}

#[test]
fn shanghai_fabu() {
    let (acc, arts) = read("MjM5NTA5NzYyMA==");
    assert_eq!((acc.id.as_str(), acc.name.as_str()), ("MjM5NTA5NzYyMA==", "上海发布"));
    assert_eq!(acc.biz.as_deref(), Some("MjM5NTA5NzYyMA=="));
    assert!(acc.intro.as_deref().unwrap().starts_with("生活在这座梦幻的城市"));
    assert_eq!(arts.len(), 20);
    let n = newest(&arts);
    assert_eq!(n.title, "人均健康预期寿命≥71岁、成人吸烟率＜19%…沪推进爱国卫生运动，提出这些目标！");
    assert_eq!(n.published_at.to_rfc3339(), "2021-06-17T14:51:23+08:00");
    assert!(n.url.starts_with("https://mp.weixin.qq.com/s/"));
    assert!(arts.iter().all(|a| a.account == "MjM5NTA5NzYyMA=="));
}

#[test]
fn ministry_of_emergency_management() {
    let (acc, arts) = read("MjM5OTI3MjI1MQ==");
    assert_eq!(acc.name, "中华人民共和国应急管理部");
    assert_eq!(arts.len(), 20);
    let n = newest(&arts);
    assert_eq!(
        n.title,
        "王勇在出席全国“安全宣传咨询日”主场活动时强调 落实安全责任 推动安全发展 切实保障人民群众生命和财产安全"
    );
    assert_eq!(n.published_at.to_rfc3339(), "2021-06-17T07:55:44+08:00");
}

#[test]
fn a_long_stale_account() {
    let (acc, arts) = read("MzA3NjgyMDk2Ng==");
    assert_eq!(acc.name, "大同公安便民服务在线");
    assert_eq!(arts.len(), 1);
    assert_eq!(arts[0].title, "[图文消息]【重要直播预告】我们的使命！我们的战斗……");
    assert_eq!(arts[0].published_at.to_rfc3339(), "2017-09-29T18:26:35+08:00");
}

#[test]
fn every_feed_reads_and_no_body_merely_repeats_the_title() {
    let mut files = 0;
    let mut items = 0;
    for entry in std::fs::read_dir(DIR).unwrap() {
        let path = entry.unwrap().path();
        let (acc, arts) = split(feed::read(&path, &std::fs::read(&path).unwrap()).unwrap());
        assert!(!acc.name.contains("wechat-feeds"), "{}", acc.name);
        // In this collector every content:encoded repeats the title.
        for a in &arts {
            assert_eq!(a.content, None, "{}: {}", path.display(), a.title);
            // Feeds carry no comments: never read as "nobody commented".
            assert_eq!(a.comments_collected, Some(false));
        }
        files += 1;
        items += arts.len();
    }
    assert_eq!((files, items), (122, 2116));
}

#[test]
fn truncated_feed_is_rejected() {
    let path = format!("{DIR}MjM5NTA5NzYyMA==.xml");
    let bytes = std::fs::read(&path).unwrap();
    let e = feed::read(Path::new("feeds/MjM5NTA5NzYyMA==.xml"), &bytes[..bytes.len() / 2]).unwrap_err();
    assert!(e.to_string().starts_with("feeds/MjM5NTA5NzYyMA==.xml:1: "), "{e}");
    assert!(e.reason.contains("未闭合") || e.reason.contains("XML"), "{e}");
}

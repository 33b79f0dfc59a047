//! `wechat_page::read` on every real saved page (../shared/data/wechat/article-pages/, MIT
//! and Apache-2.0; read in place because most are 1–4 MB).

use std::path::Path;

use govmedia_ingest::{AccountAbout, Record, wechat_page};
use govmedia_model::{Account, Article, Media, Reads};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/wechat/article-pages/");

fn read(name: &str) -> Result<Vec<Record>, govmedia_ingest::RecordError> {
    let path = format!("{DIR}{name}");
    wechat_page::read(Path::new(&path), &std::fs::read(&path).expect("sample page"))
}

/// The account and the article of an article page.
fn article(name: &str) -> (Account, Article) {
    let mut records = read(name).unwrap_or_else(|e| panic!("{e}")).into_iter();
    let (Some(Record::AccountIfMissing(acc)), Some(Record::Article(a)), None) =
        (records.next(), records.next(), records.next())
    else {
        panic!("{name}: expected an implied account and one article")
    };
    assert_eq!(acc.biz.as_deref(), Some(a.account.as_str()));
    assert_eq!(acc.id, a.account);
    (acc, a)
}

fn about(name: &str) -> AccountAbout {
    match read(name).unwrap_or_else(|e| panic!("{e}")).as_slice() {
        [Record::AccountAbout(a)] => a.clone(),
        other => panic!("{name}: {other:?}"),
    }
}

/// (file, account __biz, nickname, title, publish time)
const ARTICLES: [(&str, &str, &str, &str, &str); 10] = [
    (
        "article-01.html",
        "MzIyNjMxOTY0NA==",
        "轩辕的编程宇宙",
        "AI编程害死我了，给我的抓包软件埋了一个大雷！",
        "2025-11-10T12:00:10+08:00",
    ),
    (
        "article-share-01.html",
        "MzI2NDk5NzA0Mw==",
        "36氪",
        "比小学生说烂梗更可怕的，是大人也说",
        "2025-11-11T08:06:46+08:00",
    ),
    (
        "article-with-author-01.html",
        "MjM5OTAyNDkwMA==",
        "左岸读书",
        "最后的止痛药",
        "2026-01-02T17:39:33+08:00",
    ),
    (
        "article-with-counters-c01.html",
        "MzIzNDcyMTI5MQ==",
        "金榜时代官微",
        "睡前数学知识点｜Day15：疯狂星期四，V你一个知识点：定积分核心公式~",
        "2025-12-04T18:00:51+08:00",
    ),
    (
        "image-share-01.html",
        "MzI2NDk5NzA0Mw==",
        "36氪",
        "新能源车均价创6年新低，价格战「寒气」侵蚀供应链",
        "2025-11-05T18:30:00+08:00",
    ),
    (
        "text-share-01.html",
        "MzIyNjMxOTY0NA==",
        "轩辕的编程宇宙",
        "AI编程带给程序员的危与机",
        "2025-10-07T14:13:11+08:00",
    ),
    (
        "article_detail_backgroud-image.html",
        "ODUzMjkwMzYx",
        "华商报",
        "4月6日周五【新闻速览一分钟】",
        "2018-04-06T06:56:20+08:00",
    ),
    (
        "article_detail_iframe.html",
        "MzA4ODUzNjAxOA==",
        "共产党员",
        "【视频】石榴花开",
        "2018-03-20T11:19:59+08:00",
    ),
    (
        "article_detail_mpvoice.html",
        "MjM5ODAyNTcwMA==",
        "长江日报",
        "语音 | 早安武汉〔2018.3.19 周一〕",
        "2018-03-19T05:30:00+08:00",
    ),
    (
        "article_detail_qqmusic.html",
        "MzIwOTc2ODc1NQ==",
        "闲云野鹤古刹",
        "关于音乐",
        "2018-04-07T22:21:55+08:00",
    ),
];

#[test]
fn every_article_page_title_account_time() {
    for (file, biz, nickname, title, time) in ARTICLES {
        let (acc, a) = article(file);
        assert_eq!(a.account, biz, "{file}");
        assert_eq!(acc.name, nickname, "{file}");
        assert_eq!(a.title, title, "{file}");
        assert_eq!(a.published_at.to_rfc3339(), time, "{file}");
        assert_eq!(a.deleted, None, "{file}: a normal article");
        assert!(a.content.as_deref().is_some_and(|c| c.chars().count() > 100), "{file}: body text");
    }
}

#[test]
fn counters_likes_are_old_like_count_and_wows_like_count() {
    let (_, a) = article("article-with-counters-c01.html");
    assert_eq!(a.reads, Some(Reads::exact(687)));
    assert_eq!((a.likes, a.wows, a.shares, a.favorites), (Some(9), Some(1), Some(28), Some(2)));
    assert_eq!(a.extra["comment_count"], 0);
    assert_eq!(a.author.as_deref(), Some("小榜"));
    assert_eq!(a.media, Some(Media { images: 17, videos: 0, audios: 1 }));

    let (_, b) = article("article-with-author-01.html");
    assert_eq!(b.reads, Some(Reads::exact(3797)));
    assert_eq!((b.likes, b.wows, b.shares, b.favorites), (Some(96), Some(42), Some(147), Some(16)));
    assert_eq!(b.extra["comment_count"], 141);
    assert_eq!(b.author.as_deref(), Some("我是左岸"));
    assert_eq!(b.original, Some(true));
    assert!(b.content.as_deref().unwrap().starts_with("文/珠珠\n左肩扛起的七年战役。"));

    // Saved without signing in: the counters are empty, not zero.
    let (_, c) = article("article-01.html");
    assert_eq!((c.reads, c.likes, c.wows, c.shares), (None, None, None, None));
}

#[test]
fn body_media_links_and_original() {
    let (_, a) = article("article-01.html");
    assert_eq!(a.url, "https://mp.weixin.qq.com/s/KDWh_qGpFN5Vu1TR9t30Mw");
    assert_eq!(a.author.as_deref(), Some("轩辕之风"));
    assert_eq!(a.original, Some(false));
    assert_eq!(a.media, Some(Media { images: 10, videos: 0, audios: 0 }));
    assert!(a.links.iter().all(|l| l.starts_with("https://mp.weixin.qq.com/s?__biz=MzIyNjMxOTY0NA==")));
    assert!(!a.links.is_empty());
    let body = a.content.as_deref().unwrap();
    assert!(body.starts_with("大家好，我是轩辕。"));
    assert!(!body.contains("function") && !body.contains("var "), "no script text in the body");

    let (_, v) = article("article_detail_iframe.html");
    assert_eq!(v.media, Some(Media { images: 6, videos: 1, audios: 0 }));
    assert_eq!(v.url, "https://mp.weixin.qq.com/s?__biz=MzA4ODUzNjAxOA==&mid=2671068104&idx=7");
    let (_, voice) = article("article_detail_mpvoice.html");
    assert_eq!(voice.media, Some(Media { images: 9, videos: 0, audios: 1 }));
    assert_eq!(voice.links[0], "http://bbs.cjn.cn/thread-22736796-1-1.html");
    let (_, music) = article("article_detail_qqmusic.html");
    assert_eq!(music.media, Some(Media { images: 2, videos: 0, audios: 1 }));
    assert_eq!(music.original, Some(true), "shows the 原创 mark");
}

#[test]
fn image_and_text_shares() {
    let (_, img) = article("image-share-01.html");
    assert_eq!(img.extra["item_show_type"], 8);
    assert_eq!(img.media, Some(Media { images: 4, videos: 0, audios: 0 }));
    assert!(img.content.as_deref().unwrap().starts_with("今年，中国汽车行业价格战，寒气越发深入。"));
    let (_, text) = article("text-share-01.html");
    assert_eq!(text.extra["item_show_type"], 10);
    assert!(text.content.as_deref().unwrap().starts_with("这两年经常听到AI编程要取代程序员的论调"));
}

#[test]
fn notice_pages_without_facts_are_rejected_with_their_kind() {
    for (file, reason) in [
        ("deleted-by-author-01.html", "作者已删除"),
        ("deleted-by-author-06.html", "作者已删除"),
        ("violation-01.html", "内容违规"),
        ("violation-02.html", "内容违规"),
        ("unavailable-01.html", "该内容暂时无法查看"),
        ("article_detail_expired.html", "链接已过期"),
    ] {
        let e = read(file).unwrap_err();
        assert!(e.reason.starts_with(&format!("微信提示页（{reason}）")), "{file}: {e}");
        assert!(e.to_string().contains(file));
    }
}

#[test]
fn notice_page_that_keeps_its_facts_marks_the_article_deleted() {
    // A page saved after deletion by a tool that kept the article's script data.
    let html = r#"<html><head><title></title></head><body><script>var biz = "" || "MzA4ODUzNjAxOA==";
var ct = "1521515999";
var msg_title = "石榴花开";
var msg_link = "https://mp.weixin.qq.com/s/abc";
var nickname = "共产党员";
</script><div class="weui-msg"><h2 class="weui-msg__title">此内容因违规无法查看</h2></div></body></html>"#;
    let recs = wechat_page::read(Path::new("html/x.html"), html.as_bytes()).unwrap();
    let Record::Article(a) = &recs[1] else { panic!("{recs:?}") };
    assert_eq!((a.deleted, a.deleted_reason.as_deref()), (Some(true), Some("内容违规")));
    assert_eq!((a.title.as_str(), a.url.as_str()), ("石榴花开", "https://mp.weixin.qq.com/s/abc"));
}

#[test]
fn about_pages() {
    let a = about("about-biz-MzI0Nzg2MTExMA==.html");
    assert_eq!(a.biz, "MzI0Nzg2MTExMA==");
    assert_eq!(a.name.as_deref(), Some("深蓝保"));
    assert_eq!(a.former_names, ["立安保险经纪", "新注册公众号"]);
    assert_eq!(a.verification_type.as_deref(), Some("企业"));
    assert_eq!(a.verified_subject.as_deref(), Some("专心保险经纪有限公司"));
    assert_eq!(a.ip_location.as_deref(), Some("广东"));

    let union = about("about-biz-MjM5ODMxNzE2NQ==.html");
    assert_eq!(union.verification_type.as_deref(), Some("其他组织"));
    assert_eq!(union.verified_subject.as_deref(), Some("上海市总工会"));
    assert_eq!(union.ip_location.as_deref(), Some("上海"));
    assert_eq!(union.intro.as_deref(), Some("做一个有存在意义的账号~这里是上海市总工会，欢迎回家！"));
    assert!(union.former_names.is_empty());

    let school = about("about-biz-MzAxODU1ODg2Mg==.html");
    assert_eq!(school.verification_type.as_deref(), Some("事业单位"));
    assert_eq!(school.verified_subject.as_deref(), Some("北京市第五十四中学"));

    // A personal account: no verification link, the __biz comes from the file name.
    let personal = about("about-biz-MzIxMTgzNjE5MA==.html");
    assert_eq!(personal.biz, "MzIxMTgzNjE5MA==");
    assert_eq!(personal.verification_type.as_deref(), Some("个人"));
    assert_eq!(personal.verified_subject, None);
    assert_eq!(personal.name.as_deref(), Some("波元霸"));
    assert_eq!(personal.former_names, ["怡红分院", "浪主堂"]);
    assert_eq!(personal.ip_location.as_deref(), Some("浙江"));

    let migrated = about("about-biz-Mzg3OTYzMDkzMg==.html");
    assert_eq!(
        (migrated.name.as_deref(), migrated.former_names.as_slice()),
        (Some("神光的编程秘籍"), &["编译与前端".to_owned()][..])
    );
    assert_eq!(migrated.verified_subject.as_deref(), Some("新罗区神光网络技术服务部"));
}

#[test]
fn pages_that_are_not_articles() {
    let e =
        wechat_page::read(Path::new("html/x.html"), b"<html><body><p>hello</p></body></html>").unwrap_err();
    assert!(e.to_string().starts_with("html/x.html: 不是微信文章页面"), "{e}");
    let e = wechat_page::read(Path::new("html/gbk.html"), b"<html>\xc4\xe3\xba\xc3</html>").unwrap_err();
    assert!(e.reason.contains("UTF-8"), "{e}");
    let path = format!("{DIR}article-01.html");
    let bytes = std::fs::read(&path).unwrap();
    // Cut before the scripts that carry the facts: the page no longer says what it is.
    let e = wechat_page::read(Path::new("html/cut.html"), &bytes[..20_000]).unwrap_err();
    assert!(e.reason.starts_with("不是微信文章页面"), "{e}");
    let about_cut =
        wechat_page::read(Path::new("html/about.html"), b"<div class=\"about-page\"></div>").unwrap_err();
    assert_eq!(about_cut.field.as_deref(), Some("__biz"));
}

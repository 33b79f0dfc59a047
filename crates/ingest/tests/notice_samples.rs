//! `classify_notice` on every real saved page (../shared/data/wechat/article-pages/).

use govmedia_ingest::wechat_page::{Notice, classify_notice};

const PAGES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/wechat/article-pages/");

fn classify(name: &str) -> Option<Notice> {
    let bytes = std::fs::read(format!("{PAGES}{name}")).expect("sample page");
    classify_notice(&String::from_utf8_lossy(&bytes))
}

#[test]
fn every_sample_page_is_classified() {
    let expected = [
        ("deleted-by-author-01.html", Some(Notice::DeletedByAuthor)),
        ("deleted-by-author-06.html", Some(Notice::DeletedByAuthor)),
        ("violation-01.html", Some(Notice::Violation)),
        ("violation-02.html", Some(Notice::Violation)),
        ("unavailable-01.html", Some(Notice::Unavailable)),
        ("article_detail_expired.html", Some(Notice::Expired)),
        ("article-01.html", None),
        ("article-share-01.html", None),
        ("article-with-author-01.html", None),
        ("article-with-counters-c01.html", None),
        ("image-share-01.html", None),
        ("text-share-01.html", None),
        ("article_detail_backgroud-image.html", None),
        ("article_detail_iframe.html", None),
        ("article_detail_mpvoice.html", None),
        ("article_detail_qqmusic.html", None),
        ("about-biz-MjM5ODMxNzE2NQ==.html", None),
        ("about-biz-MjM5OTM0OTE1Mg==.html", None),
    ];
    for (name, want) in expected {
        assert_eq!(classify(name), want, "{name}");
    }
}

//! `wechat_page::read` and `classify_notice` on arbitrary bytes: they may reject, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(html) = std::str::from_utf8(data) {
        let _ = govmedia_ingest::wechat_page::classify_notice(html);
    }
    let _ = govmedia_ingest::wechat_page::read(
        std::path::Path::new("html/about-biz-MzI4NjAxNjY4Nw==.html"),
        data,
    );
});

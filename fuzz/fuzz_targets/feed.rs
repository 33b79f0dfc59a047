//! `feed::read` on arbitrary bytes: it may reject, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = govmedia_ingest::feed::read(std::path::Path::new("feeds/MjM5NTA5NzYyMA==.xml"), data);
});

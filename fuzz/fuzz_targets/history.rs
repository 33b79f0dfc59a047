//! `history::read` on arbitrary bytes: it may reject, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = govmedia_ingest::history::read(std::path::Path::new("history/共青团中央.json"), data);
});

//! Framework TOML (indicator systems as data).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = govmedia_score::Framework::parse(text, "fuzz.toml");
    }
});

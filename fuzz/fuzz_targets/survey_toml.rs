//! survey.toml.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = govmedia_ingest::import::parse_survey_toml(std::path::Path::new("survey.toml"), data);
});

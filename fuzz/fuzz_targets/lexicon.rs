//! Lexicon TOML (deny, allow and wording lists), parsed and built into a matcher.
#![no_main]

use govmedia_content::lexicon::LexiconSet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(files) = LexiconSet::parse([("fuzz.toml", text)])
        && let Ok(set) = LexiconSet::build(&files)
    {
        let _ = set.scan("国务院办公厅关于印发通知的说明");
    }
});

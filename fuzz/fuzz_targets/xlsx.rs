//! Canonical XLSX workbooks (accounts, articles): the first byte picks the kind. A workbook
//! is a zip: seed with real workbooks, libFuzzer mutates the bytes inside.
#![no_main]

use govmedia_ingest::canonical::Kind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&k, rest)) = data.split_first() else { return };
    let kind = if k % 2 == 0 { Kind::Accounts } else { Kind::Articles };
    let _ = govmedia_ingest::xlsx::read(std::path::Path::new("dataset/x.xlsx"), rest, kind, |_, _| true);
});

//! Canonical JSONL (accounts, articles, menus in both platform shapes, events, pages.jsonl):
//! the first byte picks the record kind. It may reject, never panic.
#![no_main]

use govmedia_ingest::canonical::{Kind, read_jsonl};
use libfuzzer_sys::fuzz_target;

const KINDS: [Kind; 5] = [Kind::Accounts, Kind::Articles, Kind::Menus, Kind::Events, Kind::Pages];

fuzz_target!(|data: &[u8]| {
    let Some((&k, rest)) = data.split_first() else { return };
    let kind = KINDS[usize::from(k) % KINDS.len()];
    let _ = read_jsonl(std::path::Path::new("dataset/x.jsonl"), rest, kind, |_, _, _| true);
});

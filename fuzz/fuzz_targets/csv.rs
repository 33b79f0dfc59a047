//! Canonical CSV rows (accounts, articles): the first byte picks the kind.
#![no_main]

use govmedia_ingest::canonical::{Kind, read_csv};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&k, rest)) = data.split_first() else { return };
    let kind = if k % 2 == 0 { Kind::Accounts } else { Kind::Articles };
    let _ = read_csv(std::path::Path::new("dataset/x.csv"), rest, kind, |_, _| true);
});

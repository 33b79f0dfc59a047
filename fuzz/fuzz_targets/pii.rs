//! Detection and masking of personal data on any text: never panics, masks consistently, and
//! maps every range of the original into the masked text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let masked = govmedia_pii::Masked::new(text);
    assert!(masked.counts().total() as usize >= govmedia_pii::scan(text).len());
    let out = masked.as_str();
    let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
    for w in bounds.windows(2).step_by(7) {
        let (s, e) = masked.map_range(w[0], w[1]);
        assert!(s <= e && e <= out.len() && out.is_char_boundary(s) && out.is_char_boundary(e));
    }
    let _ = govmedia_pii::clip(text, 20);
});

//! Repair of text whose UTF-8 bytes were once read as Latin-1.
//!
//! Open API bodies are UTF-8, but a proxy, a logging tool or a client that decodes by the
//! HTTP default charset (ISO-8859-1 for `text/*` without a charset) turns each byte of a
//! Chinese character into a character of its own (一, bytes E4 B8 80, becomes U+00E4 U+00B8
//! U+0080) and may pass that on, re-encoded as UTF-8. Such a string has only characters up
//! to U+00FF; mapping each back to its byte gives the original UTF-8. A string is repaired
//! only when that round trip is valid UTF-8 *and* yields CJK text, so correct text (Chinese,
//! ASCII, or genuine Latin-1 like "café") is left alone. Text mangled through Windows-1252
//! (where 0x80–0x9F become "€", "‚" …) is not recognised.

use serde_json::Value;

/// The repaired text, or `None` when `s` does not look mangled.
pub fn repair(s: &str) -> Option<String> {
    if s.is_ascii() || s.chars().any(|c| u32::from(c) > 0xFF) {
        return None;
    }
    let bytes: Vec<u8> = s.chars().map(|c| u32::from(c) as u8).collect();
    let fixed = String::from_utf8(bytes).ok()?;
    fixed.chars().any(is_cjk).then_some(fixed)
}

/// Repairs every string value in `v`; returns how many were repaired.
pub fn repair_json(v: &mut Value) -> usize {
    match v {
        Value::String(s) => match repair(s) {
            Some(fixed) => {
                *s = fixed;
                1
            }
            None => 0,
        },
        Value::Array(list) => list.iter_mut().map(repair_json).sum(),
        Value::Object(map) => map.values_mut().map(repair_json).sum(),
        _ => 0,
    }
}

/// Han ideographs, CJK punctuation and full-width forms.
fn is_cjk(c: char) -> bool {
    matches!(u32::from(c), 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a Latin-1 reading of `s`'s UTF-8 bytes shows.
    fn mangle(s: &str) -> String {
        s.bytes().map(char::from).collect()
    }

    #[test]
    fn mangled_chinese_is_repaired() {
        for original in ["一篇测试图文", "子不语", "这是一篇来自python程序的测试图文", "（通知）"]
        {
            assert_eq!(repair(&mangle(original)).as_deref(), Some(original));
        }
    }

    #[test]
    fn correct_text_is_left_alone() {
        for s in ["一篇测试图文", "this is a test news!", "café crème", "", "http://mp.weixin.qq.com/s?a=1"]
        {
            assert_eq!(repair(s), None, "{s}");
        }
        // Mangled text that decodes to no CJK cannot be told from real Latin-1: kept as is.
        assert_eq!(repair(&mangle("été")), None);
    }

    #[test]
    fn every_string_of_a_body_is_repaired() {
        let mut v = serde_json::json!({
            "item": [{"title": mangle("一篇测试图文"), "author": "子不语", "n": 1, "url": "http://x/?a=b"}],
            "note": mangle("摘要")
        });
        assert_eq!(repair_json(&mut v), 2);
        assert_eq!(v["item"][0]["title"], "一篇测试图文");
        assert_eq!(v["item"][0]["author"], "子不语");
        assert_eq!(v["note"], "摘要");
    }
}

//! Lenient readers of response fields. The platform is not consistent about numbers (some
//! arrive as strings) and leaves fields out; reading field by field also keeps a malformed
//! value's text (a comment, say) out of error messages, where serde would quote it.

use chrono::NaiveDate;
use govmedia_model::Timestamp;
use serde_json::Value;

/// A non-empty string.
pub(crate) fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).filter(|s| !s.trim().is_empty()).map(str::to_owned)
}

/// An integer given as a number or a numeric string.
pub(crate) fn int(v: &Value, key: &str) -> Option<i64> {
    match v.get(key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

/// A non-negative count.
pub(crate) fn count(v: &Value, key: &str) -> Option<u64> {
    int(v, key).and_then(|n| u64::try_from(n).ok())
}

/// A `YYYY-MM-DD` date.
pub(crate) fn date(v: &Value, key: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(v.get(key)?.as_str()?.trim(), "%Y-%m-%d").ok()
}

/// A Unix time in seconds, shown in Asia/Shanghai.
pub(crate) fn unix_time(v: &Value, key: &str) -> Option<Timestamp> {
    govmedia_model::time::from_unix(int(v, key).filter(|&t| t > 0)?)
}

/// The array under `key`, or nothing.
pub(crate) fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_strings_and_missing_fields() {
        let v = serde_json::json!({"a": "12", "b": 7, "c": -1, "d": "2025-11-01", "t": 1699154821, "s": " "});
        assert_eq!(
            (int(&v, "a"), count(&v, "b"), count(&v, "c"), count(&v, "x")),
            (Some(12), Some(7), None, None)
        );
        assert_eq!(date(&v, "d"), NaiveDate::from_ymd_opt(2025, 11, 1));
        assert_eq!(unix_time(&v, "t").unwrap().to_rfc3339(), "2023-11-05T11:27:01+08:00");
        assert_eq!(text(&v, "s"), None);
        assert!(list(&v, "a").is_empty());
    }
}

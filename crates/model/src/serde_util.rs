//! Checks serde does not make on its own: duplicate keys kept as extra fields, and counts that
//! the store cannot hold.

use serde::Deserialize;
use serde::de::{Deserializer, Error, MapAccess, Visitor};
use serde_json::{Map, Value};

use crate::FieldError;

/// The largest count: the store keeps counts as signed 64-bit integers.
pub const MAX_COUNT: u64 = i64::MAX as u64;

/// Refuses a count above [`MAX_COUNT`].
pub fn check_count(field: &str, v: u64) -> Result<u64, FieldError> {
    if v <= MAX_COUNT {
        Ok(v)
    } else {
        Err(FieldError::new(field, format!("数值 {v} 超出范围（最大 {MAX_COUNT}）")))
    }
}

/// An optional count, at most [`MAX_COUNT`].
pub fn count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Option::<u64>::deserialize(d)?
        .map(|v| check_count("", v).map_err(|e| D::Error::custom(e.reason)))
        .transpose()
}

/// The fields a record does not name, refusing a key given twice (serde_json keeps the last
/// one silently; a named field given twice is already an error).
pub fn unique_keys<'de, D: Deserializer<'de>>(d: D) -> Result<Map<String, Value>, D::Error> {
    struct Unique;
    impl<'de> Visitor<'de> for Unique {
        type Value = Map<String, Value>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
            let mut out = Map::new();
            while let Some((k, v)) = m.next_entry::<String, Value>()? {
                if out.contains_key(&k) {
                    return Err(A::Error::custom(format!("字段“{k}”重复出现")));
                }
                out.insert(k, v);
            }
            Ok(out)
        }
    }
    d.deserialize_map(Unique)
}

#[cfg(test)]
mod tests {
    use crate::{Article, Comment};

    #[test]
    fn duplicate_extra_keys_are_refused() {
        let line = r#"{"account":"a","url":"u","title":"t","published_at":"2025-03-01","x":1,"x":2}"#;
        let e = serde_json::from_str::<Article>(line).unwrap_err().to_string();
        assert!(e.contains("字段“x”重复出现"), "{e}");
        let ok = r#"{"account":"a","url":"u","title":"t","published_at":"2025-03-01","x":1,"y":2}"#;
        assert_eq!(serde_json::from_str::<Article>(ok).unwrap().extra.len(), 2);
    }

    #[test]
    fn counts_beyond_the_store_are_refused() {
        let big = r#"{"account":"a","url":"u","title":"t","published_at":"2025-03-01","reads":9223372036854775808}"#;
        assert!(serde_json::from_str::<Article>(big).unwrap_err().to_string().contains("超出范围"));
        let max = r#"{"account":"a","url":"u","title":"t","published_at":"2025-03-01","reads":9223372036854775807}"#;
        assert!(serde_json::from_str::<Article>(max).is_ok());
        let c = r#"{"text":"t","created_at":"2025-03-01","likes":18446744073709551615}"#;
        assert!(serde_json::from_str::<Comment>(c).is_err());
        assert!(crate::Reads::parse("9223372036854775808").is_err());
    }
}

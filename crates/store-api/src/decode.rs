//! Decoding the JSON documents both backends keep (accounts, articles, events).

use serde::de::DeserializeOwned;

use crate::{Result, StoreError};

/// Decodes stored documents `(key, data)` on all cores, keeping their order. A document that
/// does not decode is an error naming the store, `what` it is and its key: the first such
/// document in order, whatever the threads met first.
pub fn decode_rows<T, K, D>(location: &str, what: &str, rows: &[(K, D)]) -> Result<Vec<T>>
where
    T: DeserializeOwned + Send,
    K: AsRef<str> + Sync,
    D: AsRef<str> + Sync,
{
    use rayon::prelude::*;
    rows.par_iter()
        .map(|(k, d)| {
            serde_json::from_str(d.as_ref())
                .map_err(|e| StoreError::corrupt(location, format!("{what} {}", k.as_ref()), e))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::decode_rows;

    #[test]
    fn keeps_order_and_names_the_first_bad_document() {
        let rows: Vec<(String, String)> = (0..1000).map(|i| (format!("k{i}"), i.to_string())).collect();
        let v: Vec<u32> = decode_rows("db", "文章", &rows).unwrap();
        assert_eq!(v, (0..1000).collect::<Vec<_>>());
        let rows = [("a", "1"), ("b", "x"), ("c", "{")];
        let e = decode_rows::<u32, _, _>("db", "文章", &rows).unwrap_err().to_string();
        assert!(e.contains("文章 b"), "{e}");
    }
}

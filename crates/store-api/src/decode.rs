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

/// Rows per chunk handed from the reader to the decoder.
const CHUNK: usize = 256;

/// Decodes documents while they are being read: `read` hands each row `(key, data)` to the
/// function it is given, on this thread, while another thread decodes the rows read so far.
/// Reading a store is one core's work; decoding is then off its path. Errors as
/// [`decode_rows`]; an error of `read` wins.
pub fn decode_while_reading<T: DeserializeOwned + Send>(
    location: &str,
    what: &str,
    read: impl FnOnce(&mut dyn FnMut(String, String)) -> Result<()>,
) -> Result<Vec<T>> {
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(String, String)>>(16);
        let decoder = s.spawn(move || {
            let mut out: Vec<T> = Vec::new();
            while let Ok(chunk) = rx.recv() {
                match decode_rows(location, what, &chunk) {
                    Ok(v) => out.extend(v),
                    Err(e) => {
                        // The rest is drained, not decoded: the reader must not block.
                        for _ in rx.iter() {}
                        return Err(e);
                    }
                }
            }
            Ok(out)
        });
        let mut chunk = Vec::with_capacity(CHUNK);
        let read = read(&mut |k, d| {
            chunk.push((k, d));
            if chunk.len() == CHUNK {
                let _ = tx.send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)));
            }
        });
        if !chunk.is_empty() {
            let _ = tx.send(chunk);
        }
        drop(tx);
        let decoded = decoder.join().expect("the decoding thread");
        read?;
        decoded
    })
}

#[cfg(test)]
mod tests {
    use super::{decode_rows, decode_while_reading};
    use crate::StoreError;

    #[test]
    fn decodes_while_reading_in_order() {
        let read = |n: u32, bad: Option<u32>| {
            decode_while_reading::<u32>("db", "文章", |push| {
                for i in 0..n {
                    push(format!("k{i}"), if Some(i) == bad { "x".into() } else { i.to_string() });
                }
                Ok(())
            })
        };
        assert_eq!(read(1000, None).unwrap(), (0..1000).collect::<Vec<_>>());
        assert!(read(0, None).unwrap().is_empty());
        let e = read(1000, Some(700)).unwrap_err().to_string();
        assert!(e.contains("文章 k700"), "{e}");
        let failed = decode_while_reading::<u32>("db", "文章", |push| {
            push("a".into(), "1".into());
            Err(StoreError::Backend { location: "db".into(), message: "读取中断".into(), source: None })
        });
        assert!(failed.unwrap_err().to_string().contains("读取中断"));
    }

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

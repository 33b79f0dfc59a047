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
        .map(|(k, d)| decode_one(location, what, k.as_ref(), d.as_ref()))
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

/// Rows per chunk handed from the reader to the decoder.
const CHUNK: usize = 256;

/// Decodes documents while they are being read: `read` hands each row `(key, data)` to the
/// function it is given, on this thread, while another thread decodes the rows read so far.
/// Reading a store is one core's work; decoding is then off its path. A read of fewer rows than
/// a chunk (one account's articles) is decoded on this thread once read: a thread per small
/// read, or a wait for a pool busy with other work, would cost the caller more than it saves.
/// Errors as [`decode_rows`]; an error of `read` wins.
pub fn decode_while_reading<T: DeserializeOwned + Send>(
    location: &str,
    what: &str,
    read: impl FnOnce(&mut dyn FnMut(String, String)) -> Result<()>,
) -> Result<Vec<T>> {
    std::thread::scope(|s| {
        let mut decoder = None;
        let mut chunk = Vec::with_capacity(CHUNK);
        let read = read(&mut |k, d| {
            chunk.push((k, d));
            if chunk.len() == CHUNK {
                let (tx, _) = decoder.get_or_insert_with(|| {
                    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(String, String)>>(16);
                    (tx, s.spawn(move || decode_received(location, what, rx)))
                });
                let _ = tx.send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)));
            }
        });
        let Some((tx, decoding)) = decoder else {
            read?;
            return chunk.iter().map(|(k, d)| decode_one(location, what, k, d)).collect();
        };
        if !chunk.is_empty() {
            let _ = tx.send(chunk);
        }
        drop(tx);
        let decoded = decoding.join().expect("the decoding thread");
        read?;
        decoded
    })
}

/// Decodes the chunks received on `rx`, in order, until the sender is dropped.
fn decode_received<T: DeserializeOwned + Send>(
    location: &str,
    what: &str,
    rx: std::sync::mpsc::Receiver<Vec<(String, String)>>,
) -> Result<Vec<T>> {
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
}

/// One document `data` of key `key`.
fn decode_one<T: DeserializeOwned>(location: &str, what: &str, key: &str, data: &str) -> Result<T> {
    serde_json::from_str(data).map_err(|e| StoreError::corrupt(location, format!("{what} {key}"), e))
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
        // Fewer rows than a chunk are decoded on the reading thread, with the same errors.
        assert_eq!(read(10, None).unwrap(), (0..10).collect::<Vec<_>>());
        let e = read(10, Some(3)).unwrap_err().to_string();
        assert!(e.contains("文章 k3"), "{e}");
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

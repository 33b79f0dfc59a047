//! A fake HTTP server on loopback and a store with two accounts, shared by the tests.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use govmedia_model::{Account, Level};
use govmedia_store_api::Store;
use govmedia_store_sqlite::SqliteStore;

/// A request as the fake collector saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub if_none_match: Option<String>,
    pub at: Instant,
}

/// A fake collector: `answer(path, if_none_match)` gives (status, etag, body); every request
/// is recorded. One request per connection (`Connection: close`).
pub fn serve(
    answer: impl Fn(&str, Option<&str>) -> (u16, Option<String>, String) + Send + 'static,
) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
            let mut if_none_match = None;
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap() == 0 || h == "\r\n" {
                    break;
                }
                if let Some((k, v)) = h.split_once(':')
                    && k.eq_ignore_ascii_case("if-none-match")
                {
                    if_none_match = Some(v.trim().to_owned());
                }
            }
            log.lock().unwrap().push(Seen {
                path: path.clone(),
                if_none_match: if_none_match.clone(),
                at: Instant::now(),
            });
            let (status, etag, body) = answer(&path, if_none_match.as_deref());
            let etag = etag.map(|e| format!("ETag: {e}\r\n")).unwrap_or_default();
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\n{etag}Connection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (base, seen)
}

pub fn store(dir: &std::path::Path) -> SqliteStore {
    let mut s = SqliteStore::open(&dir.join("govmedia.db")).unwrap();
    let mut w = s.writer().unwrap();
    for id in ["gh_a", "gh_b"] {
        w.upsert_account(&Account::new(id, format!("{id}发布"), "某市人民政府办公室", Level::Prefecture))
            .unwrap();
    }
    w.commit().unwrap();
    s
}

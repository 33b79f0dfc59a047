//! The judgement cache: a model's answer to a prompt version about a content is asked once.
//!
//! Keys are (prompt version, model, hash of everything sent). Values are opaque strings (the
//! judge stores a JSON envelope). The lead may later back [`JudgementCache`] with the main store;
//! [`FileCache`] is a self-contained JSON-lines file for now.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What a cached judgement is keyed by.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CacheKey {
    /// `category.v1`
    pub prompt_version: String,
    pub model: String,
    /// SHA-256 (hex) of the messages sent.
    pub content_hash: String,
}

impl CacheKey {
    pub fn new(prompt_version: &str, model: &str, content: &str) -> Self {
        CacheKey {
            prompt_version: prompt_version.to_owned(),
            model: model.to_owned(),
            content_hash: sha256_hex(content),
        }
    }
}

fn sha256_hex(s: &str) -> String {
    let digest = Sha256::digest(s.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Storage of judgements between runs.
pub trait JudgementCache: Send + Sync {
    fn get(&self, key: &CacheKey) -> Option<String>;
    fn put(&self, key: &CacheKey, value: &str);
}

/// A cache that lives as long as the process.
#[derive(Debug, Default)]
pub struct MemoryCache {
    map: Mutex<HashMap<CacheKey, String>>,
}

impl MemoryCache {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.map.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl JudgementCache for MemoryCache {
    fn get(&self, key: &CacheKey) -> Option<String> {
        self.map.lock().unwrap_or_else(|e| e.into_inner()).get(key).cloned()
    }

    fn put(&self, key: &CacheKey, value: &str) {
        self.map.lock().unwrap_or_else(|e| e.into_inner()).insert(key.clone(), value.to_owned());
    }
}

#[derive(Serialize, Deserialize)]
struct Line {
    #[serde(flatten)]
    key: CacheKey,
    value: String,
}

/// A JSON-lines file: loaded whole at open, appended to on every put. A line cut short by a
/// crash is skipped at the next open; the last line for a key wins.
#[derive(Debug)]
pub struct FileCache {
    path: PathBuf,
    map: Mutex<HashMap<CacheKey, String>>,
    file: Mutex<File>,
}

impl FileCache {
    pub fn open(path: &Path) -> std::io::Result<Self> {
        let mut map = HashMap::new();
        let mut ends_mid_line = false;
        if path.exists() {
            let bytes = std::fs::read(path)?;
            for line in bytes.split(|b| *b == b'\n') {
                if let Ok(l) = serde_json::from_slice::<Line>(line) {
                    map.insert(l.key, l.value);
                }
            }
            ends_mid_line = bytes.last().is_some_and(|b| *b != b'\n');
        }
        let mut file = OpenOptions::new().create(true).append(true).open(path)?;
        // A previous run died mid-line: start ours on a fresh line.
        if ends_mid_line {
            file.write_all(b"\n")?;
        }
        Ok(FileCache { path: path.to_owned(), map: Mutex::new(map), file: Mutex::new(file) })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn len(&self) -> usize {
        self.map.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl JudgementCache for FileCache {
    fn get(&self, key: &CacheKey) -> Option<String> {
        self.map.lock().unwrap_or_else(|e| e.into_inner()).get(key).cloned()
    }

    fn put(&self, key: &CacheKey, value: &str) {
        let line = Line { key: key.clone(), value: value.to_owned() };
        let mut text = serde_json::to_string(&line).expect("cache line serialises");
        text.push('\n');
        let written = self.file.lock().unwrap_or_else(|e| e.into_inner()).write_all(text.as_bytes());
        if let Err(e) = written {
            tracing::warn!("AI 判断缓存写入失败（{}）：{e}", self.path.display());
        }
        self.map.lock().unwrap_or_else(|e| e.into_inner()).insert(key.clone(), value.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_differ_by_every_part() {
        let a = CacheKey::new("category.v1", "deepseek-chat", "正文");
        assert_eq!(a, CacheKey::new("category.v1", "deepseek-chat", "正文"));
        assert_ne!(a, CacheKey::new("category.v2", "deepseek-chat", "正文"));
        assert_ne!(a, CacheKey::new("category.v1", "qwen-plus", "正文"));
        assert_ne!(a, CacheKey::new("category.v1", "deepseek-chat", "正文。"));
        assert_eq!(a.content_hash.len(), 64);
    }

    #[test]
    fn file_cache_survives_reopen_and_torn_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ai-cache.jsonl");
        let k1 = CacheKey::new("quality.v1", "qwen-plus", "a");
        let k2 = CacheKey::new("quality.v1", "qwen-plus", "b");
        {
            let c = FileCache::open(&path).unwrap();
            assert!(c.get(&k1).is_none());
            c.put(&k1, "{\"x\":1}");
            c.put(&k2, "old");
            c.put(&k2, "new");
        }
        // Simulate a crash mid-write.
        std::fs::OpenOptions::new().append(true).open(&path).unwrap().write_all(b"{\"prompt_ver").unwrap();
        let c = FileCache::open(&path).unwrap();
        assert_eq!(c.get(&k1).as_deref(), Some("{\"x\":1}"));
        assert_eq!(c.get(&k2).as_deref(), Some("new"));
        let k3 = CacheKey::new("quality.v1", "qwen-plus", "c");
        c.put(&k3, "v3");
        drop(c);
        let c = FileCache::open(&path).unwrap();
        assert_eq!(c.len(), 3);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().filter(|l| l.is_empty()).count(), 0, "a clean reopen adds no blank line");
        assert_eq!(c.get(&k3).as_deref(), Some("v3"));
    }
}

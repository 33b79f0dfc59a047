//! Offline snapshots of web pages (pages.jsonl): checks read these instead of the network.

use serde::{Deserialize, Serialize};

use crate::Timestamp;

/// Why a fetch produced no HTTP response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FetchError {
    Timeout,
    Dns,
    Tls,
    Connect,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageSnapshot {
    pub url: String,
    #[serde(with = "crate::time::flexible")]
    pub fetched_at: Timestamp,
    /// HTTP status; absent when the fetch failed before a response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Path of the body file, relative to the dataset (`pages/FILE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<FetchError>,
    #[serde(flatten, deserialize_with = "crate::serde_util::unique_keys")]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

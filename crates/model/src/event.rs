//! Major events (重大事件), against which timeliness of response is judged.

use serde::{Deserialize, Serialize};

use crate::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    NaturalDisaster,
    PublicHealth,
    MajorDecision,
    Accident,
    Other,
}

/// Who is expected to respond: everyone, or accounts in some regions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum EventScope {
    /// Only the string "national" is valid here.
    National(String),
    Regions(Vec<String>),
}

impl EventScope {
    pub fn is_national(&self) -> bool {
        matches!(self, EventScope::National(s) if s == "national")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    pub title: String,
    pub kind: EventKind,
    #[serde(with = "crate::time::flexible")]
    pub occurred_at: Timestamp,
    pub scope: EventScope,
    #[serde(default)]
    pub keywords: Vec<String>,
}

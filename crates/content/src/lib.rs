//! Chinese content analysis: originality, safety lexicons, classification.
//!
//! Everything works offline: the lexicons under `lexicons/` are compiled into the binary and
//! user lexicons can be added from a directory.

pub mod ai_label;
pub mod body;
pub mod classification;
pub mod classify;
pub mod docnum;
pub mod lexicon;
pub mod minhash;
pub mod originality;
pub mod safety;
pub mod segment;
pub mod sentiment;
pub mod text;

pub use classify::{ClassifyError, classify_csv};
use govmedia_checks::Check;

/// The content checks, ready for the engine: safety, originality and classification.
pub fn content_checks() -> Vec<Box<dyn Check>> {
    vec![
        Box::new(safety::SafetyCheck::new()),
        Box::new(originality::OriginalityCheck::new()),
        Box::new(classification::ClassificationCheck::new()),
    ]
}

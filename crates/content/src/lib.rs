//! Chinese content analysis: originality, safety lexicons, classification.

pub mod lexicon;
pub mod segment;
pub mod text;

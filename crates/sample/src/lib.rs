//! Deterministic generator of sample surveys with realistic distributions

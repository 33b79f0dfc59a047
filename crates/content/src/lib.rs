//! Chinese content analysis: originality, safety lexicons, classification

//! Propagation indices (WCI, BCI and their published versions) as pure functions

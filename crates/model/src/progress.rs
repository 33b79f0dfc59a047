//! Progress of long work. Libraries report through this trait; the binary shows bars
//! (indicatif) and tests ignore it.

/// A sink for progress reports. Implementations must be cheap: `advance` is called per item.
pub trait Progress: Sync {
    /// Starts a stage of `total` units (0 when unknown).
    fn start(&self, _label: &str, _total: u64) {}
    fn advance(&self, _n: u64) {}
    fn finish(&self) {}
}

/// A progress sink that shows nothing.
pub struct NoProgress;
impl Progress for NoProgress {}

//! Progress of long work. Libraries report through this trait; the binary shows bars
//! (indicatif) and tests ignore it.

/// A sink for progress reports, and the way a front end stops long work. Implementations must
/// be cheap: `advance` and `cancelled` are called per item.
pub trait Progress: Sync {
    /// Starts a stage of `total` units (0 when unknown).
    fn start(&self, _label: &str, _total: u64) {}
    fn advance(&self, _n: u64) {}
    fn finish(&self) {}
    /// Whether the work should stop; long stages ask between items and end with a
    /// "cancelled" error, leaving what is stored as it was.
    fn cancelled(&self) -> bool {
        false
    }
}

/// A progress sink that shows nothing.
pub struct NoProgress;
impl Progress for NoProgress {}

//! Running a check's async work (network fetches, a browser, model calls) from the engine's
//! synchronous `prepare`.

use std::future::Future;

/// Runs `work` to completion on a Tokio runtime of its own, in a thread of its own, so that it
/// works whether or not the caller is itself inside a Tokio runtime (nested runtimes panic).
pub fn block_on<F>(work: F) -> std::io::Result<F::Output>
where
    F: Future + Send,
    F::Output: Send,
{
    std::thread::scope(|s| {
        s.spawn(|| {
            let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
            Ok(rt.block_on(work))
        })
        .join()
        .unwrap_or_else(|_| Err(std::io::Error::other("异步任务线程异常退出")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_inside_and_outside_a_runtime() {
        assert_eq!(block_on(async { 1 + 1 }).unwrap(), 2);
        let outer = tokio::runtime::Builder::new_current_thread().build().unwrap();
        assert_eq!(outer.block_on(async { block_on(async { 3 }).unwrap() }), 3);
    }
}

//! Running the async client from synchronous callers (checks, the CLI).

use std::future::Future;

use crate::AiError;

/// Runs `work` on a runtime of its own, on a thread of its own, so that a caller already inside
/// a Tokio runtime does not trip over nested runtimes.
pub fn block_on<F>(work: F) -> Result<F::Output, AiError>
where
    F: Future + Send,
    F::Output: Send,
{
    std::thread::scope(|s| {
        s.spawn(|| {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .map_err(|e| AiError::Runtime(format!("无法启动异步运行时：{e}")))?;
            Ok(rt.block_on(work))
        })
        .join()
        .unwrap_or_else(|_| Err(AiError::Runtime("AI 评估线程异常退出".to_owned())))
    })
}

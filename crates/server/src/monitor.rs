//! `govmedia serve --monitor monitor.toml`: the monitor's rounds (collection, re-evaluation,
//! alerts) in the server's process, on a thread of their own with a connection of their own,
//! so a supervising office runs one service. A failed round is logged and tried again a
//! minute later: the dashboard stays up.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use govmedia_pipeline::monitor::{MonitorConfig, RoundReport, run_rounds};
use govmedia_pipeline::{NoProgress, StoreSpec};

/// Wait after a failed round.
const RETRY: Duration = Duration::from_secs(60);

/// Starts the rounds; they stop when `stop` is set.
pub fn start(db: StoreSpec, config: MonitorConfig, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            let outcome = govmedia_pipeline::open_store(&db).and_then(|mut store| {
                run_rounds(&mut *store, &db, &config, &NoProgress, chrono::Utc::now, &stop, log)
            });
            if let Err(e) = outcome {
                tracing::error!("监测轮次失败（{} 秒后重试）：{e}", RETRY.as_secs());
                std::thread::sleep(RETRY);
            }
        }
    })
}

fn log(at: chrono::DateTime<chrono::Utc>, r: &RoundReport) {
    if let Some(why) = &r.skipped {
        tracing::info!("监测轮次 {at}：{why}");
        return;
    }
    let articles: u64 = r.feeds_imported.iter().map(|x| x.1).sum();
    tracing::info!(
        "监测轮次 {at}：订阅源更新 {}（{articles} 篇），失败 {}；采集源失效 {}；文章被删除 {}；评估 {}；告警新发 {}、升级 {}、解除 {}，已发送 {}",
        r.feeds_imported.len(),
        r.feeds_failed.len(),
        r.collectors_lost.len(),
        r.deleted.len(),
        r.results.as_ref().map_or(0, |res| res.accounts.len()),
        r.raised,
        r.escalated,
        r.resolved,
        r.delivery.messages
    );
}

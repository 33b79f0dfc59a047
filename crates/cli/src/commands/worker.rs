//! `govmedia worker`: assesses jobs of distributed evaluations from a PostgreSQL queue; the
//! work is `govmedia_pipeline::distributed::work`.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use anyhow::{Context, Result};
use govmedia_pipeline::StoreSpec;
use govmedia_pipeline::distributed::{WorkerOptions, default_worker_name, work};

pub fn run(db: &StoreSpec, concurrency: usize, lease_secs: u64, exit_when_idle: bool) -> Result<()> {
    tracing_subscriber::fmt()
        .with_max_level(tracing_subscriber::filter::LevelFilter::INFO)
        .with_writer(std::io::stderr)
        .init();
    let store = govmedia_pipeline::open_store(db)?;
    // Fails here, with the reason, on a database without a queue (SQLite).
    drop(store.queue()?);
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(signal, stop.clone()).context("无法注册停止信号")?;
    }
    let options = WorkerOptions {
        name: default_worker_name(),
        concurrency,
        lease: Duration::from_secs(lease_secs.max(3)),
        exit_when_idle,
        ..WorkerOptions::default()
    };
    eprintln!(
        "govmedia 评估工作进程 {} 已启动（数据库 {}，并发 {}）：收到 SIGTERM 或 Ctrl-C 时完成手头任务后退出",
        options.name,
        store.location(),
        options.concurrency
    );
    let report = work(&*store, &options, &stop)?;
    eprintln!(
        "工作进程已退出：完成 {} 个任务、{} 个账号，重试 {} 次",
        report.jobs, report.accounts, report.retried
    );
    Ok(())
}

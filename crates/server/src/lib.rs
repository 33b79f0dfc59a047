//! `govmedia serve`: the dashboard and JSON API that evaluators, supervising offices and
//! account operators share, over the same store as the command line (SQLite or PostgreSQL).
//!
//! Pages are rendered on the server (minijinja templates embedded in the binary) and made
//! interactive with htmx; charts are drawn by ECharts. Every front-end file is vendored and
//! served from the binary: intranet deployments have no CDN. What a user may see is decided
//! by their role and scope where the data is read ([`data`]), for pages, API and downloads
//! alike.

mod api;
mod assets;
pub mod auth;
pub mod data;
mod downloads;
pub mod error;
mod monitor;
mod openapi;
mod pages;
mod pool;
mod recheck;
pub mod review;
pub mod scope;
mod templates;
pub mod users;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use govmedia_pipeline::StoreSpec;
use govmedia_store_api::RunId;

pub use pool::Pool;

/// How the server is started.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub db: StoreSpec,
    pub listen: SocketAddr,
    /// Mark cookies `Secure` (when a TLS proxy serves the dashboard).
    pub secure_cookies: bool,
    /// Run re-checks and requested evaluations in this process.
    pub evaluate: bool,
    /// The evaluation's output directory, whose `evidence/` files findings cite.
    pub evidence: Option<std::path::PathBuf>,
    /// Monitor rounds to run in the server's process (`--monitor monitor.toml`).
    pub monitor: Option<govmedia_pipeline::monitor::MonitorConfig>,
}

/// What every handler shares.
pub struct App {
    pub pool: Arc<Pool>,
    templates: templates::Templates,
    /// Finished runs read so far (they never change).
    runs: Mutex<HashMap<RunId, Arc<data::RunView>>>,
    login_limiter: auth::LoginLimiter,
    secure_cookies: bool,
    /// Wakes the re-check worker.
    recheck: tokio::sync::Notify,
    /// An evaluator asked for a run (beside any waiting re-checks).
    run_requested: std::sync::atomic::AtomicBool,
    /// Where the evidence files findings cite are (`--evidence`).
    evidence: Option<std::path::PathBuf>,
}

impl App {
    /// `evidence`: the directory of the evidence files the findings cite (screenshots).
    pub fn new(pool: Arc<Pool>, secure_cookies: bool, evidence: Option<std::path::PathBuf>) -> Arc<App> {
        Arc::new(App {
            pool,
            templates: templates::Templates::new(),
            runs: Mutex::new(HashMap::new()),
            login_limiter: auth::LoginLimiter::default(),
            secure_cookies,
            recheck: tokio::sync::Notify::new(),
            run_requested: Default::default(),
            evidence,
        })
    }
}

/// Every route: pages, downloads, assets and the API.
pub fn router(app: Arc<App>) -> Router {
    pages::routes()
        .merge(downloads::routes())
        .merge(assets::routes())
        .nest("/api/v1", api::routes())
        .with_state(app)
}

/// Starts answering re-check and run requests in this process (on the current runtime).
pub fn start_rechecks(app: &Arc<App>) {
    tokio::spawn(recheck::worker(Arc::clone(app)));
}

/// Why the server stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Store(#[from] govmedia_pipeline::Error),
    #[error("无法监听 {addr}：{source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("服务运行失败：{0}")]
    Io(#[from] std::io::Error),
}

/// Serves until Ctrl-C or SIGTERM; `ready` is told the bound address.
pub fn serve(config: ServerConfig, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let pool = Pool::open(config.db.clone())?;
        let app = App::new(pool, config.secure_cookies, config.evidence.as_ref().map(|d| d.join("evidence")));
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|source| ServeError::Bind { addr: config.listen, source })?;
        ready(listener.local_addr()?);
        if config.evaluate {
            start_rechecks(&app);
        }
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let rounds = config.monitor.map(|m| monitor::start(config.db.clone(), m, Arc::clone(&stop)));
        axum::serve(listener, router(app).into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown())
            .await?;
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(rounds) = rounds {
            // A round under way finishes (its alerts are in the outbox either way).
            let _ = tokio::task::spawn_blocking(move || rounds.join()).await;
        }
        Ok(())
    })
}

async fn shutdown() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term => {}
    }
}

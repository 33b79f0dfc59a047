//! A served survey for the server's tests: the bundled sample imported and evaluated offline
//! into a store, users of every role, and the server on a loopback port.

#![allow(dead_code)] // Each test binary uses part of it.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use govmedia_model::results::Results;
use govmedia_pipeline::{EvaluateOptions, NoProgress, StoreSpec};
use govmedia_server::{App, Pool};
use govmedia_store_api::{Role, Store};

pub const PASSWORD: &str = "correct-horse-battery";

/// The bundled sample survey.
pub fn sample() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/sample-survey"))
}

/// Imports the sample into `spec`'s store and evaluates it offline (evidence files under
/// `out/evidence` when given); returns the results.
pub fn evaluated(spec: &StoreSpec, out: Option<&Path>) -> Results {
    let mut store = govmedia_pipeline::open_store(spec).expect("the store opens");
    govmedia_pipeline::import(&mut *store, sample(), Default::default(), &NoProgress)
        .expect("the sample imports");
    let options = EvaluateOptions { offline: true, ..Default::default() };
    govmedia_pipeline::evaluate(&mut *store, &options, out, &NoProgress).expect("the sample evaluates")
}

/// Adds a user with [`PASSWORD`].
pub fn user(store: &mut dyn Store, name: &str, role: Role, regions: &[&str], accounts: &[&str]) {
    let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    govmedia_server::users::add_user(
        store,
        name,
        role,
        &owned(regions),
        &owned(accounts),
        Some(PASSWORD),
        None,
    )
    .expect("the user is added");
}

/// Serves `spec` on a loopback port (with the re-check worker when `rechecks`, the evidence of
/// the evaluation written to `evidence`); returns the base URL. The server lives as long as
/// the runtime.
pub async fn serve(spec: &StoreSpec, rechecks: bool, evidence: Option<&Path>) -> (String, Arc<App>) {
    let app = App::new(
        Pool::open(spec.clone()).expect("the store opens"),
        false,
        evidence.map(|d| d.join("evidence")),
    );
    if rechecks {
        govmedia_server::start_rechecks(&app);
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router =
        govmedia_server::router(Arc::clone(&app)).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (format!("http://{addr}"), app)
}

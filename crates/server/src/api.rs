//! The JSON API under `/api/v1`: everything the pages show and do, for scripts. Scripts
//! authenticate with `Authorization: Bearer <token>` (`govmedia token create`); a browser
//! session works too, with its CSRF token in `X-CSRF-Token` for changes. The routes and
//! shapes are described in `/api/v1/openapi.json` ([`crate::openapi`]).

use std::sync::Arc;

use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use govmedia_store_api::{AuditEntry, Role, RunSummary};
use serde::Deserialize;

use crate::App;
use crate::auth::Viewer;
use crate::data::{self, RankingFilter, ReviewInput};
use crate::error::{ApiError, HttpError};

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/openapi.json", get(crate::openapi::document))
        .route("/me", get(me))
        .route("/runs", get(runs).post(request_run))
        .route("/overview", get(overview))
        .route("/rankings", get(rankings))
        .route("/accounts/{id}", get(account))
        .route("/accounts/{id}/reviews", post(review))
        .route("/diff", get(diff))
        .route("/precision", get(precision))
        .route("/audit", get(audit))
}

/// A signed-in caller; without credentials the answer is 401 JSON, not a redirect.
pub struct Caller(Viewer);

impl FromRequestParts<Arc<App>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, Self::Rejection> {
        Ok(Caller(Viewer::from_request_parts(parts, app).await?))
    }
}

type ApiResult<T> = Result<Json<T>, ApiError>;

/// A JSON body; one that cannot be read is answered in JSON like every other API error.
pub struct Body<T>(T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Json::<T>::from_request(req, state)
            .await
            .map(|Json(v)| Body(v))
            .map_err(|r| ApiError(HttpError::Rejected(r.status(), r.body_text())))
    }
}

/// Query parameters, likewise.
pub struct Params<T>(T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| Params(v))
            .map_err(|r| ApiError(HttpError::Rejected(r.status(), r.body_text())))
    }
}

async fn me(Caller(v): Caller) -> ApiResult<serde_json::Value> {
    Ok(Json(serde_json::json!({
        "name": v.user.name, "role": v.user.role.as_str(),
        "regions": v.user.regions, "accounts": v.user.accounts,
    })))
}

async fn runs(State(app): State<Arc<App>>, Caller(_): Caller) -> ApiResult<Vec<RunSummary>> {
    Ok(Json(app.pool.with(|s| s.runs()).await?))
}

async fn request_run(
    State(app): State<Arc<App>>,
    Caller(v): Caller,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    v.check_csrf(Viewer::csrf_header(&headers))?;
    v.require(&[Role::Admin, Role::Evaluator])?;
    crate::recheck::request_run(&app, &v.user.name).await?;
    Ok(StatusCode::ACCEPTED)
}

async fn overview(
    State(app): State<Arc<App>>,
    Caller(v): Caller,
    Params(q): Params<data::RunQuery>,
) -> ApiResult<data::Overview> {
    let run = data::run_view(&app, q.run).await?;
    Ok(Json(data::overview(&run, &v.scope)))
}

async fn rankings(
    State(app): State<Arc<App>>,
    Caller(v): Caller,
    Params(f): Params<RankingFilter>,
) -> ApiResult<Vec<data::RankingRow>> {
    let run = data::run_view(&app, f.run).await?;
    Ok(Json(data::rankings(&run, &v.scope, &f)))
}

async fn account(
    State(app): State<Arc<App>>,
    Caller(v): Caller,
    Path(id): Path<String>,
    Params(q): Params<data::RunQuery>,
) -> ApiResult<data::AccountView> {
    Ok(Json(data::account(&app, &v, q.run, &id).await?))
}

async fn review(
    State(app): State<Arc<App>>,
    Caller(v): Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    Body(input): Body<ReviewInput>,
) -> ApiResult<data::FindingView> {
    v.check_csrf(Viewer::csrf_header(&headers))?;
    Ok(Json(data::decide(&app, &v, &id, input).await?))
}

async fn diff(
    State(app): State<Arc<App>>,
    Caller(v): Caller,
    Params(q): Params<data::DiffQuery>,
) -> ApiResult<data::Diff> {
    Ok(Json(data::diff(&app, &v, q.from, q.to).await?))
}

async fn precision(State(app): State<Arc<App>>, Caller(v): Caller) -> ApiResult<crate::review::Precision> {
    Ok(Json(data::precision(&app, &v).await?))
}

#[derive(Deserialize)]
struct AuditQuery {
    limit: Option<usize>,
}

async fn audit(
    State(app): State<Arc<App>>,
    Caller(v): Caller,
    Params(q): Params<AuditQuery>,
) -> ApiResult<Vec<AuditEntry>> {
    v.require(&[Role::Admin])?;
    let limit = q.limit.unwrap_or(100).min(10_000);
    Ok(Json(app.pool.with(move |s| s.audit_log(limit)).await?))
}

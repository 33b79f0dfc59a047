//! The dashboard's pages: server-rendered HTML, forms posted with a CSRF token, htmx for the
//! review buttons.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use govmedia_store_api::Role;
use serde::Deserialize;

use crate::App;
use crate::auth::{self, Viewer};
use crate::data::{self, RankingFilter, ReviewInput, percent_encode};
use crate::error::HttpError;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/login", get(login_page).post(login_submit))
        .route("/logout", post(logout))
        .route("/", get(overview))
        .route("/rankings", get(rankings))
        .route("/accounts/{id}", get(account))
        .route("/accounts/{id}/reviews", post(review))
        .route("/runs", get(runs).post(request_run))
        .route("/runs/diff", get(diff))
        .route("/precision", get(precision))
        .route("/admin/users", get(users).post(add_user))
        .route("/admin/users/{name}/state", post(user_state))
        .route("/admin/users/{name}/password", post(user_password))
        .route("/admin/audit", get(audit))
        .layer(axum::middleware::map_response(security_headers))
}

/// No framing, no sniffing, scripts only from the server itself.
async fn security_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
        ),
    );
    h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    response
}

/// The client's address (unspecified when the server runs without connection info, in tests).
struct ClientIp(IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip()),
        ))
    }
}

#[derive(Deserialize)]
struct LoginForm {
    name: String,
    password: String,
}

async fn login_page(State(app): State<Arc<App>>) -> Result<Html<String>, HttpError> {
    app.templates.page("login.html", None, &serde_json::json!({}))
}

async fn login_submit(
    State(app): State<Arc<App>>,
    ClientIp(ip): ClientIp,
    Form(form): Form<LoginForm>,
) -> Result<Response, HttpError> {
    let refused = |message: String| {
        app.templates.page("login.html", None, &serde_json::json!({ "error": message, "name": form.name }))
    };
    if !app.login_limiter.allow(ip) {
        let page = refused(auth::LoginRefused::TooManyAttempts.message())?;
        return Ok((axum::http::StatusCode::TOO_MANY_REQUESTS, page).into_response());
    }
    let (name, password) = (form.name.clone(), form.password.clone());
    let outcome = app.pool.with(move |s| auth::login(s, &name, &password)).await?;
    match outcome {
        Ok((secret, _csrf)) => {
            Ok(([(header::SET_COOKIE, auth::session_cookie(&secret, app.secure_cookies))], Redirect::to("/"))
                .into_response())
        }
        Err(refusal) => {
            Ok((axum::http::StatusCode::UNAUTHORIZED, refused(refusal.message())?).into_response())
        }
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: Option<String>,
}

async fn logout(
    State(app): State<Arc<App>>,
    viewer: Viewer,
    Form(form): Form<CsrfForm>,
) -> Result<Response, HttpError> {
    viewer.check_csrf(form.csrf.as_deref())?;
    let (hash, name) = (viewer.credential.clone(), viewer.user.name.clone());
    app.pool
        .with(move |s| {
            s.delete_credential(&hash)?;
            auth::audit(s, Some(&name), "logout", &name, serde_json::json!({}))
        })
        .await?;
    Ok(([(header::SET_COOKIE, auth::clear_cookie(app.secure_cookies))], Redirect::to("/login"))
        .into_response())
}

/// A page that needs a finished run shows how to make one when there is none yet.
async fn no_run(app: &App, viewer: &Viewer) -> Result<Response, HttpError> {
    Ok(app.templates.page("empty.html", Some(viewer), &serde_json::json!({}))?.into_response())
}

async fn overview(
    State(app): State<Arc<App>>,
    viewer: Viewer,
    Query(q): Query<data::RunQuery>,
) -> Result<Response, HttpError> {
    let run = match data::run_view(&app, q.run).await {
        Ok(run) => run,
        Err(HttpError::NotFound) if q.run.is_none() => return no_run(&app, &viewer).await,
        Err(e) => return Err(e),
    };
    let page = data::overview(&run, &viewer.scope);
    Ok(app.templates.page("overview.html", Some(&viewer), &page)?.into_response())
}

async fn rankings(
    State(app): State<Arc<App>>,
    viewer: Viewer,
    Query(filter): Query<RankingFilter>,
) -> Result<Response, HttpError> {
    let run = match data::run_view(&app, filter.run).await {
        Ok(run) => run,
        Err(HttpError::NotFound) if filter.run.is_none() => return no_run(&app, &viewer).await,
        Err(e) => return Err(e),
    };
    let rows = data::rankings(&run, &viewer.scope, &filter);
    if let Some(format) = filter.format.as_deref() {
        return crate::downloads::rankings_file(&rows, run.summary.id, format);
    }
    let levels: Vec<_> = govmedia_model::Level::ALL.iter().map(|l| (l.as_str(), l.label())).collect();
    let page = serde_json::json!({
        "run": run.summary, "rows": rows, "filter": filter, "levels": levels,
        "query": filter_query(&filter),
    });
    Ok(app.templates.page("rankings.html", Some(&viewer), &page)?.into_response())
}

/// The filter as a query string (for the download links).
fn filter_query(f: &RankingFilter) -> String {
    let pairs = [
        ("run", f.run.map(|r| r.to_string())),
        ("level", f.level.clone()),
        ("region", f.region.clone()),
        ("field", f.field.clone()),
        ("kind", f.kind.clone()),
    ];
    pairs
        .into_iter()
        .filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| format!("{k}={}", percent_encode(&v))))
        .collect::<Vec<_>>()
        .join("&")
}

async fn account(
    State(app): State<Arc<App>>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<data::RunQuery>,
) -> Result<Html<String>, HttpError> {
    let page = data::account(&app, &viewer, q.run, &id).await?;
    app.templates.page("account.html", Some(&viewer), &page)
}

#[derive(Deserialize)]
struct ReviewForm {
    #[serde(default)]
    csrf: Option<String>,
    #[serde(flatten)]
    input: ReviewInput,
}

async fn review(
    State(app): State<Arc<App>>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, HttpError> {
    viewer.check_csrf(form.csrf.as_deref().or(Viewer::csrf_header(&headers)))?;
    let finding = data::decide(&app, &viewer, &id, form.input).await?;
    if headers.contains_key("hx-request") {
        let role = viewer.user.role;
        let page = serde_json::json!({
            "f": finding, "account": id,
            "can_review": data::may_decide(role, govmedia_store_api::Decision::Dismissed),
            "can_fix": data::may_decide(role, govmedia_store_api::Decision::Fixed),
        });
        return Ok(app.templates.page("finding.html", Some(&viewer), &page)?.into_response());
    }
    Ok(Redirect::to(&format!("/accounts/{}", percent_encode(&id))).into_response())
}

async fn runs(State(app): State<Arc<App>>, viewer: Viewer) -> Result<Html<String>, HttpError> {
    let (runs, pending) = app.pool.with(|s| Ok((s.runs()?, s.pending_rechecks()?))).await?;
    let can_start = matches!(viewer.user.role, Role::Admin | Role::Evaluator);
    // Waiting re-checks name accounts: each viewer sees only theirs.
    let visible = match data::run_view(&app, None).await {
        Ok(run) => pending.into_iter().filter(|r| run.account(&viewer.scope, &r.account).is_some()).collect(),
        Err(_) if viewer.scope.is_all() => pending,
        Err(_) => Vec::new(),
    };
    let page = serde_json::json!({ "runs": runs, "pending": visible, "can_start": can_start });
    app.templates.page("runs.html", Some(&viewer), &page)
}

async fn request_run(
    State(app): State<Arc<App>>,
    viewer: Viewer,
    Form(form): Form<CsrfForm>,
) -> Result<Response, HttpError> {
    viewer.check_csrf(form.csrf.as_deref())?;
    viewer.require(&[Role::Admin, Role::Evaluator])?;
    crate::recheck::request_run(&app, &viewer.user.name).await?;
    Ok(Redirect::to("/runs").into_response())
}

async fn diff(
    State(app): State<Arc<App>>,
    viewer: Viewer,
    Query(q): Query<data::DiffQuery>,
) -> Result<Html<String>, HttpError> {
    let page = data::diff(&app, &viewer, q.from, q.to).await?;
    app.templates.page("diff.html", Some(&viewer), &page)
}

async fn precision(State(app): State<Arc<App>>, viewer: Viewer) -> Result<Html<String>, HttpError> {
    let page = data::precision(&app, &viewer).await?;
    app.templates.page("precision.html", Some(&viewer), &page)
}

async fn users(State(app): State<Arc<App>>, viewer: Viewer) -> Result<Html<String>, HttpError> {
    viewer.require(&[Role::Admin])?;
    let users = app.pool.with(|s| s.users()).await?;
    let roles: Vec<_> = Role::ALL.iter().map(|r| (r.as_str(), r.label())).collect();
    app.templates.page("users.html", Some(&viewer), &serde_json::json!({ "users": users, "roles": roles }))
}

#[derive(Deserialize)]
struct UserForm {
    #[serde(default)]
    csrf: Option<String>,
    name: String,
    role: String,
    #[serde(default)]
    regions: String,
    #[serde(default)]
    accounts: String,
    password: String,
}

async fn add_user(
    State(app): State<Arc<App>>,
    viewer: Viewer,
    Form(form): Form<UserForm>,
) -> Result<Response, HttpError> {
    viewer.check_csrf(form.csrf.as_deref())?;
    viewer.require(&[Role::Admin])?;
    let role =
        Role::parse(&form.role).ok_or_else(|| HttpError::BadRequest(format!("未知角色“{}”", form.role)))?;
    let list = |s: &str| {
        s.split([',', '，', ' ', '\n'])
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let (regions, accounts, by) = (list(&form.regions), list(&form.accounts), viewer.user.name.clone());
    app.pool
        .with(move |s| {
            Ok(crate::users::add_user(
                s,
                &form.name,
                role,
                &regions,
                &accounts,
                Some(&form.password),
                Some(&by),
            ))
        })
        .await?
        .map_err(user_error)?;
    Ok(Redirect::to("/admin/users").into_response())
}

/// A user-management failure: what the admin got wrong is a 400 with the reason.
fn user_error(e: crate::users::UserError) -> HttpError {
    match e {
        crate::users::UserError::Store(e) => HttpError::from(e),
        crate::users::UserError::NoSuchUser(_) => HttpError::NotFound,
        other => HttpError::BadRequest(other.to_string()),
    }
}

#[derive(Deserialize)]
struct StateForm {
    #[serde(default)]
    csrf: Option<String>,
    disabled: bool,
}

async fn user_state(
    State(app): State<Arc<App>>,
    viewer: Viewer,
    Path(name): Path<String>,
    Form(form): Form<StateForm>,
) -> Result<Response, HttpError> {
    viewer.check_csrf(form.csrf.as_deref())?;
    viewer.require(&[Role::Admin])?;
    if name == viewer.user.name && form.disabled {
        return Err(HttpError::BadRequest("不能停用自己的账号".into()));
    }
    let by = viewer.user.name.clone();
    app.pool
        .with(move |s| Ok(crate::users::set_disabled(s, &name, form.disabled, Some(&by))))
        .await?
        .map_err(user_error)?;
    Ok(Redirect::to("/admin/users").into_response())
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    csrf: Option<String>,
    password: String,
}

async fn user_password(
    State(app): State<Arc<App>>,
    viewer: Viewer,
    Path(name): Path<String>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, HttpError> {
    viewer.check_csrf(form.csrf.as_deref())?;
    viewer.require(&[Role::Admin])?;
    let by = viewer.user.name.clone();
    app.pool
        .with(move |s| Ok(crate::users::set_password(s, &name, &form.password, Some(&by))))
        .await?
        .map_err(user_error)?;
    Ok(Redirect::to("/admin/users").into_response())
}

async fn audit(State(app): State<Arc<App>>, viewer: Viewer) -> Result<Html<String>, HttpError> {
    viewer.require(&[Role::Admin])?;
    let entries = app.pool.with(|s| s.audit_log(500)).await?;
    app.templates.page("audit.html", Some(&viewer), &serde_json::json!({ "entries": entries }))
}

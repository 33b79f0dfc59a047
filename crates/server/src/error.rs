//! How a request fails: the same causes, answered as a Chinese page for the dashboard and as
//! JSON for the API. Store failures are logged in full and answered without their details.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use govmedia_store_api::StoreError;

/// A failed request.
#[derive(Debug)]
pub enum HttpError {
    /// No valid session or token: pages send the user to the login page.
    Unauthenticated,
    /// Signed in, but the role may not do this.
    Forbidden(String),
    /// No such object, or not one this user may see (the answer does not tell which).
    NotFound,
    /// The request itself is wrong.
    BadRequest(String),
    /// Too many attempts.
    TooMany(String),
    /// The store or a report failed.
    Internal(String),
    /// A body or query the framework could not read (400, 415, 422), with its explanation.
    Rejected(StatusCode, String),
}

impl From<StoreError> for HttpError {
    fn from(e: StoreError) -> Self {
        if let StoreError::Conflict { .. } = e {
            return HttpError::BadRequest(e.to_string());
        }
        tracing::error!("store: {e}");
        HttpError::Internal("数据库操作失败，请稍后重试或联系管理员".into())
    }
}

impl HttpError {
    fn status(&self) -> StatusCode {
        match self {
            HttpError::Unauthenticated => StatusCode::UNAUTHORIZED,
            HttpError::Forbidden(_) => StatusCode::FORBIDDEN,
            HttpError::NotFound => StatusCode::NOT_FOUND,
            HttpError::BadRequest(_) => StatusCode::BAD_REQUEST,
            HttpError::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            HttpError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            HttpError::Rejected(status, _) => *status,
        }
    }

    pub fn message(&self) -> String {
        match self {
            HttpError::Unauthenticated => "请先登录".into(),
            HttpError::NotFound => "未找到该页面或对象，或您无权查看".into(),
            HttpError::Forbidden(m)
            | HttpError::BadRequest(m)
            | HttpError::TooMany(m)
            | HttpError::Internal(m)
            | HttpError::Rejected(_, m) => m.clone(),
        }
    }
}

/// Pages: a redirect to the login page, or a short page with the message.
impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        if matches!(self, HttpError::Unauthenticated) {
            return Redirect::to("/login").into_response();
        }
        let body = format!(
            "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{msg}</title>\
             <link rel=\"stylesheet\" href=\"/assets/app.css\"></head><body><main class=\"error\">\
             <h1>{status}</h1><p>{msg}</p><p><a href=\"/\">返回首页</a></p></main></body></html>",
            status = self.status().as_u16(),
            msg = escape(&self.message())
        );
        (self.status(), [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
    }
}

/// The API's answer to the same failures: `{"error": "…"}` with the status.
#[derive(Debug)]
pub struct ApiError(pub HttpError);

impl<E: Into<HttpError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0.status(), Json(serde_json::json!({ "error": self.0.message() }))).into_response()
    }
}

/// Escapes text for HTML (the templates escape by themselves; this is for the error page).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

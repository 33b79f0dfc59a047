//! Who is asking: passwords (Argon2id), sessions in HttpOnly cookies with a CSRF token each,
//! API tokens for scripts, lockout after repeated failures and a per-address login limit.
//! Secrets are random 32-byte tokens; only their SHA-256 is stored.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use chrono::Utc;
use govmedia_store_api::{Credential, CredentialKind, Store, StoreError, User};
use sha2::{Digest, Sha256};

use crate::App;
use crate::error::HttpError;
use crate::scope::Scope;

/// The session cookie's name.
pub const COOKIE: &str = "govmedia_session";
/// How long a session lasts.
pub const SESSION_HOURS: i64 = 12;
/// Failed logins in a row that lock an account…
pub const MAX_FAILURES: u32 = 5;
/// …for this long.
pub const LOCKOUT_MINUTES: i64 = 15;
/// Login attempts one address may make per window.
const ATTEMPTS_PER_WINDOW: u32 = 20;
const WINDOW: Duration = Duration::from_secs(300);

/// A fresh random secret, hex.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system provides random bytes");
    hex(&bytes)
}

/// The SHA-256 of a secret, hex: what the store keeps.
pub fn secret_hash(secret: &str) -> String {
    sha256_hex(secret.as_bytes())
}

/// SHA-256, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two secrets in time independent of where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn expired(at: Option<&str>) -> bool {
    at.and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()).is_some_and(|t| t < Utc::now())
}

/// Why a login was refused. The message does not say whether the name exists.
#[derive(Debug, PartialEq, Eq)]
pub enum LoginRefused {
    Wrong,
    Locked { until: String },
    TooManyAttempts,
}

impl LoginRefused {
    pub fn message(&self) -> String {
        match self {
            LoginRefused::Wrong => "用户名或密码错误".into(),
            LoginRefused::Locked { until } => {
                format!("连续登录失败次数过多，账号已锁定至 {until}，请稍后再试或联系管理员")
            }
            LoginRefused::TooManyAttempts => "登录尝试过于频繁，请 5 分钟后再试".into(),
        }
    }
}

/// Checks a name and password against the store, counting failures and locking the user
/// after [`MAX_FAILURES`]; on success starts a session. Returns the session's secret and
/// CSRF token. Runs Argon2 (tens of milliseconds): call it on a blocking thread.
pub fn login(
    store: &mut dyn Store,
    name: &str,
    password: &str,
) -> Result<Result<(String, String), LoginRefused>, StoreError> {
    let Some(mut user) = store.user(name)? else {
        // Spend the same time as a real check, so timing does not tell which names exist.
        let _ = password_auth::verify_password(
            password,
            DUMMY_HASH.get_or_init(|| password_auth::generate_hash("-")),
        );
        audit(store, None, "login.failed", name, serde_json::json!({"reason": "unknown_user"}))?;
        return Ok(Err(LoginRefused::Wrong));
    };
    if let Some(until) = user.locked_until.clone().filter(|u| !expired(Some(u))) {
        return Ok(Err(LoginRefused::Locked { until }));
    }
    let ok = !user.disabled
        && user.password_hash.as_deref().is_some_and(|h| password_auth::verify_password(password, h).is_ok());
    if !ok {
        user.failed_logins += 1;
        let locked = user.failed_logins >= MAX_FAILURES;
        if locked {
            user.locked_until = Some(
                (Utc::now() + chrono::Duration::minutes(LOCKOUT_MINUTES))
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            );
            user.failed_logins = 0;
        }
        store.update_user(&user)?;
        audit(
            store,
            None,
            if locked { "login.locked" } else { "login.failed" },
            name,
            serde_json::json!({}),
        )?;
        return Ok(Err(match user.locked_until {
            Some(until) if locked => LoginRefused::Locked { until },
            _ => LoginRefused::Wrong,
        }));
    }
    user.failed_logins = 0;
    user.locked_until = None;
    store.update_user(&user)?;
    // Sessions that ran out without a logout would otherwise stay in the table for good.
    store.delete_expired_credentials(&now())?;
    let (secret, csrf) = (new_secret(), new_secret());
    store.put_credential(&Credential {
        hash: secret_hash(&secret),
        user: user.id,
        kind: CredentialKind::Session,
        label: None,
        csrf: Some(csrf.clone()),
        created_at: now(),
        expires_at: Some(
            (Utc::now() + chrono::Duration::hours(SESSION_HOURS))
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        ),
    })?;
    audit(store, Some(name), "login", name, serde_json::json!({}))?;
    Ok(Ok((secret, csrf)))
}

static DUMMY_HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Creates an API token for `user` and returns its secret (shown once, never stored).
pub fn create_token(
    store: &mut dyn Store,
    user: &User,
    label: &str,
    by: Option<&str>,
) -> Result<String, StoreError> {
    let secret = new_secret();
    store.put_credential(&Credential {
        hash: secret_hash(&secret),
        user: user.id,
        kind: CredentialKind::ApiToken,
        label: Some(label.to_owned()),
        csrf: None,
        created_at: now(),
        expires_at: None,
    })?;
    audit(store, by, "token.create", &user.name, serde_json::json!({ "label": label }))?;
    Ok(secret)
}

/// Records a change in the audit log.
pub fn audit(
    store: &mut dyn Store,
    user: Option<&str>,
    action: &str,
    object: &str,
    detail: serde_json::Value,
) -> Result<(), StoreError> {
    store.add_audit(&govmedia_store_api::AuditEntry {
        id: 0,
        at: now(),
        user: user.map(str::to_owned),
        action: action.to_owned(),
        object: object.to_owned(),
        detail,
    })
}

/// The signed-in user of a request, with what they may see.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: User,
    pub scope: Scope,
    /// The session's CSRF token; `None` for API tokens (no cookie, nothing to forge).
    pub csrf: Option<String>,
    /// The session secret's hash (to end it at logout).
    pub credential: String,
}

impl Viewer {
    /// Refuses a state-changing request whose CSRF token (form field or `X-CSRF-Token`
    /// header) does not match the session's.
    pub fn check_csrf(&self, given: Option<&str>) -> Result<(), HttpError> {
        match &self.csrf {
            None => Ok(()),
            Some(expected) if given.is_some_and(|g| same_secret(g, expected)) => Ok(()),
            Some(_) => Err(HttpError::Forbidden("请求缺少有效的 CSRF 令牌，请刷新页面后重试".into())),
        }
    }

    /// The token from the `X-CSRF-Token` header (htmx and API calls with a session).
    pub fn csrf_header(headers: &HeaderMap) -> Option<&str> {
        headers.get("x-csrf-token").and_then(|v| v.to_str().ok())
    }

    pub fn require(&self, allowed: &[govmedia_store_api::Role]) -> Result<(), HttpError> {
        if allowed.contains(&self.user.role) {
            Ok(())
        } else {
            Err(HttpError::Forbidden(format!("{}无权进行此操作", self.user.role.label())))
        }
    }
}

/// The secret a request presents: `Authorization: Bearer …` or the session cookie.
fn presented(headers: &HeaderMap) -> Option<(String, bool)> {
    if let Some(token) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        return Some((token.trim().to_owned(), true));
    }
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| (v.to_owned(), false))
}

impl FromRequestParts<Arc<App>> for Viewer {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, Self::Rejection> {
        let Some((secret, bearer)) = presented(&parts.headers) else {
            return Err(HttpError::Unauthenticated);
        };
        let hash = secret_hash(&secret);
        let found = app
            .pool
            .with(move |store| {
                let Some(c) = store.credential(&hash)? else { return Ok(None) };
                if expired(c.expires_at.as_deref()) {
                    store.delete_credential(&c.hash)?;
                    return Ok(None);
                }
                Ok(store.user_by_id(c.user)?.map(|u| (c, u)))
            })
            .await?;
        let Some((credential, user)) = found else { return Err(HttpError::Unauthenticated) };
        let wrong_kind = bearer != (credential.kind == CredentialKind::ApiToken);
        if user.disabled || wrong_kind {
            return Err(HttpError::Unauthenticated);
        }
        Ok(Viewer { scope: Scope::of(&user), user, csrf: credential.csrf, credential: credential.hash })
    }
}

/// Login attempts per client address, in fixed windows.
#[derive(Default)]
pub struct LoginLimiter {
    seen: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl LoginLimiter {
    /// Counts an attempt; false when the address has used up its window.
    pub fn allow(&self, ip: IpAddr) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        seen.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        let entry = seen.entry(ip).or_insert((now, 0));
        entry.1 += 1;
        entry.1 <= ATTEMPTS_PER_WINDOW
    }
}

/// The `Set-Cookie` value that starts a session (`Secure` when served over TLS).
pub fn session_cookie(secret: &str, secure: bool) -> String {
    format!(
        "{COOKIE}={secret}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        SESSION_HOURS * 3600,
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that ends it.
pub fn clear_cookie(secure: bool) -> String {
    format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}", if secure { "; Secure" } else { "" })
}

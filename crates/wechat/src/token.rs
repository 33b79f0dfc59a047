//! Access tokens: one per account, shared by every process through a [`TokenCache`].
//!
//! Tokens come from `stable_token`, not the older `cgi-bin/token`: in its normal mode every
//! caller gets the same token until it nears expiry, so processes that miss the cache at the
//! same moment do not invalidate each other's token (the older endpoint hands out a new token
//! on each call and revokes the previous one).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use serde_json::{Value, json};

use crate::{Client, Credentials, Endpoint, Secret, WechatError};

/// An access token and when it expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedToken {
    pub access_token: Secret,
    /// Unix seconds.
    pub expires_at: i64,
}

impl CachedToken {
    /// True when the token has more than `margin_secs` of validity left at `now`.
    pub fn usable_at(&self, now: i64, margin_secs: i64) -> bool {
        self.expires_at - now > margin_secs
    }
}

/// Where tokens are kept between calls and processes, by AppID. The integrator backs it with
/// the store's key-value cache; a failing cache should answer `None` (a miss costs one
/// `stable_token` call, which in normal mode returns the same token anyway).
pub trait TokenCache: Send + Sync {
    fn get(&self, appid: &str) -> Option<CachedToken>;
    fn put(&self, appid: &str, token: &CachedToken);
}

/// A cache that lives as long as the process.
#[derive(Debug, Default)]
pub struct MemoryTokenCache {
    tokens: Mutex<HashMap<String, CachedToken>>,
}

impl TokenCache for MemoryTokenCache {
    fn get(&self, appid: &str) -> Option<CachedToken> {
        self.tokens.lock().unwrap_or_else(|e| e.into_inner()).get(appid).cloned()
    }

    fn put(&self, appid: &str, token: &CachedToken) {
        self.tokens.lock().unwrap_or_else(|e| e.into_inner()).insert(appid.to_owned(), token.clone());
    }
}

impl Client {
    /// The account's token: the cached one while it has more than the refresh margin left,
    /// else a new one from `stable_token`, cached for everyone.
    pub async fn access_token(&self, creds: &Credentials) -> Result<Secret, WechatError> {
        if let Some(t) = self.fresh_cached(&creds.appid) {
            return Ok(t);
        }
        let lock = self.token_lock(&creds.appid);
        let _held = lock.lock().await;
        if let Some(t) = self.fresh_cached(&creds.appid) {
            return Ok(t);
        }
        self.fetch_token(creds, false).await
    }

    /// A token other than `rejected`, which the platform refused. Another task or process may
    /// already have replaced it in the cache; else `stable_token` is asked in normal mode, and
    /// only if that hands back the refused token again, in force-refresh mode (limited by the
    /// platform to a few calls a day, and it revokes the old token for everyone).
    pub(crate) async fn refresh_token(
        &self,
        creds: &Credentials,
        rejected: &Secret,
    ) -> Result<Secret, WechatError> {
        let lock = self.token_lock(&creds.appid);
        let _held = lock.lock().await;
        if let Some(t) = self.fresh_cached(&creds.appid).filter(|t| t != rejected) {
            return Ok(t);
        }
        let token = self.fetch_token(creds, false).await?;
        if token != *rejected {
            return Ok(token);
        }
        self.fetch_token(creds, true).await
    }

    fn fresh_cached(&self, appid: &str) -> Option<Secret> {
        let margin = self.config.refresh_margin.as_secs() as i64;
        self.tokens.get(appid).filter(|t| t.usable_at(Utc::now().timestamp(), margin)).map(|t| t.access_token)
    }

    fn token_lock(&self, appid: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.token_locks.lock().unwrap_or_else(|e| e.into_inner());
        locks.entry(appid.to_owned()).or_default().clone()
    }

    async fn fetch_token(&self, creds: &Credentials, force_refresh: bool) -> Result<Secret, WechatError> {
        let body = json!({
            "grant_type": "client_credential",
            "appid": creds.appid,
            "secret": creds.secret.expose(),
            "force_refresh": force_refresh,
        });
        let endpoint = Endpoint::StableToken;
        let answer = self.request(&creds.appid, endpoint, None, Some(&body)).await?;
        let bad = |message: &str| WechatError::BadResponse { endpoint, message: message.to_owned() };
        let token = answer.get("access_token").and_then(Value::as_str).filter(|t| !t.is_empty());
        let token = Secret::new(token.ok_or_else(|| bad("缺少 access_token"))?);
        let expires_in =
            answer.get("expires_in").and_then(Value::as_i64).ok_or_else(|| bad("缺少 expires_in"))?;
        let cached =
            CachedToken { access_token: token.clone(), expires_at: Utc::now().timestamp() + expires_in };
        self.tokens.put(&creds.appid, &cached);
        tracing::info!(appid = %creds.appid, force_refresh, expires_in, "new access token");
        Ok(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_replaced_ahead_of_expiry_and_never_printed() {
        let t = CachedToken { access_token: Secret::new("ACCESS_TOKEN_VALUE"), expires_at: 1_000 };
        assert!(t.usable_at(800, 180));
        assert!(!t.usable_at(900, 180));
        let cache = MemoryTokenCache::default();
        cache.put("wx1", &t);
        assert_eq!(cache.get("wx1"), Some(t));
        let shown = format!("{cache:?}");
        assert!(!shown.contains("ACCESS_TOKEN_VALUE") && shown.contains("Secret(***)"), "{shown}");
    }
}

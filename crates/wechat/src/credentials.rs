//! An account's AppID and AppSecret, read from the environment, and the [`Secret`] wrapper that
//! keeps the secret and access tokens out of every Debug output, error and log line.

use std::fmt;

use crate::WechatError;

/// A value that must never be printed: an AppSecret or an access token. It has no `Display`,
/// its `Debug` is redacted, and the only way to the text is [`Secret::expose`], which the
/// client calls where the value goes on the wire.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value itself, for the request that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// What the platform needs to hand out an account's access token. The AppID is not secret (it
/// appears in public pages); the AppSecret is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub appid: String,
    pub secret: Secret,
}

impl Credentials {
    pub fn new(appid: impl Into<String>, secret: Secret) -> Self {
        Credentials { appid: appid.into(), secret }
    }

    /// Reads `GOVMEDIA_WECHAT_APPID_<KEY>` and `GOVMEDIA_WECHAT_SECRET_<KEY>`, where `<KEY>` is
    /// `key` (the account id, say `gh_1a2b3c`) in upper case with every character other than
    /// `A`–`Z` and `0`–`9` turned into `_` (`GH_1A2B3C`). Credentials live only in the
    /// environment, never in configuration files or the store.
    pub fn from_env(key: &str) -> Result<Self, WechatError> {
        let (appid_var, secret_var) = env_names(key);
        let read = |var: &str| match std::env::var(var) {
            Ok(v) if !v.trim().is_empty() => Ok(v.trim().to_owned()),
            _ => Err(WechatError::MissingCredentials { var: var.to_owned() }),
        };
        Ok(Credentials { appid: read(&appid_var)?, secret: Secret::new(read(&secret_var)?) })
    }
}

/// The names of the AppID and AppSecret variables of an account key.
pub fn env_names(key: &str) -> (String, String) {
    let key: String =
        key.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect();
    (format!("GOVMEDIA_WECHAT_APPID_{key}"), format!("GOVMEDIA_WECHAT_SECRET_{key}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_redacts_the_secret() {
        let c = Credentials::new("wx0123456789abcdef", Secret::new("s3cr3t-appsecret-value"));
        let shown = format!("{c:?} {:?} {:#?}", c.secret, c);
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("wx0123456789abcdef") && shown.contains("Secret(***)"), "{shown}");
        assert_eq!(c.secret.expose(), "s3cr3t-appsecret-value");
    }

    #[test]
    fn environment_names_and_missing_variables() {
        assert_eq!(
            env_names("gh_1a2b-3c"),
            ("GOVMEDIA_WECHAT_APPID_GH_1A2B_3C".to_owned(), "GOVMEDIA_WECHAT_SECRET_GH_1A2B_3C".to_owned())
        );
        // SAFETY: the variables are unique to this test; nothing else reads them.
        unsafe {
            std::env::set_var("GOVMEDIA_WECHAT_APPID_UNIT_ENV_1", "wxappid");
            std::env::set_var("GOVMEDIA_WECHAT_SECRET_UNIT_ENV_1", " appsecret ");
        }
        let c = Credentials::from_env("unit-env-1").unwrap();
        assert_eq!((c.appid.as_str(), c.secret.expose()), ("wxappid", "appsecret"));
        let e = Credentials::from_env("unit-env-unset").unwrap_err();
        assert!(e.to_string().contains("GOVMEDIA_WECHAT_APPID_UNIT_ENV_UNSET"), "{e}");
    }
}

//! Managing users from the command line (`govmedia user add`, `govmedia token create`) and
//! from the admin page: the same checks and the same audit entries either way.

use govmedia_store_api::{Credential, NewUser, Role, Store, StoreError, User};

/// Why a user could not be added.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("用户名不能为空，且不能超过 64 个字符")]
    BadName,
    #[error("密码至少需要 10 个字符")]
    WeakPassword,
    #[error("{role}须指定其范围：{what}")]
    MissingScope { role: &'static str, what: &'static str },
    #[error("行政区划“{0}”无法识别（应为 GB/T 2260 六位代码或名称，如 440000 或 广东省）")]
    UnknownRegion(String),
    #[error("未找到用户“{0}”")]
    NoSuchUser(String),
    #[error("令牌标识“{0}”太短：请给出 `govmedia token list` 所列标识的至少 {TOKEN_ID_MIN} 位")]
    ShortTokenId(String),
    #[error("未找到标识为“{0}”的令牌（`govmedia token list` 列出现有令牌）")]
    NoSuchToken(String),
    #[error("标识“{0}”对应多个令牌：请给出更多位")]
    AmbiguousToken(String),
}

/// How many leading hex digits of a token's hash name it in lists (not a secret: the hash of
/// a random 32-byte secret reveals nothing of it).
pub const TOKEN_ID_LEN: usize = 12;
/// The fewest digits accepted to name a token to revoke.
pub const TOKEN_ID_MIN: usize = 8;

/// An API token as listed: never its secret.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenInfo {
    /// The first [`TOKEN_ID_LEN`] hex digits of the token's hash.
    pub id: String,
    pub user: String,
    pub label: String,
    /// RFC 3339.
    pub created_at: String,
}

impl TokenInfo {
    fn new(token: Credential, user: String) -> TokenInfo {
        TokenInfo {
            id: token.hash.chars().take(TOKEN_ID_LEN).collect(),
            user,
            label: token.label.unwrap_or_default(),
            created_at: token.created_at,
        }
    }
}

/// The shortest password accepted.
pub const MIN_PASSWORD: usize = 10;

/// Adds a user. Region names are stored as their codes; supervisors need regions and
/// operators accounts, so that no one sees more than meant by an omission.
pub fn add_user(
    store: &mut dyn Store,
    name: &str,
    role: Role,
    regions: &[String],
    accounts: &[String],
    password: Option<&str>,
    by: Option<&str>,
) -> Result<User, UserError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 64 {
        return Err(UserError::BadName);
    }
    if password.is_some_and(|p| p.chars().count() < MIN_PASSWORD) {
        return Err(UserError::WeakPassword);
    }
    let regions = regions
        .iter()
        .map(|r| govmedia_score::regions::resolve(r).ok_or_else(|| UserError::UnknownRegion(r.clone())))
        .collect::<Result<Vec<_>, _>>()?;
    match role {
        Role::Supervisor if regions.is_empty() => {
            return Err(UserError::MissingScope {
                role: role.label(), what: "--region（行政区划代码）"
            });
        }
        Role::Operator if accounts.is_empty() => {
            return Err(UserError::MissingScope { role: role.label(), what: "--account（账号 ID）" });
        }
        _ => {}
    }
    let id = store.add_user(&NewUser {
        name: name.to_owned(),
        role,
        regions: regions.clone(),
        accounts: accounts.to_vec(),
        password_hash: password.map(password_auth::generate_hash),
    })?;
    crate::auth::audit(
        store,
        by,
        "user.add",
        name,
        serde_json::json!({ "role": role.as_str(), "regions": regions, "accounts": accounts }),
    )?;
    store.user_by_id(id)?.ok_or_else(|| UserError::NoSuchUser(name.to_owned()))
}

/// Sets a user's password (and unlocks them).
pub fn set_password(
    store: &mut dyn Store,
    name: &str,
    password: &str,
    by: Option<&str>,
) -> Result<(), UserError> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(UserError::WeakPassword);
    }
    let mut user = store.user(name)?.ok_or_else(|| UserError::NoSuchUser(name.to_owned()))?;
    user.password_hash = Some(password_auth::generate_hash(password));
    user.failed_logins = 0;
    user.locked_until = None;
    store.update_user(&user)?;
    crate::auth::audit(store, by, "user.password", name, serde_json::json!({}))?;
    Ok(())
}

/// Disables a user (no login, no session or token works) or enables them again.
pub fn set_disabled(
    store: &mut dyn Store,
    name: &str,
    disabled: bool,
    by: Option<&str>,
) -> Result<(), UserError> {
    let mut user = store.user(name)?.ok_or_else(|| UserError::NoSuchUser(name.to_owned()))?;
    user.disabled = disabled;
    store.update_user(&user)?;
    crate::auth::audit(
        store,
        by,
        if disabled { "user.disable" } else { "user.enable" },
        name,
        serde_json::json!({}),
    )?;
    Ok(())
}

/// The API tokens of the user `name`, or of every user, oldest first.
pub fn tokens(store: &mut dyn Store, name: Option<&str>) -> Result<Vec<TokenInfo>, UserError> {
    let owner = match name {
        Some(n) => Some(store.user(n)?.ok_or_else(|| UserError::NoSuchUser(n.to_owned()))?.id),
        None => None,
    };
    let names: std::collections::HashMap<_, _> = store.users()?.into_iter().map(|u| (u.id, u.name)).collect();
    Ok(store
        .api_tokens(owner)?
        .into_iter()
        .map(|t| {
            let user = names.get(&t.user).cloned().unwrap_or_default();
            TokenInfo::new(t, user)
        })
        .collect())
}

/// Revokes the one API token whose hash starts with `id` (at least [`TOKEN_ID_MIN`] digits):
/// scripts using it are refused from the next request on.
pub fn revoke_token(store: &mut dyn Store, id: &str, by: Option<&str>) -> Result<TokenInfo, UserError> {
    let id = id.trim().to_ascii_lowercase();
    if id.len() < TOKEN_ID_MIN || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(UserError::ShortTokenId(id));
    }
    let mut found = store.api_tokens(None)?.into_iter().filter(|t| t.hash.starts_with(&id));
    let token = found.next().ok_or_else(|| UserError::NoSuchToken(id.clone()))?;
    if found.next().is_some() {
        return Err(UserError::AmbiguousToken(id));
    }
    store.delete_credential(&token.hash)?;
    let user = store.user_by_id(token.user)?.map(|u| u.name).unwrap_or_default();
    let info = TokenInfo::new(token, user);
    crate::auth::audit(
        store,
        by,
        "token.revoke",
        &info.user,
        serde_json::json!({ "token": info.id, "label": info.label }),
    )?;
    Ok(info)
}

/// Creates an API token for the user `name`; the secret is returned once.
pub fn create_token(
    store: &mut dyn Store,
    name: &str,
    label: &str,
    by: Option<&str>,
) -> Result<String, UserError> {
    let user = store.user(name)?.ok_or_else(|| UserError::NoSuchUser(name.to_owned()))?;
    Ok(crate::auth::create_token(store, &user, label, by)?)
}

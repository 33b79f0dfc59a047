//! Errors of every backend, in words a user can act on (Chinese), never with a password.

/// What went wrong in a store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The server or file could not be reached or opened.
    #[error("无法连接数据库 {location}：{reason}")]
    Connect { location: String, reason: String },
    /// The server refused the user's credentials.
    #[error(
        "数据库 {location} 拒绝了用户“{user}”的身份验证：请检查用户名与密码（可写在 URL 中或 PGPASSWORD 环境变量中）"
    )]
    Auth { location: String, user: String },
    /// Another process holds the database.
    #[error("数据库 {location} 正被另一个 govmedia 进程占用（例如正在导入），请等它结束后重试")]
    Locked { location: String },
    /// The schema was written by a newer govmedia.
    #[error("数据库 {location} 的结构版本 {found} 高于本程序支持的版本 {supported}，请升级 govmedia")]
    TooNew { location: String, found: i64, supported: i64 },
    /// A record with the same key exists (a user name already taken …).
    #[error("数据库 {location} 中已有{what}")]
    Conflict { location: String, what: String },
    /// A stored record no longer parses.
    #[error("数据库 {location} 中的记录无法解析（{what}）: {source}")]
    Corrupt {
        location: String,
        what: String,
        #[source]
        source: serde_json::Error,
    },
    /// The backend cannot do what was asked.
    #[error("数据库 {location} 不支持{what}")]
    Unsupported { location: String, what: String },
    /// Any other failure of the database.
    #[error("数据库 {location}: {message}")]
    Backend {
        location: String,
        message: String,
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}

impl StoreError {
    /// A backend failure with its cause.
    pub fn backend(
        location: &str,
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        StoreError::Backend {
            location: location.to_owned(),
            message: message.into(),
            source: Some(Box::new(source)),
        }
    }

    /// A record that does not parse.
    pub fn corrupt(location: &str, what: impl Into<String>, source: serde_json::Error) -> Self {
        StoreError::Corrupt { location: location.to_owned(), what: what.into(), source }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

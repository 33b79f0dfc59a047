//! Errors of the AI layer. Messages are Chinese: they reach the user through the CLI.

/// Why an AI call or the AI configuration failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AiError {
    #[error("AI 配置错误：{0}")]
    Config(String),
    /// The model (or its host) is not allowed by the compliance policy.
    #[error("{0}")]
    NotAllowed(String),
    #[error("环境变量 {0} 未设置：请在该变量中提供 API 密钥（密钥不得写入配置文件）")]
    MissingKey(String),
    #[error("请求超时（超过 {0} 秒）")]
    Timeout(u64),
    #[error("网络错误：{0}")]
    Transport(String),
    /// A non-success status; `attempts` counts every request made for this call.
    #[error("服务返回 HTTP {status}（共请求 {attempts} 次）：{body}")]
    Http { status: u16, attempts: u32, body: String },
    #[error("AI 评估运行失败：{0}")]
    Runtime(String),
    /// The endpoint answered 200 with something that is not a chat completion.
    #[error("服务应答不是有效的 chat/completions 结果：{0}")]
    BadResponse(String),
}

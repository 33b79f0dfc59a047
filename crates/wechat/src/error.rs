//! Errors of the Open API client. Messages are Chinese: they reach evaluators through the
//! collection report. None of them carries the AppSecret or an access token: request URLs
//! (which hold the token) are stripped from transport errors, and the platform's `errmsg`
//! never echoes either.

use crate::Endpoint;

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WechatError {
    #[error("环境变量 {var} 未设置：请在该变量中提供公众号的 AppID 或 AppSecret（不得写入配置文件）")]
    MissingCredentials { var: String },
    #[error("微信接口客户端配置错误：{0}")]
    Config(String),
    /// The per-account daily budget of this client is used up.
    #[error("本账号今日的接口调用已达本系统设定的上限（{budget} 次）：今日停止采集该账号，明日再试")]
    BudgetExhausted { budget: u32 },
    /// 45009: the platform's daily quota of this endpoint is used up.
    #[error("微信接口 {endpoint} 今日调用次数已达平台上限（45009）：今日停止采集该账号，明日再试")]
    QuotaExceeded { endpoint: Endpoint },
    /// 40164: the calling server's IP is not in the account's allow-list.
    #[error("{}", ip_message(.ip.as_deref(), .errmsg))]
    IpNotAllowed { endpoint: Endpoint, ip: Option<String>, errmsg: String },
    /// 48001: the account has no permission for this endpoint; the caller reports the
    /// indicator that needs it as not evaluated, with this message as the reason.
    #[error("未评估：该公众号未获得 {} 接口权限（48001）", .endpoint.family())]
    Unauthorized { endpoint: Endpoint },
    /// 40001, 40014, 42001: the access token is invalid or expired. The client refreshes the
    /// token and retries once; this error reaches callers only when the retry fails too.
    #[error("微信接口 {endpoint} 拒绝了 access_token（{errcode}：{errmsg}），刷新后重试仍被拒绝")]
    TokenRejected { endpoint: Endpoint, errcode: i64, errmsg: String },
    #[error("微信接口 {endpoint} 返回错误 {errcode}：{errmsg}")]
    Api { endpoint: Endpoint, errcode: i64, errmsg: String },
    #[error("微信接口 {endpoint} 返回 HTTP {status}")]
    Http { endpoint: Endpoint, status: u16 },
    #[error("请求微信接口 {endpoint} 失败：{message}")]
    Transport { endpoint: Endpoint, message: String },
    #[error("微信接口 {endpoint} 的应答无法解析：{message}")]
    BadResponse { endpoint: Endpoint, message: String },
}

impl WechatError {
    /// True when no further call for this account can succeed today (quota or budget used up,
    /// IP not allowed, no usable token): the caller stops the account and says why.
    pub fn stops_account(&self) -> bool {
        match self {
            WechatError::MissingCredentials { .. }
            | WechatError::Config(_)
            | WechatError::BudgetExhausted { .. }
            | WechatError::QuotaExceeded { .. }
            | WechatError::IpNotAllowed { .. }
            | WechatError::TokenRejected { .. } => true,
            WechatError::Api { endpoint, .. }
            | WechatError::Http { endpoint, .. }
            | WechatError::Transport { endpoint, .. }
            | WechatError::BadResponse { endpoint, .. } => *endpoint == Endpoint::StableToken,
            WechatError::Unauthorized { .. } => false,
        }
    }

    /// The "未评估：…" reason of a 48001, for the indicator that needed the endpoint.
    pub fn not_evaluated_reason(&self) -> Option<String> {
        matches!(self, WechatError::Unauthorized { .. }).then(|| self.to_string())
    }
}

fn ip_message(ip: Option<&str>, errmsg: &str) -> String {
    match ip {
        Some(ip) => format!(
            "本服务器的出口 IP {ip} 不在该公众号的 IP 白名单中（40164）：请在微信公众平台的“IP白名单”中加入 {ip} 后重试"
        ),
        None => format!(
            "本服务器的出口 IP 不在该公众号的 IP 白名单中（40164）：平台消息中未能读出 IP（{errmsg}），请在微信公众平台的“IP白名单”中加入本服务器的出口 IP 后重试"
        ),
    }
}

/// The IPv4 (or, failing that, IPv6) address a 40164 names: `invalid ip 1.2.3.4 ipv6
/// ::ffff:1.2.3.4, not in whitelist rid: …`.
pub(crate) fn ip_of_40164(errmsg: &str) -> Option<String> {
    let word_after = |marker: &str| {
        let at = errmsg.find(marker)? + marker.len();
        let word: String =
            errmsg[at..].trim_start().chars().take_while(|c| !c.is_whitespace() && *c != ',').collect();
        word.parse::<std::net::IpAddr>().is_ok().then_some(word)
    };
    word_after("invalid ip").or_else(|| word_after("ipv6"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ip_of_a_40164_is_read_from_errmsg() {
        let msg = "invalid ip 1.2.3.4 ipv6 ::ffff:1.2.3.4, not in whitelist rid: 6612f1e2-1b2c3d4e";
        assert_eq!(ip_of_40164(msg).as_deref(), Some("1.2.3.4"));
        assert_eq!(
            ip_of_40164("invalid ip  ipv6 240e:3a1::1, not in whitelist").as_deref(),
            Some("240e:3a1::1")
        );
        assert_eq!(ip_of_40164("not in whitelist"), None);
        let e = WechatError::IpNotAllowed {
            endpoint: Endpoint::StableToken,
            ip: ip_of_40164(msg),
            errmsg: msg.into(),
        };
        assert!(e.to_string().contains("IP 1.2.3.4 不在") && e.to_string().contains("加入 1.2.3.4"), "{e}");
    }

    #[test]
    fn unauthorized_reads_as_not_evaluated() {
        let e = WechatError::Unauthorized { endpoint: Endpoint::FreepublishBatchget };
        assert_eq!(e.not_evaluated_reason().unwrap(), "未评估：该公众号未获得 freepublish 接口权限（48001）");
        assert!(!e.stops_account());
        assert!(WechatError::QuotaExceeded { endpoint: Endpoint::CommentList }.stops_account());
    }
}

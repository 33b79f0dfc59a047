//! The one place where a response body becomes a value or an error: UTF-8 decoding, mojibake
//! repair, and the platform's `errcode` envelope.

use serde_json::Value;

use crate::error::ip_of_40164;
use crate::{Endpoint, WechatError, mojibake};

/// The `errcode`s meaning the access token is invalid (40001, 40014) or expired (42001).
pub(crate) const TOKEN_CODES: [i64; 3] = [40001, 40014, 42001];

/// Decodes a 200 body and checks its envelope. Successful answers either carry
/// `errcode: 0` or no `errcode` at all (the list endpoints).
pub(crate) fn open(endpoint: Endpoint, body: &[u8]) -> Result<Value, WechatError> {
    let bad = |message: String| WechatError::BadResponse { endpoint, message };
    let text = std::str::from_utf8(body).map_err(|e| bad(format!("应答不是有效的 UTF-8（{e}）")))?;
    // serde_json's messages name a position and a type, never the text of a value.
    let mut value: Value = serde_json::from_str(text).map_err(|e| bad(format!("应答不是 JSON（{e}）")))?;
    let repaired = mojibake::repair_json(&mut value);
    if repaired > 0 {
        tracing::warn!(%endpoint, repaired, "repaired strings whose UTF-8 had been read as Latin-1");
    }
    check(endpoint, value)
}

/// Classifies a non-zero `errcode`.
fn check(endpoint: Endpoint, value: Value) -> Result<Value, WechatError> {
    let Some(errcode) = value.get("errcode").and_then(Value::as_i64).filter(|&c| c != 0) else {
        return Ok(value);
    };
    let errmsg = value.get("errmsg").and_then(Value::as_str).unwrap_or_default().to_owned();
    Err(match errcode {
        c if TOKEN_CODES.contains(&c) => WechatError::TokenRejected { endpoint, errcode, errmsg },
        45009 => WechatError::QuotaExceeded { endpoint },
        40164 => WechatError::IpNotAllowed { endpoint, ip: ip_of_40164(&errmsg), errmsg },
        48001 => WechatError::Unauthorized { endpoint },
        _ => WechatError::Api { endpoint, errcode, errmsg },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open_json(body: &str) -> Result<Value, WechatError> {
        open(Endpoint::FreepublishBatchget, body.as_bytes())
    }

    #[test]
    fn codes_are_classified() {
        assert!(open_json(r#"{"errcode":0,"errmsg":"ok","x":1}"#).is_ok());
        assert_eq!(open_json(r#"{"item":[],"total_count":0}"#).unwrap()["total_count"], 0);
        for code in TOKEN_CODES {
            let body = format!(r#"{{"errcode":{code},"errmsg":"invalid credential"}}"#);
            assert!(
                matches!(open_json(&body), Err(WechatError::TokenRejected { errcode, .. }) if errcode == code)
            );
        }
        assert!(matches!(
            open_json(r#"{"errcode":45009,"errmsg":"reach max api daily quota limit"}"#),
            Err(WechatError::QuotaExceeded { .. })
        ));
        assert!(matches!(
            open_json(r#"{"errcode":48001,"errmsg":"api unauthorized"}"#),
            Err(WechatError::Unauthorized { .. })
        ));
        let other = open_json(r#"{"errcode":61501,"errmsg":"date range error"}"#).unwrap_err();
        assert_eq!(
            other.to_string(),
            "微信接口 cgi-bin/freepublish/batchget 返回错误 61501：date range error"
        );
    }

    #[test]
    fn bodies_that_are_not_json_are_reported() {
        let e = open(Endpoint::MenuGet, b"\xff\xfe").unwrap_err();
        assert!(e.to_string().contains("UTF-8"), "{e}");
        assert!(open_json("<html>").unwrap_err().to_string().contains("不是 JSON"));
    }
}

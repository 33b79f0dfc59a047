//! The platforms' signing schemes against fixed vectors computed independently (Python's
//! hmac/hashlib/base64/urllib, not this crate):
//!
//! ```text
//! 钉钉:    base64(HMAC-SHA256(key=secret, msg=f"{ts_ms}\n{secret}")), then quote_plus
//! 飞书:    base64(HMAC-SHA256(key=f"{ts_s}\n{secret}", msg=b""))
//! webhook: "sha256=" + hex(HMAC-SHA256(key=secret, msg=f"{ts_s}." + body))
//! ```

use govmedia_notify::sinks::{dingtalk, feishu, webhook};

const DING_SECRET: &str = "SEC7f3c1a9e0b5d4c2a8e6f1d3b9a7c5e2f4d6b8a0c1e3f5a7b9d2c4e6f8a0b1c3d";

#[test]
fn dingtalk_signature_and_its_url_encoding() {
    assert_eq!(
        dingtalk::sign(DING_SECRET, 1_700_000_000_000),
        "+VBUulJysgb1momBsBpkBDhOwRIbDJXuNEPl9qjTobw="
    );
    let base = reqwest::Url::parse("https://oapi.dingtalk.com/robot/send?access_token=abc").unwrap();
    let url = dingtalk::signed_url(&base, DING_SECRET, 1_700_000_000_000);
    assert_eq!(
        url.as_str(),
        "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000\
         &sign=%2BVBUulJysgb1momBsBpkBDhOwRIbDJXuNEPl9qjTobw%3D"
    );
}

#[test]
fn feishu_signature_keys_hmac_with_timestamp_and_secret() {
    assert_eq!(
        feishu::sign("AbCdEfGhIjKlMnOpQrStUv", 1_700_000_000),
        "f+lWXYD8kUfJ/ZGi8+vfRB4ZG/0Un8ytATvG1pORXcU="
    );
}

#[test]
fn webhook_signature_covers_timestamp_and_body() {
    let body = br#"{"alerts":[],"digest":false,"idempotency_key":"gm-1"}"#;
    assert_eq!(
        webhook::signature("webhook-secret-1", 1_700_000_000, body),
        "sha256=39e37eba4062d965a912c5f04ab22956bcd0f41d3e4eeeb20ddcb16c1a9632c2"
    );
}

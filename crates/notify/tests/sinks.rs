//! Each sink against a fake receiver on 127.0.0.1 that checks the platform's format and
//! signature the way the platform does, and answers with the platform's envelopes.

mod common;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::Utc;
use common::{FakeHttp, FakeSmtp, Seen, ok_errcode};
use govmedia_model::Severity;
use govmedia_notify::render::Message;
use govmedia_notify::sinks::{self, Sink};
use govmedia_notify::{Alert, Change, ConditionKey, Detail, Routing, Subject};
use hmac::{Hmac, Mac};
use sha2::Sha256;

fn alert() -> Alert {
    let condition = ConditionKey {
        rule: "link.broken".into(),
        account: "gh_gz".into(),
        object: "https://x.gov.cn/a".into(),
    };
    Alert {
        idempotency_key: Alert::key_for(&condition, 1),
        change: Change::Raised,
        condition,
        stage: 0,
        title: "链接无法访问".into(),
        severity: Severity::Major,
        subject: Subject::Account {
            id: "gh_gz".into(),
            name: "广州市人民政府".into(),
            owner: "广州市人民政府办公厅".into(),
            region: Some("440100".into()),
        },
        message: "菜单“办事服务/社保查询”链接无法访问（HTTP 404）".into(),
        details: vec![Detail { label: "链接".into(), value: "https://x.gov.cn/a".into() }],
        detected_at: Utc::now(),
    }
}

fn sink(toml: &str) -> Box<dyn Sink> {
    let routing = Routing::parse(toml, "test.toml", &|_| None).unwrap();
    sinks::build(&routing.sinks()[0], &sinks::http_client().unwrap()).unwrap()
}

fn hmac(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).unwrap();
    m.update(msg);
    m.finalize().into_bytes().to_vec()
}

/// 钉钉's check: the sign parameter must be base64(HMAC(secret, "{timestamp}\n{secret}")).
fn dingtalk_receiver(secret: &'static str) -> FakeHttp {
    FakeHttp::start(move |s: &Seen| {
        let ts = s.query("timestamp").unwrap_or_default();
        let expected = STANDARD.encode(hmac(secret.as_bytes(), format!("{ts}\n{secret}").as_bytes()));
        if s.query("sign").as_deref() != Some(expected.as_str()) {
            return (200, r#"{"errcode":310000,"errmsg":"sign not match"}"#.into());
        }
        ok_errcode()
    })
}

#[tokio::test]
async fn wecom_posts_markdown_and_fails_on_an_error_envelope() {
    let fake = FakeHttp::start(|s: &Seen| {
        if s.json()["markdown"]["content"].as_str().unwrap().contains("广州") {
            ok_errcode()
        } else {
            (200, r#"{"errcode":45009,"errmsg":"api freq out of limit"}"#.into())
        }
    });
    let sink = sink(&format!(
        "[[sink]]\nid = \"w\"\nkind = \"wecom\"\nurl = \"{}/cgi-bin/webhook/send?key=k1\"\n",
        fake.base
    ));
    let a = alert();
    sink.send(&Message::single(a.clone()), Utc::now()).await.unwrap();
    let seen = fake.seen();
    assert_eq!(seen[0].path_and_query, "/cgi-bin/webhook/send?key=k1");
    let body = seen[0].json();
    assert_eq!(body["msgtype"], "markdown");
    let content = body["markdown"]["content"].as_str().unwrap();
    assert!(
        content.starts_with("### 【严重】链接无法访问｜广州市人民政府\n**账号**：广州市人民政府（gh_gz）"),
        "{content}"
    );
    assert!(content.contains(&a.idempotency_key));

    let mut other = a;
    other.subject = Subject::Source { id: "s1".into(), name: "采集源一".into() };
    let err = sink.send(&Message::single(other), Utc::now()).await.unwrap_err();
    assert_eq!(err.0, "企业微信返回错误 errcode=45009：api freq out of limit");
}

#[tokio::test]
async fn dingtalk_signs_timestamp_and_secret_in_the_query() {
    let fake = dingtalk_receiver("SECgood");
    let url = format!("{}/robot/send?access_token=t1", fake.base);
    let good =
        sink(&format!("[[sink]]\nid = \"d\"\nkind = \"dingtalk\"\nurl = \"{url}\"\nsecret = \"SECgood\"\n"));
    let now = Utc::now();
    good.send(&Message::single(alert()), now).await.unwrap();
    let seen = fake.seen();
    assert_eq!(seen[0].query("access_token").as_deref(), Some("t1"));
    assert_eq!(seen[0].query("timestamp"), Some(now.timestamp_millis().to_string()));
    // URL-encoded as the platform's examples encode it: no raw + / = in the query.
    let raw = seen[0].raw_query("sign").unwrap();
    assert!(!raw.contains(['+', '/', '=']), "{raw}");
    let body = seen[0].json();
    assert_eq!(body["msgtype"], "markdown");
    assert_eq!(body["markdown"]["title"], "【严重】链接无法访问｜广州市人民政府");
    assert!(body["markdown"]["text"].as_str().unwrap().contains("\n\n**主办单位**：广州市人民政府办公厅"));

    let bad =
        sink(&format!("[[sink]]\nid = \"d\"\nkind = \"dingtalk\"\nurl = \"{url}\"\nsecret = \"SECwrong\"\n"));
    let err = bad.send(&Message::single(alert()), now).await.unwrap_err();
    assert_eq!(err.0, "钉钉返回错误 errcode=310000：sign not match");
}

#[tokio::test]
async fn feishu_signs_in_the_body_with_the_timestamp_in_the_key() {
    let secret = "fs-secret";
    let fake = FakeHttp::start(move |s: &Seen| {
        let body = s.json();
        let ts = body["timestamp"].as_str().unwrap_or_default().to_owned();
        let expected = STANDARD.encode(hmac(format!("{ts}\n{secret}").as_bytes(), b""));
        if body["sign"].as_str() != Some(expected.as_str()) {
            return (200, r#"{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time","data":{}}"#.into());
        }
        (200, r#"{"code":0,"msg":"success","data":{}}"#.into())
    });
    let url = format!("{}/open-apis/bot/v2/hook/h1", fake.base);
    let good =
        sink(&format!("[[sink]]\nid = \"f\"\nkind = \"feishu\"\nurl = \"{url}\"\nsecret = \"{secret}\"\n"));
    let now = Utc::now();
    good.send(&Message::single(alert()), now).await.unwrap();
    let body = fake.seen()[0].json();
    assert_eq!(body["timestamp"], now.timestamp().to_string());
    assert_eq!(body["msg_type"], "interactive");
    assert_eq!(body["card"]["header"]["title"]["content"], "【严重】链接无法访问｜广州市人民政府");
    assert_eq!(body["card"]["header"]["template"], "red");
    assert_eq!(body["card"]["elements"][0]["text"]["tag"], "lark_md");

    let bad =
        sink(&format!("[[sink]]\nid = \"f\"\nkind = \"feishu\"\nurl = \"{url}\"\nsecret = \"other\"\n"));
    let err = bad.send(&Message::single(alert()), now).await.unwrap_err();
    assert!(err.0.starts_with("飞书返回错误 code=19021"), "{}", err.0);
}

#[tokio::test]
async fn webhook_sends_the_alert_json_with_key_and_signature_header() {
    let secret = "wh-secret";
    let fake = FakeHttp::start(move |s: &Seen| {
        let ts = s.headers.get("x-govmedia-timestamp").cloned().unwrap_or_default();
        let mut msg = format!("{ts}.").into_bytes();
        msg.extend_from_slice(&s.body);
        let hex: String = hmac(secret.as_bytes(), &msg).iter().map(|b| format!("{b:02x}")).collect();
        if s.headers.get("x-govmedia-signature") != Some(&format!("sha256={hex}")) {
            return (401, r#"{"error":"bad signature"}"#.into());
        }
        (204, String::new())
    });
    let url = format!("{}/hooks/govmedia", fake.base);
    let good =
        sink(&format!("[[sink]]\nid = \"h\"\nkind = \"webhook\"\nurl = \"{url}\"\nsecret = \"{secret}\"\n"));
    let a = alert();
    good.send(&Message::single(a.clone()), Utc::now()).await.unwrap();
    let seen = &fake.seen()[0];
    assert_eq!(seen.headers["idempotency-key"], a.idempotency_key);
    let body = seen.json();
    assert_eq!(body["idempotency_key"], a.idempotency_key);
    assert_eq!(body["digest"], false);
    let back: Alert = serde_json::from_value(body["alerts"][0].clone()).unwrap();
    assert_eq!(back, a);

    let bad =
        sink(&format!("[[sink]]\nid = \"h\"\nkind = \"webhook\"\nurl = \"{url}\"\nsecret = \"nope\"\n"));
    let err = bad.send(&Message::single(a), Utc::now()).await.unwrap_err();
    assert!(err.0.starts_with("Webhook 返回 HTTP 401"), "{}", err.0);
}

#[tokio::test]
async fn email_goes_over_smtp_with_chinese_text_intact() {
    let smtp = FakeSmtp::start();
    let sink = sink(&format!(
        "[[sink]]\nid = \"m\"\nkind = \"email\"\n[sink.smtp]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"\n\
         from = \"政务新媒体监测 <alert@example.gov.cn>\"\nto = [\"office@example.gov.cn\", \"duty@example.gov.cn\"]\n",
        smtp.port
    ));
    let a = alert();
    sink.send(&Message::single(a.clone()), Utc::now()).await.unwrap();
    let data = smtp.messages.lock().unwrap()[0].clone();
    let (headers, body) = data.split_once("\r\n\r\n").unwrap();
    assert!(headers.contains("To: office@example.gov.cn, duty@example.gov.cn"), "{headers}");
    assert!(headers.contains("Content-Transfer-Encoding: base64"), "{headers}");
    let text = String::from_utf8(STANDARD.decode(body.replace("\r\n", "")).unwrap()).unwrap();
    // SMTP carries CRLF line ends.
    let text = text.replace("\r\n", "\n");
    assert!(
        text.starts_with("【严重】链接无法访问｜广州市人民政府\n\n账号：广州市人民政府（gh_gz）\n"),
        "{text}"
    );
    assert!(text.contains(&format!("告警编号：{}", a.idempotency_key)));
}

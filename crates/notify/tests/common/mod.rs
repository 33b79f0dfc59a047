//! Loopback fakes for the tests: an HTTP receiver standing in for the robots and webhooks
//! (real HTTP via hyper, answers chosen per request, every request recorded), a minimal SMTP
//! responder, and builders for evaluation results.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use govmedia_model::results::{AccountResult, Results};
use govmedia_model::{Finding, FindingCode, Level, Period, Severity};
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

/// One request the fake received.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path_and_query: String,
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }

    /// A query parameter, percent-decoded.
    pub fn query(&self, name: &str) -> Option<String> {
        let url = reqwest::Url::parse(&format!("http://x{}", self.path_and_query)).unwrap();
        url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
    }

    /// The raw (still encoded) query parameter.
    pub fn raw_query(&self, name: &str) -> Option<String> {
        let q = self.path_and_query.split_once('?')?.1;
        q.split('&').find_map(|p| p.strip_prefix(&format!("{name}=")).map(str::to_owned))
    }
}

pub type Handler = Arc<dyn Fn(&Seen) -> (u16, String) + Send + Sync>;

pub struct FakeHttp {
    pub base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    rt: Option<tokio::runtime::Runtime>,
}

impl FakeHttp {
    /// Serves on 127.0.0.1 on its own runtime, so sync and async tests can both use it.
    pub fn start(handler: impl Fn(&Seen) -> (u16, String) + Send + Sync + 'static) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let handler: Handler = Arc::new(handler);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let st = seen.clone();
        rt.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let (st, handler) = (st.clone(), handler.clone());
                tokio::spawn(async move {
                    let service = service_fn(move |req| handle(st.clone(), handler.clone(), req));
                    let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                });
            }
        });
        FakeHttp { base: format!("http://{addr}"), seen, rt: Some(rt) }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for FakeHttp {
    fn drop(&mut self) {
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

async fn handle(
    seen: Arc<Mutex<Vec<Seen>>>,
    handler: Handler,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let path_and_query = req.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
    let headers = req
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
        .collect();
    let body = req.into_body().collect().await.map(|b| b.to_bytes().to_vec()).unwrap_or_default();
    let s = Seen { path_and_query, headers, body };
    let (status, answer) = handler(&s);
    seen.lock().unwrap().push(s);
    let resp = Response::builder().status(status).header("content-type", "application/json");
    Ok(resp.body(Full::new(Bytes::from(answer))).unwrap())
}

pub fn ok_errcode() -> (u16, String) {
    (200, r#"{"errcode":0,"errmsg":"ok"}"#.to_owned())
}

/// A minimal SMTP responder on 127.0.0.1: accepts every command, records each message's DATA.
pub struct FakeSmtp {
    pub port: u16,
    pub messages: Arc<Mutex<Vec<String>>>,
}

impl FakeSmtp {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let messages: Arc<Mutex<Vec<String>>> = Arc::default();
        let store = messages.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut out) = stream else { continue };
                let store = store.clone();
                std::thread::spawn(move || {
                    let mut input = BufReader::new(out.try_clone().unwrap());
                    let _ = out.write_all(b"220 fake.test ESMTP\r\n");
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if input.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        let cmd = line.trim_end().to_ascii_uppercase();
                        let reply: &[u8] = if cmd.starts_with("EHLO") {
                            b"250-fake.test\r\n250 8BITMIME\r\n"
                        } else if cmd == "DATA" {
                            let _ = out.write_all(b"354 end with .\r\n");
                            let mut data = String::new();
                            loop {
                                line.clear();
                                if input.read_line(&mut line).unwrap_or(0) == 0 {
                                    return;
                                }
                                if line == ".\r\n" {
                                    break;
                                }
                                data.push_str(&line);
                            }
                            store.lock().unwrap().push(data);
                            b"250 queued\r\n"
                        } else if cmd == "QUIT" {
                            let _ = out.write_all(b"221 bye\r\n");
                            return;
                        } else {
                            b"250 ok\r\n"
                        };
                        let _ = out.write_all(reply);
                    }
                });
            }
        });
        FakeSmtp { port, messages }
    }
}

pub fn day(n: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 1).unwrap() + chrono::Days::new(u64::from(n))
}

/// An account's result with the given findings.
pub fn account(id: &str, name: &str, region: &str, findings: Vec<Finding>) -> AccountResult {
    AccountResult {
        id: id.into(),
        name: name.into(),
        owner: format!("{name}办公室"),
        level: Level::Prefecture,
        platform: Default::default(),
        region: Some(region.into()),
        field: None,
        score: Some(80.0),
        rank: Some(1),
        not_evaluated: None,
        passed: true,
        vetoes: vec![],
        indicators: Default::default(),
        indices: Default::default(),
        stats: Default::default(),
        findings,
        excellent: false,
    }
}

pub fn results(check: NaiveDate, accounts: Vec<AccountResult>) -> Results {
    Results {
        framework: "ccid-2025".into(),
        framework_version: None,
        survey_name: None,
        period: Period { from: check - chrono::Days::new(90), to: check - chrono::Days::new(1) },
        check_date: check,
        generated_at: format!("{check}T01:00:00Z"),
        govmedia_version: "test".into(),
        generated_data: true,
        accounts,
        articles: vec![],
        not_evaluated: vec![],
        units: vec![],
        statistics: Default::default(),
    }
}

/// The findings of an account silent for `days` days on `check`, as the timeliness check
/// makes them (warning from day 10, escalated from day 12, veto after 14, dormant from 90).
pub fn silence(check: NaiveDate, days: i64) -> Vec<Finding> {
    let last = check - chrono::Days::new(days as u64);
    let mut out = Vec::new();
    if (10..=14).contains(&days) {
        let veto_date = last + chrono::Days::new(15);
        let severity = if days >= 12 { Severity::Major } else { Severity::Minor };
        out.push(
            Finding::new(FindingCode::UpdateStaleWarning, severity, format!("已{days}天未发布新内容"))
                .with("last_published", last.to_string())
                .with("days_since_last", days)
                .with("threshold_days", if days >= 12 { 12 } else { 10 })
                .with("veto_date", veto_date.to_string())
                .with("days_left", (veto_date - check).num_days())
                .with("working_days_left", (veto_date - check).num_days() - 1),
        );
    }
    if days > 14 {
        out.push(
            Finding::new(FindingCode::UpdateStale14d, Severity::Veto, "两周未更新")
                .with("last_published", last.to_string())
                .with("days_since_last", days),
        );
    }
    if days >= 90 {
        out.push(
            Finding::new(FindingCode::UpdateDormant, Severity::Major, "睡眠账号")
                .with("days_since_last", days),
        );
    }
    out
}

pub fn broken_link(url: &str) -> Finding {
    Finding::new(FindingCode::LinkBroken, Severity::Major, "菜单“办事服务/社保查询”链接无法访问（HTTP 404）")
        .with("url", url)
        .with("menu_path", "办事服务/社保查询")
        .with("status", 404)
}

pub fn unanswered(count: u64) -> Finding {
    Finding::new(
        FindingCode::InteractionUnanswered,
        Severity::Minor,
        format!("{count}条有效留言超过3个工作日未回复"),
    )
    .with("url", "https://mp.weixin.qq.com/s/comment")
    .with("count", count)
    .with("valid_comments", count + 5)
}

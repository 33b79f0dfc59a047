//! A fake OpenAI-compatible `/chat/completions` server on 127.0.0.1 for tests and benches:
//! real HTTP (hyper), answers chosen per request by a handler, every request counted.

#![allow(dead_code)]

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};

/// What the server saw.
#[derive(Debug, Clone)]
pub struct Seen {
    /// 0-based over the server's life.
    pub n: usize,
    pub body: Value,
    pub authorization: Option<String>,
}

impl Seen {
    pub fn system(&self) -> &str {
        self.body["messages"][0]["content"].as_str().unwrap_or("")
    }
    pub fn last_user(&self) -> &str {
        self.body["messages"]
            .as_array()
            .and_then(|m| m.last())
            .and_then(|m| m["content"].as_str())
            .unwrap_or("")
    }
    pub fn first_user(&self) -> &str {
        self.body["messages"][1]["content"].as_str().unwrap_or("")
    }
    pub fn is_repair(&self) -> bool {
        self.body["messages"].as_array().is_some_and(|m| m.len() > 2)
    }
}

/// A canned answer.
#[derive(Debug, Clone)]
pub struct Canned {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
    pub delay: Duration,
}

impl Canned {
    /// A completion whose message content is `content`.
    pub fn answer(content: &str) -> Self {
        Self::answer_with(content, "stop")
    }

    pub fn answer_with(content: &str, finish_reason: &str) -> Self {
        let body = json!({
            "id": "chatcmpl-test", "object": "chat.completion", "model": "deepseek-chat",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish_reason}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}
        });
        Canned { status: 200, headers: vec![], body: body.to_string(), delay: Duration::ZERO }
    }

    pub fn status(status: u16) -> Self {
        Canned {
            status,
            headers: vec![],
            body: json!({"error": {"message": "busy"}}).to_string(),
            delay: Duration::ZERO,
        }
    }

    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }

    pub fn delayed(mut self, d: Duration) -> Self {
        self.delay = d;
        self
    }
}

pub type Handler = Arc<dyn Fn(&Seen) -> Canned + Send + Sync>;

struct State {
    handler: Handler,
    hits: AtomicUsize,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    seen: Mutex<Vec<Seen>>,
}

pub struct FakeServer {
    /// Base URL to put in a profile (`http://127.0.0.1:PORT/v1`).
    pub url: String,
    state: Arc<State>,
    rt: Option<tokio::runtime::Runtime>,
}

impl FakeServer {
    /// Starts on its own runtime, so sync and async tests can both use it.
    pub fn start(handler: impl Fn(&Seen) -> Canned + Send + Sync + 'static) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let state = Arc::new(State {
            handler: Arc::new(handler),
            hits: AtomicUsize::new(0),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
            seen: Mutex::new(Vec::new()),
        });
        // Bound here, served on the runtime: `block_on` is not allowed inside async tests.
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        std_listener.set_nonblocking(true).unwrap();
        let addr = std_listener.local_addr().unwrap();
        let st = state.clone();
        rt.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(std_listener).unwrap();
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let st = st.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| handle(st.clone(), req));
                    let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                });
            }
        });
        FakeServer { url: format!("http://{addr}/v1"), state, rt: Some(rt) }
    }

    /// A server answering every task correctly (see [`smart`]).
    pub fn smart() -> Self {
        Self::start(|s| Canned::answer(&smart(s)))
    }

    pub fn hits(&self) -> usize {
        self.state.hits.load(Ordering::SeqCst)
    }

    pub fn max_in_flight(&self) -> usize {
        self.state.max_in_flight.load(Ordering::SeqCst)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.state.seen.lock().unwrap().clone()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

async fn handle(st: Arc<State>, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let authorization = req.headers().get("authorization").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let bytes = req.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
    let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let n = st.hits.fetch_add(1, Ordering::SeqCst);
    let now = st.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    st.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let seen = Seen { n, body, authorization };
    st.seen.lock().unwrap().push(seen.clone());
    let canned = (st.handler)(&seen);
    if !canned.delay.is_zero() {
        tokio::time::sleep(canned.delay).await;
    }
    st.in_flight.fetch_sub(1, Ordering::SeqCst);
    let mut resp = Response::builder().status(canned.status).header("content-type", "application/json");
    for (k, v) in &canned.headers {
        resp = resp.header(*k, v);
    }
    Ok(resp.body(Full::new(Bytes::from(canned.body))).unwrap())
}

/// The article body in a request (after `正文：`).
pub fn body_of(s: &Seen) -> String {
    let user = s.first_user();
    user.split_once("正文：\n").map(|(_, b)| b.to_owned()).unwrap_or_default()
}

/// A valid answer for whichever task the request is: categories by keyword, a fixed quality,
/// a review quoting the body's first four characters when the body contains “错误”.
pub fn smart(s: &Seen) -> String {
    let system = s.system();
    let user = s.first_user();
    if system.contains("判断政务微信公众号文章的类别") {
        let category = if user.contains("办理") { "政务服务" } else { "新闻活动" };
        json!({"category": category, "confidence": 0.8, "reason": "关键词"}).to_string()
    } else if system.contains("四个维度") {
        json!({"original_insight": 6, "readability": 8, "usefulness": 7, "correct_wording": 9, "rationale": "结构清晰"})
            .to_string()
    } else if system.contains("审读政务文章") {
        let body = body_of(s);
        let issues: Vec<Value> = if body.contains("错误") {
            let quote: String = body.chars().take(4).collect();
            vec![
                json!({"kind": "political_wording", "quote": quote, "suggestion": "核对提法", "severity": "major"}),
            ]
        } else {
            vec![]
        };
        json!({"issues": issues}).to_string()
    } else if system.contains("回复质量") {
        if user.contains("请咨询相关部门") {
            json!({"score": 2, "problems": ["答非所问", "生硬冷漠"], "reason": "推诿"}).to_string()
        } else {
            json!({"score": 9, "problems": [], "reason": "具体"}).to_string()
        }
    } else if system.contains("重大事件") {
        let article = user.split_once("文章标题：").map_or("", |(_, a)| a);
        let relevant = article.contains("防汛");
        // Complete when the article says what readers should do, else a bare report.
        let completeness = if !relevant {
            0
        } else if article.contains("转移") {
            9
        } else {
            3
        };
        json!({"relevant": relevant, "completeness": completeness, "confidence": 0.9, "reason": "主题"})
            .to_string()
    } else {
        "{}".to_owned()
    }
}

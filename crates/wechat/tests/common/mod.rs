//! A fake Open API on 127.0.0.1 for tests: real HTTP (hyper), answers chosen per request by a
//! handler, every request recorded. Response shapes are replayed from the shared fixtures
//! (wechatpy's test fixtures, MIT; real responses recorded by others), read at test time from
//! `shared/data/wechat/api-fixtures`, never copied. Endpoints without a fixture
//! (getarticletotaldetail, getbizsummary, comment/list) answer in the shapes of the official
//! documentation pages.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use govmedia_wechat::{Client, ClientConfig, Credentials, MemoryTokenCache, Secret, TokenCache};
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};

pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/wechat/api-fixtures");

/// A fixture's text (`wechatpy/token.json`, `real-responses/…`).
pub fn fixture(rel: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{rel}")).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

pub fn fixture_json(rel: &str) -> Value {
    serde_json::from_str(&fixture(rel)).unwrap()
}

/// A datacube fixture with every row moved to `date`.
pub fn dated(rel: &str, date: &str) -> Value {
    let mut v = fixture_json(rel);
    for row in v["list"].as_array_mut().unwrap() {
        row["ref_date"] = date.into();
    }
    v
}

/// What the server saw.
#[derive(Debug, Clone)]
pub struct Seen {
    /// 0-based over the server's life.
    pub n: usize,
    pub method: String,
    pub path: String,
    /// The `access_token` of the query string.
    pub token: Option<String>,
    pub body: Value,
}

/// An answer: a body, or a dropped connection.
#[derive(Debug, Clone)]
pub enum Reply {
    Body(Vec<u8>),
    Hangup,
}

impl Reply {
    pub fn json(v: &Value) -> Self {
        Reply::Body(v.to_string().into_bytes())
    }

    pub fn fixture(rel: &str) -> Self {
        Reply::Body(fixture(rel).into_bytes())
    }

    pub fn error(code: i64, msg: &str) -> Self {
        Reply::json(&json!({"errcode": code, "errmsg": msg}))
    }
}

type Handler = Arc<dyn Fn(&Seen) -> Reply + Send + Sync>;

struct State {
    handler: Handler,
    hits: AtomicUsize,
    seen: Mutex<Vec<Seen>>,
}

pub struct FakeServer {
    pub url: String,
    state: Arc<State>,
    rt: Option<tokio::runtime::Runtime>,
}

impl FakeServer {
    /// Starts on a runtime of its own, so the tests' runtime only runs the client.
    pub fn start(handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let state = Arc::new(State {
            handler: Arc::new(handler),
            hits: AtomicUsize::new(0),
            seen: Mutex::new(Vec::new()),
        });
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
        FakeServer { url: format!("http://{addr}"), state, rt: Some(rt) }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.state.seen.lock().unwrap().clone()
    }

    /// Requests to paths ending in `suffix`.
    pub fn calls(&self, suffix: &str) -> Vec<Seen> {
        self.seen().into_iter().filter(|s| s.path.ends_with(suffix)).collect()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

async fn handle(st: Arc<State>, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, std::io::Error> {
    let method = req.method().to_string();
    let path = req.uri().path().to_owned();
    let token = req
        .uri()
        .query()
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("access_token=")))
        .map(str::to_owned);
    let bytes = req.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
    let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let n = st.hits.fetch_add(1, Ordering::SeqCst);
    let seen = Seen { n, method, path, token, body };
    st.seen.lock().unwrap().push(seen.clone());
    match (st.handler)(&seen) {
        Reply::Body(body) => Ok(Response::builder()
            .status(200)
            .header("content-type", "application/json; charset=utf-8")
            .body(Full::new(Bytes::from(body)))
            .unwrap()),
        Reply::Hangup => Err(std::io::Error::other("hang up")),
    }
}

/// The account of the scenario: the one whose real batchget is recorded (2023-11-05).
pub const APPID: &str = "wx5e1f0c2d3b4a6978";
pub const SECRET: &str = "APPSECRET-MUST-NEVER-BE-PRINTED";
pub const ACCOUNT: &str = "gh_zibuyu2015831";
pub const FP_URL: &str = "http://mp.weixin.qq.com/s?__biz=MzkyOTQ5Mjg3OA==&mid=2247483651&idx=1&sn=85a065a12f189227d38ae37687dfeb9b&chksm=c209fbe2f57e72f47264b4dd5fdf6940d8c9a5f5d6ff96510285e4630df053e944f2ccd3ee92#rd";
pub const MASS_URL: &str =
    "http://mp.weixin.qq.com/s?__biz=MzkyOTQ5Mjg3OA==&mid=2247483660&idx=1&sn=0f1e2d3c";

pub fn creds() -> Credentials {
    Credentials::new(APPID, Secret::new(SECRET))
}

pub fn client(server: &FakeServer) -> Client {
    client_with(server, Arc::new(MemoryTokenCache::default()), |_| {})
}

pub fn client_with(
    server: &FakeServer,
    cache: Arc<dyn TokenCache>,
    tune: impl FnOnce(&mut ClientConfig),
) -> Client {
    let mut config = ClientConfig {
        base_url: server.url.clone(),
        timeout: Duration::from_secs(5),
        min_interval: Duration::ZERO,
        daily_budget: 10_000,
        ..ClientConfig::default()
    };
    tune(&mut config);
    Client::new(config, cache).unwrap()
}

pub fn date(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

/// getarticletotaldetail on 2023-11-05: the published article and a mass-sent one that
/// freepublish does not list.
fn article_total_detail(begin: &str) -> Value {
    if begin != "2023-11-05" {
        return json!({"list": [], "is_delay": false});
    }
    let detail = |stat_date: &str, reads: u64, comments: u64| {
        json!({
            "stat_date": stat_date, "read_user": reads,
            "read_user_source": [{"scene_desc": "全部", "user_count": reads}],
            "share_user": 7, "zaikan_user": 3, "like_user": 12, "comment_count": comments,
            "collection_user": 5, "praise_money": 0, "read_subscribe_user": 1
        })
    };
    json!({"list": [
        {"ref_date": "2023-11-05", "msgid": "2247483651_1", "title": "一篇测试图文", "publish_type": 1,
         "content_url": FP_URL, "detail_list": [detail("2023-11-05", 300, 1), detail("2023-11-06", 412, 2)]},
        {"ref_date": "2023-11-05", "msgid": "2247483660_1", "title": "关于做好冬季供暖工作的通知", "publish_type": 0,
         "content_url": MASS_URL, "detail_list": [detail("2023-11-06", 1520, 0)]}
    ], "is_delay": false})
}

fn biz_summary(begin: &str) -> Value {
    json!({"list": [{"ref_date": begin, "detail": {
        "read_user": 1932, "read_user_source": [{"scene_desc": "全部", "user_count": 1932}],
        "share_user": 14, "zaikan_user": 6, "like_user": 24, "comment_count": 2,
        "collection_user": 10, "redirect_ori_page_user": 0, "send_page_count": 2
    }}], "is_delay": false})
}

fn comment_list(body: &Value) -> Value {
    if body["msg_data_id"] != 2_247_483_651_u64 || body["index"] != 0 {
        return json!({"errcode": 0, "errmsg": "ok", "comment": [], "total": 0});
    }
    json!({"errcode": 0, "errmsg": "ok", "total": 2, "comment": [
        {"user_comment_id": 1, "openid": "oUSER-OPENID-1", "create_time": 1699160000, "content": "请问供暖何时开始？",
         "comment_type": 1, "reply": {"content": "11月15日起供暖。", "create_time": 1699163600}},
        {"user_comment_id": 2, "openid": "oUSER-OPENID-2", "create_time": 1699170000, "content": "收到", "comment_type": 0}
    ]})
}

/// Answers every endpoint as a healthy account would.
pub fn healthy(s: &Seen) -> Reply {
    let begin = s.body["begin_date"].as_str().unwrap_or_default();
    match s.path.as_str() {
        "/cgi-bin/stable_token" => Reply::fixture("wechatpy/token.json"),
        "/cgi-bin/get_current_selfmenu_info" => Reply::fixture("wechatpy/get_current_selfmenu_info.json"),
        "/cgi-bin/menu/get" => Reply::fixture("wechatpy/menu_get.json"),
        "/cgi-bin/freepublish/batchget" => {
            Reply::fixture("real-responses/freepublish_batchget.zibuyu2015831.TRANSCRIBED.json")
        }
        "/datacube/getarticletotaldetail" => Reply::json(&article_total_detail(begin)),
        "/datacube/getusersummary" => Reply::json(&dated("wechatpy/datacube_getusersummary.json", begin)),
        "/datacube/getusercumulate" => Reply::json(&dated("wechatpy/datacube_getusercumulate.json", begin)),
        "/datacube/getbizsummary" => Reply::json(&biz_summary(begin)),
        "/cgi-bin/comment/list" => Reply::json(&comment_list(&s.body)),
        other => Reply::error(-1, &format!("unexpected path {other}")),
    }
}

//! A fixture web server on 127.0.0.1 (real HTTP over TCP) and survey builders for the tests
//! and benchmarks.
#![allow(dead_code)] // each test binary uses part of this module

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::NaiveDate;
pub use govmedia_checks::SurveyData as Data;
use govmedia_checks::{AccountData, Survey};
use govmedia_model::{Account, Article, MenuSnapshot, Period};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

pub const WECHAT_DIR: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/wechat/article-pages");

pub const ADAPTED: &str = r#"<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>社保查询</title>
<style>body{margin:0;font:16px/1.6 sans-serif}a.btn{display:block;padding:12px 16px;margin:8px;border:1px solid #ccc}</style>
</head><body><h1>社保查询服务指南</h1>
<p>本页面提供社会保险缴费查询、参保证明打印等服务的办理指南。办理时请携带本人有效身份证件，到就近的社保经办窗口办理，也可以通过网上服务大厅自助查询。</p>
<a class="btn" href="/guide/1">参保证明打印</a><a class="btn" href="/guide/2">缴费记录查询</a><a class="btn" href="/guide/3">待遇资格认证</a>
</body></html>"#;

pub const DESKTOP_ONLY: &str = r#"<!doctype html><html><head><meta charset="utf-8"><title>政务公开</title>
<style>body{font:11px SimSun,serif}table{width:1200px}a{font-size:11px}</style></head><body>
<table><tr><td>政府信息公开目录 政府信息公开指南 政府信息公开制度 法定主动公开内容 政府信息公开年报 依申请公开 政策解读 规范性文件</td></tr>
<tr><td><a href="/a">通知公告</a> <a href="/b">人事信息</a> <a href="/c">财政资金</a> <a href="/d">规划计划</a> <a href="/e">统计信息</a></td></tr></table>
</body></html>"#;

pub const LOGIN_FORM: &str = r#"<!doctype html><html><head><meta name="viewport" content="width=device-width"><title>统一身份认证平台</title></head>
<body><form method="post"><label>用户名<input name="u"></label><label>密码<input type="password" name="p"></label><button>登录</button></form></body></html>"#;

pub const APP_WALL: &str = r#"<!doctype html><html><head><meta name="viewport" content="width=device-width"><title>下载客户端</title></head>
<body><h2>该服务仅支持在APP中办理，请下载APP</h2><a href="https://apps.apple.com/cn/app/id000">App Store</a><a href="/dl/gov.apk">安卓下载</a></body></html>"#;

pub const SOFT_404: &str = r#"<!doctype html><html><head><title>提示信息</title></head><body><div class="box">抱歉，您访问的页面不存在或已删除！</div><a href="/">返回首页</a></body></html>"#;

/// A long page that mentions a deletion in passing: not a soft 404.
pub const MENTIONS_DELETED: &str = r#"<!doctype html><html><head><meta name="viewport" content="width=device-width"><title>关于清理过期信息的说明</title></head><body><p>为提高信息质量，我局近期对网站历史栏目进行了集中清理，部分过期的公告已删除，相关政策文件均已迁移至政策文件库栏目，公众可通过站内搜索功能查询。清理工作严格按照政府网站信息内容建设的有关要求开展，确保信息准确、完整、权威。今后我们将定期检查栏目内容，及时更新各类政务信息，欢迎社会各界监督并提出宝贵意见建议。联系电话请见页面底部。</p><p>本次清理共涉及通知公告、工作动态、人事信息等十余个栏目，累计核查信息两千余条，对内容过时、链接失效、表述不规范的信息逐条进行了处理。对于仍具参考价值的历史信息，统一归档至历史信息栏目长期保存，便于公众查阅。</p><p>下一步，我局将建立栏目内容定期巡查机制，明确各科室信息发布和维护责任，确保网站内容常态化更新、准确权威、方便实用。</p></body></html>"#;

/// The shape of WeChat's anti-crawling page (written for the tests, not a saved page).
pub const WECHAT_CAPTCHA: &str = r#"<!DOCTYPE html><html><head><title></title></head><body><div class="weui-msg"><h2 class="weui-msg__title">环境异常</h2><p class="weui-msg__desc">当前环境异常，完成验证后即可继续访问。</p><a class="weui-btn">去验证</a></div></body></html>"#;

struct AppState {
    port: u16,
    flaky: AtomicU64,
    pixel_hits: Arc<AtomicU64>,
}

fn html(body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

async fn wechat(Path(name): Path<String>) -> Response {
    let file = match name.as_str() {
        "deleted" => "deleted-by-author-01.html",
        "violation" => "violation-01.html",
        "unavailable" => "unavailable-01.html",
        "expired" => "article_detail_expired.html",
        "article" => "article-01.html",
        "captcha" => return html(WECHAT_CAPTCHA),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let body = std::fs::read(format!("{WECHAT_DIR}/{file}")).expect("shared WeChat sample page");
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// Routes by path; the Host header does not matter (names map to 127.0.0.1 in the tests).
fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/ok", get(|| async { html(ADAPTED) }))
        .route("/desktop", get(|| async { html(DESKTOP_ONLY) }))
        .route("/long", get(|| async { html(MENTIONS_DELETED) }))
        .route("/404", get(|| async { (StatusCode::NOT_FOUND, "not found") }))
        .route("/500", get(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "oops") }))
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(3)).await;
                html(ADAPTED)
            }),
        )
        .route("/loop/a", get(|| async { Redirect::temporary("/loop/b") }))
        .route("/loop/b", get(|| async { Redirect::temporary("/loop/a") }))
        .route("/moved", get(|| async { Redirect::permanent("/ok") }))
        .route(
            "/script-moved",
            get(|| async { html("<html><script>location.replace('/ok')</script></html>") }),
        )
        .route(
            "/login-redirect",
            get(|State(s): State<Arc<AppState>>| async move {
                Redirect::to(&format!("http://sso.gov.test:{}/cas/login?service=/x", s.port))
            }),
        )
        .route("/cas/login", get(|| async { html(LOGIN_FORM) }))
        .route("/login-form", get(|| async { html(LOGIN_FORM) }))
        .route("/private", get(|| async { (StatusCode::UNAUTHORIZED, "auth") }))
        .route("/app", get(|| async { html(APP_WALL) }))
        .route("/soft404", get(|| async { html(SOFT_404) }))
        .route(
            "/flaky",
            get(|State(s): State<Arc<AppState>>| async move {
                if s.flaky.fetch_add(1, Ordering::SeqCst) == 0 {
                    (StatusCode::SERVICE_UNAVAILABLE, "busy").into_response()
                } else {
                    html(ADAPTED)
                }
            }),
        )
        .route("/s/{name}", get(wechat))
        // A page with a frame from another site whose image names a host nobody resolves
        // (`mobile.rs`).
        .route(
            "/with-frame",
            get(|State(s): State<Arc<AppState>>| async move {
                html_owned(format!(
                    r#"<html><head><meta name="viewport" content="width=device-width"></head>
                    <body><p>框架</p><iframe src="http://www.gov.test:{}/framed"></iframe></body></html>"#,
                    s.port
                ))
            }),
        )
        .route(
            "/framed",
            get(|| async { html(r#"<html><body><img src="http://nowhere.test/pixel"></body></html>"#) }),
        )
        .route(
            "/pixel",
            get(|State(s): State<Arc<AppState>>| async move {
                s.pixel_hits.fetch_add(1, Ordering::SeqCst);
                StatusCode::NO_CONTENT
            }),
        )
        .route(
            "/bench/{n}",
            get(|headers: HeaderMap| async move {
                let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("").to_owned();
                html_owned(format!("<html><head><title>{host}</title></head><body>ok</body></html>"))
            }),
        )
        .with_state(state)
}

fn html_owned(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

pub struct Fixture {
    pub port: u16,
    /// Accepts connections and never answers.
    pub hung_port: u16,
    /// Speaks garbage instead of TLS.
    pub garbage_port: u16,
    /// Requests that reached `/pixel`.
    pub pixel_hits: Arc<AtomicU64>,
}

impl Fixture {
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn named(&self, host: &str, path: &str) -> String {
        format!("http://{host}:{}{path}", self.port)
    }

    /// Names the tests use, all on 127.0.0.1.
    pub fn resolve(&self) -> BTreeMap<String, IpAddr> {
        let lo: IpAddr = "127.0.0.1".parse().unwrap();
        ["mp.weixin.qq.com", "sso.gov.test", "www.gov.test"].iter().map(|h| (h.to_string(), lo)).collect()
    }
}

/// Starts the fixture servers on the current tokio runtime.
pub async fn start() -> Fixture {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let pixel_hits = Arc::new(AtomicU64::new(0));
    let state = Arc::new(AppState { port, flaky: AtomicU64::new(0), pixel_hits: pixel_hits.clone() });
    tokio::spawn(async move { axum::serve(listener, router(state)).await.unwrap() });

    let hung = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hung_port = hung.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = hung.accept().await {
            held.push(sock);
        }
    });

    let garbage = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let garbage_port = garbage.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = garbage.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 1024];
                let _ = sock.read(&mut buf).await;
                let _ = sock.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi").await;
            });
        }
    });
    Fixture { port, hung_port, garbage_port, pixel_hits }
}

/// Starts the fixture on a background runtime (for sync tests that call `prepare`).
pub fn start_background() -> (Fixture, tokio::runtime::Runtime) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let fx = rt.block_on(start());
    (fx, rt)
}

pub fn account(id: &str) -> Account {
    serde_json::from_value(
        json!({"id": id, "name": format!("{id}发布"), "owner": "测试单位", "level": "county"}),
    )
    .unwrap()
}

/// A menu of `view` buttons, one sub-button per (name, url).
pub fn menu(id: &str, items: &[(&str, String)]) -> MenuSnapshot {
    let subs: Vec<_> = items.iter().map(|(n, u)| json!({"type": "view", "name": n, "url": u})).collect();
    MenuSnapshot {
        account: id.into(),
        captured_at: govmedia_model::time::parse_time("", "2025-03-01T08:00:00+08:00").unwrap(),
        menu: json!({"menu": {"button": [{"name": "办事服务", "sub_button": subs}]}}),
    }
}

pub fn article_with_links(id: &str, links: Vec<String>) -> Article {
    let mut a = Article::new(
        id,
        format!("https://mp.weixin.qq.com/s/{id}-1"),
        "关于开展春季植树活动的通知",
        govmedia_model::time::parse_time("", "2025-03-10T09:00:00+08:00").unwrap(),
    );
    a.links = links;
    a
}

pub fn survey(accounts: Vec<AccountData>) -> Data {
    let survey = Survey {
        name: None,
        period: Period {
            from: NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2025, 3, 31).unwrap(),
        },
        check_date: NaiveDate::from_ymd_opt(2025, 4, 1).unwrap(),
        accounts: accounts.iter().map(|a| a.account.clone()).collect(),
        events: Vec::new(),
        pages: BTreeMap::new(),
        dataset_dir: None,
        offline: false,
        generated_data: false,
    };
    Data { survey, accounts }
}

/// Runs `check` over every account of `s` as the engine would.
pub fn run(check: &mut dyn govmedia_checks::Check, s: &Data) -> Vec<govmedia_checks::Outcome> {
    govmedia_checks::run_check(check, &s.survey, &s.accounts, &govmedia_checks::NoProgress).unwrap()
}

//! The client and the judge against a fake server: retries, timeouts, repair, cache, policy.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{Canned, FakeServer, smart};
use govmedia_ai::client::Message;
use govmedia_ai::{AiError, ChatClient, Judge, MemoryCache, Profile, Verdict, ai_check_one};

fn profile(server: &FakeServer) -> Profile {
    let mut p = Profile::new("fake", &server.url, "deepseek-chat", None);
    p.backoff_base_ms = 5;
    p.max_backoff_secs = 2;
    p.timeout_secs = 5;
    p.price_input_per_1k = 0.002;
    p.price_output_per_1k = 0.008;
    p
}

const TITLE: &str = "关于做好防汛工作的通知";
const BODY: &str = "各单位：要落实防汛责任，办理转移安置手续。";

#[tokio::test]
async fn one_article_all_tasks_with_usage_and_cost() {
    let server = FakeServer::smart();
    let j = ai_check_one(&profile(&server), TITLE, BODY).await.unwrap();
    assert_eq!(server.hits(), 3);
    assert_eq!(j.category.answer().unwrap().category.label(), "政务服务");
    assert!((j.quality.answer().unwrap().score() - 0.75).abs() < 1e-9);
    assert!(j.review.answer().unwrap().issues.is_empty());
    assert_eq!(j.category.prompt_version, "category.v1");
    assert_eq!(j.quality.model, "deepseek-chat");
    assert_eq!((j.usage.requests, j.usage.prompt_tokens, j.usage.completion_tokens), (3, 300, 60));
    assert!((j.usage.cost_cny - (0.3 * 0.002 + 0.06 * 0.008)).abs() < 1e-12);
    assert!(j.first_failure().is_none());
    let summary = j.summary();
    assert!(summary.contains("文章分类（category.v1）：政务服务"), "{summary}");
    assert!(summary.contains("内容质量（quality.v1）：0.75") && summary.contains("未发现问题"), "{summary}");
    assert!(summary.contains("3 次请求"), "{summary}");
    // What went over the wire: string contents, json_object, no key for a local profile.
    let seen = server.seen();
    assert_eq!(seen[0].body["response_format"]["type"], "json_object");
    assert!(seen[0].body["messages"][0]["content"].is_string());
    assert!(seen[0].first_user().contains(BODY));
    assert!(seen[0].authorization.is_none());
}

#[tokio::test]
async fn sends_the_key_from_the_environment() {
    let server = FakeServer::smart();
    let mut p = profile(&server);
    // SAFETY: the variable is unique to this test; nothing else reads it.
    unsafe { std::env::set_var("GOVMEDIA_AI_TEST_KEY_1", "sk-test-123") };
    p.api_key_env = Some("GOVMEDIA_AI_TEST_KEY_1".into());
    ai_check_one(&p, TITLE, BODY).await.unwrap();
    assert_eq!(server.seen()[0].authorization.as_deref(), Some("Bearer sk-test-123"));
    p.api_key_env = Some("GOVMEDIA_AI_TEST_KEY_UNSET".into());
    assert!(matches!(ai_check_one(&p, TITLE, BODY).await, Err(AiError::MissingKey(_))));
}

#[tokio::test]
async fn honours_retry_after_on_429() {
    let server = FakeServer::start(|s| {
        if s.n == 0 { Canned::status(429).header("retry-after", "0.4") } else { Canned::answer(&smart(s)) }
    });
    let client = ChatClient::new(&profile(&server)).unwrap();
    let started = Instant::now();
    let a = client.chat(&[Message::user("x")]).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(400), "waited {:?}", started.elapsed());
    assert_eq!(a.completion_tokens, 20);
    assert_eq!(server.hits(), 2);
    let u = client.usage();
    assert_eq!((u.requests, u.retries, u.failures), (2, 1, 0));
}

#[tokio::test]
async fn retries_5xx_with_backoff_then_gives_up() {
    let server = FakeServer::start(|s| if s.n < 2 { Canned::status(503) } else { Canned::answer(&smart(s)) });
    let client = ChatClient::new(&profile(&server)).unwrap();
    assert!(client.chat(&[Message::user("x")]).await.is_ok());
    assert_eq!(server.hits(), 3);

    let down = FakeServer::start(|_| Canned::status(500));
    let mut p = profile(&down);
    p.max_retries = 2;
    let client = ChatClient::new(&p).unwrap();
    let err = client.chat(&[Message::user("x")]).await.unwrap_err();
    assert_eq!(
        err,
        AiError::Http { status: 500, attempts: 3, body: r#"{"error":{"message":"busy"}}"#.into() }
    );
    assert_eq!(down.hits(), 3);
    assert_eq!(client.usage().failures, 1);
}

#[tokio::test]
async fn other_4xx_are_not_retried() {
    let server = FakeServer::start(|_| Canned::status(400));
    let client = ChatClient::new(&profile(&server)).unwrap();
    let err = client.chat(&[Message::user("x")]).await.unwrap_err();
    assert!(matches!(err, AiError::Http { status: 400, attempts: 1, .. }), "{err:?}");
    assert_eq!(server.hits(), 1);
    assert!(err.to_string().contains("HTTP 400"));
}

#[tokio::test]
async fn times_out_without_retrying() {
    let server = FakeServer::start(|s| Canned::answer(&smart(s)).delayed(Duration::from_secs(4)));
    let mut p = profile(&server);
    p.timeout_secs = 1;
    let judge = Judge::new(&p, Arc::new(MemoryCache::new())).unwrap();
    let started = Instant::now();
    let j = judge.category(TITLE, BODY).await;
    assert!(started.elapsed() < Duration::from_secs(3));
    match &j.verdict {
        Verdict::Failed { error } => assert!(error.contains("超时"), "{error}"),
        v => panic!("expected a failure, got {v:?}"),
    }
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn malformed_answer_is_repaired_once() {
    let server = FakeServer::start(|s| {
        if s.is_repair() {
            Canned::answer(&smart(s))
        } else {
            Canned::answer("好的，这篇文章属于政务服务类。")
        }
    });
    let judge = Judge::new(&profile(&server), Arc::new(MemoryCache::new())).unwrap();
    let j = judge.category(TITLE, BODY).await;
    assert_eq!(j.answer().unwrap().category.label(), "政务服务");
    assert_eq!((j.calls, server.hits()), (2, 2));
    assert_eq!((j.prompt_tokens, j.completion_tokens), (200, 40));
    let repair = &server.seen()[1];
    assert_eq!(repair.body["messages"][2]["role"], "assistant");
    assert!(repair.last_user().contains("不是合法的 JSON"), "{}", repair.last_user());
}

#[tokio::test]
async fn truncated_answer_is_repaired_with_a_hint() {
    let server = FakeServer::start(|s| {
        if s.is_repair() {
            Canned::answer(&smart(s))
        } else {
            Canned::answer_with(
                r#"{"original_insight": 6, "readability": 8, "usefulness": 7, "correct_wor"#,
                "length",
            )
        }
    });
    let judge = Judge::new(&profile(&server), Arc::new(MemoryCache::new())).unwrap();
    let j = judge.quality(TITLE, BODY).await;
    assert!(j.answer().is_some());
    assert!(server.seen()[1].last_user().contains("截断"));
}

#[tokio::test]
async fn schema_violation_is_sent_back_and_fixed() {
    let server = FakeServer::start(|s| {
        if s.is_repair() {
            Canned::answer(&smart(s))
        } else {
            Canned::answer(r#"{"category": "体育", "confidence": 0.7, "reason": "x"}"#)
        }
    });
    let judge = Judge::new(&profile(&server), Arc::new(MemoryCache::new())).unwrap();
    let j = judge.category(TITLE, BODY).await;
    assert!(j.answer().is_some());
    let repair = server.seen()[1].last_user().to_owned();
    assert!(repair.contains("category") && repair.contains("体育"), "{repair}");
}

#[tokio::test]
async fn unusable_after_repair_is_recorded_and_cached_never_guessed() {
    // A review that invents a quote, twice.
    let server = FakeServer::start(|_| {
        Canned::answer(
            r#"{"issues": [{"kind": "factual", "quote": "文中没有这句话", "suggestion": "", "severity": "major"}]}"#,
        )
    });
    let cache = Arc::new(MemoryCache::new());
    let judge = Judge::new(&profile(&server), cache.clone()).unwrap();
    let j = judge.review(TITLE, BODY).await;
    match &j.verdict {
        Verdict::Unusable { reason } => {
            assert!(reason.contains("逐字摘录") && reason.contains("修复后"), "{reason}")
        }
        v => panic!("expected unusable, got {v:?}"),
    }
    assert_eq!(server.hits(), 2);
    let again = judge.review(TITLE, BODY).await;
    assert!(again.cached && matches!(again.verdict, Verdict::Unusable { .. }));
    assert_eq!(server.hits(), 2, "an unusable answer is not asked again");
}

#[tokio::test]
async fn failures_are_not_cached() {
    let server =
        FakeServer::start(|s| if s.n == 0 { Canned::status(401) } else { Canned::answer(&smart(s)) });
    let judge = Judge::new(&profile(&server), Arc::new(MemoryCache::new())).unwrap();
    assert!(matches!(judge.category(TITLE, BODY).await.verdict, Verdict::Failed { .. }));
    let second = judge.category(TITLE, BODY).await;
    assert!(second.answer().is_some() && !second.cached);
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn cache_key_covers_model_and_content() {
    let server = FakeServer::smart();
    let cache = Arc::new(MemoryCache::new());
    let p = profile(&server);
    let judge = Judge::new(&p, cache.clone()).unwrap();
    judge.category(TITLE, BODY).await;
    let hit = judge.category(TITLE, BODY).await;
    assert!(hit.cached && hit.calls == 0 && hit.answer().is_some());
    assert_eq!(hit.prompt_version, "category.v1");
    assert_eq!(server.hits(), 1);
    judge.category(TITLE, "另一篇正文").await;
    assert_eq!(server.hits(), 2);
    let mut other = p.clone();
    other.model = "qwen-plus".into();
    Judge::new(&other, cache.clone()).unwrap().category(TITLE, BODY).await;
    assert_eq!(server.hits(), 3);
    assert_eq!(cache.len(), 3);
}

#[tokio::test]
async fn truncated_http_body_is_a_transport_failure() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut s, _)) = listener.accept().await {
            let mut buf = vec![0u8; 65536];
            let _ = s.read(&mut buf).await;
            let _ = s
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"choices\":[{\"mess")
                .await;
            let _ = s.shutdown().await;
        }
    });
    let mut p = Profile::new("cut", &format!("http://{addr}/v1"), "deepseek-chat", None);
    p.timeout_secs = 5;
    let judge = Judge::new(&p, Arc::new(MemoryCache::new())).unwrap();
    match judge.category(TITLE, BODY).await.verdict {
        Verdict::Failed { error } => assert!(error.contains("网络错误"), "{error}"),
        v => panic!("expected a failure, got {v:?}"),
    }
}

#[tokio::test]
async fn concurrency_is_bounded() {
    let server = FakeServer::start(|s| Canned::answer(&smart(s)).delayed(Duration::from_millis(50)));
    let mut p = profile(&server);
    p.concurrency = 4;
    let client = Arc::new(ChatClient::new(&p).unwrap());
    let mut set = tokio::task::JoinSet::new();
    for i in 0..16 {
        let c = client.clone();
        set.spawn(async move { c.chat(&[Message::user(format!("{i}"))]).await.unwrap() });
    }
    while set.join_next().await.is_some() {}
    assert_eq!(server.hits(), 16);
    assert_eq!(server.max_in_flight(), 4);
}

#[tokio::test]
async fn rate_limit_spaces_requests() {
    let server = FakeServer::smart();
    let mut p = profile(&server);
    p.requests_per_minute = Some(600); // one every 100 ms
    let client = Arc::new(ChatClient::new(&p).unwrap());
    let started = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..5 {
        let c = client.clone();
        set.spawn(async move { c.chat(&[Message::user("x")]).await.unwrap() });
    }
    while set.join_next().await.is_some() {}
    assert!(started.elapsed() >= Duration::from_millis(400), "{:?}", started.elapsed());
}

#[tokio::test]
async fn foreign_models_are_refused_before_any_call() {
    let server = FakeServer::smart();
    let mut p = profile(&server);
    p.model = "gpt-4o".into();
    let err = ai_check_one(&p, TITLE, BODY).await.unwrap_err();
    assert!(matches!(err, AiError::NotAllowed(_)));
    assert!(err.to_string().contains("国产大模型"), "{err}");
    assert_eq!(server.hits(), 0);
    p.policy.allow_models = vec!["gpt-4o".into()];
    assert!(ai_check_one(&p, TITLE, BODY).await.is_ok());
    assert_eq!(server.hits(), 3);
}

#[tokio::test]
async fn event_relevance() {
    let server = FakeServer::smart();
    let judge = Judge::new(&profile(&server), Arc::new(MemoryCache::new())).unwrap();
    let event = govmedia_model::Event {
        id: "flood-2025".into(),
        title: "7月特大暴雨".into(),
        kind: govmedia_model::EventKind::NaturalDisaster,
        occurred_at: "2025-07-20T08:00:00+08:00".parse().unwrap(),
        scope: govmedia_model::EventScope::National("national".into()),
        keywords: vec!["暴雨".into(), "防汛".into()],
    };
    let yes = judge.relevance(&event, TITLE, BODY).await;
    assert!(yes.answer().unwrap().relevant);
    assert_eq!(yes.prompt_version, "relevance.v2");
    let no = judge.relevance(&event, "春季植树活动", "干部群众参加植树。").await;
    assert!(!no.answer().unwrap().relevant);
    let seen = server.seen();
    assert!(seen[1].first_user().contains("2025-07-20") && seen[1].first_user().contains("暴雨、防汛"));
}

#[tokio::test]
async fn personal_data_is_masked_before_sending() {
    let server = FakeServer::smart();
    let judge = Judge::new(&profile(&server), Arc::new(MemoryCache::new())).unwrap();
    let body = "咨询电话：13812345678，联系人身份证号 11010519491231002X。";
    judge.category(TITLE, body).await;
    judge.reply(TITLE, "我的电话13812345678", "已致电13912345678").await;
    for seen in server.seen() {
        let sent = seen.body.to_string();
        assert!(!sent.contains("13812345678") && !sent.contains("11010519491231002X"), "{sent}");
        assert!(!sent.contains("13912345678"), "{sent}");
    }
    assert!(server.seen()[0].first_user().contains("138****5678"));
}

#[tokio::test]
async fn ai_check_one_reports_a_failing_provider() {
    let server = FakeServer::start(|_| Canned::status(500));
    let mut p = profile(&server);
    p.max_retries = 0;
    let j = ai_check_one(&p, TITLE, BODY).await.unwrap();
    assert!(j.first_failure().unwrap().contains("HTTP 500"));
    assert!(j.summary().contains("调用失败"), "{}", j.summary());
    assert_eq!(server.hits(), 3);
}

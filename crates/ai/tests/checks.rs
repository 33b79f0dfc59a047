//! The AI checks over a small survey against a fake server: outcomes, the cache across runs,
//! the allow-list and not-evaluated reporting.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use common::{Canned, FakeServer};
use govmedia_ai::{AiError, FileCache, JudgementCache, MemoryCache, Profile, ai_checks, ai_checks_with};
use govmedia_checks::SurveyData as Data;
use govmedia_checks::{AccountData, Check, NoProgress, Outcome, Survey, run_check};
use govmedia_model::{Account, Article, Comment, Level, Period, Reply};

fn ts(s: &str) -> govmedia_model::Timestamp {
    s.parse().unwrap()
}

fn article(acc: &str, n: u32, title: &str, body: &str) -> Article {
    let mut a = Article::new(
        acc,
        format!("https://mp.weixin.qq.com/s/{acc}-{n}"),
        title,
        ts("2025-03-10T09:00:00+08:00"),
    );
    a.content = Some(body.to_owned());
    a
}

fn survey() -> Data {
    let mut a1 = article("a", 1, "社保卡办理指南", "即日起可在线办理社保卡，流程如下。");
    a1.comments.push(Comment {
        id: None,
        text: "补办要多久？".into(),
        created_at: ts("2025-03-10T10:00:00+08:00"),
        likes: None,
        featured: None,
        reply: Some(Reply {
            text: "请咨询相关部门。".into(), created_at: ts("2025-03-10T12:00:00+08:00")
        }),
    });
    a1.comments.push(Comment {
        id: None,
        text: "在哪里办？".into(),
        created_at: ts("2025-03-10T10:00:00+08:00"),
        likes: None,
        featured: None,
        reply: Some(Reply {
            text: "您好，可在各区政务服务中心办理，工作日全天受理。".into(),
            created_at: ts("2025-03-10T11:00:00+08:00"),
        }),
    });
    let a2 = article("a", 2, "市政府召开常务会议", "表述错误的提法出现在会议通稿中。");
    let mut gone = article("a", 3, "已删除", "x");
    gone.deleted = Some(true);
    let mut old = article("a", 4, "上月旧文", "不在统计期内");
    old.published_at = ts("2025-01-10T09:00:00+08:00");
    let b1 = article("b", 1, "春季植树活动", "干部群众参加植树活动。");
    let accounts = vec![
        AccountData {
            account: Account::new("a", "某市发布", "某市人民政府", Level::Prefecture),
            articles: vec![old, a1, a2, gone],
            menu: None,
        },
        AccountData {
            account: Account::new("b", "某县发布", "某县人民政府", Level::County),
            articles: vec![b1],
            menu: None,
        },
        AccountData {
            account: Account::new("c", "某局", "某局", Level::Other),
            articles: vec![],
            menu: None,
        },
    ];
    let survey = Survey {
        name: None,
        period: Period { from: "2025-03-01".parse().unwrap(), to: "2025-03-31".parse().unwrap() },
        check_date: "2025-04-01".parse().unwrap(),
        accounts: accounts.iter().map(|a| a.account.clone()).collect(),
        events: vec![],
        pages: BTreeMap::new(),
        dataset_dir: None,
        offline: false,
        generated_data: false,
    };
    Data { survey, accounts }
}

/// A national rainstorm on 2025-03-09 08:00.
fn rainstorm(id: &str) -> govmedia_model::Event {
    govmedia_model::Event {
        id: id.into(),
        title: "特大暴雨".into(),
        kind: govmedia_model::EventKind::NaturalDisaster,
        occurred_at: ts("2025-03-09T08:00:00+08:00"),
        scope: govmedia_model::EventScope::National("national".into()),
        keywords: vec!["暴雨".into()],
    }
}

fn profile(server: &FakeServer) -> Profile {
    let mut p = Profile::new("fake", &server.url, "deepseek-chat", None);
    p.backoff_base_ms = 5;
    p.max_retries = 1;
    p
}

fn run(checks: &mut [Box<dyn Check>], s: &Data) -> Vec<Vec<Outcome>> {
    checks.iter_mut().map(|c| run_check(c.as_mut(), &s.survey, &s.accounts, &NoProgress).unwrap()).collect()
}

fn evaluated(o: &Outcome) -> &govmedia_checks::Assessment {
    match o {
        Outcome::Evaluated(a) => a,
        Outcome::NotEvaluated(r) => panic!("not evaluated: {r}"),
    }
}

#[test]
fn quality_check_scores_classifies_and_flags() {
    let server = FakeServer::smart();
    let s = survey();
    let offline: govmedia_ai::OfflineClassifier = Arc::new(|a: &Article| {
        Some(if a.title.contains("会议") { "新闻活动" } else { "社会关切" }.to_owned())
    });
    let mut checks = ai_checks_with(&profile(&server), Arc::new(MemoryCache::new()), Some(offline)).unwrap();
    assert_eq!(
        checks.iter().map(|c| c.name()).collect::<Vec<_>>(),
        ["ai_quality", "ai_reply_quality", "ai_timeliness"]
    );
    let out = run(&mut checks, &s);
    // 3 in-period live articles × 3 tasks + 2 replies.
    assert_eq!(server.hits(), 3 * 3 + 2);

    let a = evaluated(&out[0][0]);
    assert!((a.metrics["score"] - 0.75).abs() < 1e-9);
    assert!((a.metrics["readability"] - 0.8).abs() < 1e-9);
    let notes: BTreeMap<&str, Option<&str>> =
        a.articles.iter().map(|n| (n.url.as_str(), n.category.as_deref())).collect();
    assert_eq!(notes.len(), 2, "deleted and out-of-period articles are not judged");
    assert_eq!(notes["https://mp.weixin.qq.com/s/a-1"], Some("政务服务"));
    assert_eq!(notes["https://mp.weixin.qq.com/s/a-2"], Some("新闻活动"));
    assert_eq!(a.findings.len(), 1);
    let f = &a.findings[0];
    assert!(f.ai_derived);
    assert_eq!(f.code, govmedia_model::FindingCode::ContentWordingError);
    assert_eq!(f.severity, govmedia_model::Severity::Major);
    assert_eq!(f.evidence["excerpt"], "表述错误");
    assert_eq!((f.evidence["start"].as_u64(), f.evidence["end"].as_u64()), (Some(0), Some(4)));
    assert_eq!(f.evidence["model"], "deepseek-chat");
    assert!(
        f.message.contains("市政府召开常务会议") && f.message.contains("政治性表述错误"),
        "{}",
        f.message
    );
    assert_eq!(a.stats["ai_category_compared"], 2);
    assert_eq!(a.stats["ai_category_disagreements"], 1);
    assert_eq!(a.stats["ai_category_disagreement_examples"][0]["offline"], "社会关切");
    assert_eq!(a.stats["ai_prompt_versions"], serde_json::json!(["category.v1", "quality.v1", "review.v1"]));
    assert_eq!(a.stats["ai_quality_prompt_tokens"], 200);

    let c = evaluated(&out[0][2]);
    assert!(c.metrics.is_empty());
    assert!(c.not_evaluated["score"].contains("没有文章"));

    let replies = evaluated(&out[1][0]);
    assert!((replies.metrics["score"] - 0.55).abs() < 1e-9);
    assert_eq!(replies.stats["ai_reply_problems"], serde_json::json!({"答非所问": 1, "生硬冷漠": 1}));
    assert_eq!(replies.stats["ai_reply_problem_examples"][0]["reply"], "请咨询相关部门。");
    assert_eq!(replies.findings.len(), 1);
    assert_eq!(replies.stats["ai_reply_prompt_version"], "reply.v1");
    let quality_keys: Vec<&String> = a.stats.keys().collect();
    assert!(replies.stats.keys().all(|k| !quality_keys.contains(&k)), "stats keys of the two checks collide");
    let f = &replies.findings[0];
    assert!(f.ai_derived);
    assert_eq!(f.code, govmedia_model::FindingCode::InteractionPoorReply);
    assert!(f.message.contains("答非所问、生硬冷漠") && f.message.contains("补办要多久"), "{}", f.message);
    assert_eq!(f.evidence["url"], "https://mp.weixin.qq.com/s/a-1");
    assert!(evaluated(&out[1][1]).not_evaluated["score"].contains("没有已回复"));
}

#[test]
fn second_run_makes_zero_calls_even_after_reopening_the_file_cache() {
    let server = FakeServer::smart();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ai-cache.jsonl");
    let s = survey();
    let first = {
        let cache: Arc<dyn JudgementCache> = Arc::new(FileCache::open(&path).unwrap());
        run(&mut ai_checks(&profile(&server), cache).unwrap(), &s)
    };
    let calls = server.hits();
    assert_eq!(calls, 11);
    let cache: Arc<dyn JudgementCache> = Arc::new(FileCache::open(&path).unwrap());
    let second = run(&mut ai_checks(&profile(&server), cache).unwrap(), &s);
    assert_eq!(server.hits(), calls, "a re-run must not call the model");
    let (a1, a2) = (evaluated(&first[0][0]), evaluated(&second[0][0]));
    assert_eq!(a1.metrics, a2.metrics);
    assert_eq!(a1.findings, a2.findings);
    assert_eq!(a2.stats["ai_quality_cached"], 2);
    assert_eq!(a2.stats["ai_quality_prompt_tokens"], 0);
}

#[test]
fn provider_down_means_not_evaluated_with_reason() {
    let server = FakeServer::start(|_| Canned::status(502));
    let s = survey();
    let out = run(&mut ai_checks(&profile(&server), Arc::new(MemoryCache::new())).unwrap(), &s);
    let a = evaluated(&out[0][0]);
    assert!(a.metrics.is_empty());
    let reason = &a.not_evaluated["score"];
    assert!(reason.contains("调用失败") && reason.contains("HTTP 502"), "{reason}");
    assert!(a.not_evaluated["wording_review"].contains("表述审读"));
    assert!(a.findings.is_empty());
    // 3 articles × 3 tasks + 2 replies, each tried twice (max_retries = 1).
    assert_eq!(server.hits(), 11 * 2);
}

#[test]
fn foreign_model_refused_unless_administrator_allows() {
    let server = FakeServer::smart();
    let mut p = profile(&server);
    p.model = "claude-3-5-sonnet".into();
    let err = ai_checks(&p, Arc::new(MemoryCache::new())).err().expect("refused");
    assert!(matches!(err, AiError::NotAllowed(_)));
    let msg = err.to_string();
    assert!(msg.contains("claude-3-5-sonnet") && msg.contains("不得使用境外托管模型"), "{msg}");
    p.policy.allow_models.push("claude-3-5-sonnet".into());
    assert!(ai_checks(&p, Arc::new(MemoryCache::new())).is_ok());
    assert_eq!(server.hits(), 0);
}

#[test]
fn unusable_answers_are_reported_not_scored() {
    let server = FakeServer::start(|s| {
        if s.system().contains("四个维度") {
            Canned::answer(r#"{"original_insight": "高", "readability": 8}"#)
        } else {
            Canned::answer(&common::smart(s))
        }
    });
    let s = survey();
    let out = run(&mut ai_checks(&profile(&server), Arc::new(MemoryCache::new())).unwrap(), &s);
    let a = evaluated(&out[0][0]);
    assert!(!a.metrics.contains_key("score"));
    assert!(a.not_evaluated["score"].contains("回答无效"), "{}", a.not_evaluated["score"]);
    assert_eq!(a.stats["ai_quality_unusable"], 2);
    assert!(a.articles.iter().all(|n| n.quality.is_none() && n.category.is_some()));
}

#[test]
fn runs_inside_an_existing_runtime() {
    let server = FakeServer::smart();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let s = survey();
    let hits = rt.block_on(async {
        let mut checks = ai_checks(&profile(&server), Arc::new(MemoryCache::new())).unwrap();
        run_check(checks[0].as_mut(), &s.survey, &s.accounts, &NoProgress).unwrap();
        server.hits()
    });
    assert_eq!(hits, 9);
}

#[test]
fn offline_runs_use_the_cache_only() {
    let server = FakeServer::smart();
    let cache: Arc<dyn JudgementCache> = Arc::new(MemoryCache::new());
    let mut s = survey();
    s.offline = true;
    let out = run(&mut ai_checks(&profile(&server), cache.clone()).unwrap(), &s);
    assert_eq!(server.hits(), 0);
    assert!(evaluated(&out[0][0]).not_evaluated["score"].contains("离线模式"));
    s.offline = false;
    run(&mut ai_checks(&profile(&server), cache.clone()).unwrap(), &s);
    let calls = server.hits();
    s.offline = true;
    let out = run(&mut ai_checks(&profile(&server), cache).unwrap(), &s);
    assert_eq!(server.hits(), calls);
    assert!((evaluated(&out[0][0]).metrics["score"] - 0.75).abs() < 1e-9);
}

#[test]
fn article_limit_judges_the_latest_only() {
    let server = FakeServer::smart();
    let mut p = profile(&server);
    p.max_articles_per_account = Some(1);
    let mut s = survey();
    // a-2 is the latest of account a once its time is later than a-1's.
    s.accounts[0].articles[2].published_at = ts("2025-03-11T09:00:00+08:00");
    let mut checks = ai_checks(&p, Arc::new(MemoryCache::new())).unwrap();
    checks.truncate(1);
    let out = run(&mut checks, &s);
    assert_eq!(server.hits(), 3 + 3, "one article per account, three judgements each");
    let a = evaluated(&out[0][0]);
    assert_eq!(a.stats["ai_articles_judged"], 1);
    assert_eq!(a.stats["ai_articles_limit"], 1);
    assert_eq!(a.articles.len(), 1);
    assert_eq!(a.articles[0].url, "https://mp.weixin.qq.com/s/a-2");
}

#[test]
fn event_relevance_in_bulk_keeps_order_and_caches() {
    let server = FakeServer::smart();
    let s = survey();
    let event = rainstorm("flood");
    let flood = article("a", 9, "全力做好防汛工作", "各地落实防汛责任。");
    let plant = &s.accounts[1].articles[0];
    let pairs = [(&event, plant), (&event, &flood), (&event, plant)];
    let cache: Arc<dyn JudgementCache> = Arc::new(MemoryCache::new());
    let js = govmedia_ai::judge_relevance(&profile(&server), cache.clone(), &pairs, false).unwrap();
    let verdicts: Vec<bool> = js.iter().map(|j| j.answer().unwrap().relevant).collect();
    assert_eq!(verdicts, [false, true, false]);
    // The repeated pair may race its twin past the cache: two or three calls, never more.
    assert!((2..=3).contains(&server.hits()), "{}", server.hits());
    let before = server.hits();
    let again = govmedia_ai::judge_relevance(&profile(&server), cache, &pairs, true).unwrap();
    assert!(again.iter().all(|j| j.cached));
    assert_eq!(server.hits(), before);
}

/// Issue 17, item 10: with a model configured, event relevance is confirmed and the response's
/// completeness scored. A keyword match the model rejects is no answer (the rule gave it full
/// credit); a confirmed but thin answer loses the completeness part.
#[test]
fn timeliness_is_confirmed_by_the_model_and_completeness_scored() {
    use govmedia_checks::timeliness::TimelinessCheck;
    let server = FakeServer::smart();
    let event = rainstorm("rain");
    let at = |a: Article, t: &str| Article { published_at: ts(t), ..a };
    let mk = |id: &str, title: &str, body: &str| AccountData {
        account: Account::new(id, format!("{id}发布"), "某市人民政府", Level::Prefecture),
        articles: vec![at(article(id, 1, title, body), "2025-03-09T12:00:00+08:00")],
        menu: None,
    };
    let mut s = survey();
    s.accounts = vec![
        mk("scenery", "暴雨中的城市夜景", "雨夜街景摄影作品。"),
        mk("complete", "暴雨防汛提示", "低洼地区群众请及时转移，求助电话12345。"),
        mk("thin", "暴雨防汛工作部署", "我市召开会议部署工作。"),
    ];
    s.events = vec![event];
    let rule = run(&mut [Box::new(TimelinessCheck::default()) as Box<dyn Check>], &s);
    // The keyword rule takes every match as an answer within 24 hours.
    for o in &rule[0] {
        assert_eq!(evaluated(o).metrics["event_response"], 1.0);
    }
    let mut checks = ai_checks(&profile(&server), Arc::new(MemoryCache::new())).unwrap();
    checks.retain(|c| c.name() == "ai_timeliness");
    let out = run(&mut checks, &s);
    let scenery = evaluated(&out[0][0]);
    assert_eq!(scenery.metrics["event_response"], 0.0);
    let f = &scenery.findings[0];
    assert!(f.ai_derived && f.code == govmedia_model::FindingCode::TimelinessLateResponse);
    assert!(f.message.contains("暴雨中的城市夜景"), "{}", f.message);
    let complete = evaluated(&out[0][1]);
    assert!((complete.metrics["event_response"] - (0.6 + 0.4 * 0.9)).abs() < 1e-9);
    assert!(complete.findings.is_empty());
    let thin = evaluated(&out[0][2]);
    assert!((thin.metrics["event_response"] - (0.6 + 0.4 * 0.3)).abs() < 1e-9);
    assert_eq!(thin.findings[0].code, govmedia_model::FindingCode::TimelinessIncompleteResponse);
    // Offline without cached judgements: not evaluated, so the framework falls back.
    s.offline = true;
    let mut cold = ai_checks(&profile(&server), Arc::new(MemoryCache::new())).unwrap();
    cold.retain(|c| c.name() == "ai_timeliness");
    let out = run(&mut cold, &s);
    assert!(evaluated(&out[0][1]).not_evaluated.contains_key("event_response"));
}

/// Distributed evaluation: chunks judged by two processes, their judgements absorbed by a
/// third that prepares, and its preparation handed to a fourth that assesses give the outcomes
/// of one process doing it all.
#[test]
fn judgements_handed_between_processes_give_the_same_outcomes() {
    let server = FakeServer::smart();
    let mut s = survey();
    s.events = vec![rainstorm("rain")];
    let mut rain = s.accounts[0].clone();
    rain.account = Account::new("rain", "防汛发布", "某市应急管理局", Level::Prefecture);
    rain.articles = vec![Article {
        published_at: ts("2025-03-09T12:00:00+08:00"),
        ..article("rain", 1, "暴雨防汛提示", "低洼地区群众请及时转移，求助电话12345。")
    }];
    s.accounts.push(rain);
    let checks = || ai_checks_with(&profile(&server), Arc::new(MemoryCache::new()), None).unwrap();
    let alone = run(&mut checks(), &s);
    let rain = evaluated(alone[2].last().unwrap());
    assert!(rain.metrics.contains_key("event_response"), "the event is judged: {rain:?}");

    let mut preparing = checks();
    for chunk in s.accounts.chunks(2) {
        let mut observing = checks();
        for (c, p) in observing.iter_mut().zip(preparing.iter_mut()) {
            c.observe(&s.survey, chunk, &NoProgress).unwrap();
            p.absorb(&c.take_observed().expect("judgements to hand over")).unwrap();
        }
    }
    let mut assessing = checks();
    for (p, a) in preparing.iter_mut().zip(assessing.iter_mut()) {
        p.prepare(&s.survey, &NoProgress).unwrap();
        a.absorb_prepared(&p.prepared().expect("judgements to hand over")).unwrap();
    }
    let handed: Vec<Vec<Outcome>> =
        assessing.iter().map(|c| s.accounts.iter().map(|acc| c.assess(&s.survey, acc)).collect()).collect();
    assert_eq!(format!("{handed:?}"), format!("{alone:?}"));
}

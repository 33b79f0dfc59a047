//! The engine on hand-built surveys: vetoes, redistribution, not-evaluated leaves, rankings,
//! excellent lists, framework errors and byte-identical output.

use chrono::{Days, NaiveDate};
use govmedia_checks::{
    AccountData, Assessment, Check, InMemory, NoProgress, Outcome, Survey, structural_checks,
};
use govmedia_model::time::parse_time;
use govmedia_model::{
    Account, Article, Comment, Finding, FindingCode, Level, MenuSnapshot, Period, Reads, Reply, Severity,
};
use govmedia_score::{Framework, FrameworkError, evaluate, rankings_csv, write_results};
use serde_json::json;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn full_menu() -> serde_json::Value {
    json!({"menu": {"button": [
        {"name": "政务公开", "sub_button": [{"type": "view", "name": "政策解读", "url": "https://www.x.gov.cn/zcjd/"}]},
        {"name": "办事服务", "sub_button": [{"type": "view", "name": "社保查询", "url": "https://zwfw.x.gov.cn/sb"}]},
        {"name": "互动交流", "sub_button": [{"type": "view", "name": "领导信箱", "url": "https://www.x.gov.cn/hdjl/"}]}]}})
}

/// An account publishing daily from `from` to `until` (exclusive) with `reads` per article;
/// `commented` adds one valid comment per article, answered the next day.
fn account(id: &str, region: &str, from: &str, until: &str, reads: u64, commented: bool) -> AccountData {
    let mut articles = Vec::new();
    let mut day = d(from);
    let mut n = 0;
    while day < d(until) {
        let mut a = Article::new(
            id,
            format!("https://mp.weixin.qq.com/s/{id}-{n}"),
            format!("{id}第{n}篇"),
            parse_time("t", &format!("{day}T09:00:00")).unwrap(),
        );
        a.position = Some(1);
        a.reads = Some(Reads::exact(reads + n));
        a.likes = Some(reads / 50);
        a.wows = Some(reads / 100);
        a.shares = Some(reads / 20);
        if commented {
            a.comments.push(Comment {
                id: None,
                text: "请问在哪里办理居住证？".into(),
                created_at: parse_time("t", &format!("{day}T10:00:00")).unwrap(),
                likes: None,
                featured: None,
                reply: Some(Reply {
                    text: "您好，可在政务服务中心办理".into(),
                    created_at: parse_time("t", &format!("{}T10:00:00", day + Days::new(1))).unwrap(),
                }),
            });
        }
        articles.push(a);
        day = day + Days::new(1);
        n += 1;
    }
    let mut acc = Account::new(id, format!("{id}发布"), format!("{id}人民政府办公室"), Level::Prefecture);
    acc.region = Some(region.into());
    acc.verified = Some(true);
    AccountData {
        account: acc,
        articles,
        menu: Some(MenuSnapshot {
            account: id.into(),
            captured_at: parse_time("t", "2025-03-30T00:00:00").unwrap(),
            menu: full_menu(),
        }),
    }
}

/// A survey with its accounts' data in memory; reads as the survey.
struct Data {
    survey: Survey,
    accounts: Vec<AccountData>,
}

impl std::ops::Deref for Data {
    type Target = Survey;
    fn deref(&self) -> &Survey {
        &self.survey
    }
}

impl std::ops::DerefMut for Data {
    fn deref_mut(&mut self) -> &mut Survey {
        &mut self.survey
    }
}

impl Data {
    /// Evaluates the accounts as they are now (the roster follows edits of their data).
    fn evaluate(
        &self,
        fw: &Framework,
        checks: &mut [Box<dyn Check>],
    ) -> Result<govmedia_model::results::Results, govmedia_score::EvaluateError> {
        let mut survey = self.survey.clone();
        survey.accounts = self.accounts.iter().map(|a| a.account.clone()).collect();
        evaluate(&survey, &mut InMemory(&self.accounts), fw, checks, None, &NoProgress)
    }
}

fn survey() -> Data {
    let survey = Survey {
        name: Some("测试调查".into()),
        period: Period { from: d("2025-03-01"), to: d("2025-03-31") },
        check_date: d("2025-04-01"),
        accounts: Vec::new(),
        events: vec![],
        pages: Default::default(),
        dataset_dir: None,
        offline: true,
        generated_data: false,
    };
    let accounts = vec![
        account("chengdu", "510100", "2025-03-01", "2025-04-01", 5000, true),
        account("shanghai", "310000", "2025-03-01", "2025-04-01", 3000, true),
        // No comments at all: 互动力 moves to 传播力.
        account("quiet", "440100", "2025-03-01", "2025-04-01", 800, false),
        // Stopped on 03-10: vetoed.
        account("stale", "110000", "2025-03-01", "2025-03-11", 20000, true),
    ];
    Data { survey, accounts }
}

fn run(fw: &Framework, mut checks: Vec<Box<dyn Check>>) -> govmedia_model::results::Results {
    survey().evaluate(fw, &mut checks).unwrap()
}

fn find<'a>(r: &'a govmedia_model::results::Results, id: &str) -> &'a govmedia_model::results::AccountResult {
    r.accounts.iter().find(|a| a.id == id).unwrap()
}

#[test]
fn builtins_load_and_show() {
    assert_eq!(
        Framework::builtin_names(),
        ["ccid-2025", "gov-2019-inspection", "shanghai-2015", "tsinghua-2014", "wechat-handbook"]
    );
    for name in Framework::builtin_names() {
        let f = Framework::builtin(name).unwrap();
        assert_eq!(f.name, name);
        let text = Framework::source_text(name).unwrap();
        assert_eq!(Framework::parse(text, "copy.toml").unwrap(), f);
    }
    assert!(Framework::builtin("nope").is_none());
    let ccid = Framework::builtin("ccid-2025").unwrap();
    assert_eq!(ccid.roots, ["content", "daily_ops", "functions", "menu", "mobile"]);
    assert_eq!(ccid.redistribute[0].from, "content.interaction");
}

#[test]
fn bad_files_name_key_and_line() {
    let base = Framework::source_text("ccid-2025").unwrap();
    let err = |text: &str| Framework::parse(text, "mine.toml").unwrap_err().to_string();
    let e = err(&base.replacen("weight = 15\n", "weight = -15\n", 1));
    let line = base.lines().position(|l| l == "weight = 15").unwrap() + 1;
    assert_eq!(e, format!("mine.toml:{line}: indicators.daily_ops.weight: 权重必须是非负数"));
    let e = err(&base.replace("code = \"interaction.none\"", "code = \"interaction.nothing\""));
    assert!(e.contains(": veto[1].code: 未知问题代码“interaction.nothing”"), "{e}");
    let e = err(&base.replace("to = \"content.propagation\"", "to = \"menu\""));
    assert!(e.contains("redistribute[0].to: 权重只能转移给同级的另一个指标"), "{e}");
    let e = err(&base.replace("wci = \"14.2\"", "wci = \"9\""));
    assert!(e.starts_with("mine.toml:") && e.contains(": wci: 未知的 WCI 版本"), "{e}");
    let e = err(&base.replace("name = \"日常运维\"", "nmae = \"日常运维\""));
    assert!(e.contains("line") && e.contains("nmae"), "{e}");
    let e = err("name = \"x\"\nversion = \"1\"\ntitle = \"t\"\n[indicators.a]\nname = \"A\"\nweight = 1\n");
    assert!(e.contains("mine.toml:5: indicators.a:") && e.contains("末级指标必须绑定 check"), "{e}");
    let e = err(&base.replace("share = 0.1", "share = 1.5"));
    assert!(e.contains(": excellent.share: 取值应在 0 到 1 之间"), "{e}");
    let e = err(&base.replace("articles_per_level = 30", "articles_per_level = 5000"));
    assert!(e.contains(": excellent.articles_per_level: 取值应在 0 到 1000 之间"), "{e}");
    let e = err(&base.replace("articles_per_account = 12", "articles_per_account = 5000"));
    assert!(e.contains(": excellent.articles_per_account: 取值应在 0 到 1000 之间"), "{e}");
    let caps = |text: &str| {
        let e = Framework::parse(text, "mine.toml").unwrap().excellent.unwrap();
        (e.articles_per_level, e.articles_per_account)
    };
    assert_eq!(caps(base), (30, Some(12)));
    assert_eq!(caps(&base.replace("articles_per_level = 30", "articles_per_level = 3")), (3, Some(12)));
    assert_eq!(
        caps(&base.replace("articles_per_level = 30\n", "").replace("articles_per_account = 12\n", "")),
        (12, None)
    );
    let e = err(&base
        .replace("[indicators.menu]\nname", "[indicators.menu]\nfallback = { check = \"x\" }\nname")
        .replace("check = \"menu\"\nmetric = \"score\"\n", ""));
    assert!(e.contains("fallback"), "{e}");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("missing.toml");
    assert!(matches!(Framework::from_path(&p), Err(FrameworkError::Io { .. })));
}

#[test]
fn ccid_scores_vetoes_redistribution_and_not_evaluated() {
    let fw = Framework::builtin("ccid-2025").unwrap();
    let r = run(&fw, structural_checks());
    assert_eq!(r.framework, "ccid-2025");
    let stale = find(&r, "stale");
    assert!(!stale.passed);
    assert_eq!(stale.vetoes, ["update.stale_14d"]);
    let f = stale.findings.iter().find(|f| f.code == FindingCode::UpdateStale14d).unwrap();
    assert_eq!(f.severity, Severity::Veto);
    assert_eq!(f.evidence["last_published"], "2025-03-10");
    // Vetoed accounts rank after every passed one, whatever their score.
    assert_eq!(stale.rank, Some(4));
    let ok = find(&r, "chengdu");
    assert!(ok.passed && ok.vetoes.is_empty());
    // Checks of other crates are not registered: not evaluated, weight 0, reason given.
    let links = &ok.indicators["daily_ops.links"];
    assert!(links.score.is_none() && links.weight == 0.0);
    assert!(links.not_evaluated.as_deref().unwrap().contains("links"), "{links:?}");
    assert!(ok.indicators["mobile"].score.is_none());
    assert!(r.not_evaluated.iter().any(|n| n.check == "originality"));
    // Renormalised: the evaluated leaves' weights add up to 1.
    let leaves: f64 =
        fw.indicators.values().filter(|i| i.binding.is_some()).map(|i| ok.indicators[&i.id].weight).sum();
    assert!((leaves - 1.0).abs() < 1e-5, "{leaves}");
    // Without valid comments, 互动力's weight goes to 传播力.
    let quiet = find(&r, "quiet");
    let inter = &quiet.indicators["content.interaction"];
    assert_eq!(inter.weight, 0.0);
    assert!(inter.not_evaluated.as_deref().unwrap().starts_with("权重已转移至“传播力”"));
    let ratio = quiet.indicators["content.propagation"].weight / ok.indicators["content.propagation"].weight;
    assert!((ratio - 45.0 / 25.0).abs() < 1e-4, "{ratio}");
    assert_eq!(r.statistics["redistributed"]["content.interaction→content.propagation"], 1);
    // Stats and indices.
    assert_eq!(ok.stats["articles"], 31);
    assert_eq!(ok.stats["articles_with_valid_comments"], 31);
    assert_eq!(ok.stats["articles_replied"], 31);
    assert_eq!(ok.indices["wci"].version, "14.2");
    assert!(ok.indices["wci"].unverified);
    assert!((0.0..=100.0).contains(&ok.score.unwrap()));
    assert_eq!(r.articles.len(), 31 * 3 + 10);
    let funnel = &r.statistics["interaction_funnel"];
    assert_eq!(funnel["articles"], 31 * 3 + 10);
    assert_eq!(funnel["articles_with_valid_comments"], 31 * 2 + 10);
}

/// A check standing in for another crate's: fixed outcomes per account id.
struct Fake {
    name: &'static str,
    outcome: fn(&str) -> Outcome,
}

impl Check for Fake {
    fn name(&self) -> &'static str {
        self.name
    }
    fn assess(&self, _s: &Survey, a: &AccountData) -> Outcome {
        (self.outcome)(&a.account.id)
    }
}

fn with_metric(score: f64) -> Outcome {
    metric_of("score", score)
}

fn metric_of(key: &str, value: f64) -> Outcome {
    let mut a = Assessment::default();
    a.metrics.insert(key.into(), value);
    Outcome::Evaluated(a)
}

#[test]
fn plugged_checks_not_evaluated_and_severity_vetoes() {
    let fw = Framework::builtin("ccid-2025").unwrap();
    let mut checks = structural_checks();
    checks.push(Box::new(Fake {
        name: "links",
        outcome: |_| Outcome::NotEvaluated("离线模式，未访问网络".into()),
    }));
    checks.push(Box::new(Fake {
        name: "safety",
        outcome: |id| {
            let mut a = Assessment::default();
            a.metrics.insert("score".into(), 0.5);
            let severity = if id == "shanghai" { Severity::Veto } else { Severity::Minor };
            a.findings.push(Finding::new(FindingCode::ContentWordingError, severity, "表述错误"));
            if id == "chengdu" {
                // A veto-graded finding the framework does not veto becomes major.
                a.findings.push(Finding::new(FindingCode::LinkBroken, Severity::Veto, "链接无法访问"));
            }
            Outcome::Evaluated(a)
        },
    }));
    checks.push(Box::new(Fake { name: "originality", outcome: |_| with_metric(0.8) }));
    let r = run(&fw, checks);
    let links = &find(&r, "chengdu").indicators["daily_ops.links"];
    assert_eq!(
        links.not_evaluated.as_deref().unwrap(),
        "未评估：离线模式，未访问网络；其权重按比例分配给同级已评估指标"
    );
    assert!(
        r.not_evaluated
            .iter()
            .any(|n| n.check == "links" && n.reason.contains("离线模式") && n.reason.contains("4个账号"))
    );
    assert_eq!(find(&r, "chengdu").indicators["content.safety"].score, Some(0.5));
    assert_eq!(find(&r, "shanghai").vetoes, ["content.wording_error"]);
    assert!(find(&r, "chengdu").passed);
    let broken = find(&r, "chengdu").findings.iter().find(|f| f.code == FindingCode::LinkBroken).unwrap();
    assert_eq!(broken.severity, Severity::Major);
}

#[test]
fn inspection_thresholds_are_parameters() {
    let text = Framework::source_text("gov-2019-inspection").unwrap();
    let strict =
        Framework::parse(&text.replace("op = \">\"\nvalue = 14", "op = \">\"\nvalue = 0"), "strict.toml")
            .unwrap();
    let r = run(&strict, structural_checks());
    // Every account's last article is at least one day old: all fail the stricter rule, with
    // a veto finding the engine writes for accounts the check itself did not flag.
    assert!(r.accounts.iter().all(|a| !a.passed && a.vetoes == ["update.stale_14d"]));
    let f = find(&r, "chengdu").findings.iter().find(|f| f.code == FindingCode::UpdateStale14d).unwrap();
    assert_eq!(f.evidence["threshold"], 0.0);
    let normal = run(&Framework::builtin("gov-2019-inspection").unwrap(), structural_checks());
    assert!(find(&normal, "chengdu").passed && !find(&normal, "stale").passed);
}

#[test]
fn excellent_lists_follow_division_codes() {
    let text = Framework::source_text("ccid-2025").unwrap();
    let fw =
        Framework::parse(&text.replace("share = 0.1\nmin_score = 80.0", "share = 1.0\nmin_score = 0.0"), "x")
            .unwrap();
    let r = run(&fw, structural_checks());
    let list: Vec<&str> = r.statistics["excellent"]["prefecture"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap())
        .collect();
    // 310000 上海, 440100 广州, 510100 成都; the vetoed account is never excellent.
    assert_eq!(list, ["shanghai", "quiet", "chengdu"]);
    assert!(find(&r, "shanghai").excellent && !find(&r, "stale").excellent);
}

#[test]
fn same_input_gives_byte_identical_results() {
    let fw = Framework::builtin("ccid-2025").unwrap();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut r1 = run(&fw, structural_checks());
    let mut r2 = run(&fw, structural_checks());
    r1.generated_at = "X".into();
    r2.generated_at = "X".into();
    write_results(a.path(), &r1).unwrap();
    write_results(b.path(), &r2).unwrap();
    for file in ["results.json", "rankings.csv"] {
        let x = std::fs::read(a.path().join(file)).unwrap();
        assert_eq!(x, std::fs::read(b.path().join(file)).unwrap(), "{file}");
    }
    let csv = rankings_csv(&r1);
    assert!(
        csv.starts_with(
            "level,rank,id,name,owner,score,passed,not_evaluated,platform,wci,bci\nprefecture,1,"
        )
    );
    assert!(csv.lines().any(|l| l.starts_with("prefecture,4,stale,") && l.contains(",false,,wechat,")));
    let parsed: govmedia_model::results::Results =
        serde_json::from_slice(&std::fs::read(a.path().join("results.json")).unwrap()).unwrap();
    assert_eq!(parsed, r1);
}

#[test]
fn pass_score_profiles_and_statistics() {
    let text = Framework::source_text("shanghai-2015").unwrap();
    let strict =
        Framework::parse(&text.replace("wci = \"14.2\"", "wci = \"2.0\"\npass_score = 99.5"), "p.toml")
            .unwrap();
    let r = run(&strict, structural_checks());
    // No vetoes in this framework: the stale account's veto-graded finding is only major.
    let stale = find(&r, "stale");
    assert!(stale.vetoes.is_empty());
    assert!(stale.findings.iter().all(|f| f.severity != Severity::Veto));
    // Below the pass score, an account fails without a veto.
    for a in &r.accounts {
        assert_eq!(a.passed, a.score.unwrap() >= 99.5, "{} {:?}", a.id, a.score);
    }
    assert_eq!(find(&r, "chengdu").indices["wci"].version, "2.0");
    assert!(!find(&r, "chengdu").indices["wci"].unverified);
    let s = &r.statistics;
    assert_eq!(s["by_level"]["prefecture"]["accounts"], 4);
    assert_eq!(s["by_region"]["510000"]["name"], "四川省");
    assert_eq!(s["concentration"]["top20pct_accounts"], 1);
    assert_eq!(s["accounts_by_finding"]["update.stale_14d"], 1);
}

/// Issue 17, item 1: an account for which nothing of the framework could be evaluated has no
/// score and no rank (it used to get 0 and the last rank), and says why, in results.json,
/// rankings.csv and the statistics.
#[test]
fn an_account_with_nothing_evaluated_has_no_score_and_no_rank() {
    // A framework whose only leaf reads a check that cannot say anything about "quiet".
    let fw = Framework::parse(
        "name = \"p\"\nversion = \"1\"\ntitle = \"t\"\n[indicators.reach]\nname = \"传播\"\nweight = 1\ncheck = \"probe\"\n",
        "p.toml",
    )
    .unwrap();
    let probe = Fake {
        name: "probe",
        outcome: |id| {
            if id == "quiet" { Outcome::NotEvaluated("未采集阅读数".into()) } else { with_metric(0.5) }
        },
    };
    let r = run(&fw, vec![Box::new(probe)]);
    let quiet = find(&r, "quiet");
    assert_eq!((quiet.score, quiet.rank), (None, None));
    assert!(quiet.not_evaluated.as_deref().unwrap().contains("未采集阅读数"), "{:?}", quiet.not_evaluated);
    // The others are ranked among themselves (tied at 50) and the unscored account comes last.
    assert_eq!(find(&r, "chengdu").rank, Some(1));
    assert_eq!(r.accounts.last().unwrap().id, "quiet");
    let json = serde_json::to_value(quiet).unwrap();
    assert!(json["score"].is_null() && json["rank"].is_null());
    let csv = rankings_csv(&r);
    let row = csv.lines().find(|l| l.contains(",quiet,")).unwrap();
    assert!(row.starts_with("prefecture,,quiet,") && row.contains(",,true,未评估："), "{row}");
    let level = &r.statistics["by_level"]["prefecture"];
    assert_eq!(level["not_evaluated"], 1);
    assert_eq!(level["mean_score"], 50.0);
}

/// Issue 17, item 2: reads (likes, shares …) appear in an account's stats only when they were
/// collected, and the long-tail statistics leave out accounts without them instead of
/// counting them as 0.
#[test]
fn counters_appear_only_when_collected() {
    let mut s = survey();
    for a in &mut s.accounts[2].articles {
        (a.reads, a.likes, a.wows, a.shares) = (None, None, None, None);
    }
    let fw = Framework::builtin("ccid-2025").unwrap();
    let r = s.evaluate(&fw, &mut structural_checks()).unwrap();
    let quiet = find(&r, "quiet");
    for key in ["reads", "likes", "wows", "shares", "favorites"] {
        assert!(!quiet.stats.contains_key(key), "{key} present without data");
    }
    assert!(find(&r, "chengdu").stats["reads"].as_u64().unwrap() > 0);
    assert!(!find(&r, "chengdu").stats.contains_key("favorites"));
    let c = &r.statistics["concentration"];
    assert_eq!((c["accounts"].as_u64(), c["accounts_without_reads"].as_u64()), (Some(3), Some(1)));
    let everyone_quiet = {
        let mut s = survey();
        for acc in &mut s.accounts {
            for a in &mut acc.articles {
                a.reads = None;
            }
        }
        s.evaluate(&fw, &mut structural_checks()).unwrap()
    };
    let c = &everyone_quiet.statistics["concentration"];
    assert!(c["not_evaluated"].as_str().unwrap().starts_with("未采集"), "{c}");
    assert!(everyone_quiet.statistics["by_level"]["prefecture"]["reads"].is_null());
}

/// Issue 17, items 10 and 12: in ccid-2025, 时效力 is the model-confirmed event response when
/// the AI check gives one and the keyword match otherwise (saying so in `basis`), and the
/// model's reply quality (`interaction.poor_reply`) counts in 互动力 when AI is configured.
#[test]
fn ai_timeliness_falls_back_and_reply_quality_counts() {
    let fw = Framework::builtin("ccid-2025").unwrap();
    let mut s = survey();
    s.events.push(govmedia_model::Event {
        id: "e".into(),
        title: "强降雨".into(),
        kind: govmedia_model::EventKind::NaturalDisaster,
        occurred_at: parse_time("t", "2025-03-05T08:00:00").unwrap(),
        scope: govmedia_model::EventScope::National("national".into()),
        keywords: vec!["降雨".into()],
    });
    let without_ai = s.evaluate(&fw, &mut structural_checks()).unwrap();
    let t = &find(&without_ai, "chengdu").indicators["content.timeliness"];
    // No article mentions the rain: the keyword rule scores 0, and says it was the fallback.
    assert_eq!(t.score, Some(0.0));
    assert!(t.basis.as_deref().unwrap().starts_with("按 timeliness.event_response 计分"), "{t:?}");
    assert!(t.basis.as_deref().unwrap().contains("ai_timeliness"));
    let inter = &find(&without_ai, "chengdu").indicators["content.interaction"];
    let mut checks = structural_checks();
    checks.push(Box::new(Fake { name: "ai_timeliness", outcome: |_| metric_of("event_response", 0.8) }));
    checks.push(Box::new(Fake { name: "ai_reply_quality", outcome: |_| with_metric(0.2) }));
    let with_ai = s.evaluate(&fw, &mut checks).unwrap();
    let a = find(&with_ai, "chengdu");
    assert_eq!(a.indicators["content.timeliness"].score, Some(0.8));
    assert!(a.indicators["content.timeliness"].basis.is_none());
    // Poor replies pull 互动力 down: 0.7 × replies + 0.3 × 0.2.
    let replies = a.indicators["content.interaction.replies"].score.unwrap();
    let expected = 0.7 * replies + 0.3 * 0.2;
    assert!((a.indicators["content.interaction"].score.unwrap() - expected).abs() < 1e-6);
    assert!(a.indicators["content.interaction"].score < inter.score);
    // Without valid comments the whole 互动力 subtree moves to 传播力, its leaves included.
    let quiet = find(&with_ai, "quiet");
    for id in ["content.interaction", "content.interaction.replies", "content.interaction.ai"] {
        let i = &quiet.indicators[id];
        assert!(i.not_evaluated.as_deref().unwrap().starts_with("权重已转移"), "{id}: {i:?}");
        assert_eq!(i.weight, 0.0);
    }
}

/// Issue 17, item 13: the statistics the 2025 report prints have their counterparts.
#[test]
fn report_statistics_have_counterparts() {
    let fw = Framework::builtin("ccid-2025").unwrap();
    let r = run(&fw, structural_checks());
    let rows = r.statistics["report_statistics"].as_array().unwrap();
    let row = |figure: &str| rows.iter().find(|x| x["figure"].as_str().unwrap().contains(figure)).unwrap();
    assert_eq!(row("抽样文章数")["value"], 31 * 3 + 10);
    assert!(row("未开设")["not_available"].as_str().unwrap().contains("未提供"));
    assert!(row("有效评论")["value"].as_f64().is_some());
    assert!(row("政府网站展示")["not_available"].is_string(), "website_listed was not collected");
    // No 省级政府职能部门 in this survey: said so, not a silent empty table.
    assert!(row("分省份")["not_available"].is_string());
    let cq = r.statistics["content_quality"]["prefecture"].as_array().unwrap();
    assert_eq!(cq.len(), 1, "a fifth of four accounts, at least one");
    assert!(r.statistics["low_reads"]["prefecture"]["with_reads"].as_u64() == Some(4));
}

/// Issue 17, item 13: 省级政府职能部门 are grouped by province and by field (the 2025 report
/// judges them so); other levels stay out of those groups.
#[test]
fn province_departments_by_province_and_field() {
    let mut s = survey();
    let dept = |acc: &mut AccountData, region: &str, field: govmedia_model::Field| {
        acc.account.level = Level::ProvinceDept;
        acc.account.region = Some(region.into());
        acc.account.field = Some(field);
    };
    dept(&mut s.accounts[0], "510000", govmedia_model::Field::CivilAffairs);
    dept(&mut s.accounts[1], "510000", govmedia_model::Field::Taxation);
    dept(&mut s.accounts[2], "440000", govmedia_model::Field::CivilAffairs);
    let fw = Framework::builtin("ccid-2025").unwrap();
    let r = s.evaluate(&fw, &mut structural_checks()).unwrap();
    let pd = &r.statistics["province_dept"];
    let sichuan = &pd["by_province"]["510000"];
    assert_eq!((sichuan["name"].as_str(), sichuan["accounts"].as_u64()), (Some("四川省"), Some(2)));
    let mean = (find(&r, "chengdu").score.unwrap() + find(&r, "shanghai").score.unwrap()) / 2.0;
    assert!((sichuan["mean_score"].as_f64().unwrap() - mean).abs() < 0.01, "{sichuan}");
    assert_eq!(pd["by_province"]["440000"]["accounts"], 1);
    assert_eq!(pd["by_field"]["民政"]["accounts"], 2);
    assert_eq!(pd["by_field"]["税务"]["accounts"], 1);
    // The 北京 account is a prefecture-level one here: not among the departments.
    assert!(pd["by_province"].get("110000").is_none());
    let rows = r.statistics["report_statistics"].as_array().unwrap();
    let row = rows.iter().find(|x| x["figure"].as_str().unwrap().contains("分省份")).unwrap();
    assert!(row["not_available"].is_null() && row["value"].is_string(), "{row}");
}

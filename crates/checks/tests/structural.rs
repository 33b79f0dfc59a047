//! Hand-built surveys: each finding code of the structural checks fires when it should and
//! stays silent when it should not.

use chrono::NaiveDate;
use govmedia_checks::SurveyData as Data;
use govmedia_checks::account::AccountCheck;
use govmedia_checks::interaction::InteractionCheck;
use govmedia_checks::menu::MenuCheck;
use govmedia_checks::propagation::PropagationCheck;
use govmedia_checks::timeliness::TimelinessCheck;
use govmedia_checks::{AccountData, Assessment, Check, NoProgress, Outcome, Survey, run_check};
use govmedia_model::time::parse_time;
use govmedia_model::{
    Account, AccountStatus, Article, Comment, Event, EventKind, EventScope, Finding, Level, MenuSnapshot,
    Period, Reads, Reply,
};
use serde_json::json;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn article(acc: &str, n: usize, at: &str) -> Article {
    Article::new(
        acc,
        format!("https://mp.weixin.qq.com/s/{acc}-{n}"),
        format!("文章{n}"),
        parse_time("t", at).unwrap(),
    )
}

fn account(id: &str) -> AccountData {
    AccountData {
        account: Account::new(id, format!("{id}发布"), format!("{id}市人民政府办公室"), Level::Prefecture),
        articles: vec![],
        menu: None,
    }
}

fn survey(accounts: Vec<AccountData>) -> Data {
    let survey = Survey {
        name: None,
        period: Period { from: d("2025-01-01"), to: d("2025-03-31") },
        check_date: d("2025-04-01"),
        accounts: accounts.iter().map(|a| a.account.clone()).collect(),
        events: vec![],
        pages: Default::default(),
        dataset_dir: None,
        offline: true,
        generated_data: false,
    };
    Data { survey, accounts }
}

fn run(check: &mut dyn Check, s: &Data) -> Vec<Assessment> {
    run_check(check, &s.survey, &s.accounts, &NoProgress)
        .unwrap()
        .into_iter()
        .map(|o| match o {
            Outcome::Evaluated(x) => x,
            Outcome::NotEvaluated(r) => panic!("not evaluated: {r}"),
        })
        .collect()
}

fn codes(a: &Assessment) -> Vec<&'static str> {
    a.findings.iter().map(|f| f.code.as_str()).collect()
}

/// Articles every `step` days from `from` up to (excluding) `until`.
fn series(acc: &str, from: &str, until: &str, step: u64) -> Vec<Article> {
    let mut out = Vec::new();
    let mut day = d(from);
    let mut n = 0;
    while day < d(until) {
        out.push(article(acc, n, &format!("{day}T09:00:00")));
        day = day + chrono::Days::new(step);
        n += 1;
    }
    out
}

#[test]
fn timeliness_stale_warning_dormant() {
    let mut fresh = account("fresh");
    fresh.articles = series("fresh", "2025-01-01", "2025-04-01", 1);
    // Last article 2025-03-18 09:00: the window [03-18 00:00, 04-01 00:00) holds it.
    let mut edge_in = account("edge_in");
    edge_in.articles = series("edge_in", "2025-01-01", "2025-03-19", 2);
    edge_in.articles.retain(|a| a.published_at < parse_time("t", "2025-03-18T23:59:59").unwrap());
    // Last article 2025-03-17 23:59: one minute outside the window.
    let mut stale = account("stale");
    stale.articles = vec![article("stale", 0, "2025-03-17T23:59:00")];
    let mut dormant = account("dormant");
    dormant.articles = vec![article("dormant", 0, "2024-12-01T10:00:00")];
    // An article at 2025-04-01 00:00 is after the check point: it does not count.
    let mut after = account("after");
    after.articles =
        vec![article("after", 0, "2025-03-10T10:00:00"), article("after", 1, "2025-04-01T00:00:00")];
    // Every 20 days, last 2025-03-22: day 10 of silence, veto on 04-06.
    let mut slow = account("slow");
    slow.articles = series("slow", "2025-01-21", "2025-04-01", 20);
    let s = survey(vec![fresh, edge_in, stale, dormant, after, slow]);
    let r = run(&mut TimelinessCheck::default(), &s);
    assert!(codes(&r[0]).is_empty(), "{:?}", r[0].findings);
    assert_eq!(r[0].metrics["days_since_last"], 1.0);
    assert!(r[0].metrics["score"] > 0.9);
    assert_eq!(r[1].metrics["days_since_last"], 14.0);
    assert_eq!(codes(&r[1]), ["update.stale_warning"]);
    assert_eq!(r[1].findings[0].evidence["veto_date"], "2025-04-02");
    assert_eq!(r[1].findings[0].evidence["days_left"], 1);
    assert_eq!(codes(&r[2]), ["update.stale_14d"]);
    assert_eq!(r[2].findings[0].evidence["last_published"], "2025-03-17");
    assert_eq!(r[2].metrics["score"], 0.0);
    assert_eq!(codes(&r[3]), ["update.stale_14d", "update.dormant"]);
    assert_eq!(codes(&r[4]), ["update.stale_14d"]);
    let slow = &r[5];
    assert_eq!(codes(slow), ["update.stale_warning"]);
    assert_eq!(slow.findings[0].evidence["veto_date"], "2025-04-06");
    assert_eq!(slow.findings[0].evidence["threshold_days"], 10);
    assert_eq!(slow.metrics["median_gap_days"], 20.0);
}

/// A typhoon in Shanghai (region codes 31…) on 2025-03-10 08:00, keyword 台风.
fn typhoon() -> Event {
    Event {
        id: "e1".into(),
        title: "台风海燕".into(),
        kind: EventKind::NaturalDisaster,
        occurred_at: parse_time("t", "2025-03-10T08:00:00").unwrap(),
        scope: EventScope::Regions(vec!["310000".into()]),
        keywords: vec!["台风".into()],
    }
}

#[test]
fn timeliness_event_response() {
    let mut quick = account("quick");
    quick.account.region = Some("310101".into());
    quick.articles = series("quick", "2025-03-01", "2025-04-01", 1);
    let mut answer = article("quick", 99, "2025-03-10T12:00:00");
    answer.title = "关于台风“海燕”的防御提示".into();
    quick.articles.push(answer);
    // Survey articles are oldest first.
    quick.articles.sort_by_key(|a| a.published_at);
    let mut silent = account("silent");
    silent.account.region = Some("310115".into());
    silent.articles = series("silent", "2025-03-01", "2025-04-01", 1);
    let mut outside = account("outside");
    outside.account.region = Some("440100".into());
    outside.articles = series("outside", "2025-03-01", "2025-04-01", 1);
    let mut s = survey(vec![quick, silent, outside]);
    s.events.push(typhoon());
    let r = run(&mut TimelinessCheck::default(), &s);
    assert_eq!(r[0].metrics["event_response"], 1.0);
    assert!(codes(&r[0]).is_empty());
    assert_eq!(codes(&r[1]), ["timeliness.late_response"]);
    assert_eq!(r[1].metrics["event_response"], 0.0);
    assert!(r[2].not_evaluated.contains_key("event_response"));
}

/// An answer that names the event only in its body is found in the first pass: assessed
/// without the bodies afterwards (as the second pass reads them), the account still answered;
/// a check that did not observe it has only the titles to go by.
#[test]
fn timeliness_event_answers_are_kept_from_the_first_pass() {
    let mut acc = account("quick");
    acc.account.region = Some("310101".into());
    acc.articles = series("quick", "2025-03-01", "2025-04-01", 1);
    let mut answer = article("quick", 99, "2025-03-10T12:00:00");
    answer.title = "今日提示".into();
    answer.content = Some("受台风影响，全市中小学停课一天。".into());
    acc.articles.push(answer);
    acc.articles.sort_by_key(|a| a.published_at);
    let mut s = survey(vec![acc]);
    s.events.push(typhoon());
    let mut bodiless = s.accounts[0].clone();
    for a in &mut bodiless.articles {
        a.content = None;
    }
    let mut observed = TimelinessCheck::default();
    observed.observe(&s.survey, &s.accounts, &NoProgress).unwrap();
    observed.prepare(&s.survey, &NoProgress).unwrap();
    let metric = |o: Outcome| match o {
        Outcome::Evaluated(a) => a.metrics["event_response"],
        Outcome::NotEvaluated(why) => panic!("{why}"),
    };
    assert_eq!(metric(observed.assess(&s.survey, &s.accounts[0])), 1.0);
    assert_eq!(metric(observed.assess(&s.survey, &bodiless)), 1.0);
    // A distributed run: one process observes, another assesses.
    let mut observer = TimelinessCheck::default();
    observer.observe(&s.survey, &s.accounts, &NoProgress).unwrap();
    let mut unobserved = TimelinessCheck::default();
    unobserved.absorb(&observer.take_observed().unwrap()).unwrap();
    unobserved.prepare(&s.survey, &NoProgress).unwrap();
    assert_eq!(metric(unobserved.assess(&s.survey, &s.accounts[0])), 1.0);
    assert_eq!(metric(unobserved.assess(&s.survey, &bodiless)), 0.0);
}

fn menu(v: serde_json::Value) -> Option<MenuSnapshot> {
    Some(MenuSnapshot {
        account: "x".into(),
        captured_at: parse_time("t", "2025-03-30T10:00:00").unwrap(),
        menu: v,
    })
}

#[test]
fn menu_findings() {
    let good = json!({"menu": {"button": [
        {"name": "政务公开", "sub_button": [
            {"type": "view", "name": "政策解读", "url": "https://www.x.gov.cn/zcjd/"},
            {"type": "view", "name": "信息公开", "url": "https://www.x.gov.cn/xxgk/"}]},
        {"name": "办事服务", "sub_button": [
            {"type": "view", "name": "社保查询", "url": "https://zwfw.x.gov.cn/sb"},
            {"type": "miniprogram", "name": "一网通办", "appid": "wx123", "pagepath": "pages/index"}]},
        {"name": "互动交流", "sub_button": [
            {"type": "view", "name": "领导信箱", "url": "https://www.x.gov.cn/hdjl/xx"}]}]}});
    let mut a = account("good");
    a.menu = menu(good);
    let mut none = account("none");
    none.menu = menu(json!({"is_menu_open": 0, "selfmenu_info": {"button": []}}));
    let mut unknown = account("unknown");
    unknown.menu = None;
    let mut bad = account("bad");
    bad.menu = menu(json!({"menu": {"button": [
        {"name": "便民服务", "sub_button": [
            {"type": "view", "name": "政策解读", "url": "https://www.x.gov.cn/zcjd/"},
            {"type": "view", "name": "疫情防控查询", "url": "https://www.x.gov.cn/yiqing"},
            {"type": "view", "name": "公积金查询", "url": "https://gjj.x.gov.cn/"}]},
        {"name": "我向总理说句话", "type": "view", "url": "https://tousu.www.gov.cn/hudong/"}]}}));
    let s = survey(vec![a, none, unknown, bad]);
    let r = run(&mut MenuCheck::default(), &s);
    assert!(codes(&r[0]).is_empty(), "{:?}", r[0].findings);
    assert_eq!(r[0].metrics["score"], 1.0);
    assert_eq!(codes(&r[1]), ["menu.none"]);
    assert_eq!(r[1].metrics["score"], 0.0);
    assert!(r[2].findings.is_empty() && r[2].not_evaluated.contains_key("score"));
    let c = codes(&r[3]);
    // The misplaced 政策解读 still provides disclosure.
    assert!(!c.contains(&"menu.missing_disclosure"), "{c:?}");
    assert!(!c.contains(&"menu.missing_service"));
    assert!(!c.contains(&"menu.missing_interaction"));
    assert!(c.contains(&"menu.national_platforms_only"));
    assert!(c.contains(&"menu.misplaced"));
    assert!(c.contains(&"menu.outdated_topic"));
    let misplaced = r[3].findings.iter().find(|f| f.code.as_str() == "menu.misplaced").unwrap();
    assert_eq!(misplaced.evidence["menu_path"], "便民服务/政策解读");
    assert_eq!(r[3].metrics["interaction"], 0.0);
    // A menu with only a service function misses the other two.
    let mut only = account("only");
    only.menu = menu(
        json!({"menu": {"button": [{"type": "view", "name": "办事大厅", "url": "https://zwfw.x.gov.cn"}]}}),
    );
    let r = run(&mut MenuCheck::default(), &survey(vec![only]));
    assert_eq!(codes(&r[0]), ["menu.missing_disclosure", "menu.missing_interaction"]);
}

fn comment(text: &str, at: &str, reply: Option<&str>) -> Comment {
    Comment {
        id: None,
        text: text.into(),
        created_at: parse_time("t", at).unwrap(),
        likes: None,
        featured: None,
        reply: reply.map(|r| Reply {
            text: "感谢关注，已转相关部门".into(),
            created_at: parse_time("t", r).unwrap(),
        }),
    }
}

#[test]
fn interaction_findings() {
    let interaction_menu =
        json!({"menu": {"button": [{"type": "view", "name": "留言咨询", "url": "https://x.gov.cn/hdjl"}]}});
    // Friday 2025-03-07 comment answered Monday 03-10 (within one working day), another
    // answered two days later; emoji-only and own comments are not valid.
    let mut answered = account("answered");
    let mut art = article("answered", 0, "2025-03-07T08:00:00");
    art.comments = vec![
        comment("请问社保卡在哪里办理？", "2025-03-07T10:00:00", Some("2025-03-10T16:00:00")),
        comment("公积金提取需要什么材料", "2025-03-11T10:00:00", Some("2025-03-13T10:00:00")),
        comment("[强][强]👍！！", "2025-03-07T11:00:00", None),
        comment("answered发布：欢迎大家留言", "2025-03-07T12:00:00", None),
    ];
    answered.articles = vec![art];
    answered.menu = menu(interaction_menu.clone());
    let mut ignored = account("ignored");
    let mut art = article("ignored", 0, "2025-03-01T08:00:00");
    art.comments = vec![comment("路灯坏了很久了，什么时候修？", "2025-03-03T09:00:00", None)];
    ignored.articles = vec![art];
    ignored.menu = menu(interaction_menu);
    let mut silent = account("silent");
    let mut art = article("silent", 0, "2025-03-01T08:00:00");
    art.comments = vec![comment("。。。", "2025-03-02T09:00:00", None)];
    silent.articles = vec![art];
    silent.menu = menu(
        json!({"menu": {"button": [{"type": "view", "name": "政务公开", "url": "https://x.gov.cn/xxgk"}]}}),
    );
    let mut closed = account("closed");
    closed.articles = vec![article("closed", 0, "2025-03-01T08:00:00")];
    closed.menu = menu(
        json!({"menu": {"button": [{"type": "view", "name": "政务公开", "url": "https://x.gov.cn/xxgk"}]}}),
    );
    let mut unknown_menu = account("unknown_menu");
    unknown_menu.articles = vec![article("unknown_menu", 0, "2025-03-01T08:00:00")];
    let s = survey(vec![answered, ignored, silent, closed, unknown_menu]);
    let r = run(&mut InteractionCheck::default(), &s);
    let a = &r[0];
    assert!(codes(a).is_empty(), "{:?}", a.findings);
    assert_eq!(a.metrics["valid_comments"], 2.0);
    assert_eq!(a.metrics["reply_ratio"], 1.0);
    assert_eq!(a.metrics["replied_within_1wd"], 0.5);
    assert_eq!(a.metrics["median_reply_hours"], (78.0 + 48.0) / 2.0);
    assert_eq!(a.stats["articles_with_valid_comments"], 1);
    assert_eq!(a.stats["articles_replied"], 1);
    assert_eq!(codes(&r[1]), ["interaction.unanswered"]);
    assert_eq!(r[1].findings[0].evidence["count"], 1);
    assert_eq!(r[1].metrics["score"], 0.0);
    assert_eq!(codes(&r[2]), ["interaction.no_valid_comments"]);
    assert!(r[2].not_evaluated.contains_key("score"));
    assert_eq!(r[2].metrics["effective_function"], 1.0);
    assert_eq!(codes(&r[3]), ["interaction.none", "interaction.no_valid_comments"]);
    assert_eq!(r[3].metrics["effective_function"], 0.0);
    // Without a menu snapshot the veto cannot be concluded.
    assert_eq!(codes(&r[4]), ["interaction.no_valid_comments"]);
    assert!(r[4].not_evaluated.contains_key("effective_function"));
}

#[test]
fn account_findings() {
    let mut ok = account("ok");
    ok.account.verified = Some(true);
    ok.account.intro = Some("为您提供政务资讯、办事指南和便民查询服务。".into());
    let mut unverified = account("unverified");
    unverified.account.verified = Some(false);
    let mut closed = account("closed");
    closed.account.status = AccountStatus::Closed;
    let mut migrated = account("migrated");
    migrated.account.status = AccountStatus::Migrated;
    let mut dup1 = account("dup1");
    dup1.account.owner = "某市人民政府办公室".into();
    let mut dup2 = account("dup2");
    dup2.account.owner = "某市人民政府办公室".into();
    let mut dept = account("dept");
    dept.account.intro = Some(
        "组织编制国家应急总体预案和规划，指导各地区各部门应对突发事件工作。负责安全生产综合监督管理，承担国家应对特别重大灾害指挥部工作。"
            .into(),
    );
    let s = survey(vec![ok, unverified, closed, migrated, dup1, dup2, dept]);
    let r = run(&mut AccountCheck::default(), &s);
    assert!(codes(&r[0]).is_empty());
    assert_eq!(r[0].metrics["score"], 1.0);
    assert_eq!(codes(&r[1]), ["account.unverified"]);
    assert_eq!(codes(&r[2]), ["account.closed"]);
    assert_eq!(r[2].metrics["score"], 0.0);
    assert_eq!(codes(&r[3]), ["account.migrated"]);
    assert_eq!(codes(&r[4]), ["account.duplicate"]);
    assert_eq!(codes(&r[5]), ["account.duplicate"]);
    assert_eq!(codes(&r[6]), ["account.intro_department_oriented"]);
}

#[test]
fn propagation_metrics_and_percentiles() {
    let mk = |id: &str, reads: u64| {
        let mut a = account(id);
        a.account.followers = Some(10_000);
        a.articles = (0..4)
            .map(|i| {
                let mut x = article(id, i, &format!("2025-03-0{}T09:00:00", i + 1));
                x.reads = Some(if reads > 100_000 { Reads::capped() } else { Reads::exact(reads) });
                x.likes = Some(reads / 100);
                x.wows = Some(reads / 200);
                x.shares = Some(reads / 50);
                x.position = Some(1);
                x
            })
            .collect();
        a
    };
    let s = survey(vec![mk("small", 100), mk("mid", 1000), mk("big", 200_000), account("empty")]);
    let r = run(&mut PropagationCheck::default(), &s);
    assert_eq!(r[0].metrics["reads"], 400.0);
    assert!((r[0].metrics["share_rate"] - 0.02).abs() < 1e-12);
    assert_eq!(r[2].metrics["capped_articles"], 4.0);
    assert_eq!(r[2].metrics["reads"], 400_004.0);
    // (1 + 0.5 + 2) per 100 reads … per article per 1,000 followers.
    assert!((r[1].metrics["engagement_per_1k_followers"] - 35.0 / 10.0).abs() < 1e-9);
    assert!(r[0].metrics["score"] < r[1].metrics["score"] && r[1].metrics["score"] < r[2].metrics["score"]);
    assert!(r[0].metrics["wci_14_2"] > 0.0 && r[0].metrics["wci_2_0"] > 0.0);
    assert!(r[3].not_evaluated.contains_key("score"));
}

#[test]
fn comments_not_collected_are_not_evaluated() {
    let mut a = account("nocomments");
    a.articles = vec![article("nocomments", 0, "2025-03-01T08:00:00")];
    a.menu = menu(
        json!({"menu": {"button": [{"type": "view", "name": "政务公开", "url": "https://x.gov.cn/xxgk"}]}}),
    );
    let mut closed = account("closed");
    let mut art = article("closed", 0, "2025-03-01T08:00:00");
    art.extra.insert("comments_open".into(), json!(false));
    closed.articles = vec![art];
    closed.menu = a.menu.clone();
    let s = survey(vec![a, closed]);
    let r = run(&mut InteractionCheck::default(), &s);
    assert!(r[0].findings.is_empty(), "{:?}", r[0].findings);
    assert_eq!(r[0].not_evaluated["valid_comments"], "数据集中未采集留言");
    assert!(r[0].not_evaluated.contains_key("effective_function"));
    assert_eq!(r[0].stats.keys().collect::<Vec<_>>(), ["articles_comments_not_collected"]);
    assert_eq!(codes(&r[1]), ["interaction.none"]);
}

#[test]
fn an_edited_lexicon_changes_classification() {
    use govmedia_checks::menu::{DEFAULT_LEXICON, MenuLexicon};
    let mut a = account("custom");
    a.menu = menu(json!({"menu": {"button": [
        {"type": "view", "name": "政务公开", "url": "https://x.gov.cn/xxgk"},
        {"type": "view", "name": "办事大厅", "url": "https://zwfw.x.gov.cn"},
        {"type": "view", "name": "民生直通车", "url": "https://x.gov.cn/ms"}]}}));
    let s = survey(vec![a]);
    let default = run(&mut MenuCheck::default(), &s);
    assert_eq!(codes(&default[0]), ["menu.missing_interaction"]);
    // A local word for a consultation channel, added to the interaction names.
    let edited = DEFAULT_LEXICON.replacen("\"互动\", \"交流\",", "\"互动\", \"交流\", \"直通车\",", 1);
    assert_ne!(edited, DEFAULT_LEXICON);
    let lexicon = MenuLexicon::parse(&edited).unwrap();
    let mut checks =
        govmedia_checks::structural_checks_with(lexicon, govmedia_checks::account::AccountCheck::default());
    let menu_check = checks.iter_mut().find(|c| c.name() == "menu").unwrap();
    let r = run(menu_check.as_mut(), &s);
    assert!(codes(&r[0]).is_empty(), "{:?}", r[0].findings);
    // Errors in an edited lexicon name the key and line.
    let e = MenuLexicon::parse(&DEFAULT_LEXICON.replacen("names = [", "nmaes = [", 1)).unwrap_err();
    assert!(e.contains("line") && e.contains("nmaes"), "{e}");
}

#[test]
fn introduction_sections_and_content_links() {
    let mut a = account("about");
    a.menu = menu(json!({"menu": {"button": [
        {"name": "办事服务", "sub_button": [
            {"type": "view", "name": "社保查询", "url": "https://zwfw.x.gov.cn/sb"},
            // One WeChat article is content, not a disclosure column.
            {"type": "view", "name": "重要通知", "url": "https://mp.weixin.qq.com/s?__biz=MzA5&mid=1&idx=1"}]},
        {"name": "互动交流", "sub_button": [{"type": "view", "name": "我要留言", "url": "https://x.gov.cn/lyb"}]},
        {"name": "走进某市", "sub_button": [
            {"type": "view", "name": "概况", "url": "https://x.gov.cn/gk"},
            {"type": "view", "name": "政策文件", "url": "https://x.gov.cn/zcwj"}]}]}}));
    let r = run(&mut MenuCheck::default(), &survey(vec![a]));
    // 政策文件 is a disclosure column, but it sits under the introduction section.
    assert_eq!(codes(&r[0]), ["menu.misplaced"]);
    assert_eq!(r[0].findings[0].evidence["menu_path"], "走进某市/政策文件");
    assert_eq!(r[0].findings[0].evidence["parent_function"], "介绍");
    let mut b = account("content_only");
    b.menu = menu(json!({"menu": {"button": [
        {"type": "view", "name": "办事大厅", "url": "https://zwfw.x.gov.cn"},
        {"type": "view", "name": "咨询投诉", "url": "https://x.gov.cn/zxts"},
        {"type": "view", "name": "通知公告", "url": "https://mp.weixin.qq.com/s/abcdef"}]}}));
    let r = run(&mut MenuCheck::default(), &survey(vec![b]));
    assert_eq!(codes(&r[0]), ["menu.missing_disclosure"]);
}

// Issue 17: scores an office can defend. Each test shows data on which the checks used to be
// wrong or silent, and what they say now.

/// Item 4: whether comments were collected is known per article, hence per account: an
/// account imported from a feed beside accounts with comments is neither told it has "no
/// valid comments" nor vetoed for having no interaction (before: both, since the survey held
/// comments somewhere).
#[test]
fn comments_collected_per_account_and_source() {
    let channel_free_menu =
        json!({"menu": {"button": [{"type": "view", "name": "政务公开", "url": "https://x.gov.cn/xxgk"}]}});
    let mut canonical = account("canonical");
    let mut art = article("canonical", 0, "2025-03-01T08:00:00");
    art.comments = vec![comment("请问何时开放预约？", "2025-03-01T09:00:00", Some("2025-03-01T10:00:00"))];
    canonical.articles = vec![art];
    canonical.menu = menu(channel_free_menu.clone());
    let mut from_feed = account("from_feed");
    from_feed.articles = (0..3)
        .map(|i| {
            let mut a = article("from_feed", i, &format!("2025-03-0{}T08:00:00", i + 1));
            a.comments_collected = Some(false);
            a
        })
        .collect();
    from_feed.menu = menu(channel_free_menu.clone());
    // A canonical account without comments on its articles: nobody commented.
    let mut quiet = account("quiet");
    quiet.articles = vec![article("quiet", 0, "2025-03-01T08:00:00")];
    quiet.menu = menu(channel_free_menu);
    let s = survey(vec![canonical, from_feed, quiet]);
    let r = run(&mut InteractionCheck::default(), &s);
    assert_eq!(r[0].metrics["valid_comments"], 1.0);
    assert!(r[1].findings.is_empty(), "{:?}", r[1].findings);
    assert!(r[1].not_evaluated["valid_comments"].contains("订阅源"), "{:?}", r[1].not_evaluated);
    assert!(r[1].not_evaluated.contains_key("effective_function"));
    assert_eq!(r[1].stats["articles_comments_not_collected"], 3);
    assert_eq!(codes(&r[2]), ["interaction.none", "interaction.no_valid_comments"]);
}

/// Item 3: unknown verification or introduction leaves the account score not evaluated
/// (before: 1.0, a full mark for missing data).
#[test]
fn account_score_needs_verification_and_introduction() {
    let mut known = account("known");
    known.account.verified = Some(true);
    known.account.intro = Some("为您提供政务资讯、办事指南和便民查询服务。".into());
    let unknown = account("unknown");
    let mut closed = account("closedacc");
    closed.account.status = AccountStatus::Closed;
    let r = run(&mut AccountCheck::default(), &survey(vec![known, unknown, closed]));
    assert_eq!(r[0].metrics["score"], 1.0);
    assert!(!r[1].metrics.contains_key("score"));
    assert!(r[1].not_evaluated["score"].contains("认证信息和功能介绍"), "{:?}", r[1].not_evaluated);
    // A closed account is known to fail whatever is missing.
    assert_eq!(r[2].metrics["score"], 0.0);
}

/// Item 8: the handbook's name and introduction limits, the verified subject against the
/// owner, a government account opened by the propaganda office, an account its website does
/// not show, and earlier names.
#[test]
fn handbook_and_state_council_rules() {
    let base = |id: &str| {
        let mut a = account(id);
        a.account.verified = Some(true);
        a.account.intro = Some("为您提供政务资讯、办事指南和便民查询服务。".into());
        a.account.website_listed = Some(true);
        a
    };
    let clean = base("clean");
    let mut long_name = base("long");
    long_name.account.name = "某某市人民政府办公室政务信息公开与便民服务发布平台".into();
    let mut symbol = base("symbol");
    symbol.account.name = "某市发布★".into();
    let mut short_intro = base("shortintro");
    short_intro.account.intro = Some("发布".into());
    let mut subject = base("subject");
    subject.account.verified_subject = Some("某市大数据中心".into());
    let mut opener = base("opener");
    opener.account.owner = "某市委宣传部".into();
    let mut province = base("province");
    province.account.level = Level::Province;
    province.account.owner = "某省人民政府新闻办公室".into();
    let mut unlisted = base("unlisted");
    unlisted.account.website_listed = Some(false);
    let mut renamed = base("renamed");
    renamed.account.former_names = vec!["某市政务".into()];
    let s = survey(vec![clean, long_name, symbol, short_intro, subject, opener, province, unlisted, renamed]);
    let r = run(&mut AccountCheck::default(), &s);
    assert!(codes(&r[0]).is_empty(), "{:?}", r[0].findings);
    assert_eq!(r[0].metrics["score"], 1.0);
    assert_eq!(codes(&r[1]), ["account.name_nonstandard"]);
    assert!(r[1].findings[0].message.contains("超出"), "{}", r[1].findings[0].message);
    assert_eq!(codes(&r[2]), ["account.name_nonstandard"]);
    assert!(r[2].findings[0].message.contains("★"));
    assert_eq!(codes(&r[3]), ["account.intro_nonstandard"]);
    assert_eq!(codes(&r[4]), ["account.subject_mismatch"]);
    assert_eq!(r[4].metrics["subject_consistent"], 0.0);
    assert_eq!(codes(&r[5]), ["account.wrong_opener"]);
    assert_eq!(r[5].findings[0].evidence["basis"], "主办单位");
    assert_eq!(codes(&r[6]), ["account.wrong_opener"]);
    assert_eq!(codes(&r[7]), ["account.not_listed"]);
    assert!((r[7].metrics["score"] - 0.8).abs() < 1e-9);
    assert_eq!(codes(&r[8]), ["account.renamed"]);
    assert_eq!(r[8].metrics["score"], 1.0);
}

/// Item 7: a 服务号 may mass-send four times a month, so weekly publishing earns the full
/// cadence part (before: held to the 订阅号 norm of three days a week, about half).
#[test]
fn update_frequency_knows_the_account_type() {
    let weekly = |id: &str, kind: Option<govmedia_model::Kind>| {
        let mut a = account(id);
        a.account.kind = kind;
        a.articles = series(id, "2025-01-01", "2025-04-01", 7);
        a
    };
    let s = survey(vec![
        weekly("service", Some(govmedia_model::Kind::Service)),
        weekly("subscription", Some(govmedia_model::Kind::Subscription)),
        weekly("unknown", None),
    ]);
    let r = run(&mut TimelinessCheck::default(), &s);
    assert!(r[0].metrics["score"] > 0.99, "{}", r[0].metrics["score"]);
    assert!(r[1].metrics["score"] < 0.6, "{}", r[1].metrics["score"]);
    assert_eq!(r[2].metrics["score"], r[1].metrics["score"]);
    assert!(r[2].stats["cadence_basis"].as_str().unwrap().contains("类型未知"));
}

/// Item 9: propagation ranks reads and the share, like and 在看 rates the survey names; a
/// counter that was not collected gives no rate (before: a rate of 0 and a WCI computed as if
/// nobody liked anything). Item 8: low reads relative to the level's median and followers.
#[test]
fn propagation_rates_and_low_reads() {
    let mk = |id: &str, reads: u64, likes: Option<u64>| {
        let mut a = account(id);
        a.account.followers = Some(100_000);
        a.articles = (0..4)
            .map(|i| {
                let mut x = article(id, i, &format!("2025-03-0{}T09:00:00", i + 1));
                x.reads = Some(Reads::exact(reads));
                x.likes = likes;
                x.wows = Some(reads / 100);
                x.shares = Some(reads / 25);
                x
            })
            .collect();
        a
    };
    let s = survey(vec![
        mk("a", 5000, Some(50)),
        mk("b", 4000, Some(200)),
        mk("c", 3000, Some(30)),
        mk("d", 6000, Some(60)),
        mk("nolikes", 5500, None),
        mk("tiny", 80, Some(1)),
    ]);
    let r = run(&mut PropagationCheck::default(), &s);
    // b has the highest like rate at the level.
    assert!(r[1].metrics["like_rate_percentile"] > r[0].metrics["like_rate_percentile"]);
    assert!(r[4].not_evaluated["like_rate"].contains("点赞数"));
    assert!(r[4].not_evaluated.contains_key("like_rate_percentile"));
    assert!(r[4].not_evaluated["wci_14_2"].contains("点赞数"));
    assert!(r[4].metrics.contains_key("wci_13_0") && r[4].metrics.contains_key("reads_percentile"));
    // The score is the mean of the rate percentiles the account has.
    let mean = ["reads_percentile", "share_rate_percentile", "wow_rate_percentile"]
        .iter()
        .map(|m| r[4].metrics[*m])
        .sum::<f64>()
        / 3.0;
    assert!((r[4].metrics["score"] - mean).abs() < 1e-12);
    assert_eq!(codes(&r[5]), ["content.low_reads"]);
    let f = &r[5].findings[0];
    assert!(f.message.contains("低于100") && f.message.contains("中位数"), "{}", f.message);
    assert!(codes(&r[0]).is_empty());
    // Followers: 5,000 reads an article are 5 % of 100,000; 500 would be 0.5 %.
    assert!((r[0].metrics["read_rate"] - 0.05).abs() < 1e-12);
}

// Issue 23: findings raised from the wrong signal, and units, introductions and menu items
// the checks did not recognise.

/// The update findings of one account whose last article is `days` days before `check`.
fn silent_for(id: &str, check: &str, days: u64, status: AccountStatus) -> Assessment {
    let mut a = account(id);
    a.account.status = status;
    let last = d(check) - chrono::Days::new(days);
    a.articles = vec![article(id, 0, &format!("{last}T09:00:00"))];
    let mut s = survey(vec![a]);
    s.check_date = d(check);
    s.period = Period { from: d(check) - chrono::Days::new(90), to: d(check) - chrono::Days::new(1) };
    run(&mut TimelinessCheck::default(), &s).remove(0)
}

fn update_codes(a: &Assessment) -> Vec<&'static str> {
    codes(a).into_iter().filter(|c| c.starts_with("update.")).collect()
}

/// Item 1: the warning counts days of silence (day 10: the operator, day 12: the supervising
/// office) and no longer follows the cadence: an account that published two days ago is not
/// warned however slow its rhythm (before: "剩余13天" from a 20-day median gap).
#[test]
fn stale_warning_counts_days_of_silence() {
    // Every 20 days, the last one two days before the check date.
    let mut slow = account("slow");
    slow.articles = series("slow", "2025-01-09", "2025-03-31", 20);
    assert_eq!(slow.articles.last().unwrap().published_at.date_naive(), d("2025-03-30"));
    let r = run(&mut TimelinessCheck::default(), &survey(vec![slow]));
    assert!(r[0].findings.is_empty(), "{:?}", r[0].findings);
    assert_eq!(r[0].metrics["median_gap_days"], 20.0);
    // Near misses: up to day 9 nothing; from day 15 the veto, not the warning.
    for days in [1, 2, 5, 9] {
        let r = silent_for("quiet", "2025-04-01", days, AccountStatus::Active);
        assert!(update_codes(&r).is_empty(), "day {days}: {:?}", r.findings);
    }
    let r = silent_for("vetoed", "2025-04-01", 15, AccountStatus::Active);
    assert_eq!(update_codes(&r), ["update.stale_14d"]);
    // Day 10 and 11: the operator (minor); day 12 to 14: the supervising office (major).
    for (days, severity, threshold, who) in [
        (10, "minor", 10, "请运维人员尽快发布"),
        (11, "minor", 10, "请运维人员尽快发布"),
        (12, "major", 12, "提醒主管单位"),
        (13, "major", 12, "提醒主管单位"),
        (14, "major", 12, "提醒主管单位"),
    ] {
        let r = silent_for("warned", "2025-04-01", days, AccountStatus::Active);
        assert_eq!(update_codes(&r), ["update.stale_warning"], "day {days}");
        let f = &r.findings[0];
        assert_eq!(serde_json::to_value(f.severity).unwrap(), severity, "day {days}");
        assert_eq!(f.evidence["threshold_days"], threshold);
        assert_eq!(f.evidence["days_since_last"], days);
        assert_eq!(f.evidence["days_left"], 15 - days);
        assert!(f.message.contains(who) && f.message.contains(&format!("已{days}天未发布")), "{}", f.message);
    }
}

/// Item 1: the warning dates the veto and counts the working days of the official calendar
/// left to publish (holidays off, make-up workdays on).
#[test]
fn stale_warning_counts_working_days_of_the_official_calendar() {
    // Check on Tuesday 2025-04-01, last article 03-22: the veto is hit on 04-06, a publication
    // up to 04-05 avoids it; 04-04 and 04-05 are 清明 holidays: 04-01 … 04-03 remain.
    let r = silent_for("qingming", "2025-04-01", 10, AccountStatus::Active);
    let f = &r.findings[0];
    assert_eq!(f.evidence["veto_date"], "2025-04-06");
    assert_eq!(f.evidence["days_left"], 5);
    assert_eq!(f.evidence["working_days_left"], 3);
    assert!(f.message.contains("若2025-04-05（含）前仍不发布，将于2025-04-06触发"), "{}", f.message);
    assert!(f.message.contains("其中工作日3天（最后一个工作日为2025-04-03）"), "{}", f.message);
    assert!(f.evidence["basis"].as_str().unwrap().contains("节假日和调休"));
    // Check on Saturday 2025-09-27, day 12: Sunday 09-28 is a make-up workday.
    let r = silent_for("makeup", "2025-09-27", 12, AccountStatus::Active);
    let f = &r.findings[0];
    assert_eq!(f.evidence["veto_date"], "2025-09-30");
    assert_eq!(f.evidence["working_days_left"], 2);
    assert!(f.message.contains("最后一个工作日为2025-09-29"), "{}", f.message);
    // Check on 2025-10-01, day 12: the days left are all National Day holidays.
    let r = silent_for("holiday", "2025-10-01", 12, AccountStatus::Active);
    let f = &r.findings[0];
    assert_eq!(f.evidence["working_days_left"], 0);
    assert!(f.message.contains("期间没有工作日"), "{}", f.message);
    // Beyond the calendar's years: Monday to Friday, and the finding says so.
    // Tuesday 2031-03-04, day 11: the deadline is Friday 03-07.
    let r = silent_for("future", "2031-03-04", 11, AccountStatus::Active);
    let f = &r.findings[0];
    assert_eq!(f.evidence["working_days_left"], 4);
    assert!(f.evidence["basis"].as_str().unwrap().contains("周一至周五"));
}

/// Item 1: a closed, missing or migrated account is out of scope: no warning, veto or
/// dormancy (before: all three), and nothing that a framework could veto on.
#[test]
fn closed_and_migrated_accounts_get_no_update_findings() {
    for status in [AccountStatus::Closed, AccountStatus::Missing, AccountStatus::Migrated] {
        for days in [11, 13, 40, 200] {
            let r = silent_for("gone", "2025-04-01", days, status);
            assert!(r.findings.is_empty(), "{status:?} day {days}: {:?}", r.findings);
            for m in ["days_since_last", "score"] {
                assert!(!r.metrics.contains_key(m), "{status:?}: {m}");
                assert!(r.not_evaluated[m].contains("不评估更新情况"), "{:?}", r.not_evaluated);
            }
            assert!(r.stats.contains_key("last_published"));
        }
        // No article at all: not dormant either.
        let mut empty = account("empty");
        empty.account.status = status;
        let mut other = account("other");
        other.articles = vec![article("other", 0, "2025-03-30T09:00:00")];
        let r = run(&mut TimelinessCheck::default(), &survey(vec![empty, other]));
        assert!(r[0].findings.is_empty(), "{:?}", r[0].findings);
    }
    // The same silences of an active account.
    let r = silent_for("active", "2025-04-01", 200, AccountStatus::Active);
    assert_eq!(update_codes(&r), ["update.stale_14d", "update.dormant"]);
}

/// Accounts of `owners` (owner, region), one each, run through the account check.
fn owners(list: &[(&str, Option<&str>)]) -> Vec<Assessment> {
    let accounts = list
        .iter()
        .enumerate()
        .map(|(i, (owner, region))| {
            let mut a = account(&format!("a{i}"));
            a.account.owner = (*owner).into();
            a.account.region = region.map(str::to_owned);
            a
        })
        .collect();
    run(&mut AccountCheck::default(), &survey(accounts))
}

/// The duplicate findings of an assessment (a media centre opening a government-level
/// account is also a wrong opener).
fn duplicate(a: &Assessment) -> Vec<&Finding> {
    a.findings.iter().filter(|f| f.code.as_str() == "account.duplicate").collect()
}

/// Item 2: one unit written two ways is one unit (before: only identical spellings were).
#[test]
fn duplicate_units_written_two_ways() {
    for (a, b) in [
        ("某市人民政府", "某市政府"),
        ("某市市场监督管理局", "某市市场监管局"),
        ("某省人力资源和社会保障厅", "某省人社厅"),
        ("某省人力资源社会保障厅", "某省人社厅"),
        ("某市卫生健康委员会", "某市卫健委"),
        ("某市发展和改革委员会", "某市发改委"),
        ("某省住房和城乡建设厅", "某省住建厅"),
        ("某县文化和旅游局", "某县文旅局"),
        // The government's account is run by its office: the survey counts it as its own.
        ("某市人民政府", "某市人民政府办公室"),
        ("某省人民政府办公厅", "某省政府"),
        ("中华人民共和国应急管理部", "应急管理部"),
        ("某市 人民政府（办公室）", "某市政府办"),
    ] {
        let r = owners(&[(a, Some("440100")), (b, Some("440100"))]);
        assert_eq!(duplicate(&r[0]).len(), 1, "{a} / {b}");
        assert_eq!(duplicate(&r[1]).len(), 1, "{a} / {b}");
        assert!(
            duplicate(&r[0])[0].message.contains(&format!("主办单位写作“{b}”")),
            "{}",
            duplicate(&r[0])[0].message
        );
    }
    // Different units: a media centre, the press office, a department, another level, and a
    // district of the same name in another city.
    for (a, b, ra, rb) in [
        ("某市人民政府", "某市融媒体中心", "440100", "440100"),
        ("某市人民政府", "某市人民政府新闻办公室", "440100", "440100"),
        ("某市人民政府", "某市市场监督管理局", "440100", "440100"),
        ("某省人社厅", "某市人社局", "440000", "440100"),
        ("某市卫健委", "某市卫生健康局", "440100", "440100"),
        ("鼓楼区人民政府", "鼓楼区政府", "320106", "350102"),
    ] {
        let r = owners(&[(a, Some(ra)), (b, Some(rb))]);
        assert!(duplicate(&r[0]).is_empty() && duplicate(&r[1]).is_empty(), "{a} / {b}");
    }
    // A region known for one account only does not separate them.
    let r = owners(&[("鼓楼区人民政府", Some("320106")), ("鼓楼区政府", None)]);
    assert_eq!(duplicate(&r[1]).len(), 1);
}

/// Item 2: the verified subject is compared with the owner by the same short forms.
#[test]
fn verified_subject_in_a_short_form_matches_its_owner() {
    let subject = |owner: &str, subject: &str| {
        let mut a = account("s");
        a.account.owner = owner.into();
        a.account.verified_subject = Some(subject.into());
        codes(&run(&mut AccountCheck::default(), &survey(vec![a]))[0])
    };
    assert!(subject("某市市场监督管理局", "某市市场监管局").is_empty());
    assert!(subject("某省人力资源和社会保障厅", "某省人社厅").is_empty());
    assert!(subject("某市人民政府", "某市人民政府办公室").is_empty());
    assert_eq!(subject("某市人民政府", "某市文化和旅游局"), ["account.subject_mismatch"]);
    assert_eq!(subject("某市市场监督管理局", "某市人社局"), ["account.subject_mismatch"]);
}

fn intro_codes(owner: &str, intro: &str) -> Vec<&'static str> {
    let mut a = account("intro");
    a.account.owner = owner.into();
    a.account.intro = Some(intro.into());
    codes(&run(&mut AccountCheck::default(), &survey(vec![a]))[0])
}

/// Item 3: an introduction that copies the unit's 三定 description is department-oriented
/// (before: only "由…主办，…承办" was caught); one that names the unit and then says what
/// users get is not.
#[test]
fn department_oriented_introductions_copy_the_mandate() {
    for (owner, intro) in [
        (
            "某市市场监督管理局",
            "某市市场监督管理局是市政府工作部门，主要负责全市市场综合监督管理，统一登记市场主体并建立信息公示和共享机制。",
        ),
        ("某省教育厅", "主管全省教育工作，贯彻落实党和国家的教育方针政策。"),
        (
            "某市卫生健康委员会",
            "贯彻落实党中央关于卫生健康工作的方针政策和决策部署，负责全市卫生健康事业的综合管理。",
        ),
        ("某县人民政府", "某县人民政府是县级国家行政机关，负责全县经济社会事务的管理工作。"),
        // A duty list that says 为…提供…服务 is still a duty list.
        (
            "某市人力资源和社会保障局",
            "某市人社局是市政府工作部门，主要负责全市就业和社会保障工作，统筹推进人才队伍建设，为劳动者提供公共就业服务。",
        ),
        // Self-presentation only: who runs it, its work and image.
        ("某市人民政府", "本账号由某市人民政府办公室主办，某市大数据中心承办。"),
        ("某市人民政府", "某市人民政府官方微信公众号，宣传某市工作动态，展示某市发展成就。"),
        ("某市人民政府", "某市人民政府"),
    ] {
        assert_eq!(intro_codes(owner, intro), ["account.intro_department_oriented"], "{intro}");
    }
    let mut a = account("evidence");
    a.account.owner = "某省教育厅".into();
    a.account.intro = Some("某省教育厅是省政府组成部门，主管全省教育工作。".into());
    let r = run(&mut AccountCheck::default(), &survey(vec![a]));
    assert_eq!(r[0].findings[0].evidence["department_phrases"], json!(["组成部门", "主管…工作"]));
}

#[test]
fn user_oriented_introductions_may_name_the_unit() {
    for (owner, intro) in [
        ("某市人民政府", "某市人民政府官方政务新媒体：为您提供政策解读、办事指南和便民查询服务"),
        ("某市人民政府", "发布某市权威政务信息，解读最新政策，提供便民办事服务，倾听群众意见建议。"),
        ("某县人民政府", "为您提供某县政策解读和办事指南，认真负责地答复每一条留言。"),
        ("某市市场监督管理局", "某市市场监督管理局官方服务号，发布监管信息，解读监管政策，提供政务服务。"),
        ("某市药品监督管理局", "负责发布全市药品安全信息，解读相关政策。"),
        ("某市卫生健康委员会", "由某市卫生健康委员会主办，及时发布卫生健康政策信息和健康知识，欢迎关注。"),
        (
            "某市人力资源和社会保障局",
            "某市人社局是市政府工作部门，主要负责全市就业和社会保障工作。关注本号，您可在线查询社保缴费记录。",
        ),
        // Nothing to go on: neither a duty nor a presentation cue.
        ("某市公安局", "等你很久了~"),
    ] {
        assert!(intro_codes(owner, intro).is_empty(), "{intro}");
    }
}

/// Item 4: news of leaders' activities and of the unit's work under a services or interaction
/// parent is misplaced, also as pushed articles (before: 领导活动 and 领导之窗 said nothing,
/// and a news push was skipped as content).
#[test]
fn news_under_services_or_interaction_is_misplaced() {
    // A first child that fits the parent.
    let sibling = |parent: &str| match parent {
        "政务公开" => "政策解读",
        "互动交流" => "我要留言",
        "走进某市" => "概况",
        _ => "社保查询",
    };
    let menu_of = |parent: &str, child: serde_json::Value| {
        let mut a = account("news");
        a.menu = menu(json!({"menu": {"button": [
            {"name": "政务公开", "sub_button": [
                {"type": "view", "name": "政策文件", "url": "https://www.x.gov.cn/zcwj/"}]},
            {"name": parent, "sub_button": [
                {"type": "view", "name": sibling(parent), "url": "https://www.x.gov.cn/a/"},
                child]},
            {"name": "互动", "sub_button": [
                {"type": "view", "name": "留言咨询", "url": "https://www.x.gov.cn/hdjl/"}]}]}}));
        let r = run(&mut MenuCheck::default(), &survey(vec![a])).remove(0);
        r.findings.into_iter().filter(|f| f.code.as_str() == "menu.misplaced").collect::<Vec<_>>()
    };
    let view = |name: &str| json!({"type": "view", "name": name, "url": "https://www.x.gov.cn/ldhd/"});
    let article = |name: &str| json!({"type": "view", "name": name, "url": "https://mp.weixin.qq.com/s/abc"});
    let push = |name: &str| json!({"type": "view_limited", "name": name, "media_id": "m1"});
    for (parent, child) in [
        ("办事服务", view("领导活动")),
        ("办事服务", view("领导之窗")),
        ("办事服务", view("要闻动态")),
        ("便民服务", push("工作动态")),
        ("办事服务", article("领导活动")),
        ("互动交流", view("领导讲话")),
    ] {
        let found = menu_of(parent, child.clone());
        assert_eq!(found.len(), 1, "{parent}/{child}");
        assert_eq!(found[0].evidence["item_function"], "新闻动态（政务公开）");
    }
    for (parent, child) in [
        ("政务公开", view("领导之窗")),
        ("互动交流", view("领导信箱")),
        ("办事服务", view("办事动态")),
        ("办事服务", article("重要通知")),
        ("走进某市", view("领导之窗")),
    ] {
        assert!(menu_of(parent, child.clone()).is_empty(), "{parent}/{child}");
    }
}

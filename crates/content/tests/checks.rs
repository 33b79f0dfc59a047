//! The content checks through the engine's interface, on real text and planted cases.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use govmedia_checks::SurveyData as Data;
use govmedia_checks::{AccountData, Assessment, Check, NoProgress, Outcome, Survey};
use govmedia_content::body::strip_html;
use govmedia_content::originality::OriginalityCheck;
use govmedia_content::safety::SafetyCheck;
use govmedia_content::{ContentError, ContentOptions, content_checks};
use govmedia_model::time::parse_time;
use govmedia_model::{Account, Article, Comment, FindingCode, Level, Period};

fn data() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data")).to_path_buf()
}

fn law(rel: &str) -> String {
    let s = std::fs::read_to_string(data().join("gov-text/laws").join(rel)).unwrap();
    s.split("<!-- INFO END -->").nth(1).unwrap_or(&s).to_owned()
}

fn chunk(s: &str, from: usize, chars: usize) -> String {
    s.chars().skip(from).take(chars).collect()
}

fn article(acc: &str, n: u32, day: &str, title: &str, body: String) -> Article {
    let mut a = Article::new(
        acc,
        format!("https://mp.weixin.qq.com/s/{acc}-{n}"),
        title,
        parse_time("t", day).unwrap(),
    );
    a.content = Some(body);
    a
}

fn account(id: &str, name: &str, articles: Vec<Article>) -> AccountData {
    AccountData {
        account: Account::new(id, name, format!("{name}主办单位"), Level::County),
        articles,
        menu: None,
    }
}

fn survey(accounts: Vec<AccountData>) -> Data {
    let survey = Survey {
        name: None,
        period: Period {
            from: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2025, 10, 31).unwrap(),
        },
        check_date: NaiveDate::from_ymd_opt(2025, 11, 1).unwrap(),
        accounts: accounts.iter().map(|a| a.account.clone()).collect(),
        events: Vec::new(),
        pages: BTreeMap::new(),
        dataset_dir: None,
        offline: true,
        generated_data: false,
    };
    Data { survey, accounts }
}

/// The engine's first pass and preparation, over every account of `s`.
fn prepare(check: &mut dyn Check, s: &Data) {
    check.observe(&s.survey, &s.accounts, &NoProgress).unwrap();
    check.prepare(&s.survey, &NoProgress).unwrap();
}

fn evaluated(o: Outcome) -> Assessment {
    match o {
        Outcome::Evaluated(a) => a,
        Outcome::NotEvaluated(r) => panic!("not evaluated: {r}"),
    }
}

fn codes(a: &Assessment) -> Vec<FindingCode> {
    a.findings.iter().map(|f| f.code).collect()
}

#[test]
fn unattributed_copy_of_another_accounts_law_text_is_a_duplicate_with_first_publisher() {
    let pipl = law("行政法/个人信息保护法(2021-08-20).md");
    let text = chunk(&pipl, 200, 1500);
    let other = chunk(&law("行政法/数据安全法(2021-06-10).md"), 200, 1500);
    let a = account(
        "A",
        "甲市发布",
        vec![article("A", 1, "2025-03-01T09:00:00", "个人信息保护法全文", text.clone())],
    );
    let b = account(
        "B",
        "乙县发布",
        vec![article("B", 1, "2025-03-02T09:00:00", "转：个人信息保护法", format!("来源：甲市发布\n{text}"))],
    );
    let c = account(
        "C",
        "丙区发布",
        vec![
            article("C", 1, "2025-03-03T09:00:00", "个人信息保护法", format!("{text}\n编辑：李四")),
            article("C", 2, "2025-03-04T09:00:00", "数据安全法", other),
        ],
    );
    let mut c_original = c.clone();
    c_original.account.id = "C2".into();
    c_original.articles.truncate(1);
    c_original.articles[0].url.push_str("-orig");
    c_original.articles[0].original = Some(true);
    let s = survey(vec![a, b, c, c_original]);
    let mut check = OriginalityCheck::new();
    prepare(&mut check, &s);

    let ra = evaluated(check.assess(&s, &s.accounts[0]));
    assert!(ra.findings.is_empty(), "{:?}", ra.findings);
    assert_eq!(ra.metrics["homogeneity"], 0.0);

    let rb = evaluated(check.assess(&s, &s.accounts[1]));
    assert!(rb.findings.is_empty(), "an attributed repost is not a duplicate");
    assert_eq!(rb.metrics["homogeneity"], 1.0);
    assert_eq!(rb.metrics["repost_rate"], 1.0);

    let rc = evaluated(check.assess(&s, &s.accounts[2]));
    assert_eq!(codes(&rc), [FindingCode::ContentDuplicate]);
    let f = &rc.findings[0];
    assert_eq!(f.evidence["first_account"], "A");
    assert!(f.message.contains("甲市发布") && f.message.contains("未注明来源"), "{}", f.message);
    assert_eq!(rc.metrics["homogeneity"], 0.5);
    assert!(rc.not_evaluated.contains_key("original_rate"));

    let rd = evaluated(check.assess(&s, &s.accounts[3]));
    assert_eq!(rd.findings[0].severity, govmedia_model::Severity::Major, "copy declared 原创");
    assert_eq!(rd.metrics["original_rate"], 1.0);
}

#[test]
fn real_law_text_and_saved_pages_raise_no_safety_findings() {
    let check = SafetyCheck::new();
    let mut arts = Vec::new();
    for (i, rel) in ["社会法/未成年人保护法(2024-04-26).md", "行政法规/政府信息公开条例(2019-04-03).md"]
        .iter()
        .enumerate()
    {
        arts.push(article("A", i as u32, "2025-05-01T10:00:00", "法规全文", law(rel)));
    }
    let pages = data().join("wechat/article-pages");
    let mut names: Vec<_> = std::fs::read_dir(&pages).unwrap().flatten().map(|e| e.path()).collect();
    names.sort();
    let mut wording = Vec::new();
    for (i, p) in names.iter().filter(|p| p.extension().is_some_and(|x| x == "html")).enumerate() {
        let html = std::fs::read_to_string(p).unwrap_or_default();
        let body = strip_html(&html);
        let a = article("A", 100 + i as u32, "2025-05-02T10:00:00", "保存的页面", body);
        let (f, _) = check.article_findings(&a);
        let serious: Vec<_> = f
            .iter()
            .filter(|f| {
                !matches!(f.code, FindingCode::ContentDocNumberFormat | FindingCode::ContentWordingError)
            })
            .map(|f| &f.message)
            .collect();
        assert!(serious.is_empty(), "{}: {serious:?}", p.display());
        wording.extend(
            f.iter()
                .filter(|f| f.code == FindingCode::ContentWordingError)
                .map(|f| f.evidence["term"].clone()),
        );
    }
    // The one real hit: a 2018 page still calls 神木 a county (it became a city in 2017).
    assert_eq!(wording, ["神木县"]);
    let s = survey(vec![account("A", "甲市发布", arts)]);
    let r = evaluated(check.assess(&s, &s.accounts[0]));
    assert!(r.findings.is_empty(), "{:?}", r.findings.iter().map(|f| &f.message).collect::<Vec<_>>());
    assert_eq!(r.metrics["score"], 1.0);
    assert!(r.not_evaluated.contains_key("negative_comment_rate"));
}

#[test]
fn planted_problems_in_law_text_are_each_found() {
    let base = chunk(&law("行政法规/地图管理条例(2015-11-26).md"), 100, 600);
    let planted = [
        (FindingCode::ContentSensitiveTerm, "有人在评论区宣扬法 轮 功，已删除。"),
        (FindingCode::ContentWordingError, "依据《中国人民共和国地图管理条例》办理。"),
        (FindingCode::ContentDocNumberFormat, "根据国办发[2018]123号文件精神。"),
        (FindingCode::ContentPiiExposed, "获奖人：张三，身份证号11010519491231002X。"),
        (FindingCode::ContentAiUnlabelled, "希望以上内容对您有所帮助！"),
    ];
    let check = SafetyCheck::new();
    for (i, (code, sentence)) in planted.iter().enumerate() {
        // After 2025-09-01, when the AI labelling rule took effect.
        let mut a =
            article("A", i as u32, "2025-09-15T10:00:00", "通知", format!("{base}\n{sentence}\n{base}"));
        a.comments.push(Comment {
            id: None,
            text: "反映了三次都没人管，就是在踢皮球".into(),
            created_at: parse_time("t", "2025-09-16T10:00:00").unwrap(),
            likes: None,
            featured: None,
            reply: None,
        });
        let s = survey(vec![account("A", "甲市发布", vec![a])]);
        let r = evaluated(check.assess(&s, &s.accounts[0]));
        assert_eq!(
            codes(&r),
            [*code],
            "{sentence}: {:?}",
            r.findings.iter().map(|f| &f.message).collect::<Vec<_>>()
        );
        let f = &r.findings[0];
        assert!(f.evidence.contains_key("url"));
        assert!(r.metrics["score"] < 1.0);
        assert_eq!(r.metrics["negative_comment_rate"], 1.0);
        if *code == FindingCode::ContentPiiExposed {
            assert!(
                !f.evidence["excerpt"].as_str().unwrap().contains("11010519491231002X"),
                "excerpt masks the number"
            );
        }
    }
}

#[test]
fn public_service_prose_and_dates_are_not_sensitive_and_repeats_are_counted_once() {
    let check = SafetyCheck::new();
    // Found by reading the national sample's diagnoses: 办理身份证 (houbb's illegal list, for
    // fake-document ads) and bare dates such as 6月4日 flagged ordinary notices.
    let a = article(
        "A",
        1,
        "2025-06-05T10:00:00",
        "便民｜身份证办理常见问题解答",
        "6月4日起，群众可在政务服务中心办理身份证，补办身份证、换领身份证也可预约。5月4日青年节活动照常举行。"
            .into(),
    );
    let (f, _) = check.article_findings(&a);
    assert!(f.is_empty(), "{:?}", f.iter().map(|f| &f.message).collect::<Vec<_>>());

    let body = "有人在评论区宣扬法 轮 功，已删除。又有人宣扬法轮功，再次删除。".to_owned();
    let (f, _) = check.article_findings(&article("A", 2, "2025-06-05T10:00:00", "通知", body));
    assert_eq!(f.len(), 1, "{:?}", f.iter().map(|f| &f.message).collect::<Vec<_>>());
    assert_eq!(f[0].evidence["occurrences"], 2);
}

#[test]
fn classification_notes_every_article_and_prefers_relative_engagement() {
    use govmedia_content::classification::ClassificationCheck;
    use govmedia_model::Reads;
    let mut arts = vec![
        article(
            "A",
            1,
            "2025-04-01T09:00:00",
            "关于印发《城市更新实施办法》的通知（全文+解读）",
            chunk(&law("行政法规/政府信息公开条例(2019-04-03).md"), 0, 2000),
        ),
        article("A", 2, "2025-04-02T09:00:00", "医保电子凭证怎么申领？办理指引来了", String::new()),
        article("A", 3, "2025-04-03T09:00:00", "市长主持召开常务会议", String::new()),
    ];
    arts[0].original = Some(true);
    arts[0].position = Some(1);
    arts[0].media = Some(govmedia_model::Media { images: 2, videos: 0, audios: 0 });
    arts[0].reads = Some(Reads::exact(3000));
    arts[0].likes = Some(200);
    arts[1].reads = Some(Reads::exact(1000));
    arts[2].reads = Some(Reads::capped());
    let s = survey(vec![account("A", "甲市发布", arts)]);
    let r = evaluated(ClassificationCheck::new().assess(&s, &s.accounts[0]));
    let cats: Vec<_> = r.articles.iter().map(|n| n.category.as_deref().unwrap()).collect();
    assert_eq!(cats, ["政策发布解读", "政务服务", "新闻活动"]);
    let ex: Vec<_> = r.articles.iter().map(|n| n.excellent.unwrap()).collect();
    // 100,001 reads alone do not make the meeting report excellent.
    assert_eq!(ex, [true, false, false]);
    assert!((r.metrics["score"] - 2.0 / 3.0).abs() < 1e-9);
}

#[test]
fn labelled_titles_of_an_evaluator_retrain_the_classification_check() {
    let dir = std::env::temp_dir().join(format!("govmedia-labelled-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("mine.csv");
    // An evaluator teaches that the local programme name "青苗行动" marks 科教文史 articles.
    let rows: String = (1..=6).map(|i| format!("青苗行动第{i}期,科教文史\n")).collect();
    std::fs::write(&path, format!("title,category\n{rows}")).unwrap();
    let s = survey(vec![account(
        "A",
        "甲市发布",
        vec![article("A", 1, "2025-03-01", "青苗行动", String::new())],
    )]);
    let category = |options: &ContentOptions| {
        let checks = content_checks(options).unwrap();
        let r = evaluated(checks[2].assess(&s, &s.accounts[0]));
        r.articles[0].category.clone().unwrap()
    };
    assert_ne!(category(&ContentOptions::default()), "科教文史");
    let mine = ContentOptions { labelled_titles: Some(path.clone()), ..ContentOptions::default() };
    assert_eq!(category(&mine), "科教文史");

    std::fs::write(&path, "title,category\n青苗行动,科教文史\n报名开始,活动通知\n").unwrap();
    let err = content_checks(&mine).err().unwrap();
    assert!(matches!(err, ContentError::Labelled(_)));
    assert!(err.to_string().ends_with("mine.csv:3: category: 未知类别「活动通知」，应为 政策发布解读、政务服务、社会关切、经验总结、科教文史、新闻活动"), "{err}");
    std::fs::write(&path, "title,label\n青苗行动,科教文史\n").unwrap();
    let err = content_checks(&mine).err().unwrap().to_string();
    assert!(err.ends_with("mine.csv: 缺少 category 列"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 17, item 3: articles without a body (feed and history-API imports carry titles only)
/// leave originality and safety not evaluated, instead of a near-perfect score for text never
/// read; their titles are still checked.
#[test]
fn articles_without_a_body_are_not_scored() {
    let titles_only = |id: &str| {
        let mut list = Vec::new();
        for (n, title) in ["市政府召开常务会议", "台湾总统选举引关注"].iter().enumerate() {
            let mut a = article(id, n as u32, "2025-03-01T09:00:00", title, String::new());
            a.content = None;
            list.push(a);
        }
        account(id, "订阅源账号", list)
    };
    let with_body = account(
        "body",
        "正文账号",
        vec![article("body", 0, "2025-03-01T09:00:00", "通知", "关于做好春季防火工作的通知。".repeat(20))],
    );
    let s = survey(vec![titles_only("feed"), with_body]);
    let mut safety = SafetyCheck::new();
    prepare(&mut safety, &s);
    let feed = evaluated(safety.assess(&s, &s.accounts[0]));
    assert!(!feed.metrics.contains_key("score"));
    assert!(feed.not_evaluated["score"].contains("无正文"), "{:?}", feed.not_evaluated);
    assert_eq!(feed.stats["articles_without_body"], 2);
    // The title's wording error is still found.
    assert_eq!(codes(&feed), [FindingCode::ContentWordingError]);
    assert_eq!(evaluated(safety.assess(&s, &s.accounts[1])).metrics["score"], 1.0);
    let mut originality = OriginalityCheck::new();
    prepare(&mut originality, &s);
    let feed = evaluated(originality.assess(&s, &s.accounts[0]));
    assert!(feed.not_evaluated["score"].contains("无正文"));
    assert!(feed.metrics.contains_key("repost_rate"));
    assert_eq!(evaluated(originality.assess(&s, &s.accounts[1])).metrics["score"], 1.0);
}

/// Issue 17, item 5: the safety veto can fire. A wrong name of the country, 涉台 wording, a
/// state-secret marking and a citizen's ID number carry severity veto (before: no lexicon
/// entry or detector did, so the veto never fired); an ordinary wording slip stays major.
#[test]
fn serious_safety_findings_carry_severity_veto() {
    let check = SafetyCheck::new();
    let severity = |body: &str, code: FindingCode| {
        let a = article("x", 0, "2025-03-01T09:00:00", "通知", body.to_owned());
        let (findings, _) = check.article_findings(&a);
        findings.iter().find(|f| f.code == code).map(|f| f.severity)
    };
    use govmedia_model::Severity;
    assert_eq!(
        severity("根据中华人民共合国有关法律规定。", FindingCode::ContentWordingError),
        Some(Severity::Veto)
    );
    assert_eq!(severity("台湾政府宣布了新措施。", FindingCode::ContentWordingError), Some(Severity::Veto));
    assert_eq!(severity("推进一带一路战略。", FindingCode::ContentWordingError), Some(Severity::Major));
    assert_eq!(
        severity("机密★1年\n关于调整干部任职的通知", FindingCode::ContentClassifiedMarking),
        Some(Severity::Veto)
    );
    assert_eq!(severity("保密教育：绝密级文件严禁上网。", FindingCode::ContentClassifiedMarking), None);
    // 11010519491231002X has a valid check digit.
    assert_eq!(
        severity("公示名单：张某，身份证号11010519491231002X。", FindingCode::ContentPiiExposed),
        Some(Severity::Veto)
    );
    assert_eq!(
        severity("联系电话13812345678、13912345678、13712345678。", FindingCode::ContentPiiExposed),
        Some(Severity::Major)
    );
}

//! Realistic, deterministic `Results` for tests and benches: accounts over every level, many
//! finding codes with evidence, vetoes, indicators not evaluated, generated data.

#![allow(dead_code)]

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use govmedia_model::results::{
    AccountResult, ArticleResult, IndexValue, IndicatorResult, NotEvaluated, Results,
};
use govmedia_model::{Finding, FindingCode as C, Level, Period, Severity};
use serde_json::json;

/// A tiny deterministic generator (64-bit LCG) so fixtures never change between runs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn unit(&mut self) -> f64 {
        self.below(10_000) as f64 / 10_000.0
    }
}

const INDICATORS: [(&str, &str, f64); 11] = [
    ("daily_ops", "日常运维", 0.15),
    ("menu", "菜单设置", 0.15),
    ("mobile", "移动端适配", 0.10),
    ("content.originality", "原创力", 0.10),
    ("content.safety", "安全力", 0.10),
    ("content.propagation", "传播力", 0.10),
    ("content.timeliness", "时效力", 0.05),
    ("content.interaction", "互动力", 0.10),
    ("function.disclosure", "政务公开", 0.05),
    ("function.service", "办事服务", 0.05),
    ("function.interaction", "互动交流", 0.05),
];

const CATEGORIES: [&str; 6] = ["政策发布解读", "政务服务", "社会关切", "经验总结", "科教文史", "新闻活动"];

/// (level, owner, name, region, field).
type Row = (Level, &'static str, &'static str, Option<&'static str>, Option<&'static str>);

/// The 20-account sample.
const SAMPLE: [Row; 20] = [
    (Level::Ministry, "示例发展和改革委员会", "示例发改", None, None),
    (Level::Ministry, "示例交通运输部", "示例交通", None, None),
    (Level::Ministry, "示例税务总局", "示例税务发布", None, None),
    (Level::Province, "福建省人民政府办公厅", "示例福建发布", Some("350000"), None),
    (Level::Province, "北京市人民政府办公厅", "示例首都之窗", Some("110000"), None),
    (Level::Province, "四川省人民政府办公厅", "示例四川发布", Some("510000"), None),
    (Level::ProvinceDept, "湖北省住房和城乡建设厅", "示例湖北住建", Some("420000"), Some("住房和城乡建设")),
    (Level::ProvinceDept, "江苏省民政厅", "示例江苏民政", Some("320000"), Some("民政")),
    (
        Level::ProvinceDept,
        "广东省人力资源和社会保障厅",
        "示例广东人社",
        Some("440000"),
        Some("人力资源和社会保障"),
    ),
    (Level::ProvinceDept, "湖北省医疗保障局", "示例湖北医保", Some("420000"), Some("医疗保障")),
    (Level::ProvinceDept, "福建省交通运输厅", "示例福建交通", Some("350000"), Some("交通运输")),
    (Level::ProvinceDept, "示例省教育厅", "示例教育", None, Some("教育")),
    (Level::Prefecture, "黄山市人民政府办公室", "示例黄山发布", Some("341000"), None),
    (Level::Prefecture, "长沙市人民政府办公厅", "示例长沙政务", Some("430100"), None),
    (Level::Prefecture, "厦门市人民政府办公厅", "示例厦门政务", Some("350200"), None),
    (Level::Prefecture, "乌兰察布市人民政府办公室", "示例乌兰察布", Some("150900"), None),
    (Level::Prefecture, "广州市人民政府办公厅", "示例广州政务", Some("440100"), None),
    (Level::County, "晋江市人民政府办公室", "示例晋江政务", Some("350582"), None),
    (Level::County, "深圳市坪山区人民政府办公室", "示例坪山政务", Some("440310"), None),
    (Level::County, "六安市裕安区人民政府办公室", "示例裕安政务", Some("341503"), None),
];

/// The 20-account sample.
pub fn sample() -> Results {
    let specs: Vec<_> = SAMPLE
        .iter()
        .map(|(l, o, n, r, f)| {
            (*l, (*o).to_owned(), (*n).to_owned(), r.map(str::to_owned), f.map(str::to_owned))
        })
        .collect();
    build(specs, 7)
}

/// A national-scale survey: the 2025 level sizes (51/30/329/239/33 = 682 accounts).
pub fn national() -> Results {
    let mut specs = Vec::new();
    for (level, n, what) in [
        (Level::Ministry, 51, "部"),
        (Level::Province, 30, "省"),
        (Level::ProvinceDept, 329, "厅"),
        (Level::Prefecture, 239, "市"),
        (Level::County, 33, "县"),
    ] {
        for i in 0..n {
            let region =
                (level != Level::Ministry).then(|| format!("{}{:04}", 11 + (i * 7) % 55, i * 3 % 10_000));
            let field =
                (level == Level::ProvinceDept).then(|| ["教育", "民政", "税务", "公安"][i % 4].to_owned());
            specs.push((
                level,
                format!("示例{what}单位{i:03}"),
                format!("示例{what}发布{i:03}"),
                region,
                field,
            ));
        }
    }
    build(specs, 11)
}

type Spec = (Level, String, String, Option<String>, Option<String>);

fn build(specs: Vec<Spec>, seed: u64) -> Results {
    let mut rng = Rng(seed);
    let period = Period {
        from: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2025, 10, 31).unwrap(),
    };
    let check = NaiveDate::from_ymd_opt(2025, 11, 1).unwrap();
    let mut accounts = Vec::new();
    let mut articles = Vec::new();
    for (i, (level, owner, name, region, field)) in specs.into_iter().enumerate() {
        let id = if i % 3 == 0 { format!("gh_{:012x}", 0xabc000 + i) } else { format!("MjM5{i:06}MA==") };
        let mut findings = problems(i, &name, &mut rng, check);
        let stale = i % 9 == 4;
        let no_interaction = i % 13 == 7;
        if stale {
            let last = check - Days::new(20 + rng.below(30));
            findings.insert(
                0,
                Finding::new(
                    C::UpdateStale14d,
                    Severity::Veto,
                    format!("监测时间点前两周内无更新，最近一次发布于 {last}"),
                )
                .with("last_published", last.to_string())
                .with("days", (check - last).num_days()),
            );
        }
        if no_interaction {
            findings.insert(
                0,
                Finding::new(
                    C::InteractionNone,
                    Severity::Veto,
                    "未提供任何有效互动功能（留言、咨询、信箱）",
                ),
            );
        }
        let vetoes: Vec<String> = findings
            .iter()
            .filter(|f| f.severity == Severity::Veto)
            .map(|f| f.code.as_str().to_owned())
            .collect();
        let no_comments = i % 4 == 1;
        let mut indicators = BTreeMap::new();
        let mut total = 0.0;
        for (k, (id_, label, w)) in INDICATORS.iter().enumerate() {
            let (score, weight, why) = match *id_ {
                "mobile" => (None, 0.0, Some("未评估：离线评估未配置浏览器，移动端适配未检查".to_owned())),
                "content.timeliness" if i % 2 == 0 => {
                    (None, 0.0, Some("未评估：数据期间内无涉及本账号的重大事件".to_owned()))
                }
                "content.interaction" if no_comments => {
                    (None, 0.0, Some("未评估：无有效留言，权重转入传播力".to_owned()))
                }
                "content.propagation" if no_comments => (Some(0.4 + 0.6 * rng.unit()), w + 0.10, None),
                _ => (
                    Some((0.35 + 0.65 * rng.unit() - 0.03 * k as f64 * rng.unit()).clamp(0.0, 1.0)),
                    *w,
                    None,
                ),
            };
            total += score.unwrap_or(0.0) * weight;
            indicators.insert(
                (*id_).to_owned(),
                IndicatorResult {
                    score,
                    weight,
                    name: Some((*label).to_owned()),
                    not_evaluated: why,
                    basis: None,
                },
            );
        }
        let evaluated: f64 = indicators.values().filter(|x| x.score.is_some()).map(|x| x.weight).sum();
        let score = (total / evaluated.max(0.01) * 100.0 * 100.0).round() / 100.0;
        let n_articles = if stale { 10 + rng.below(20) } else { 40 + rng.below(400) };
        let reads = (n_articles as f64 * (50.0 + 30_000.0 * rng.unit().powi(4))) as u64;
        let with_comments = n_articles / (3 + rng.below(10));
        let valid = if no_comments { 0 } else { with_comments / 2 + 1 };
        let replied = if no_comments { 0 } else { valid * rng.below(11) / 10 };
        let last = if stale { check - Days::new(25) } else { check - Days::new(1 + rng.below(12)) };
        let mut stats = serde_json::Map::new();
        stats.insert("articles".into(), json!(n_articles));
        stats.insert("reads".into(), json!(reads));
        stats.insert("articles_with_comments".into(), json!(with_comments));
        stats.insert("articles_with_valid_comments".into(), json!(valid));
        stats.insert("articles_replied".into(), json!(replied));
        stats.insert("last_published".into(), json!(format!("{last}T18:30:00+08:00")));
        let mut indices = BTreeMap::new();
        indices.insert(
            "wci".to_owned(),
            IndexValue { value: 200.0 + rng.unit() * 600.0, version: "14.2".into(), unverified: true },
        );
        let by_ai = i % 2 == 0;
        for k in 0..2 {
            let cat = CATEGORIES[(i + k) % CATEGORIES.len()];
            articles.push(ArticleResult {
                url: format!("https://mp.weixin.qq.com/s/{id}-{k}"),
                account: id.clone(),
                title: Some(format!(
                    "{}：{}",
                    cat,
                    ["一图读懂年度惠民政策", "办事指南更新", "回应群众关切"][(i + k) % 3]
                )),
                // The model classified every other account's articles: its category is shown,
                // the offline one beside it.
                published_at: None,
                reads: None,
                likes: None,
                category: Some(
                    if by_ai { CATEGORIES[(i + k + 1) % CATEGORIES.len()] } else { cat }.to_owned(),
                ),
                category_basis: Some(if by_ai { "ai" } else { "rules" }.to_owned()),
                category_offline: by_ai.then(|| cat.to_owned()),
                offline_confidence: None,
                quality: Some(0.7 + (k as f64) / 10.0),
                quality_basis: Some(if by_ai { "ai" } else { "rules" }.to_owned()),
                excellent: k == 0 && i % 4 == 0,
            });
        }
        accounts.push(AccountResult {
            id,
            name,
            owner,
            level,
            platform: Default::default(),
            region,
            field,
            score: Some(score),
            rank: None,
            not_evaluated: None,
            passed: vetoes.is_empty(),
            vetoes,
            indicators,
            indices,
            stats,
            findings,
            excellent: false,
        });
    }
    rank(&mut accounts);
    let mut statistics = serde_json::Map::new();
    let mut daily = serde_json::Map::new();
    let mut d = period.from;
    while d <= period.to {
        let weekday = chrono::Datelike::weekday(&d).num_days_from_monday();
        let base = if weekday >= 5 { 1 } else { 4 };
        daily.insert(d.to_string(), json!(base * accounts.len() as u64 / 10 + rng.below(5)));
        d = d.succ_opt().unwrap();
    }
    statistics.insert("daily_articles".into(), serde_json::Value::Object(daily));
    Results {
        framework: "ccid-2025".into(),
        framework_version: Some("2025.1".into()),
        survey_name: Some("2025年政务微信公众号调查（样例）".into()),
        period,
        check_date: check,
        generated_at: "2025-11-02T10:00:00+08:00".into(),
        govmedia_version: "0.1.0".into(),
        generated_data: true,
        units: Vec::new(),
        accounts,
        articles,
        not_evaluated: vec![
            NotEvaluated {
                check: "mobile.not_adapted".into(),
                reason: "离线评估，未配置浏览器（chromium），移动端适配检查未运行".into(),
            },
            NotEvaluated {
                check: "content.ai_unlabelled".into(),
                reason: "未配置国产大模型接口，AI 生成内容标识检查未运行".into(),
            },
        ],
        statistics,
    }
}

/// Ranks within each level by score, marks the top passed third as excellent.
fn rank(accounts: &mut [AccountResult]) {
    for level in Level::ALL {
        let mut idx: Vec<usize> = (0..accounts.len()).filter(|&i| accounts[i].level == level).collect();
        idx.sort_by(|&a, &b| {
            let key = |i: usize| accounts[i].score.unwrap_or(f64::NEG_INFINITY);
            key(b).total_cmp(&key(a)).then(accounts[a].id.cmp(&accounts[b].id))
        });
        let n = idx.len();
        for (r, &i) in idx.iter().enumerate() {
            accounts[i].rank = Some(r as u32 + 1);
            accounts[i].excellent = accounts[i].passed && r < n.div_ceil(3);
        }
    }
}

/// A rotating selection of non-veto problems with realistic evidence.
fn problems(i: usize, name: &str, rng: &mut Rng, check: NaiveDate) -> Vec<Finding> {
    let mut v = Vec::new();
    let pick = |k: usize| (i * 7 + k * 3).is_multiple_of(5);
    if pick(0) {
        v.push(
            Finding::new(
                C::LinkBroken,
                Severity::Major,
                format!("“{name}”菜单“办事服务/社保查询”链接无法访问（HTTP 404）"),
            )
            .with("url", format!("https://example.invalid/{i}/sb"))
            .with("menu_path", "办事服务/社保查询")
            .with("status", 404),
        );
    }
    if pick(1) {
        v.push(
            Finding::new(C::MenuMissingService, Severity::Major, "自定义菜单中没有办事服务类菜单")
                .with("menu_path", "信息发布、互动交流"),
        );
    }
    if pick(2) {
        v.push(
            Finding::new(C::LinkLoginRequired, Severity::Major, "菜单“办事服务/办事指南”须登录后才能查看")
                .with("url", format!("https://example.invalid/{i}/login"))
                .with("menu_path", "办事服务/办事指南"),
        );
    }
    if pick(3) {
        v.push(
            Finding::new(C::ContentWordingError, Severity::Major, "文章中使用了不规范表述")
                .with("title", "关于推进政务服务的通知")
                .with("term", "中华人民共合国")
                .with("suggestion", "中华人民共和国"),
        );
    }
    if pick(4) {
        v.push(
            Finding::new(C::MenuOutdatedTopic, Severity::Minor, "菜单保留过时专题“疫情防控”")
                .with("menu_path", "便民服务/疫情防控"),
        );
    }
    if i % 3 == 1 {
        let valid = 3 + rng.below(30);
        v.push(
            Finding::new(
                C::InteractionUnanswered,
                Severity::Major,
                format!("文章有 {valid} 条有效留言，均未回复"),
            )
            .with("title", "老旧小区改造政策解读")
            .with("valid_comments", valid)
            .with("replied", 0),
        );
    }
    if i % 5 == 2 {
        let days_left = 1 + rng.below(5);
        let veto = check + Days::new(days_left);
        v.push(
            Finding::new(
                C::UpdateStaleWarning,
                Severity::Info,
                format!("再过 {days_left} 天未更新将触发两周未更新否决"),
            )
            .with("days_left", days_left)
            .with("veto_date", veto.to_string()),
        );
    }
    if i % 6 == 3 {
        v.push(Finding::new(C::MenuNone, Severity::Major, "未设置自定义菜单"));
    }
    if i % 7 == 5 {
        v.push(
            Finding::new(
                C::AccountIntroDepartmentOriented,
                Severity::Minor,
                "功能介绍以本单位职能为主，未说明用户可获得的服务",
            )
            .with("excerpt", "本单位主要职责是……"),
        );
    }
    if i % 8 == 6 {
        v.push(
            Finding::new(C::ContentPiiExposed, Severity::Major, "公示文章中出现未脱敏的手机号")
                .with("excerpt", "联系电话：138****（已脱敏）"),
        );
    }
    if i % 10 == 9 {
        v.push(
            Finding::new(C::ContentDocNumberFormat, Severity::Minor, "发文字号年份使用了方括号")
                .with("excerpt", "某政发[2025]3号"),
        );
    }
    if i % 11 == 10 {
        v.push(
            Finding::new(C::LinkAppRequired, Severity::Major, "菜单“互动交流/市长信箱”只提示下载应用")
                .with("url", format!("https://example.invalid/{i}/app"))
                .with("menu_path", "互动交流/市长信箱"),
        );
    }
    v
}

//! The figures the 2025 national report prints, computed from the results so that govmedia's
//! report has a counterpart for each (or says why it has none): the best accounts on content
//! quality per level (its AI智评 lists), the low-reads problem, and a table of the report's
//! statistics beside ours.

use std::collections::BTreeMap;

use govmedia_model::results::{AccountResult, ArticleResult};
use govmedia_model::{FindingCode, Level};
use serde_json::{Map, Value, json};

/// The indicator whose score ranks the content-quality lists: the framework's 内容发布质量
/// block, by its id in the built-in ccid-2025.
pub const CONTENT_INDICATOR: &str = "content";
/// Share of a level's accounts listed as best on content quality (at least one, at most
/// [`CONTENT_LIST_MAX`]): the 2025 report lists 7 to 18 per level.
const CONTENT_LIST_SHARE: f64 = 0.2;
const CONTENT_LIST_MAX: usize = 20;

/// Per level, the accounts with the best content-quality score, best first.
pub fn content_quality(accounts: &[AccountResult]) -> Option<Map<String, Value>> {
    let mut out = Map::new();
    for level in Level::ALL {
        let mut scored: Vec<(&AccountResult, f64)> = accounts
            .iter()
            .filter(|a| a.level == level)
            .filter_map(|a| a.indicators.get(CONTENT_INDICATOR).and_then(|i| i.score).map(|s| (a, s)))
            .collect();
        if scored.is_empty() {
            continue;
        }
        scored.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.id.cmp(&y.0.id)));
        let n = ((scored.len() as f64 * CONTENT_LIST_SHARE).ceil() as usize).clamp(1, CONTENT_LIST_MAX);
        let list: Vec<Value> = scored
            .iter()
            .take(n)
            .map(|(a, s)| {
                json!({"id": a.id, "name": a.name, "owner": a.owner, "region": a.region,
                "content_score": (s * 1e4).round() / 100.0})
            })
            .collect();
        out.insert(level.as_str().into(), Value::Array(list));
    }
    (!out.is_empty()).then_some(out)
}

fn has(a: &AccountResult, code: FindingCode) -> bool {
    a.findings.iter().any(|f| f.code == code)
}

/// Per level: accounts with reads, and those with `content.low_reads`.
pub fn low_reads(accounts: &[AccountResult]) -> Map<String, Value> {
    let mut out = Map::new();
    for level in Level::ALL {
        let list: Vec<&AccountResult> = accounts.iter().filter(|a| a.level == level).collect();
        if list.is_empty() {
            continue;
        }
        let with_reads = list.iter().filter(|a| a.stats.contains_key("reads")).count();
        let low = list.iter().filter(|a| has(a, FindingCode::ContentLowReads)).count();
        out.insert(
            level.as_str().into(),
            json!({"accounts": list.len(), "with_reads": with_reads, "low_reads": low}),
        );
    }
    out
}

/// One row: the report's figure, its value there, and ours or why there is none.
fn row(figure: &str, report: &str, ours: Result<Value, String>) -> Value {
    match ours {
        Ok(v) => json!({"figure": figure, "report_2025": report, "value": v}),
        Err(why) => json!({"figure": figure, "report_2025": report, "not_available": why}),
    }
}

fn count(accounts: &[AccountResult], code: FindingCode) -> usize {
    accounts.iter().filter(|a| has(a, code)).count()
}

/// Each statistic the 2025 report prints, with govmedia's counterpart from these results.
pub fn report_statistics(
    accounts: &[AccountResult],
    articles: &[ArticleResult],
    statistics: &Map<String, Value>,
) -> Vec<Value> {
    let mut per_level: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for a in accounts {
        let e = per_level.entry(a.level.label()).or_default();
        e.0 += 1;
        e.1 += usize::from(a.excellent);
    }
    let funnel = &statistics["interaction_funnel"];
    let measured = |key: &str| -> Result<Value, String> {
        funnel
            .get(key)
            .filter(|v| !v.is_null())
            .cloned()
            .ok_or_else(|| funnel["not_evaluated"].as_str().unwrap_or("未采集留言，无法统计").to_owned())
    };
    let with_reads = accounts.iter().filter(|a| a.stats.contains_key("reads")).count();
    let ai_classified = articles.iter().filter(|a| a.ai_category().is_some()).count();
    let listed_known = accounts.iter().any(|a| a.stats.contains_key("website_listed"));
    vec![
        row(
            "各层级调查账号数",
            "国务院部委51、省级政府30、省级政府职能部门329、地级市政府239、区县政府33，共682个",
            Ok(json!(per_level.iter().map(|(l, (n, _))| (l.to_string(), json!(n))).collect::<Map<_, _>>())),
        ),
        row(
            "未开设微信公众号的单位",
            "省级政府2个单位未开设；省级部门、地级市“除去未开设的单位”",
            Err("数据集只含已开设的账号，未提供应开设而未开设的单位名录，无法统计".into()),
        ),
        row(
            "抽样文章数",
            "29684篇",
            Ok(json!(
                accounts.iter().filter_map(|a| a.stats.get("articles").and_then(Value::as_u64)).sum::<u64>()
            )),
        ),
        row("存在有效评论的文章占比", "不到1650篇，占5.6%", measured("valid_comment_share")),
        row("有评论的文章中进行了回复的比例", "36.6%", measured("replied_share")),
        row(
            "各层级优秀账号数",
            "部委7、省级政府9、省级政府职能部门21、地级市政府25、区县政府14",
            Ok(json!(per_level.iter().map(|(l, (_, e))| (l.to_string(), json!(e))).collect::<Map<_, _>>())),
        ),
        row(
            "优秀文章（含AI分类）",
            "各层级列出优秀文章及其AI分类",
            if articles.iter().any(|a| a.excellent) {
                Ok(json!({"excellent_articles": articles.iter().filter(|a| a.excellent).count(),
                    "ai_classified_articles": ai_classified}))
            } else {
                Err("本次评估未评出优秀文章".into())
            },
        ),
        row(
            "“内容发布质量”表现较好的账号（AI智评）",
            "各层级列出内容发布质量表现较好的账号",
            statistics.get("content_quality").map(|_| json!("见 statistics.content_quality")).ok_or_else(
                || "指标体系没有“内容发布质量”（content）指标，或该指标对所有账号均未评估".to_owned(),
            ),
        ),
        row(
            "省级政府职能部门分省份、分领域结果",
            "广东省、重庆市较好；人社、医保、民政、交通、税务等领域较好",
            statistics
                .get("province_dept")
                .map(|_| json!("见 statistics.province_dept"))
                .ok_or_else(|| "本次评估没有省级政府职能部门账号".to_owned()),
        ),
        row(
            "文章阅读量低（平均阅读量低于100）",
            "列为主要问题（三），举例某地级市政府账号平均阅读量低于100",
            if with_reads == 0 {
                Err("未采集阅读数".into())
            } else {
                Ok(
                    json!({"accounts_with_reads": with_reads, "low_reads": count(accounts, FindingCode::ContentLowReads)}),
                )
            },
        ),
        row(
            "账号开设主体不规范（非政府办公厅（室）开设）",
            "列为主要问题（一）",
            Ok(json!(count(accounts, FindingCode::AccountWrongOpener))),
        ),
        row(
            "账号未在政府网站展示",
            "列为主要问题（二）",
            if listed_known {
                Ok(json!(count(accounts, FindingCode::AccountNotListed)))
            } else {
                Err("未采集政府网站是否展示账号（website_listed）".into())
            },
        ),
        row(
            "菜单未设置或缺少三类功能",
            "列为最突出的问题（四）",
            Ok(json!({
                "menu.none": count(accounts, FindingCode::MenuNone),
                "menu.missing_disclosure": count(accounts, FindingCode::MenuMissingDisclosure),
                "menu.missing_service": count(accounts, FindingCode::MenuMissingService),
                "menu.missing_interaction": count(accounts, FindingCode::MenuMissingInteraction),
            })),
        ),
    ]
}

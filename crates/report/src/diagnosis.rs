//! One account's diagnosis (体检报告): score and rank, vetoes first, each finding with its
//! evidence and a concrete fix, when the 14-day veto will hit, comparison with the level.

use chrono::{Days, NaiveDate};
use govmedia_model::results::AccountResult;
use govmedia_model::{Finding, FindingCode, Severity};

use crate::doc::{Doc, score};
use crate::evidence;
use crate::fixes::fix;
use crate::summary::Summary;
use crate::survey::cn_num;

/// How many occurrences of one code a diagnosis lists before summarising the rest.
const MAX_LISTED: usize = 20;

pub fn build(s: &Summary<'_>, a: &AccountResult) -> Doc {
    let r = s.results;
    let mut d = Doc::new(format!("“{}”体检报告", a.name));
    d.cover_lines = vec![
        format!("主办单位：{}　层级：{}　账号：{}", a.owner, a.level.label(), a.id),
        format!("数据期间：{} 至 {}　监测时间点：{}", r.period.from, r.period.to, r.check_date),
        format!("生成时间：{}", r.generated_at),
    ];
    if r.generated_data {
        d.cover_lines.push("注意：本报告使用生成的样例数据，数值不反映真实账号情况。".to_owned());
    }
    let mut section = 0;
    let mut next = |d: &mut Doc, title: &str| {
        d.h1(format!("{}、{title}", cn_num(section + 1)));
        section += 1;
    };

    next(&mut d, "总体情况");
    overview(&mut d, s, a);

    next(&mut d, "单项否决");
    let vetoes: Vec<&Finding> = a.findings.iter().filter(|f| f.severity == Severity::Veto).collect();
    if vetoes.is_empty() && a.vetoes.is_empty() {
        d.para("未触发单项否决。");
    } else {
        d.para(format!(
            "本账号触发 {} 项单项否决（{}），无论其他指标得分高低，本次评估均判定为不合格，请优先整改。",
            a.vetoes.len().max(vetoes.len()),
            a.vetoes.join("、")
        ));
        findings(&mut d, &vetoes);
    }

    next(&mut d, "两周未更新预警");
    d.para(stale_outlook(a, r.check_date));

    next(&mut d, "问题与整改建议");
    let rest: Vec<&Finding> = a.findings.iter().filter(|f| f.severity != Severity::Veto).collect();
    if rest.is_empty() {
        d.para("除上述事项外，本次评估未发现其他问题。");
    } else {
        d.para(format!("共发现 {} 条问题，按严重程度排列，每类问题附证据和整改建议。", rest.len()));
        findings(&mut d, &rest);
    }

    next(&mut d, "各项指标得分");
    indicators(&mut d, s, a);

    let stats: Vec<Vec<String>> = a
        .stats
        .iter()
        .filter(|(_, v)| v.is_number() || v.is_string() || v.is_boolean())
        .map(|(k, v)| vec![stat_label(k).to_owned(), v.as_str().map_or_else(|| v.to_string(), str::to_owned)])
        .collect();
    if !stats.is_empty() {
        next(&mut d, "账号统计");
        d.table(None, &["统计项", "数值"], stats, Some(&[2, 3]));
    }

    next(&mut d, "说明");
    let mut notes: Vec<String> = a
        .indicators
        .iter()
        .filter_map(|(id, i)| {
            i.not_evaluated
                .as_ref()
                .map(|why| format!("指标“{}”未评估：{why}", i.name.as_deref().unwrap_or(id)))
        })
        .collect();
    notes.extend(r.not_evaluated.iter().map(|n| format!("检查“{}”未执行：{}", n.check, n.reason)));
    if notes.is_empty() {
        d.para("本账号的全部指标均已评估。");
    } else {
        d.para("以下内容未评估，不计分，也不代表不存在问题：");
        d.bullets(notes);
    }
    if r.generated_data {
        d.note("本报告数据为生成的样例数据，仅用于演示。");
    }
    d
}

fn overview(d: &mut Doc, s: &Summary<'_>, a: &AccountResult) {
    let level = s.level(a.level);
    let n = level.map_or(1, |l| l.accounts.len() - l.not_evaluated);
    let verdict = if a.passed { "通过" } else { "未通过（触发单项否决）" };
    let ranked = a.score.zip(a.rank);
    let median = level.and_then(|l| l.median);
    let mut rows = match ranked {
        Some((own, rank)) => {
            let median = median.unwrap_or(own);
            vec![
                vec!["综合得分".to_owned(), score(own)],
                vec!["层级排名".to_owned(), format!("第 {rank} 名 / 共 {n} 个（{}）", a.level.label())],
                vec!["评估结论".to_owned(), verdict.to_owned()],
                vec!["本层级中位数".to_owned(), score(median)],
                vec!["与中位数相比".to_owned(), compare(own - median)],
            ]
        }
        None => vec![
            vec!["综合得分".to_owned(), a.not_evaluated.clone().unwrap_or_else(|| "未评估".to_owned())],
            vec!["层级排名".to_owned(), "无得分，不参与排名".to_owned()],
            vec!["评估结论".to_owned(), verdict.to_owned()],
        ],
    };
    rows.push(vec!["问题数".to_owned(), a.findings.len().to_string()]);
    if a.excellent {
        rows.push(vec!["优秀账号".to_owned(), "是".to_owned()]);
    }
    for (k, v) in &a.indices {
        let mark = if v.unverified { "，公式权重未经公开来源确认" } else { "" };
        rows.push(vec![
            format!("传播指数 {}", k.to_uppercase()),
            format!("{:.1}（版本 {}{mark}）", v.value, v.version),
        ]);
    }
    d.table(None, &["项目", "结果"], rows, Some(&[2, 3]));
    d.para(match ranked {
        Some((own, rank)) => {
            let median = median.unwrap_or(own);
            format!(
                "本账号综合得分 {}，在{}中排名第 {rank} 位（共 {n} 个），与本层级中位数 {} 相比{}。",
                score(own),
                a.level.label(),
                score(median),
                compare(own - median)
            )
        }
        None => {
            "本账号没有任何指标可评估，因此不给出综合得分、不参与排名（不视为 0 分），原因见上表和“说明”。"
                .to_owned()
        }
    });
}

/// "高 3.2 分", "低 0.4 分" or "持平" (within display precision).
fn compare(diff: f64) -> String {
    if diff.abs() < 0.05 {
        "持平".to_owned()
    } else if diff > 0.0 {
        format!("高 {} 分", score(diff))
    } else {
        format!("低 {} 分", score(-diff))
    }
}

/// Findings grouped by code (most serious first), each with its evidence and one fix.
fn findings(d: &mut Doc, list: &[&Finding]) {
    let mut codes: Vec<(Severity, FindingCode)> = list.iter().map(|f| (f.severity, f.code)).collect();
    codes.sort();
    codes.dedup_by_key(|c| c.1);
    for (i, (sev, code)) in codes.iter().enumerate() {
        let of_code: Vec<&&Finding> = list.iter().filter(|f| f.code == *code).collect();
        d.h2(format!("{}. 【{}】{}（{} 条）", i + 1, sev.label(), code.title(), of_code.len()));
        let mut items: Vec<String> = of_code
            .iter()
            .take(MAX_LISTED)
            .map(|f| {
                let ev = evidence::text(&f.evidence);
                if ev.is_empty() { f.message.clone() } else { format!("{}。证据：{ev}", f.message) }
            })
            .collect();
        if of_code.len() > MAX_LISTED {
            items.push(format!(
                "另有 {} 条同类问题，详见 report.xlsx 的“问题清单”。",
                of_code.len() - MAX_LISTED
            ));
        }
        d.bullets(items);
        d.para(format!("整改建议：{}", fix(*code)));
    }
}

/// When the 14-day veto hits: already hit, the date given by the check's evidence, or the
/// day after the 14-day window that still contains the last publication.
pub fn stale_outlook(a: &AccountResult, check: NaiveDate) -> String {
    let date_in = |f: &Finding, keys: &[&str]| {
        keys.iter().find_map(|k| f.evidence.get(*k).and_then(|v| v.as_str()).and_then(parse_day))
    };
    if let Some(f) = a.findings.iter().find(|f| f.code == FindingCode::UpdateStale14d) {
        let last = date_in(f, &["last_published", "last_article"])
            .map(|d| format!("（最近一次发布：{d}）"))
            .unwrap_or_default();
        return format!(
            "截至监测时间点 {check}，本账号已连续两周以上未更新{last}，已触发“两周未更新”单项否决。请立即恢复更新。"
        );
    }
    let last = a
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::UpdateStaleWarning)
        .find_map(|f| date_in(f, &["last_published", "last_article"]))
        .or_else(|| {
            ["last_published", "last_article"]
                .iter()
                .find_map(|k| a.stats.get(*k)?.as_str().and_then(parse_day))
        });
    let hit = a
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::UpdateStaleWarning)
        .find_map(|f| date_in(f, &["veto_date", "hit_date", "date"]))
        .or_else(|| last.and_then(|l| l.checked_add_days(Days::new(15))));
    match (hit, last) {
        (Some(hit), last) => {
            let left = (hit - check).num_days();
            let since = last.map(|l| format!("最近一次发布为 {l}，")).unwrap_or_default();
            let when = if left > 0 {
                format!("距监测时间点还有 {left} 天")
            } else {
                "已到期".to_owned()
            };
            format!(
                "{since}按当前更新节奏，若此后不再发布新内容，将于 {hit} 触发“两周未更新”单项否决（{when}）。请在此日期前发布新内容，并保持每两周至少更新一次。"
            )
        }
        (None, _) => "结果中没有本账号最近一次发布的日期，无法推算两周未更新否决的触发日期。".to_owned(),
    }
}

fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

fn indicators(d: &mut Doc, s: &Summary<'_>, a: &AccountResult) {
    let mut chart_rows = Vec::new();
    let rows = a
        .indicators
        .iter()
        .map(|(id, i)| {
            let name = i.name.clone().unwrap_or_else(|| id.clone());
            let median = s.indicator_median(a.level, id);
            if let Some(v) = i.score {
                chart_rows.push((name.clone(), v, median));
            }
            vec![
                name,
                format!("{:.1}%", i.weight * 100.0),
                i.score.map_or_else(|| "未评估".to_owned(), |v| score(v * 100.0)),
                median.map_or_else(|| "—".to_owned(), |m| score(m * 100.0)),
                i.not_evaluated.clone().unwrap_or_default(),
            ]
        })
        .collect();
    d.table(None, &["指标", "权重", "得分", "层级中位数", "说明"], rows, Some(&[3, 1, 1, 1, 4]));
    if !chart_rows.is_empty()
        && let Ok(c) = crate::charts::account_vs_median(&chart_rows)
    {
        d.chart(&c);
    }
}

fn stat_label(key: &str) -> &str {
    match key {
        "articles" => "文章数",
        "reads" => "阅读量",
        "likes" => "点赞数",
        "wows" => "在看数",
        "shares" => "转发数",
        "articles_with_comments" => "有留言的文章",
        "articles_with_valid_comments" => "有有效留言的文章",
        "articles_replied" => "留言获回复的文章",
        "last_published" | "last_article" => "最近发布时间",
        "followers" => "关注数",
        "original_articles" => "原创文章数",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use govmedia_model::results::AccountResult;
    use govmedia_model::{Finding, Level};

    fn account() -> AccountResult {
        AccountResult {
            id: "gh_1".into(),
            name: "测试发布".into(),
            owner: "测试市人民政府办公室".into(),
            level: Level::Prefecture,
            platform: Default::default(),
            region: None,
            field: None,
            score: Some(80.0),
            rank: Some(1),
            not_evaluated: None,
            passed: true,
            vetoes: vec![],
            indicators: Default::default(),
            indices: Default::default(),
            stats: Default::default(),
            findings: vec![],
            excellent: false,
        }
    }

    #[test]
    fn veto_date_is_fifteen_days_after_last_publication() {
        let mut a = account();
        a.stats.insert("last_published".into(), "2025-10-25T09:30:00+08:00".into());
        let check = NaiveDate::from_ymd_opt(2025, 11, 1).unwrap();
        let t = stale_outlook(&a, check);
        assert!(t.contains("将于 2025-11-09 触发"), "{t}");
        assert!(t.contains("还有 8 天"), "{t}");
    }

    #[test]
    fn evidence_date_wins_and_hit_veto_is_stated() {
        let mut a = account();
        a.findings.push(
            Finding::new(FindingCode::UpdateStaleWarning, Severity::Info, "即将触发")
                .with("veto_date", "2025-11-05"),
        );
        let check = NaiveDate::from_ymd_opt(2025, 11, 1).unwrap();
        assert!(stale_outlook(&a, check).contains("将于 2025-11-05"));
        a.findings.push(Finding::new(FindingCode::UpdateStale14d, Severity::Veto, "两周未更新"));
        assert!(stale_outlook(&a, check).contains("已触发"));
    }
}

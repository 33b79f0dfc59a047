//! The survey report (调查研究报告), structured like the national reports: background and scope,
//! indicators, results, excellent accounts and articles, highlights, problems,
//! recommendations, method appendix.

use std::collections::BTreeMap;

use govmedia_model::results::{AccountResult, ArticleResult, UNDECIDED_CATEGORY as UNDECIDED};
use govmedia_model::{FindingCode, Severity};

use crate::charts::{self, menu_evaluated};
use crate::doc::{Chart, Doc, int, opt_score, pct, score};
use crate::evidence;
use crate::fixes::{self, RECOMMENDATIONS, anonymous, scrub};
use crate::summary::{Summary, stat};

/// The Chinese numeral of `n` (1–99) for section numbers: 一, 十, 十一, 二十一 ….
pub fn cn_num(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n].to_owned(),
        10..=19 => format!("十{}", DIGITS[n % 10]),
        20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        _ => n.to_string(),
    }
}

/// How many anonymised examples each problem shows.
const EXAMPLES: usize = 3;

pub fn build(s: &Summary<'_>, charts: &[Chart]) -> Doc {
    let r = s.results;
    let title = r.survey_name.clone().unwrap_or_else(|| "政务微信公众号调查研究报告".to_owned());
    let mut d = Doc::new(title);
    d.toc = true;
    d.cover_lines = vec![
        format!(
            "评估框架：{}{}",
            r.framework,
            r.framework_version.as_deref().map(|v| format!("（版本 {v}）")).unwrap_or_default()
        ),
        format!("数据期间：{} 至 {}　监测时间点：{}", r.period.from, r.period.to, r.check_date),
        format!("生成时间：{}　govmedia {}", r.generated_at, r.govmedia_version),
    ];
    if r.generated_data {
        d.cover_lines.push("注意：本报告使用生成的样例数据，数值不反映任何真实账号的情况。".to_owned());
    }
    background(&mut d, s);
    indicators(&mut d, s);
    results(&mut d, s, charts);
    highlights(&mut d, s);
    problems(&mut d, s, charts);
    recommendations(&mut d, s);
    crate::platforms::chapters(&mut d, s.all, charts, 7);
    appendix(&mut d, s);
    d
}

fn chart(d: &mut Doc, charts: &[Chart], id: &str) {
    if let Some(c) = charts::find(charts, id) {
        d.chart(c);
    }
}

fn background(d: &mut Doc, s: &Summary<'_>) {
    let r = s.results;
    d.h1("一、调查研究背景与范围");
    d.para(
        "政务新媒体是移动互联网时代党和政府联系群众、服务群众、凝聚群众的重要渠道。依据《国务院办公厅关于推进政务新媒体健康有序发展的意见》（国办发〔2018〕123号）和《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）的要求，本次调查研究对政务微信公众号的日常运维、菜单设置、内容发布质量、互动回应和功能建设情况进行系统评估，为推动政务新媒体规范、健康、高质量发展提供参考。",
    );
    d.h2("（一）调查范围");
    let total_articles: Option<u64> = {
        let v: Vec<u64> = r.accounts.iter().filter_map(|a| stat(a, "articles")).collect();
        (!v.is_empty()).then(|| v.iter().sum())
    };
    let mut text =
        format!("本次调查研究覆盖 {} 个层级，共 {} 个政务微信公众号", s.levels.len(), r.accounts.len());
    if let Some(n) = total_articles {
        text.push_str(&format!("、{} 篇文章", int(n)));
    }
    text.push_str(&format!(
        "。数据期间为 {} 至 {}（共 {} 天），监测时间点为 {}。",
        r.period.from,
        r.period.to,
        r.period.days(),
        r.check_date
    ));
    d.para(text);
    let rows = s
        .levels
        .iter()
        .map(|l| {
            let articles: Vec<u64> = l.accounts.iter().filter_map(|a| stat(a, "articles")).collect();
            vec![
                l.level.label().to_owned(),
                l.accounts.len().to_string(),
                if articles.is_empty() { "—".to_owned() } else { int(articles.iter().sum()) },
            ]
        })
        .chain(std::iter::once(vec![
            "合计".to_owned(),
            r.accounts.len().to_string(),
            total_articles.map_or_else(|| "—".to_owned(), int),
        ]))
        .collect();
    d.table(Some("表1 调查对象".to_owned()), &["层级", "账号数", "文章数"], rows, Some(&[3, 1, 1]));
    d.note("说明：一个单位同时开设多个微信公众号的，选择其中一个主账号作为调查研究对象。");
}

fn indicators(d: &mut Doc, s: &Summary<'_>) {
    d.h1("二、调查研究指标");
    d.h2("（一）指标体系与权重");
    d.para(format!(
        "本次评估采用“{}”指标体系，共 {} 项指标。各指标得分为 0 至 100，账号综合得分为各指标得分按权重加权之和。某项指标对某账号不适用或未能评估时，其权重按框架规则转移至其他指标（例如无有效留言时“互动力”权重转入“传播力”），下表列出多数账号适用的权重。",
        s.results.framework,
        s.indicators.len()
    ));
    let rows = s
        .indicators
        .iter()
        .map(|i| {
            vec![
                i.name.clone(),
                i.id.clone(),
                format!("{:.1}%", i.weight * 100.0),
                format!("{}/{}", i.evaluated, s.results.accounts.len()),
                i.mean.map_or_else(|| "未评估".to_owned(), |m| score(m * 100.0)),
            ]
        })
        .collect();
    d.table(
        Some("表2 指标体系、权重与平均得分".to_owned()),
        &["指标", "代码", "权重", "已评估账号", "平均得分"],
        rows,
        Some(&[3, 3, 1, 2, 1]),
    );
    d.h2("（二）单项否决");
    let vetoed = s.results.accounts.iter().filter(|a| !a.passed).count();
    d.para(format!(
        "依据《政府网站与政务新媒体检查指标》，存在安全泄密等严重问题、监测时间点前两周内无更新、互动回应差等情形的账号实行单项否决，无论其他指标得分高低均判定为不合格。本次评估中共有 {} 个账号触发单项否决，占 {}。",
        vetoed,
        pct(vetoed as f64, s.results.accounts.len() as f64)
    ));
}

fn results(d: &mut Doc, s: &Summary<'_>, charts: &[Chart]) {
    let r = s.results;
    d.h1("三、调查研究结果");
    d.h2("（一）总体结果");
    let scores: Vec<f64> = r.accounts.iter().filter_map(|a| a.score).collect();
    let passed = r.accounts.iter().filter(|a| a.passed).count();
    let excellent = r.accounts.iter().filter(|a| a.excellent).count();
    d.para(format!(
        "参评的 {} 个账号中 {} 个得出综合得分，平均得分 {}，中位数 {}；{} 个账号未触发单项否决（{}），{} 个账号评为优秀。",
        r.accounts.len(),
        scores.len(),
        opt_score(crate::summary::mean(&scores)),
        opt_score(crate::summary::median(&scores)),
        passed,
        pct(passed as f64, r.accounts.len() as f64),
        excellent
    ));
    let unscored: Vec<&AccountResult> = r.accounts.iter().filter(|a| a.score.is_none()).collect();
    if !unscored.is_empty() {
        d.para(format!(
            "{} 个账号没有任何指标可评估，不给出得分、不参与排名（不视为 0 分）：",
            unscored.len()
        ));
        d.bullets(
            unscored
                .iter()
                .map(|a| {
                    format!(
                        "“{}”（{}）：{}",
                        a.name,
                        a.level.label(),
                        a.not_evaluated.as_deref().unwrap_or("未评估")
                    )
                })
                .collect(),
        );
    }
    for l in &s.levels {
        if !l.excellent.is_empty() {
            let names: Vec<_> = l.excellent.iter().map(|a| a.owner.as_str()).collect();
            d.para(format!("{}政务微信公众号在{}中表现较好。", names.join("、"), l.level.label()));
        }
    }
    let rows = s
        .levels
        .iter()
        .map(|l| {
            vec![
                l.level.label().to_owned(),
                l.accounts.len().to_string(),
                opt_score(l.mean),
                opt_score(l.median),
                opt_score(l.max),
                opt_score(l.min),
                l.passed.to_string(),
                (l.accounts.len() - l.passed).to_string(),
                l.not_evaluated.to_string(),
                l.excellent.len().to_string(),
            ]
        })
        .collect();
    d.table(
        Some("表3 各层级得分概况".to_owned()),
        &["层级", "账号数", "平均分", "中位数", "最高分", "最低分", "通过", "否决", "无得分", "优秀"],
        rows,
        Some(&[3, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
    );
    chart(d, charts, "score-distribution");
    chart(d, charts, "reads-long-tail");
    let reads = s.reads_desc();
    if reads.len() < 2 {
        d.para(format!(
            "阅读量：未采集。{} 个账号中只有 {} 个的数据含阅读数（订阅源、历史消息等来源不提供阅读数），阅读量长尾分布与集中度不作统计，也不按 0 计算。",
            r.accounts.len(),
            reads.len()
        ));
    } else {
        let total: u64 = reads.iter().sum();
        let top = reads.len().div_ceil(5);
        let top_sum: u64 = reads[..top].iter().sum();
        d.para(format!(
            "阅读量呈明显长尾分布：数据期间各账号总阅读量合计 {}，阅读量最高的 {} 个账号（前 20%）占 {}，阅读量中位数为 {}。仅以阅读量排名容易失真，应结合内容质量与服务功能综合评价。",
            int(total),
            top,
            pct(top_sum as f64, total as f64),
            int(reads[reads.len() / 2])
        ));
    }

    d.h2("（二）各层级优秀账号");
    d.note("说明：以下各列表中的优秀政务微信公众号按照行政区划代码（GB/T 2260）排序，无地区代码的排在最后。");
    for (i, l) in s.levels.iter().enumerate() {
        d.h3(format!("{}. {}优秀政务微信公众号", i + 1, l.level.label()));
        if l.excellent.is_empty() {
            d.para(format!("{}本次无账号评为优秀。", l.level.label()));
            continue;
        }
        d.para(format!("{}优秀政务微信公众号，共 {} 个，如下表所示：", l.level.label(), l.excellent.len()));
        let rows = l
            .excellent
            .iter()
            .map(|a| {
                vec![
                    a.owner.clone(),
                    a.name.clone(),
                    a.region.clone().unwrap_or_default(),
                    opt_score(a.score),
                ]
            })
            .collect();
        d.table(None, &["单位名称", "微信公众号名称", "地区", "得分"], rows, Some(&[4, 4, 2, 1]));
    }
    // Sections (一) and (二) are fixed; the next ones are numbered as they appear.
    let mut next = 3;
    province_departments(d, s, &mut next);
    content_quality(d, s, &mut next);
    operations(d, s, charts, &mut next);
}

/// A numbered second-level heading "（N）title", advancing `n`.
fn numbered(d: &mut Doc, n: &mut usize, title: &str) {
    d.h2(format!("（{}）{title}", cn_num(*n)));
    *n += 1;
}

/// A group's figures from `statistics` (see `govmedia_score::stats`): accounts, passed, mean.
fn group_row(name: &str, g: &serde_json::Value) -> Vec<String> {
    let n = g["accounts"].as_u64().unwrap_or(0);
    vec![
        name.to_owned(),
        n.to_string(),
        g["passed"].as_u64().unwrap_or(0).to_string(),
        opt_score(g["mean_score"].as_f64()),
        opt_score(g["median_score"].as_f64()),
    ]
}

/// 省级政府职能部门 by province and by field, best mean first, as the 2025 report judges them.
fn province_departments(d: &mut Doc, s: &Summary<'_>, n: &mut usize) {
    let Some(pd) = s.results.statistics.get("province_dept") else { return };
    numbered(d, n, "省级政府职能部门分省份、分领域结果");
    let sorted = |m: &serde_json::Value| {
        let mut v: Vec<(String, serde_json::Value)> = m
            .as_object()
            .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        let mean = |g: &serde_json::Value| g["mean_score"].as_f64().unwrap_or(f64::NEG_INFINITY);
        v.sort_by(|a, b| mean(&b.1).total_cmp(&mean(&a.1)).then(a.0.cmp(&b.0)));
        v
    };
    let header = ["", "账号数", "通过", "平均分", "中位数"];
    let by_province = sorted(&pd["by_province"]);
    let by_field = sorted(&pd["by_field"]);
    let best = |v: &[(String, serde_json::Value)], name: &dyn Fn(&(String, serde_json::Value)) -> String| {
        v.iter().filter(|(_, g)| g["mean_score"].is_number()).take(3).map(name).collect::<Vec<_>>().join("、")
    };
    let province_name =
        |(code, g): &(String, serde_json::Value)| g["name"].as_str().unwrap_or(code).to_owned();
    d.para(format!(
        "从省份来看，{}的省级政府职能部门政务微信公众号平均得分较高；从领域来看，{}领域较好。",
        best(&by_province, &province_name),
        best(&by_field, &|(f, _)| f.clone())
    ));
    let mut h = header;
    h[0] = "省份";
    d.table(
        Some("表 省级政府职能部门分省份结果".to_owned()),
        &h,
        by_province.iter().map(|e| group_row(&province_name(e), &e.1)).collect(),
        Some(&[3, 1, 1, 1, 1]),
    );
    h[0] = "领域";
    d.table(
        Some("表 省级政府职能部门分领域结果".to_owned()),
        &h,
        by_field.iter().map(|(f, g)| group_row(f, g)).collect(),
        Some(&[3, 1, 1, 1, 1]),
    );
}

/// Articles the offline classifier could not decide, and, when another source (the AI)
/// decided the categories shown, how often the two differ.
fn classification_note(articles: &[ArticleResult]) -> String {
    let undecided = articles.iter().filter(|a| a.category.as_deref() == Some(UNDECIDED)).count();
    let mut note = if undecided == 0 {
        "所有文章的类别均已确定。".to_owned()
    } else {
        format!(
            "其中 {undecided} 篇（{}）离线分类的置信度不足，类别标为“{UNDECIDED}”，不计入各账号的类别占比。",
            pct(undecided as f64, articles.len() as f64)
        )
    };
    let compared: Vec<_> =
        articles.iter().filter_map(|a| Some((a.ai_category()?, a.category_offline.as_deref()?))).collect();
    let differ = compared.iter().filter(|(shown, offline)| shown != offline).count();
    if differ > 0 {
        note += &format!(
            "类别以 AI 智评结果为准，离线分类列于其旁：两者比较 {} 篇，不一致 {differ} 篇（{}）。",
            compared.len(),
            pct(differ as f64, compared.len() as f64)
        );
    }
    note
}

fn content_quality(d: &mut Doc, s: &Summary<'_>, n: &mut usize) {
    let r = s.results;
    numbered(d, n, "内容发布质量结果");
    let content: Vec<_> = s.indicators.iter().filter(|i| i.id.starts_with("content")).collect();
    if content.is_empty() {
        d.para("本次评估框架未包含内容发布质量指标。");
    } else {
        let header: Vec<String> =
            std::iter::once("层级".to_owned()).chain(content.iter().map(|i| i.name.clone())).collect();
        let rows = s
            .levels
            .iter()
            .map(|l| {
                std::iter::once(l.level.label().to_owned())
                    .chain(content.iter().map(|i| {
                        let v: Vec<f64> = l
                            .accounts
                            .iter()
                            .filter_map(|a| a.indicators.get(&i.id).and_then(|x| x.score))
                            .collect();
                        if v.is_empty() {
                            "未评估".to_owned()
                        } else {
                            score(v.iter().sum::<f64>() / v.len() as f64 * 100.0)
                        }
                    }))
                    .collect()
            })
            .collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        d.table(Some("表4 各层级内容发布质量平均得分".to_owned()), &header, rows, None);
    }
    best_content(d, s);
    let mut cats: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for a in &r.articles {
        let c = cats.entry(a.category.as_deref().unwrap_or("未分类")).or_default();
        c.0 += 1;
        c.1 += usize::from(a.excellent);
    }
    if r.articles.is_empty() {
        d.para("结果中没有文章分类数据，文章类别与优秀文章暂不可用。");
        return;
    }
    d.para(format!("共对 {} 篇文章进行了分类，各类别分布如下：", r.articles.len()));
    d.para(classification_note(&r.articles));
    let mut rows: Vec<_> = cats.iter().collect();
    rows.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
    let rows = rows
        .into_iter()
        .map(|(c, (n, e))| {
            vec![(*c).to_owned(), n.to_string(), pct(*n as f64, r.articles.len() as f64), e.to_string()]
        })
        .collect();
    d.table(
        Some("表5 文章类别分布".to_owned()),
        &["类别", "文章数", "占比", "优秀文章"],
        rows,
        Some(&[3, 1, 1, 1]),
    );
    d.h3("优秀文章");
    let by_ai = r.articles.iter().any(|a| a.excellent && a.quality_basis.as_deref() == Some("ai"));
    d.para(if by_ai {
        "优秀文章按 AI智评的内容质量（原创见解、可读性、实用性、表述规范）评选，未经模型评价的文章按规则质量信号（原创声明、正文篇幅、图片与音视频、头条位置、相对本账号阅读量中位数的表现和互动率）补充；不以绝对阅读量排名。每个层级按框架设定的篇数选取质量最高的文章，同一账号可入选多篇（不超过框架设定的上限），且只从评估通过的账号中评选。“AI分类”为模型给出的类别。"
    } else {
        "优秀文章按规则质量信号评选：原创声明、正文篇幅、图片与音视频、头条位置、相对本账号阅读量中位数的表现和互动率，不以绝对阅读量排名；每个层级按框架设定的篇数选取质量最高的文章，同一账号可入选多篇（不超过框架设定的上限），且只从评估通过的账号中评选。本次未配置 AI 模型，“AI分类”未评估，类别为规则分类器的结果。"
    });
    let mut any = false;
    for l in &s.levels {
        let mut rows: Vec<(&AccountResult, Vec<String>)> = r
            .articles
            .iter()
            .filter(|a| a.excellent)
            .filter_map(|art| {
                let acc = s.account(&art.account).filter(|a| a.level == l.level)?;
                Some((
                    acc,
                    vec![
                        acc.owner.clone(),
                        acc.name.clone(),
                        art.title.clone().unwrap_or_else(|| art.url.clone()),
                        art.ai_category().unwrap_or("未评估").to_owned(),
                        art.offline_category().unwrap_or("未分类").to_owned(),
                    ],
                ))
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        any = true;
        rows.sort_by_key(|(a, _)| (crate::summary::region_order(a.region.as_deref()), a.rank, a.id.clone()));
        d.para(format!("{}优秀文章 {} 篇，如下表所示：", l.level.label(), rows.len()));
        d.table(
            None,
            &["单位名称", "微信公众号", "文章标题", "AI分类", "规则分类"],
            rows.into_iter().map(|(_, r)| r).collect(),
            Some(&[3, 3, 6, 2, 2]),
        );
    }
    if !any {
        d.para("本次评估未评出优秀文章。");
    }
}

/// The accounts with the best 内容发布质量 score per level (the 2025 report's AI智评 lists).
fn best_content(d: &mut Doc, s: &Summary<'_>) {
    let Some(lists) = s.results.statistics.get("content_quality").and_then(|v| v.as_object()) else {
        d.para("内容发布质量表现较好的账号：未评估（指标体系没有内容发布质量指标，或该指标对所有账号均未评估）。");
        return;
    };
    d.h3("内容发布质量表现较好的账号");
    let ai =
        s.indicators.iter().any(|i| i.id.starts_with("content.") && i.id.ends_with(".ai") && i.evaluated > 0);
    d.para(if ai {
        "按“内容发布质量”指标得分（规则检测与 AI智评结合）排列，各层级列出得分最高的约五分之一账号："
    } else {
        "按“内容发布质量”指标得分排列，各层级列出得分最高的约五分之一账号。本次未配置 AI 模型，原创见解、表述准确等 AI智评分项未评估，得分只反映规则检测："
    });
    for l in &s.levels {
        let Some(list) = lists.get(l.level.as_str()).and_then(|v| v.as_array()) else { continue };
        let names: Vec<String> = list
            .iter()
            .map(|a| {
                format!(
                    "{}（{}，{}）",
                    a["owner"].as_str().unwrap_or(""),
                    a["name"].as_str().unwrap_or(""),
                    opt_score(a["content_score"].as_f64())
                )
            })
            .collect();
        d.para(format!("{}：{}。", l.level.label(), names.join("、")));
    }
}

fn operations(d: &mut Doc, s: &Summary<'_>, charts: &[Chart], n: &mut usize) {
    numbered(d, n, "更新、菜单与互动情况");
    chart(d, charts, "update-heatmap");
    chart(d, charts, "menu-coverage");
    chart(d, charts, "comment-funnel");
    if let Some(f) = s.funnel() {
        d.para(format!(
            "数据期间共发布文章 {} 篇，其中有有效留言的 {} 篇（{}），获得回复的 {} 篇，占有有效留言文章的 {}。",
            int(f.articles),
            int(f.with_valid_comments),
            pct(f.with_valid_comments as f64, f.articles as f64),
            int(f.replied),
            pct(f.replied as f64, f.with_valid_comments as f64)
        ));
    }
}

/// Good practices that the data actually shows; a highlight without evidence is left out.
fn highlights(d: &mut Doc, s: &Summary<'_>) {
    let r = s.results;
    d.h1("四、亮点做法总结");
    let mut items: Vec<(String, String)> = Vec::new();
    let names = |v: &[&AccountResult], n: usize| -> String {
        v.iter().take(n).map(|a| format!("“{}”", a.name)).collect::<Vec<_>>().join("、")
    };
    let weeks = (r.period.days() as f64 / 7.0).max(1.0);
    let mut steady: Vec<&AccountResult> = r
        .accounts
        .iter()
        .filter(|a| !a.findings.iter().any(|f| f.code.as_str().starts_with("update.")))
        .filter(|a| stat(a, "articles").is_some_and(|n| n as f64 >= weeks))
        .collect();
    if !steady.is_empty() {
        steady.sort_by(|a, b| stat(b, "articles").cmp(&stat(a, "articles")).then(a.id.cmp(&b.id)));
        items.push((
            "坚持常态更新，保持发布节奏".to_owned(),
            format!(
                "{} 个账号在数据期间平均每周发布至少一篇文章且未出现更新类问题，其中{}等账号发布最为活跃（{}篇）。",
                steady.len(),
                names(&steady, 3),
                stat(steady[0], "articles").unwrap_or(0)
            ),
        ));
    }
    let mut full_menu: Vec<&AccountResult> = r
        .accounts
        .iter()
        .filter(|a| menu_evaluated(s, a) && !a.findings.iter().any(|f| f.code.as_str().starts_with("menu.")))
        .collect();
    if !full_menu.is_empty() {
        let key = |a: &AccountResult| a.score.unwrap_or(f64::NEG_INFINITY);
        full_menu.sort_by(|a, b| key(b).total_cmp(&key(a)).then(a.id.cmp(&b.id)));
        items.push((
            "菜单设置规范，三大功能齐全".to_owned(),
            format!(
                "{} 个账号的自定义菜单同时具备政务公开、办事服务、互动交流功能且归类清晰，如{}。",
                full_menu.len(),
                names(&full_menu, 3)
            ),
        ));
    }
    let mut responsive: Vec<(&AccountResult, f64)> = r
        .accounts
        .iter()
        .filter_map(|a| {
            let valid = stat(a, "articles_with_valid_comments")?;
            let replied = stat(a, "articles_replied")?;
            (valid >= 3 && replied as f64 >= 0.8 * valid as f64).then_some((a, replied as f64 / valid as f64))
        })
        .collect();
    if !responsive.is_empty() {
        responsive.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.id.cmp(&b.0.id)));
        let ex: Vec<String> = responsive
            .iter()
            .take(3)
            .map(|(a, rate)| format!("“{}”（回复率 {:.0}%）", a.name, rate * 100.0))
            .collect();
        items.push((
            "积极回应留言，形成互动闭环".to_owned(),
            format!("{} 个账号对八成以上有有效留言的文章作出回复，如{}。", responsive.len(), ex.join("、")),
        ));
    }
    let excellent: Vec<_> = r.articles.iter().filter(|a| a.excellent).collect();
    if !excellent.is_empty() {
        let mut by_cat: BTreeMap<&str, usize> = BTreeMap::new();
        for a in &excellent {
            *by_cat.entry(a.category.as_deref().unwrap_or("未分类")).or_default() += 1;
        }
        let mut cats: Vec<_> = by_cat.into_iter().collect();
        cats.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let cats: Vec<_> = cats.iter().map(|(c, n)| format!("{c}{n}篇")).collect();
        let first = excellent[0];
        let who = s.account(&first.account).map(|a| format!("“{}”", a.name)).unwrap_or_default();
        items.push((
            "聚焦重点工作，提升内容品质".to_owned(),
            format!(
                "共评出优秀文章 {} 篇（{}），如{}发布的《{}》。",
                excellent.len(),
                cats.join("、"),
                who,
                first.title.as_deref().unwrap_or(&first.url)
            ),
        ));
    }
    let mut reach: Vec<&AccountResult> = r.accounts.iter().filter(|a| stat(a, "reads").is_some()).collect();
    if reach.len() >= 3 {
        reach.sort_by(|a, b| stat(b, "reads").cmp(&stat(a, "reads")).then(a.id.cmp(&b.id)));
        let ex: Vec<String> = reach
            .iter()
            .take(3)
            .map(|a| format!("“{}”（{}）", a.name, int(stat(a, "reads").unwrap_or(0))))
            .collect();
        items.push((
            "传播力突出，带动政务传播".to_owned(),
            format!("数据期间阅读量最高的账号为{}。", ex.join("、")),
        ));
    }
    let clean: Vec<&AccountResult> = r.accounts.iter().filter(|a| a.findings.is_empty()).collect();
    if !clean.is_empty() {
        items.push((
            "运维规范，未发现问题".to_owned(),
            format!("{} 个账号在本次评估中未发现任何问题，如{}。", clean.len(), names(&clean, 3)),
        ));
    }
    if items.is_empty() {
        d.para("本次评估数据中未发现可归纳的亮点做法。");
    }
    for (i, (h, p)) in items.into_iter().enumerate() {
        d.h2(format!("（{}）{h}", cn_num(i + 1)));
        d.para(p);
    }
}

fn problems(d: &mut Doc, s: &Summary<'_>, charts: &[Chart]) {
    let n = s.results.accounts.len();
    d.h1("五、主要问题分析");
    if s.codes.is_empty() {
        d.para("本次评估未发现问题。");
        return;
    }
    d.para(format!(
        "本次评估共发现 {} 类、{} 条问题。问题按涉及账号数从多到少排列，示例已匿名处理。",
        s.codes.len(),
        s.total_findings()
    ));
    chart(d, charts, "findings-by-type");
    for (i, c) in s.codes.iter().enumerate() {
        let num = cn_num(i + 1);
        d.h2(format!("（{num}）{}", c.code.title()));
        let veto = if c.severity == Severity::Veto { "，属单项否决项" } else { "" };
        d.para(format!(
            "共有 {} 个账号存在此问题（{} 条，问题代码 {}{}），占评估账号的 {}。",
            c.accounts,
            c.findings,
            c.code.as_str(),
            veto,
            pct(c.accounts as f64, n as f64)
        ));
        let mut seen: Vec<&str> = Vec::new();
        let mut examples = Vec::new();
        for (a, f) in &c.occurrences {
            if seen.contains(&a.id.as_str()) {
                continue;
            }
            seen.push(&a.id);
            let ev = evidence::anonymous(&f.evidence, a);
            let ev = if ev.is_empty() { String::new() } else { format!("（证据：{ev}）") };
            examples.push(format!("{}：{}{ev}", anonymous(a), scrub(&f.message, a)));
            if examples.len() == EXAMPLES {
                break;
            }
        }
        d.bullets(examples);
    }
}

fn recommendations(d: &mut Doc, s: &Summary<'_>) {
    d.h1("六、发展建议");
    let mut groups: BTreeMap<usize, Vec<(FindingCode, usize)>> = BTreeMap::new();
    for c in &s.codes {
        groups.entry(fixes::recommendation_of(c.code)).or_default().push((c.code, c.accounts));
    }
    if groups.is_empty() {
        d.para("本次评估未发现问题，建议保持现有运维水平，持续提升内容质量与服务能力。");
        return;
    }
    for (i, (g, codes)) in groups.into_iter().enumerate() {
        let (title, text) = RECOMMENDATIONS[g];
        d.h2(format!("（{}）{title}", cn_num(i + 1)));
        let found: Vec<_> = codes.iter().map(|(c, n)| format!("{}（{} 个账号）", c.title(), n)).collect();
        d.para(format!("针对本次发现的{}等问题，建议{text}", found.join("、")));
    }
}

fn appendix(d: &mut Doc, s: &Summary<'_>) {
    let r = s.results;
    d.h1("附录：评估方法");
    d.h2("（一）框架、版本与数据");
    d.bullets(vec![
        format!(
            "评估框架：{}{}",
            r.framework,
            r.framework_version.as_deref().map(|v| format!("，版本 {v}")).unwrap_or_default()
        ),
        format!("评估软件：govmedia {}", r.govmedia_version),
        format!("数据期间：{} 至 {}；监测时间点：{}", r.period.from, r.period.to, r.check_date),
        format!("结果生成时间：{}", r.generated_at),
        format!(
            "账号 {} 个，分类文章 {} 篇，问题 {} 条",
            r.accounts.len(),
            r.articles.len(),
            s.total_findings()
        ),
    ]);
    d.para("两周未更新的判定：监测时间点前 14 天（北京时间，含起始日零时、不含监测日零时）内无新发布内容即触发单项否决。各指标权重见表2；问题示例中的账号名称、单位名称与链接已隐去。");
    d.h2("（二）未评估事项");
    let mut items: Vec<String> =
        r.not_evaluated.iter().map(|n| format!("{}：{}", n.check, n.reason)).collect();
    for i in &s.indicators {
        for (why, count) in &i.not_evaluated {
            items.push(format!(
                "指标“{}”（{}）对 {} 个账号未评估：{}",
                i.name,
                i.id,
                count,
                evidence::reason(why)
            ));
        }
    }
    if items.is_empty() {
        d.para("本次评估的全部检查和指标均已执行。");
    } else {
        d.para("以下检查或指标未执行或对部分账号未评估，相应内容不计分，也不视为没有问题：");
        d.bullets(items);
    }
    report_figures(d, s);
    d.h2("（四）数据来源说明");
    if r.generated_data {
        d.para("本次评估使用的数据（全部或部分）为 govmedia 生成的样例数据，账号、文章、阅读量、留言等数值均为模拟生成，仅用于演示和测试，不反映任何真实政务新媒体账号的情况。");
    } else {
        d.para("本次评估仅使用政务微信公众号公开发布的信息（或账号主办单位授权提供的数据）；留言中的个人信息在存储前已脱敏。");
    }
    let with_reads = charts::accounts_with_stat(s, "reads");
    d.para(format!(
        "图表数据：得分分布与问题统计来自全部 {} 个账号的评估结果；阅读量长尾图基于 {} 个有阅读量统计的账号。",
        r.accounts.len(),
        with_reads
    ));
}

/// Each statistic the 2025 national report prints, beside this survey's counterpart.
fn report_figures(d: &mut Doc, s: &Summary<'_>) {
    let Some(rows) = s.results.statistics.get("report_statistics").and_then(|v| v.as_array()) else {
        return;
    };
    d.h2("（三）与2025年全国调查报告统计项对照");
    let show = |v: &serde_json::Value| match v {
        serde_json::Value::String(t) => t.clone(),
        serde_json::Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() != 0.0 && f < 1.0 => format!("{:.1}%", f * 100.0),
            _ => n.to_string(),
        },
        serde_json::Value::Object(o) => {
            o.iter().map(|(k, v)| format!("{}：{}", stat_name(k), v)).collect::<Vec<_>>().join("；")
        }
        other => other.to_string(),
    };
    let rows = rows
        .iter()
        .map(|r| {
            vec![
                r["figure"].as_str().unwrap_or("").to_owned(),
                r["report_2025"].as_str().unwrap_or("").to_owned(),
                match r.get("value") {
                    Some(v) => show(v),
                    None => format!("不可用：{}", r["not_available"].as_str().unwrap_or("")),
                },
            ]
        })
        .collect();
    d.table(
        Some("表 2025年调查报告统计项与本次评估".to_owned()),
        &["统计项", "2025年报告", "本次评估"],
        rows,
        Some(&[3, 4, 4]),
    );
}

/// Chinese names of the keys inside report statistics.
fn stat_name(key: &str) -> &str {
    match key {
        "excellent_articles" => "优秀文章",
        "ai_classified_articles" => "经AI分类的文章",
        "accounts_with_reads" => "有阅读数的账号",
        "low_reads" => "阅读量低的账号",
        other => FindingCode::ALL.iter().find(|c| c.as_str() == other).map_or(other, |c| c.title()),
    }
}

#[cfg(test)]
mod tests {
    use super::{ArticleResult, classification_note, cn_num};

    /// An article classified offline only (`offline: None`), or by the model with the offline
    /// category beside it.
    fn article(shown: &str, offline: Option<&str>) -> ArticleResult {
        ArticleResult {
            url: String::new(),
            account: String::new(),
            title: None,
            published_at: None,
            reads: None,
            likes: None,
            category: Some(shown.to_owned()),
            category_basis: Some(if offline.is_some() { "ai" } else { "rules" }.to_owned()),
            category_offline: offline.map(str::to_owned),
            offline_confidence: None,
            quality: None,
            quality_basis: None,
            excellent: false,
        }
    }

    #[test]
    fn undecided_articles_and_disagreements_with_the_ai_are_counted() {
        let offline_only = [article("未能确定", None), article("政务服务", None)];
        let note = classification_note(&offline_only);
        assert!(note.starts_with("其中 1 篇（50.0%）离线分类的置信度不足，类别标为“未能确定”"), "{note}");
        assert!(!note.contains("AI"), "{note}");

        let with_ai = [
            article("政务服务", Some("未能确定")),
            article("社会关切", Some("社会关切")),
            article("新闻活动", Some("经验总结")),
            article("新闻活动", None),
        ];
        let note = classification_note(&with_ai);
        assert!(note.contains("所有文章的类别均已确定。"), "{note}");
        assert!(note.contains("两者比较 3 篇，不一致 2 篇（66.7%）"), "{note}");
        assert_eq!(with_ai[0].offline_category(), Some("未能确定"));
        assert_eq!(with_ai[3].ai_category(), None);
    }

    #[test]
    fn section_numbers_are_chinese_numerals() {
        let got: Vec<String> = [1, 9, 10, 11, 19, 20, 21, 28, 99].iter().map(|n| cn_num(*n)).collect();
        assert_eq!(got, ["一", "九", "十", "十一", "十九", "二十", "二十一", "二十八", "九十九"]);
    }
}

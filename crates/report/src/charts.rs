//! The survey charts, drawn with plotters' SVG backend. The same SVG goes inline into the HTML
//! and, as a vector image, into the PDF. A chart whose data is missing carries the reason.

use chrono::{Datelike, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::ReportError;
use crate::doc::{Chart, int, pct};
use crate::fonts::FAMILY;
use crate::summary::{Summary, stat};
use govmedia_model::{FindingCode, Level};

const W: u32 = 720;
const INK: RGBColor = RGBColor(51, 51, 51);
const GRID: RGBColor = RGBColor(220, 220, 220);
const ACCENT: RGBColor = RGBColor(178, 34, 34);

/// One colour per level, in [`Level::ALL`] order.
const LEVEL_COLORS: [RGBColor; 6] = [
    RGBColor(178, 34, 34),
    RGBColor(224, 123, 57),
    RGBColor(212, 160, 23),
    RGBColor(42, 157, 143),
    RGBColor(38, 70, 83),
    RGBColor(136, 136, 136),
];

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// All survey charts, in the order the report shows them.
pub fn survey_charts(s: &Summary<'_>) -> Result<Vec<Chart>, ReportError> {
    Ok([
        score_distribution(s)?,
        reads_long_tail(s)?,
        findings_by_type(s)?,
        update_heatmap(s)?,
        menu_coverage(s)?,
        comment_funnel(s)?,
    ]
    .into_iter()
    .chain(app_charts(s)?)
    .collect())
}

/// Apps per store and per province (the app chapter), when the results have apps.
fn app_charts(s: &Summary<'_>) -> Result<Vec<Chart>, ReportError> {
    let Some(apps) = s.all.statistics.get("apps") else { return Ok(Vec::new()) };
    let count = |v: &serde_json::Value| v["apps"].as_u64().unwrap_or(0) as usize;
    let stores: Vec<(String, usize)> = apps["by_store"]
        .as_array()
        .map(|a| a.iter().map(|x| (x["store"].as_str().unwrap_or("").to_owned(), count(x))).collect())
        .unwrap_or_default();
    let mut regions: Vec<(String, usize)> = apps["by_region"]
        .as_object()
        .map(|o| o.values().map(|x| (x["name"].as_str().unwrap_or("").to_owned(), count(x))).collect())
        .unwrap_or_default();
    regions.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(vec![
        hbar("app-stores", "图7 各应用商店政务APP数量", &stores, |v| format!("{v} 个"))?,
        hbar("app-regions", "图8 政务APP地域分布", &regions, |v| format!("{v} 个"))?,
    ])
}

/// Looks a chart up by id.
pub fn find<'c>(charts: &'c [Chart], id: &str) -> Option<&'c Chart> {
    charts.iter().find(|c| c.id == id)
}

fn err(chart: &str) -> impl Fn(DrawingAreaErrorKind<std::io::Error>) -> ReportError + '_ {
    move |e| ReportError::Chart { chart: chart.to_owned(), message: e.to_string() }
}

fn font(px: f64) -> TextStyle<'static> {
    // The SVG backend writes size / 1.24 as the CSS font size.
    TextStyle::from((FAMILY, px * 1.24).into_font()).color(&INK)
}

fn text(
    area: &Area<'_>,
    s: &str,
    (x, y): (i32, i32),
    px: f64,
    h: HPos,
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    area.draw(&Text::new(s.to_owned(), (x, y), font(px).pos(Pos::new(h, VPos::Center))))
}

fn draw<F>(id: &str, title: &str, height: u32, f: F) -> Result<Chart, ReportError>
where
    F: FnOnce(&Area<'_>) -> Result<(), DrawingAreaErrorKind<std::io::Error>>,
{
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (W, height)).into_drawing_area();
        area.fill(&WHITE).map_err(err(id))?;
        f(&area).map_err(err(id))?;
        area.present().map_err(err(id))?;
    }
    Ok(Chart { id: id.to_owned(), title: title.to_owned(), svg: Ok(svg) })
}

fn unavailable(id: &str, title: &str, why: impl Into<String>) -> Chart {
    Chart { id: id.to_owned(), title: title.to_owned(), svg: Err(why.into()) }
}

/// Histogram of scores in 10-point bins, one bar per level in each bin.
fn score_distribution(s: &Summary<'_>) -> Result<Chart, ReportError> {
    let id = "score-distribution";
    let title = "图1 各层级得分分布";
    if !s.results.accounts.iter().any(|a| a.score.is_some()) {
        return Ok(unavailable(id, title, "没有得出综合得分的账号，无法绘制得分分布。"));
    }
    let bins: Vec<(Level, [u32; 10])> = s
        .levels
        .iter()
        .map(|l| {
            let mut b = [0u32; 10];
            for score in l.accounts.iter().filter_map(|a| a.score) {
                b[((score / 10.0).floor().max(0.0) as usize).min(9)] += 1;
            }
            (l.level, b)
        })
        .collect();
    let max = bins.iter().flat_map(|(_, b)| b.iter().copied()).max().unwrap_or(1).max(1);
    draw(id, title, 360, |area| {
        let (plot, legend) = area.split_vertically(320);
        let mut chart = ChartBuilder::on(&plot)
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(44)
            .build_cartesian_2d(0f64..100f64, 0f64..(max as f64 * 1.1))?;
        chart
            .configure_mesh()
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .x_labels(11)
            .y_labels(6)
            .x_desc("得分")
            .y_desc("账号数")
            .label_style(font(12.0))
            .axis_desc_style(font(12.0))
            .y_label_formatter(&|v| format!("{v:.0}"))
            .x_label_formatter(&|v| format!("{v:.0}"))
            .draw()?;
        let n = bins.len() as f64;
        let slot = 8.0 / n;
        for (i, (level, b)) in bins.iter().enumerate() {
            let color = level_color(*level);
            chart.draw_series(b.iter().enumerate().filter(|(_, c)| **c > 0).map(|(bin, c)| {
                let x0 = bin as f64 * 10.0 + 1.0 + i as f64 * slot;
                Rectangle::new([(x0, 0.0), (x0 + slot * 0.9, *c as f64)], color.filled())
            }))?;
        }
        legend_row(
            &legend,
            &bins.iter().map(|(l, _)| (l.label().to_owned(), level_color(*l))).collect::<Vec<_>>(),
        )
    })
}

fn level_color(l: Level) -> RGBColor {
    LEVEL_COLORS[Level::ALL.iter().position(|x| *x == l).unwrap_or(5)]
}

fn legend_row(
    area: &Area<'_>,
    items: &[(String, RGBColor)],
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    let mut x = 60;
    for (label, color) in items {
        area.draw(&Rectangle::new([(x, 14), (x + 14, 28)], color.filled()))?;
        text(area, label, (x + 20, 21), 12.0, HPos::Left)?;
        x += 28 + 13 * label.chars().count() as i32;
    }
    Ok(())
}

/// Accounts ranked by total reads: a long tail, with the share of the top 20 % (CR20).
fn reads_long_tail(s: &Summary<'_>) -> Result<Chart, ReportError> {
    let id = "reads-long-tail";
    let title = "图2 账号阅读量长尾分布";
    let reads = s.reads_desc();
    if reads.len() < 2 {
        return Ok(unavailable(
            id,
            title,
            format!(
                "阅读量未采集：只有 {} 个账号有阅读数统计（stats.reads），无法绘制长尾曲线；未采集的账号不按 0 计。",
                reads.len()
            ),
        ));
    }
    let total: u64 = reads.iter().sum();
    let top = reads.len().div_ceil(5);
    let top_sum: u64 = reads[..top].iter().sum();
    let max = reads[0].max(1) as f64;
    draw(id, title, 340, |area| {
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(72)
            .build_cartesian_2d(1f64..reads.len() as f64, 0f64..max * 1.05)?;
        chart
            .configure_mesh()
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .x_desc("账号（按阅读量从高到低排列）")
            .y_desc(if max >= 100_000.0 { "阅读量（万）" } else { "阅读量" })
            .label_style(font(12.0))
            .axis_desc_style(font(12.0))
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| {
                if max >= 100_000.0 {
                    int((v.max(0.0) / 10_000.0).round() as u64)
                } else {
                    int(v.max(0.0) as u64)
                }
            })
            .draw()?;
        chart.draw_series(reads.iter().enumerate().map(|(i, r)| {
            Rectangle::new(
                [(i as f64 + 1.0, 0.0), (i as f64 + 1.0, *r as f64)],
                ACCENT.mix(0.25).stroke_width(1),
            )
        }))?;
        chart.draw_series(LineSeries::new(
            reads.iter().enumerate().map(|(i, r)| (i as f64 + 1.0, *r as f64)),
            ACCENT.stroke_width(2),
        ))?;
        let cut = top as f64 + 0.5;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(cut, 0.0), (cut, max)],
            INK.stroke_width(1),
        )))?;
        let label = format!("前 20% 账号（{top} 个）阅读量占 {}", pct(top_sum as f64, total as f64));
        let (px, py) = chart.backend_coord(&(cut, max * 0.9));
        text(area, &label, (px + 8, py), 13.0, HPos::Left)
    })
}

/// Number of accounts with each finding code.
fn findings_by_type(s: &Summary<'_>) -> Result<Chart, ReportError> {
    let id = "findings-by-type";
    let title = "图3 各类问题涉及账号数";
    if s.codes.is_empty() {
        return Ok(unavailable(id, title, "本次评估未发现问题。"));
    }
    let rows: Vec<(String, usize)> =
        s.codes.iter().map(|c| (c.code.title().to_owned(), c.accounts)).collect();
    hbar(id, title, &rows, |v| format!("{v} 个"))
}

/// Horizontal bars with labels on the left and values at the bar end.
fn hbar(
    id: &str,
    title: &str,
    rows: &[(String, usize)],
    fmt: impl Fn(usize) -> String,
) -> Result<Chart, ReportError> {
    let row_h: i32 = 24;
    let height = 20 + row_h as u32 * rows.len() as u32 + 10;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1) as f64;
    draw(id, title, height, |area| {
        let left = 230;
        let width = (W as i32 - left - 90) as f64;
        for (i, (label, v)) in rows.iter().enumerate() {
            let y = 20 + row_h * i as i32;
            text(area, label, (left - 8, y + row_h / 2), 12.0, HPos::Right)?;
            let len = (*v as f64 / max * width).round() as i32;
            area.draw(&Rectangle::new([(left, y + 4), (left + len.max(1), y + row_h - 4)], ACCENT.filled()))?;
            text(area, &fmt(*v), (left + len + 6, y + row_h / 2), 12.0, HPos::Left)?;
        }
        Ok(())
    })
}

/// A calendar heatmap of articles per day (weeks as columns, weekdays as rows).
fn update_heatmap(s: &Summary<'_>) -> Result<Chart, ReportError> {
    let id = "update-heatmap";
    let title = "图4 文章发布日历热力图";
    let Some(days) = s.daily_articles() else {
        return Ok(unavailable(
            id,
            title,
            "结果中没有逐日发布数据（statistics.daily_articles 或各账号 stats.daily_articles），更新频率日历暂不可用。",
        ));
    };
    let period = s.results.period;
    let start = period.from - chrono::Days::new(period.from.weekday().num_days_from_monday() as u64);
    let weeks = ((period.to - start).num_days() / 7 + 1) as i32;
    let cell = ((W as i32 - 80) / weeks.max(1)).clamp(4, 16);
    let max = days.values().copied().max().unwrap_or(1).max(1);
    draw(id, title, 60 + 7 * cell as u32 + 50, |area| {
        let (x0, y0) = (60, 40);
        for (i, wd) in ["一", "三", "五", "日"].iter().enumerate() {
            let row = [0, 2, 4, 6][i];
            text(area, &format!("周{wd}"), (x0 - 6, y0 + row * cell + cell / 2), 10.0, HPos::Right)?;
        }
        let mut d = start;
        let mut last_month = 0;
        while d <= period.to {
            let week = ((d - start).num_days() / 7) as i32;
            let row = d.weekday().num_days_from_monday() as i32;
            let (x, y) = (x0 + week * cell, y0 + row * cell);
            if period.contains(d) {
                let n = days.get(&d).copied().unwrap_or(0);
                area.draw(&Rectangle::new([(x, y), (x + cell - 1, y + cell - 1)], heat(n, max).filled()))?;
                if (d.month() != last_month && row == 0) || d == period.from {
                    text(area, &format!("{}月", d.month()), (x, y0 - 12), 10.0, HPos::Left)?;
                    last_month = d.month();
                }
            }
            d = d.succ_opt().unwrap_or(NaiveDate::MAX);
        }
        let ly = y0 + 7 * cell + 22;
        text(area, "少", (x0, ly), 10.0, HPos::Right)?;
        for i in 0..5u64 {
            let x = x0 + 6 + i as i32 * 16;
            area.draw(&Rectangle::new([(x, ly - 6), (x + 12, ly + 6)], heat(i * max / 4, max).filled()))?;
        }
        text(area, &format!("多（单日最多 {max} 篇）"), (x0 + 6 + 5 * 16 + 4, ly), 10.0, HPos::Left)
    })
}

fn heat(n: u64, max: u64) -> RGBColor {
    if n == 0 {
        return RGBColor(235, 235, 235);
    }
    let t = (n as f64 / max as f64).sqrt();
    let lerp = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
    RGBColor(lerp(250, 140), lerp(210, 20), lerp(200, 20))
}

/// Share of evaluated accounts that have a menu and each required function.
fn menu_coverage(s: &Summary<'_>) -> Result<Chart, ReportError> {
    let id = "menu-coverage";
    let title = "图5 菜单功能覆盖率";
    let evaluated: Vec<_> = s.results.accounts.iter().filter(|a| menu_evaluated(s, a)).collect();
    if evaluated.is_empty() {
        let why = s.results.not_evaluated.iter().find(|n| n.check.starts_with("menu")).map_or_else(
            || "结果中没有菜单检查数据。".to_owned(),
            |n| format!("菜单检查未运行：{}", n.reason),
        );
        return Ok(unavailable(id, title, why));
    }
    let lacks = |a: &&govmedia_model::results::AccountResult, code: FindingCode| {
        a.findings.iter().any(|f| f.code == code || f.code == FindingCode::MenuNone)
    };
    let n = evaluated.len();
    let rows = [
        ("设置自定义菜单", FindingCode::MenuNone),
        ("政务公开", FindingCode::MenuMissingDisclosure),
        ("办事服务", FindingCode::MenuMissingService),
        ("互动交流", FindingCode::MenuMissingInteraction),
    ]
    .map(|(label, code)| (label.to_owned(), evaluated.iter().filter(|a| !lacks(a, code)).count()));
    hbar(id, title, &rows, |v| format!("{}（{v}/{n}）", pct(v as f64, n as f64)))
}

/// An account counts for menu coverage when a menu indicator was scored for it, or, if the
/// framework has no menu indicator, when menu checks ran at all.
pub fn menu_evaluated(s: &Summary<'_>, a: &govmedia_model::results::AccountResult) -> bool {
    let menu_indicators: Vec<_> = a.indicators.iter().filter(|(k, _)| k.starts_with("menu")).collect();
    if !menu_indicators.is_empty() {
        return menu_indicators.iter().any(|(_, i)| i.score.is_some());
    }
    !s.results.not_evaluated.iter().any(|n| n.check.starts_with("menu"))
        && s.results.accounts.iter().any(|x| x.findings.iter().any(|f| f.code.as_str().starts_with("menu.")))
}

/// Articles → articles with comments → with valid comments → replied.
fn comment_funnel(s: &Summary<'_>) -> Result<Chart, ReportError> {
    let id = "comment-funnel";
    let title = "图6 留言—回复漏斗";
    let Some(f) = s.funnel() else {
        return Ok(unavailable(
            id,
            title,
            "结果中缺少文章与留言统计（stats.articles、articles_with_valid_comments、articles_replied），无法绘制漏斗。",
        ));
    };
    let mut steps = vec![("发布文章".to_owned(), f.articles)];
    if let Some(c) = f.with_comments {
        steps.push(("有留言的文章".to_owned(), c));
    }
    steps.push(("有有效留言的文章".to_owned(), f.with_valid_comments));
    steps.push(("留言获得回复的文章".to_owned(), f.replied));
    let max = f.articles.max(1) as f64;
    draw(id, title, 30 + 44 * steps.len() as u32, |area| {
        let cx = 360;
        let half = 130.0;
        for (i, (label, v)) in steps.iter().enumerate() {
            let y = 16 + 44 * i as i32;
            // Square-root scale so small stages stay visible next to the article count.
            let w = ((*v as f64 / max).sqrt() * half).round().max(1.0) as i32;
            area.draw(&Rectangle::new(
                [(cx - w, y), (cx + w, y + 34)],
                ACCENT.mix(0.35 + 0.15 * i as f64).filled(),
            ))?;
            text(area, label, (cx - half as i32 - 14, y + 17), 12.0, HPos::Right)?;
            let share = if i == 0 {
                String::new()
            } else {
                format!("（占上一步 {}）", pct(*v as f64, steps[i - 1].1 as f64))
            };
            text(area, &format!("{} 篇{share}", int(*v)), (cx + half as i32 + 14, y + 17), 12.0, HPos::Left)?;
        }
        Ok(())
    })
}

/// A small bar chart comparing one account's indicator scores with its level's median.
pub fn account_vs_median(rows: &[(String, f64, Option<f64>)]) -> Result<Chart, ReportError> {
    let id = "indicators-vs-median";
    let title = "各项指标得分与本层级中位数对比（满分 100）";
    let row_h: i32 = 26;
    draw(id, title, 40 + row_h as u32 * rows.len() as u32 + 10, |area| {
        let left = 200;
        let width = (W as i32 - left - 80) as f64;
        area.draw(&Rectangle::new([(left, 10), (left + 12, 22)], ACCENT.filled()))?;
        text(area, "本账号", (left + 18, 16), 11.0, HPos::Left)?;
        area.draw(&Rectangle::new([(left + 90, 10), (left + 102, 22)], INK.mix(0.35).filled()))?;
        text(area, "层级中位数", (left + 108, 16), 11.0, HPos::Left)?;
        for (i, (label, v, m)) in rows.iter().enumerate() {
            let y = 36 + row_h * i as i32;
            text(area, label, (left - 8, y + row_h / 2), 11.0, HPos::Right)?;
            let len = (v.clamp(0.0, 1.0) * width).round() as i32;
            area.draw(&Rectangle::new([(left, y + 3), (left + len.max(1), y + 12)], ACCENT.filled()))?;
            text(area, &format!("{:.0}", v * 100.0), (left + len + 6, y + 8), 10.0, HPos::Left)?;
            if let Some(m) = m {
                let len = (m.clamp(0.0, 1.0) * width).round() as i32;
                area.draw(&Rectangle::new(
                    [(left, y + 14), (left + len.max(1), y + 22)],
                    INK.mix(0.35).filled(),
                ))?;
            }
        }
        Ok(())
    })
}

/// The count of accounts with stats, for the method appendix.
pub fn accounts_with_stat(s: &Summary<'_>, key: &str) -> usize {
    s.results.accounts.iter().filter(|a| stat(a, key).is_some()).count()
}

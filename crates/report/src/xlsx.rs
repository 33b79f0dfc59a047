//! The workbook for supervising offices: rankings per level, every finding with its evidence,
//! per-indicator scores and what was not evaluated. Every sheet has a frozen, filterable header.

use chrono::Datelike;
use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::evidence;
use crate::summary::Summary;

pub fn workbook(s: &Summary<'_>) -> Result<Vec<u8>, XlsxError> {
    let r = s.results;
    let mut wb = Workbook::new();
    let date = r.check_date;
    let created = ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(r.survey_name.as_deref().unwrap_or("政务微信公众号调查研究"))
            .set_author("govmedia")
            .set_creation_datetime(&created),
    );
    let head = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xF2E8E8))
        .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin);
    let num = Format::new().set_num_format("0.0");
    let num2 = Format::new().set_num_format("0.00");
    // The WCI of the framework's version, where the accounts have one (any framework).
    let wci_version = r.accounts.iter().find_map(|a| a.indices.get("wci").map(|i| i.version.clone()));
    let with_wci = wci_version.is_some();
    let wci_col = format!("微信传播指数（WCI {}）", wci_version.unwrap_or_default());

    for l in &s.levels {
        let ws = wb.add_worksheet();
        ws.set_name(format!("{}排名", l.level.label()))?;
        let cols = [
            "排名",
            "账号ID",
            "账号名称",
            "主办单位",
            "地区",
            "领域",
            "得分",
            "是否通过",
            "否决项",
            "优秀",
            "问题数",
            wci_col.as_str(),
        ];
        let cols = &cols[..if with_wci { 12 } else { 11 }];
        header(ws, cols, &head, &[6, 22, 24, 30, 10, 12, 8, 10, 24, 6, 8, 16])?;
        for (i, a) in l.accounts.iter().enumerate() {
            let row = i as u32 + 1;
            write_opt(ws, row, 0, a.rank.map(f64::from), None)?;
            cell_text(ws, row, 1, &a.id)?;
            cell_text(ws, row, 2, &a.name)?;
            cell_text(ws, row, 3, &a.owner)?;
            cell_text(ws, row, 4, a.region.as_deref().unwrap_or(""))?;
            cell_text(ws, row, 5, a.field.as_deref().unwrap_or(""))?;
            write_opt(ws, row, 6, a.score, Some(&num))?;
            cell_text(ws, row, 7, if a.passed { "通过" } else { "否决" })?;
            cell_text(ws, row, 8, a.vetoes.join("、"))?;
            cell_text(ws, row, 9, if a.excellent { "是" } else { "" })?;
            ws.write_number(row, 10, a.findings.len() as u32)?;
            if with_wci {
                write_opt(ws, row, 11, a.indices.get("wci").map(|i| i.value), Some(&num2))?;
            }
        }
        finish(ws, l.accounts.len(), cols.len())?;
    }
    crate::xlsx_platforms::sheets(&mut wb, s.all, &head, &num2)?;

    let ws = wb.add_worksheet();
    ws.set_name("问题清单")?;
    let cols = [
        "层级",
        "账号ID",
        "账号名称",
        "主办单位",
        "问题代码",
        "问题",
        "严重程度",
        "说明",
        "链接",
        "证据",
        "AI判定",
    ];
    header(ws, &cols, &head, &[14, 22, 24, 30, 28, 22, 8, 60, 40, 60, 8])?;
    let mut row = 0;
    for a in &s.all.accounts {
        for f in &a.findings {
            row += 1;
            cell_text(ws, row, 0, crate::xlsx_platforms::level_label(a))?;
            cell_text(ws, row, 1, &a.id)?;
            cell_text(ws, row, 2, &a.name)?;
            cell_text(ws, row, 3, &a.owner)?;
            cell_text(ws, row, 4, f.code.as_str())?;
            cell_text(ws, row, 5, f.code.title())?;
            cell_text(ws, row, 6, f.severity.label())?;
            cell_text(ws, row, 7, &f.message)?;
            cell_text(ws, row, 8, f.evidence.get("url").and_then(|v| v.as_str()).unwrap_or(""))?;
            cell_text(ws, row, 9, evidence::text(&f.evidence))?;
            cell_text(ws, row, 10, if f.ai_derived { "是" } else { "" })?;
        }
    }
    finish(ws, row as usize, cols.len())?;

    let ws = wb.add_worksheet();
    ws.set_name("指标得分")?;
    let mut cols: Vec<String> =
        ["层级", "排名", "账号ID", "账号名称", "主办单位", "综合得分"].map(String::from).to_vec();
    cols.extend(s.indicators.iter().map(|i| format!("{}（{}）", i.name, i.id)));
    let col_refs: Vec<&str> = cols.iter().map(String::as_str).collect();
    let mut widths = vec![14, 6, 22, 24, 30, 9];
    widths.extend(std::iter::repeat_n(14, s.indicators.len()));
    header(ws, &col_refs, &head, &widths)?;
    let mut row = 0;
    for l in &s.levels {
        for a in &l.accounts {
            row += 1;
            cell_text(ws, row, 0, a.level.label())?;
            write_opt(ws, row, 1, a.rank.map(f64::from), None)?;
            cell_text(ws, row, 2, &a.id)?;
            cell_text(ws, row, 3, &a.name)?;
            cell_text(ws, row, 4, &a.owner)?;
            write_opt(ws, row, 5, a.score, Some(&num))?;
            for (j, ind) in s.indicators.iter().enumerate() {
                let col = 6 + j as u16;
                match a.indicators.get(&ind.id) {
                    Some(x) => match x.score {
                        Some(v) => ws.write_number_with_format(row, col, v * 100.0, &num).map(|_| ())?,
                        None => cell_text(ws, row, col, "未评估")?,
                    },
                    None => cell_text(ws, row, col, "—")?,
                }
            }
        }
    }
    finish(ws, row as usize, cols.len())?;

    let ws = wb.add_worksheet();
    ws.set_name("未评估事项")?;
    let cols = ["范围", "检查或指标", "账号数", "原因"];
    header(ws, &cols, &head, &[10, 30, 8, 80])?;
    let mut row = 0;
    for n in &r.not_evaluated {
        row += 1;
        cell_text(ws, row, 0, "全部账号")?;
        cell_text(ws, row, 1, &n.check)?;
        ws.write_number(row, 2, r.accounts.len() as u32)?;
        cell_text(ws, row, 3, &n.reason)?;
    }
    for i in &s.indicators {
        for (why, count) in &i.not_evaluated {
            row += 1;
            cell_text(ws, row, 0, "部分账号")?;
            cell_text(ws, row, 1, format!("{}（{}）", i.name, i.id))?;
            ws.write_number(row, 2, *count as u32)?;
            cell_text(ws, row, 3, why)?;
        }
    }
    finish(ws, row as usize, cols.len())?;

    wb.save_to_buffer()
}

/// A number, or "未评估" where an account has no score (and so no rank).
pub(crate) fn write_opt(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: Option<f64>,
    fmt: Option<&Format>,
) -> Result<(), XlsxError> {
    match (v, fmt) {
        (Some(v), Some(f)) => ws.write_number_with_format(row, col, v, f).map(|_| ()),
        (Some(v), None) => ws.write_number(row, col, v).map(|_| ()),
        (None, _) => ws.write_string(row, col, "未评估").map(|_| ()),
    }
}

/// Excel's limit for the text of one cell.
const MAX_CELL_CHARS: usize = 32_767;

/// Writes a text cell; a longer text than a cell holds is cut, with a marker that says so.
pub(crate) fn cell_text(ws: &mut Worksheet, row: u32, col: u16, s: impl AsRef<str>) -> Result<(), XlsxError> {
    const MARK: &str = "…（超出 Excel 单元格长度上限，已截断）";
    let s = s.as_ref();
    if s.chars().count() <= MAX_CELL_CHARS {
        ws.write_string(row, col, s)?;
    } else {
        let keep: String = s.chars().take(MAX_CELL_CHARS - MARK.chars().count()).collect();
        ws.write_string(row, col, keep + MARK)?;
    }
    Ok(())
}

pub(crate) fn header(
    ws: &mut Worksheet,
    cols: &[&str],
    fmt: &Format,
    widths: &[u16],
) -> Result<(), XlsxError> {
    for (i, c) in cols.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *c, fmt)?;
        if let Some(w) = widths.get(i) {
            ws.set_column_width(i as u16, *w)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Adds the autofilter over the header and `rows` data rows.
pub(crate) fn finish(ws: &mut Worksheet, rows: usize, cols: usize) -> Result<(), XlsxError> {
    ws.autofilter(0, 0, rows as u32, cols.saturating_sub(1) as u16)?;
    Ok(())
}

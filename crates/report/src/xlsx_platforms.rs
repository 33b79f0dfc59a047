//! The workbook's sheets beyond WeChat: Weibo accounts ranked, the communication-power index of
//! every unit, and government apps per store. A sheet appears only when the results have its
//! data.

use govmedia_model::Platform;
use govmedia_model::results::{AccountResult, IndexValue, Results};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde_json::Value;

use crate::xlsx::{cell_text, finish, header, write_opt};

/// The level, with the platform when it is not WeChat (微博·部委 …).
pub fn level_label(a: &AccountResult) -> String {
    match a.platform {
        Platform::Wechat => a.level.label().to_owned(),
        p => format!("{}·{}", p.label(), a.level.label()),
    }
}

/// Adds the sheets the results have data for.
pub fn sheets(wb: &mut Workbook, r: &Results, head: &Format, num: &Format) -> Result<(), XlsxError> {
    let weibo: Vec<&AccountResult> = r.accounts.iter().filter(|a| a.platform == Platform::Weibo).collect();
    if !weibo.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name("微博排名")?;
        let cols = [
            "层级",
            "排名",
            "账号ID",
            "账号名称",
            "主办单位",
            "地区",
            "得分",
            "微博传播指数",
            "BCI版本",
            "问题数",
        ];
        header(ws, &cols, head, &[12, 6, 22, 24, 30, 10, 8, 14, 16, 8])?;
        for (i, a) in weibo.iter().enumerate() {
            let row = i as u32 + 1;
            cell_text(ws, row, 0, a.level.label())?;
            write_opt(ws, row, 1, a.rank.map(f64::from), None)?;
            cell_text(ws, row, 2, &a.id)?;
            cell_text(ws, row, 3, &a.name)?;
            cell_text(ws, row, 4, &a.owner)?;
            cell_text(ws, row, 5, a.region.as_deref().unwrap_or(""))?;
            write_opt(ws, row, 6, a.score, Some(num))?;
            let bci = a.indices.get("bci");
            write_opt(ws, row, 7, bci.map(|i| i.value), Some(num))?;
            cell_text(ws, row, 8, bci.map_or("", |i| i.version.as_str()))?;
            ws.write_number(row, 9, a.findings.len() as u32)?;
        }
        finish(ws, weibo.len(), cols.len())?;
    }
    if !r.units.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name("传播力指数")?;
        let cols = [
            "层级",
            "单位",
            "微信账号",
            "微信传播指数",
            "WCI版本",
            "微博账号",
            "微博传播指数",
            "BCI版本",
            "综合传播值",
            "综合版本",
            "说明",
        ];
        header(ws, &cols, head, &[12, 34, 22, 14, 14, 22, 14, 14, 12, 24, 50])?;
        let version = |i: Option<&IndexValue>| i.map_or(String::new(), |i| i.version.clone());
        for (i, u) in r.units.iter().enumerate() {
            let row = i as u32 + 1;
            let (w, b) = (u.wechat.as_ref(), u.weibo.as_ref());
            cell_text(ws, row, 0, u.level.label())?;
            cell_text(ws, row, 1, &u.unit)?;
            cell_text(ws, row, 2, w.map_or("", |x| x.name.as_str()))?;
            write_opt(ws, row, 3, w.map(|x| x.index.value), Some(num))?;
            cell_text(ws, row, 4, version(w.map(|x| &x.index)))?;
            cell_text(ws, row, 5, b.map_or("", |x| x.name.as_str()))?;
            write_opt(ws, row, 6, b.map(|x| x.index.value), Some(num))?;
            cell_text(ws, row, 7, version(b.map(|x| &x.index)))?;
            write_opt(ws, row, 8, u.combined.as_ref().map(|c| c.value), Some(num))?;
            cell_text(ws, row, 9, version(u.combined.as_ref()))?;
            cell_text(ws, row, 10, u.not_evaluated.as_deref().unwrap_or(""))?;
        }
        finish(ws, r.units.len(), cols.len())?;
    }
    let apps: Vec<&AccountResult> = r.accounts.iter().filter(|a| a.platform == Platform::App).collect();
    if !apps.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name("政务APP")?;
        let cols = [
            "APP ID",
            "APP名称",
            "主办单位",
            "层级",
            "地区",
            "领域",
            "应用商店",
            "下载量",
            "评分",
            "最近更新",
            "统计日期",
            "问题",
        ];
        header(ws, &cols, head, &[16, 24, 30, 10, 10, 12, 16, 12, 8, 12, 12, 60])?;
        let mut row = 0;
        for a in &apps {
            let problems: Vec<&str> = a.findings.iter().map(|f| f.message.as_str()).collect();
            let listings = a.stats.get("stores").and_then(Value::as_array).cloned().unwrap_or_default();
            for l in &listings {
                row += 1;
                cell_text(ws, row, 0, &a.id)?;
                cell_text(ws, row, 1, &a.name)?;
                cell_text(ws, row, 2, &a.owner)?;
                cell_text(ws, row, 3, a.level.label())?;
                cell_text(ws, row, 4, a.region.as_deref().unwrap_or(""))?;
                cell_text(ws, row, 5, a.field.as_deref().unwrap_or(""))?;
                cell_text(ws, row, 6, l["store"].as_str().unwrap_or(""))?;
                write_opt(ws, row, 7, l["downloads"].as_f64(), None)?;
                write_opt(ws, row, 8, l["rating"].as_f64(), None)?;
                cell_text(ws, row, 9, l["updated_at"].as_str().unwrap_or(""))?;
                cell_text(ws, row, 10, l["as_of"].as_str().unwrap_or(""))?;
                cell_text(ws, row, 11, problems.join("；"))?;
            }
        }
        finish(ws, row as usize, cols.len())?;
    }
    Ok(())
}

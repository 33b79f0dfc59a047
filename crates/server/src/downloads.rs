//! Files to download: rankings (CSV, Excel), the survey report and each account's diagnosis
//! (HTML, PDF, Excel), rendered from the stored run as the command line writes them. The
//! survey report covers every account, so only viewers who see every account get it.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use govmedia_report::Format;
use govmedia_store_api::RunId;
use serde::Deserialize;

use crate::App;
use crate::auth::Viewer;
use crate::data::{self, RankingRow};
use crate::error::HttpError;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/report/{file}", get(survey_report))
        .route("/accounts/{id}/diagnosis/{file}", get(diagnosis))
}

#[derive(Deserialize, Default)]
struct RunQuery {
    run: Option<RunId>,
}

fn format_of(file: &str) -> Result<(Format, &'static str), HttpError> {
    match file.rsplit('.').next() {
        Some("html") => Ok((Format::Html, "text/html; charset=utf-8")),
        Some("pdf") => Ok((Format::Pdf, "application/pdf")),
        Some("xlsx") => {
            Ok((Format::Xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        }
        _ => Err(HttpError::NotFound),
    }
}

fn attachment(name: &str, mime: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response()
}

fn render_err(e: govmedia_report::ReportError) -> HttpError {
    tracing::error!("report: {e}");
    HttpError::Internal(format!("报告生成失败：{e}"))
}

async fn survey_report(
    State(app): State<Arc<App>>,
    viewer: Viewer,
    Path(file): Path<String>,
    Query(q): Query<RunQuery>,
) -> Result<Response, HttpError> {
    let (format, mime) = format_of(&file)?;
    if !viewer.scope.is_all() {
        return Err(HttpError::Forbidden(
            "调查报告涵盖全部账号，仅管理员和评估人员可下载；请下载本账号的体检报告".into(),
        ));
    }
    let run = data::run_view(&app, q.run).await?;
    let results = run.scoped_results(&viewer.scope);
    let bytes = tokio::task::spawn_blocking(move || govmedia_report::render_survey(&results, format))
        .await
        .map_err(|e| HttpError::Internal(e.to_string()))?
        .map_err(render_err)?;
    Ok(attachment(
        &format!("report-run{}.{}", run.summary.id, file.rsplit('.').next().unwrap_or("bin")),
        mime,
        bytes,
    ))
}

async fn diagnosis(
    State(app): State<Arc<App>>,
    viewer: Viewer,
    Path((id, file)): Path<(String, String)>,
    Query(q): Query<RunQuery>,
) -> Result<Response, HttpError> {
    let (format, mime) = format_of(&file)?;
    let run = data::run_view(&app, q.run).await?;
    if run.account(&viewer.scope, &id).is_none() {
        return Err(HttpError::NotFound);
    }
    let (view, account) = (Arc::clone(&run), id.clone());
    let bytes = tokio::task::spawn_blocking(move || {
        govmedia_report::render_diagnosis(&view.scoped_results(&crate::scope::Scope::All), &account, format)
    })
    .await
    .map_err(|e| HttpError::Internal(e.to_string()))?
    .map_err(render_err)?
    .ok_or(HttpError::NotFound)?;
    let ext = file.rsplit('.').next().unwrap_or("bin");
    Ok(attachment(&format!("diagnosis-{}.{ext}", govmedia_report::safe_id(&id)), mime, bytes))
}

/// The rankings as CSV (UTF-8 with BOM, as Excel expects for Chinese) or as a workbook.
pub fn rankings_file(rows: &[RankingRow], run: RunId, format: &str) -> Result<Response, HttpError> {
    const HEADER: [&str; 11] = [
        "排名",
        "账号ID",
        "账号名称",
        "主办单位",
        "层级",
        "地区",
        "领域",
        "类型",
        "得分",
        "是否合格",
        "否决项",
    ];
    let cells = |r: &RankingRow| -> [String; 11] {
        [
            r.rank.map(|x| x.to_string()).unwrap_or_default(),
            r.id.clone(),
            r.name.clone(),
            r.owner.clone(),
            r.level.to_owned(),
            r.region_name.clone().or(r.region.clone()).unwrap_or_default(),
            r.field.clone().unwrap_or_default(),
            r.kind.clone().unwrap_or_default(),
            r.score.map(|s| format!("{s:.2}")).unwrap_or_else(|| "未评估".into()),
            if r.passed { "合格" } else { "不合格" }.into(),
            r.vetoes.join("；"),
        ]
    };
    match format {
        "csv" => {
            let mut out = String::from("\u{feff}");
            let quote = |s: &str| {
                // A leading =, +, - or @ would run as a formula in a spreadsheet.
                let s = if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_owned() };
                format!("\"{}\"", s.replace('"', "\"\""))
            };
            out.push_str(&HEADER.map(quote).join(","));
            out.push_str("\r\n");
            for r in rows {
                out.push_str(&cells(r).map(|c| quote(&c)).join(","));
                out.push_str("\r\n");
            }
            Ok(attachment(&format!("rankings-run{run}.csv"), "text/csv; charset=utf-8", out.into_bytes()))
        }
        "xlsx" => {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            let e = |e: rust_xlsxwriter::XlsxError| HttpError::Internal(format!("Excel 生成失败：{e}"));
            sheet.set_name("排名").map_err(e)?;
            for (c, h) in HEADER.iter().enumerate() {
                sheet.write_string(0, c as u16, *h).map_err(e)?;
            }
            for (i, r) in rows.iter().enumerate() {
                let row = i as u32 + 1;
                for (c, v) in cells(r).iter().enumerate() {
                    match (c, r.score, r.rank) {
                        (0, _, Some(rank)) => sheet.write_number(row, 0, rank).map(|_| ()),
                        (8, Some(s), _) => sheet.write_number(row, 8, s).map(|_| ()),
                        _ => sheet.write_string(row, c as u16, v).map(|_| ()),
                    }
                    .map_err(e)?;
                }
            }
            let bytes = book.save_to_buffer().map_err(e)?;
            Ok(attachment(
                &format!("rankings-run{run}.xlsx"),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                bytes,
            ))
        }
        other => Err(HttpError::BadRequest(format!("format 应为 csv 或 xlsx，而不是“{other}”"))),
    }
}

//! Files to download: rankings (CSV, Excel), the survey report (HTML, PDF, Excel) and each
//! account's diagnosis (HTML, PDF), rendered from the stored run as the command line writes
//! them, and the evidence behind a finding: the phone screenshots the mobile check saved (from
//! `--evidence DIR`) and page snapshots from the store's content-addressed cache. The survey
//! report covers every account, so only viewers who see every account get it; an evidence file
//! is served only to a viewer who sees a finding that cites it.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use govmedia_report::Format;
use govmedia_store_api::RunId;

use crate::App;
use crate::auth::Viewer;
use crate::data::{self, RankingRow};
use crate::error::HttpError;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/report/{file}", get(survey_report))
        .route("/accounts/{id}/diagnosis/{file}", get(diagnosis))
        .route("/accounts/{id}/evidence/{file}", get(evidence_file))
        .route("/accounts/{id}/snapshot/{hash}", get(snapshot))
}

/// The evidence of the first finding of the account (as the viewer sees it) that cites a value
/// accepted by `cites` under one of `keys`.
async fn citing(
    app: &Arc<App>,
    viewer: &Viewer,
    run: Option<RunId>,
    id: &str,
    keys: &[&str],
    cites: impl Fn(&str) -> bool,
) -> Result<govmedia_model::Evidence, HttpError> {
    let run = data::run_view(app, run).await?;
    let account = run.account(&viewer.scope, id).ok_or(HttpError::NotFound)?;
    account
        .findings
        .iter()
        .find(|f| keys.iter().filter_map(|k| f.evidence.get(*k)).filter_map(|v| v.as_str()).any(&cites))
        .map(|f| f.evidence.clone())
        .ok_or(HttpError::NotFound)
}

/// A saved screenshot (or page copy) named by a finding's `screenshot` or `html` evidence.
async fn evidence_file(
    State(app): State<Arc<App>>,
    viewer: Viewer,
    Path((id, file)): Path<(String, String)>,
    Query(q): Query<data::RunQuery>,
) -> Result<Response, HttpError> {
    let dir = app.evidence.clone().ok_or(HttpError::NotFound)?;
    // One plain file name: nothing outside the evidence directory can be named.
    if file.is_empty() || file.starts_with('.') || file.contains(['/', '\\']) {
        return Err(HttpError::NotFound);
    }
    citing(&app, &viewer, q.run, &id, &["screenshot", "html"], |v| {
        v.rsplit('/').next() == Some(file.as_str())
    })
    .await?;
    let bytes = tokio::fs::read(dir.join(&file)).await.map_err(|_| HttpError::NotFound)?;
    // Saved pages are shown as text: their scripts must never run on the dashboard's origin.
    let mime = if file.ends_with(".png") { "image/png" } else { "text/plain; charset=utf-8" };
    Ok(([(header::CONTENT_TYPE, mime)], bytes).into_response())
}

/// A page body named by a finding's `content_hash` evidence, as text: from the fetch cache,
/// else the dataset's saved copy of the finding's URL (checked against the hash).
async fn snapshot(
    State(app): State<Arc<App>>,
    viewer: Viewer,
    Path((id, hash)): Path<(String, String)>,
    Query(q): Query<data::RunQuery>,
) -> Result<Response, HttpError> {
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(HttpError::NotFound);
    }
    let evidence = citing(&app, &viewer, q.run, &id, &["content_hash"], |v| v == hash).await?;
    let url = evidence.get("url").and_then(|v| v.as_str()).map(str::to_owned);
    let body = app
        .pool
        .with(move |s| {
            if let Some(body) = s.cache()?.blob(&hash)? {
                return Ok(Some(body));
            }
            let mut read = s.snapshot()?;
            let Some(dataset) = read.survey()?.1 else { return Ok(None) };
            let saved = read.pages()?.into_iter().find(|p| Some(&p.url) == url.as_ref()).and_then(|p| p.body);
            let body = saved.and_then(|file| std::fs::read(std::path::Path::new(&dataset).join(file)).ok());
            Ok(body.filter(|b| crate::auth::sha256_hex(b) == hash))
        })
        .await?
        .ok_or(HttpError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response())
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
    Query(q): Query<data::RunQuery>,
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
    Query(q): Query<data::RunQuery>,
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
    let cells = |row: &RankingRow| -> [String; 11] {
        let r = &row.account;
        [
            r.rank.map(|x| x.to_string()).unwrap_or_default(),
            r.id.clone(),
            r.name.clone(),
            r.owner.clone(),
            r.level.to_owned(),
            r.region_name.clone().or(r.region.clone()).unwrap_or_default(),
            row.field.clone().unwrap_or_default(),
            row.kind.clone().unwrap_or_default(),
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
                    match (c, r.account.score, r.account.rank) {
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

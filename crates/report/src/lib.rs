//! The survey report and per-account diagnoses: HTML, PDF, Excel, charts.
//!
//! Everything is built from [`Results`] alone. The survey report and each diagnosis are first
//! assembled as a small document model ([`doc::Doc`]) that is then rendered twice: to HTML
//! (charts as inline SVG) and to PDF (typst as a library, charts as vector SVG images). The
//! workbook is written directly from the results. The same results give the same bytes: the
//! only varying content is `generated_at`, printed on the title pages.

mod charts;
mod diagnosis;
mod doc;
mod evidence;
mod fixes;
mod fonts;
mod html;
mod pdf;
mod platforms;
mod summary;
mod survey;
mod xlsx;
mod xlsx_platforms;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use govmedia_model::results::{AccountResult, Results};
use govmedia_model::{NoProgress, Platform, Progress};

pub use doc::Chart;
pub use fonts::find_cjk_fonts;

/// What [`write_reports`] wrote, and how long it took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFiles {
    pub html: PathBuf,
    pub pdf: PathBuf,
    pub xlsx: PathBuf,
    /// One per account, in the order of `results.accounts`.
    pub diagnoses: Vec<DiagnosisFiles>,
    /// Time spent on the survey report (HTML, PDF, Excel).
    pub survey_time: Duration,
    /// Time spent on the diagnoses.
    pub diagnoses_time: Duration,
}

/// One account's diagnosis files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagnosisFiles {
    pub account: String,
    pub html: PathBuf,
    pub pdf: PathBuf,
}

/// Why a report could not be written. Messages are Chinese: users read them.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("无法写入 {path}：{source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(
        "未找到中文字体 {file}（已在 {searched} 下查找）。请安装 Debian 软件包 fonts-noto-cjk（apt-get install -y fonts-noto-cjk），或用环境变量 GOVMEDIA_FONT_DIR 指定字体所在目录"
    )]
    FontMissing { file: String, searched: String },
    #[error("PDF 排版失败（{doc}）：{message}")]
    Pdf { doc: String, message: String },
    #[error("Excel 写入失败：{0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("图表绘制失败（{chart}）：{message}")]
    Chart { chart: String, message: String },
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    std::fs::write(path, bytes).map_err(|source| ReportError::Io { path: path.to_owned(), source })
}

/// Writes `report.html`, `report.pdf`, `report.xlsx` and `diagnoses/<safe-id>.{html,pdf}` into
/// `out_dir` (created if missing). Fails before writing anything when the CJK font is missing.
pub fn write_reports(results: &Results, out_dir: &Path) -> Result<ReportFiles, ReportError> {
    write_reports_with(results, out_dir, &NoProgress)
}

/// [`write_reports`], reporting the diagnoses written to `progress`.
///
/// Everything is written to temporary files first (the diagnoses to a directory of their
/// own) and put in place at the end: the diagnoses directory is swapped in one step, each
/// report file is renamed, so a run killed half way leaves the previous reports whole and
/// never a mix of old and new diagnoses.
pub fn write_reports_with(
    results: &Results,
    out_dir: &Path,
    progress: &dyn Progress,
) -> Result<ReportFiles, ReportError> {
    let started = Instant::now();
    let fonts = fonts::load()?;
    // Results read from a file may come from anywhere: mask them as evaluate does.
    let mut masked = results.clone();
    masked.mask_personal_data();
    let results = &masked;
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| ReportError::Io { path, source }
    };
    std::fs::create_dir_all(out_dir).map_err(io(out_dir))?;
    remove_leftovers(out_dir);
    let diag_dir = out_dir.join("diagnoses");
    let staged = tempfile::Builder::new().prefix(".diagnoses.").tempdir_in(out_dir).map_err(io(out_dir))?;

    let view = summary::platform_view(results, Platform::Wechat);
    let mut summary = summary::Summary::new(&view);
    summary.all = results;
    // Weibo accounts' diagnoses compare them with Weibo peers; apps have no posts to diagnose.
    let weibo_view = summary::platform_view(results, Platform::Weibo);
    let weibo = summary::Summary::new(&weibo_view);
    let charts = charts::survey_charts(&summary)?;
    let report = survey::build(&summary, &charts);

    let html = staged_file(out_dir, html::render(&report).as_bytes())?;
    let pdf = staged_file(out_dir, &pdf::render(&report, &fonts, &results.check_date)?)?;
    let xlsx = staged_file(out_dir, &xlsx::workbook(&summary)?)?;
    let survey_time = started.elapsed();

    let started = Instant::now();
    let peers = [&summary, &weibo];
    let diagnosed: usize = peers.iter().map(|s| s.results.accounts.len()).sum();
    progress.start("生成账号体检报告", diagnosed as u64);
    let written = write_diagnoses(&peers, &fonts, staged.path(), progress)?;
    progress.finish();

    swap_in(staged, &diag_dir).map_err(io(&diag_dir))?;
    let diagnoses = written
        .into_iter()
        .map(|d| DiagnosisFiles {
            html: diag_dir.join(d.html.file_name().expect("a file")),
            pdf: diag_dir.join(d.pdf.file_name().expect("a file")),
            account: d.account,
        })
        .collect();
    let put = |tmp: tempfile::NamedTempFile, name: &str| {
        let path = out_dir.join(name);
        tmp.persist(&path).map_err(|e| ReportError::Io { path: path.clone(), source: e.error })?;
        Ok::<_, ReportError>(path)
    };
    Ok(ReportFiles {
        html: put(html, "report.html")?,
        pdf: put(pdf, "report.pdf")?,
        xlsx: put(xlsx, "report.xlsx")?,
        diagnoses,
        survey_time,
        diagnoses_time: started.elapsed(),
    })
}

/// A report file's format, for rendering in memory ([`render_survey`], [`render_diagnosis`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Pdf,
    Xlsx,
}

/// The survey report in one format, in memory (the server's downloads), as
/// [`write_reports`] writes it.
pub fn render_survey(results: &Results, format: Format) -> Result<Vec<u8>, ReportError> {
    let mut masked = results.clone();
    masked.mask_personal_data();
    let view = summary::platform_view(&masked, Platform::Wechat);
    let mut summary = summary::Summary::new(&view);
    summary.all = &masked;
    Ok(match format {
        Format::Xlsx => xlsx::workbook(&summary)?,
        Format::Html | Format::Pdf => {
            let charts = charts::survey_charts(&summary)?;
            let report = survey::build(&summary, &charts);
            match format {
                Format::Html => html::render(&report).into_bytes(),
                _ => pdf::render(&report, &fonts::load()?, &masked.check_date)?,
            }
        }
    })
}

/// The survey report's charts for these results, as the report draws them (for the server's
/// overview, over the accounts its viewer sees).
pub fn survey_charts(results: &Results) -> Result<Vec<Chart>, ReportError> {
    let view = summary::platform_view(results, Platform::Wechat);
    let mut summary = summary::Summary::new(&view);
    summary.all = results;
    charts::survey_charts(&summary)
}

/// One account's diagnosis (HTML or PDF) in memory, compared with the peers of its platform
/// as [`write_reports`] does; `None` for an account not in the results, an app (apps have no
/// posts to diagnose) or an Excel request.
pub fn render_diagnosis(
    results: &Results,
    account: &str,
    format: Format,
) -> Result<Option<Vec<u8>>, ReportError> {
    let mut masked = results.clone();
    masked.mask_personal_data();
    let Some(platform) = masked.accounts.iter().find(|a| a.id == account).map(|a| a.platform) else {
        return Ok(None);
    };
    if platform == Platform::App {
        return Ok(None);
    }
    let view = summary::platform_view(&masked, platform);
    let mut summary = summary::Summary::new(&view);
    if platform == Platform::Wechat {
        summary.all = &masked;
    }
    let Some(a) = summary.results.accounts.iter().find(|a| a.id == account) else { return Ok(None) };
    let doc = diagnosis::build(&summary, a);
    Ok(match format {
        Format::Html => Some(html::render(&doc).into_bytes()),
        Format::Pdf => Some(pdf::render(&doc, &fonts::load()?, &masked.check_date)?),
        Format::Xlsx => None,
    })
}

/// Removes what a killed run left half written (temporary report files and diagnoses).
fn remove_leftovers(out_dir: &Path) {
    for e in std::fs::read_dir(out_dir).into_iter().flatten().flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(".diagnoses.") {
            let _ = std::fs::remove_dir_all(e.path());
        } else if name.starts_with(".report.") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// A temporary file in `dir` holding `bytes`, to be renamed into place.
fn staged_file(dir: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile, ReportError> {
    use std::io::Write;
    let io = |source| ReportError::Io { path: dir.to_owned(), source };
    let mut f = tempfile::Builder::new().prefix(".report.").tempfile_in(dir).map_err(io)?;
    f.write_all(bytes).map_err(io)?;
    Ok(f)
}

/// Puts the directory `staged` in place of `target` in one step (Linux `RENAME_EXCHANGE`);
/// the previous contents are deleted with the temporary directory.
fn swap_in(staged: tempfile::TempDir, target: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, staged.path(), CWD, target, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        Err(rustix::io::Errno::NOENT) => {
            std::fs::rename(staged.path(), target)?;
            // Already moved: nothing left to delete.
            let _ = staged.keep();
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

/// Diagnoses are independent: they are typeset on every available core.
fn write_diagnoses(
    peers: &[&summary::Summary<'_>],
    fonts: &fonts::Fonts,
    dir: &Path,
    progress: &dyn Progress,
) -> Result<Vec<DiagnosisFiles>, ReportError> {
    // Each account with the summary of its platform's peers.
    let accounts: Vec<(&summary::Summary<'_>, &AccountResult)> =
        peers.iter().flat_map(|s| s.results.accounts.iter().map(move |a| (*s, a))).collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(accounts.len().max(1));
    let chunk = accounts.len().div_ceil(threads).max(1);
    let mut out = Vec::with_capacity(accounts.len());
    std::thread::scope(|scope| {
        let handles: Vec<_> = accounts
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|&(summary, a)| {
                            let doc = diagnosis::build(summary, a);
                            let stem = safe_id(&a.id);
                            let html = dir.join(format!("{stem}.html"));
                            write_file(&html, html::render(&doc).as_bytes())?;
                            let pdf = dir.join(format!("{stem}.pdf"));
                            write_file(&pdf, &pdf::render(&doc, fonts, &summary.results.check_date)?)?;
                            progress.advance(1);
                            Ok(DiagnosisFiles { account: a.id.clone(), html, pdf })
                        })
                        .collect::<Result<Vec<_>, ReportError>>()
                })
            })
            .collect();
        for h in handles {
            out.extend(h.join().expect("diagnosis thread panicked")?);
        }
        Ok(out)
    })
}

/// A file stem for an account id: ASCII letters, digits and `_` stay; every other byte
/// becomes `-XX` (hex), so distinct ids give distinct names (`MjM5=` → `MjM5-3d`). A stem too
/// long for a file name (ids of many Chinese characters) is cut and ends with a hash of the
/// whole id, which keeps it distinct.
pub fn safe_id(id: &str) -> String {
    /// File systems allow 255 bytes; room is left for `.html`, `.pdf` and temporary names.
    const MAX_STEM: usize = 120;
    let mut s = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b == b'_' {
            s.push(b as char);
        } else {
            s.push_str(&format!("-{b:02x}"));
        }
    }
    if s.len() > MAX_STEM {
        use sha2::Digest;
        let hash = sha2::Sha256::digest(id.as_bytes());
        s.truncate(MAX_STEM - 17);
        s.push('~');
        s.extend(hash[..8].iter().map(|b| format!("{b:02x}")));
    }
    if s.is_empty() { "-".to_owned() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_ids_are_distinct_and_plain() {
        assert_eq!(safe_id("gh_1234abcd"), "gh_1234abcd");
        assert_eq!(safe_id("MjM5NTA5NzYyMA=="), "MjM5NTA5NzYyMA-3d-3d");
        assert_ne!(safe_id("a-b"), safe_id("a_b"));
        assert_ne!(safe_id("a/b"), safe_id("a-2fb"));
        assert_eq!(safe_id("../x"), "-2e-2e-2fx");
        let long = "国".repeat(31);
        assert!(safe_id(&long).len() <= 120);
        assert_ne!(safe_id(&long), safe_id(&"国".repeat(32)));
    }
}

#[cfg(test)]
#[path = "../tests/common/mod.rs"]
mod fixture;

#[cfg(test)]
mod glyph_tests {
    use super::*;

    /// Every character the survey report and the diagnoses print is in the embedded font.
    #[test]
    fn no_missing_glyphs_in_report_text() {
        let fonts = fonts::load().expect("fonts-noto-cjk must be installed");
        let results = fixture::sample();
        let s = summary::Summary::new(&results);
        let charts = charts::survey_charts(&s).unwrap();
        let mut text = survey::build(&s, &charts).all_text();
        for a in &results.accounts {
            text.push_str(&diagnosis::build(&s, a).all_text());
        }
        for &c in govmedia_model::FindingCode::ALL {
            text.push_str(fixes::fix(c));
            text.push_str(c.title());
        }
        let mut missing: Vec<char> = text
            .chars()
            .filter(|c| !c.is_whitespace() && !fonts.0.iter().any(|f| f.info().coverage.contains(*c as u32)))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        assert!(missing.is_empty(), "no glyph for {missing:?}");
    }
}

//! `govmedia report --results FILE --out DIR`

use std::path::Path;

use anyhow::{Context, Result};
use govmedia_model::results::Results;

pub fn run(results: &Path, out: &Path) -> Result<()> {
    let text =
        std::fs::read_to_string(results).with_context(|| format!("{}: 无法读取", results.display()))?;
    let parsed: Results = serde_json::from_str(&text).with_context(|| {
        format!("{}: 不是有效的 results.json（第 {} 行）", results.display(), line_of(&text))
    })?;
    write(&parsed, out)
}

/// The line a JSON error points at, for the message above.
fn line_of(text: &str) -> usize {
    serde_json::from_str::<Results>(text).err().map_or(0, |e| e.line())
}

/// Writes every report into `out` and says where.
pub fn write(results: &Results, out: &Path) -> Result<()> {
    let files = govmedia_report::write_reports_with(results, out, &crate::progress::Bars::default())?;
    println!(
        "已生成报告：{}、{}、{}（用时 {:.1} 秒），以及 {} 份账号体检报告（{}，用时 {:.1} 秒）",
        files.html.display(),
        files.pdf.display(),
        files.xlsx.display(),
        files.survey_time.as_secs_f64(),
        files.diagnoses.len(),
        out.join("diagnoses").display(),
        files.diagnoses_time.as_secs_f64()
    );
    Ok(())
}

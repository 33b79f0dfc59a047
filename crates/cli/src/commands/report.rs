//! `govmedia report --results FILE --out DIR`

use std::path::Path;

use anyhow::Result;
use govmedia_report::ReportFiles;

use crate::progress::Bars;

pub fn run(results: &Path, out: &Path) -> Result<()> {
    let results = govmedia_pipeline::read_results(results)?;
    let files = govmedia_pipeline::report(&results, out, &Bars::default())?;
    print_files(&files, out);
    Ok(())
}

/// Says where the reports are.
pub fn print_files(files: &ReportFiles, out: &Path) {
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
}

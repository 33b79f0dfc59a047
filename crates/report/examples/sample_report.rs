//! Writes the reports for the built-in sample (or national-scale) fixture into a directory, to
//! look at them: `cargo run -p govmedia-report --example sample_report -- OUT_DIR [national]`.

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    let mut args = std::env::args().skip(1);
    let out = std::path::PathBuf::from(args.next().unwrap_or_else(|| "report-sample".to_owned()));
    let results =
        if args.next().as_deref() == Some("national") { common::national() } else { common::sample() };
    let started = std::time::Instant::now();
    match govmedia_report::write_reports(&results, &out) {
        Ok(files) => println!(
            "{}：{} 份体检报告，用时 {:.2} 秒",
            files.pdf.display(),
            files.diagnoses.len(),
            started.elapsed().as_secs_f64()
        ),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}

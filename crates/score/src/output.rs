//! Writers: `results.json` (pretty, deterministic: ordered maps, fixed account order) and
//! `rankings.csv` (level, rank, id, name, owner, score, passed, not_evaluated), UTF-8 with RFC 4180 quoting.
//!
//! Each file is written whole to a temporary file beside it and renamed into place, so a run
//! killed while writing leaves the previous file, never a truncated one; results.json is
//! renamed last: when it is new, so is rankings.csv.

use std::io::Write;
use std::path::Path;

use govmedia_model::results::Results;

/// One CSV field. A text that a spreadsheet would run as a formula (starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return) gets a leading `'`, as OWASP recommends for CSV
/// injection; fields with separators, quotes or line breaks are quoted.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_owned() };
    if s.contains([',', '"', '\n', '\r', '\'']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

/// The rankings table as CSV text. An account without a score has empty `rank` and `score`
/// and says why in the last column, `not_evaluated`.
pub fn rankings_csv(r: &Results) -> String {
    let mut out = String::from("level,rank,id,name,owner,score,passed,not_evaluated,platform,wci,bci\n");
    let index = |a: &govmedia_model::results::AccountResult, k: &str| {
        a.indices.get(k).map(|i| format!("{:.2}", i.value)).unwrap_or_default()
    };
    for a in &r.accounts {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{}\n",
            a.level.as_str(),
            a.rank.map(|r| r.to_string()).unwrap_or_default(),
            csv_field(&a.id),
            csv_field(&a.name),
            csv_field(&a.owner),
            a.score.map(|s| format!("{s:.2}")).unwrap_or_default(),
            a.passed,
            csv_field(a.not_evaluated.as_deref().unwrap_or("")),
            a.platform.as_str(),
            index(a, "wci"),
            index(a, "bci"),
        ));
    }
    out
}

/// `results.json` and `rankings.csv` of one run, written to temporary files in their
/// directory and not yet in place: a caller can render while it does other work (recording the
/// run) and [`persist`](Outputs::persist) once that succeeded. results.json is streamed to its
/// file, never held whole in memory (it is hundreds of megabytes for a national monitor).
pub struct Outputs {
    dir: std::path::PathBuf,
    json: tempfile::NamedTempFile,
    csv: tempfile::NamedTempFile,
}

impl Outputs {
    /// Renders both files into `dir` (created when missing).
    pub fn render(dir: &Path, r: &Results) -> std::io::Result<Outputs> {
        std::fs::create_dir_all(dir)?;
        let temp = |name: &str| tempfile::Builder::new().prefix(&format!(".{name}.")).tempfile_in(dir);
        let (json, mut csv) = (temp("results.json")?, temp("rankings.csv")?);
        let mut w = std::io::BufWriter::new(json.as_file());
        serde_json::to_writer_pretty(&mut w, r).map_err(std::io::Error::other)?;
        w.write_all(b"\n")?;
        w.flush()?;
        drop(w);
        csv.write_all(rankings_csv(r).as_bytes())?;
        Ok(Outputs { dir: dir.to_owned(), json, csv })
    }

    /// Puts both files in place, results.json last.
    pub fn persist(self) -> std::io::Result<()> {
        self.csv.persist(self.dir.join("rankings.csv")).map_err(|e| e.error)?;
        self.json.persist(self.dir.join("results.json")).map_err(|e| e.error)?;
        Ok(())
    }
}

/// Writes `results.json` and `rankings.csv` into `dir` (created when missing).
pub fn write_results(dir: &Path, r: &Results) -> std::io::Result<()> {
    Outputs::render(dir, r)?.persist()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(csv_field("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
        assert_eq!(csv_field("+1"), "\"'+1\"");
        assert_eq!(csv_field("-2"), "\"'-2\"");
        assert_eq!(csv_field("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(csv_field("\tcmd"), "\"'\tcmd\"");
        assert_eq!(csv_field("北京市人民政府"), "北京市人民政府");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
    }
}

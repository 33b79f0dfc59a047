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

/// `results.json` and `rankings.csv` of one run, rendered and ready to be written. Rendering
/// a national survey's takes about a tenth of a second: a caller can overlap it with other work.
pub struct Outputs {
    json: Vec<u8>,
    csv: String,
}

impl Outputs {
    pub fn render(r: &Results) -> std::io::Result<Outputs> {
        let mut json = serde_json::to_vec_pretty(r).map_err(std::io::Error::other)?;
        json.push(b'\n');
        Ok(Outputs { json, csv: rankings_csv(r) })
    }

    /// Writes both files into `dir` (created when missing), results.json last.
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        write_whole(dir, "rankings.csv", self.csv.as_bytes())?;
        write_whole(dir, "results.json", &self.json)
    }
}

/// Writes `results.json` and `rankings.csv` into `dir` (created when missing).
pub fn write_results(dir: &Path, r: &Results) -> std::io::Result<()> {
    Outputs::render(r)?.write(dir)
}

/// Writes `dir/name` through a temporary file and a rename.
fn write_whole(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = tempfile::Builder::new().prefix(&format!(".{name}.")).tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.persist(dir.join(name)).map_err(|e| e.error)?;
    Ok(())
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

//! Writers: `results.json` (pretty, deterministic: ordered maps, fixed account order) and
//! `rankings.csv` (level, rank, id, name, owner, score, passed, not_evaluated), UTF-8 with RFC 4180 quoting.

use std::io::Write;
use std::path::Path;

use govmedia_model::results::Results;

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_owned() }
}

/// The rankings table as CSV text. An account without a score has empty `rank` and `score`
/// and says why in the last column, `not_evaluated`.
pub fn rankings_csv(r: &Results) -> String {
    let mut out = String::from("level,rank,id,name,owner,score,passed,not_evaluated\n");
    for a in &r.accounts {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            a.level.as_str(),
            a.rank.map(|r| r.to_string()).unwrap_or_default(),
            csv_field(&a.id),
            csv_field(&a.name),
            csv_field(&a.owner),
            a.score.map(|s| format!("{s:.2}")).unwrap_or_default(),
            a.passed,
            csv_field(a.not_evaluated.as_deref().unwrap_or(""))
        ));
    }
    out
}

/// Writes `results.json` and `rankings.csv` into `dir` (created when missing).
pub fn write_results(dir: &Path, r: &Results) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let json = serde_json::to_string_pretty(r).map_err(std::io::Error::other)?;
    let mut f = std::fs::File::create(dir.join("results.json"))?;
    f.write_all(json.as_bytes())?;
    f.write_all(b"\n")?;
    std::fs::write(dir.join("rankings.csv"), rankings_csv(r))
}

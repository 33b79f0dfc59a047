//! `govmedia measure`

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde_json::Value;

pub fn run(data: &Path, results: &Path, details: bool) -> Result<()> {
    let path = data.join("accounts.jsonl");
    let text = std::fs::read_to_string(&path).with_context(|| format!("无法读取 {}", path.display()))?;
    let mut accounts = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: 不是有效的 JSON", path.display(), n + 1))?;
        accounts.push(v);
    }
    let raw = std::fs::read_to_string(results).with_context(|| format!("无法读取 {}", results.display()))?;
    let results_value: Value =
        serde_json::from_str(&raw).with_context(|| format!("{}: 不是有效的 JSON", results.display()))?;
    let m = match govmedia_sample::measure::measure(&accounts, &results_value) {
        Ok(m) => m,
        Err(e) => bail!("{e}"),
    };
    if m.codes.values().all(|s| s.planted == 0) {
        bail!("{}: 账号记录中没有植入的问题（planted），无法统计", path.display());
    }
    print!("{}", m.markdown());
    if details {
        print!("\n{}", m.details());
    }
    Ok(())
}

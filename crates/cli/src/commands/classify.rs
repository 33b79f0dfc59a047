//! `govmedia classify FILE`

use std::path::Path;

use anyhow::{Context, Result};

pub fn run(file: &Path) -> Result<()> {
    let input = std::fs::File::open(file).with_context(|| format!("{}: 无法打开", file.display()))?;
    let stdout = std::io::stdout();
    let rows = govmedia_content::classify_csv(std::io::BufReader::new(input), stdout.lock())
        .with_context(|| format!("{}", file.display()))?;
    eprintln!("已分类 {rows} 篇文章");
    Ok(())
}

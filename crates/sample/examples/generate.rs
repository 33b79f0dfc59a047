//! Writes a generated survey: `cargo run -p govmedia-sample --release --example generate --
//! [sample|national-2025] [SEED] DIR`. The bundled sample is
//! `generate sample 20251101 examples/sample-survey`.

use std::path::PathBuf;
use std::process::ExitCode;

use govmedia_sample::{DEFAULT_SEED, Scale, generate_into};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (scale, seed, dir) = match args.as_slice() {
        [scale, dir] => (scale.parse::<Scale>(), Ok(DEFAULT_SEED), dir),
        [scale, seed, dir] => (scale.parse::<Scale>(), seed.parse::<u64>().map_err(|e| e.to_string()), dir),
        _ => {
            eprintln!("用法：generate [sample|national-2025] [种子] 输出目录");
            return ExitCode::from(2);
        }
    };
    let (scale, seed) = match (scale, seed) {
        (Ok(s), Ok(n)) => (s, n),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("参数错误：{e}");
            return ExitCode::from(2);
        }
    };
    let start = std::time::Instant::now();
    match generate_into(scale, seed, &PathBuf::from(dir)) {
        Ok(ds) => {
            eprintln!(
                "已生成 {} 个账号、{} 篇文章、{} 个菜单快照、{} 个页面快照，用时 {:.2?}（规模 {scale}，种子 {seed}）",
                ds.accounts.len(),
                ds.articles.len(),
                ds.menus.len(),
                ds.pages.len(),
                start.elapsed()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("写入 {dir} 失败：{e}");
            ExitCode::from(1)
        }
    }
}

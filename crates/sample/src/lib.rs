//! Deterministic generator of sample surveys with realistic distributions.
//!
//! `generate(scale, seed)` builds a survey dataset of model types; `write_dataset` writes it as
//! the contract's dataset directory (survey.toml, accounts.jsonl, articles.jsonl with comments,
//! menus.jsonl in the platform's own JSON shapes, events.jsonl, pages.jsonl and pages/).
//!
//! # What is real
//! - Units: the 335 units of the 2025 national survey registry (level, owning unit, region,
//!   the account name where the report names it), embedded from `data/`. National scale fills
//!   in province departments for the province × field pairs the registry lacks and
//!   prefecture-level cities it lacks, to reach 51 / 30 / 329 / 239 / 33 accounts.
//! - Region codes: GB/T 2260 (2024), CC0.
//! - Publishing rhythm: each account follows the cadence of one of 122 real government
//!   accounts' 2021 feeds (articles per push, pushes per day, hour-of-day histogram); where
//!   the account name is one of those accounts, its real `__biz` and its own cadence are used.
//!   The shares of those feeds that were stale (15–89 days idle, 3/122) or dormant (≥ 90 days,
//!   3/122) are the planted update rates.
//!
//! Each account record lists its facts in `real_fields`; everything else is generated and
//! every record carries `"generated": true` (survey.toml: `generated = true`).
//!
//! # What is generated, and how
//! One seed ([`DEFAULT_SEED`] for the bundled sample) drives ChaCha8 streams, one per part
//! (`roster`, `accounts`, `menus`, `schedule/N`, `events`, `articles`, `metrics/N`, `comments`,
//! `menu-json`); maths goes through `libm`, so the output is byte-identical on every platform.
//! - Articles: 29,684 at national scale (the survey's count), the same per-account average for
//!   the sample; per account ∝ √(pushes per day × articles per push) of its cadence profile,
//!   at least 3. Push days uniform over 2025-01-01 .. the last push; the last push is 1–10
//!   days before the check date (2025-11-01), or 15–89 (stale) / 90–200 (dormant, closed,
//!   migrated). Push hours follow the real hour histogram; 1–8 articles per push.
//! - Reads: account median headline reads = level base (ministry 6,000, province 5,000,
//!   department 1,500, prefecture 1,200, county 400) × LogNormal(0, 1.3); an article's reads
//!   = median × LogNormal(0, 0.7) × position factor (1, 0.4, 0.3) × 1.5 for event answers.
//!   Above 100,000 reads are stored as "10万+". The top 20 % of accounts hold about 75 % of
//!   reads. Likes, 在看, shares, favourites = reads × 1.0 %, 0.4 %, 2.5 %, 0.6 % ×
//!   LogNormal(0, 0.5).
//! - Comments: exactly round(5.6 % × articles) articles, drawn with weight reads^0.8, get
//!   1 + Geometric(0.5) comments (at most 8); exactly round(36.6 %) of those get replies (the
//!   first comment always, each other one with p = 0.5), LogNormal hours later (median 20 h).
//! - Bodies: template prose (~2,000 characters on average at national scale, ~300 in the
//!   sample), with a 发文字号 and a cited law in every body.
//! - Problems planted at the exact rates of [`rates`], listed per record in `planted`
//!   (finding codes) so checks can be scored against them.
//! - Menus: get_current_selfmenu_info or menu/get shape (half each), three top-level buttons;
//!   links on the reserved `.example` domain with offline page snapshots.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use govmedia_model::{Account, Article, Event, MenuSnapshot, PageSnapshot, SurveyConfig};

mod build;
mod cadence;
mod events;
mod ids;
pub mod measure;
mod menus;
mod platforms;
pub mod rates;
mod registry;
mod rng;
mod roster;
mod text;
mod world;
mod write;

pub use world::truth;
pub use write::write_dataset;

/// The seed of the bundled sample in `examples/sample-survey`.
pub const DEFAULT_SEED: u64 = 20_251_101;

/// How big a survey to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scale {
    /// 48 accounts of every level, ~2,100 articles, short bodies: a few MB.
    Sample,
    /// The 2025 national survey: 682 accounts, 29,684 articles.
    National2025,
    /// The seeded evaluation world: every finding code planted at known accounts beside
    /// look-alike clean cases (see the `world` module).
    World,
}

impl Scale {
    pub fn as_str(self) -> &'static str {
        match self {
            Scale::Sample => "sample",
            Scale::National2025 => "national-2025",
            Scale::World => "world",
        }
    }
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scale {
    type Err = String;
    fn from_str(s: &str) -> Result<Scale, String> {
        match s.trim() {
            "sample" => Ok(Scale::Sample),
            "national-2025" | "national2025" => Ok(Scale::National2025),
            "world" => Ok(Scale::World),
            other => Err(format!("未知规模“{other}”（应为 sample、national-2025 或 world）")),
        }
    }
}

/// A page body under `pages/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageFile {
    /// Relative to the dataset directory (`pages/….html`).
    pub path: String,
    pub body: String,
}

/// A generated survey.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub scale: Scale,
    pub seed: u64,
    pub config: SurveyConfig,
    pub accounts: Vec<Account>,
    pub articles: Vec<Article>,
    pub menus: Vec<MenuSnapshot>,
    pub events: Vec<Event>,
    pub pages: Vec<PageSnapshot>,
    pub page_files: Vec<PageFile>,
}

/// The size of a generated national monitor (instead of a fixed scale's): the national
/// survey's distributions over more or fewer accounts and articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub accounts: usize,
    /// The average; each account's share follows its cadence, as at national scale.
    pub articles_per_account: usize,
}

/// Generates the survey of `scale` from `seed`; the same arguments give the same dataset.
pub fn generate(scale: Scale, seed: u64) -> Dataset {
    match scale {
        Scale::World => world::generate(seed),
        _ => build::generate(scale, seed, None).expect("a fixed scale has its units"),
    }
}

/// Generates a national monitor of `size` from `seed` (the national survey's units first, then
/// county governments and bureaus); an error names the largest size possible.
pub fn generate_sized(size: Size, seed: u64) -> Result<Dataset, String> {
    build::generate(Scale::National2025, seed, Some(size))
}

/// Generates and writes in one go (what `govmedia generate` does).
pub fn generate_into(scale: Scale, seed: u64, dir: &Path) -> std::io::Result<Dataset> {
    let ds = generate(scale, seed);
    write_dataset(&ds, dir)?;
    Ok(ds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sized_monitor_has_the_accounts_and_articles_asked_for() {
        let ds = generate_sized(Size { accounts: 1_000, articles_per_account: 4 }, 7).unwrap();
        assert_eq!(ds.accounts.len(), 1_000);
        assert_eq!(ds.articles.len(), 4_000);
        let ids: std::collections::HashSet<&str> = ds.accounts.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids.len(), 1_000, "account ids are unique");
        let counties = ds.accounts.iter().filter(|a| a.level == govmedia_model::Level::County).count();
        assert!(counties > 300, "beyond the national survey come county governments: {counties}");
        assert!(ds.accounts.iter().all(|a| a.region.is_some() || a.level == govmedia_model::Level::Ministry));

        let part = generate_sized(Size { accounts: 100, articles_per_account: 10 }, 7).unwrap();
        assert_eq!((part.accounts.len(), part.articles.len()), (100, 1_000));
        let too_many = generate_sized(Size { accounts: 1_000_000, articles_per_account: 1 }, 7).unwrap_err();
        assert!(too_many.contains("最多可生成"), "{too_many}");
    }

    #[test]
    fn scale_names() {
        assert_eq!("national-2025".parse::<Scale>().unwrap(), Scale::National2025);
        assert_eq!("sample".parse::<Scale>().unwrap().to_string(), "sample");
        assert!("huge".parse::<Scale>().unwrap_err().contains("national-2025"));
    }
}

//! The check interface, and the structural checks that need nothing but the stored data.
//!
//! A check looks at a survey and says, per account, what it measured (named metrics the
//! framework's scoring rules read), what it found (findings with evidence) and what it could
//! not evaluate. Checks know nothing of weights: the `score` crate binds framework leaves to
//! check metrics. Adding a check touches this crate (or its own crate) and a framework file,
//! never the engine.
//!
//! Work that needs the whole corpus or the network (a duplicate index, link fetching, model
//! calls) happens once in [`Check::prepare`]; [`Check::assess`] is then a cheap per-account
//! lookup, which the engine may call from several threads.

pub mod account;
pub mod app;
pub mod blocking;
pub mod calendar;
pub mod deletion;
pub mod interaction;
pub mod menu;
pub mod popularity;
pub mod propagation;
pub mod timeliness;

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use govmedia_model::{Account, Article, Event, Finding, MenuSnapshot, PageSnapshot, Period, Platform};

/// Everything an evaluation reads, loaded once.
#[derive(Debug, Clone)]
pub struct Survey {
    pub name: Option<String>,
    pub period: Period,
    /// The monitoring time point: the 14-day rule counts back from its 00:00.
    pub check_date: NaiveDate,
    pub accounts: Vec<AccountData>,
    pub events: Vec<Event>,
    /// Offline page snapshots by URL (pages.jsonl); checks use these instead of the network.
    pub pages: BTreeMap<String, PageSnapshot>,
    /// The dataset directory, when known: page bodies are under it (`pages/FILE`).
    pub dataset_dir: Option<PathBuf>,
    /// No network access in this run (`--offline`).
    pub offline: bool,
    /// The data (or part of it) was produced by the sample generator.
    pub generated_data: bool,
}

/// One account with what was collected about it.
#[derive(Debug, Clone)]
pub struct AccountData {
    pub account: Account,
    /// Articles published up to the check date (the period filter is the checks' business:
    /// timeliness looks before the period start), oldest first.
    pub articles: Vec<Article>,
    /// The latest menu snapshot not after the check date.
    pub menu: Option<MenuSnapshot>,
}

impl Survey {
    /// Articles of `account` published within the survey period.
    pub fn in_period<'a>(&self, account: &'a AccountData) -> impl Iterator<Item = &'a Article> + 'a {
        let period = self.period;
        account
            .articles
            .iter()
            .filter(move |a| period.contains(govmedia_model::time::local_date(&a.published_at)))
    }
}

/// An October 2025 survey (check date 2025-11-01) of `accounts`, for the checks' unit tests.
#[cfg(test)]
pub(crate) fn october_survey(accounts: Vec<AccountData>) -> Survey {
    let d = |s: &str| s.parse::<NaiveDate>().expect("a date");
    Survey {
        name: None,
        period: Period { from: d("2025-10-01"), to: d("2025-10-31") },
        check_date: d("2025-11-01"),
        accounts,
        events: Vec::new(),
        pages: BTreeMap::new(),
        dataset_dir: None,
        offline: true,
        generated_data: false,
    }
}

/// What a check measured and found for one account.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Assessment {
    /// Named values the framework's scoring rules read (`reply_ratio`, `days_since_last` …).
    pub metrics: BTreeMap<String, f64>,
    /// Metrics this check could not compute for this account, with the reason in Chinese.
    pub not_evaluated: BTreeMap<String, String>,
    pub findings: Vec<Finding>,
    /// Values shown in the account's `stats` in results.json.
    pub stats: serde_json::Map<String, serde_json::Value>,
    /// Per-article outcomes (category, excellent …).
    pub articles: Vec<ArticleNote>,
}

/// What a check concluded about one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleNote {
    pub url: String,
    /// Where the note's conclusions come from: when two checks give an article different
    /// categories, the higher source wins (see [`NoteSource`]); a model's quality decides the
    /// excellent list where present.
    pub source: NoteSource,
    pub category: Option<String>,
    /// Candidate for the excellent-articles list.
    pub excellent: Option<bool>,
    /// A 0–1 quality signal used to choose excellent articles.
    pub quality: Option<f64>,
    /// The classifier's probability (0–1) for `category`, when it gives one.
    pub confidence: Option<f64>,
}

/// Who concluded a per-article note, in increasing precedence. With an AI model configured, its
/// category is the one shown (the survey's own practice: AI智评) and the offline classifier's is
/// kept beside it; between notes of the same source, the check registered first wins.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum NoteSource {
    /// Offline rules and models shipped with govmedia.
    #[default]
    Rules,
    /// A large language model (the AI checks).
    Model,
}

/// The outcome of one check for one account.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Evaluated(Assessment),
    /// The check did not run at all (not built, no network in offline mode, no AI
    /// configured, no browser): the reason, in Chinese, goes into results and reports.
    NotEvaluated(String),
}

pub use govmedia_model::progress::{NoProgress, Progress};

/// The median (mean of the middle two for an even count), or None for no values.
pub(crate) fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    Some(if v.len() % 2 == 1 { v[m] } else { (v[m - 1] + v[m]) / 2.0 })
}

/// An error that stops a check's preparation (as opposed to "not evaluated").
#[derive(Debug, thiserror::Error)]
#[error("{check}: {message}")]
pub struct CheckError {
    pub check: String,
    pub message: String,
}

/// One check family.
pub trait Check: Send + Sync {
    /// Stable name that framework leaves bind to (`timeliness`, `menu` …).
    fn name(&self) -> &'static str;

    /// Corpus-wide or network work, done once before any account is assessed.
    fn prepare(&mut self, _survey: &Survey, _progress: &dyn Progress) -> Result<(), CheckError> {
        Ok(())
    }

    /// The outcome for one account.
    fn assess(&self, survey: &Survey, account: &AccountData) -> Outcome;

    /// The platforms whose accounts this check applies to: the engine does not assess an
    /// account of another platform and says the check does not apply. Posts and accounts of
    /// WeChat and Weibo by default; an app has no posts.
    fn platforms(&self) -> &'static [Platform] {
        &[Platform::Wechat, Platform::Weibo]
    }
}

/// WeChat official accounts only: what a 公众号 has and a Weibo account has not (custom
/// menus, their pages).
pub const WECHAT_ONLY: &[Platform] = &[Platform::Wechat];

/// Why a check did not run on an account of a platform it does not apply to.
pub fn not_applicable(platform: Platform) -> String {
    match platform {
        Platform::App => "不适用于政务APP".to_owned(),
        p => format!("不适用于{}账号", p.label()),
    }
}

/// The checks of this crate, with default thresholds: timeliness, menu, interaction,
/// propagation, account, app, deletion, popularity. Other crates add theirs (content, web, AI) beside these.
pub fn structural_checks() -> Vec<Box<dyn Check>> {
    structural_checks_with(menu::MenuLexicon::default_lexicon(), account::AccountCheck::default())
}

/// The structural checks with a user's menu lexicon (a copy of `lexicons/menu.toml`, read
/// with [`menu::MenuLexicon::parse`]; the menu and interaction checks both use it) and account
/// check ([`account::AccountCheck::from_dir`]).
pub fn structural_checks_with(
    menu_lexicon: menu::MenuLexicon,
    account: account::AccountCheck,
) -> Vec<Box<dyn Check>> {
    vec![
        Box::new(timeliness::TimelinessCheck::default()),
        Box::new(menu::MenuCheck { lexicon: menu_lexicon.clone() }),
        Box::new(interaction::InteractionCheck::with_lexicon(menu_lexicon)),
        Box::new(propagation::PropagationCheck::default()),
        Box::new(account),
        Box::new(app::AppCheck::default()),
        Box::new(deletion::DeletionCheck),
        Box::new(popularity::PopularityCheck),
    ]
}

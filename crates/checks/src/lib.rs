//! The check interface, and the structural checks that need nothing but the stored data.
//!
//! A check looks at a survey and says, per account, what it measured (named metrics the
//! framework's scoring rules read), what it found (findings with evidence) and what it could
//! not evaluate. Checks know nothing of weights: the `score` crate binds framework leaves to
//! check metrics. Adding a check touches this crate (or its own crate) and a framework file,
//! never the engine.
//!
//! Evaluation reads the accounts' data twice, a chunk of accounts at a time (see
//! [`AccountSource`]), so that memory is bounded by a chunk and not by the corpus. In the
//! first pass each check [`observe`](Check::observe)s every chunk and keeps only what the
//! survey-wide work needs (MinHash signatures, metric values, URLs to fetch, model
//! judgements); [`Check::prepare`] then does that work once (a duplicate index, percentiles,
//! link fetching); in the second pass [`Check::assess`] is a cheap per-account lookup, which
//! the engine may call from several threads.

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
use serde::{Deserialize, Serialize};

/// What every check may read at any time: the survey without its accounts' articles and
/// menus, which come a chunk at a time from an [`AccountSource`].
#[derive(Debug, Clone)]
pub struct Survey {
    pub name: Option<String>,
    pub period: Period,
    /// The monitoring time point: the 14-day rule counts back from its 00:00.
    pub check_date: NaiveDate,
    /// Every account of the survey, by id (the roster: checks that compare accounts, such as
    /// duplicate accounts of one unit, read it here).
    pub accounts: Vec<Account>,
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
        account.articles.iter().filter(move |a| published_in(period, a))
    }

    /// Whether `article` was published within the survey period.
    pub fn covers(&self, article: &Article) -> bool {
        published_in(self.period, article)
    }
}

fn published_in(period: Period, article: &Article) -> bool {
    period.contains(govmedia_model::time::local_date(&article.published_at))
}

/// An October 2025 survey (check date 2025-11-01) of `accounts`, for the checks' unit tests.
#[cfg(test)]
pub(crate) fn october_survey(accounts: &[AccountData]) -> Survey {
    let d = |s: &str| s.parse::<NaiveDate>().expect("a date");
    Survey {
        name: None,
        period: Period { from: d("2025-10-01"), to: d("2025-10-31") },
        check_date: d("2025-11-01"),
        accounts: accounts.iter().map(|a| a.account.clone()).collect(),
        events: Vec::new(),
        pages: BTreeMap::new(),
        dataset_dir: None,
        offline: true,
        generated_data: false,
    }
}

/// What a check measured and found for one account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum NoteSource {
    /// Offline rules and models shipped with govmedia.
    #[default]
    Rules,
    /// A large language model (the AI checks).
    Model,
}

/// The outcome of one check for one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// Why a pass over the accounts stopped.
#[derive(Debug, thiserror::Error)]
pub enum PassError {
    #[error(transparent)]
    Check(#[from] CheckError),
    /// The accounts could not be read (the store's message, naming the database).
    #[error("{0}")]
    Read(String),
    #[error("已取消")]
    Cancelled,
}

/// The accounts of a survey with their articles and menus, read a chunk at a time. Every call
/// of [`for_each_chunk`](AccountSource::for_each_chunk) is one pass: it visits each account of
/// the roster ([`Survey::accounts`]) exactly once, in roster order. `visit` may run on another
/// thread than the caller's (a source reads the next chunk while the current one is visited).
pub trait AccountSource {
    fn for_each_chunk(&mut self, visit: &mut Visit<'_>) -> Result<(), PassError>;

    /// Leaves the articles' bodies (`content`, `content_html`) out of the passes that follow,
    /// for checks that do not read them; a source that cannot read articles without their
    /// bodies (one that holds them in memory) hands them over all the same.
    fn leave_out_bodies(&mut self) {}
}

/// What a pass does with each chunk of accounts.
pub type Visit<'a> = dyn FnMut(&[AccountData]) -> Result<(), PassError> + Send + 'a;

/// Accounts already in memory, visited as one chunk (tests, small tools).
#[derive(Debug, Clone, Copy)]
pub struct InMemory<'a>(pub &'a [AccountData]);

impl AccountSource for InMemory<'_> {
    fn for_each_chunk(&mut self, visit: &mut Visit<'_>) -> Result<(), PassError> {
        visit(self.0)
    }
}

/// A survey with every account's data in memory (tests, small tools); reads as its survey.
#[derive(Debug, Clone)]
pub struct SurveyData {
    pub survey: Survey,
    pub accounts: Vec<AccountData>,
}

impl std::ops::Deref for SurveyData {
    type Target = Survey;
    fn deref(&self) -> &Survey {
        &self.survey
    }
}

impl std::ops::DerefMut for SurveyData {
    fn deref_mut(&mut self) -> &mut Survey {
        &mut self.survey
    }
}

/// Hands a list a check's first pass collected (URLs …) to another process: takes it out of
/// the check, for [`Check::take_observed`].
pub fn take_list<T: serde::Serialize>(list: &mut Vec<T>) -> Option<String> {
    encode(&std::mem::take(list))
}

/// Adds a list another process collected ([`take_list`]), for [`Check::absorb`].
pub fn extend_list<T: serde::de::DeserializeOwned>(
    check: &str,
    list: &mut Vec<T>,
    observed: &str,
) -> Result<(), CheckError> {
    list.extend(decode::<Vec<T>>(check, observed)?);
    Ok(())
}

/// What a check observed or prepared, as the JSON text [`Check::take_observed`] and
/// [`Check::prepared`] hand to other processes.
pub fn encode<T: serde::Serialize + ?Sized>(value: &T) -> Option<String> {
    Some(serde_json::to_string(value).expect("observed and prepared values serialise"))
}

/// Decodes what a check's [`Check::take_observed`] or [`Check::prepared`] gave, for its
/// [`Check::absorb`] or [`Check::absorb_prepared`]. Straight from the text: outputs of a
/// national survey run to megabytes, and a `serde_json::Value` tree of them would cost several
/// times their size.
pub fn decode<T: serde::de::DeserializeOwned>(check: &str, text: &str) -> Result<T, CheckError> {
    serde_json::from_str(text)
        .map_err(|e| CheckError {
            check: check.into(), message: format!("其他进程的观察结果无法解析：{e}")
        })
}

/// Runs one check over accounts held in memory as the engine would: observes them, prepares,
/// and assesses each in order.
pub fn run_check(
    check: &mut dyn Check,
    survey: &Survey,
    accounts: &[AccountData],
    progress: &dyn Progress,
) -> Result<Vec<Outcome>, CheckError> {
    check.observe(survey, accounts, progress)?;
    check.prepare(survey, progress)?;
    Ok(accounts.iter().map(|a| check.assess(survey, a)).collect())
}

/// One check family.
pub trait Check: Send + Sync {
    /// Stable name that framework leaves bind to (`timeliness`, `menu` …).
    fn name(&self) -> &'static str;

    /// First pass: sees each chunk of accounts once, in roster order, and keeps what
    /// [`prepare`](Check::prepare) needs in compact form (never the articles themselves).
    fn observe(
        &mut self,
        _survey: &Survey,
        _accounts: &[AccountData],
        _progress: &dyn Progress,
    ) -> Result<(), CheckError> {
        Ok(())
    }

    /// For an evaluation whose chunks are observed by several processes (distributed
    /// evaluation): what [`observe`](Check::observe) kept since the last call, as JSON text, taken
    /// out of the check. `None` when the check keeps nothing (the default). A check that keeps
    /// something in `observe` implements this and [`absorb`](Check::absorb).
    fn take_observed(&mut self) -> Option<String> {
        None
    }

    /// Adds what another process observed ([`take_observed`](Check::take_observed)), one
    /// chunk at a time in roster order, as if this check had observed the chunk itself.
    fn absorb(&mut self, _observed: &str) -> Result<(), CheckError> {
        Ok(())
    }

    /// For distributed evaluation: what [`prepare`](Check::prepare) computed from the
    /// observations, as JSON text, so that processes that assess need neither the observations nor
    /// the preparation (network, browser). `None` (the default) when `prepare` needs only the
    /// survey: each process then prepares again. A check that implements
    /// [`take_observed`](Check::take_observed) implements this and
    /// [`absorb_prepared`](Check::absorb_prepared).
    fn prepared(&self) -> Option<String> {
        None
    }

    /// Takes another process's [`prepared`](Check::prepared) output in place of observing and
    /// preparing.
    fn absorb_prepared(&mut self, _prepared: &str) -> Result<(), CheckError> {
        Ok(())
    }

    /// Survey-wide or network work, done once after every chunk was observed and before any
    /// account is assessed.
    fn prepare(&mut self, _survey: &Survey, _progress: &dyn Progress) -> Result<(), CheckError> {
        Ok(())
    }

    /// The outcome for one account.
    fn assess(&self, survey: &Survey, account: &AccountData) -> Outcome;

    /// Whether [`assess`](Check::assess) reads nothing but the check's own settings and the
    /// account's own data — its record, its menu and its articles through
    /// [`Survey::in_period`] — nothing else of the survey (not the check date), nothing other
    /// accounts published, nothing from the network. An evaluation may then reuse the outcome
    /// it remembered for an account whose data did not change (see `govmedia_score::Memo`).
    /// False by default.
    fn account_local(&self) -> bool {
        false
    }

    /// Whether [`assess`](Check::assess) needs nothing that [`observe`](Check::observe) or
    /// [`prepare`](Check::prepare) compute, so that an account can be assessed as soon as it is
    /// read: the evaluation then does so in its first pass, while the account's data is in
    /// memory anyway. An account-local check is one whatever this says.
    fn assessable_unprepared(&self) -> bool {
        self.account_local()
    }

    /// Whether [`assess`](Check::assess) reads the articles' bodies (`content`,
    /// `content_html`). When none of the checks left for the second pass does, the evaluation
    /// reads the accounts for it without their bodies, most of what there is to read. True by
    /// default.
    fn reads_bodies(&self) -> bool {
        true
    }

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

//! Outcomes remembered between evaluations. A check whose outcome depends only on its
//! settings and the account's own data in the survey period ([`Check::account_local`]: the
//! content safety scan, the classifier) is not run again for an account whose data did not
//! change since an evaluation in the same scope; the other checks, the scores and the ranks are
//! always computed afresh, so a result built from remembered outcomes is the fresh result.
//!
//! Each (check, account) pair has one slot in a [`MemoStore`]; its entry is the key it was
//! computed under — a SHA-256 over the scope (the caller's fingerprint of the checks' settings
//! and govmedia's version) and the account's data as those checks see it (the account, its
//! articles in the period, its menu) — and the outcome as JSON. The check date and the period's
//! bounds are not in the key, only which articles fall in the period: a daily monitor whose
//! period grows by a day checks again only the accounts that published. An entry whose key
//! differs is simply overwritten: the store holds one entry per pair, whatever the number of
//! evaluations.

use std::sync::atomic::{AtomicUsize, Ordering};

use govmedia_checks::{AccountData, Check, Outcome, PassError, Survey};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

/// Where remembered outcomes are kept (a namespace of the store's key-value cache).
pub trait MemoStore: Sync {
    /// The entries of `slots`, in their order (none where nothing is stored); an error is the
    /// store's message.
    fn load(&self, slots: &[String]) -> Result<Vec<Option<String>>, String>;

    /// Stores `entries` as (slot, entry), replacing earlier ones. A failure to store is the
    /// store's to report: the evaluation goes on without remembering.
    fn save(&self, entries: &[(String, String)]);
}

/// Remembered outcomes for the evaluations of one survey under one scope.
pub struct Memo<'a> {
    store: &'a dyn MemoStore,
    /// SHA-256 over govmedia's version and the scope: every account key starts from it.
    base: Sha256,
    /// The survey whose accounts are keyed (its period picks the articles).
    survey: &'a Survey,
    /// Accounts whose account-local outcomes all came from the store.
    recalled: AtomicUsize,
}

impl<'a> Memo<'a> {
    /// A memo in `store` for evaluations of `survey` whose checks' settings `scope`
    /// fingerprints (the files they read included: an edited lexicon is a new scope).
    pub fn new(store: &'a dyn MemoStore, scope: &str, survey: &'a Survey) -> Memo<'a> {
        let mut base = Sha256::new();
        base.update(env!("CARGO_PKG_VERSION"));
        field(&mut base, scope.as_bytes());
        Memo { store, base, survey, recalled: AtomicUsize::new(0) }
    }

    /// The remembered outcomes of `checks`' account-local checks for each account of `chunk`
    /// (`checks` by index; none for a check not at hand).
    pub(crate) fn recall(
        &self,
        checks: &[Option<&dyn Check>],
        chunk: &[AccountData],
    ) -> Result<Recalled, PassError> {
        let local: Vec<usize> =
            (0..checks.len()).filter(|&i| checks[i].is_some_and(|c| c.account_local())).collect();
        if local.is_empty() {
            return Ok(Recalled { local, accounts: Vec::new() });
        }
        let keys: Vec<String> = chunk.par_iter().map(|acc| self.account_key(acc)).collect();
        let slots: Vec<String> = chunk
            .iter()
            .flat_map(|acc| local.iter().map(|&i| slot(name(checks, i), &acc.account.id)))
            .collect();
        let entries = self.store.load(&slots).map_err(PassError::Read)?;
        let mut entries = entries.into_iter();
        let accounts = keys
            .into_iter()
            .map(|key| {
                let known = local
                    .iter()
                    .map(|_| entries.next().flatten().and_then(|e| outcome_under(&e, &key)))
                    .collect();
                RecalledAccount { key, known }
            })
            .collect::<Vec<RecalledAccount>>();
        let whole = accounts.iter().filter(|a| a.known.iter().all(Option::is_some)).count();
        self.recalled.fetch_add(whole, Ordering::Relaxed);
        Ok(Recalled { local, accounts })
    }

    /// How many accounts this memo's evaluations took every account-local outcome of from the
    /// store (not assessed again).
    pub fn recalled(&self) -> usize {
        self.recalled.load(Ordering::Relaxed)
    }

    /// Stores the outcomes assessed afresh for `chunk` (see [`Recalled::fresh`]).
    pub(crate) fn remember(&self, entries: Vec<(String, String)>) {
        if !entries.is_empty() {
            self.store.save(&entries);
        }
    }

    /// The key of an account's data in this memo's scope.
    fn account_key(&self, acc: &AccountData) -> String {
        let mut h = self.base.clone();
        let mut w = HashWriter(&mut h);
        let articles: Vec<_> = self.survey.in_period(acc).collect();
        serde_json::to_writer(&mut w, &(&acc.account, &articles, &acc.menu))
            .expect("account data serialises");
        hex(&h.finalize())
    }
}

/// What a chunk's accounts have remembered.
pub(crate) struct Recalled {
    /// The indices of the account-local checks.
    local: Vec<usize>,
    accounts: Vec<RecalledAccount>,
}

impl Recalled {
    /// The remembered outcomes of account `n` of the chunk, by check index (none where the
    /// check must assess), and what to remember of it: call `fresh` with the outcomes assessed.
    pub(crate) fn take(&mut self, n: usize, checks: usize) -> (Vec<Option<Outcome>>, Option<Fresh>) {
        let mut known: Vec<Option<Outcome>> = vec![None; checks];
        let Some(acc) = self.accounts.get_mut(n) else { return (known, None) };
        let mut wanted = Vec::new();
        for (&i, o) in self.local.iter().zip(acc.known.iter_mut()) {
            match o.take() {
                Some(o) => known[i] = Some(o),
                None => wanted.push(i),
            }
        }
        (known, Some(Fresh { key: std::mem::take(&mut acc.key), wanted }))
    }
}

struct RecalledAccount {
    key: String,
    /// By position in `Recalled::local`.
    known: Vec<Option<Outcome>>,
}

/// The account-local checks an account was assessed with afresh, to remember.
pub(crate) struct Fresh {
    key: String,
    wanted: Vec<usize>,
}

impl Fresh {
    /// The (slot, entry) pairs of `outcomes` (by check index; none where not assessed) worth
    /// remembering. An outcome with a metric JSON cannot hold (NaN, infinite) is not
    /// remembered.
    pub(crate) fn entries(
        &self,
        checks: &[Option<&dyn Check>],
        account: &str,
        outcomes: &[Option<Outcome>],
    ) -> Vec<(String, String)> {
        self.wanted
            .iter()
            .filter_map(|&i| Some((i, outcomes[i].as_ref()?)))
            .filter(|(_, o)| match o {
                Outcome::Evaluated(a) => a.metrics.values().all(|v| v.is_finite()),
                Outcome::NotEvaluated(_) => true,
            })
            .map(|(i, o)| {
                let json = serde_json::to_string(o).expect("outcomes serialise");
                (slot(name(checks, i), account), format!("{}\n{json}", self.key))
            })
            .collect()
    }
}

/// The name of check `i` of `checks` (an account-local one: at hand).
fn name(checks: &[Option<&dyn Check>], i: usize) -> &'static str {
    checks[i].map_or("", |c| c.name())
}

/// The slot of a check's outcome for an account.
fn slot(check: &str, account: &str) -> String {
    format!("{check}/{account}")
}

/// The outcome of an entry stored under `key`, if that is its key and it reads back.
fn outcome_under(entry: &str, key: &str) -> Option<Outcome> {
    let (stored, json) = entry.split_once('\n')?;
    if stored != key {
        return None;
    }
    serde_json::from_str(json).ok()
}

/// Feeds a value into the hash with its length, so that two fields never run into each other.
fn field(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Serialises straight into a hash.
struct HashWriter<'a>(&'a mut Sha256);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

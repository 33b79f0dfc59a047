//! The check registry: which checks a run has, built from options, with their caches in the
//! store.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use govmedia_ai::{AiConfig, CacheKey, JudgementCache, Judgements, Profile};
use govmedia_checks::Check;
use govmedia_checks::menu::MenuLexicon;
use govmedia_store_api::{KvCache, Store};
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The folder of the mobile check's evidence files, in the output directory.
pub(crate) const EVIDENCE: &str = "evidence";

/// What shapes the checks of a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckOptions {
    /// A directory of the user's lexicons (`*.toml`), used beside the shipped ones.
    pub lexicons: Option<PathBuf>,
    /// A CSV of the user's labelled titles, added to the classifier's training set.
    pub labelled: Option<PathBuf>,
    pub web: WebCheckOptions,
    /// The AI profile (`deepseek`, `qwen` …); none: the AI indicators are not evaluated.
    pub ai: Option<String>,
    /// The AI configuration file; none: `govmedia.toml` in the working directory, else the
    /// built-in profiles.
    pub ai_config: Option<PathBuf>,
}

/// Options of the web checks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WebCheckOptions {
    /// Permit private, loopback and link-local addresses (tests, intranet deployments).
    pub allow_private: bool,
    /// The Chromium executable; none: look in the usual places.
    pub browser: Option<PathBuf>,
    /// Render every page of the mobile check (see `govmedia_web::WebOptions::render_all`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub render_all: bool,
}

impl WebCheckOptions {
    /// The web crate's options: fetch results cached in `cache`; evidence files in `out/evidence`,
    /// named in findings relative to `out` (where results.json goes).
    pub fn web_options(
        &self,
        cache: Option<Arc<dyn KvCache>>,
        out: Option<&Path>,
    ) -> govmedia_web::WebOptions {
        govmedia_web::WebOptions {
            allow_private: self.allow_private,
            cache,
            browser: self.browser.clone(),
            render_all: self.render_all,
            evidence_dir: out.map(|o| o.join(EVIDENCE)),
            evidence_ref: out.map(|_| PathBuf::from(EVIDENCE)),
            ..govmedia_web::WebOptions::default()
        }
    }
}

/// The checks of one run, in registration order: structural, content, web, then AI. A
/// framework leaf bound to a check that is not here is reported as not evaluated.
pub struct CheckSet {
    checks: Vec<Box<dyn Check>>,
}

impl CheckSet {
    /// Registers the checks `options` ask for. Web fetches and AI judgements are cached in
    /// `store` (so a re-run, or another machine on the same database, reuses them); mobile
    /// evidence files go under `out/evidence`.
    pub fn build(options: &CheckOptions, store: &dyn Store, out: Option<&Path>) -> Result<CheckSet> {
        let cache = store.cache()?;
        // A menu.toml among the user's lexicons replaces the embedded menu lexicon, for the
        // menu check and the web functions check alike.
        let user_menu =
            options.lexicons.as_deref().map(MenuLexicon::from_dir).transpose().map_err(Error::Invalid)?;
        let menu_lexicon = user_menu.flatten().unwrap_or_else(MenuLexicon::default_lexicon);
        // So do its unit-short-names.toml and intro-department.toml for the account check.
        let account = options
            .lexicons
            .as_deref()
            .map(govmedia_checks::account::AccountCheck::from_dir)
            .transpose()
            .map_err(Error::Invalid)?
            .unwrap_or_default();
        let mut checks = govmedia_checks::structural_checks_with(menu_lexicon.clone(), account);
        let content = govmedia_content::ContentOptions {
            lexicons: options.lexicons.clone(),
            labelled_titles: options.labelled.clone(),
        };
        checks.extend(govmedia_content::content_checks(&content)?);
        checks.extend(govmedia_web::web_checks_with(
            options.web.web_options(Some(cache.clone()), out),
            menu_lexicon,
        ));
        if let Some(name) = &options.ai {
            let profile = ai_profile(options.ai_config.as_deref(), name)?;
            checks.extend(govmedia_ai::ai_checks(&profile, Arc::new(StoreJudgements(cache)))?);
        }
        Ok(CheckSet { checks })
    }

    /// A set of given checks (tests, custom front ends).
    pub fn from_checks(checks: Vec<Box<dyn Check>>) -> CheckSet {
        CheckSet { checks }
    }

    /// Adds a check of the caller's (a deployment's own), after those registered.
    pub fn push(&mut self, check: Box<dyn Check>) {
        self.checks.push(check);
    }

    pub fn checks(&self) -> &[Box<dyn Check>] {
        &self.checks
    }

    pub fn checks_mut(&mut self) -> &mut [Box<dyn Check>] {
        &mut self.checks
    }

    /// The names of the registered checks, in order.
    pub fn names(&self) -> Vec<&'static str> {
        govmedia_score::engine::check_names(&self.checks)
    }
}

/// The AI profile `name` from the configuration file `config` (none: `govmedia.toml` in the
/// working directory, else the built-in profiles).
fn ai_profile(config: Option<&Path>, name: &str) -> Result<Profile> {
    Ok(AiConfig::discover(config)?.profile(name)?)
}

/// Tries an AI profile on one article (`govmedia ai-check`): connectivity, the model policy
/// and the output format, without any cache.
pub fn ai_check(config: Option<&Path>, name: &str, title: &str, content: &str) -> Result<Judgements> {
    let profile = ai_profile(config, name)?;
    let judged = govmedia_checks::blocking::block_on(govmedia_ai::ai_check_one(&profile, title, content))
        .map_err(|e| Error::Invalid(format!("无法运行 AI 评估：{e}")))?;
    Ok(judged?)
}

/// Model judgements in the store's key-value cache (namespace `ai`): a re-run makes no calls.
struct StoreJudgements(Arc<dyn KvCache>);

impl StoreJudgements {
    fn key(k: &CacheKey) -> String {
        format!("{}|{}|{}", k.prompt_version, k.model, k.content_hash)
    }
}

impl JudgementCache for StoreJudgements {
    fn get(&self, key: &CacheKey) -> Option<String> {
        off_runtime(|| self.0.get("ai", &Self::key(key))).ok().flatten()
    }

    fn put(&self, key: &CacheKey, value: &str) {
        if let Err(e) = off_runtime(|| self.0.put("ai", &Self::key(key), value)) {
            tracing::warn!("无法写入 AI 评估缓存：{e}");
        }
    }
}

/// Runs a call of the store's cache on a thread of its own. The judges call the cache from
/// their async tasks, and the PostgreSQL client is synchronous: it drives a runtime of its own,
/// which cannot be started on a thread that already runs one.
fn off_runtime<T: Send>(call: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| s.spawn(call).join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
}

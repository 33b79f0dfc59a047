//! The evaluation engine: runs the checks, scores the indicator tree of a framework, applies
//! vetoes and redistribution, ranks accounts within their level and picks excellent lists.
//!
//! The accounts' data is read twice from an [`AccountSource`], a chunk at a time: once for
//! the checks to observe — the checks that need nothing observed or prepared
//! ([`Check::assessable_unprepared`]: content safety, classification …) assess each account
//! then, while its data is in memory — and once for the other checks to assess, without the
//! article bodies (most of what there is to read) when none of those reads them. Memory holds
//! one chunk and the results, never the whole corpus.
//!
//! Determinism: accounts are assessed on all cores but their results are collected in input
//! order, findings kept in check order (the order of `checks`), sums taken in a fixed order,
//! scores rounded (account score to 0.01, indicator scores and weights to 1e-6) before ranking,
//! and every map is ordered. Only `generated_at` differs between two runs on the same data,
//! whatever the number of threads.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};

use govmedia_checks::propagation::wci_metric;
use govmedia_checks::{
    AccountData, AccountSource, Assessment, Check, CheckError, NoteSource, Outcome, PassError, Progress,
    Survey,
};
use govmedia_model::results::{
    AccountResult, ArticleResult, IndexValue, IndicatorResult, NotEvaluated, Results,
};
use govmedia_model::{AccountStatus, Finding, FindingCode, Level, Platform, Severity};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::framework::{BciIndex, DEFAULT_EXCELLENT_ARTICLES_PER_LEVEL, Framework, Veto, WciIndex};
use crate::memo::Memo;
use crate::{apps, regions, stats, units};

/// What stops an evaluation (as opposed to a check that is merely not evaluated).
#[derive(Debug, thiserror::Error)]
pub enum EvaluateError {
    #[error(transparent)]
    Check(#[from] CheckError),
    /// The caller asked to stop (see [`Progress::cancelled`]).
    #[error("评估已取消")]
    Cancelled,
    /// The accounts' data could not be read.
    #[error("{0}")]
    Read(String),
}

impl From<PassError> for EvaluateError {
    fn from(e: PassError) -> Self {
        match e {
            PassError::Check(e) => EvaluateError::Check(e),
            PassError::Read(e) => EvaluateError::Read(e),
            PassError::Cancelled => EvaluateError::Cancelled,
        }
    }
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

/// The outcomes of every registered check for one account.
struct Outcomes<'a> {
    by_check: BTreeMap<&'a str, &'a Outcome>,
}

/// How the reason of a redistributed indicator (and its subtree) begins.
pub const MOVED: &str = "权重已转移";

/// "未评估：" and the reason, which checks write with or without that prefix.
fn not_evaluated(reason: &str) -> String {
    format!("未评估：{}", reason.strip_prefix("未评估：").unwrap_or(reason))
}

impl Outcomes<'_> {
    /// A metric's value, or why there is none (Chinese).
    fn metric(&self, check: &str, metric: &str) -> Result<f64, String> {
        match self.by_check.get(check) {
            None => Err(format!("未评估：检查“{check}”未运行（未注册或未启用）")),
            Some(Outcome::NotEvaluated(reason)) => Err(not_evaluated(reason)),
            Some(Outcome::Evaluated(a)) => match a.metrics.get(metric) {
                Some(v) if v.is_finite() => Ok(*v),
                _ => Err(match a.not_evaluated.get(metric) {
                    Some(reason) => not_evaluated(reason),
                    None => format!("未评估：检查“{check}”未给出指标“{metric}”"),
                }),
            },
        }
    }

    fn assessments(&self) -> impl Iterator<Item = &Assessment> {
        self.by_check.values().filter_map(|o| match o {
            Outcome::Evaluated(a) => Some(a),
            Outcome::NotEvaluated(_) => None,
        })
    }
}

/// Scores the indicator tree for one account.
fn score_tree(fw: &Framework, out: &Outcomes) -> (Option<f64>, BTreeMap<String, IndicatorResult>) {
    // Leaf scores, or reasons; for a leaf scored on its fallback, what was used and why.
    let mut raw: BTreeMap<&str, Result<f64, String>> = BTreeMap::new();
    let mut basis: BTreeMap<&str, String> = BTreeMap::new();
    for ind in fw.indicators.values() {
        if let Some(b) = &ind.binding {
            let mut value = out.metric(&b.check, &b.metric);
            if let (Err(why), Some(f)) = (&value, &b.fallback)
                && let Ok(v) = out.metric(&f.check, &f.metric)
            {
                basis.insert(
                    &ind.id,
                    format!("按 {}.{} 计分（{}.{} {why}）", f.check, f.metric, b.check, b.metric),
                );
                value = Ok(v);
            }
            raw.insert(&ind.id, value.map(|v| b.rule.apply(v)));
        }
    }
    // Redistribution: relative weights per indicator after the rules that apply.
    let mut weight: BTreeMap<&str, f64> = fw.indicators.iter().map(|(k, v)| (k.as_str(), v.weight)).collect();
    let mut moved: BTreeMap<&str, String> = BTreeMap::new();
    for r in &fw.redistribute {
        let c = &r.when;
        if out.metric(&c.check, &c.metric).is_ok_and(|v| c.op.holds(v, c.value)) {
            let w = weight[r.from.as_str()];
            *weight.get_mut(r.to.as_str()).expect("validated") += w;
            *weight.get_mut(r.from.as_str()).expect("validated") = 0.0;
            let to_name = &fw.indicators[&r.to].name;
            let why = r.note.clone().unwrap_or_else(|| {
                format!("条件 {}.{} {} {} 成立", c.check, c.metric, c.op.as_str(), c.value)
            });
            moved.insert(&r.from, format!("{MOVED}至“{to_name}”：{why}"));
        }
    }
    // Bottom-up scores.
    fn node<'a>(
        fw: &'a Framework,
        id: &'a str,
        raw: &BTreeMap<&str, Result<f64, String>>,
        weight: &BTreeMap<&str, f64>,
        moved: &BTreeMap<&str, String>,
        scores: &mut BTreeMap<&'a str, Result<f64, String>>,
    ) -> Result<f64, String> {
        let ind = &fw.indicators[id];
        let s = if let Some(m) = moved.get(id) {
            // The whole subtree carries the move: its leaves are not scored here.
            fn mark<'a>(
                fw: &'a Framework,
                id: &'a str,
                why: &str,
                scores: &mut BTreeMap<&'a str, Result<f64, String>>,
            ) {
                for c in &fw.indicators[id].children {
                    scores.insert(c, Err(why.to_owned()));
                    mark(fw, c, why, scores);
                }
            }
            mark(fw, id, m, scores);
            Err(m.clone())
        } else if ind.binding.is_some() {
            raw[id].clone()
        } else {
            let (mut sum, mut w) = (0.0, 0.0);
            let mut reasons = Vec::new();
            for c in &ind.children {
                match node(fw, c, raw, weight, moved, scores) {
                    Ok(v) if weight[c.as_str()] > 0.0 => {
                        sum += weight[c.as_str()] * v;
                        w += weight[c.as_str()];
                    }
                    Ok(_) => {}
                    Err(r) => reasons.push(r),
                }
            }
            if w > 0.0 {
                Ok(sum / w)
            } else {
                Err(reasons.first().cloned().unwrap_or_else(|| "未评估：下级指标均未评估".into()))
            }
        };
        scores.insert(id, s.clone());
        s
    }
    let mut scores = BTreeMap::new();
    let (mut total, mut total_w) = (0.0, 0.0);
    for r in &fw.roots {
        if let Ok(v) = node(fw, r, &raw, &weight, &moved, &mut scores)
            && weight[r.as_str()] > 0.0
        {
            total += weight[r.as_str()] * v;
            total_w += weight[r.as_str()];
        }
    }
    // Top-down effective weights: a node's share of the account's score.
    let mut eff: BTreeMap<&str, f64> = BTreeMap::new();
    fn spread<'a>(
        fw: &'a Framework,
        ids: &'a [String],
        parent_share: f64,
        weight: &BTreeMap<&str, f64>,
        scores: &BTreeMap<&str, Result<f64, String>>,
        eff: &mut BTreeMap<&'a str, f64>,
    ) {
        let w: f64 = ids.iter().filter(|c| scores[c.as_str()].is_ok()).map(|c| weight[c.as_str()]).sum();
        for c in ids {
            let share = if w > 0.0 && scores[c.as_str()].is_ok() {
                parent_share * weight[c.as_str()] / w
            } else {
                0.0
            };
            eff.insert(c, share);
            spread(fw, &fw.indicators[c].children, share, weight, scores, eff);
        }
    }
    spread(fw, &fw.roots, 1.0, &weight, &scores, &mut eff);
    let results = fw
        .indicators
        .iter()
        .map(|(id, ind)| {
            let s = &scores[id.as_str()];
            // Not evaluated (and renormalised), as opposed to moved by a redistribution rule.
            let renormalised = s.as_ref().is_err_and(|r| !r.starts_with(MOVED));
            let reason = s.as_ref().err().map(|r| {
                if renormalised {
                    format!("{r}；其权重按比例分配给同级已评估指标")
                } else {
                    r.clone()
                }
            });
            (
                id.clone(),
                IndicatorResult {
                    score: s.as_ref().ok().map(|v| round(*v, 6)),
                    weight: round(eff[id.as_str()], 6),
                    name: Some(ind.name.clone()),
                    not_evaluated: reason,
                    basis: basis.get(id.as_str()).cloned(),
                },
            )
        })
        .collect();
    ((total_w > 0.0).then(|| total / total_w), results)
}

/// Applies the framework's vetoes to the findings: returns the veto codes (sorted, unique).
/// Findings a check graded as veto whose code the framework does not veto become major.
fn apply_vetoes(fw: &Framework, out: &Outcomes, findings: &mut Vec<Finding>) -> Vec<String> {
    let mut codes: Vec<FindingCode> = Vec::new();
    for v in &fw.vetoes {
        match v {
            Veto::Finding { code, severity } => {
                for f in findings
                    .iter_mut()
                    .filter(|f| f.code == *code && severity.is_none_or(|s| f.severity == s))
                {
                    f.severity = Severity::Veto;
                    codes.push(*code);
                }
            }
            Veto::Metric { code, condition: c, message } => {
                let Ok(x) = out.metric(&c.check, &c.metric) else { continue };
                if !c.op.holds(x, c.value) {
                    continue;
                }
                codes.push(*code);
                let mut found = false;
                for f in findings.iter_mut().filter(|f| f.code == *code) {
                    f.severity = Severity::Veto;
                    found = true;
                }
                if !found {
                    let text = message.clone().unwrap_or_else(|| code.title().to_owned());
                    findings.push(
                        Finding::new(
                            *code,
                            Severity::Veto,
                            format!(
                                "{text}（{}.{} = {x}，框架阈值 {} {}）",
                                c.check,
                                c.metric,
                                c.op.as_str(),
                                c.value
                            ),
                        )
                        .with("metric", format!("{}.{}", c.check, c.metric))
                        .with("value", x)
                        .with("threshold", c.value),
                    );
                }
            }
        }
    }
    for f in findings.iter_mut() {
        if f.severity == Severity::Veto && !codes.contains(&f.code) {
            f.severity = Severity::Major;
        }
    }
    codes.sort();
    codes.dedup();
    codes.into_iter().map(|c| c.as_str().to_owned()).collect()
}

/// The account's WCI and BCI under the framework's versions, each with the formula it used;
/// another version's value is never put in its place.
fn indices(fw: &Framework, out: &Outcomes) -> BTreeMap<String, IndexValue> {
    let mut m = BTreeMap::new();
    let wci_metric = match fw.wci {
        WciIndex::Counters(v) => wci_metric(v),
        WciIndex::Tsinghua2014 => "wci_tsinghua_2014",
    };
    if let Ok(v) = out.metric("propagation", wci_metric) {
        let index = IndexValue {
            value: round(v, 6),
            version: fw.wci.as_str().into(),
            unverified: fw.wci.unverified(),
        };
        m.insert("wci".into(), index);
    }
    let bci_metric = match fw.bci {
        BciIndex::Provincial => "bci_provincial",
        BciIndex::Tsinghua2014 => "bci_tsinghua_2014",
    };
    if let Ok(v) = out.metric("propagation", bci_metric) {
        m.insert(
            "bci".into(),
            IndexValue { value: round(v, 6), version: fw.bci.as_str().into(), unverified: false },
        );
    }
    m
}

/// Runs every check and scores every account of `survey` under `framework`, reading the
/// accounts' data from `source` (twice: see the module's documentation).
///
/// With `memo`, the account-local checks' outcomes for accounts whose data did not change are
/// taken from it, and the fresh ones stored in it (see [`Memo`]).
pub fn evaluate(
    survey: &Survey,
    source: &mut dyn AccountSource,
    framework: &Framework,
    checks: &mut [Box<dyn Check>],
    memo: Option<&Memo>,
    progress: &dyn Progress,
) -> Result<Results, EvaluateError> {
    let early = first_pass(survey, source, checks, memo, progress)?;
    prepare_observed(survey, checks, progress)?;
    let checks: &[Box<dyn Check>] = checks;
    // Bodies are most of what is read; the checks that read them are usually done by now.
    if !checks.iter().any(|c| !(c.account_local() || c.assessable_unprepared()) && c.reads_bodies()) {
        source.leave_out_bodies();
    }
    let mut early = early.into_iter();
    let mut reduction = Reduction::default();
    progress.start("评估账号", survey.accounts.len() as u64);
    source.for_each_chunk(&mut |chunk| {
        let mut known = Vec::with_capacity(chunk.len());
        for acc in chunk {
            match early.next() {
                Some(k) if k.account == acc.account.id => known.push(k.outcomes),
                _ => {
                    return Err(PassError::Read(format!(
                        "第二遍读取的账号与第一遍不一致（{}）",
                        acc.account.id
                    )));
                }
            }
        }
        for a in assess_known_chunk(survey, framework, checks, chunk, known, progress)? {
            reduction.add(a);
        }
        Ok(())
    })?;
    progress.finish();
    Ok(reduction.finish(survey, framework, &check_names(checks)))
}

/// The names of `checks`, in registration order.
pub fn check_names(checks: &[Box<dyn Check>]) -> Vec<&'static str> {
    checks.iter().map(|c| c.name()).collect()
}

/// A (slot, entry) pair to remember (see [`Memo`]).
type MemoEntry = (String, String);

/// One account's outcomes known before the second pass, by check index.
struct Known {
    account: String,
    outcomes: Vec<Option<Outcome>>,
}

/// The survey-wide stage before any account is assessed: every check observes every chunk of
/// `source` (the first pass), then prepares. The checks that need neither
/// ([`Check::assessable_unprepared`]) assess each account of a chunk meanwhile, on all cores,
/// while its data is in memory: their outcomes come back by account in roster order.
fn first_pass(
    survey: &Survey,
    source: &mut dyn AccountSource,
    checks: &mut [Box<dyn Check>],
    memo: Option<&Memo>,
    progress: &dyn Progress,
) -> Result<Vec<Known>, EvaluateError> {
    let total = survey.accounts.len() as u64;
    const READING: &str = "读取并检查账号";
    let early: Vec<bool> = checks.iter().map(|c| c.account_local() || c.assessable_unprepared()).collect();
    let watch = Watch { inner: progress, started: AtomicBool::new(false) };
    let mut observed = 0u64;
    let mut known = Vec::with_capacity(survey.accounts.len());
    progress.start(READING, total);
    source.for_each_chunk(&mut |chunk| {
        let observe = |checks: &mut [&mut Box<dyn Check>]| {
            checks.iter_mut().try_for_each(|c| {
                if progress.cancelled() {
                    return Err(PassError::Cancelled);
                }
                Ok(c.observe(survey, chunk, &watch)?)
            })
        };
        let (mut now, mut later): (Vec<_>, Vec<_>) = checks.iter_mut().zip(&early).partition(|(_, e)| **e);
        let mut now: Vec<&mut Box<dyn Check>> = now.iter_mut().map(|(c, _)| &mut **c).collect();
        let mut later: Vec<&mut Box<dyn Check>> = later.iter_mut().map(|(c, _)| &mut **c).collect();
        // The checks assessed now need nothing observed: they assess while the others
        // observe (the originality check's signatures take a while).
        observe(&mut now)?;
        let mut assessing = now.into_iter();
        let at_hand: Vec<Option<&dyn Check>> = early
            .iter()
            .map(|&e| if e { assessing.next().map(|c| &**c as &dyn Check) } else { None })
            .collect();
        let (observed_later, outcomes) =
            rayon::join(|| observe(&mut later), || assess_some(survey, &at_hand, chunk, memo, progress));
        observed_later?;
        known.extend(
            chunk
                .iter()
                .zip(outcomes?)
                .map(|(acc, outcomes)| Known { account: acc.account.id.clone(), outcomes }),
        );
        observed += chunk.len() as u64;
        if watch.started.swap(false, Ordering::Relaxed) {
            // A check showed its own stage (model calls): the reading bar comes back.
            progress.start(READING, total);
            progress.advance(observed);
        } else {
            progress.advance(chunk.len() as u64);
        }
        Ok(())
    })?;
    progress.finish();
    Ok(known)
}

/// The checks' survey-wide preparation, once every chunk was observed — by them or, through
/// [`Check::absorb`], by other processes.
pub fn prepare_observed(
    survey: &Survey,
    checks: &mut [Box<dyn Check>],
    progress: &dyn Progress,
) -> Result<(), EvaluateError> {
    for c in checks.iter_mut() {
        if progress.cancelled() {
            return Err(EvaluateError::Cancelled);
        }
        progress.start(&format!("准备检查：{}", c.name()), 0);
        c.prepare(survey, progress)?;
        progress.finish();
    }
    Ok(())
}

/// The outcomes of `checks` (by check index; none for a check not to assess here) for each
/// account of `chunk`, on all cores; none for the other checks. With `memo`, the account-local
/// ones among them are recalled from it where the account's data did not change, and the fresh
/// ones stored in it.
fn assess_some(
    survey: &Survey,
    checks: &[Option<&dyn Check>],
    chunk: &[AccountData],
    memo: Option<&Memo>,
    progress: &dyn Progress,
) -> Result<Vec<Vec<Option<Outcome>>>, PassError> {
    let mut recalled = memo.map(|m| m.recall(checks, chunk)).transpose()?;
    let remembered: Vec<_> = (0..chunk.len())
        .map(|n| match &mut recalled {
            Some(r) => r.take(n, checks.len()),
            None => (vec![None; checks.len()], None),
        })
        .collect();
    let done: Vec<(Vec<Option<Outcome>>, Vec<MemoEntry>)> = chunk
        .par_iter()
        .zip(remembered)
        .map(|(acc, (mut known, fresh))| {
            if progress.cancelled() {
                return Err(PassError::Cancelled);
            }
            for (c, k) in checks.iter().zip(known.iter_mut()) {
                if let (Some(c), None) = (c, &k) {
                    *k = Some(outcome(*c, survey, acc));
                }
            }
            let remember = fresh.map(|f| f.entries(checks, &acc.account.id, &known)).unwrap_or_default();
            Ok((known, remember))
        })
        .collect::<Result<_, _>>()?;
    let (known, fresh): (Vec<_>, Vec<_>) = done.into_iter().unzip();
    if let Some(memo) = memo {
        memo.remember(fresh.into_iter().flatten().collect());
    }
    Ok(known)
}

/// Assesses a chunk of accounts on all cores with prepared `checks` (see [`prepare_observed`]);
/// the assessments come in the chunk's order, so what follows sees exactly what a single thread
/// would. Each account advances `progress` by one. With `memo`, the account-local checks'
/// outcomes are recalled from it where the account's data did not change, and the fresh ones
/// stored in it.
pub fn assess_chunk(
    survey: &Survey,
    framework: &Framework,
    checks: &[Box<dyn Check>],
    chunk: &[AccountData],
    memo: Option<&Memo>,
    progress: &dyn Progress,
) -> Result<Vec<Assessed>, PassError> {
    let local: Vec<Option<&dyn Check>> =
        checks.iter().map(|c| c.account_local().then_some(c.as_ref())).collect();
    let known = assess_some(survey, &local, chunk, memo, progress)?;
    assess_known_chunk(survey, framework, checks, chunk, known, progress)
}

/// Assesses a chunk of accounts on all cores, taking the outcomes already `known` (by account,
/// then check index) as they are; in the chunk's order. Each account advances `progress` by one.
fn assess_known_chunk(
    survey: &Survey,
    framework: &Framework,
    checks: &[Box<dyn Check>],
    chunk: &[AccountData],
    known: Vec<Vec<Option<Outcome>>>,
    progress: &dyn Progress,
) -> Result<Vec<Assessed>, PassError> {
    chunk
        .par_iter()
        .zip(known)
        .map(|(acc, known)| {
            if progress.cancelled() {
                return Err(PassError::Cancelled);
            }
            let done = assess_known(survey, framework, checks, acc, known);
            progress.advance(1);
            Ok(done)
        })
        .collect()
}

/// The survey-wide stage after every account was assessed: ranks, excellent lists, unit
/// pairs and statistics, from the accounts' assessments added in roster order. The
/// assessments may come from this process or, serialised, from workers.
#[derive(Default)]
pub struct Reduction {
    accounts: Vec<AccountResult>,
    articles: Vec<ArticleResult>,
    candidates: Vec<Candidate>,
    check_not_evaluated: BTreeMap<String, BTreeMap<String, usize>>,
    /// Accounts without an assessment, with the reason (a distributed run's failed jobs).
    unassessed: Vec<NotEvaluated>,
}

impl Reduction {
    /// Adds the next account's assessment, in roster order.
    pub fn add(&mut self, a: Assessed) {
        for (name, reason) in a.not_evaluated {
            *self.check_not_evaluated.entry(name).or_default().entry(reason).or_default() += 1;
        }
        self.accounts.push(a.result);
        self.articles.extend(a.articles);
        self.candidates.extend(a.candidates);
    }

    /// Records that the account `id` has no assessment and why: it is not ranked, and the
    /// results say so (never a silent zero).
    pub fn unassessed(&mut self, id: &str, reason: &str) {
        self.unassessed
            .push(NotEvaluated {
                check: "evaluation".into(), reason: format!("账号 {id} 未评估：{reason}")
            });
    }

    /// Ranks and completes the results; `checks` names the checks that ran.
    pub fn finish(self, survey: &Survey, framework: &Framework, checks: &[&str]) -> Results {
        let Reduction { mut accounts, mut articles, candidates, check_not_evaluated, unassessed } = self;
        rank(&mut accounts);
        let excellent = pick_excellent(framework, &mut accounts);
        let caps = framework.excellent.map_or((DEFAULT_EXCELLENT_ARTICLES_PER_LEVEL, None), |e| {
            (e.articles_per_level, e.articles_per_account)
        });
        pick_excellent_articles(&accounts, &mut articles, candidates, caps);

        let mut not_evaluated = Vec::new();
        for check in framework.bound_checks() {
            if !checks.contains(&check.as_str()) {
                not_evaluated.push(NotEvaluated {
                    check,
                    reason: "该检查未运行（未注册或未启用），相关指标未评估".into(),
                });
            }
        }
        for (check, reasons) in check_not_evaluated {
            for (reason, n) in reasons {
                not_evaluated
                    .push(NotEvaluated {
                        check: check.clone(), reason: format!("{reason}（{n}个账号）")
                    });
            }
        }
        not_evaluated.extend(unassessed);
        let units = units::pair(&accounts, framework);
        let mut statistics = platform_statistics(survey, &accounts, &articles, framework);
        statistics.insert("excellent".into(), serde_json::to_value(&excellent).expect("plain map"));
        // Ranked accounts first in rank order, then those without a score.
        accounts.sort_by(|a, b| {
            (a.platform, a.level, a.rank.is_none(), a.rank, &a.id).cmp(&(
                b.platform,
                b.level,
                b.rank.is_none(),
                b.rank,
                &b.id,
            ))
        });
        let mut results = Results {
            framework: framework.name.clone(),
            framework_version: Some(framework.version.clone()),
            survey_name: survey.name.clone(),
            period: survey.period,
            check_date: survey.check_date,
            generated_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            govmedia_version: env!("CARGO_PKG_VERSION").into(),
            generated_data: survey.generated_data,
            accounts,
            articles,
            not_evaluated,
            units,
            statistics,
        };
        // Checks quote the data (titles, excerpts, link texts): mask once, for every output.
        results.mask_personal_data();
        results
    }
}

/// The survey statistics of the WeChat accounts (the surveys' subject: every figure of the
/// report's WeChat chapters), with the count of accounts per platform and the app statistics
/// beside them when the survey has other platforms.
fn platform_statistics(
    survey: &Survey,
    accounts: &[AccountResult],
    articles: &[ArticleResult],
    framework: &Framework,
) -> serde_json::Map<String, serde_json::Value> {
    if accounts.iter().all(|a| a.platform == Platform::Wechat) {
        return stats::survey_statistics(accounts, articles, framework);
    }
    let wechat: Vec<AccountResult> =
        accounts.iter().filter(|a| a.platform == Platform::Wechat).cloned().collect();
    let ids: HashSet<&str> = wechat.iter().map(|a| a.id.as_str()).collect();
    let wechat_articles: Vec<ArticleResult> =
        articles.iter().filter(|a| ids.contains(a.account.as_str())).cloned().collect();
    let mut s = stats::survey_statistics(&wechat, &wechat_articles, framework);
    let mut platforms = serde_json::Map::new();
    for p in [Platform::Wechat, Platform::Weibo, Platform::App] {
        platforms.insert(p.as_str().into(), accounts.iter().filter(|a| a.platform == p).count().into());
    }
    s.insert("platforms".into(), platforms.into());
    if let Some(apps) = apps::statistics(&survey.accounts) {
        s.insert("apps".into(), apps);
    }
    s
}

/// Forwards progress, noting whether a stage of its own was started.
struct Watch<'a> {
    inner: &'a dyn Progress,
    started: AtomicBool,
}

impl Progress for Watch<'_> {
    fn start(&self, label: &str, total: u64) {
        self.started.store(true, Ordering::Relaxed);
        self.inner.start(label, total);
    }
    fn advance(&self, n: u64) {
        self.inner.advance(n);
    }
    fn finish(&self) {
        self.inner.finish();
    }
    fn cancelled(&self) -> bool {
        self.inner.cancelled()
    }
}

/// One account's share of the results, before ranking; serialisable, so that a worker can
/// hand it to the process that ranks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessed {
    result: AccountResult,
    articles: Vec<ArticleResult>,
    candidates: Vec<Candidate>,
    /// The checks that did not run for this account, with their reasons.
    not_evaluated: Vec<(String, String)>,
}

impl Assessed {
    /// The account's id.
    pub fn account(&self) -> &str {
        &self.result.id
    }
}

/// Runs every prepared check on one account and scores it.
pub fn assess_account(
    survey: &Survey,
    framework: &Framework,
    checks: &[Box<dyn Check>],
    acc: &AccountData,
) -> Assessed {
    assess_known(survey, framework, checks, acc, vec![None; checks.len()])
}

/// The outcome of `check` for `acc`: assessed, or not applicable to its platform.
fn outcome(check: &dyn Check, survey: &Survey, acc: &AccountData) -> Outcome {
    let platform = acc.account.platform;
    if check.platforms().contains(&platform) {
        check.assess(survey, acc)
    } else {
        Outcome::NotEvaluated(govmedia_checks::not_applicable(platform))
    }
}

/// [`assess_account`] with the outcomes already `known` (by check index) taken as they are.
fn assess_known(
    survey: &Survey,
    framework: &Framework,
    checks: &[Box<dyn Check>],
    acc: &AccountData,
    known: Vec<Option<Outcome>>,
) -> Assessed {
    let outcomes: Vec<Outcome> = checks
        .iter()
        .zip(known)
        .map(|(c, known)| known.unwrap_or_else(|| outcome(c.as_ref(), survey, acc)))
        .collect();
    let outcomes: Vec<(&'static str, Outcome)> = checks.iter().map(|c| c.name()).zip(outcomes).collect();
    let out = Outcomes { by_check: outcomes.iter().map(|(n, o)| (*n, o)).collect() };
    let (result, notes) = account_result(survey, framework, acc, &out, checks);
    let candidates = notes
        .iter()
        .filter_map(|(url, note)| {
            let (quality, by_ai) = note.candidate()?;
            Some(Candidate {
                level: result.level,
                account: result.id.clone(),
                url: url.clone(),
                quality,
                by_ai,
            })
        })
        .collect();
    let articles = article_results(survey, acc, &notes);
    let not_evaluated = outcomes
        .into_iter()
        .filter_map(|(name, o)| match o {
            Outcome::NotEvaluated(r) => Some((name.to_owned(), r)),
            Outcome::Evaluated(_) => None,
        })
        .collect();
    Assessed { result, articles, candidates, not_evaluated }
}

/// What the checks concluded about one article, merged.
#[derive(Debug, Default)]
struct Note {
    /// The category shown, and the source it came from.
    category: Option<(NoteSource, String)>,
    /// The offline (rules) category and the classifier's confidence, kept beside a model's.
    rules_category: Option<(String, Option<f64>)>,
    /// Candidate flag and quality from the rule-based checks, and from the model.
    rules: (Option<bool>, Option<f64>),
    ai: (Option<bool>, Option<f64>),
}

impl Note {
    /// The article's quality and whether the model judged it, when it is an excellent
    /// candidate: where the model judged the article its verdict decides, else the rules'.
    fn candidate(&self) -> Option<(f64, bool)> {
        let (flag, quality, by_ai) = match self.ai {
            (_, Some(q)) => (self.ai.0, q, true),
            _ => (self.rules.0, self.rules.1.unwrap_or(0.0), false),
        };
        (flag == Some(true)).then_some((quality, by_ai))
    }
}

/// Per article URL.
type Notes = BTreeMap<String, Note>;

/// Merges the per-article notes of the assessments, given in registration order: the category
/// of the highest [`NoteSource`] wins, the first registered among equals.
fn merge_notes<'a>(assessments: impl Iterator<Item = &'a Assessment>) -> Notes {
    let mut notes: Notes = BTreeMap::new();
    for a in assessments {
        for n in &a.articles {
            let e = notes.entry(n.url.clone()).or_default();
            if let Some(c) = &n.category {
                if e.category.as_ref().is_none_or(|(s, _)| n.source > *s) {
                    e.category = Some((n.source, c.clone()));
                }
                if n.source == NoteSource::Rules && e.rules_category.is_none() {
                    e.rules_category = Some((c.clone(), n.confidence));
                }
            }
            let (flag, quality) = match n.source {
                NoteSource::Model => &mut e.ai,
                NoteSource::Rules => &mut e.rules,
            };
            if let Some(x) = n.excellent {
                *flag = Some(flag.unwrap_or(false) || x);
            }
            if let Some(q) = n.quality {
                *quality = Some(quality.map_or(q, |old: f64| old.max(q)));
            }
        }
    }
    notes
}

/// An excellent-article candidate named by a check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Candidate {
    level: Level,
    account: String,
    url: String,
    quality: f64,
    /// Chosen on the model's quality (AI智评) rather than the rules' signal.
    by_ai: bool,
}

/// Marks the excellent articles. Checks name candidates by a quality threshold; the list per
/// level is capped (`caps`: the framework's `excellent.articles_per_level` and
/// `articles_per_account`), so per level the candidates of accounts that passed are taken
/// best first: those the model judged (AI智评) before those only the rules rated, then by
/// quality, ties by URL; one account may place several, up to its cap.
fn pick_excellent_articles(
    accounts: &[AccountResult],
    articles: &mut [ArticleResult],
    mut candidates: Vec<Candidate>,
    (per_level_cap, per_account_cap): (usize, Option<usize>),
) {
    let passed: HashSet<&str> = accounts.iter().filter(|a| a.passed).map(|a| a.id.as_str()).collect();
    candidates.retain(|c| passed.contains(c.account.as_str()));
    candidates.sort_by(|a, b| {
        b.by_ai.cmp(&a.by_ai).then(b.quality.total_cmp(&a.quality)).then_with(|| a.url.cmp(&b.url))
    });
    let mut per_account: HashMap<&str, usize> = HashMap::new();
    let mut per_level: HashMap<Level, usize> = HashMap::new();
    let mut chosen: HashSet<&str> = HashSet::new();
    for c in &candidates {
        let n = per_level.entry(c.level).or_default();
        let k = per_account.entry(c.account.as_str()).or_default();
        if *n < per_level_cap && per_account_cap.is_none_or(|cap| *k < cap) {
            *n += 1;
            *k += 1;
            chosen.insert(c.url.as_str());
        }
    }
    for a in articles.iter_mut() {
        a.excellent = chosen.contains(a.url.as_str());
    }
}

fn account_result(
    survey: &Survey,
    fw: &Framework,
    acc: &AccountData,
    out: &Outcomes,
    checks: &[Box<dyn Check>],
) -> (AccountResult, Notes) {
    let (score, indicators) = score_tree(fw, out);
    // A closed, missing or migrated account is out of the survey's scope: its closure is
    // reported (account.closed / account.migrated), its silence is not scored or ranked.
    let status = acc.account.status;
    let out_of_scope = status != AccountStatus::Active;
    let score = score.filter(|_| !out_of_scope).map(|s| round(s * 100.0, 2));
    // Nothing evaluated: no score, no rank, and the reason (never a silent zero).
    let not_evaluated = if out_of_scope {
        Some(format!("未评分：账号{}，不参与评分与排名", status.label()))
    } else if acc.account.platform == Platform::App {
        // Apps are surveyed by their store listings (the app chapter), not scored.
        score.is_none().then(|| "未评分：政务APP按应用商店数据统计，不按指标体系评分".to_owned())
    } else {
        score.is_none().then(|| {
            let why = fw
                .roots
                .iter()
                .find_map(|r| indicators.get(r).and_then(|i| i.not_evaluated.clone()))
                .unwrap_or_default();
            format!("未评估：指标体系中没有任何指标可对该账号评估（{}）", why.trim_start_matches("未评估："))
        })
    };
    // Findings in the order of the registered checks.
    let mut findings: Vec<Finding> = checks
        .iter()
        .filter_map(|c| match out.by_check.get(c.name()) {
            Some(Outcome::Evaluated(a)) => Some(a.findings.iter().cloned()),
            _ => None,
        })
        .flatten()
        .collect();
    let vetoes = apply_vetoes(fw, out, &mut findings);
    // A pass mark needs a score to be met; without one only the vetoes decide.
    let passed =
        !out_of_scope && vetoes.is_empty() && fw.pass_score.is_none_or(|p| score.is_some_and(|s| s >= p));

    let mut stats = serde_json::Map::new();
    for a in out.assessments() {
        for (k, v) in &a.stats {
            stats.insert(k.clone(), v.clone());
        }
    }
    let in_period: Vec<_> = survey.in_period(acc).collect();
    stats.insert("articles".into(), in_period.len().into());
    counter_stats(&in_period, &mut stats);
    if let Some(f) = acc.account.followers {
        stats.insert("followers".into(), f.into());
    }

    let notes = merge_notes(checks.iter().filter_map(|c| match out.by_check.get(c.name()) {
        Some(Outcome::Evaluated(a)) => Some(a),
        _ => None,
    }));
    let a = &acc.account;
    (
        AccountResult {
            id: a.id.clone(),
            name: a.name.clone(),
            owner: a.owner.clone(),
            level: a.level,
            platform: a.platform,
            region: a.region.clone(),
            field: a.field.map(|f| f.as_str().to_owned()),
            score,
            rank: None,
            not_evaluated,
            passed,
            vetoes,
            indicators,
            indices: indices(fw, out),
            stats,
            findings,
            excellent: false,
        },
        notes,
    )
}

/// Totals of the counters the platform shows (reads, likes, 在看, shares, favourites), each
/// only when some article of the period carries it: a counter that was not collected is
/// absent from `stats`, never 0.
fn counter_stats(
    articles: &[&govmedia_model::Article],
    stats: &mut serde_json::Map<String, serde_json::Value>,
) {
    type Counter = fn(&govmedia_model::Article) -> Option<u64>;
    let counters: [(&str, Counter); 5] = [
        ("reads", |a| a.reads.map(|r| r.value)),
        ("likes", |a| a.likes),
        ("wows", |a| a.wows),
        ("shares", |a| a.shares),
        ("favorites", |a| a.favorites),
    ];
    for (key, get) in counters {
        let values: Vec<u64> = articles.iter().filter_map(|a| get(a)).collect();
        if !values.is_empty() {
            stats.insert(key.into(), values.iter().sum::<u64>().into());
        }
    }
}

/// Where an article's category or quality came from: `ai` (a model's judgement) or `rules`.
fn basis(by_ai: bool) -> String {
    if by_ai { "ai" } else { "rules" }.to_owned()
}

fn article_results(survey: &Survey, acc: &AccountData, notes: &Notes) -> Vec<ArticleResult> {
    survey
        .in_period(acc)
        .map(|a| {
            let n = notes.get(&a.url);
            let (quality, by_ai) = match n.map(|n| (n.ai.1, n.rules.1)) {
                Some((Some(q), _)) => (Some(q), true),
                Some((None, q)) => (q, false),
                None => (None, false),
            };
            let shown = n.and_then(|n| n.category.as_ref());
            ArticleResult {
                url: a.url.clone(),
                account: acc.account.id.clone(),
                title: Some(a.title.clone()),
                published_at: Some(a.published_at.to_rfc3339()),
                reads: a.reads,
                likes: a.likes,
                category: shown.map(|c| c.1.clone()),
                category_basis: shown.map(|c| basis(c.0 > NoteSource::Rules)),
                category_offline: n
                    .filter(|_| shown.is_some_and(|c| c.0 > NoteSource::Rules))
                    .and_then(|n| n.rules_category.as_ref().map(|r| r.0.clone())),
                offline_confidence: n.and_then(|n| n.rules_category.as_ref().and_then(|r| r.1)),
                quality: quality.map(|q| round(q, 3)),
                quality_basis: quality.map(|_| basis(by_ai)),
                // Chosen survey-wide afterwards (pick_excellent_articles).
                excellent: false,
            }
        })
        .collect()
}

/// Ranks within each platform and level the accounts that have a score: passed accounts first, then by
/// score (higher first); equal scores share a rank (1, 2, 2, 4), ties listed by id. An account
/// without a score gets no rank.
fn rank(accounts: &mut [AccountResult]) {
    let mut by_level: HashMap<(Platform, Level), Vec<(usize, f64)>> = HashMap::new();
    for (i, a) in accounts.iter().enumerate() {
        if let Some(s) = a.score {
            by_level.entry((a.platform, a.level)).or_default().push((i, s));
        }
    }
    for idx in by_level.values_mut() {
        idx.sort_by(|&(x, sx), &(y, sy)| {
            let (a, b) = (&accounts[x], &accounts[y]);
            b.passed.cmp(&a.passed).then(sy.total_cmp(&sx)).then(a.id.cmp(&b.id))
        });
        let mut prev: Option<(bool, f64, u32)> = None;
        for (pos, &(i, score)) in idx.iter().enumerate() {
            let passed = accounts[i].passed;
            let r = match prev {
                Some((p, s, r)) if p == passed && s == score => r,
                _ => pos as u32 + 1,
            };
            prev = Some((passed, score, r));
            accounts[i].rank = Some(r);
        }
    }
}

/// Marks excellent accounts and returns the lists per level in administrative-division order
/// (GB/T 2260 code; accounts without a known region last), then field, then name.
fn pick_excellent(
    fw: &Framework,
    accounts: &mut [AccountResult],
) -> BTreeMap<String, Vec<serde_json::Value>> {
    let mut lists = BTreeMap::new();
    let Some(rule) = fw.excellent else { return lists };
    for level in Level::ALL {
        let mut passed: Vec<usize> = (0..accounts.len())
            .filter(|&i| accounts[i].level == level && accounts[i].passed && accounts[i].score.is_some())
            .collect();
        passed.sort_by_key(|&i| (accounts[i].rank, accounts[i].id.clone()));
        let n = (rule.share * passed.len() as f64).ceil() as usize;
        let mut chosen: Vec<usize> = passed
            .into_iter()
            .take(n)
            .filter(|&i| accounts[i].score.is_some_and(|s| s >= rule.min_score))
            .collect();
        for &i in &chosen {
            accounts[i].excellent = true;
        }
        let key = |a: &AccountResult| {
            let code = a.region.as_deref().and_then(regions::resolve).unwrap_or_else(|| "999999".into());
            let field = a
                .field
                .as_deref()
                .and_then(|f| govmedia_model::Field::ALL.iter().position(|x| x.as_str() == f));
            (code, field.unwrap_or(usize::MAX), a.name.clone(), a.id.clone())
        };
        chosen.sort_by_key(|&i| key(&accounts[i]));
        if !chosen.is_empty() {
            lists.insert(
                level.as_str().to_owned(),
                chosen
                    .iter()
                    .map(|&i| {
                        let a = &accounts[i];
                        serde_json::json!({"id": a.id, "name": a.name, "owner": a.owner, "region": a.region, "score": a.score})
                    })
                    .collect(),
            );
        }
    }
    lists
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(id: &str, level: Level, passed: bool) -> AccountResult {
        AccountResult {
            id: id.into(),
            name: id.into(),
            owner: id.into(),
            level,
            platform: Platform::Wechat,
            region: None,
            field: None,
            score: Some(80.0),
            rank: Some(1),
            not_evaluated: None,
            passed,
            vetoes: Vec::new(),
            indicators: BTreeMap::new(),
            indices: BTreeMap::new(),
            stats: serde_json::Map::new(),
            findings: Vec::new(),
            excellent: false,
        }
    }

    #[test]
    fn an_undecided_offline_category_is_kept_beside_the_models() {
        let offline = noted(NoteSource::Rules, "未能确定");
        let mut offline_with_confidence = offline.clone();
        offline_with_confidence.articles[0].confidence = Some(0.4);
        let model = noted(NoteSource::Model, "政务服务");
        for order in [[&offline_with_confidence, &model], [&model, &offline_with_confidence]] {
            let notes = merge_notes(order.into_iter());
            assert_eq!(notes["u"].category, Some((NoteSource::Model, "政务服务".to_owned())));
            assert_eq!(notes["u"].rules_category, Some(("未能确定".to_owned(), Some(0.4))));
        }
        let alone = merge_notes([&offline].into_iter());
        assert_eq!(alone["u"].category, Some((NoteSource::Rules, "未能确定".to_owned())));
    }

    fn candidate(account: &str, level: Level, url: &str, quality: f64, by_ai: bool) -> Candidate {
        Candidate { level, account: account.into(), url: url.into(), quality, by_ai }
    }

    fn articles_of(candidates: &[Candidate]) -> Vec<ArticleResult> {
        candidates
            .iter()
            .map(|c| ArticleResult {
                url: c.url.clone(),
                account: c.account.clone(),
                title: None,
                published_at: None,
                reads: None,
                likes: None,
                category: None,
                category_basis: None,
                category_offline: None,
                offline_confidence: None,
                quality: None,
                quality_basis: None,
                excellent: true,
            })
            .collect()
    }

    #[test]
    fn excellent_articles_are_the_best_candidates_capped_per_level_and_account() {
        let mut accounts = vec![
            account("a", Level::Ministry, true),
            account("b", Level::Ministry, false),
            account("c", Level::County, true),
        ];
        let mut candidates = vec![
            candidate("a", Level::Ministry, "a1", 0.9, false),
            candidate("a", Level::Ministry, "a2", 0.95, false),
            candidate("a", Level::Ministry, "a3", 0.8, false),
            // Best of all, but its account failed a veto.
            candidate("b", Level::Ministry, "b1", 1.0, false),
            candidate("c", Level::County, "c1", 0.7, false),
        ];
        // Many candidates of distinct accounts at one level: only the cap is taken.
        for i in 0..40 {
            let id = format!("p{i:02}");
            accounts.push(account(&id, Level::Province, true));
            candidates.push(candidate(
                &id,
                Level::Province,
                &format!("{id}-x"),
                0.5 + i as f64 / 100.0,
                false,
            ));
        }
        let mut articles = articles_of(&candidates);
        pick_excellent_articles(&accounts, &mut articles, candidates, (30, Some(2)));
        let chosen: Vec<&str> = articles.iter().filter(|a| a.excellent).map(|a| a.url.as_str()).collect();
        // Several per account, up to the account cap: the best two of "a".
        assert!(chosen.contains(&"a2") && chosen.contains(&"a1") && !chosen.contains(&"a3"), "{chosen:?}");
        assert!(!chosen.contains(&"b1") && chosen.contains(&"c1"));
        let province: Vec<&&str> = chosen.iter().filter(|u| u.starts_with('p')).collect();
        assert_eq!(province.len(), 30);
        // The lowest-quality ones are the ones left out.
        assert!(!chosen.contains(&"p09-x") && chosen.contains(&"p10-x") && chosen.contains(&"p39-x"));
    }

    #[test]
    fn the_models_quality_decides_where_it_judged() {
        let accounts = vec![account("a", Level::Ministry, true), account("b", Level::Ministry, true)];
        // The rules rate b1 highest, but the model judged a1 and a2: they come first.
        let candidates = vec![
            candidate("b", Level::Ministry, "b1", 1.0, false),
            candidate("a", Level::Ministry, "a1", 0.75, true),
            candidate("a", Level::Ministry, "a2", 0.9, true),
        ];
        let mut articles = articles_of(&candidates);
        pick_excellent_articles(&accounts, &mut articles, candidates, (2, None));
        let chosen: Vec<&str> = articles.iter().filter(|a| a.excellent).map(|a| a.url.as_str()).collect();
        assert_eq!(chosen, ["a1", "a2"]);
        // A note: the model's verdict wins over the rules' where both exist.
        let n = Note { rules: (Some(true), Some(0.9)), ai: (Some(false), Some(0.6)), ..Note::default() };
        assert_eq!(n.candidate(), None);
        let n = Note { rules: (Some(false), Some(0.2)), ai: (Some(true), Some(0.8)), ..Note::default() };
        assert_eq!(n.candidate(), Some((0.8, true)));
        let n = Note { rules: (Some(true), Some(0.8)), ..Note::default() };
        assert_eq!(n.candidate(), Some((0.8, false)));
    }

    fn noted(source: NoteSource, category: &str) -> Assessment {
        Assessment {
            articles: vec![govmedia_checks::ArticleNote {
                url: "u".into(),
                source,
                category: Some(category.into()),
                ..Default::default()
            }],
            ..Assessment::default()
        }
    }

    #[test]
    fn a_models_category_wins_whatever_the_order_and_the_rules_one_is_kept() {
        let rules = noted(NoteSource::Rules, "政务服务");
        let model = noted(NoteSource::Model, "政策发布解读");
        for order in [[&rules, &model], [&model, &rules]] {
            let notes = merge_notes(order.into_iter());
            let n = &notes["u"];
            assert_eq!(n.category, Some((NoteSource::Model, "政策发布解读".to_owned())));
            assert_eq!(n.rules_category, Some(("政务服务".to_owned(), None)));
        }
        // Among equals the first registered wins.
        let other = noted(NoteSource::Rules, "新闻活动");
        let notes = merge_notes([&rules, &other].into_iter());
        assert_eq!(notes["u"].category, Some((NoteSource::Rules, "政务服务".to_owned())));
    }
}

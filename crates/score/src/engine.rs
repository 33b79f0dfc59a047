//! The evaluation engine: runs the checks, scores the indicator tree of a framework, applies
//! vetoes and redistribution, ranks accounts within their level and picks excellent lists.
//!
//! Determinism: accounts are processed in input order, findings kept in check order (the
//! order of `checks`), sums taken in a fixed order, scores rounded (account score to 0.01,
//! indicator scores and weights to 1e-6) before ranking, and every map is ordered. Only
//! `generated_at` differs between two runs on the same data.

use std::collections::{BTreeMap, HashMap, HashSet};

use govmedia_checks::propagation::wci_metric;
use govmedia_checks::{AccountData, ArticleNote, Assessment, Check, CheckError, Outcome, Progress, Survey};
use govmedia_model::results::{
    AccountResult, ArticleResult, IndexValue, IndicatorResult, NotEvaluated, Results,
};
use govmedia_model::{Finding, FindingCode, Level, Severity};

use crate::framework::{DEFAULT_EXCELLENT_ARTICLES_PER_LEVEL, Framework, Veto};
use crate::{regions, stats};

/// What stops an evaluation (as opposed to a check that is merely not evaluated).
#[derive(Debug, thiserror::Error)]
pub enum EvaluateError {
    #[error(transparent)]
    Check(#[from] CheckError),
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

/// The outcomes of every registered check for one account.
struct Outcomes<'a> {
    by_check: BTreeMap<&'a str, &'a Outcome>,
}

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
    // Leaf scores, or reasons.
    let mut raw: BTreeMap<&str, Result<f64, String>> = BTreeMap::new();
    for ind in fw.indicators.values() {
        if let Some(b) = &ind.binding {
            raw.insert(&ind.id, out.metric(&b.check, &b.metric).map(|v| b.rule.apply(v)));
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
            moved.insert(&r.from, format!("权重已转移至“{to_name}”：{why}"));
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
            let renormalised = s.is_err() && !moved.contains_key(id.as_str());
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

fn indices(fw: &Framework, out: &Outcomes) -> BTreeMap<String, IndexValue> {
    let mut m = BTreeMap::new();
    let wci = out.metric("propagation", wci_metric(fw.wci)).ok();
    if let Some(v) = wci {
        m.insert(
            "wci".into(),
            IndexValue {
                value: round(v, 6),
                version: fw.wci.as_str().into(),
                unverified: fw.wci.unverified(),
            },
        );
    }
    let tsinghua = out.metric("propagation", "bci_tsinghua_2014").ok();
    if let Some(b) = tsinghua {
        m.insert(
            "bci".into(),
            IndexValue { value: round(b, 6), version: "tsinghua-2014".into(), unverified: false },
        );
    } else if let Ok(b) = out.metric("propagation", "bci_provincial") {
        m.insert(
            "bci".into(),
            IndexValue { value: round(b, 6), version: "provincial".into(), unverified: false },
        );
    }
    if let (Some(w), Some(b)) = (wci, tsinghua) {
        m.insert(
            "combined".into(),
            IndexValue {
                value: round(govmedia_indices::tsinghua_combined_2014(w, b), 6),
                version: format!("tsinghua-2014 (WCI {})", fw.wci.as_str()),
                unverified: true,
            },
        );
    }
    m
}

/// Runs every check and scores every account of `survey` under `framework`.
pub fn evaluate(
    survey: &Survey,
    framework: &Framework,
    checks: &mut [Box<dyn Check>],
    progress: &dyn Progress,
) -> Result<Results, EvaluateError> {
    for c in checks.iter_mut() {
        progress.start(&format!("准备检查：{}", c.name()), 0);
        c.prepare(survey, progress)?;
        progress.finish();
    }
    let checks: &[Box<dyn Check>] = checks;
    progress.start("评估账号", survey.accounts.len() as u64);
    let mut accounts = Vec::with_capacity(survey.accounts.len());
    let mut articles = Vec::new();
    let mut candidates = Vec::new();
    let mut check_not_evaluated: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for acc in &survey.accounts {
        let outcomes: Vec<(&str, Outcome)> =
            checks.iter().map(|c| (c.name(), c.assess(survey, acc))).collect();
        for (name, o) in &outcomes {
            if let Outcome::NotEvaluated(r) = o {
                *check_not_evaluated.entry((*name).to_owned()).or_default().entry(r.clone()).or_default() +=
                    1;
            }
        }
        let out = Outcomes { by_check: outcomes.iter().map(|(n, o)| (*n, o)).collect() };
        let (result, notes) = account_result(survey, framework, acc, &out, checks);
        for (url, note) in &notes {
            if note.excellent == Some(true) {
                candidates.push(Candidate {
                    level: result.level,
                    account: result.id.clone(),
                    url: url.clone(),
                    quality: note.quality.unwrap_or(0.0),
                });
            }
        }
        accounts.push(result);
        articles.extend(article_results(survey, acc, &notes));
        progress.advance(1);
    }
    progress.finish();
    rank(&mut accounts);
    let excellent = pick_excellent(framework, &mut accounts);
    let per_level =
        framework.excellent.map_or(DEFAULT_EXCELLENT_ARTICLES_PER_LEVEL, |e| e.articles_per_level);
    pick_excellent_articles(&accounts, &mut articles, candidates, per_level);

    let mut not_evaluated = Vec::new();
    for check in framework.bound_checks() {
        if !checks.iter().any(|c| c.name() == check) {
            not_evaluated.push(NotEvaluated {
                check,
                reason: "该检查未运行（未注册或未启用），相关指标未评估".into(),
            });
        }
    }
    for (check, reasons) in check_not_evaluated {
        for (reason, n) in reasons {
            not_evaluated
                .push(NotEvaluated { check: check.clone(), reason: format!("{reason}（{n}个账号）") });
        }
    }
    let mut statistics = stats::survey_statistics(&accounts, framework);
    statistics.insert("excellent".into(), serde_json::to_value(&excellent).expect("plain map"));
    accounts.sort_by(|a, b| (a.level, a.rank, &a.id).cmp(&(b.level, b.rank, &b.id)));
    Ok(Results {
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
        statistics,
    })
}

/// Per article URL: category, excellent candidate, quality signal.
type Notes = BTreeMap<String, Note>;

/// What the checks noted about one article, merged.
#[derive(Default)]
struct Note {
    category: Option<String>,
    excellent: Option<bool>,
    quality: Option<f64>,
    /// The offline classifier's category and confidence, kept beside `category`.
    offline: Option<(String, Option<f64>)>,
}

impl Note {
    /// Merges one check's note. The category shown is another source's (the AI's) over the
    /// offline classifier's (the note that carries `offline_category`), whatever the order of
    /// the checks; the offline one is kept beside it.
    fn add(&mut self, n: &ArticleNote) {
        let offline = n.offline_category.is_some();
        if n.category.is_some() && (self.category.is_none() || !offline) {
            self.category = n.category.clone();
        }
        if let Some(x) = n.excellent {
            self.excellent = Some(self.excellent.unwrap_or(false) || x);
        }
        if let Some(q) = n.quality {
            self.quality = Some(self.quality.map_or(q, |old: f64| old.max(q)));
        }
        if let Some(c) = &n.offline_category {
            self.offline = Some((c.clone(), n.offline_confidence));
        }
    }
}

/// An excellent-article candidate named by a check.
struct Candidate {
    level: Level,
    account: String,
    url: String,
    quality: f64,
}

/// Marks the excellent articles. Checks name candidates by a quality threshold; the list
/// itself is short (`cap` per level, the framework's `excellent.articles_per_level`), so per level
/// the candidates of accounts that passed are taken best quality first (ties by URL), at most
/// one per account so that no account fills a level's list.
fn pick_excellent_articles(
    accounts: &[AccountResult],
    articles: &mut [ArticleResult],
    mut candidates: Vec<Candidate>,
    cap: usize,
) {
    let passed: HashSet<&str> = accounts.iter().filter(|a| a.passed).map(|a| a.id.as_str()).collect();
    candidates.retain(|c| passed.contains(c.account.as_str()));
    candidates.sort_by(|a, b| b.quality.total_cmp(&a.quality).then_with(|| a.url.cmp(&b.url)));
    let mut accounts_used: HashSet<&str> = HashSet::new();
    let mut per_level: HashMap<Level, usize> = HashMap::new();
    let mut chosen: HashSet<&str> = HashSet::new();
    for c in &candidates {
        let n = per_level.entry(c.level).or_default();
        if *n < cap && accounts_used.insert(c.account.as_str()) {
            *n += 1;
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
    let score = round(score.unwrap_or(0.0) * 100.0, 2);
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
    let passed = vetoes.is_empty() && fw.pass_score.is_none_or(|p| score >= p);

    let mut stats = serde_json::Map::new();
    for a in out.assessments() {
        for (k, v) in &a.stats {
            stats.insert(k.clone(), v.clone());
        }
    }
    let in_period: Vec<_> = survey.in_period(acc).collect();
    stats.insert("articles".into(), in_period.len().into());
    let reads: u64 = in_period.iter().filter_map(|a| a.reads).map(|r| r.value).sum();
    stats.insert("reads".into(), reads.into());
    if let Some(f) = acc.account.followers {
        stats.insert("followers".into(), f.into());
    }

    let mut notes: Notes = BTreeMap::new();
    for a in out.assessments() {
        for n in &a.articles {
            notes.entry(n.url.clone()).or_default().add(n);
        }
    }
    let a = &acc.account;
    (
        AccountResult {
            id: a.id.clone(),
            name: a.name.clone(),
            owner: a.owner.clone(),
            level: a.level,
            region: a.region.clone(),
            field: a.field.map(|f| f.as_str().to_owned()),
            score,
            rank: 0,
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

fn article_results(survey: &Survey, acc: &AccountData, notes: &Notes) -> Vec<ArticleResult> {
    survey
        .in_period(acc)
        .map(|a| {
            let n = notes.get(&a.url);
            ArticleResult {
                url: a.url.clone(),
                account: acc.account.id.clone(),
                title: Some(a.title.clone()),
                category: n.and_then(|n| n.category.clone()),
                offline_category: n.and_then(|n| n.offline.as_ref().map(|o| o.0.clone())),
                offline_confidence: n.and_then(|n| n.offline.as_ref().and_then(|o| o.1)),
                // Chosen survey-wide afterwards (pick_excellent_articles).
                excellent: false,
            }
        })
        .collect()
}

/// Ranks within each level: passed accounts first, then by score (higher first); equal
/// scores share a rank (1, 2, 2, 4), ties listed by id.
fn rank(accounts: &mut [AccountResult]) {
    let mut by_level: HashMap<Level, Vec<usize>> = HashMap::new();
    for (i, a) in accounts.iter().enumerate() {
        by_level.entry(a.level).or_default().push(i);
    }
    for idx in by_level.values_mut() {
        idx.sort_by(|&x, &y| {
            let (a, b) = (&accounts[x], &accounts[y]);
            b.passed.cmp(&a.passed).then(b.score.total_cmp(&a.score)).then(a.id.cmp(&b.id))
        });
        let mut prev: Option<(bool, f64, u32)> = None;
        for (pos, &i) in idx.iter().enumerate() {
            let a = &accounts[i];
            let r = match prev {
                Some((p, s, r)) if p == a.passed && s == a.score => r,
                _ => pos as u32 + 1,
            };
            prev = Some((a.passed, a.score, r));
            accounts[i].rank = r;
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
        let mut passed: Vec<usize> =
            (0..accounts.len()).filter(|&i| accounts[i].level == level && accounts[i].passed).collect();
        passed.sort_by_key(|&i| (accounts[i].rank, accounts[i].id.clone()));
        let n = (rule.share * passed.len() as f64).ceil() as usize;
        let mut chosen: Vec<usize> =
            passed.into_iter().take(n).filter(|&i| accounts[i].score >= rule.min_score).collect();
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
            region: None,
            field: None,
            score: 80.0,
            rank: 1,
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
    fn the_ai_category_is_shown_and_the_offline_one_kept_whatever_the_order() {
        let offline = ArticleNote {
            url: "u".into(),
            category: Some("未能确定".into()),
            offline_category: Some("未能确定".into()),
            offline_confidence: Some(0.4),
            ..ArticleNote::default()
        };
        let ai =
            ArticleNote { url: "u".into(), category: Some("政务服务".into()), ..ArticleNote::default() };
        for order in [[&offline, &ai], [&ai, &offline]] {
            let mut note = Note::default();
            order.into_iter().for_each(|n| note.add(n));
            assert_eq!(note.category.as_deref(), Some("政务服务"));
            assert_eq!(note.offline, Some(("未能确定".to_owned(), Some(0.4))));
        }
        let mut alone = Note::default();
        alone.add(&offline);
        assert_eq!(alone.category.as_deref(), Some("未能确定"));
    }

    fn candidate(account: &str, level: Level, url: &str, quality: f64) -> Candidate {
        Candidate { level, account: account.into(), url: url.into(), quality }
    }

    #[test]
    fn excellent_articles_are_the_best_candidates_one_per_account_and_capped_per_level() {
        let accounts = vec![
            account("a", Level::Ministry, true),
            account("b", Level::Ministry, false),
            account("c", Level::County, true),
        ];
        let mut candidates = vec![
            candidate("a", Level::Ministry, "a1", 0.9),
            candidate("a", Level::Ministry, "a2", 0.95),
            // Best of all, but its account failed a veto.
            candidate("b", Level::Ministry, "b1", 1.0),
            candidate("c", Level::County, "c1", 0.7),
        ];
        // Many candidates of distinct accounts at one level: only the cap is taken.
        let mut accounts = accounts;
        for i in 0..20 {
            let id = format!("p{i:02}");
            accounts.push(account(&id, Level::Province, true));
            candidates.push(candidate(&id, Level::Province, &format!("{id}-x"), 0.7 + i as f64 / 100.0));
        }
        let mut articles: Vec<ArticleResult> = candidates
            .iter()
            .map(|c| ArticleResult {
                url: c.url.clone(),
                account: c.account.clone(),
                title: None,
                category: None,
                offline_category: None,
                offline_confidence: None,
                excellent: true,
            })
            .collect();
        pick_excellent_articles(&accounts, &mut articles, candidates, 12);
        let chosen: Vec<&str> = articles.iter().filter(|a| a.excellent).map(|a| a.url.as_str()).collect();
        assert!(chosen.contains(&"a2") && !chosen.contains(&"a1") && !chosen.contains(&"b1"), "{chosen:?}");
        assert!(chosen.contains(&"c1"));
        let province: Vec<&&str> = chosen.iter().filter(|u| u.starts_with('p')).collect();
        assert_eq!(province.len(), 12);
        // The lowest-quality ones are the ones left out.
        assert!(!chosen.contains(&"p00-x") && chosen.contains(&"p19-x"));
    }
}

//! The AI timeliness check (`ai_timeliness`, 时效力 as the 2025 survey judges it: "响应时效和
//! 信息完整度" when a major event happens).
//!
//! The rule-based `timeliness` check takes the first article that mentions an event's keywords
//! as its answer. Here the model confirms each such candidate (prompt `relevance.v2`) and rates
//! how complete the answer is (the event, its scope, the measures, guidance for the public;
//! 0–10). Per in-scope event the credit is 0.6 × timing + 0.4 × completeness, where timing is
//! the rule check's credit (1 within 24 hours, 0.5 within 48) for the first *confirmed*
//! answer and completeness the best confirmed answer's rating ÷ 10; an event without a
//! confirmed answer scores 0.
//!
//! Metrics: `event_response` (mean credit over the events), `event_timing`,
//! `event_completeness`. Not evaluated when no event is in scope (the framework then falls
//! back to the keyword match), or when a candidate of an event could not be judged (failed or
//! unusable answers): an event is concluded only on complete judgements.
//!
//! Findings (`ai_derived`): `timeliness.late_response` when the model rejects every keyword
//! match of an event the rule counted as answered in time; `timeliness.incomplete_response`
//! when the best confirmed answer rates below [`INCOMPLETE`].

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use govmedia_checks::timeliness::{EventCandidates, NO_EVENT, TimelinessCheck, event_candidates};
use govmedia_checks::{AccountData, Assessment, Check, CheckError, Outcome, Progress, Survey};
use govmedia_model::{Event, Finding, FindingCode, Severity};

use crate::cache::JudgementCache;
use crate::checks::{JudgeSlot, Tally, admit, hand_over_judgements, judge_all, mean};
use crate::client::Usage;
use crate::judge::Judgement;
use crate::schema::RelevanceJudgement;
use crate::text::article_text;
use crate::{AiError, Profile};

/// A completeness rating (0–10) below which a confirmed answer is reported as incomplete.
pub const INCOMPLETE: u8 = 5;

/// Event relevance and completeness judged by a model.
pub struct AiTimelinessCheck {
    profile: Profile,
    cache: Arc<dyn JudgementCache>,
    /// The timing rule (24 / 48 hours) of the rule-based check.
    rule: TimelinessCheck,
    /// By (event id, article url).
    results: HashMap<(String, String), Judgement<RelevanceJudgement>>,
    judge: JudgeSlot,
    usage: Option<Usage>,
}

impl AiTimelinessCheck {
    pub const NAME: &'static str = "ai_timeliness";

    /// Fails when the policy forbids the model or its key is missing.
    pub fn new(profile: &Profile, cache: Arc<dyn JudgementCache>) -> Result<Self, AiError> {
        admit(profile)?;
        Ok(AiTimelinessCheck {
            profile: profile.clone(),
            cache,
            rule: TimelinessCheck::default(),
            results: HashMap::new(),
            judge: JudgeSlot::default(),
            usage: None,
        })
    }

    pub fn usage(&self) -> Option<Usage> {
        self.usage
    }

    /// The credit and findings of one event, or None when a candidate has no usable judgement.
    fn event(&self, c: &EventCandidates<'_>, tally: &mut Tally) -> Option<(f64, f64, f64, Vec<Finding>)> {
        let mut confirmed = Vec::new();
        for a in &c.articles {
            let j = self.results.get(&(c.event.id.clone(), a.url.clone()))?;
            tally.add(j);
            let answer = j.answer()?;
            if answer.relevant {
                confirmed.push((*a, answer.completeness, j));
            }
        }
        let mut findings = Vec::new();
        let rule_hours = c.articles.first().map(|a| c.hours_after(a));
        let hours = confirmed.first().map(|(a, _, _)| c.hours_after(a));
        let timing = self.rule.timing_credit(hours);
        let best = confirmed.iter().max_by_key(|(_, k, _)| *k);
        let completeness = best.map_or(0.0, |(_, k, _)| f64::from(*k) / 10.0);
        if confirmed.is_empty() && self.rule.timing_credit(rule_hours) > 0.0 {
            let titles: Vec<String> = c.articles.iter().map(|a| format!("《{}》", a.title)).collect();
            findings.push(ai_finding(
                FindingCode::TimelinessLateResponse,
                Severity::Major,
                format!(
                    "AI智评：重大事件“{}”后按关键词匹配的{}经模型判断均未回应该事件，7天内未发布相关内容",
                    c.event.title,
                    titles.join("")
                ),
                c.event,
                self.results.get(&(c.event.id.clone(), c.articles[0].url.clone()))?,
            ));
        }
        if let Some((a, k, j)) = best.filter(|(_, k, _)| *k < INCOMPLETE) {
            findings.push(
                ai_finding(
                    FindingCode::TimelinessIncompleteResponse,
                    Severity::Minor,
                    format!(
                        "AI智评：重大事件“{}”的回应《{}》信息不完整（完整度{k}/10）：{}",
                        c.event.title,
                        a.title,
                        j.answer().map_or("", |x| x.reason.as_str())
                    ),
                    c.event,
                    j,
                )
                .with("url", a.url.clone())
                .with("completeness", *k),
            );
        }
        Some((0.6 * timing + 0.4 * completeness, timing, completeness, findings))
    }
}

fn ai_finding(
    code: FindingCode,
    severity: Severity,
    message: String,
    e: &Event,
    j: &Judgement<RelevanceJudgement>,
) -> Finding {
    let mut f = Finding::new(code, severity, message)
        .with("event", e.id.clone())
        .with("occurred_at", e.occurred_at.to_rfc3339())
        .with("model", j.model.clone())
        .with("prompt_version", j.prompt_version.clone());
    f.ai_derived = true;
    f
}

impl Check for AiTimelinessCheck {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    hand_over_judgements!();

    fn observe(
        &mut self,
        survey: &Survey,
        accounts: &[AccountData],
        progress: &dyn Progress,
    ) -> Result<(), CheckError> {
        let judge = self.judge.get(Self::NAME, &self.profile, &self.cache, survey)?;
        let mut seen = BTreeSet::new();
        let items: Vec<(Event, String, String, String)> = accounts
            .iter()
            .flat_map(|acc| event_candidates(survey, acc))
            .flat_map(|c| c.articles.into_iter().map(move |a| (c.event, a)))
            .filter(|(e, a)| seen.insert((e.id.clone(), a.url.clone())))
            .map(|(e, a)| (e.clone(), a.url.clone(), a.title.clone(), article_text(a)))
            .collect();
        let judged = judge_all(
            Self::NAME,
            "AI智评：重大事件回应",
            &judge,
            items,
            progress,
            |judge, (event, url, title, text)| async move {
                ((event.id.clone(), url), judge.relevance(&event, &title, &text).await)
            },
        )?;
        self.results.extend(judged);
        Ok(())
    }

    fn prepare(&mut self, survey: &Survey, _progress: &dyn Progress) -> Result<(), CheckError> {
        self.usage = Some(self.judge.close(Self::NAME, &self.profile, &self.cache, survey)?);
        Ok(())
    }

    fn assess(&self, survey: &Survey, account: &AccountData) -> Outcome {
        let mut out = Assessment::default();
        let candidates = event_candidates(survey, account);
        if candidates.is_empty() {
            out.not_evaluated.insert("event_response".into(), NO_EVENT.into());
            return Outcome::Evaluated(out);
        }
        let mut tally = Tally::default();
        let (mut credits, mut timings, mut completeness) = (Vec::new(), Vec::new(), Vec::new());
        for c in &candidates {
            let Some((credit, timing, complete, findings)) = self.event(c, &mut tally) else {
                let why = if tally.failed + tally.unusable > 0 {
                    tally.reason("重大事件回应")
                } else {
                    "AI智评准备阶段未判断该事件的候选文章".to_owned()
                };
                for m in ["event_response", "event_timing", "event_completeness"] {
                    out.not_evaluated.insert(m.into(), format!("重大事件“{}”：{why}", c.event.title));
                }
                return Outcome::Evaluated(out);
            };
            credits.push(credit);
            timings.push(timing);
            completeness.push(complete);
            out.findings.extend(findings);
        }
        for (m, v) in
            [("event_response", &credits), ("event_timing", &timings), ("event_completeness", &completeness)]
        {
            out.metrics.insert(m.into(), mean(v).expect("one credit per event"));
        }
        out.stats.insert("ai_timeliness_model".into(), self.profile.model.clone().into());
        tally.write(&mut out.stats, "ai_timeliness", &self.profile);
        Outcome::Evaluated(out)
    }
}

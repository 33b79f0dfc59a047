//! Timeliness (时效): is the account still updating, how regularly, and did it respond to
//! major events in its scope?
//!
//! Metrics (all per account):
//! - `score`: 0 when the 14-day veto applies, else
//!   0.7·min(1, active days per week ÷ norm) + 0.3·(1 − clamp((longest gap − 7) ÷ 7, 0, 1)),
//!   and a gap of two weeks is where the veto starts. The norm (`cadence_norm`, publishing
//!   days a week) knows the account type: a 订阅号 may mass-send once a day and three
//!   publishing days a week is the local norm below which notices criticise accounts; a
//!   服务号 may mass-send only four times a month (政务微信手册), so its norm is four a month
//!   (12 / 52.14 a week) and weekly publishing earns the full cadence part. An account of
//!   unknown type is held to the 订阅号 norm, as most government accounts are 订阅号, and
//!   its stats say so (`cadence_basis`).
//! - `days_since_last`: days from the last article's date (Asia/Shanghai) to the check date;
//!   with no article at all, the observed span (period start to check date) and at least the
//!   dormancy threshold, since nothing was published in any window we can see.
//! - `articles`, `active_days`, `articles_per_week`, `active_days_per_week`: within the period.
//! - `longest_gap_days`, `median_gap_days`: gaps between consecutive publishing dates in the
//!   period, the trailing gap up to the check date included in the longest.
//! - `event_response`: mean over in-scope events of 1 (answered within 24 h), 0.5 (within
//!   48 h) or 0 (later or never); not evaluated when no event is in scope. The limits follow
//!   国办发〔2016〕61号: authoritative information on major emergencies within 24 hours at the
//!   latest, a response on matters of public concern within 48 hours. An event after which
//!   the account published nothing at all is left to the update findings (not counted twice);
//!   only the week after the event is searched for an answer.
//!
//! Findings: `update.stale_14d` (veto: nothing published in [check − 14 d 00:00, check
//! 00:00), Asia/Shanghai), `update.stale_warning` (the veto is near, counted in days of
//! silence as monitoring platforms warn: at day 10 without an article the operator is warned
//! (minor), at day 12 the supervising office (major); the finding gives the date the veto will
//! be hit, the last day a publication still avoids it, and how many working days of the
//! official calendar ([`crate::calendar`]) are left until then), `update.dormant` (≥ 90 days),
//! `timeliness.late_response`.
//!
//! Only silence raises the warning: an account that published recently is not warned however
//! slow its cadence (a median gap of 20 days two days after a post is not a warning). Its
//! cadence is measured by `score`, `median_gap_days` and `longest_gap_days`, and if it stays
//! silent the day-10 and day-12 warnings come in time, so there is no separate cadence finding.
//!
//! A closed, missing or migrated account is out of scope once closed: no update finding (no
//! veto, no warning, no dormancy), and `days_since_last` and `score` are not evaluated (so no
//! framework vetoes or scores its silence); the closure itself is reported by
//! `account.closed` / `account.migrated`. Its answers to major events are still judged: an
//! event counts only when the account published after it, while it was still operated.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use govmedia_model::time::{local_date, start_of_day};
use govmedia_model::{AccountStatus, Article, Event, Finding, FindingCode, Kind, Platform, Severity};

use crate::calendar::WorkCalendar;
use crate::{AccountData, Assessment, Check, Outcome, Progress, Survey};

/// How long after an event an article still counts as its (late) answer.
const ANSWER_DAYS: i64 = 7;
/// Publishing days a week expected of a 订阅号 (module documentation).
const SUBSCRIPTION_NORM: f64 = 3.0;
/// A 服务号's four mass-sends a month, per week.
const SERVICE_PUSHES_PER_WEEK: f64 = 4.0 * 12.0 / (365.25 / 7.0);

/// Thresholds, with the contract's values as defaults.
#[derive(Debug, Clone)]
pub struct TimelinessCheck {
    /// The veto window in days (contract: 14).
    pub stale_days: i64,
    /// Days without an article from which the operator is warned (monitoring platforms: 10).
    pub warn_after_days: i64,
    /// Days without an article from which the supervising office is warned (12).
    pub escalate_after_days: i64,
    /// Days without an article that make an account dormant (睡眠/僵尸).
    pub dormant_days: i64,
    /// Hours within which an in-scope event must be answered to count as timely.
    pub response_hours: i64,
    /// Set by `prepare`: no article anywhere in the survey, so nothing can be judged.
    no_articles: bool,
    /// Observed: some account of the survey has an article.
    seen_articles: bool,
    /// Observed: each account's answers to the events, found in the article bodies, so that
    /// [`Check::assess`] need not read them again; an account not observed by this instance (an
    /// assessing worker of a distributed run) is read from its bodies.
    answers: HashMap<String, Vec<EventAnswer>>,
}

/// An event in an account's scope after which it published, and its answer.
#[derive(Debug, Clone, Copy, PartialEq)]
struct EventAnswer {
    /// The event's index in the survey's events.
    event: usize,
    /// Hours from the event to the first article of the week after it that mentions it.
    hours: Option<f64>,
}

/// The events `account` answered or should have (see [`event_candidates`]).
fn event_answers(survey: &Survey, account: &AccountData) -> Vec<EventAnswer> {
    event_candidates(survey, account)
        .iter()
        .map(|c| EventAnswer {
            event: survey
                .events
                .iter()
                .position(|e| std::ptr::eq(e, c.event))
                .expect("an event of the survey"),
            hours: c.articles.first().map(|x| c.hours_after(x)),
        })
        .collect()
}

impl Default for TimelinessCheck {
    fn default() -> Self {
        TimelinessCheck {
            stale_days: 14,
            warn_after_days: 10,
            escalate_after_days: 12,
            dormant_days: 90,
            response_hours: 48,
            no_articles: false,
            seen_articles: false,
            answers: HashMap::new(),
        }
    }
}

/// Gaps in days between consecutive distinct publishing dates.
fn gaps(dates: &[NaiveDate]) -> Vec<i64> {
    dates.windows(2).map(|w| (w[1] - w[0]).num_days()).collect()
}

fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    Some(if v.len() % 2 == 1 { v[m] } else { (v[m - 1] + v[m]) / 2.0 })
}

fn fmt_date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

impl TimelinessCheck {
    /// Days since the last article, the daily publishing stats, and the update findings (none
    /// for an account that is out of scope: `inactive`).
    fn staleness(&self, survey: &Survey, account: &AccountData, inactive: Option<&str>, a: &mut Assessment) {
        let check = survey.check_date;
        let cutoff = start_of_day(check);
        let last = account.articles.iter().filter(|x| x.published_at < cutoff).map(|x| x.published_at).max();
        let window_from = check - Days::new(self.stale_days as u64);
        let span = (check - survey.period.from.min(check)).num_days();
        let (days_since, last_date) = match last {
            Some(t) => ((check - local_date(&t)).num_days(), Some(local_date(&t))),
            None => (span.max(self.dormant_days), None),
        };
        if let Some(t) = last {
            // Shown in results (`stats.last_published`): reports date the 14-day veto from it.
            a.stats.insert("last_published".into(), t.to_rfc3339().into());
        }
        // Articles per day from the start of the period to the day before the check date: the
        // report's update-cadence calendar sums these over accounts.
        let from = start_of_day(survey.period.from.min(check));
        let mut daily: std::collections::BTreeMap<NaiveDate, u64> = std::collections::BTreeMap::new();
        for x in account.articles.iter().filter(|x| x.published_at >= from && x.published_at < cutoff) {
            *daily.entry(local_date(&x.published_at)).or_default() += 1;
        }
        a.stats.insert(
            "daily_articles".into(),
            daily.into_iter().map(|(d, n)| (fmt_date(d), serde_json::Value::from(n))).collect(),
        );
        if let Some(why) = inactive {
            a.not_evaluated.insert("days_since_last".into(), why.to_owned());
            return;
        }
        a.metrics.insert("days_since_last".into(), days_since as f64);
        let last_text = last_date.map(fmt_date);
        // The 14-day veto and its warnings are defined for 公众号 (国办 2019 inspection rules
        // as the surveys apply them); another platform's silence shows in dormancy and cadence.
        let veto_applies = account.account.platform == Platform::Wechat;
        if !veto_applies {
            a.not_evaluated
                .insert("stale_14d".into(), "两周未更新单项否决针对微信公众号，不适用于该平台".into());
        }
        if veto_applies && days_since > self.stale_days {
            let mut f = Finding::new(
                FindingCode::UpdateStale14d,
                Severity::Veto,
                match &last_text {
                    Some(l) => format!(
                        "检查时点{}前{}天内（{}至{}）未发布新内容，最近一次发布为{l}，已{days_since}天未更新",
                        fmt_date(check),
                        self.stale_days,
                        fmt_date(window_from),
                        fmt_date(check - Days::new(1))
                    ),
                    None => format!(
                        "检查时点{}前{}天内未发布新内容，且未采集到该账号的任何文章",
                        fmt_date(check),
                        self.stale_days
                    ),
                },
            )
            .with("check_date", fmt_date(check))
            .with("window_from", fmt_date(window_from))
            .with("window_to", fmt_date(check - Days::new(1)));
            if let Some(l) = &last_text {
                f = f.with("last_published", l.clone()).with("days_since_last", days_since);
            }
            a.findings.push(f);
        }
        if days_since >= self.dormant_days {
            let msg = match &last_text {
                Some(l) => {
                    format!("账号已{days_since}天未更新（最近一次发布为{l}），属于长期未更新的睡眠账号")
                }
                None => "未采集到该账号的任何文章，疑似长期未更新的睡眠账号".to_owned(),
            };
            let mut f = Finding::new(FindingCode::UpdateDormant, Severity::Major, msg)
                .with("check_date", fmt_date(check))
                .with("threshold_days", self.dormant_days);
            if let Some(l) = &last_text {
                f = f.with("last_published", l.clone()).with("days_since_last", days_since);
            }
            a.findings.push(f);
        }
        if let Some(last_date) = last_date.filter(|_| veto_applies) {
            a.findings.extend(self.warning(check, last_date, days_since, WorkCalendar::official()));
        }
    }

    /// The warning before the veto, from `warn_after_days` of silence up to the veto: to the
    /// operator first, from `escalate_after_days` to the supervising office. It names the date
    /// the veto will be hit, the last day a publication still avoids it, and the working days
    /// left from the check date to that day.
    fn warning(
        &self,
        check: NaiveDate,
        last: NaiveDate,
        days_since: i64,
        cal: &WorkCalendar,
    ) -> Option<Finding> {
        if days_since < self.warn_after_days || days_since > self.stale_days {
            return None;
        }
        // The first check date whose window holds nothing: last + stale_days + 1; a publication
        // up to the day before still avoids it.
        let veto_date = last + Days::new(self.stale_days as u64 + 1);
        let deadline = last + Days::new(self.stale_days as u64);
        let days_left = (veto_date - check).num_days();
        let working_days_left = cal.working_days_after(check - Days::new(1), deadline);
        let last_working_day =
            (0..days_left as u64).map(|i| deadline - Days::new(i)).find(|d| cal.is_working_day(*d));
        let (severity, threshold, who) = if days_since >= self.escalate_after_days {
            (Severity::Major, self.escalate_after_days, "已到提醒主管单位督促更新的时点")
        } else {
            (Severity::Minor, self.warn_after_days, "请运维人员尽快发布")
        };
        let working = match last_working_day {
            Some(d) => format!("其中工作日{working_days_left}天（最后一个工作日为{}）", fmt_date(d)),
            None => "期间没有工作日，需安排节假日值班人员发布".to_owned(),
        };
        let basis = if cal.covers(check) && cal.covers(deadline) {
            "工作日按国务院办公厅公布的节假日和调休安排计算".to_owned()
        } else {
            format!("节假日安排未覆盖{}年，工作日按周一至周五计算", deadline.format("%Y"))
        };
        Some(
            Finding::new(
                FindingCode::UpdateStaleWarning,
                severity,
                format!(
                    "已{days_since}天未发布新内容（最近一次发布为{}），{who}：若{}（含）前仍不发布，将于{}触发两周未更新否决。距否决还剩{days_left}天，{working}",
                    fmt_date(last),
                    fmt_date(deadline),
                    fmt_date(veto_date)
                ),
            )
            .with("last_published", fmt_date(last))
            .with("days_since_last", days_since)
            .with("threshold_days", threshold)
            .with("veto_date", fmt_date(veto_date))
            .with("days_left", days_left)
            .with("working_days_left", working_days_left)
            .with("basis", basis),
        )
    }

    fn cadence(&self, survey: &Survey, account: &AccountData, a: &mut Assessment) -> f64 {
        let in_period: Vec<&Article> = survey.in_period(account).collect();
        let mut dates: Vec<NaiveDate> = in_period.iter().map(|x| local_date(&x.published_at)).collect();
        dates.sort();
        dates.dedup();
        let weeks = survey.period.days().max(1) as f64 / 7.0;
        let active_per_week = dates.len() as f64 / weeks;
        let (norm, basis) = match account.account.kind {
            Some(Kind::Service) => (SERVICE_PUSHES_PER_WEEK, "服务号：每月可群发4次"),
            Some(Kind::Subscription) => (SUBSCRIPTION_NORM, "订阅号：每周至少3天发布"),
            None => (SUBSCRIPTION_NORM, "账号类型未知，按订阅号（每周至少3天发布）计"),
        };
        a.metrics.insert("cadence_norm".into(), norm);
        a.stats.insert("cadence_basis".into(), basis.into());
        a.metrics.insert("articles".into(), in_period.len() as f64);
        a.metrics.insert("active_days".into(), dates.len() as f64);
        a.metrics.insert("articles_per_week".into(), in_period.len() as f64 / weeks);
        a.metrics.insert("active_days_per_week".into(), active_per_week);
        let end = survey.check_date.min(survey.period.to + Days::new(1));
        let mut bounded = vec![survey.period.from];
        bounded.extend(dates.iter().copied());
        bounded.push(end);
        let longest = gaps(&bounded).into_iter().max().unwrap_or(0).max(0);
        a.metrics.insert("longest_gap_days".into(), longest as f64);
        let mut inner: Vec<f64> = gaps(&dates).into_iter().map(|x| x as f64).collect();
        match median(&mut inner) {
            Some(m) => {
                a.metrics.insert("median_gap_days".into(), m);
            }
            None => {
                a.not_evaluated.insert("median_gap_days".into(), "统计期内发布日期少于两天".into());
            }
        }
        let gap_part = 1.0 - ((longest as f64 - 7.0) / 7.0).clamp(0.0, 1.0);
        0.7 * (active_per_week / norm).min(1.0) + 0.3 * gap_part
    }

    fn events(&self, survey: &Survey, account: &AccountData, a: &mut Assessment) {
        let computed;
        let candidates = match self.answers.get(&account.account.id) {
            Some(observed) => observed,
            None => {
                computed = event_answers(survey, account);
                &computed
            }
        };
        if candidates.is_empty() {
            a.not_evaluated.insert("event_response".into(), NO_EVENT.into());
            return;
        }
        a.stats.insert(
            "event_response_basis".into(),
            "按关键词匹配判断文章是否回应重大事件（未经 AI 确认相关性，未评价完整性）".into(),
        );
        let mut total = 0.0;
        for c in candidates {
            let e = &survey.events[c.event];
            let hours = c.hours;
            total += self.timing_credit(hours);
            if hours.is_none_or(|h| h > self.response_hours as f64) {
                let msg = match hours {
                    Some(h) => format!(
                        "重大事件“{}”发生后{h:.0}小时才发布相关内容，超过{}小时",
                        e.title, self.response_hours
                    ),
                    None => format!("重大事件“{}”发生后{ANSWER_DAYS}天内未发布相关内容", e.title),
                };
                let mut f = Finding::new(FindingCode::TimelinessLateResponse, Severity::Major, msg)
                    .with("event", e.id.clone())
                    .with("occurred_at", e.occurred_at.to_rfc3339());
                if let Some(h) = hours {
                    f = f.with("response_hours", (h * 10.0).round() / 10.0);
                }
                a.findings.push(f);
            }
        }
        a.metrics.insert("event_response".into(), total / candidates.len() as f64);
    }

    /// Credit for answering an event after `hours` (None: not at all): 1 within 24 hours, 0.5
    /// within `response_hours`, else 0.
    pub fn timing_credit(&self, hours: Option<f64>) -> f64 {
        match hours {
            Some(h) if h <= 24.0 => 1.0,
            Some(h) if h <= self.response_hours as f64 => 0.5,
            _ => 0.0,
        }
    }
}

/// Why an account's event response is not evaluated.
pub const NO_EVENT: &str = "统计期内无适用于该账号且其后仍有发布的重大事件";

/// A major event in an account's scope, after which it published, with the articles of the
/// week after the event that mention it (oldest first): the candidate answers.
#[derive(Debug, Clone)]
pub struct EventCandidates<'a> {
    pub event: &'a Event,
    pub articles: Vec<&'a Article>,
}

impl EventCandidates<'_> {
    /// Hours from the event to an article.
    pub fn hours_after(&self, a: &Article) -> f64 {
        (a.published_at - self.event.occurred_at).num_minutes() as f64 / 60.0
    }
}

/// The events in `account`'s scope after which it published before the check date, each with
/// its keyword-matched candidate answers. The rule-based check takes the first candidate as
/// the answer; the AI check asks a model to confirm each candidate and judge its completeness.
pub fn event_candidates<'a>(survey: &'a Survey, account: &'a AccountData) -> Vec<EventCandidates<'a>> {
    let cutoff = start_of_day(survey.check_date);
    survey
        .events
        .iter()
        .filter(|e| event_in_scope(e, account))
        .filter(|e| {
            account.articles.iter().any(|x| x.published_at >= e.occurred_at && x.published_at < cutoff)
        })
        .map(|e| {
            // Articles are oldest first: look at the week after the event only.
            let until = e.occurred_at + chrono::Duration::days(ANSWER_DAYS);
            let start = account.articles.partition_point(|x| x.published_at < e.occurred_at);
            let articles = account.articles[start..]
                .iter()
                .take_while(|x| x.published_at < until && x.published_at < cutoff)
                .filter(|x| mentions(x, e))
                .collect();
            EventCandidates { event: e, articles }
        })
        .collect()
}

/// An event concerns an account when it is national, or when one of its region codes covers
/// the account's region code (`310000` covers `310101`: trailing `00` pairs are wildcards).
fn event_in_scope(e: &Event, account: &AccountData) -> bool {
    if e.scope.is_national() {
        return true;
    }
    let govmedia_model::EventScope::Regions(codes) = &e.scope else { return false };
    let Some(region) = account.account.region.as_deref() else { return false };
    codes.iter().any(|c| {
        let mut p = c.trim();
        while p.len() > 2 && p.ends_with("00") {
            p = &p[..p.len() - 2];
        }
        region.starts_with(p) || region == c
    })
}

/// The article speaks of the event: one of its keywords (or its title) in the title or body.
fn mentions(x: &Article, e: &Event) -> bool {
    let hay = |k: &str| x.title.contains(k) || x.content.as_deref().is_some_and(|c| c.contains(k));
    if e.keywords.is_empty() { hay(&e.title) } else { e.keywords.iter().any(|k| !k.is_empty() && hay(k)) }
}

impl Check for TimelinessCheck {
    fn name(&self) -> &'static str {
        "timeliness"
    }

    fn observe(
        &mut self,
        survey: &Survey,
        accounts: &[AccountData],
        _progress: &dyn Progress,
    ) -> Result<(), crate::CheckError> {
        self.seen_articles |= accounts.iter().any(|a| !a.articles.is_empty());
        for acc in accounts {
            self.answers.insert(acc.account.id.clone(), event_answers(survey, acc));
        }
        Ok(())
    }

    fn reads_bodies(&self) -> bool {
        false
    }

    fn take_observed(&mut self) -> Option<String> {
        // Another process assesses: it reads the bodies itself.
        self.answers.clear();
        crate::encode(&std::mem::take(&mut self.seen_articles))
    }

    fn absorb(&mut self, observed: &str) -> Result<(), crate::CheckError> {
        self.seen_articles |= crate::decode::<bool>(self.name(), observed)?;
        Ok(())
    }

    fn prepared(&self) -> Option<String> {
        crate::encode(&self.no_articles)
    }

    fn absorb_prepared(&mut self, prepared: &str) -> Result<(), crate::CheckError> {
        self.no_articles = crate::decode(self.name(), prepared)?;
        Ok(())
    }

    fn prepare(&mut self, _survey: &Survey, _progress: &dyn Progress) -> Result<(), crate::CheckError> {
        self.no_articles = !std::mem::take(&mut self.seen_articles);
        Ok(())
    }

    fn assess(&self, survey: &Survey, account: &AccountData) -> Outcome {
        if self.no_articles {
            return Outcome::NotEvaluated("数据集中没有任何文章，无法评估更新情况".into());
        }
        let mut a = Assessment::default();
        let inactive = match account.account.status {
            AccountStatus::Active => None,
            AccountStatus::Closed => Some("账号已关闭"),
            AccountStatus::Missing => Some("账号不存在"),
            AccountStatus::Migrated => Some("账号已迁移"),
        }
        .map(|what| format!("{what}，不再要求更新，不评估更新情况（关闭或迁移由账号检查报告）"));
        self.staleness(survey, account, inactive.as_deref(), &mut a);
        let cadence_score = self.cadence(survey, account, &mut a);
        // Events are judged for every account: one only counts when the account published
        // after it, that is while it was still operated.
        self.events(survey, account, &mut a);
        match inactive {
            Some(why) => {
                a.not_evaluated.insert("score".into(), why);
            }
            None => {
                let stale = a.findings.iter().any(|f| f.code == FindingCode::UpdateStale14d);
                a.metrics.insert("score".into(), if stale { 0.0 } else { cadence_score });
            }
        }
        Outcome::Evaluated(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn warning_from_day_ten_to_the_veto_with_working_days() {
        let check = TimelinessCheck::default();
        let official = WorkCalendar::official();
        let warn = |days: u64| {
            check.warning(d("2025-04-01"), d("2025-04-01") - Days::new(days), days as i64, official)
        };
        for days in [1, 9, 15, 40] {
            assert!(warn(days).is_none(), "day {days}");
        }
        let f = warn(10).unwrap();
        assert_eq!((f.severity, f.evidence["threshold_days"].as_i64()), (Severity::Minor, Some(10)));
        let f = warn(12).unwrap();
        assert_eq!((f.severity, f.evidence["threshold_days"].as_i64()), (Severity::Major, Some(12)));
        assert_eq!(f.evidence["veto_date"], "2025-04-04");
        // 04-01 … 04-03 are workdays; the deadline 04-03 is the last one.
        assert_eq!(f.evidence["working_days_left"], 3);
        // A local calendar with 04-02 off (an office's own rest day) leaves two.
        let mut local = WorkCalendar::default();
        local.add_year_json(r#"{"year": 2025, "days": [{"date": "2025-04-02", "isOffDay": true}]}"#).unwrap();
        let f = check.warning(d("2025-04-01"), d("2025-03-20"), 12, &local).unwrap();
        assert_eq!(f.evidence["working_days_left"], 2);
        assert!(f.evidence["basis"].as_str().unwrap().contains("国务院办公厅"));
        // Thresholds are parameters.
        let early =
            TimelinessCheck { warn_after_days: 7, escalate_after_days: 11, ..TimelinessCheck::default() };
        let f = early.warning(d("2025-04-01"), d("2025-03-24"), 8, official).unwrap();
        assert_eq!(f.severity, Severity::Minor);
        assert!(f.message.contains("已8天未发布新内容"), "{}", f.message);
    }
}

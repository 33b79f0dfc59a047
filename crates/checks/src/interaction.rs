//! Interaction (互动): are readers' comments answered, and is there any effective way to
//! reach the unit at all?
//!
//! A comment is valid when, after removing WeChat's bracketed emoji codes (`[微笑]`), it still
//! holds a letter, digit or CJK character (so not empty, not emoji- or punctuation-only), and
//! it is not the account's own: it does not start with the account's name or 作者/小编 followed
//! by a colon, and it is not the text of one of the account's replies on the same article.
//!
//! A reply is "within one working day" when it comes before the end of the first working day
//! after the comment's date (official calendar, make-up workdays included). A valid comment
//! is unanswered once `unanswered_after` working days have passed without a reply.
//!
//! Metrics: `score` (0.6·reply ratio + 0.4·share replied within one working day; not
//! evaluated without valid comments — frameworks move its weight, see ccid-2025),
//! `comments`, `valid_comments`, `articles_with_valid_comments`, `articles_replied`,
//! `reply_ratio`, `median_reply_hours`, `replied_within_1wd`, `unanswered`,
//! `effective_function` (1 when comments or a menu path to consultation exist).
//!
//! Findings: `interaction.no_valid_comments` (info), `interaction.unanswered` (major when
//! fewer than half are answered, else minor), `interaction.none` (veto: no comments at all in
//! the period or comments declared closed, and no menu item for consultation; the veto is
//! not raised when the menu is unknown).
//!
//! Whether comments were collected is known per article, hence per account and source
//! ([`Article::comments_known`]): articles imported from feeds, the history API or saved
//! pages carry `comments_collected: false`, and when the dataset holds no comment at all none
//! were collected. Only articles whose comments were collected count in the comment metrics;
//! an account with none has its comment metrics not evaluated, is never told it has "no
//! valid comments", and the veto is only concluded for articles whose comments are declared
//! closed (`comments_open: false`).

use chrono::{Days, NaiveDate};

use govmedia_model::Timestamp;
use govmedia_model::time::{local_date, start_of_day};
use govmedia_model::{Article, Comment, Finding, FindingCode, Severity};

use crate::calendar::WorkCalendar;
use crate::menu::{MenuFunctions, MenuLexicon, classify_menu};
use crate::{AccountData, Assessment, Check, CheckError, Outcome, Progress, Survey, median};

#[derive(Debug, Clone)]
pub struct InteractionCheck {
    /// Working days after which a valid comment without reply counts as unanswered.
    pub unanswered_after: u32,
    pub lexicon: MenuLexicon,
    /// Set by `prepare`: the survey holds at least one comment (see [`Article::comments_known`]).
    dataset_has_comments: bool,
    /// Observed: some article of the survey has a comment.
    seen_comments: bool,
}

impl Default for InteractionCheck {
    fn default() -> Self {
        InteractionCheck {
            unanswered_after: 3,
            lexicon: MenuLexicon::default_lexicon(),
            dataset_has_comments: true,
            seen_comments: false,
        }
    }
}

/// Whether any article of `accounts` has a comment: over the whole survey, the fallback of
/// [`Article::comments_known`] for articles whose collector did not say.
pub fn has_comments(accounts: &[AccountData]) -> bool {
    accounts.iter().any(|a| a.articles.iter().any(|x| !x.comments.is_empty()))
}

impl InteractionCheck {
    /// With a user's menu lexicon (the one `MenuCheck` uses), for the interaction veto.
    pub fn with_lexicon(lexicon: MenuLexicon) -> Self {
        InteractionCheck { lexicon, ..Default::default() }
    }
}

/// Removes `[微笑]`-style emoji codes (at most 8 characters between brackets).
fn strip_emoji_codes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('[') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.find(']') {
            Some(j) if after[..j].chars().count() <= 8 => rest = &after[j + 1..],
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text says something: a letter, digit or CJK ideograph remains.
pub fn has_substance(text: &str) -> bool {
    strip_emoji_codes(text).chars().any(|c| c.is_alphanumeric())
}

/// The comment is valid (see the module documentation).
pub fn is_valid_comment(c: &Comment, article: &Article, account_name: &str) -> bool {
    if !has_substance(&c.text) {
        return false;
    }
    let t = c.text.trim();
    let own_prefix = [account_name, "作者", "小编"]
        .iter()
        .any(|p| !p.is_empty() && (t.starts_with(&format!("{p}：")) || t.starts_with(&format!("{p}:"))));
    let echoes_reply = article.comments.iter().filter_map(|x| x.reply.as_ref()).any(|r| r.text.trim() == t);
    !own_prefix && !echoes_reply
}

fn comments_closed(a: &Article) -> bool {
    ["comments_open", "comment_enabled"]
        .iter()
        .any(|k| a.extra.get(*k).and_then(|v| v.as_bool()) == Some(false))
}

impl Check for InteractionCheck {
    fn reads_bodies(&self) -> bool {
        false
    }

    fn name(&self) -> &'static str {
        "interaction"
    }

    fn observe(
        &mut self,
        _survey: &Survey,
        accounts: &[AccountData],
        _progress: &dyn Progress,
    ) -> Result<(), CheckError> {
        self.seen_comments |= has_comments(accounts);
        Ok(())
    }

    fn take_observed(&mut self) -> Option<String> {
        crate::encode(&std::mem::take(&mut self.seen_comments))
    }

    fn absorb(&mut self, observed: &str) -> Result<(), CheckError> {
        self.seen_comments |= crate::decode::<bool>(self.name(), observed)?;
        Ok(())
    }

    fn prepared(&self) -> Option<String> {
        crate::encode(&self.dataset_has_comments)
    }

    fn absorb_prepared(&mut self, prepared: &str) -> Result<(), CheckError> {
        self.dataset_has_comments = crate::decode(self.name(), prepared)?;
        Ok(())
    }

    fn prepare(&mut self, _survey: &Survey, _progress: &dyn Progress) -> Result<(), CheckError> {
        self.dataset_has_comments = std::mem::take(&mut self.seen_comments);
        Ok(())
    }

    fn assess(&self, survey: &Survey, account: &AccountData) -> Outcome {
        let cal = WorkCalendar::official();
        let check = survey.check_date;
        let cutoff = start_of_day(check);
        let mut a = Assessment::default();
        let (mut comments, mut valid, mut replied, mut within) = (0u64, 0u64, 0u64, 0u64);
        let (mut articles_valid, mut articles_replied, mut articles) = (0u64, 0u64, 0u64);
        let (mut in_period, mut declared_uncollected) = (0u64, false);
        let mut delays = Vec::new();
        let mut unanswered: Vec<(String, String, String, Option<u64>)> = Vec::new();
        let mut closed = false;
        for art in survey.in_period(account) {
            in_period += 1;
            closed |= comments_closed(art);
            if !art.comments_known(self.dataset_has_comments) {
                declared_uncollected |= art.comments_collected == Some(false);
                continue;
            }
            articles += 1;
            let mut art_valid = false;
            let mut art_replied = false;
            for c in &art.comments {
                comments += 1;
                if c.created_at >= cutoff || !is_valid_comment(c, art, &account.account.name) {
                    continue;
                }
                valid += 1;
                art_valid = true;
                let day = local_date(&c.created_at);
                match &c.reply {
                    Some(r) => {
                        replied += 1;
                        art_replied = true;
                        let hours = (r.created_at - c.created_at).num_minutes().max(0) as f64 / 60.0;
                        delays.push(hours);
                        if r.created_at < one_working_day_deadline(cal, day) {
                            within += 1;
                        }
                    }
                    None => {
                        if cal.working_days_after(day, check) > self.unanswered_after {
                            unanswered.push((
                                art.url.clone(),
                                c.created_at.to_rfc3339(),
                                govmedia_pii::clip(&c.text, 30),
                                art.reads.map(|r| r.value),
                            ));
                        }
                    }
                }
            }
            articles_valid += u64::from(art_valid);
            articles_replied += u64::from(art_replied);
        }
        // No article of the period had its comments collected (an account without articles
        // in the period is judged on what it published: nothing).
        let uncollected = articles == 0 && in_period > 0;
        if in_period > articles {
            a.stats.insert("articles_comments_not_collected".into(), (in_period - articles).into());
        }
        if !uncollected {
            for (k, v) in [
                ("comments", comments),
                ("valid_comments", valid),
                ("articles_with_valid_comments", articles_valid),
                ("articles_replied", articles_replied),
                ("unanswered", unanswered.len() as u64),
            ] {
                a.metrics.insert(k.into(), v as f64);
            }
            a.stats.insert("articles_with_valid_comments".into(), articles_valid.into());
            a.stats.insert("articles_replied".into(), articles_replied.into());
            a.stats.insert("valid_comments".into(), valid.into());
            a.stats.insert("comments_replied".into(), replied.into());
        }

        let menu_state = account.menu.as_ref().and_then(|m| m.parse().ok()).map(|menu| {
            if menu.is_empty() {
                MenuFunctions::default()
            } else {
                MenuFunctions::of(&classify_menu(&self.lexicon, &menu))
            }
        });
        // Whether readers lack a comment channel: known when comments are declared closed,
        // unknown when the dataset holds no comments at all.
        let no_comment_channel = if closed {
            Some(true)
        } else if uncollected {
            None
        } else {
            Some(comments == 0 && articles > 0)
        };
        let not_collected = if declared_uncollected {
            "该账号文章的来源（订阅源、历史消息接口或保存的网页）不含留言，未采集留言"
        } else {
            "数据集中未采集留言"
        };
        match (menu_state, no_comment_channel) {
            (Some(m), _) if m.interaction => {
                a.metrics.insert("effective_function".into(), 1.0);
            }
            (_, Some(false)) => {
                a.metrics.insert("effective_function".into(), 1.0);
            }
            (Some(_), Some(true)) => {
                a.metrics.insert("effective_function".into(), 0.0);
                a.findings.push(
                    Finding::new(
                        FindingCode::InteractionNone,
                        Severity::Veto,
                        if closed {
                            "文章留言功能已关闭，菜单中也没有咨询、留言等互动渠道，未提供有效互动功能".to_owned()
                        } else {
                            format!("统计期内{articles}篇文章均无留言，菜单中也没有咨询、留言等互动渠道，未提供有效互动功能")
                        },
                    )
                    .with("articles", articles)
                    .with("comments", comments)
                    .with("comments_closed", closed)
                    .with("menu_interaction", false),
                );
            }
            (Some(_), None) => {
                a.not_evaluated.insert(
                    "effective_function".into(),
                    format!("{not_collected}，菜单中也没有互动渠道，无法判断是否提供有效互动功能"),
                );
            }
            (None, _) => {
                a.not_evaluated
                    .insert("effective_function".into(), "未采集菜单，无法判断是否提供互动渠道".into());
            }
        }

        if uncollected {
            for m in [
                "score",
                "reply_ratio",
                "median_reply_hours",
                "replied_within_1wd",
                "comments",
                "valid_comments",
                "articles_with_valid_comments",
                "articles_replied",
                "unanswered",
            ] {
                a.not_evaluated.insert(m.into(), not_collected.into());
            }
            return Outcome::Evaluated(a);
        }
        if valid == 0 {
            for m in ["score", "reply_ratio", "median_reply_hours", "replied_within_1wd"] {
                a.not_evaluated.insert(m.into(), "统计期内无有效留言".into());
            }
            if articles > 0 {
                a.findings.push(
                    Finding::new(
                        FindingCode::InteractionNoValidComments,
                        Severity::Info,
                        format!("统计期内{articles}篇文章共{comments}条留言，无有效留言"),
                    )
                    .with("articles", articles)
                    .with("comments", comments),
                );
            }
            return Outcome::Evaluated(a);
        }
        let ratio = replied as f64 / valid as f64;
        let within_share = within as f64 / valid as f64;
        a.metrics.insert("reply_ratio".into(), ratio);
        a.metrics.insert("replied_within_1wd".into(), within_share);
        match median(delays) {
            Some(m) => {
                a.metrics.insert("median_reply_hours".into(), m);
            }
            None => {
                a.not_evaluated.insert("median_reply_hours".into(), "有效留言均未获回复".into());
            }
        }
        a.metrics.insert("score".into(), 0.6 * ratio + 0.4 * within_share);
        if !unanswered.is_empty() {
            let severity = if ratio < 0.5 { Severity::Major } else { Severity::Minor };
            // The most-read article's comment first: unanswered comments under widely read articles
            // are the survey's typical problem.
            unanswered.sort_by(|a, b| b.3.cmp(&a.3).then(a.1.cmp(&b.1)));
            let (url, at, text, _) = unanswered[0].clone();
            let examples: Vec<serde_json::Value> = unanswered
                .iter()
                .take(5)
                .map(|(u, t, x, r)| serde_json::json!({"url": u, "created_at": t, "excerpt": x, "reads": r}))
                .collect();
            a.findings.push(
                Finding::new(
                    FindingCode::InteractionUnanswered,
                    severity,
                    format!(
                        "{}条有效留言超过{}个工作日未回复（有效留言{valid}条，回复率{:.1}%），如{at}的留言“{text}”",
                        unanswered.len(),
                        self.unanswered_after,
                        ratio * 100.0
                    ),
                )
                .with("url", url)
                .with("count", unanswered.len())
                .with("valid_comments", valid)
                .with("examples", examples),
            );
        }
        Outcome::Evaluated(a)
    }
}

/// The deadline for a reply "within one working day" to a comment made on `day`: the end of
/// the first working day after it (a Friday comment may be answered until Monday 24:00).
pub fn one_working_day_deadline(cal: &WorkCalendar, day: NaiveDate) -> Timestamp {
    start_of_day(cal.next_working_day(day) + Days::new(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substance_ignores_emoji_codes_and_punctuation() {
        assert!(!has_substance(""));
        assert!(!has_substance("   "));
        assert!(!has_substance("[微笑][强]"));
        assert!(!has_substance("👍👍！！。。。"));
        assert!(!has_substance("？？?"));
        assert!(has_substance("[微笑]请问几点开门"));
        assert!(has_substance("12345"));
        // A long bracketed text is not an emoji code.
        assert!(has_substance("[关于社保卡补办流程的问题]"));
    }

    #[test]
    fn one_working_day_deadline_follows_the_calendar() {
        let cal = WorkCalendar::official();
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        // Friday → end of Monday.
        assert_eq!(one_working_day_deadline(cal, d("2025-03-07")).to_rfc3339(), "2025-03-11T00:00:00+08:00");
        // The day before National Day 2025 → end of 10-09 (10-01 … 10-08 off).
        assert_eq!(one_working_day_deadline(cal, d("2025-09-30")).to_rfc3339(), "2025-10-10T00:00:00+08:00");
    }
}

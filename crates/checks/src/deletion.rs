//! Articles taken down after publication (`content.deleted`).
//!
//! An article the data marks deleted — a collector or the monitor's recheck found that its URL
//! now answers with WeChat's notice (此内容已被发布者删除, 此内容因违规无法查看 …) or a 404 —
//! is reported with what was captured before: title, publication time, the notice's reason and
//! an excerpt of the earlier text. A take-down for a violation (违规, 涉嫌) is major: the
//! platform removed it; one by the author is minor: the published record has a gap.
//!
//! Metric: `deleted_articles` (articles of the period marked deleted).

use govmedia_model::{Finding, FindingCode, Severity};

use crate::{AccountData, Assessment, Check, Outcome, Survey};

/// Characters of the earlier text quoted as evidence.
const EXCERPT_CHARS: usize = 80;

/// The deletion check (module documentation).
#[derive(Debug, Default)]
pub struct DeletionCheck;

impl Check for DeletionCheck {
    fn name(&self) -> &'static str {
        "deletion"
    }

    /// Reads nothing that `observe` or `prepare` compute.
    fn assessable_unprepared(&self) -> bool {
        true
    }

    fn assess(&self, survey: &Survey, account: &AccountData) -> Outcome {
        let mut a = Assessment::default();
        let mut n = 0;
        for x in survey.in_period(account).filter(|x| x.deleted == Some(true)) {
            n += 1;
            let reason = x.deleted_reason.clone().unwrap_or_else(|| "原链接已无法访问".to_owned());
            let violation = ["违规", "涉嫌", "违反"].iter().any(|w| reason.contains(w));
            let when = govmedia_model::time::local_date(&x.published_at);
            let mut f = Finding::new(
                FindingCode::ContentDeleted,
                if violation { Severity::Major } else { Severity::Minor },
                format!("{when}发布的文章“{}”已无法查看（{reason}）", x.title),
            )
            .with("url", x.url.clone())
            .with("title", x.title.clone())
            .with("published_at", x.published_at.to_rfc3339())
            .with("deleted_reason", reason);
            if let Some(t) = x.extra.get("deleted_detected_at").and_then(|v| v.as_str()) {
                f = f.with("detected_at", t);
            }
            if let Some(body) = x.content.as_deref().filter(|b| !b.trim().is_empty()) {
                let excerpt: String = body.chars().take(EXCERPT_CHARS).collect();
                f = f.with("earlier_excerpt", excerpt);
            }
            a.findings.push(f);
        }
        a.metrics.insert("deleted_articles".into(), f64::from(n));
        Outcome::Evaluated(a)
    }
}

#[cfg(test)]
mod tests {
    use govmedia_model::{Account, Article, Level};

    use super::*;

    #[test]
    fn deleted_articles_are_reported_with_their_earlier_text() {
        let t = |s: &str| s.parse().unwrap();
        let mut gone =
            Article::new("a", "https://mp.weixin.qq.com/s/x", "政策解读", t("2025-10-10T09:00:00+08:00"));
        gone.content = Some("这是删除前采集到的正文。".into());
        gone.deleted = Some(true);
        gone.deleted_reason = Some("此内容因违规无法查看".into());
        let mut by_author =
            Article::new("a", "https://mp.weixin.qq.com/s/y", "通知", t("2025-10-11T09:00:00+08:00"));
        by_author.deleted = Some(true);
        let kept = Article::new("a", "https://mp.weixin.qq.com/s/z", "动态", t("2025-10-12T09:00:00+08:00"));
        let account = AccountData {
            account: Account::new("a", "某市发布", "某市", Level::Prefecture),
            articles: vec![gone, by_author, kept],
            menu: None,
        };
        let survey = crate::october_survey(&[]);
        let Outcome::Evaluated(a) = DeletionCheck.assess(&survey, &account) else { panic!("evaluated") };
        assert_eq!(a.metrics["deleted_articles"], 2.0);
        assert_eq!(a.findings[0].severity, Severity::Major);
        assert_eq!(a.findings[0].evidence["earlier_excerpt"], "这是删除前采集到的正文。");
        assert_eq!(a.findings[1].severity, Severity::Minor);
        assert_eq!(a.findings[1].evidence["deleted_reason"], "原链接已无法访问");
    }
}

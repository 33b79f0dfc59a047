//! The "classification" check: each article's category, the account's content mix, and
//! excellent-article candidates.
//!
//! The articles of an account are classified together (the account's own category mix is one
//! of the classifier's inputs), with the account's field and level, each article's body and
//! its position. An article whose best category stays below the classifier's confidence
//! threshold is noted as 未能确定 and left out of the shares.
//!
//! Metrics (per account, over articles in the survey period whose category is decided):
//! - `score` (0–1): share of articles that serve the public (政策发布解读, 政务服务, 社会关切)
//!   rather than report the unit's own activities or results;
//! - `share_policy`, `share_service`, `share_concern`, `share_experience`, `share_culture`,
//!   `share_news`: the mix by category;
//! - `excellent_candidates`: articles whose quality signal reaches [`EXCELLENT_QUALITY`].
//!
//! Stats: `articles_<category>` per category and `articles_未能确定`.
//!
//! The quality signal never rewards raw reads (2024 rules against 指尖上的形式主义): reads
//! count only relative to the account's own median, next to engagement per read, declared
//! originality, substance (body length, media) and placement.

use govmedia_checks::{AccountData, ArticleNote, Assessment, Check, NoteSource, Outcome, Survey};
use govmedia_model::Article;

use crate::body::plain_text;
use crate::classify::features::field_from_name;
use crate::classify::{CATEGORIES, Classifier, Context, UNDECIDED, default_classifier};

/// Quality at or above which an article is an excellent-article candidate.
pub const EXCELLENT_QUALITY: f64 = 0.7;
const METRICS: [&str; 6] =
    ["share_policy", "share_service", "share_concern", "share_experience", "share_culture", "share_news"];

/// The classification check.
pub struct ClassificationCheck {
    model: Classifier,
}

impl ClassificationCheck {
    /// With the shipped classifier.
    pub fn new() -> Self {
        ClassificationCheck { model: default_classifier().clone() }
    }

    /// With another classifier (e.g. [`crate::classify::classifier_with`] an evaluator's titles).
    pub fn with_classifier(model: Classifier) -> Self {
        ClassificationCheck { model }
    }
}

impl Default for ClassificationCheck {
    fn default() -> Self {
        Self::new()
    }
}

/// A 0–1 quality signal for one article, given its account's median reads.
pub fn quality(a: &Article, body_chars: usize, median_reads: Option<f64>) -> f64 {
    let mut q = 0.0;
    if a.original == Some(true) {
        q += 0.2;
    }
    if (600..=6000).contains(&body_chars) {
        q += 0.15;
    }
    if a.media.is_some_and(|m| m.images + m.videos + m.audios > 0) {
        q += 0.1;
    }
    if a.position == Some(1) {
        q += 0.1;
    }
    let reads = a.reads.map(|r| r.value as f64);
    if let (Some(r), Some(m)) = (reads, median_reads)
        && m > 0.0
    {
        q += 0.25 * (r / (2.0 * m)).min(1.0);
    }
    if let Some(r) = reads.filter(|r| *r > 0.0) {
        let engaged =
            (a.likes.unwrap_or(0) + a.wows.unwrap_or(0) + a.shares.unwrap_or(0) + a.favorites.unwrap_or(0))
                as f64;
        q += 0.2 * (engaged / r / 0.05).min(1.0);
    }
    q.min(1.0)
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    Some(v[v.len() / 2])
}

impl Check for ClassificationCheck {
    fn name(&self) -> &'static str {
        "classification"
    }

    fn account_local(&self) -> bool {
        true
    }

    fn assess(&self, survey: &Survey, account: &AccountData) -> Outcome {
        let arts: Vec<&Article> = survey.in_period(account).collect();
        if arts.is_empty() {
            return Outcome::NotEvaluated("统计期内没有文章，无法分类".into());
        }
        let med = median(arts.iter().filter_map(|a| a.reads.map(|r| r.value as f64)).collect());
        let acc = &account.account;
        let field = acc.field.or_else(|| field_from_name(&acc.name));
        let bodies: Vec<_> = arts.iter().map(|a| plain_text(a)).collect();
        let inputs: Vec<(&str, Context<'_>)> = arts
            .iter()
            .zip(&bodies)
            .map(|(a, body)| {
                let ctx = Context {
                    body: Some(body.as_ref()).filter(|b| !b.is_empty()),
                    field,
                    level: Some(acc.level),
                    headline: a.position.map(|p| p == 1),
                };
                (a.title.as_str(), ctx)
            })
            .collect();
        let predictions = self.model.predict_account(&inputs);
        let mut out = Assessment::default();
        let mut counts = [0usize; 6];
        let mut excellent = 0;
        for ((a, body), p) in arts.iter().zip(&bodies).zip(&predictions) {
            if p.is_decided() {
                counts[p.category()] += 1;
            }
            let q = quality(a, body.chars().count(), med);
            let ex = q >= EXCELLENT_QUALITY && a.deleted != Some(true);
            excellent += usize::from(ex);
            out.articles.push(ArticleNote {
                url: a.url.clone(),
                source: NoteSource::Rules,
                category: Some(p.label().to_owned()),
                excellent: Some(ex),
                quality: Some((q * 1000.0).round() / 1000.0),
                confidence: Some((f64::from(p.confidence()) * 1000.0).round() / 1000.0),
            });
        }
        let undecided = arts.len() - counts.iter().sum::<usize>();
        for (cat, c) in CATEGORIES.iter().zip(counts) {
            out.stats.insert(format!("articles_{cat}"), c.into());
        }
        out.stats.insert(format!("articles_{UNDECIDED}"), undecided.into());
        out.metrics.insert("excellent_candidates".into(), excellent as f64);
        let n = (arts.len() - undecided) as f64;
        if n == 0.0 {
            let reason = format!("统计期内 {} 篇文章均未能确定类别", arts.len());
            for m in METRICS.iter().chain(&["score"]) {
                out.not_evaluated.insert((*m).into(), reason.clone());
            }
            return Outcome::Evaluated(out);
        }
        for (m, c) in METRICS.iter().zip(counts) {
            out.metrics.insert((*m).into(), c as f64 / n);
        }
        out.metrics.insert("score".into(), (counts[0] + counts[1] + counts[2]) as f64 / n);
        Outcome::Evaluated(out)
    }
}

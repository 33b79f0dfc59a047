//! The "originality" check (原创力): declared 原创, repost markers, and near-duplicates of
//! other accounts' earlier articles across the whole corpus.
//!
//! Metrics (per account, over articles in the survey period):
//! - `score` (0–1): 1 − ½ · `homogeneity` − ½ · share of unattributed copies, over the
//!   articles that have a body; not evaluated when none has one (feeds and history-API
//!   imports carry titles only: no copy can be detected, so a score would be a guess);
//! - `original_rate`: share of articles declared 原创 (not evaluated when no article says);
//! - `repost_rate`: share of articles marked as reposts (source field or 来源/转自/转载 …);
//! - `homogeneity`: share of articles that are near-copies of another account's earlier
//!   article (attributed or not);
//! - `duplicates_unattributed`: copies with no attribution → `content.duplicate`.

use std::collections::HashMap;

use govmedia_checks::{AccountData, Assessment, Check, CheckError, Outcome, Progress, Survey};
use govmedia_model::{Article, Finding, FindingCode, Severity, Timestamp};

use crate::body::plain_text;
use crate::minhash::{self, LshIndex, Signature};

/// Estimated Jaccard similarity of 5-gram shingles above which two texts are "substantially
/// the same". At 0.7, unrelated articles written from the same templates (the generated
/// survey's 300-character bodies) already matched; real copies score 0.9 or more.
pub const DUPLICATE_THRESHOLD: f64 = 0.8;
const MAX_BUCKET: usize = 64;
const MAX_FINDINGS: usize = 20;

/// Markers of a declared repost in the first or last lines of a body.
const REPOST_MARKERS: &[&str] = &[
    "来源：",
    "来源:",
    "来源丨",
    "来源|",
    "转自",
    "转载自",
    "转载于",
    "本文转载",
    "原标题",
    "内容来源",
    "信息来源",
    "稿件来源",
    "来自：",
];

/// True when the article says where it comes from.
pub fn is_marked_repost(a: &Article, body: &str) -> bool {
    if a.source.as_deref().is_some_and(|s| !s.trim().is_empty()) {
        return true;
    }
    let head: String = body.chars().take(300).collect();
    let tail: String = {
        let v: Vec<char> = body.chars().rev().take(300).collect();
        v.into_iter().rev().collect()
    };
    REPOST_MARKERS.iter().any(|m| head.contains(m) || tail.contains(m))
}

/// The earliest article of another account with substantially the same text.
#[derive(Debug, Clone)]
pub struct FirstPublisher {
    pub account: String,
    pub account_name: String,
    pub url: String,
    pub published_at: Timestamp,
    pub similarity: f64,
}

/// The originality check. [`Check::prepare`] indexes every article of the survey.
#[derive(Default)]
pub struct OriginalityCheck {
    /// For each article URL that copies an earlier article of another account.
    copies: HashMap<String, FirstPublisher>,
}

impl OriginalityCheck {
    pub fn new() -> Self {
        Self::default()
    }

    /// What [`prepare`](Check::prepare) found for an article.
    pub fn first_publisher(&self, url: &str) -> Option<&FirstPublisher> {
        self.copies.get(url)
    }
}

/// Signatures of many texts, on all cores.
pub fn signatures(texts: &[&str]) -> Vec<Option<Signature>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let chunk = texts.len().div_ceil(threads).max(1);
    let mut out = vec![None; texts.len()];
    std::thread::scope(|s| {
        for (src, dst) in texts.chunks(chunk).zip(out.chunks_mut(chunk)) {
            s.spawn(move || {
                for (t, d) in src.iter().zip(dst.iter_mut()) {
                    *d = minhash::signature(t);
                }
            });
        }
    });
    out
}

impl Check for OriginalityCheck {
    fn name(&self) -> &'static str {
        "originality"
    }

    fn prepare(&mut self, survey: &Survey, progress: &dyn Progress) -> Result<(), CheckError> {
        // (account index, article index) of each indexed document.
        let mut docs: Vec<(u32, u32)> = Vec::new();
        let mut bodies: Vec<std::borrow::Cow<'_, str>> = Vec::new();
        for (ai, acc) in survey.accounts.iter().enumerate() {
            for (ri, a) in acc.articles.iter().enumerate() {
                docs.push((ai as u32, ri as u32));
                bodies.push(plain_text(a));
            }
        }
        progress.start("原创性：计算文本指纹", docs.len() as u64);
        let texts: Vec<&str> = bodies.iter().map(|b| b.as_ref()).collect();
        let sigs = signatures(&texts);
        drop(texts);
        drop(bodies);
        progress.advance(docs.len() as u64);
        let mut index = LshIndex::with_capacity(docs.len());
        let mut doc_of: Vec<(u32, u32)> = Vec::with_capacity(docs.len());
        for (d, s) in docs.iter().zip(sigs) {
            if let Some(s) = s {
                index.add(s);
                doc_of.push(*d);
            }
        }
        progress.finish();
        let article = |d: u32| {
            let (ai, ri) = doc_of[d as usize];
            let acc = &survey.accounts[ai as usize];
            (acc, &acc.articles[ri as usize])
        };
        let mut best: HashMap<u32, (u32, f64)> = HashMap::new();
        index.pairs(DUPLICATE_THRESHOLD, MAX_BUCKET, |x, y, sim| {
            let ((ax, a), (ay, b)) = (article(x), article(y));
            if ax.account.id == ay.account.id {
                return;
            }
            let (early, late) = if (a.published_at, x) <= (b.published_at, y) { (x, y) } else { (y, x) };
            if article(early).1.published_at == article(late).1.published_at {
                return; // same moment: neither copies the other
            }
            let e = best.entry(late).or_insert((early, sim));
            if article(early).1.published_at < article(e.0).1.published_at {
                *e = (early, sim);
            }
        });
        self.copies = best
            .into_iter()
            .map(|(late, (early, sim))| {
                let (acc, a) = article(early);
                (
                    article(late).1.url.clone(),
                    FirstPublisher {
                        account: acc.account.id.clone(),
                        account_name: acc.account.name.clone(),
                        url: a.url.clone(),
                        published_at: a.published_at,
                        similarity: sim,
                    },
                )
            })
            .collect();
        Ok(())
    }

    fn assess(&self, survey: &Survey, account: &AccountData) -> Outcome {
        let mut out = Assessment::default();
        let (mut n, mut flagged, mut original, mut reposts, mut copies, mut unattributed) =
            (0, 0, 0, 0, 0, 0);
        let mut with_body = 0;
        for a in survey.in_period(account) {
            n += 1;
            if let Some(o) = a.original {
                flagged += 1;
                original += usize::from(o);
            }
            let body = plain_text(a);
            with_body += usize::from(!body.trim().is_empty());
            let marked = is_marked_repost(a, &body);
            reposts += usize::from(marked);
            let Some(first) = self.copies.get(&a.url) else { continue };
            copies += 1;
            let names_source = body.contains(&first.account_name) && !first.account_name.is_empty();
            if marked || names_source {
                continue;
            }
            unattributed += 1;
            if unattributed > MAX_FINDINGS {
                continue;
            }
            let declared = a.original == Some(true);
            let msg = format!(
                "文章《{}》与{}“{}”{}发布的文章内容基本相同（相似度{:.0}%），{}",
                a.title,
                if declared { "更早由" } else { "" },
                first.account_name,
                govmedia_model::time::local_date(&first.published_at),
                first.similarity * 100.0,
                if declared { "却声明为原创" } else { "未注明来源" }
            );
            out.findings.push(
                Finding::new(
                    FindingCode::ContentDuplicate,
                    if declared { Severity::Major } else { Severity::Minor },
                    msg,
                )
                .with("url", a.url.clone())
                .with("first_url", first.url.clone())
                .with("first_account", first.account.clone())
                .with("first_published_at", first.published_at.to_rfc3339())
                .with("similarity", (first.similarity * 100.0).round() / 100.0),
            );
        }
        if n == 0 {
            return Outcome::NotEvaluated("统计期内没有文章，无法评估原创性".into());
        }
        let nf = n as f64;
        if with_body == 0 {
            let why =
                format!("统计期内{n}篇文章均无正文（订阅源、历史消息等来源只含标题），无法检测抄袭与同质化");
            for m in ["score", "homogeneity", "duplicates_unattributed"] {
                out.not_evaluated.insert(m.into(), why.clone());
            }
        } else {
            let bf = with_body as f64;
            let homogeneity = copies as f64 / bf;
            out.metrics
                .insert("score".into(), (1.0 - 0.5 * homogeneity - 0.5 * unattributed as f64 / bf).max(0.0));
            out.metrics.insert("homogeneity".into(), homogeneity);
            out.metrics.insert("duplicates_unattributed".into(), unattributed as f64);
        }
        out.stats.insert("articles_without_body".into(), (n - with_body).into());
        out.metrics.insert("repost_rate".into(), reposts as f64 / nf);
        if flagged == 0 {
            out.not_evaluated.insert("original_rate".into(), "文章数据未包含原创声明标记".into());
        } else {
            out.metrics.insert("original_rate".into(), original as f64 / flagged as f64);
        }
        out.stats.insert("articles_copying_others".into(), copies.into());
        out.stats.insert("duplicates_unattributed".into(), unattributed.into());
        if unattributed > MAX_FINDINGS {
            out.findings.push(
                Finding::new(
                    FindingCode::ContentDuplicate,
                    Severity::Info,
                    format!("另有{}篇转载未注明来源的文章未逐条列出", unattributed - MAX_FINDINGS),
                )
                .with("count", unattributed),
            );
        }
        Outcome::Evaluated(out)
    }
}

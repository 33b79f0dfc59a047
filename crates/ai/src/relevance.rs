//! Event relevance in bulk, for the timeliness check: does an article respond to a major event?
//!
//! The timeliness check finds candidate articles offline (period, keywords); the model then
//! confirms or rejects each candidate. Synchronous, like the checks that call it.

use std::sync::Arc;

use govmedia_model::{Article, Event};
use tokio::task::JoinSet;

use crate::text::article_text;
use crate::{AiError, Judge, Judgement, JudgementCache, Profile, RelevanceJudgement};

/// One judgement per (event, article) pair, in the order given. With `offline`, only cached
/// judgements are used and the rest fail without a call.
pub fn judge_relevance(
    profile: &Profile,
    cache: Arc<dyn JudgementCache>,
    pairs: &[(&Event, &Article)],
    offline: bool,
) -> Result<Vec<Judgement<RelevanceJudgement>>, AiError> {
    let judge = Judge::new(profile, cache)?;
    let judge = Arc::new(if offline { judge.cache_only() } else { judge });
    let items: Vec<(usize, Event, String, String)> = pairs
        .iter()
        .enumerate()
        .map(|(i, (e, a))| (i, (*e).clone(), a.title.clone(), article_text(a)))
        .collect();
    govmedia_checks::blocking::block_on(async move {
        let mut set = JoinSet::new();
        for (i, event, title, text) in items {
            let judge = judge.clone();
            set.spawn(async move { (i, judge.relevance(&event, &title, &text).await) });
        }
        let mut out: Vec<Option<Judgement<RelevanceJudgement>>> = (0..set.len()).map(|_| None).collect();
        while let Some(done) = set.join_next().await {
            let (i, j) = done.expect("judgement task does not panic");
            out[i] = Some(j);
        }
        out.into_iter().map(|j| j.expect("every pair judged")).collect()
    })
    .map_err(|e| AiError::Runtime(e.to_string()))
}

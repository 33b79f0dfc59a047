//! The classifier govmedia shipped before the labelled corpus: a multinomial naive Bayes over
//! the jieba words of the title, with hand-written cue words per category
//! (`lexicons/classify-keywords.toml`) as a prior. Kept as the baseline the linear model is
//! measured against (`examples/classify_corpus.rs`).

use std::collections::HashMap;

use super::corpus::{Item, cue_words};
use super::linear::K;
use crate::segment;

/// Additive smoothing, chosen with the cue words' weight by cross-validation on the 76
/// survey titles (α ∈ {0.1 … 5}, weight ∈ {0 … 40}).
const ALPHA: f64 = 2.0;

/// A trained naive Bayes model.
#[derive(Debug, Clone)]
pub struct NaiveBayes {
    log_prior: [f64; K],
    /// Per word, log P(word | class).
    log_lik: HashMap<String, [f64; K]>,
    /// log P(unseen word | class).
    log_unseen: [f64; K],
}

fn words(title: &str) -> Vec<String> {
    segment::words(title).into_iter().map(str::to_lowercase).collect()
}

impl NaiveBayes {
    /// Trains on `items` plus the shipped cue words.
    pub fn train(items: &[Item]) -> Self {
        let (cues, cue_weight) = cue_words();
        let mut counts: HashMap<String, [f64; K]> = HashMap::new();
        let mut totals = [0.0; K];
        let mut docs = [1.0; K];
        let mut add = |w: String, c: usize, n: f64| {
            counts.entry(w).or_insert([0.0; K])[c] += n;
            totals[c] += n;
        };
        for item in items {
            docs[item.category] += 1.0;
            for w in words(&item.title) {
                add(w, item.category, 1.0);
            }
        }
        for cue in &cues {
            for w in words(&cue.title) {
                add(w, cue.category, cue_weight);
            }
        }
        let v = counts.len() as f64;
        let n_docs: f64 = docs.iter().sum();
        let log_prior = std::array::from_fn(|c| (docs[c] / n_docs).ln());
        let log_unseen = std::array::from_fn(|c| (ALPHA / (totals[c] + ALPHA * v)).ln());
        let log_lik = counts
            .into_iter()
            .map(|(k, n)| (k, std::array::from_fn(|c| ((n[c] + ALPHA) / (totals[c] + ALPHA * v)).ln())))
            .collect();
        NaiveBayes { log_prior, log_lik, log_unseen }
    }

    /// The most probable category index of a title.
    pub fn predict(&self, title: &str) -> usize {
        let mut score = self.log_prior;
        for w in words(title) {
            let l = self.log_lik.get(&w).unwrap_or(&self.log_unseen);
            for c in 0..K {
                score[c] += l[c];
            }
        }
        (0..K).max_by(|a, b| score[*a].total_cmp(&score[*b])).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::CATEGORIES;

    #[test]
    fn cue_words_alone_decide_clear_titles() {
        let nb = NaiveBayes::train(&[]);
        assert_eq!(CATEGORIES[nb.predict("关于印发《城市更新实施办法》的通知")], "政策发布解读");
        assert_eq!(CATEGORIES[nb.predict("市长主持召开常务会议")], "新闻活动");
    }
}

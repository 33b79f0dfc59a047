//! Lexicon sentiment of comments (留言), for the negative-comment rate.
//!
//! A comment's score is the sum of its positive (+1) and negative (−1) cue words; a negation
//! (不, 没, 别, 未, 无) right before a cue flips it. A comment is negative when its score is
//! below zero. Cue words are in `lexicons/sentiment.toml` (hand-written, user-editable): the
//! language of complaints to government accounts (不作为, 踢皮球, 没人管 …) and of thanks.

use std::sync::LazyLock;

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};
use serde::Deserialize;

const SENTIMENT: &str = include_str!("../../../lexicons/sentiment.toml");

#[derive(Deserialize)]
struct SentimentFile {
    negative: Vec<String>,
    positive: Vec<String>,
    negations: Vec<String>,
}

struct Model {
    automaton: CharwiseDoubleArrayAhoCorasick<i32>,
    negations: Vec<String>,
}

static MODEL: LazyLock<Model> = LazyLock::new(|| {
    let f: SentimentFile = toml::from_str(SENTIMENT).expect("shipped sentiment lexicon parses");
    let mut pats: Vec<(String, i32)> = f.negative.iter().map(|w| (w.clone(), -1)).collect();
    for p in &f.positive {
        if !pats.iter().any(|(w, _)| w == p) {
            pats.push((p.clone(), 1));
        }
    }
    pats.sort();
    pats.dedup_by(|a, b| a.0 == b.0);
    let automaton = CharwiseDoubleArrayAhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .build_with_values(pats)
        .expect("sentiment automaton");
    Model { automaton, negations: f.negations }
});

/// Builds the sentiment model now (see [`crate::warm_up`]).
pub fn warm_up() {
    LazyLock::force(&MODEL);
}

/// The comment's polarity score (negative below zero).
pub fn score(text: &str) -> i32 {
    let m = &*MODEL;
    let mut s = 0;
    for hit in m.automaton.leftmost_find_iter(text) {
        let before = &text[..hit.start()];
        let negated = m.negations.iter().any(|n| before.ends_with(n.as_str()));
        s += if negated { -hit.value() } else { hit.value() };
    }
    s
}

/// True for a negative comment.
pub fn is_negative(text: &str) -> bool {
    score(text) < 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complaints_are_negative_and_thanks_are_not() {
        assert!(is_negative("反映了三次都没人管，就是在踢皮球"));
        assert!(is_negative("办事效率太低，很失望"));
        assert!(!is_negative("感谢及时回复，点赞！"));
        assert!(!is_negative("服务不差，很满意"));
        assert!(!is_negative("请问什么时候开始报名？"));
    }
}

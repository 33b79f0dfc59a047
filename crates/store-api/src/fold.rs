//! Republished copies: one article, not two.
//!
//! A government account that deletes a push and sends it again (same title, minutes later)
//! published one article. Both backends apply this rule the same way, so that importing the
//! same files gives the same articles whichever database holds them.

/// Copies of one article (same account, same title) published within this many seconds of
/// each other are one article.
pub const FOLD_WINDOW_SECS: i64 = 30 * 60;

/// What happened to an article handed to a writer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArticleOutcome {
    /// Inserted or updated under its URL.
    Stored,
    /// Stored, replacing older republished copies (their URLs).
    Replaced(Vec<String>),
    /// Not stored: a copy published at the same time or later is already there (its URL).
    Folded(String),
}

/// Decides the fate of an article published at `published_at` (Unix seconds), given its
/// twins: stored articles of the same account and title, other URLs, within
/// [`FOLD_WINDOW_SECS`] of it. The newest copy wins; when a twin is at least as new, the article
/// folds into the newest twin (ties by URL); otherwise it replaces all its twins.
pub fn decide(published_at: i64, twins: &[(String, i64)]) -> ArticleOutcome {
    let newest =
        twins.iter().filter(|(_, t)| *t >= published_at).max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
    if let Some((url, _)) = newest {
        return ArticleOutcome::Folded(url.clone());
    }
    if twins.is_empty() {
        ArticleOutcome::Stored
    } else {
        let mut urls: Vec<String> = twins.iter().map(|t| t.0.clone()).collect();
        urls.sort();
        ArticleOutcome::Replaced(urls)
    }
}

/// Whether two publish times are close enough for the copies to be one article.
pub fn within_window(a: i64, b: i64) -> bool {
    (a - b).abs() <= FOLD_WINDOW_SECS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_copy_wins() {
        assert_eq!(decide(100, &[]), ArticleOutcome::Stored);
        let older = [("b".to_owned(), 50), ("a".to_owned(), 60)];
        assert_eq!(decide(100, &older), ArticleOutcome::Replaced(vec!["a".into(), "b".into()]));
        let newer = [("b".to_owned(), 200), ("a".to_owned(), 200), ("c".to_owned(), 150)];
        assert_eq!(decide(100, &newer), ArticleOutcome::Folded("a".into()));
        assert_eq!(decide(100, &[("x".to_owned(), 100)]), ArticleOutcome::Folded("x".into()));
        assert!(within_window(0, FOLD_WINDOW_SECS) && !within_window(0, FOLD_WINDOW_SECS + 1));
    }
}

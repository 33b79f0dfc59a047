//! Articles made ready to store: personal data masked, JSON written.

use govmedia_model::Article;
use govmedia_pii::MaskCounts;

/// An article made ready to store: comment and reply texts masked, its JSON written. Building
/// one needs no database, so an importer can prepare articles on another thread than the one
/// that writes them. Raw comment text never outlives [`PreparedArticle::new`].
#[derive(Debug, Clone)]
pub struct PreparedArticle {
    /// The article without its comments (they are in `comments`, masked).
    pub article: Article,
    /// `article` as JSON: the `data` column.
    pub data: String,
    pub comments: Vec<MaskedComment>,
}

/// A comment whose text and reply were masked.
#[derive(Debug, Clone)]
pub struct MaskedComment {
    pub id: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
    pub text: String,
    pub likes: Option<i64>,
    pub featured: Option<bool>,
    /// Reply text and time (Unix seconds).
    pub reply: Option<(String, i64)>,
    /// What masking replaced in this comment and its reply.
    pub counts: MaskCounts,
}

impl PreparedArticle {
    pub fn new(mut article: Article) -> Self {
        let comments = std::mem::take(&mut article.comments)
            .into_iter()
            .map(|c| {
                let (text, mut counts) = govmedia_pii::mask(&c.text);
                let reply = c.reply.map(|r| {
                    let (t, n) = govmedia_pii::mask(&r.text);
                    counts += n;
                    (t, r.created_at.timestamp())
                });
                MaskedComment {
                    id: c.id,
                    created_at: c.created_at.timestamp(),
                    text,
                    likes: c.likes.map(|v| i64::try_from(v).unwrap_or(i64::MAX)),
                    featured: c.featured,
                    reply,
                    counts,
                }
            })
            .collect();
        let data = serde_json::to_string(&article).expect("articles serialise");
        PreparedArticle { article, data, comments }
    }

    /// The account key the article names (an account id or a `__biz`).
    pub fn account(&self) -> &str {
        &self.article.account
    }

    /// Files the article under the account `id` (when it named the account by `__biz`).
    pub fn set_account(&mut self, id: String) {
        if self.article.account != id {
            self.article.account = id;
            self.data = serde_json::to_string(&self.article).expect("articles serialise");
        }
    }

    /// What masking replaced in all comments.
    pub fn masked(&self) -> MaskCounts {
        let mut m = MaskCounts::default();
        for c in &self.comments {
            m += c.counts;
        }
        m
    }
}

impl From<Article> for PreparedArticle {
    fn from(a: Article) -> Self {
        PreparedArticle::new(a)
    }
}

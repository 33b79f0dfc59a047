//! Articles, their counters and their public comments.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{FieldError, Timestamp};

/// Reads as the platform shows them. Above 100,000 the public page says "10万+": that is
/// stored as 100001 with `capped` set, so sums stay usable and the cap stays visible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reads {
    pub value: u64,
    pub capped: bool,
}

impl Reads {
    /// The stored value of a "10万+" reading.
    pub const CAPPED_VALUE: u64 = 100_001;

    pub fn exact(value: u64) -> Self {
        Reads { value, capped: false }
    }

    pub fn capped() -> Self {
        Reads { value: Self::CAPPED_VALUE, capped: true }
    }

    /// Parses `12345`, `"12345"`, `"10万+"` or `"100000+"`.
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let t = s.trim();
        if t == "10万+" || t == "100000+" || t == "10w+" {
            return Ok(Reads::capped());
        }
        let v = t
            .parse::<u64>()
            .map_err(|_| FieldError::new("reads", format!("无效阅读数“{s}”（应为非负整数或“10万+”）")))?;
        crate::serde_util::check_count("reads", v).map(Reads::exact)
    }
}

impl Serialize for Reads {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.capped { s.serialize_str("10万+") } else { s.serialize_u64(self.value) }
    }
}

impl<'de> Deserialize<'de> for Reads {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(u64),
            Str(String),
        }
        match Raw::deserialize(d)? {
            Raw::Int(v) => crate::serde_util::check_count("reads", v)
                .map(Reads::exact)
                .map_err(|e| serde::de::Error::custom(e.reason)),
            Raw::Str(s) => Reads::parse(&s).map_err(|e| serde::de::Error::custom(e.reason)),
        }
    }
}

/// Media in an article body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Media {
    #[serde(default)]
    pub images: u32,
    #[serde(default)]
    pub videos: u32,
    #[serde(default)]
    pub audios: u32,
}

/// The account's reply to a comment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    pub text: String,
    #[serde(with = "crate::time::flexible")]
    pub created_at: Timestamp,
}

/// A public comment (留言). Its text is stored only after personal data has been masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub text: String,
    #[serde(with = "crate::time::flexible")]
    pub created_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::serde_util::count")]
    pub likes: Option<u64>,
    /// 精选: shown publicly by the account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub featured: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<Reply>,
}

/// One article of one push (or one 发表).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// The account id.
    pub account: String,
    /// Unique per article.
    pub url: String,
    pub title: String,
    #[serde(with = "crate::time::flexible")]
    pub published_at: Timestamp,
    /// 1 = headline (头条).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<u32>,
    /// Declared 原创.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// The "来源" of a repost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Plain-text body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Raw HTML body, when that is what the collector kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_html: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<Media>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reads: Option<Reads>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub likes: Option<u64>,
    /// 在看
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wows: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shares: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub favorites: Option<u64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<Comment>,
    /// The number of comments the platform shows (a Weibo post's 评论数), when the comments
    /// themselves were not collected.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::serde_util::count")]
    pub comment_count: Option<u64>,
    /// Whether the collector gathered this article's comments: `false` for sources that carry
    /// none (RSS/Atom feeds, the history API, saved pages), so that no comment is not read as
    /// "nobody commented"; unset when the dataset does not say (see [`Article::comments_known`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments_collected: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<bool>,
    /// Why the article is gone, when a notice page said so (作者已删除, 内容违规 …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_reason: Option<String>,
    /// Links found in the body.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<String>,
    /// Fields the contract does not name are kept, not rejected.
    #[serde(flatten, deserialize_with = "crate::serde_util::unique_keys")]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Article {
    /// A minimal article; everything optional is unset.
    pub fn new(
        account: impl Into<String>,
        url: impl Into<String>,
        title: impl Into<String>,
        published_at: Timestamp,
    ) -> Self {
        Article {
            account: account.into(),
            url: url.into(),
            title: title.into(),
            published_at,
            position: None,
            original: None,
            author: None,
            digest: None,
            source: None,
            content: None,
            content_html: None,
            media: None,
            reads: None,
            likes: None,
            wows: None,
            shares: None,
            favorites: None,
            comments: Vec::new(),
            comment_count: None,
            comments_collected: None,
            deleted: None,
            deleted_reason: None,
            links: Vec::new(),
            extra: serde_json::Map::new(),
        }
    }

    /// Whether this article's comments were collected: yes when it has any, else what the
    /// collector declared (`comments_collected`), else `dataset_has_comments`: a dataset that
    /// holds comments somewhere collected them, and an article without is one nobody
    /// commented on.
    pub fn comments_known(&self, dataset_has_comments: bool) -> bool {
        !self.comments.is_empty() || self.comments_collected.unwrap_or(dataset_has_comments)
    }

    /// True for the headline (position 1) or when the position is unknown and the article
    /// stands alone.
    pub fn is_headline(&self) -> bool {
        self.position.is_none_or(|p| p == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_reads() {
        let a: Reads = serde_json::from_str("\"10万+\"").unwrap();
        assert_eq!(a, Reads { value: 100_001, capped: true });
        let b: Reads = serde_json::from_str("523").unwrap();
        assert_eq!(b, Reads::exact(523));
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"10万+\"");
        assert!(Reads::parse("many").is_err());
    }
}

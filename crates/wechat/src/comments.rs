//! Public comments (留言) of an article from `comment/list`.
//!
//! Comment texts hold personal data until the store masks them: they are never logged, and
//! the commenter's `openid` is not kept at all.

use govmedia_model::{Comment, Reply};
use serde_json::{Value, json};

use crate::fields::{count, int, list, text, unix_time};
use crate::{Client, Credentials, Endpoint, WechatError};

/// The most comments one call may ask for (the platform refuses 50 and more).
const PAGE: u64 = 49;

/// Comments read and comments left out.
#[derive(Debug, Clone, PartialEq)]
pub struct CommentList {
    pub comments: Vec<Comment>,
    /// The total the platform announced.
    pub total: u64,
    /// Entries without a readable time or text, left out.
    pub unreadable: usize,
}

impl Client {
    /// Every comment, featured or not (`type` 0), of the article at `index` (counted from 0)
    /// of the push `msg_data_id`. The `like` count is not part of this endpoint's answer, so
    /// `likes` stays unset; `featured` is its `comment_type`.
    pub async fn comments(
        &self,
        creds: &Credentials,
        msg_data_id: u64,
        index: u32,
    ) -> Result<CommentList, WechatError> {
        let mut out = CommentList { comments: Vec::new(), total: 0, unreadable: 0 };
        let mut begin = 0;
        loop {
            let body =
                json!({"msg_data_id": msg_data_id, "index": index, "begin": begin, "count": PAGE, "type": 0});
            let page = self.call(creds, Endpoint::CommentList, Some(&body)).await?;
            out.total = count(&page, "total").unwrap_or(0);
            let entries = list(&page, "comment");
            for entry in entries {
                match comment_of(entry) {
                    Some(c) => out.comments.push(c),
                    None => out.unreadable += 1,
                }
            }
            begin += entries.len() as u64;
            if entries.is_empty() || begin >= out.total {
                return Ok(out);
            }
        }
    }
}

fn comment_of(v: &Value) -> Option<Comment> {
    let reply = v
        .get("reply")
        .and_then(|r| Some(Reply { text: text(r, "content")?, created_at: unix_time(r, "create_time")? }));
    Some(Comment {
        id: int(v, "user_comment_id").map(|n| n.to_string()),
        text: text(v, "content")?,
        created_at: unix_time(v, "create_time")?,
        likes: None,
        featured: int(v, "comment_type").map(|t| t == 1),
        reply,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_replies_and_unreadable_entries() {
        let c = comment_of(&json!({
            "user_comment_id": 17, "openid": "o-secret-user", "create_time": 1762000000, "content": "请问何时办理？",
            "comment_type": 1, "reply": {"content": "工作日均可办理。", "create_time": 1762003600}
        }))
        .unwrap();
        assert_eq!(
            (c.id.as_deref(), c.text.as_str(), c.featured),
            (Some("17"), "请问何时办理？", Some(true))
        );
        assert_eq!(c.reply.unwrap().text, "工作日均可办理。");
        let bare = comment_of(&json!({"user_comment_id": 18, "create_time": 1762000000, "content": "好", "comment_type": 0, "reply": {}})).unwrap();
        assert_eq!((bare.featured, bare.reply), (Some(false), None));
        assert!(comment_of(&json!({"content": "没有时间"})).is_none());
    }
}

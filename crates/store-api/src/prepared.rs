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
    /// `article` as JSON without its bodies (`content`, `content_html`): the `data` column of
    /// a store that keeps the bodies apart (SQLite), written here with `data` so that the
    /// store's writer does not serialise the article again.
    pub data_without_bodies: String,
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
        let (data, data_without_bodies) = article_json(&mut article);
        PreparedArticle { article, data, data_without_bodies, comments }
    }

    /// The account key the article names (an account id or a `__biz`).
    pub fn account(&self) -> &str {
        &self.article.account
    }

    /// Files the article under the account `id` (when it named the account by `__biz`).
    pub fn set_account(&mut self, id: String) {
        if self.article.account != id {
            self.article.account = id;
            (self.data, self.data_without_bodies) = article_json(&mut self.article);
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

/// `article` as JSON, with and without its bodies. The bodies are most of its bytes and are
/// written last, by [`push_json_str`]: serde_json escapes strings byte by byte, which was a
/// fifth of an import.
fn article_json(article: &mut Article) -> (String, String) {
    let bodies = [("content", article.content.take()), ("content_html", article.content_html.take())];
    let without_bodies = serde_json::to_string(&*article).expect("articles serialise");
    let body_bytes: usize = bodies.iter().filter_map(|(_, b)| b.as_ref()).map(|b| b.len() + 20).sum();
    let mut json = String::with_capacity(without_bodies.len() + body_bytes);
    json.push_str(&without_bodies[..without_bodies.len() - 1]); // without the closing brace
    for (key, body) in &bodies {
        if let Some(body) = body {
            json.push_str(",\"");
            json.push_str(key);
            json.push_str("\":");
            push_json_str(&mut json, body);
        }
    }
    json.push('}');
    let [(_, content), (_, html)] = bodies;
    article.content = content;
    article.content_html = html;
    (json, without_bodies)
}

/// Appends `s` as a JSON string, byte for byte as serde_json writes it, but skipping eight
/// bytes at a time while none of them needs an escape.
fn push_json_str(out: &mut String, s: &str) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Whether any byte of `w` is below `n` (n ≤ 128), or equal to a quote or a backslash.
    let below = |w: u64, n: u8| w.wrapping_sub(ONES * u64::from(n)) & !w & HIGH != 0;
    let special = |w: u64| {
        below(w, 0x20) || below(w ^ (ONES * u64::from(b'"')), 1) || below(w ^ (ONES * u64::from(b'\\')), 1)
    };
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push('"');
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8)
            && !special(u64::from_le_bytes(chunk.try_into().expect("eight bytes")))
        {
            i += 8;
            continue;
        }
        let escape = match bytes[i] {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..0x20 => "",
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            let b = bytes[i];
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(escape);
        }
        i += 1;
        start = i;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

impl From<Article> for PreparedArticle {
    fn from(a: Article) -> Self {
        PreparedArticle::new(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        let mut cases: Vec<String> = (0u8..0x80).map(|b| format!("前{}后", char::from(b))).collect();
        cases.push(String::new());
        cases.push("政务公开\"办事服务\"\\互动交流\n\u{7f}\u{2028}😀".repeat(7));
        cases.push("\u{1}abcdefgh\u{1f}".into());
        for s in cases {
            let mut ours = String::new();
            push_json_str(&mut ours, &s);
            assert_eq!(ours, serde_json::to_string(&s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn an_article_reads_back_the_same() {
        let mut a: Article = serde_json::from_str(
            r#"{"account":"gh_1","url":"https://mp.weixin.qq.com/s/x","title":"标题","published_at":"2025-03-01 08:00",
                "content":"正文\"引号\"\n第二段","content_html":"<p>正文</p>","likes":3}"#,
        )
        .unwrap();
        let (data, without_bodies) = article_json(&mut a);
        let back: Article = serde_json::from_str(&data).unwrap();
        assert_eq!(back, a);
        let bare: Article = serde_json::from_str(&without_bodies).unwrap();
        assert_eq!(bare, Article { content: None, content_html: None, ..a.clone() });
        a.content_html = None;
        let (data, without_bodies) = article_json(&mut a);
        let back: Article = serde_json::from_str(&data).unwrap();
        assert_eq!(back, a);
        assert!(!without_bodies.contains("content"), "{without_bodies}");
        a.content = None;
        assert_eq!(article_json(&mut a), (without_bodies.clone(), without_bodies));
    }
}

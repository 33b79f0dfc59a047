//! The notice pages mp.weixin.qq.com serves with HTTP 200 instead of an article.
//!
//! Every sample notice page puts its message in one element: the `weui-msg__title` heading
//! (deleted, violation, expired) or, for "该内容暂时无法查看", the page `<title>`. Matching
//! only the text of those elements keeps an article that merely *quotes* a notice sentence
//! in its body from being taken for a notice.

/// Why an article page shows a notice instead of the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Notice {
    /// 该内容已被发布者删除
    DeletedByAuthor,
    /// 此内容因违规无法查看 (taken down after complaints / review)
    Violation,
    /// 该内容暂时无法查看
    Unavailable,
    /// 链接已过期 (a temporary link that is no longer valid)
    Expired,
}

impl Notice {
    /// The reason stored in `Article::deleted_reason`.
    pub fn reason_zh(&self) -> &'static str {
        match self {
            Notice::DeletedByAuthor => "作者已删除",
            Notice::Violation => "内容违规",
            Notice::Unavailable => "该内容暂时无法查看",
            Notice::Expired => "链接已过期",
        }
    }

    /// Classifies a notice message (Chinese or the English UI variant).
    fn from_message(msg: &str) -> Option<Notice> {
        let lower = msg.to_ascii_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| msg.contains(w) || lower.contains(w));
        if has(&["删除", "deleted"]) {
            Some(Notice::DeletedByAuthor)
        } else if has(&["违规", "违反", "投诉", "violat", "complain", "blocked"]) {
            Some(Notice::Violation)
        } else if has(&["过期", "expired"]) {
            Some(Notice::Expired)
        } else if has(&["暂时无法查看", "无法查看", "unavailable", "cannot be viewed", "can't be viewed"])
        {
            Some(Notice::Unavailable)
        } else {
            None
        }
    }
}

/// The class every sample notice page gives its message heading.
const MSG_TITLE_CLASS: &str = "weui-msg__title";

/// Recognises a WeChat notice page. Cheap: a substring search for the notice heading class
/// and a look at the first `<title>`; no HTML parsing. Returns `None` for articles, about
/// pages and anything else.
pub fn classify_notice(html: &str) -> Option<Notice> {
    let notice = find_notice(html)?;
    // No sample notice page has an article body; a page with one is an article whose UI
    // happens to use the heading class (checked only after a match, so articles pay nothing).
    (!html.contains("id=\"js_content\"")).then_some(notice)
}

fn find_notice(html: &str) -> Option<Notice> {
    if let Some(n) = first_title(html).and_then(notice_title) {
        return Some(n);
    }
    let mut rest = html;
    while let Some(at) = rest.find(MSG_TITLE_CLASS) {
        let after = &rest[at + MSG_TITLE_CLASS.len()..];
        // Only the class attribute of an element counts, not a CSS rule `.weui-msg__title{`.
        let in_tag =
            after.find('>').is_some_and(|gt| !after[..gt].contains('<') && !after[..gt].contains('{'));
        if in_tag {
            let gt = after.find('>').unwrap_or(0);
            let text = element_text(&after[gt + 1..]);
            if let Some(n) = Notice::from_message(text) {
                return Some(n);
            }
        }
        rest = after;
    }
    None
}

/// A page whose own `<title>` is a notice sentence (the "暂时无法查看" page has no heading).
fn notice_title(title: &str) -> Option<Notice> {
    let t = title.trim();
    if t.is_empty() || t.chars().count() > 30 {
        return None;
    }
    match Notice::from_message(t) {
        Some(Notice::Unavailable) if t.contains("该内容") || t.to_ascii_lowercase().contains("content") => {
            Some(Notice::Unavailable)
        }
        _ => None,
    }
}

/// The text of the first `<title>` element, looked for only in the document head.
fn first_title(html: &str) -> Option<&str> {
    let head = &html[..floor_char_boundary(html, 64 * 1024)];
    let start = head.find("<title")?;
    let open_end = start + head[start..].find('>')? + 1;
    let close = open_end + head[open_end..].find("</title")?;
    Some(&head[open_end..close])
}

/// The text up to the next tag, capped: a notice message is one short line.
fn element_text(s: &str) -> &str {
    let end = s.find('<').unwrap_or(s.len());
    let end = floor_char_boundary(s, end.min(300));
    s[..end].trim()
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_and_titles() {
        let deleted = r#"<div class="weui-msg__title warn">该内容已被发布者删除</div>"#;
        assert_eq!(classify_notice(deleted), Some(Notice::DeletedByAuthor));
        let en = r#"<div class="weui-msg__title warn">The content has been deleted by the author.</div>"#;
        assert_eq!(classify_notice(en), Some(Notice::DeletedByAuthor));
        let violation = "<h2 class='weui-msg__title title'>\n  此内容因违规无法查看\n</h2>";
        assert_eq!(classify_notice(violation), Some(Notice::Violation));
        let expired = "<h2 class=\"weui-msg__title\">\n链接已过期 \n</h2>";
        assert_eq!(classify_notice(expired), Some(Notice::Expired));
        let unavailable =
            "<html><head><title>该内容暂时无法查看</title></head><body><p>该内容暂时无法查看</p>";
        assert_eq!(classify_notice(unavailable), Some(Notice::Unavailable));
    }

    #[test]
    fn articles_quoting_notices_are_not_notices() {
        let css = ".weui-msg__title{font-size:20px} 该内容已被发布者删除";
        assert_eq!(classify_notice(css), None);
        let body =
            "<title>普通文章</title><div id=\"js_content\"><p>链接已过期、此内容因违规无法查看</p></div>";
        assert_eq!(classify_notice(body), None);
        assert_eq!(classify_notice(""), None);
        assert_eq!(classify_notice("<title>关于公众号</title>"), None);
        let with_body =
            r#"<div class="weui-msg__title">确认删除？</div><div id="js_content"><p>正文</p></div>"#;
        assert_eq!(classify_notice(with_body), None);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in
            ["<title", "<title>", "weui-msg__title", "weui-msg__title>", "<title>é", "weui-msg__title\">é"]
        {
            let _ = classify_notice(s);
        }
        assert_eq!(Notice::Violation.reason_zh(), "内容违规");
    }
}

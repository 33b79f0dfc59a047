//! The plain text of an article body.

use std::borrow::Cow;

use govmedia_model::Article;

/// The plain-text body: `content`, else `content_html` with tags and entities removed.
pub fn plain_text(a: &Article) -> Cow<'_, str> {
    if let Some(c) = &a.content {
        return Cow::Borrowed(c);
    }
    match &a.content_html {
        Some(h) => Cow::Owned(strip_html(h)),
        None => Cow::Borrowed(""),
    }
}

/// The article has a body to judge, not only a title (feeds and history-API imports often
/// carry titles only).
pub fn has_body(a: &Article) -> bool {
    !plain_text(a).trim().is_empty()
}

/// Removes tags, scripts and styles, decodes the common entities, and turns block ends into
/// line breaks (sentence boundaries for the lexicon engine).
pub fn strip_html(h: &str) -> String {
    let mut out = String::with_capacity(h.len() / 2);
    let mut rest = h;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        let lower: String = rest.chars().take(8).collect::<String>().to_ascii_lowercase();
        let skip_to = if lower.starts_with("<script") {
            "</script>"
        } else if lower.starts_with("<style") {
            "</style>"
        } else {
            ">"
        };
        let tag_end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..tag_end];
        if ["<p", "</p", "<br", "<div", "</div", "<section", "</section", "<li", "<h"]
            .iter()
            .any(|t| tag.starts_with(t))
        {
            out.push('\n');
        }
        let found = rest.find(skip_to).or_else(|| rest.find(&skip_to.to_ascii_uppercase()));
        match found {
            Some(i) => rest = &rest[i + skip_to.len()..],
            None => rest = "",
        }
    }
    out.push_str(rest);
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tags_and_scripts() {
        let h = "<section><p>第一段&nbsp;内容</p><script>var a='<p>';</script><p>第二段</p></section>";
        assert_eq!(strip_html(h).split_whitespace().collect::<Vec<_>>(), ["第一段", "内容", "第二段"]);
    }
}

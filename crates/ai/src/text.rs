//! The text of an article as sent to a model.

use govmedia_model::Article;

/// The plain-text body, or the HTML body without tags; empty when neither is there.
pub fn article_text(a: &Article) -> String {
    if let Some(c) = a.content.as_deref().filter(|c| !c.trim().is_empty()) {
        return c.trim().to_owned();
    }
    a.content_html.as_deref().map(strip_html).unwrap_or_default()
}

/// Drops tags, scripts and styles, decodes the common entities and collapses blank runs.
/// Good enough to show a model what a reader reads; not an HTML parser.
pub fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let tag = &rest[i..];
        let lower: String = tag.chars().take(8).collect::<String>().to_ascii_lowercase();
        let skip_to = ["script", "style"]
            .iter()
            .find(|t| lower.starts_with(&format!("<{t}")))
            .and_then(|t| tag.to_ascii_lowercase().find(&format!("</{t}>")).map(|j| j + t.len() + 3));
        let end = skip_to.or_else(|| tag.find('>').map(|j| j + 1)).unwrap_or(tag.len());
        let name = lower.trim_start_matches(['<', '/']);
        if ["p", "br", "div", "li", "h1", "h2", "h3", "h4", "section", "tr"]
            .iter()
            .any(|b| name.starts_with(b) && !name[b.len()..].starts_with(|c: char| c.is_ascii_alphanumeric()))
        {
            out.push('\n');
        }
        rest = &tag[end..];
    }
    out.push_str(rest);
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tags_scripts_and_entities() {
        let html = "<div id=\"js_content\"><p>第一段&nbsp;内容</p><script>var a='<p>x</p>';</script><p>A&amp;B</p><br/>尾</div>";
        assert_eq!(strip_html(html), "第一段 内容\nA&B\n尾");
        assert_eq!(strip_html("无标签"), "无标签");
        assert_eq!(strip_html("<b>粗</b><bad"), "粗");
    }

    #[test]
    fn prefers_plain_content() {
        let ts = "2025-01-01T08:00:00+08:00".parse().unwrap();
        let mut a = Article::new("acc", "https://u", "标题", ts);
        assert_eq!(article_text(&a), "");
        a.content_html = Some("<p>HTML 正文</p>".into());
        assert_eq!(article_text(&a), "HTML 正文");
        a.content = Some(" 纯文本 ".into());
        assert_eq!(article_text(&a), "纯文本");
    }
}

//! Small text helpers shared by the feed, history and page readers.

use std::borrow::Cow;

/// Decodes HTML character references (`&amp;`, `&#39;`, `&#x4e2d;`, `&nbsp;` …). Unknown
/// or malformed references are kept as written.
pub(crate) fn html_unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        match decode_reference(tail) {
            Some((c, used)) => {
                out.push(c);
                rest = &tail[used..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// One reference at the start of `s` (which starts with `&`): the character and the bytes used.
fn decode_reference(s: &str) -> Option<(char, usize)> {
    let end = s[1..].find(';').filter(|&e| e <= 10)? + 1;
    let name = &s[1..end];
    let c = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        char::from_u32(code)?
    } else {
        match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            "yen" => '¥',
            "middot" => '·',
            "hellip" => '…',
            "mdash" => '—',
            "ldquo" => '“',
            "rdquo" => '”',
            "lsquo" => '‘',
            "rsquo" => '’',
            "copy" => '©',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

/// Collapses runs of whitespace within lines and drops blank lines; trims the result.
pub(crate) fn tidy_lines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.lines() {
        let mut words = line.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()).peekable();
        if words.peek().is_none() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        let mut first = true;
        for w in words {
            if !first {
                out.push(' ');
            }
            out.push_str(w);
            first = false;
        }
    }
    out
}

/// The `__biz` query parameter of a WeChat URL, if any.
pub(crate) fn biz_of_url(url: &str) -> Option<&str> {
    let at = url.find("__biz=")? + "__biz=".len();
    let v = &url[at..];
    let end = v.find(['&', '#', '"', '\'', ' ']).unwrap_or(v.len());
    let biz = &v[..end];
    is_biz(biz).then_some(biz)
}

/// A plausible `__biz`: the base64 of an account number.
pub(crate) fn is_biz(s: &str) -> bool {
    biz_number(s).is_some()
}

/// The account number a `__biz` encodes (`MjM5MDA2MDMwMA==` → 2390060300): a `__biz` is the
/// standard base64 of the decimal number, which tells it apart from any other file name.
pub(crate) fn biz_number(s: &str) -> Option<u64> {
    let body = s.trim_end_matches('=');
    if body.is_empty() || body.len() > 32 || s.len() - body.len() > 2 {
        return None;
    }
    let mut bits: u32 = 0;
    let mut nbits = 0;
    let mut digits = String::new();
    for b in body.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            let byte = (bits >> nbits) as u8;
            bits &= (1 << nbits) - 1;
            if !byte.is_ascii_digit() {
                return None;
            }
            digits.push(char::from(byte));
        }
    }
    digits.parse().ok()
}

/// Elements whose text is never part of the readable body.
const HIDDEN: [&str; 6] = ["script", "style", "noscript", "template", "head", "title"];

/// Elements that start a new line in the plain text.
const BLOCKS: [&str; 22] = [
    "p",
    "div",
    "br",
    "section",
    "article",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "blockquote",
    "pre",
    "table",
    "figure",
    "figcaption",
    "hr",
    "header",
];

/// Plain text of an HTML element: scripts and styles dropped, blocks on their own lines.
/// Iterative, so deeply nested input cannot exhaust the stack.
pub(crate) fn element_text(root: scraper::ElementRef<'_>) -> String {
    use ego_tree::iter::Edge;
    let mut raw = String::new();
    let mut hidden_depth = 0usize;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                scraper::Node::Element(e) => {
                    let name = e.name();
                    if hidden_depth > 0 || HIDDEN.contains(&name) {
                        hidden_depth += 1;
                    } else if BLOCKS.contains(&name) {
                        raw.push('\n');
                    }
                }
                scraper::Node::Text(t) if hidden_depth == 0 => raw.push_str(t),
                _ => {}
            },
            Edge::Close(node) => {
                if let scraper::Node::Element(e) = node.value() {
                    if hidden_depth > 0 {
                        hidden_depth -= 1;
                    } else if BLOCKS.contains(&e.name()) {
                        raw.push('\n');
                    }
                }
            }
        }
    }
    tidy_lines(&raw.replace('\u{a0}', " "))
}

/// Plain text of an HTML fragment (a feed description). Text without markup is returned
/// tidied, without building a tree.
pub(crate) fn html_to_text(fragment: &str) -> String {
    if !fragment.contains('<') {
        return tidy_lines(&html_unescape(fragment).replace('\u{a0}', " "));
    }
    let doc = scraper::Html::parse_fragment(fragment);
    element_text(doc.root_element())
}

/// The UTF-8 text of a file, or a Chinese reason.
pub(crate) fn utf8<'a>(path: &std::path::Path, bytes: &'a [u8]) -> Result<&'a str, crate::RecordError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        crate::RecordError::file(path, format!("不是 UTF-8 编码的文本（第 {} 字节处无效）", e.valid_up_to()))
    })
}

/// The file stem as an account id, or a Chinese reason.
pub(crate) fn account_id_of(path: &std::path::Path) -> Result<String, crate::RecordError> {
    path.file_stem()
        .and_then(|s| s.to_str())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| crate::RecordError::file(path, "无法从文件名得到账号标识（文件名应为账号 id）"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescape() {
        assert_eq!(html_unescape("a&amp;b&lt;&#39;&#x4e2d;&quot;"), "a&b<'中\"");
        assert_eq!(html_unescape("AT&T & co &unknown; &#xZZ; &"), "AT&T & co &unknown; &#xZZ; &");
        assert_eq!(html_unescape("&#1114112;"), "&#1114112;");
    }

    #[test]
    fn tidy() {
        assert_eq!(tidy_lines("  a \t b \n\n \n c  "), "a b\nc");
    }

    #[test]
    fn text_of_html() {
        assert_eq!(
            html_to_text("<p>一</p><p>二 <b>三</b></p><script>x()</script><style>p{}</style>"),
            "一\n二 三"
        );
        assert_eq!(html_to_text("a &amp; b"), "a & b");
        let deep = "<div>".repeat(5_000);
        assert_eq!(html_to_text(&format!("{deep}深")), "深");
    }

    #[test]
    fn biz() {
        assert_eq!(biz_number("MjM5MDA2MDMwMA=="), Some(2390060300));
        assert_eq!(biz_number("Njk5MTE1"), Some(699115));
        assert_eq!(biz_number("shanghai"), None);
        assert_eq!(biz_number("深圳"), None);
        assert_eq!(biz_of_url("http://mp.weixin.qq.com/s?__biz=Njk5MTE1&mid=1"), Some("Njk5MTE1"));
        assert_eq!(biz_of_url("https://x/?__biz=MjM5==#r"), Some("MjM5=="));
        assert_eq!(biz_of_url("https://x/?__biz="), None);
    }
}

//! Values the article page's inline scripts assign (`var ct = "…"`, `d.title = xml ? … : '…'`,
//! `like_count: '1' * 1`). WeChat renders the page's facts into these scripts; reading them
//! as text is both cheaper and more stable across layouts than executing or parsing the JS.

use crate::text::html_unescape;

/// Longest right-hand side read for one assignment; bodies (`content_noencode`) are long.
const MAX_RHS: usize = 1 << 20;

/// The first non-empty string any of `anchors` (e.g. `"var ct = "`) assigns. JS escapes
/// and HTML references in the literal are decoded. Literals passed to `getXmlValue(…)`
/// are field paths, not values, and are skipped.
pub(crate) fn js_string(html: &str, anchors: &[&str]) -> Option<String> {
    for anchor in anchors {
        let mut from = 0;
        while let Some(at) = html[from..].find(anchor) {
            let start = from + at + anchor.len();
            from = start;
            if !boundary_before(html, start - anchor.len()) {
                continue;
            }
            if let Some(v) = first_literal(statement(&html[start..]))
                && !v.trim().is_empty()
            {
                return Some(html_unescape(v.trim()).into_owned());
            }
        }
    }
    None
}

/// The first non-empty number assigned to `key` in `key: '12' * 1`, `key = "12"` or
/// `key: 12` form. Keys that merely end in `key` (`old_like_count` for `like_count`) do
/// not count.
pub(crate) fn js_count(html: &str, key: &str) -> Option<u64> {
    let mut from = 0;
    while let Some(at) = html[from..].find(key) {
        let start = from + at;
        from = start + key.len();
        if !boundary_before(html, start) {
            continue;
        }
        let rest = html[from..].trim_start_matches([' ', '\t']);
        let Some(rest) = rest.strip_prefix([':', '=']) else { continue };
        let rest = rest.trim_start_matches([' ', '\t']);
        let rest = rest.strip_prefix(['\'', '"']).unwrap_or(rest);
        let digits: &str = &rest[..rest.bytes().take_while(u8::is_ascii_digit).count()];
        if let Ok(n) = digits.parse() {
            return Some(n);
        }
    }
    None
}

/// True when the byte before `at` cannot continue an identifier (so `biz` ≠ `window.xbiz`).
fn boundary_before(html: &str, at: usize) -> bool {
    at == 0 || !html.as_bytes()[at - 1].is_ascii_alphanumeric() && html.as_bytes()[at - 1] != b'_'
}

/// The right-hand side up to the end of the statement (`;` or newline outside a string).
fn statement(s: &str) -> &str {
    let bytes = s.as_bytes();
    let mut quote = None;
    let mut i = 0;
    while i < bytes.len().min(MAX_RHS) {
        let b = bytes[i];
        match quote {
            Some(_) if b == b'\\' => i += 1,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'\'' || b == b'"' => quote = Some(b),
            None if b == b';' || b == b'\n' => return &s[..i],
            None => {}
        }
        i += 1;
    }
    let end = i.min(bytes.len());
    let mut end = end;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The first string literal of an expression that is not a `getXmlValue` argument, decoded.
fn first_literal(expr: &str) -> Option<String> {
    let bytes = expr.as_bytes();
    let mut i = 0;
    let mut fallback = None;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\'' || b == b'"' {
            let (value, end) = literal(expr, i)?;
            let is_path = expr[..i].trim_end().ends_with("getXmlValue(");
            if !is_path {
                if !value.is_empty() {
                    return Some(value);
                }
                fallback.get_or_insert(value);
            }
            i = end;
        } else {
            i += 1;
        }
    }
    fallback
}

/// Decodes the literal opening at `start`; returns it and the index after its closing quote.
fn literal(expr: &str, start: usize) -> Option<(String, usize)> {
    let quote = expr.as_bytes()[start] as char;
    let mut out = String::new();
    let mut chars = expr[start + 1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            c if c == quote => return Some((out, start + 1 + i + 1)),
            '\\' => {
                let (_, e) = chars.next()?;
                match e {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => {}
                    'x' => out.push(hex_char(&mut chars, 2)?),
                    'u' => out.push(hex_char(&mut chars, 4)?),
                    other => out.push(other),
                }
            }
            c => out.push(c),
        }
    }
    None
}

fn hex_char(chars: &mut std::str::CharIndices<'_>, n: usize) -> Option<char> {
    let mut code = 0u32;
    for _ in 0..n {
        code = code * 16 + chars.next()?.1.to_digit(16)?;
    }
    Some(char::from_u32(code).unwrap_or('\u{fffd}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_in_every_layout() {
        let page = "var biz = null;\nvar biz = \"\" || \"MzA4ODUzNjAxOA==\";\nvar ct = \"1521515999\";\n\
            d.title = xml ? getXmlValue('title.DATA') : 'AI编程\\x26\\u4e2d&quot;';\n\
            var nickname = htmlDecode(\"轩辕\");\nwindow.item_show_type = '10' || '';\nvar xbiz = \"no\";";
        assert_eq!(js_string(page, &["var biz = "]).as_deref(), Some("MzA4ODUzNjAxOA=="));
        assert_eq!(js_string(page, &["var ct = "]).as_deref(), Some("1521515999"));
        assert_eq!(js_string(page, &["d.title = "]).as_deref(), Some("AI编程&中\""));
        assert_eq!(js_string(page, &["var nickname = "]).as_deref(), Some("轩辕"));
        assert_eq!(js_string(page, &["window.item_show_type = "]).as_deref(), Some("10"));
        assert_eq!(js_string(page, &["biz = \"no"]), None);
        assert_eq!(js_string(page, &["var missing = "]), None);
    }

    #[test]
    fn counts() {
        let page = "like_count: '' * 1,\nold_like_count: '9' * 1,\nlike_count: '1' * 1,\nread_num_new = 5; read_num = \"687\"";
        assert_eq!(js_count(page, "like_count"), Some(1));
        assert_eq!(js_count(page, "old_like_count"), Some(9));
        assert_eq!(js_count(page, "read_num"), Some(687));
        assert_eq!(js_count(page, "share_count"), None);
    }

    #[test]
    fn broken_scripts_do_not_panic() {
        for s in
            ["var ct = '", "var ct = '\\", "var ct = '\\x4", "var ct = \"é", "d.title = xml ? getXmlValue('"]
        {
            let _ = js_string(s, &["var ct = ", "d.title = "]);
            let _ = js_count(s, "ct");
        }
    }
}

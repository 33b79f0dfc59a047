//! Body decoding: many government sites still serve GBK/GB18030.

use encoding_rs::{Encoding, UTF_8};

/// Decodes an HTML body: charset from the Content-Type header, else from a `<meta>` in the
/// first 2 KiB, else UTF-8 (with replacement characters for invalid bytes).
pub fn decode_html(bytes: &[u8], content_type: Option<&str>) -> String {
    let enc = content_type
        .and_then(charset_param)
        .or_else(|| meta_charset(&bytes[..bytes.len().min(2048)]))
        .and_then(|label| Encoding::for_label(label.as_bytes()))
        .unwrap_or(UTF_8);
    let (text, _, _) = enc.decode(bytes);
    text.into_owned()
}

fn charset_param(ct: &str) -> Option<String> {
    ct.split(';').find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.trim().eq_ignore_ascii_case("charset").then(|| v.trim().trim_matches('"').to_owned())
    })
}

fn meta_charset(head: &[u8]) -> Option<String> {
    let s = String::from_utf8_lossy(head).to_ascii_lowercase();
    let at = s.find("charset=")? + "charset=".len();
    let rest = s[at..].trim_start_matches(['"', '\'']);
    let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')).unwrap_or(rest.len());
    (end > 0).then(|| rest[..end].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_from_meta_and_header() {
        let (gbk, _, _) = encoding_rs::GBK.encode("页面不存在");
        let mut html = b"<html><head><meta charset=\"gbk\"></head><body>".to_vec();
        html.extend_from_slice(&gbk);
        assert!(decode_html(&html, None).contains("页面不存在"));
        assert!(decode_html(&gbk, Some("text/html; charset=GB2312")).contains("页面不存在"));
        assert_eq!(decode_html("中文".as_bytes(), Some("text/html")), "中文");
    }
}

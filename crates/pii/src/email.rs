//! E-mail addresses: `local@domain`, with `@` in any width and internationalised domains
//! (`张三@例子.中国` is read from the `@` on: `例子.中国`, a Latin local part is required).

use crate::chars::{is_at, is_domain_dot, is_local};
use crate::{Item, PiiKind};

/// RFC 5321 limits: local part 64, label 63, domain 253 characters.
const MAX_LOCAL: usize = 64;
const MAX_LABEL: usize = 63;
const MAX_DOMAIN: usize = 253;

pub(crate) fn scan(text: &str, out: &mut Vec<Item>) {
    // Most texts hold no `@` at all: three vectorised searches cost less than decoding every
    // character.
    if !['@', '＠', '﹫'].iter().any(|&at| text.contains(at)) {
        return;
    }
    for (at, c) in text.char_indices().filter(|(_, c)| is_at(*c)) {
        let start = text[..at]
            .char_indices()
            .rev()
            .take(MAX_LOCAL)
            .take_while(|(_, c)| is_local(*c))
            .last()
            .map(|(i, _)| i);
        let Some(start) = start else { continue };
        let Some(len) = domain_len(&text[at + c.len_utf8()..]) else { continue };
        out.push(Item { kind: PiiKind::Email, start, end: at + c.len_utf8() + len, strict: true });
    }
}

/// The byte length of the domain name at the start of `s`: two or more labels, the last one
/// a top-level domain (letters, or an `xn--` A-label).
fn domain_len(s: &str) -> Option<usize> {
    let mut end = 0;
    let mut labels = 0;
    let mut last_label = "";
    let mut chars = 0;
    loop {
        let rest = &s[end..];
        let len = label_len(rest);
        if len == 0 || chars > MAX_DOMAIN {
            break;
        }
        last_label = &rest[..len];
        chars += last_label.chars().count();
        end += len;
        labels += 1;
        // Another label follows a dot only when the dot is followed by a label character.
        match s[end..].chars().next() {
            Some(d) if is_domain_dot(d) && label_len(&s[end + d.len_utf8()..]) > 0 => {
                end += d.len_utf8();
                chars += 1;
            }
            _ => break,
        }
    }
    let tld_ok = last_label.chars().count() >= 2
        && (last_label.chars().all(char::is_alphabetic)
            || last_label.to_ascii_lowercase().starts_with("xn--"));
    (labels >= 2 && tld_ok).then_some(end)
}

/// The byte length of the label at the start of `s`. An ASCII label is letters, digits and
/// hyphens; an internationalised one is letters and digits of any other script, so that a
/// Latin domain stops at the Chinese text after it.
fn label_len(s: &str) -> usize {
    let Some(first) = s.chars().next() else { return 0 };
    let ascii = first.is_ascii();
    if !first.is_alphanumeric() {
        return 0;
    }
    let len: usize = s
        .chars()
        .take(MAX_LABEL)
        .take_while(|&c| {
            c == '-' || if ascii { c.is_ascii_alphanumeric() } else { !c.is_ascii() && c.is_alphanumeric() }
        })
        .map(char::len_utf8)
        .sum();
    s[..len].trim_end_matches('-').len()
}

//! Character classes of the formats: digits in either width, the separators people type
//! inside numbers, and the characters that glue a number into a longer code.

/// The value of an ASCII or full-width digit.
pub(crate) fn digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => Some((c as u32 - '０' as u32) as u8),
        _ => None,
    }
}

/// The check character `X` of an ID number, in either width and case.
pub(crate) fn is_x(c: char) -> bool {
    matches!(c, 'X' | 'x' | 'Ｘ' | 'ｘ')
}

/// Written between the digit groups of one number: spaces of every width (ASCII, no-break,
/// thin, ideographic, zero-width), hyphens and dashes, dots, and the brackets around an area
/// or country code.
pub(crate) fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t'
            | '\u{a0}'
            | '\u{2000}'..='\u{200b}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
            | '\u{feff}'
            | '-'
            | '\u{2010}'..='\u{2015}'
            | '\u{2212}'
            | '\u{fe58}'
            | '\u{fe63}'
            | '－'
            | '.'
            | '．'
            | '·'
            | '・'
            | '･'
            | '('
            | ')'
            | '（'
            | '）'
    )
}

/// At most this many separator characters stand between two groups (`139 - 0000`).
pub(crate) const MAX_SEPARATORS: usize = 3;

/// A letter, digit or underscore directly beside a number makes it part of a longer code.
pub(crate) fn is_glue(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '＿' || is_wide_alnum(c)
}

/// Full-width ASCII letters and digits (`ａ`, `Ｚ`, `９`).
pub(crate) fn is_wide_alnum(c: char) -> bool {
    matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ')
}

/// `@` in either width, and the small form.
pub(crate) fn is_at(c: char) -> bool {
    matches!(c, '@' | '＠' | '﹫')
}

/// A dot between the labels of a domain name (IDNA accepts the full-width and halfwidth
/// ideographic forms).
pub(crate) fn is_domain_dot(c: char) -> bool {
    matches!(c, '.' | '．' | '｡')
}

/// A character of an e-mail address's local part (RFC 5322 dot-atom, in either width).
pub(crate) fn is_local(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || is_wide_alnum(c)
        || matches!(c, '.' | '_' | '%' | '+' | '-' | '\'' | '．' | '＿' | '＋' | '－')
}

//! Personal data in Chinese text: detection and masking.
//!
//! Comments are masked before they are stored (个人信息保护法): only the masked text is kept,
//! with counts of what was masked. The same detector finds personal data exposed in article
//! bodies. Detection is a single pass over the characters, with no regular expressions:
//! digit runs (ASCII or full-width, with single spaces or hyphens between groups) are
//! classified by length and checksum, and e-mail addresses by their `@`.
//!
//! | kind | rule | masked as |
//! |---|---|---|
//! | mobile phone | 11 digits `1[3-9]…`, optional `+86`/`86` prefix | `138****5678` |
//! | landline | `0` + 2–3 digit area code, separator, 7–8 digits | `010-****5678` |
//! | ID number | 17 digits + check digit (GB 11643 mod 11-2, `X` allowed), valid birth date | `110101********123X` |
//! | bank card | 16–19 digits passing the Luhn check | `6222************1234` |
//! | e-mail | `local@domain.tld` | `a***@domain.tld` |

use std::fmt;

/// The kinds of personal data detected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PiiKind {
    Phone,
    IdNumber,
    BankCard,
    Email,
}

impl PiiKind {
    /// Chinese name for messages.
    pub fn label(self) -> &'static str {
        match self {
            PiiKind::Phone => "电话号码",
            PiiKind::IdNumber => "身份证号",
            PiiKind::BankCard => "银行卡号",
            PiiKind::Email => "电子邮箱",
        }
    }

    /// Identifier used in counts (`phone`, `id_number` …).
    pub fn as_str(self) -> &'static str {
        match self {
            PiiKind::Phone => "phone",
            PiiKind::IdNumber => "id_number",
            PiiKind::BankCard => "bank_card",
            PiiKind::Email => "email",
        }
    }
}

impl fmt::Display for PiiKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One detected piece of personal data: byte range in the scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PiiMatch {
    pub kind: PiiKind,
    pub start: usize,
    pub end: usize,
}

/// How many items of each kind were masked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MaskCounts {
    pub phone: u32,
    pub id_number: u32,
    pub bank_card: u32,
    pub email: u32,
}

impl MaskCounts {
    pub fn total(&self) -> u32 {
        self.phone + self.id_number + self.bank_card + self.email
    }

    fn add(&mut self, kind: PiiKind) {
        match kind {
            PiiKind::Phone => self.phone += 1,
            PiiKind::IdNumber => self.id_number += 1,
            PiiKind::BankCard => self.bank_card += 1,
            PiiKind::Email => self.email += 1,
        }
    }
}

impl std::ops::AddAssign for MaskCounts {
    fn add_assign(&mut self, o: Self) {
        self.phone += o.phone;
        self.id_number += o.id_number;
        self.bank_card += o.bank_card;
        self.email += o.email;
    }
}

/// Finds personal data in `text`, in order of position.
pub fn scan(text: &str) -> Vec<PiiMatch> {
    let mut out = Vec::new();
    scan_digit_runs(text, &mut out);
    scan_emails(text, &mut out);
    out.sort_by_key(|m| m.start);
    out
}

/// Returns `text` with every detected item masked, and the counts.
pub fn mask(text: &str) -> (String, MaskCounts) {
    let matches = scan(text);
    let mut counts = MaskCounts::default();
    if matches.is_empty() {
        return (text.to_owned(), counts);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for m in &matches {
        if m.start < last {
            continue;
        }
        out.push_str(&text[last..m.start]);
        out.push_str(&mask_one(m.kind, &text[m.start..m.end]));
        counts.add(m.kind);
        last = m.end;
    }
    out.push_str(&text[last..]);
    (out, counts)
}

fn mask_one(kind: PiiKind, raw: &str) -> String {
    if kind == PiiKind::Email {
        let (local, domain) = raw.split_once('@').unwrap_or((raw, ""));
        let first: String = local.chars().take(1).collect();
        return format!("{first}***@{domain}");
    }
    let mut digits: Vec<char> = raw.chars().filter_map(ascii_digit_or_x).collect();
    if kind == PiiKind::Phone && digits.len() == 13 && digits.starts_with(&['8', '6']) {
        digits.drain(..2);
    }
    let (keep_head, keep_tail) = match kind {
        PiiKind::Phone => (digits.len().saturating_sub(8), 4),
        PiiKind::IdNumber => (6, 4),
        PiiKind::BankCard => (4, 4),
        PiiKind::Email => unreachable!(),
    };
    let n = digits.len();
    digits
        .iter()
        .enumerate()
        .map(|(i, c)| if i < keep_head || i >= n - keep_tail { *c } else { '*' })
        .collect()
}

fn ascii_digit_or_x(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        'X' | 'x' | 'Ｘ' | 'ｘ' => Some('X'),
        _ => None,
    }
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// A run of digits with single separators between groups, and its normalised digits.
struct Run {
    start: usize,
    end: usize,
    digits: String,
    /// Positions (in `digits`) where a separator stood.
    seps: Vec<usize>,
}

fn scan_digit_runs(text: &str, out: &mut Vec<PiiMatch>) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        if !is_digit(chars[i].1) || (i > 0 && is_word(chars[i - 1].1)) {
            i += 1;
            continue;
        }
        // Optional "+86" prefix belongs to a phone number.
        let mut run = Run { start: chars[i].0, end: chars[i].0, digits: String::new(), seps: Vec::new() };
        if i > 0 && chars[i - 1].1 == '+' {
            run.start = chars[i - 1].0;
        }
        let mut j = i;
        while j < chars.len() {
            let c = chars[j].1;
            if is_digit(c) {
                run.digits.push(ascii_digit_or_x(c).expect("digit"));
                j += 1;
            } else if matches!(c, 'X' | 'x' | 'Ｘ' | 'ｘ') && run.digits.len() == 17 {
                run.digits.push('X');
                j += 1;
                break;
            } else if matches!(c, ' ' | '-' | '－')
                && j + 1 < chars.len()
                && is_digit(chars[j + 1].1)
                && !run.digits.is_empty()
            {
                run.seps.push(run.digits.len());
                j += 1;
            } else {
                break;
            }
        }
        run.end = if j < chars.len() { chars[j].0 } else { text.len() };
        let followed_by_word = j < chars.len() && is_word(chars[j].1);
        if !followed_by_word {
            classify(&run, out);
        }
        i = j.max(i + 1);
    }
}

/// Letters and digits glued to a number make it part of a code, not personal data.
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || ('０'..='９').contains(&c)
}

fn classify(run: &Run, out: &mut Vec<PiiMatch>) {
    let d = run.digits.as_str();
    let push = |kind, out: &mut Vec<PiiMatch>| out.push(PiiMatch { kind, start: run.start, end: run.end });
    let b = d.as_bytes();
    // Mobile, possibly with the country code.
    let mobile = d.strip_prefix("86").filter(|m| m.len() == 11).unwrap_or(d);
    if mobile.len() == 11 && mobile.as_bytes()[0] == b'1' && (b'3'..=b'9').contains(&mobile.as_bytes()[1]) {
        push(PiiKind::Phone, out);
    } else if b.len() == 18 && valid_id_number(d) {
        push(PiiKind::IdNumber, out);
    } else if (16..=19).contains(&b.len()) && !d.contains('X') && luhn(d) {
        push(PiiKind::BankCard, out);
    } else if b[0] == b'0'
        && run.seps.len() == 1
        && (3..=4).contains(&run.seps[0])
        && (7..=8).contains(&(b.len() - run.seps[0]))
    {
        push(PiiKind::Phone, out);
    }
}

/// GB 11643-1999: 17 digits, a valid birth date, and the ISO 7064 mod 11-2 check character.
pub fn valid_id_number(d: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let b = d.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = b[..17].iter().zip(WEIGHTS).map(|(c, w)| u32::from(c - b'0') * w).sum();
    if CHECK[(sum % 11) as usize] != b[17].to_ascii_uppercase() {
        return false;
    }
    let year: u32 = d[6..10].parse().unwrap_or(0);
    let month: u32 = d[10..12].parse().unwrap_or(0);
    let day: u32 = d[12..14].parse().unwrap_or(0);
    (1900..=2100).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// The Luhn check used by bank cards.
pub fn luhn(d: &str) -> bool {
    let mut sum = 0;
    for (i, c) in d.bytes().rev().enumerate() {
        if !c.is_ascii_digit() {
            return false;
        }
        let mut v = u32::from(c - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

fn scan_emails(text: &str, out: &mut Vec<PiiMatch>) {
    let local_ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+');
    let domain_ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-');
    for (at, _) in text.match_indices('@') {
        let start = text[..at].char_indices().rev().take_while(|(_, c)| local_ok(*c)).last().map(|(i, _)| i);
        let Some(start) = start else { continue };
        let rest = &text[at + 1..];
        let len = rest.char_indices().find(|(_, c)| !domain_ok(*c)).map(|(i, _)| i).unwrap_or(rest.len());
        let domain = rest[..len].trim_end_matches(['.', '-']);
        let Some(dot) = domain.rfind('.') else { continue };
        if dot == 0
            || domain.len() - dot - 1 < 2
            || !domain[dot + 1..].chars().all(|c| c.is_ascii_alphabetic())
        {
            continue;
        }
        out.push(PiiMatch { kind: PiiKind::Email, start, end: at + 1 + domain.len() });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_each_kind() {
        let (m, c) = mask(
            "我的电话13812345678，身份证11010519491231002X，卡号6222020200112233446，邮箱zhang.san@example.com",
        );
        assert_eq!(
            m,
            "我的电话138****5678，身份证110105********002X，卡号6222***********3446，邮箱z***@example.com"
        );
        assert_eq!(c, MaskCounts { phone: 1, id_number: 1, bank_card: 1, email: 1 });
    }

    #[test]
    fn separators_prefixes_and_full_width() {
        assert_eq!(mask("拨打+86 138-1234-5678").0, "拨打138****5678");
        assert_eq!(mask("电话０１０-８２３４５６７８").0, "电话010****5678");
        assert_eq!(mask("办公室 0551-62999999 转").1.phone, 1);
    }

    #[test]
    fn leaves_numbers_that_are_not_personal_data() {
        // Wrong check digit, a document number, dates, a code glued to letters, a non-Luhn run.
        for s in [
            "身份证110105194912310021",
            "国办发〔2018〕123号",
            "2025年10月31日",
            "订单号AB13812345678",
            "编号1234567890123456",
            "阅读量100001",
        ] {
            assert_eq!(mask(s).1.total(), 0, "{s}");
        }
    }

    #[test]
    fn checksums() {
        assert!(valid_id_number("11010519491231002X"));
        assert!(!valid_id_number("110105194912310021"));
        assert!(luhn("4111111111111111"));
        assert!(!luhn("4111111111111112"));
    }
}

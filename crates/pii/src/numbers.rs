//! Numbers: phones, ID numbers and bank cards, found from their formats.
//!
//! A *chain* is a run of digit groups joined by at most [`MAX_SEPARATORS`] separators
//! (`+86 139-0000-0114`, `１３９　００００　０１１４`, `(0551) 6299 9999`). Items are read from a
//! chain group by group, the longest candidate first, so that a number keeps its neighbours
//! apart (`13900000120 2025年`, two numbers in a row, an extension `-8001`). Items glued to
//! letters (`13900000117abc`, `…/13900000117.html` is not glued) and numbers hidden inside a
//! longer run of digits are *loose*: masked, but not reported as detected.

use crate::chars::{MAX_SEPARATORS, digit, is_glue, is_separator, is_x};
use crate::{Item, PiiKind};

/// A maximal run of digits (and a final `X`) inside a chain.
struct Group {
    /// Byte offset of each character of `digits` in the text.
    starts: Vec<usize>,
    /// Byte offset just past the group.
    end: usize,
    /// ASCII digits, possibly ending with `X`.
    digits: String,
}

impl Group {
    /// Byte range of the characters `from..to` of the group.
    fn span(&self, from: usize, to: usize) -> (usize, usize) {
        (self.starts[from], if to < self.starts.len() { self.starts[to] } else { self.end })
    }
}

struct Chain {
    groups: Vec<Group>,
    /// A letter or digit stands right before / after the chain.
    glued_left: bool,
    glued_right: bool,
    /// Where a `+` (and an opening bracket before it) written before the chain starts.
    prefix_start: usize,
}

/// Every number item in `text`, in order.
pub(crate) fn scan(text: &str, out: &mut Vec<Item>) {
    // Most of an article is not digits: characters are decoded only around each run of digits
    // and separators, with the two before it (a `(+` prefix, glue) and the two after it (an
    // `X` and what follows it), all that a chain reads.
    let mut from = 0;
    let mut window: Vec<(usize, char)> = Vec::new();
    while let Some(at) = next_digit(text, from) {
        let back = text[..at].char_indices().rev().take(2).last().map_or(at, |(i, _)| i);
        window.clear();
        window.extend(text[back..at].char_indices().map(|(i, c)| (back + i, c)));
        let first = window.len();
        let run = text[at..].char_indices().map(|(i, c)| (at + i, c));
        window.extend(run.take_while(|&(_, c)| digit(c).is_some() || is_separator(c)));
        let after = window.last().map_or(at, |&(i, c)| i + c.len_utf8());
        window.extend(text[after..].char_indices().take(2).map(|(i, c)| (after + i, c)));
        let (chain, next) = read_chain(text, &window, first);
        items_of(&chain, out);
        from = window.get(next).map_or(text.len(), |c| c.0);
    }
}

/// The byte offset of the first digit of either width at or after `from`.
fn next_digit(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        // ASCII digits, and the lead byte of U+FF10..U+FF19 (EF BC 90..99); neither is ever
        // inside another character's encoding.
        let at = i + bytes[i..].iter().position(|&b| b.is_ascii_digit() || b == 0xEF)?;
        if bytes[at] != 0xEF || text[at..].chars().next().and_then(digit).is_some() {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// Reads the chain starting at character `i` (a digit); returns it and the index after it.
fn read_chain(text: &str, chars: &[(usize, char)], i: usize) -> (Chain, usize) {
    let glued_left = i > 0 && is_glue(chars[i - 1].1);
    let mut prefix_start = chars[i].0;
    if i > 0 && matches!(chars[i - 1].1, '+' | '＋') {
        prefix_start = chars[i - 1].0;
        if i > 1 && matches!(chars[i - 2].1, '(' | '（') {
            prefix_start = chars[i - 2].0;
        }
    }
    let byte_at = |j: usize| chars.get(j).map_or(text.len(), |c| c.0);
    let mut groups = Vec::new();
    let mut j = i;
    loop {
        let mut g = Group { starts: Vec::new(), end: 0, digits: String::new() };
        while let Some(d) = chars.get(j).and_then(|c| digit(c.1)) {
            g.starts.push(chars[j].0);
            g.digits.push(char::from(b'0' + d));
            j += 1;
        }
        // A final X belongs to the number (an ID's check character) when no word goes on
        // after it, or when it completes an ID number (`…002Xabc`).
        let x_ends = !g.digits.is_empty()
            && chars.get(j).is_some_and(|c| is_x(c.1))
            && (!chars.get(j + 1).is_some_and(|c| c.1.is_ascii_alphanumeric()) || completes_id(&groups, &g));
        if x_ends {
            g.starts.push(chars[j].0);
            g.digits.push('X');
            j += 1;
        }
        g.end = byte_at(j);
        groups.push(g);
        if x_ends {
            break;
        }
        let seps = chars[j..].iter().take_while(|c| is_separator(c.1)).count();
        if seps == 0 || seps > MAX_SEPARATORS || chars.get(j + seps).is_none_or(|c| digit(c.1).is_none()) {
            break;
        }
        j += seps;
    }
    let glued_right = chars.get(j).is_some_and(|c| is_glue(c.1));
    (Chain { groups, glued_left, glued_right, prefix_start }, j)
}

/// The last 17 digits written so far and an `X` make a valid ID number.
fn completes_id(groups: &[Group], current: &Group) -> bool {
    let all: String = groups.iter().chain([current]).map(|g| g.digits.as_str()).collect();
    all.len() >= 17 && crate::valid_id_number(&format!("{}X", &all[all.len() - 17..]))
}

/// The most groups one item spans (`+86 139 0000 0114` is four, a card 4-4-4-4-3 five).
const MAX_GROUPS: usize = 6;

fn items_of(chain: &Chain, out: &mut Vec<Item>) {
    let groups = &chain.groups;
    let n = groups.len();
    let mut a = 0;
    while a < n {
        let found = (a..n.min(a + MAX_GROUPS)).rev().find_map(|b| classify(&groups[a..=b]).map(|c| (b, c)));
        match found {
            Some((b, (kind, strict))) => {
                let glued = (a == 0 && chain.glued_left) || (b == n - 1 && chain.glued_right);
                let start = if a == 0 { chain.prefix_start } else { groups[a].starts[0] };
                out.push(Item { kind, start, end: groups[b].end, strict: strict && !glued });
                a = b + 1;
            }
            None => {
                let glued = (a == 0 && chain.glued_left) || (a == n - 1 && chain.glued_right);
                if !glued {
                    inner_items(&groups[a], out);
                }
                a += 1;
            }
        }
    }
}

/// Mobile numbers and ID numbers hidden in a longer run of digits (`1390000012013900000121`,
/// `2025139000001200`): loose items. Codes glued to letters are left alone.
fn inner_items(g: &Group, out: &mut Vec<Item>) {
    let d = g.digits.as_bytes();
    let mut i = 0;
    while i + 11 <= d.len() {
        let len = if i + 18 <= d.len() && crate::valid_id_number(&g.digits[i..i + 18]) {
            18
        } else if is_mobile(&d[i..i + 11]) {
            11
        } else {
            i += 1;
            continue;
        };
        let kind = if len == 18 { PiiKind::IdNumber } else { PiiKind::Phone };
        let (start, end) = g.span(i, i + len);
        out.push(Item { kind, start, end, strict: false });
        i += len;
    }
}

/// What the digits of `groups` (one item's candidates) are, and whether the format is
/// certain (strict) or only likely (loose).
fn classify(groups: &[Group]) -> Option<(PiiKind, bool)> {
    // The shortest item is a landline with its area code (10 digits), the longest a card (19):
    // dates, counts and the like are passed over without building anything.
    let total: usize = groups.iter().map(|g| g.digits.len()).sum();
    if !(10..=19).contains(&total) {
        return None;
    }
    let d: String = groups.iter().map(|g| g.digits.as_str()).collect();
    let b = d.as_bytes();
    let lens: Vec<usize> = groups.iter().map(|g| g.digits.len()).collect();
    // ID numbers are written in one run or split after the six-digit region code.
    if b.len() == 18 && (lens.len() == 1 || lens[0] == 6) && crate::valid_id_number(&d) {
        return Some((PiiKind::IdNumber, true));
    }
    if d.contains('X') {
        // A mistyped check character is still someone's ID number, when written like one.
        let id_grouping = lens.len() == 1 || lens[0] == 6;
        let plausible = b.len() == 18 && b[..17].iter().all(u8::is_ascii_digit) && plausible_birth(&b[6..14]);
        return (id_grouping && plausible).then_some((PiiKind::IdNumber, false));
    }
    if (16..=19).contains(&b.len()) && b[0] != b'0' && card_grouping(&lens) {
        return Some((PiiKind::BankCard, crate::luhn(&d)));
    }
    if b.len() == 18 && lens[0] == 6 && plausible_birth(&b[6..14]) {
        return Some((PiiKind::IdNumber, false));
    }
    if is_mobile(strip_country_code(b)) {
        return Some((PiiKind::Phone, true));
    }
    if is_landline(groups) {
        return Some((PiiKind::Phone, true));
    }
    None
}

/// Country code `86` or `0086` before an 11-digit national number.
fn strip_country_code(b: &[u8]) -> &[u8] {
    for cc in [&b"0086"[..], b"86"] {
        if let Some(rest) = b.strip_prefix(cc)
            && rest.len() == 11
        {
            return rest;
        }
    }
    b
}

/// A mainland mobile number: 11 digits, `1` then `3`–`9`.
fn is_mobile(b: &[u8]) -> bool {
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && b.iter().all(u8::is_ascii_digit)
}

/// A landline: area code `0` + 2–3 digits, then a 7–8 digit subscriber number starting with
/// 2–9 (one or two groups); with the country code the area code loses its `0`
/// (`+86 10 8234 5678`). Written without separators it is 11–12 digits starting `0[1-9]`.
fn is_landline(groups: &[Group]) -> bool {
    let subscriber = |gs: &[Group]| {
        let s: String = gs.iter().map(|g| g.digits.as_str()).collect();
        !gs.is_empty()
            && gs.len() <= 2
            && (7..=8).contains(&s.len())
            && matches!(s.as_bytes()[0], b'2'..=b'9')
    };
    let area = |g: &Group, with_zero: bool| {
        let a = g.digits.as_bytes();
        let body = if with_zero { a.strip_prefix(b"0") } else { Some(a) };
        body.is_some_and(|x| (2..=3).contains(&x.len()) && x[0] != b'0')
    };
    match groups {
        [one] => {
            let b = one.digits.as_bytes();
            (11..=12).contains(&b.len()) && b[0] == b'0' && b[1] != b'0'
        }
        [cc, a, rest @ ..] if matches!(cc.digits.as_str(), "86" | "0086") && area(a, false) => {
            subscriber(rest)
        }
        [a, rest @ ..] => area(a, true) && subscriber(rest),
        [] => false,
    }
}

/// How cards are written: one run, or groups of four with a shorter last group.
fn card_grouping(lens: &[usize]) -> bool {
    match lens.split_last() {
        None => false,
        Some((_, [])) => true,
        Some((last, rest)) => rest.iter().all(|&l| l == 4) && (1..=4).contains(last),
    }
}

/// `YYYYMMDD` is a date from 1900 to 2100 (day up to 31).
fn plausible_birth(b: &[u8]) -> bool {
    let num = |r: std::ops::Range<usize>| -> Option<u32> { std::str::from_utf8(&b[r]).ok()?.parse().ok() };
    b.len() == 8
        && matches!(
            (num(0..4), num(4..6), num(6..8)),
            (Some(y), Some(m), Some(d)) if (1900..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)
        )
}

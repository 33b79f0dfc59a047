//! Personal data in Chinese text: detection and masking.
//!
//! Comments are masked before they are stored (个人信息保护法): only the masked text is kept,
//! with counts of what was masked. Every text that leaves govmedia (findings, reports, AI
//! prompts) goes through [`mask`] (or [`Masked`] / [`clip`] when it is quoted or cut), and
//! [`scan`] finds personal data exposed in article bodies. One pass over the characters, no
//! regular expressions: digit chains (ASCII or full-width digits, groups joined by spaces of
//! any width, dashes, dots or brackets) are read group by group and classified by length,
//! prefix and checksum; e-mail addresses are read around their `@`.
//!
//! | kind | format | masked as |
//! |---|---|---|
//! | mobile phone | 11 digits `1[3-9]…`, optional `+86`/`86`/`0086`, any grouping | `138****5678` |
//! | landline | area code `0` + 2–3 digits (or `+86` and the code without `0`), 7–8 digits | `010****5678` |
//! | ID number | 17 digits + check character (GB 11643 mod 11-2, `X` allowed), birth date 1900–2100 | `110101********123X` (like a card when it also passes Luhn) |
//! | bank card | 16–19 digits in one run or groups of four, Luhn check | `6222***********1234` |
//! | e-mail | `local@domain`, `＠`/`﹫`, internationalised domains, `xn--` labels | `a***@domain.tld` |
//!
//! [`scan`] reports items whose format is certain. [`mask`] also masks likely items: numbers
//! glued to letters (`13900000117abc`), an ID number with a wrong check character written as
//! one, a 16–19 digit card number failing Luhn, mobile and ID numbers inside a longer run of
//! digits. Masking too much costs a reader a number; masking too little leaks a person's.
//!
//! The words before a number say whose it is ([`Holder`], rules in the `holder` module): [`scan`]
//! leaves out numbers labelled as codes (`统一社会信用代码：91110000…`, 证书编号, 订单号 …), which
//! identify units and documents, and tells a person's number (after a name or 联系人) from a
//! unit's (after 服务热线, 咨询电话 …). [`mask`] masks them all the same.

mod chars;
mod email;
mod holder;
mod numbers;

pub use holder::Holder;

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

/// One detected piece of personal data: byte range in the scanned text, and whose it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PiiMatch {
    pub kind: PiiKind,
    pub start: usize,
    pub end: usize,
    /// From the words before a number ([`Holder::Unknown`] for e-mail addresses); never
    /// [`Holder::Code`]: such numbers are not reported.
    pub holder: Holder,
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

/// One item found by the scanners: its kind, byte range, and whether the format is certain
/// (strict: reported by [`scan`]) or only likely (loose: masked all the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Item {
    pub kind: PiiKind,
    pub start: usize,
    pub end: usize,
    pub strict: bool,
}

/// Every item, without overlaps (the longer of two items starting together wins), in order.
fn items(text: &str) -> Vec<Item> {
    let mut all = Vec::new();
    numbers::scan(text, &mut all);
    email::scan(text, &mut all);
    all.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    let mut out: Vec<Item> = Vec::with_capacity(all.len());
    for m in all {
        if out.last().is_none_or(|l| m.start >= l.end) {
            out.push(m);
        }
    }
    out
}

/// Finds personal data in `text`, in order of position: the items whose format is certain and
/// that no code label claims (see the module documentation). [`mask`] masks these and the
/// likely ones.
pub fn scan(text: &str) -> Vec<PiiMatch> {
    items(text)
        .into_iter()
        .filter(|m| m.strict)
        .map(|m| {
            let holder =
                if m.kind == PiiKind::Email { Holder::Unknown } else { holder::holder(text, m.start) };
            PiiMatch { kind: m.kind, start: m.start, end: m.end, holder }
        })
        .filter(|m| m.holder != Holder::Code)
        .collect()
}

/// Returns `text` with every detected item masked, and the counts.
pub fn mask(text: &str) -> (String, MaskCounts) {
    let m = Masked::new(text);
    (m.text, m.counts)
}

/// At most `max_chars` characters of the masked `text`, with `…` when it was cut. Cutting
/// after masking means a number cut in half is still masked, and a run of digits the cut goes
/// through is left out whole (a number the masker did not recognise is never shown in part).
pub fn clip(text: &str, max_chars: usize) -> String {
    let masked = Masked::new(text).text;
    let mut out = head(&masked, max_chars).to_owned();
    if out.len() < masked.len() {
        out.push('…');
    }
    out
}

/// Can stand inside a written number: a digit, an ID's `X`, a separator or a space.
fn in_number(c: char) -> bool {
    chars::digit(c).is_some() || chars::is_x(c) || chars::is_separator(c) || c.is_whitespace()
}

/// At most `n` characters from the start of `s`. When the cut goes through a run of digits,
/// the part of the run before the cut is dropped too: a number the masker did not recognise
/// whole (an odd grouping, a line break inside it) must not show in part, since a part is no
/// longer recognisable as a number when the output is masked again.
fn head(s: &str, n: usize) -> &str {
    let Some((cut, next)) = s.char_indices().nth(n) else { return s };
    if !in_number(next) {
        return &s[..cut];
    }
    s[..cut].trim_end_matches(in_number)
}

/// At most `n` characters from the end of `s`, dropping a run of digits the cut goes through
/// (like [`head`]).
fn tail(s: &str, n: usize) -> &str {
    let count = s.chars().count();
    if count <= n {
        return s;
    }
    let cut = s.char_indices().nth(count - n).map_or(s.len(), |(i, _)| i);
    let rest = &s[cut..];
    if !s[..cut].chars().next_back().is_some_and(in_number) {
        return rest;
    }
    rest.trim_start_matches(in_number)
}

/// A masked text that remembers where each masked item came from, so that a range of the
/// original (a match to quote) can be found in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Masked {
    text: String,
    counts: MaskCounts,
    /// (original range, masked range) of each replaced item, in order.
    edits: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)>,
}

impl Masked {
    /// Masks every detected item of `text`.
    pub fn new(text: &str) -> Self {
        let mut m = Masked {
            text: String::with_capacity(text.len()),
            counts: MaskCounts::default(),
            edits: Vec::new(),
        };
        let mut last = 0;
        for item in items(text) {
            m.text.push_str(&text[last..item.start]);
            let from = m.text.len();
            m.text.push_str(&mask_one(item.kind, &text[item.start..item.end]));
            m.edits.push((item.start..item.end, from..m.text.len()));
            m.counts.add(item.kind);
            last = item.end;
        }
        m.text.push_str(&text[last..]);
        m
    }

    /// The masked text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// How many items of each kind were masked.
    pub fn counts(&self) -> MaskCounts {
        self.counts
    }

    /// The masked text around the original byte range `start..end`: up to `chars`
    /// characters before it, the range itself (see [`map_range`](Self::map_range)) and up to
    /// `chars` characters after it. A run of digits that a window's edge cuts through is left
    /// out of that window (see [`clip`]).
    pub fn window(&self, start: usize, end: usize, chars: usize) -> (&str, &str, &str) {
        let (s, e) = self.map_range(start, end);
        (tail(&self.text[..s], chars), &self.text[s..e], head(&self.text[e..], chars))
    }

    /// The range of the masked text that shows the original byte range `start..end`; an end
    /// inside a masked item takes the whole item.
    pub fn map_range(&self, start: usize, end: usize) -> (usize, usize) {
        let s = self.map(start, false);
        (s, self.map(end, true).max(s))
    }

    fn map(&self, pos: usize, is_end: bool) -> usize {
        let mut delta: isize = 0;
        for (raw, out) in &self.edits {
            let inside = if is_end { raw.start < pos } else { raw.start <= pos } && pos < raw.end;
            if inside {
                return if is_end { out.end } else { out.start };
            }
            if pos < raw.end {
                break;
            }
            delta = out.end as isize - raw.end as isize;
        }
        pos.saturating_add_signed(delta)
    }
}

impl std::fmt::Display for Masked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The masked form of one item: a phone keeps all but its last eight digits and its last
/// four (`139****0120`; a country code is dropped), an ID number its first six and last four,
/// a card its first and last four, an e-mail the first character of its local part.
fn mask_one(kind: PiiKind, raw: &str) -> String {
    if kind == PiiKind::Email {
        let (at, c) = raw.char_indices().find(|(_, c)| chars::is_at(*c)).unwrap_or((raw.len(), '@'));
        let first: String = raw[..at].chars().take(1).collect();
        return format!("{first}***@{}", &raw[(at + c.len_utf8()).min(raw.len())..]);
    }
    let mut digits: Vec<char> = raw
        .chars()
        .filter_map(|c| chars::digit(c).map(|d| char::from(b'0' + d)).or(chars::is_x(c).then_some('X')))
        .collect();
    if kind == PiiKind::Phone {
        for cc in [&['0', '0', '8', '6'][..], &['8', '6']] {
            if digits.len() == cc.len() + 11 && digits.starts_with(cc) && digits[cc.len()] == '1' {
                digits.drain(..cc.len());
            }
        }
    }
    let (keep_head, keep_tail) = match kind {
        PiiKind::Phone => (digits.len().saturating_sub(8), 4),
        // An ID number that is also a valid card number is masked like a card.
        PiiKind::IdNumber if luhn(&digits.iter().collect::<String>()) => (4, 4),
        PiiKind::IdNumber => (6, 4),
        PiiKind::BankCard => (4, 4),
        PiiKind::Email => unreachable!("handled above"),
    };
    let n = digits.len();
    digits
        .iter()
        .enumerate()
        .map(|(i, c)| if i < keep_head || i + keep_tail >= n { *c } else { '*' })
        .collect()
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
        assert_eq!(mask("拨打0086-139.0000.0114或(+86)13900000115").0, "拨打139****0114或139****0115");
        assert_eq!(mask("１３９　００００　０１１９").0, "139****0119");
        assert_eq!(mask("139 - 0000 - 0119").0, "139****0119");
        assert_eq!(mask("（0551）62999999").0, "（0551****9999");
    }

    #[test]
    fn numbers_at_the_edges_of_the_text() {
        assert_eq!(mask("13900000120").0, "139****0120");
        assert_eq!(mask("+86 138-1234-5678").0, "138****5678");
        assert_eq!(mask("(+86)13900000115").0, "139****0115");
        assert_eq!(mask("11010519491231002X").0, "110105********002X");
        assert_eq!(mask("11010519491231002Xabc").0, "110105********002Xabc");
        assert_eq!(mask("a13900000117").0, "a139****0117");
        assert_eq!(mask("电话13900000120 - ").0, "电话139****0120 - ");
        assert_eq!(mask("电话：１３９００００01２１。").0, "电话：139****0121。");
        assert_eq!(mask("第3条 2025年 13900000120").0, "第3条 2025年 139****0120");
    }

    #[test]
    fn neighbours_stay_apart() {
        assert_eq!(mask("13900000120 2025年").0, "139****0120 2025年");
        assert_eq!(mask("13900000120-8001").0, "139****0120-8001");
        assert_eq!(mask("13900000120 13900000121").0, "139****0120 139****0121");
        assert_eq!(mask("1390000012013900000121").0, "139****0120139****0121");
        assert_eq!(mask("13900000117abc").0, "139****0117abc");
        assert_eq!(mask("身份证11010519491231002X号").0, "身份证110105********002X号");
        assert_eq!(mask("https://x.cn/u?tel=13900000120&t=1").0, "https://x.cn/u?tel=139****0120&t=1");
        assert_eq!(mask("a%2B8613900000120").0, "a%2B139****0120");
    }

    #[test]
    fn emails_in_every_form() {
        assert_eq!(mask("邮箱zhang.san＠example.com。").0, "邮箱z***@example.com。");
        assert_eq!(mask("写信给li@例子.中国").0, "写信给l***@例子.中国");
        assert_eq!(mask("wang@xn--fsqu00a.xn--fiqs8s").0, "w***@xn--fsqu00a.xn--fiqs8s");
        assert_eq!(mask("13900000120@qq.com").0, "1***@qq.com");
        assert_eq!(mask("@国务院 与 a@b").1.total(), 0);
    }

    #[test]
    fn only_certain_formats_are_detected() {
        let kinds = |s: &str| scan(s).iter().map(|m| m.kind).collect::<Vec<_>>();
        assert_eq!(kinds("13900000120 2025年"), [PiiKind::Phone]);
        assert!(kinds("订单号AB13812345678").is_empty(), "glued to letters: masked, not reported");
        assert_eq!(mask("订单号AB13812345678").1.phone, 1);
        assert!(kinds("身份证110105194912310021").is_empty(), "wrong check digit");
        assert_eq!(mask("身份证110105194912310021").0, "身份证1101**********0021", "masked, as a card");
    }

    #[test]
    fn leaves_numbers_that_are_not_personal_data() {
        for s in [
            "国办发〔2018〕123号",
            "2025年10月31日",
            "2025-10-31 08:30",
            "2025.10.31",
            "编号1234567890123",
            "阅读量100001",
            "热线12345、12315、110",
            "金额1,234.56元，占12.5%",
            "3.1415926",
            "192.168.100.139",
            "sha256 4f2a1b3c9d8e7f60",
        ] {
            assert_eq!(mask(s).1.total(), 0, "{s}");
        }
    }

    #[test]
    fn maps_ranges_into_the_masked_text() {
        let text = "张三13900000120，李四";
        let m = Masked::new(text);
        let at = text.find("李四").unwrap();
        let (s, e) = m.map_range(at, at + "李四".len());
        assert_eq!(&m.as_str()[s..e], "李四");
        let p = text.find('1').unwrap();
        let (s, e) = m.map_range(p + 2, p + 5);
        assert_eq!(&m.as_str()[s..e], "139****0120", "a range inside an item widens to the item");
        assert_eq!(m.map_range(0, 0), (0, 0));
    }

    #[test]
    fn clipping_never_leaves_part_of_a_number() {
        assert_eq!(clip("联系13900000120", 8), "联系139***…");
        assert_eq!(clip("短", 8), "短");
    }

    #[test]
    fn numbers_labelled_as_codes_are_not_reported_but_still_masked() {
        for s in [
            "统一社会信用代码：911101085513850823",
            "信用代码 911101085513850823，地址：北京市",
            "证书编号：11010519491231002X",
            "食品经营许可证号 11010519491231002X",
            "备案号为911101085513850823",
            "订单号：13912345678",
            "发文字号（统一编号）：911101085513850823",
        ] {
            assert!(scan(s).is_empty(), "{s}: {:?}", scan(s));
            assert_eq!(mask(s).1.total(), 1, "{s}: masking stays conservative");
        }
        // The label belongs to the number it stands before, not to the next one.
        let s = "证书编号：911101085513850823，身份证号：11010519491231002X";
        assert_eq!(scan(s).iter().map(|m| m.kind).collect::<Vec<_>>(), [PiiKind::IdNumber]);
        assert_eq!(scan("银行卡号911101085513850823")[0].kind, PiiKind::BankCard);
        assert_eq!(scan("11010519491231002X")[0].kind, PiiKind::IdNumber);
    }

    #[test]
    fn matches_say_whose_number_it_is() {
        let holders = |s: &str| scan(s).iter().map(|m| m.holder).collect::<Vec<_>>();
        assert_eq!(holders("联系人：张三，联系电话13912345678"), [Holder::Person]);
        assert_eq!(holders("张三（手机：13912345678）、李四（手机：13812345678）"), [Holder::Person; 2]);
        assert_eq!(holders("服务热线：13912345678，办公电话：0551-62999999"), [Holder::Office; 2]);
        assert_eq!(holders("请拨打13912345678"), [Holder::Unknown]);
        assert_eq!(holders("邮箱zhang@example.com"), [Holder::Unknown]);
    }

    #[test]
    fn windows_leave_out_numbers_their_edges_cut() {
        let text = "联系电话1390000 \n 0121，请于本周五前报名参加，地点在三楼会议室。";
        let m = Masked::new(text);
        assert_eq!(m.counts().total(), 0, "not recognised as one number");
        let at = text.find("报名").unwrap();
        let (before, hit, after) = m.window(at, at + "报名".len(), 7);
        assert_eq!((before, hit), ("，请于本周五前", "报名"));
        assert_eq!(after, "参加，地点在三");
        let (before, _, _) = m.window(at, at + "报名".len(), 9);
        assert_eq!(before, "，请于本周五前", "the cut run is left out");
        let (_, _, after) = m.window(0, "联系".len(), 5);
        assert_eq!(after, "电话", "the cut run is left out");
        assert_eq!(clip("电话1390000\n0121", 8), "电话…");
        assert_eq!(clip("2025年10月", 3), "…");
        assert_eq!(m.window(0, 0, 0), ("", "", ""));
    }

    #[test]
    fn masking_masked_text_changes_nothing() {
        let (once, _) =
            mask("电话13812345678，身份证11010519491231002X，卡号6222020200112233446，邮箱zhang@example.com");
        assert_eq!(mask(&once), (once.clone(), MaskCounts::default()));
    }

    #[test]
    fn checksums() {
        assert!(valid_id_number("11010519491231002X"));
        assert!(!valid_id_number("110105194912310021"));
        assert!(luhn("4111111111111111"));
        assert!(!luhn("4111111111111112"));
    }
}

//! Property tests written from the formats, not from known failures: generate personal data,
//! write it the ways people write it (prefixes, groupings, separators, widths, suffixes,
//! neighbours, URLs), mask, and check that nothing survives; and check that ordinary numbers
//! are left as they are.

use govmedia_pii::{luhn, mask};
use proptest::prelude::*;

const SEPARATORS: &[&str] =
    &[" ", "-", " - ", ".", "\u{3000}", "\u{a0}", "－", "—", "\u{2009}", "  ", "·", "\u{200b}"];

fn digits(n: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(0u8..10, n).prop_map(|v| v.into_iter().map(|d| char::from(b'0' + d)).collect())
}

fn mobile() -> impl Strategy<Value = String> {
    (3u8..10, digits(9)).prop_map(|(second, rest)| format!("1{second}{rest}"))
}

fn id_number() -> impl Strategy<Value = String> {
    (1u8..9, digits(5), 1930u32..2020, 1u32..13, 1u32..29, digits(3)).prop_map(|(r, region, y, m, d, seq)| {
        let body = format!("{r}{region}{y}{m:02}{d:02}{seq}");
        const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        let sum: u32 = body.bytes().zip(W).map(|(c, w)| u32::from(c - b'0') * w).sum();
        format!("{body}{}", char::from(b"10X98765432"[(sum % 11) as usize]))
    })
}

fn bank_card() -> impl Strategy<Value = String> {
    (16usize..20).prop_flat_map(|n| digits(n - 3)).prop_map(|body| {
        let body = format!("62{body}");
        (0..10).map(|c| format!("{body}{c}")).find(|s| luhn(s)).expect("one check digit fits")
    })
}

/// Splits `s` into groups of the given lengths (the rest in a last group).
fn grouped(s: &str, lens: &[usize], sep: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut parts = Vec::new();
    let mut at = 0;
    for &l in lens {
        if at + l >= chars.len() {
            break;
        }
        parts.push(chars[at..at + l].iter().collect::<String>());
        at += l;
    }
    parts.push(chars[at..].iter().collect());
    parts.join(sep)
}

fn wide(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' | 'a'..='z' | 'A'..='Z' => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap(),
            '.' => '．',
            other => other,
        })
        .collect()
}

/// How a number sits in its text: what is written before and after it.
#[derive(Debug, Clone)]
struct Context {
    before: &'static str,
    after: &'static str,
    /// Digits touch the number: then it is written as one run, as a glued number would be.
    digit_glued: bool,
}

/// Neighbours: words, URLs, other digits (separated, or glued where the result still reads as
/// a number), letters (a number glued to a code).
fn context(allow_digit_glue: bool) -> impl Strategy<Value = Context> {
    let befores = prop_oneof![
        Just(""),
        Just("我的电话是"),
        Just("联系人：王先生，"),
        Just("tel:"),
        Just("https://example.com/u?mobile="),
        Just("https://x.cn/p/"),
        Just("2025年 "),
        Just("编号12 "),
        Just("AB"),
        Just("ID"),
    ];
    let afters = prop_oneof![
        Just(""),
        Just("，谢谢"),
        Just("abc"),
        Just(".html"),
        Just("&t=1"),
        Just(" 2025年"),
        Just("-8001"),
        Just("转8001"),
        Just("号"),
        Just("号码。"),
    ];
    let glued = prop_oneof![Just(("第2025", "")), Just(("", "2025年")), Just(("２０", "元"))];
    let apart = (befores, afters).prop_map(|(before, after)| Context { before, after, digit_glued: false });
    if allow_digit_glue {
        prop_oneof![
            3 => apart,
            1 => glued.prop_map(|(before, after)| Context { before, after, digit_glued: true }),
        ]
        .boxed()
    } else {
        apart.boxed()
    }
}

/// True when `secret` can still be read from `masked`: some alignment of its digits matches
/// more positions than the masked form keeps (`kept`). Separators, letters and widths are
/// ignored; `*` never matches.
fn survives(masked: &str, secret: &str, kept: usize) -> bool {
    let norm: Vec<char> = masked
        .chars()
        .filter_map(|c| match c {
            '0'..='9' | '*' | 'X' => Some(c),
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            'Ｘ' | 'x' | 'ｘ' => Some('X'),
            _ => None,
        })
        .collect();
    let s: Vec<char> = secret.chars().collect();
    norm.windows(s.len()).any(|w| w.iter().zip(&s).filter(|(a, b)| a == b).count() > kept)
}

fn check(written: &str, ctx: &Context, secret: &str, kept: usize) -> Result<(), TestCaseError> {
    let text = format!("{}{written}{}", ctx.before, ctx.after);
    let (masked, counts) = mask(&text);
    prop_assert!(counts.total() >= 1, "nothing masked in {text:?}");
    prop_assert!(!survives(&masked, secret, kept), "{secret} survives in {masked:?} (from {text:?})");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn mobile_numbers_never_survive(
        m in mobile(),
        prefix in prop_oneof![Just(""), Just("+86"), Just("+86 "), Just("0086"), Just("0086-"), Just("86"), Just("(+86)"), Just("＋８６ ")],
        lens in prop_oneof![Just(vec![11]), Just(vec![3, 4]), Just(vec![3, 8]), Just(vec![4, 3]), Just(vec![7]), Just(vec![3, 3])],
        sep in proptest::sample::select(SEPARATORS),
        full_width in any::<bool>(),
        ctx in context(true),
        second in prop_oneof![Just(None), mobile().prop_map(Some)],
        joiner in prop_oneof![Just(" "), Just("、"), Just("，")],
    ) {
        let (prefix, lens) = if ctx.digit_glued { ("", vec![11]) } else { (prefix, lens) };
        let mut written = format!("{prefix}{}", grouped(&m, &lens, sep));
        if full_width {
            written = wide(&written);
        }
        if let Some(s) = &second {
            prop_assume!(s != &m);
            written = format!("{written}{joiner}{s}");
            check(&written, &ctx, s, 7)?;
        }
        check(&written, &ctx, &m, 7)?;
    }

    #[test]
    fn id_numbers_never_survive(
        id in id_number(),
        lens in prop_oneof![Just(vec![18]), Just(vec![6, 8]), Just(vec![6, 4, 4])],
        sep in proptest::sample::select(SEPARATORS),
        lower_x in any::<bool>(),
        full_width in any::<bool>(),
        ctx in context(true),
    ) {
        let lens = if ctx.digit_glued { vec![18] } else { lens };
        let mut written = grouped(&id, &lens, sep);
        if lower_x {
            written = written.replace('X', "x");
        }
        if full_width {
            written = wide(&written);
        }
        check(&written, &ctx, &id, 10)?;
    }

    #[test]
    fn bank_cards_never_survive(
        card in bank_card(),
        four in any::<bool>(),
        sep in proptest::sample::select(SEPARATORS),
        full_width in any::<bool>(),
        ctx in context(false),
    ) {
        let mut written = if four { grouped(&card, &[4, 4, 4, 4], sep) } else { card.clone() };
        if full_width {
            written = wide(&written);
        }
        check(&written, &ctx, &card, 8)?;
    }

    #[test]
    fn emails_never_survive(
        first in proptest::sample::select(('a'..='z').collect::<Vec<_>>()),
        rest in proptest::collection::vec(proptest::sample::select(('a'..='z').chain('0'..='9').chain(['.', '_', '-']).collect::<Vec<_>>()), 4..12),
        at in prop_oneof![Just("@"), Just("＠"), Just("﹫")],
        domain in prop_oneof![Just("example.com"), Just("gov.cn"), Just("mail.163.com"), Just("例子.中国"), Just("邮箱.公司"), Just("xn--fsqu00a.xn--fiqs8s"), Just("ｅｘａｍｐｌｅ．ｃｏｍ")],
        full_width in any::<bool>(),
        ctx in prop_oneof![Just(("", "")), Just(("请发邮件至", "，谢谢")), Just(("mailto:", "")), Just(("联系", "。")), Just(("(", ")"))],
    ) {
        let local: String = std::iter::once(first).chain(rest).collect();
        let local = format!("{}z", local.trim_end_matches(['.', '-']));
        let written_local = if full_width { wide(&local) } else { local.clone() };
        let text = format!("{}{written_local}{at}{domain}{}", ctx.0, ctx.1);
        let (masked, counts) = mask(&text);
        prop_assert_eq!(counts.email, 1, "{}", text);
        prop_assert!(!masked.contains(&local) && !masked.contains(&wide(&local)), "{} survives in {}", local, masked);
    }

    #[test]
    fn ordinary_numbers_are_left_alone(
        parts in proptest::collection::vec(prop_oneof![
            (2000u32..2030, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}年{m}月{d}日")),
            (2000u32..2030, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
            (0u32..24, 0u32..60).prop_map(|(h, m)| format!("{h:02}:{m:02}")),
            (0u64..10_000_000).prop_map(|n| format!("阅读{n}")),
            (2000u32..2030, 1u32..400).prop_map(|(y, n)| format!("国办发〔{y}〕{n}号")),
            (0u32..100_000, 0u32..100).prop_map(|(a, b)| format!("{a}.{b:02}元")),
            proptest::sample::select(vec!["12345", "12315", "110", "120", "10万+"]).prop_map(str::to_owned),
        ], 1..8),
    ) {
        let text = parts.join("，");
        prop_assert_eq!(mask(&text).0, text);
    }
}

//! What the linear classifier sees of an article: character n-grams and jieba words of the
//! title, the same of the body's first characters (in their own namespace, weighted down),
//! signalling punctuation, and the account's field and level and the article's position.
//!
//! Features are named strings (`b:补贴` is the character bigram 补贴 of the title) so that the
//! shipped model file stays readable; a prediction hashes the names as they are built and
//! allocates nothing per feature.

use govmedia_model::{Field, Level};

use crate::segment;
use crate::text::fold_char;

/// Characters of the body read, after the title.
pub const BODY_CHARS: usize = 160;
/// Weight of a body feature relative to a title feature. No labelled corpus with bodies
/// exists, so this is a cautious choice, not a measured one: the body adds its words to the
/// title's and cannot outvote a clear title.
const BODY_WEIGHT: f32 = 0.35;
/// Punctuation that tells something about a title's purpose (→ points to a service, ？ to a
/// question answered, 丨 to a column name).
const MARKS: [char; 8] = ['→', '？', '！', '丨', '|', '【', '：', '…'];

/// What is known about an article beside its title.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Context<'a> {
    /// The body as plain text (only its first [`BODY_CHARS`] characters are read).
    pub body: Option<&'a str>,
    /// The account's livelihood field.
    pub field: Option<Field>,
    /// The account's level.
    pub level: Option<Level>,
    /// Whether the article was the first of its push (头条).
    pub headline: Option<bool>,
}

/// The field an account's name suggests, for accounts whose field is not recorded: a
/// keyword per field, the first match wins ("深圳公安发布" → 公安, "医保北京" → 医疗保障).
pub fn field_from_name(name: &str) -> Option<Field> {
    const KEYS: [(&str, Field); 23] = [
        ("医保", Field::MedicalSecurity),
        ("医疗保障", Field::MedicalSecurity),
        ("卫健", Field::Health),
        ("卫生健康", Field::Health),
        ("健康", Field::Health),
        ("疾控", Field::Health),
        ("教育", Field::Education),
        ("考试", Field::Education),
        ("公安", Field::PublicSecurity),
        ("警", Field::PublicSecurity),
        ("反诈", Field::PublicSecurity),
        ("人社", Field::HumanResources),
        ("社保", Field::HumanResources),
        ("12333", Field::HumanResources),
        ("住建", Field::Housing),
        ("城管", Field::Housing),
        ("市场监管", Field::MarketRegulation),
        ("药监", Field::MarketRegulation),
        ("文旅", Field::CultureTourism),
        ("文化旅游", Field::CultureTourism),
        ("文物", Field::CultureTourism),
        ("民政", Field::CivilAffairs),
        ("税务", Field::Taxation),
    ];
    const JUSTICE: [&str; 4] = ["法院", "检察", "司法", "法制"];
    const TRANSPORT: [&str; 2] = ["交通运输", "交通厅"];
    if JUSTICE.iter().any(|k| name.contains(k)) {
        return Some(Field::Justice);
    }
    if TRANSPORT.iter().any(|k| name.contains(k)) {
        return Some(Field::Transport);
    }
    KEYS.iter().find(|(k, _)| name.contains(k)).map(|(_, f)| *f)
}

/// Calls `sink(name, value)` for every feature of an article. `buf` is reused between
/// features; the name passed to `sink` is only valid during the call.
pub fn for_each(title: &str, ctx: &Context<'_>, buf: &mut String, mut sink: impl FnMut(&str, f32)) {
    text_features(title, 't', 1.0, buf, &mut sink);
    if let Some(body) = ctx.body.filter(|b| !b.trim().is_empty()) {
        let head = match body.char_indices().nth(BODY_CHARS) {
            Some((i, _)) => &body[..i],
            None => body,
        };
        text_features(head, 'x', BODY_WEIGHT, buf, &mut sink);
    }
    for c in title.chars().filter(|c| MARKS.contains(c)) {
        emit(buf, &mut sink, "p:", [c], 1.0);
    }
    if let Some(f) = ctx.field {
        emit(buf, &mut sink, "f:", f.as_str().chars(), 1.0);
    }
    if let Some(l) = ctx.level {
        emit(buf, &mut sink, "l:", l.as_str().chars(), 1.0);
    }
    if ctx.headline == Some(true) {
        emit(buf, &mut sink, "h:", ['1'], 1.0);
    }
}

/// Character unigrams and bigrams (folded; digits as 0) and jieba words of `text`, in the
/// namespace `ns` (`t` title, `x` body).
fn text_features(text: &str, ns: char, weight: f32, buf: &mut String, sink: &mut impl FnMut(&str, f32)) {
    let chars: Vec<char> =
        text.chars().filter_map(fold_char).map(|c| if c.is_ascii_digit() { '0' } else { c }).collect();
    let (uni, bi, word) = match ns {
        't' => ("tc:", "tb:", "tw:"),
        _ => ("xc:", "xb:", "xw:"),
    };
    for (i, c) in chars.iter().enumerate() {
        emit(buf, sink, uni, [*c], weight);
        if let Some(next) = chars.get(i + 1) {
            emit(buf, sink, bi, [*c, *next], weight);
        }
    }
    for w in segment::words(text) {
        emit(buf, sink, word, w.chars().filter_map(fold_char), weight);
    }
}

/// Names one feature `prefix` + `chars` in `buf` and hands it to `sink`.
fn emit(
    buf: &mut String,
    sink: &mut impl FnMut(&str, f32),
    prefix: &str,
    chars: impl IntoIterator<Item = char>,
    w: f32,
) {
    buf.clear();
    buf.push_str(prefix);
    buf.extend(chars);
    if buf.len() > prefix.len() {
        sink(buf, w);
    }
}

/// 64-bit FNV-1a of a feature name: the key under which the model stores its weights.
pub fn key(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The features of an article as (key, value) pairs, duplicates summed, in key order.
pub fn vector(title: &str, ctx: &Context<'_>) -> Vec<(u64, f32)> {
    let mut buf = String::new();
    let mut out = Vec::with_capacity(96);
    for_each(title, ctx, &mut buf, |name, v| out.push((key(name), v)));
    merge(out)
}

/// Sorts by key and sums the values of equal keys.
pub fn merge(mut v: Vec<(u64, f32)>) -> Vec<(u64, f32)> {
    v.sort_unstable_by_key(|p| p.0);
    v.dedup_by(|later, first| {
        if later.0 == first.0 {
            first.1 += later.1;
            true
        } else {
            false
        }
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(title: &str, ctx: &Context<'_>) -> Vec<String> {
        let mut buf = String::new();
        let mut out = Vec::new();
        for_each(title, ctx, &mut buf, |n, _| out.push(n.to_owned()));
        out
    }

    #[test]
    fn title_features_fold_characters_and_digits() {
        let n = names("６月起，養老金上调→", &Context::default());
        assert!(n.contains(&"tc:0".to_owned()), "{n:?}");
        assert!(n.contains(&"tb:养老".to_owned()), "{n:?}");
        assert!(n.contains(&"p:→".to_owned()), "{n:?}");
        assert!(!n.iter().any(|f| f.contains('，')), "{n:?}");
    }

    #[test]
    fn context_adds_its_own_namespaces() {
        let ctx = Context {
            body: Some("正文第一段讲补贴怎么申请。"),
            field: Some(Field::Taxation),
            level: Some(Level::County),
            headline: Some(true),
        };
        let n = names("标题", &ctx);
        for f in ["xb:补贴", "f:税务", "l:county", "h:1"] {
            assert!(n.contains(&f.to_owned()), "{f} missing from {n:?}");
        }
        let v = vector("标题", &ctx);
        assert!(v.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn fields_follow_account_names() {
        assert_eq!(field_from_name("深圳公安发布"), Some(Field::PublicSecurity));
        assert_eq!(field_from_name("医保北京"), Some(Field::MedicalSecurity));
        assert_eq!(field_from_name("重庆市高级人民法院"), Some(Field::Justice));
        assert_eq!(field_from_name("健康中国"), Some(Field::Health));
        assert_eq!(field_from_name("上海发布"), None);
    }
}

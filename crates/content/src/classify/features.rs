//! What the linear classifier sees of an article: character n-grams and jieba words of the
//! title, weighted-down character n-grams of the body's first characters (read through the
//! title's weights: the corpus has no bodies to learn body weights from), signalling
//! punctuation, and the account's field and level and the article's position.
//!
//! Features are named strings (`b:补贴` is the character bigram 补贴 of the title) so that the
//! shipped model file stays readable; a prediction hashes the names as they are built and
//! allocates nothing per feature.

use govmedia_model::{Field, Level};

use crate::segment;
use crate::text::fold_char;

/// Characters of the body read.
pub const BODY_CHARS: usize = 160;
/// Weight of the body's features taken together relative to the title's. No labelled corpus
/// with bodies exists, so the body has no weights of its own: its character n-grams count as
/// the title's would, scaled so that the whole body weighs this fraction of the title. A
/// cautious choice, not a measured one: the body adds to the title's evidence and cannot
/// outvote a clear title. (The body's jieba words are left out: segmenting 160 characters
/// per article would take most of the time budget of the survey-scale benchmark.)
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
    let title_chars = folded(title);
    ngrams(&title_chars, 1.0, buf, &mut sink);
    for w in segment::words(title) {
        emit(buf, &mut sink, "tw:", w.chars().filter_map(fold_char), 1.0);
    }
    if let Some(body) = ctx.body {
        let body_chars = folded(head(body));
        if !body_chars.is_empty() {
            let ratio = title_chars.len().max(1) as f32 / body_chars.len() as f32;
            ngrams(&body_chars, BODY_WEIGHT * ratio.min(1.0), buf, &mut sink);
        }
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

/// The body's first [`BODY_CHARS`] characters.
fn head(body: &str) -> &str {
    let body = body.trim_start();
    match body.char_indices().nth(BODY_CHARS) {
        Some((i, _)) => &body[..i],
        None => body,
    }
}

/// The characters of `text` that features read: folded, digits as 0, punctuation dropped.
fn folded(text: &str) -> Vec<char> {
    text.chars().filter_map(fold_char).map(|c| if c.is_ascii_digit() { '0' } else { c }).collect()
}

/// Character unigrams and bigrams of `chars`, each weighted `weight`.
fn ngrams(chars: &[char], weight: f32, buf: &mut String, sink: &mut impl FnMut(&str, f32)) {
    for (i, c) in chars.iter().enumerate() {
        emit(buf, sink, "tc:", [*c], weight);
        if let Some(next) = chars.get(i + 1) {
            emit(buf, sink, "tb:", [*c, *next], weight);
        }
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
        for f in ["f:税务", "l:county", "h:1"] {
            assert!(n.contains(&f.to_owned()), "{f} missing from {n:?}");
        }
        let mut buf = String::new();
        let mut v = Vec::new();
        for_each("标题", &ctx, &mut buf, |n, w| v.push((key(n), w)));
        let v = merge(v);
        assert!(v.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn the_body_counts_through_the_title_weights() {
        let body = format!("\n正文第一段讲补贴怎么申请。\n{}", "其他".repeat(BODY_CHARS));
        let ctx = Context { body: Some(&body), ..Context::default() };
        let mut features = Vec::new();
        for_each("标题", &ctx, &mut String::new(), |n, w| features.push((n.to_owned(), w)));
        let weight = |f: &str| features.iter().find(|(n, _)| n == f).map(|(_, w)| *w);
        assert_eq!(weight("tb:标题"), Some(1.0));
        // 2 title characters against 158 read of the body (its first 160 after the leading
        // line break, less 。 and the inner line break): the body as a whole weighs BODY_WEIGHT.
        let w = weight("tb:补贴").expect("body bigram");
        assert!((w - BODY_WEIGHT * 2.0 / 158.0).abs() < 1e-6, "{w}");
        assert!(!features.iter().any(|(n, _)| n.starts_with("tw:补贴")), "no body words");
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

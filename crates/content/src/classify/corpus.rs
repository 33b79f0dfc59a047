//! The labelled corpus behind the shipped classifier (`lexicons/classify-corpus/`, labelled by
//! `docs/classification.md`).
//!
//! Titles under a permissive licence ship with their labels ([`shipped_titles`]). The 2021
//! government feeds have no licence: their labels ship as references (feed file, item index,
//! hash of the title) and [`join_feeds`] pairs them with titles read from `../shared`, refusing
//! a title whose hash differs from the labelled one.

use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;

use govmedia_model::{Field, Level};

use super::features::{Context, field_from_name};
use super::{CATEGORIES, ClassifyError};

const TITLES: &str = include_str!("../../../../lexicons/classify-corpus/titles.csv");
const FEEDS: &str = include_str!("../../../../lexicons/classify-corpus/feeds-gov-2021.csv");
const LEVELS: &str = include_str!("../../../../lexicons/classify-corpus/accounts-gov-2021.csv");
const SECOND_PASS: &str = include_str!("../../../../lexicons/classify-corpus/second-pass.csv");
const CUES: &str = include_str!("../../../../lexicons/classify-keywords.toml");

/// One labelled title with what is known about its article.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Where it comes from: `thucnews:politics_only_dev.DERIVED.txt:12`,
    /// `feeds-gov-2021:MjM5….xml#3`, `wechat-history:共青团中央.json#5`, or a file and line.
    pub id: String,
    pub title: String,
    /// Account name, when the title comes from one (it groups titles for the account mix).
    pub account: Option<String>,
    pub field: Option<Field>,
    pub level: Option<Level>,
    pub headline: Option<bool>,
    /// Index into [`CATEGORIES`].
    pub category: usize,
}

impl Item {
    /// A title with nothing else known.
    pub fn new(id: impl Into<String>, title: impl Into<String>, category: usize) -> Self {
        Item {
            id: id.into(),
            title: title.into(),
            account: None,
            field: None,
            level: None,
            headline: None,
            category,
        }
    }

    /// The article context the features read (no body: the corpus has titles only).
    pub fn context(&self) -> Context<'static> {
        Context { body: None, field: self.field, level: self.level, headline: self.headline }
    }

    /// Whether the title comes from a government account's feed.
    pub fn is_government(&self) -> bool {
        self.id.starts_with("feeds-gov-2021:")
    }

    /// Whether the title is a news headline (THUCNews), not an account's article title.
    pub fn is_news(&self) -> bool {
        self.id.starts_with("thucnews:")
    }
}

/// A label of a feed item, without its title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedLabel {
    /// Feed file name (`MjM5MDA2MDMwMA==.xml`).
    pub feed: String,
    /// Index of the item in the feed, from 0.
    pub item: usize,
    /// FNV-1a (32 bit, hex) of the title with its whitespace collapsed to single spaces.
    pub title_fnv: String,
    pub category: usize,
}

/// A feed as read from `../shared`: the account's name and its items' titles and publication
/// times, in feed order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Feed {
    pub account: String,
    pub items: Vec<(String, Option<i64>)>,
}

/// Labelled titles that ship with the crate (THUCNews headlines, 共青团中央 history titles).
pub fn shipped_titles() -> Vec<Item> {
    let rows = rows(TITLES, "titles.csv", &["source", "ref", "account", "title", "category"])
        .expect("shipped corpus is valid");
    rows.into_iter()
        .map(|r| {
            let mut item = Item::new(format!("{}:{}", r[0], r[1]), r[3].clone(), r[4].parse().unwrap_or(0));
            item.account = Some(r[2].clone()).filter(|a| !a.is_empty());
            item.field = item.account.as_deref().and_then(field_from_name);
            item
        })
        .collect()
}

/// The labels of the 2021 government feeds.
pub fn feed_labels() -> Vec<FeedLabel> {
    rows(FEEDS, "feeds-gov-2021.csv", &["feed", "item", "title_fnv", "category"])
        .expect("shipped feed labels are valid")
        .into_iter()
        .map(|r| FeedLabel {
            feed: r[0].clone(),
            item: r[1].parse().unwrap_or(usize::MAX),
            title_fnv: r[2].clone(),
            category: r[3].parse().unwrap_or(0),
        })
        .collect()
}

/// The feed labels joined with their titles. `read` returns a feed file's content (called
/// once per feed, with the file name); a title that is missing or whose hash differs is an
/// error naming the feed and item.
pub fn join_feeds(
    mut read: impl FnMut(&str) -> Result<Feed, ClassifyError>,
) -> Result<Vec<Item>, ClassifyError> {
    let levels: HashMap<String, Level> = rows(LEVELS, "accounts-gov-2021.csv", &["feed", "level"])
        .expect("shipped account levels are valid")
        .into_iter()
        .filter_map(|r| Some((r[0].clone(), Level::from_str(&r[1]).ok()?)))
        .collect();
    let mut feeds: HashMap<String, Feed> = HashMap::new();
    let mut out = Vec::new();
    for label in feed_labels() {
        if !feeds.contains_key(&label.feed) {
            feeds.insert(label.feed.clone(), read(&label.feed)?);
        }
        let feed = &feeds[&label.feed];
        let bad = |reason: String| ClassifyError::Row {
            file: format!("feeds-gov-2021/{}", label.feed),
            line: label.item as u64 + 1,
            field: "title",
            reason,
        };
        let (title, published) =
            feed.items.get(label.item).ok_or_else(|| bad("订阅源中没有这一项".into()))?;
        if title_fnv(title) != label.title_fnv {
            return Err(bad(format!("标题“{title}”与标注时的标题不同（哈希不符）")));
        }
        let previous = label.item.checked_sub(1).and_then(|i| feed.items.get(i)).map(|p| p.1);
        let mut item =
            Item::new(format!("feeds-gov-2021:{}#{}", label.feed, label.item), title.clone(), label.category);
        item.account = Some(feed.account.clone());
        item.field = field_from_name(&feed.account);
        item.level = levels.get(&label.feed).copied();
        // Items of one push share a publication time; the first of them is the 头条.
        item.headline = Some(published.is_some() && previous != Some(*published));
        out.push(item);
    }
    Ok(out)
}

/// Hand-written cue words per category (`lexicons/classify-keywords.toml`), each as an item
/// whose title is the word, and the weight the file gives them in naive Bayes counts.
pub fn cue_words() -> (Vec<Item>, f64) {
    #[derive(serde::Deserialize)]
    struct File {
        weight: f64,
        categories: std::collections::BTreeMap<String, Vec<String>>,
    }
    let file: File = toml::from_str(CUES).expect("shipped cue words parse");
    let items = file
        .categories
        .iter()
        .filter_map(|(cat, words)| Some((CATEGORIES.iter().position(|k| k == cat)?, words)))
        .flat_map(|(c, words)| words.iter().map(move |w| Item::new(format!("cue:{w}"), w.clone(), c)))
        .collect();
    (items, file.weight)
}

/// The blind second labelling: item id → category.
pub fn second_pass() -> HashMap<String, usize> {
    rows(SECOND_PASS, "second-pass.csv", &["corpus", "ref", "category"])
        .expect("shipped second pass is valid")
        .into_iter()
        .map(|r| (format!("{}:{}", r[0], r[1]), r[2].parse().unwrap_or(0)))
        .collect()
}

/// FNV-1a (32 bit) of a title with whitespace collapsed, as hex: the check that a feed item
/// is the one that was labelled.
pub fn title_fnv(title: &str) -> String {
    let norm = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let h = norm.bytes().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    format!("{h:08x}")
}

/// Reads a feed file from `dir` with `parse` (the ingest crate's feed reader, in the
/// evaluation example and the tests).
pub fn feed_reader<'a>(
    dir: &'a Path,
    parse: impl Fn(&Path, &[u8]) -> Result<Feed, String> + 'a,
) -> impl FnMut(&str) -> Result<Feed, ClassifyError> + 'a {
    move |name| {
        let path = dir.join(name);
        let file = path.display().to_string();
        let bytes = std::fs::read(&path)
            .map_err(|e| ClassifyError::Read { file: file.clone(), message: e.to_string() })?;
        parse(&path, &bytes).map_err(|message| ClassifyError::Read { file, message })
    }
}

/// The columns `want` of a shipped CSV, categories turned into their index (as text).
fn rows(text: &str, file: &str, want: &[&str]) -> Result<Vec<Vec<String>>, ClassifyError> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers()?.clone();
    let cols: Vec<usize> =
        want.iter()
            .map(|w| headers.iter().position(|h| h == *w))
            .collect::<Option<_>>()
            .ok_or_else(|| ClassifyError::MissingColumn { file: file.to_owned(), column: "category" })?;
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec?;
        let mut row: Vec<String> = cols.iter().map(|c| rec.get(*c).unwrap_or("").to_owned()).collect();
        if let Some(i) = want.iter().position(|w| *w == "category") {
            let c = CATEGORIES.iter().position(|k| *k == row[i]).ok_or_else(|| ClassifyError::Row {
                file: file.to_owned(),
                line: rec.position().map_or(0, |p| p.line()),
                field: "category",
                reason: format!("未知类别「{}」", row[i]),
            })?;
            row[i] = c.to_string();
        }
        out.push(row);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_corpus_reads_and_is_labelled_everywhere() {
        let titles = shipped_titles();
        assert_eq!(titles.len(), 2073);
        assert!(titles.iter().any(|t| t.account.as_deref() == Some("共青团中央")));
        assert_eq!(feed_labels().len(), 1958);
        assert_eq!(second_pass().len(), 403);
    }

    #[test]
    fn title_hash_ignores_runs_of_whitespace() {
        assert_eq!(title_fnv("高考不忘防诈骗     北京反诈"), title_fnv("高考不忘防诈骗 北京反诈"));
        assert_ne!(title_fnv("甲"), title_fnv("乙"));
    }

    #[test]
    fn a_changed_feed_title_is_refused() {
        let label = &feed_labels()[0];
        let feed = Feed {
            account: "深圳发布".into(),
            items: vec![("别的标题".into(), None); label.item + 1],
        };
        let err = join_feeds(|_| Ok(feed.clone())).unwrap_err().to_string();
        assert!(err.contains(&label.feed) && err.contains("哈希不符"), "{err}");
    }
}

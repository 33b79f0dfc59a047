//! The 2021 government feeds of `../shared`, read with the ingest crate's feed reader: shared
//! by the corpus test and the evaluation example (`#[path]`-included by both).

use std::path::{Path, PathBuf};

use govmedia_content::classify::ClassifyError;
use govmedia_content::classify::corpus::{self, Feed, Item};
use govmedia_ingest::Record;

/// The feeds folder under a `shared` directory.
pub fn feeds_dir(shared: &Path) -> PathBuf {
    shared.join("data/wechat/feeds-gov-2021/feeds")
}

/// The feed labels joined with their titles.
pub fn feed_items(shared: &Path) -> Result<Vec<Item>, ClassifyError> {
    let dir = feeds_dir(shared);
    corpus::join_feeds(corpus::feed_reader(&dir, |path, bytes| {
        let mut feed = Feed::default();
        for r in govmedia_ingest::feed::read(path, bytes).map_err(|e| e.to_string())? {
            match r {
                Record::AccountIfMissing(a) => feed.account = a.name,
                Record::Article(a) => feed.items.push((a.title, Some(a.published_at.timestamp()))),
                _ => {}
            }
        }
        Ok(feed)
    }))
}

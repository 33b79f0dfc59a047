//! Saved mp.weixin.qq.com pages: articles, notice pages and "关于公众号" pages.
//!
//! [`read`] takes one saved page. Article pages give the account (`__biz`, nickname) and
//! one article; "关于公众号" pages give [`Record::AccountAbout`]; notice pages (served
//! with HTTP 200 instead of a deleted, blocked or expired article) give the article marked
//! deleted when the page still names its account, title and time — otherwise a notice page
//! says nothing that could be stored against an account and is rejected with its reason.

mod about;
mod article;
mod notice;
mod script;

use std::path::Path;

pub use notice::{Notice, classify_notice};

use crate::text::utf8;
use crate::{Record, RecordError};

/// Reads one saved page.
pub fn read(path: &Path, bytes: &[u8]) -> Result<Vec<Record>, RecordError> {
    let html = utf8(path, bytes)?;
    if let Some(notice) = classify_notice(html) {
        return read_notice(path, html, notice);
    }
    if about::is_about_page(html) {
        return about::read(path, html);
    }
    article::read(path, html)
}

/// A notice page: the article it stands for, marked deleted, when the page still carries
/// the article's facts.
fn read_notice(path: &Path, html: &str, notice: Notice) -> Result<Vec<Record>, RecordError> {
    let facts = article::Facts::from_scripts(html);
    let reason = notice.reason_zh();
    if facts.title.is_some() && facts.ct.is_some() && facts.biz.is_some() {
        let mut records = article::read(path, html)?;
        for r in &mut records {
            if let Record::Article(a) = r {
                a.deleted = Some(true);
                a.deleted_reason = Some(reason.to_owned());
                a.content = None;
            }
        }
        return Ok(records);
    }
    Err(RecordError::file(
        path,
        format!(
            "微信提示页（{reason}）：页面未保留文章的 __biz、标题和发布时间，无法归入任何账号；\
             请以原文链接在 pages.jsonl 中记录该页面"
        ),
    ))
}

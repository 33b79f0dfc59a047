//! Saved mp.weixin.qq.com pages: articles, notice pages and "关于公众号" pages.

mod notice;

pub use notice::{Notice, classify_notice};

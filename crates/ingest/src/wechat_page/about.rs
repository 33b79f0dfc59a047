//! "关于公众号" / "关于服务号" pages (`PAGE_MID` wxverify/info.html): the
//! account's introduction, verification, former names and IP location.
//!
//! Each fact is an `.item-info` block: an `.item-title` label and an `.item-desc` value.
//! The label varies with the account type (认证类型 / 主体类型 / 账号类型, 认证主体 /
//! 账号主体). The IP location is filled in by script from `window.ip_wording`, so it is
//! read there. The page names its `__biz` only in the 认证主体 link; personal accounts have
//! none, and then a file named after the `__biz` (`about-biz-<__biz>.html`) supplies it.

use std::path::Path;
use std::sync::LazyLock;

use scraper::{ElementRef, Html, Selector};

use super::script::js_string;
use crate::text::{biz_of_url, element_text, is_biz};
use crate::{AccountAbout, Record, RecordError};

static ITEM: LazyLock<Selector> = LazyLock::new(|| sel(".about-page .item-info"));
static ITEM_TITLE: LazyLock<Selector> = LazyLock::new(|| sel(".item-title"));
static ITEM_DESC: LazyLock<Selector> = LazyLock::new(|| sel(".item-desc"));
static RENAME: LazyLock<Selector> = LazyLock::new(|| sel(".js_item"));
static LINK: LazyLock<Selector> = LazyLock::new(|| sel("a[href]"));

fn sel(css: &str) -> Selector {
    Selector::parse(css).expect("static selector")
}

/// Cheap test on the raw page.
pub(super) fn is_about_page(html: &str) -> bool {
    html.contains("class=\"about-page\"")
}

pub(super) fn read(path: &Path, html: &str) -> Result<Vec<Record>, RecordError> {
    let doc = Html::parse_document(html);
    let mut about = AccountAbout::default();
    let mut biz = None;
    for item in doc.select(&ITEM) {
        let Some(label) = item.select(&ITEM_TITLE).next().map(element_text) else { continue };
        let value = item.select(&ITEM_DESC).next();
        let text = value.map(element_text).filter(|t| !t.is_empty());
        match label.as_str() {
            "公众号简介" | "服务号简介" | "简介" | "功能介绍" => about.intro = text,
            "认证类型" | "主体类型" | "账号类型" if about.verification_type.is_none() => {
                about.verification_type = text
            }
            "认证主体" | "账号主体" => {
                about.verified_subject = text;
                biz =
                    item.select(&LINK).filter_map(|a| biz_of_url(a.attr("href")?)).next().map(str::to_owned);
            }
            "名称记录" => {
                let (current, former) = renames(item);
                about.name = current;
                about.former_names = former;
            }
            "IP属地" => about.ip_location = text,
            _ => {}
        }
    }
    if about.ip_location.is_none() {
        about.ip_location = js_string(html, &["provinceName: "])
            .or_else(|| js_string(html, &["countryName: "]))
            .filter(|s| !s.trim().is_empty());
    }
    about.biz = biz.or_else(|| biz_from_file_name(path)).ok_or_else(|| {
        RecordError::new(
            path,
            None,
            Some("__biz"),
            "“关于公众号”页面中找不到 __biz（个人账号页面不含认证链接）；请以 __biz 命名文件，如 about-biz-<__biz>.html",
        )
    })?;
    if about == (AccountAbout { biz: about.biz.clone(), ..AccountAbout::default() }) {
        return Err(RecordError::file(path, "“关于公众号”页面中没有读到任何账号信息"));
    }
    Ok(vec![Record::AccountAbout(about)])
}

/// The 名称记录 entries, newest first: “旧名”改名“新名”, “旧名”账号迁移改名“新名”,
/// 注册“名称”. Returns the current name and the earlier names, newest first.
fn renames(item: ElementRef<'_>) -> (Option<String>, Vec<String>) {
    let mut names: Vec<String> = Vec::new();
    for entry in item.select(&RENAME) {
        for name in quoted(&element_text(entry)).into_iter().rev() {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    let mut names = names.into_iter();
    (names.next(), names.collect())
}

/// Texts between “ and ”.
fn quoted(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find('“') {
        let after = &rest[open + '“'.len_utf8()..];
        let Some(close) = after.find('”') else { break };
        let name = after[..close].trim();
        if !name.is_empty() {
            out.push(name.to_owned());
        }
        rest = &after[close + '”'.len_utf8()..];
    }
    out
}

/// `about-biz-MzI4NjAxNjY4Nw==.html` or `MzI4NjAxNjY4Nw==.html`.
fn biz_from_file_name(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    let candidate = stem.rsplit(['-', '_']).next()?;
    is_biz(candidate).then(|| candidate.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_rename_history() {
        assert_eq!(quoted("2021年02月02日 “立安保险经纪”账号迁移改名“深蓝保”"), ["立安保险经纪", "深蓝保"]);
        assert_eq!(quoted("“未闭合"), Vec::<String>::new());
        assert_eq!(
            biz_from_file_name(Path::new("html/about-biz-MzI4NjAxNjY4Nw==.html")).as_deref(),
            Some("MzI4NjAxNjY4Nw==")
        );
        assert_eq!(biz_from_file_name(Path::new("html/about.html")), None);
    }
}

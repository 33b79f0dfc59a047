//! A saved article page: facts from the inline scripts, body and media from `#js_content`.
//!
//! Counters (`appmsg_bar_data`, present only when the saver was signed in; see
//! `article-with-counters-c01.html`): the page's own bottom bar decides which is which —
//! `old_like_count` fills `js_bar_oldlike_btn`, labelled by `js_a11y_zan_btn_txt` "赞" with
//! "赞" as its empty text and a `praise` click: that is 点赞 (`likes`). `like_count` fills
//! `js_bar_like_btn`, labelled by `js_a11y_like_btn_txt` "在看" with "在看" (or "推荐")
//! as its empty text and an `author_recommend` click: that is 在看 (`wows`).
//! `share_count` → `shares`, `collect_count` → `favorites`, `read_num` → `reads`;
//! `comment_count` has no article field and is kept in `extra`.
//!
//! 原创: the page's `copyright_stat` is 1 exactly where a `copyright_logo` "原创" mark is
//! shown (article-with-author-01, the 2018 qqmusic page), 2 on a shared article
//! (article-share-01) and 0 elsewhere; 1 or the mark → `Some(true)`, 0 or 2 → `Some(false)`.

use std::borrow::Cow;
use std::sync::LazyLock;

use govmedia_model::{Account, Article, Level, Media, Reads, time};
use scraper::{ElementRef, Html, Selector};

use super::script::{js_count, js_string};
use crate::text::{biz_of_url, element_text, is_biz, tidy_lines};
use crate::{Record, RecordError};

static CONTENT: LazyLock<Selector> = LazyLock::new(|| sel("#js_content"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| sel("#activity-name"));
static NAME: LazyLock<Selector> = LazyLock::new(|| sel("#js_name, #post-user"));
static AUTHOR: LazyLock<Selector> = LazyLock::new(|| sel("#js_author_name"));
static ORIGINAL_MARK: LazyLock<Selector> = LazyLock::new(|| sel("#copyright_logo"));
static OG_URL: LazyLock<Selector> = LazyLock::new(|| sel(r#"meta[property="og:url"]"#));
static OG_TITLE: LazyLock<Selector> = LazyLock::new(|| sel(r#"meta[property="og:title"]"#));

fn sel(css: &str) -> Selector {
    Selector::parse(css).expect("static selector")
}

/// What the scripts of an article page say.
pub(super) struct Facts {
    pub title: Option<String>,
    pub ct: Option<String>,
    pub biz: Option<String>,
    pub nickname: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
}

impl Facts {
    pub(super) fn from_scripts(html: &str) -> Facts {
        let biz = js_string(html, &["var biz = ", "window.biz = ", "d.biz = ", "var appuin = "])
            .filter(|b| is_biz(b));
        let url = js_string(html, &["var msg_link = ", "window.msg_link = "])
            .filter(|u| u.starts_with("http"))
            .or_else(|| {
                let (mid, idx) = (js_string(html, &["var mid = "])?, js_string(html, &["var idx = "])?);
                let sn = js_string(html, &["var sn = "]).unwrap_or_default();
                let mut u =
                    format!("https://mp.weixin.qq.com/s?__biz={}&mid={mid}&idx={idx}", biz.as_deref()?);
                if !sn.is_empty() {
                    u.push_str("&sn=");
                    u.push_str(&sn);
                }
                Some(u)
            });
        Facts {
            title: js_string(html, &["var msg_title = ", "window.msg_title = ", "d.title = "]),
            ct: js_string(html, &["var ct = ", "window.ct = ", "d.ct = ", "var create_time = "]),
            nickname: js_string(html, &["var nickname = ", "d.nick_name = ", "window.nickname = "]),
            author: js_string(html, &["var author = ", "d.author = "]),
            biz,
            url,
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.title.is_none() && self.ct.is_none() && self.biz.is_none()
    }
}

/// Reads an article page (not a notice, not an about page).
pub(super) fn read(path: &std::path::Path, html: &str) -> Result<Vec<Record>, RecordError> {
    let facts = Facts::from_scripts(html);
    if facts.is_empty() {
        return Err(RecordError::file(
            path,
            "不是微信文章页面：没有找到文章信息（msg_title、ct、__biz），也不是已识别的提示页或“关于公众号”页",
        ));
    }
    let doc = Html::parse_document(&without_scripts(html));
    let first_text = |s: &Selector| doc.select(s).next().map(element_text).filter(|t| !t.is_empty());
    let meta = |s: &Selector| {
        doc.select(s).next().and_then(|m| m.attr("content")).map(str::trim).filter(|t| !t.is_empty())
    };

    let og_url = meta(&OG_URL).map(str::to_owned);
    let biz = facts
        .biz
        .clone()
        .or_else(|| og_url.as_deref().and_then(biz_of_url).map(str::to_owned))
        .ok_or_else(|| RecordError::new(path, None, Some("__biz"), "文章页面中找不到公众号标识 __biz"))?;
    let title = facts
        .title
        .clone()
        .or_else(|| first_text(&TITLE))
        .or_else(|| meta(&OG_TITLE).map(str::to_owned))
        .map(|t| tidy_lines(&t).replace('\n', " "))
        .ok_or_else(|| RecordError::new(path, None, Some("msg_title"), "文章页面中找不到标题"))?;
    let ct = facts.ct.as_deref().ok_or_else(|| {
        RecordError::new(path, None, Some("ct"), format!("文章“{title}”的页面中找不到发布时间 ct"))
    })?;
    let published_at = ct.trim().parse::<i64>().ok().and_then(time::from_unix).ok_or_else(|| {
        RecordError::new(path, None, Some("ct"), format!("无效的发布时间“{ct}”（应为 Unix 秒）"))
    })?;
    let url = og_url.or(facts.url.clone()).ok_or_else(|| {
        RecordError::new(path, None, Some("og:url"), format!("文章“{title}”的页面中找不到文章链接"))
    })?;
    let nickname = facts.nickname.clone().or_else(|| first_text(&NAME));

    let mut a = Article::new(biz.clone(), url, title, published_at);
    // A saved page loads its comments separately: they are not in the HTML.
    a.comments_collected = Some(false);
    a.author = facts.author.clone().or_else(|| first_text(&AUTHOR)).filter(|s| !s.trim().is_empty());
    let show_type = js_string(html, &["var item_show_type = ", "window.item_show_type = "])
        .and_then(|s| s.trim().parse::<u32>().ok());
    // Image (8) and text (10) shares keep their text in `content_noencode`; their
    // `#js_content`, when present, only holds the follow card.
    let is_share = matches!(show_type, Some(8 | 10));
    let body = doc.select(&CONTENT).next().filter(|_| !is_share);
    let shared_text =
        || js_string(html, &["content_noencode: JsDecode(", "content_noencode: "]).map(|t| tidy_lines(&t));
    a.content = if is_share {
        shared_text()
    } else {
        body.map(element_text).filter(|t| !t.is_empty()).or_else(shared_text)
    }
    .filter(|t| !t.is_empty());
    let mut media = body.map(media_of).unwrap_or_default();
    if show_type == Some(8) {
        media.images = picture_count(html);
    }
    a.media = Some(media);
    a.links = body.map(links_of).unwrap_or_default();
    a.original = original(html, doc.select(&ORIGINAL_MARK).next().is_some());
    a.reads = js_count(html, "read_num").map(Reads::exact);
    a.likes = js_count(html, "old_like_count");
    a.wows = js_count(html, "like_count");
    a.shares = js_count(html, "share_count");
    a.favorites = js_count(html, "collect_count");
    if let Some(n) = js_count(html, "comment_count") {
        a.extra.insert("comment_count".into(), n.into());
    }
    if let Some(t) = show_type {
        a.extra.insert("item_show_type".into(), t.into());
    }

    let mut account = Account::new(biz.clone(), nickname.unwrap_or_else(|| biz.clone()), "", Level::Other);
    account.biz = Some(biz);
    Ok(vec![Record::AccountIfMissing(account), Record::Article(a)])
}

/// The page without its `<script>` elements, for the tree: scripts are 97% of a 3 MB
/// article page, their facts are read from the raw text, and html5ever's script states
/// dominated the parse. An unclosed script runs to the end, as in a browser.
fn without_scripts(html: &str) -> Cow<'_, str> {
    let Some(first) = find_ascii_ci(html, "<script", 0) else { return Cow::Borrowed(html) };
    let mut out = String::with_capacity(html.len() / 8);
    let mut from = 0;
    let mut at = Some(first);
    while let Some(open) = at {
        out.push_str(&html[from..open]);
        from = match find_ascii_ci(html, "</script", open + 7) {
            Some(close) => html[close..].find('>').map_or(html.len(), |gt| close + gt + 1),
            None => html.len(),
        };
        at = find_ascii_ci(html, "<script", from);
    }
    out.push_str(&html[from..]);
    Cow::Owned(out)
}

/// Next `needle` (lowercase ASCII) at or after `from`, ignoring ASCII case, as a tag name:
/// followed by whitespace, `>` or `/`.
fn find_ascii_ci(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let bytes = hay.as_bytes();
    let n = needle.as_bytes();
    let mut i = from;
    while i + n.len() <= bytes.len() {
        let lt = i + bytes[i..].iter().position(|&b| b == b'<')?;
        let end = lt + n.len();
        if end <= bytes.len()
            && bytes[lt..end].eq_ignore_ascii_case(n)
            && bytes.get(end).is_none_or(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
        {
            return Some(lt);
        }
        i = lt + 1;
    }
    None
}

/// 原创 from the `copyright_stat` script value and the visible mark (see module docs).
fn original(html: &str, marked: bool) -> Option<bool> {
    if marked {
        return Some(true);
    }
    match js_string(html, &["var copyright_stat = ", "var _copyright_stat = "]).as_deref().map(str::trim) {
        Some("1") => Some(true),
        Some("0" | "2") => Some(false),
        _ => None,
    }
}

/// Images (lazy `data-src` included), video players and audio players in the body.
fn media_of(body: ElementRef<'_>) -> Media {
    let mut m = Media::default();
    for e in body.descendent_elements() {
        let attr = |n: &str| e.attr(n).map(str::trim).unwrap_or("");
        match e.value().name() {
            "img" => {
                let src = if attr("data-src").is_empty() { attr("src") } else { attr("data-src") };
                if !src.is_empty() && !src.starts_with("data:") && !attr("class").contains("avatar") {
                    m.images += 1;
                }
            }
            "iframe" => {
                let src = format!("{} {}", attr("data-src"), attr("src"));
                if attr("class").contains("video_iframe")
                    || src.contains("v.qq.com/")
                    || src.contains("video")
                {
                    m.videos += 1;
                }
            }
            "mpvideo" | "mp-video" | "video" | "mpvideosnap" | "mp-common-videosnap" => m.videos += 1,
            "mpvoice" | "mpaudio" | "mp-common-mpaudio" | "qqmusic" | "mp-common-qqmusic" | "audio" => {
                m.audios += 1
            }
            _ => {}
        }
    }
    m
}

/// Distinct web links in the body, in order.
fn links_of(body: ElementRef<'_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in body.descendent_elements().filter(|e| e.value().name() == "a") {
        let Some(href) = e.attr("href").map(str::trim) else { continue };
        if (href.starts_with("http://") || href.starts_with("https://")) && !out.iter().any(|l| l == href) {
            out.push(href.to_owned());
        }
    }
    out
}

/// Pictures of an image share (图片分享): entries of `window.picture_page_info_list`,
/// each an object opening with its `width` (nested covers open with `cdn_url`).
fn picture_count(html: &str) -> u32 {
    let Some(at) = html.find("picture_page_info_list = [") else { return 0 };
    let list = &html[at..];
    let end = list.find("];").unwrap_or(list.len());
    let list = &list[..end];
    let mut n = 0;
    let mut rest = list;
    while let Some(i) = rest.find('{') {
        rest = &rest[i + 1..];
        if rest.trim_start().starts_with("width:") {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_cut_before_the_tree() {
        let html =
            "<p>a</p><SCRIPT type=x>if (a<b) {}</script ><noscript>n</noscript><scripts>s</scripts><script>x";
        assert_eq!(without_scripts(html), "<p>a</p><noscript>n</noscript><scripts>s</scripts>");
        assert_eq!(without_scripts("<p>é</p>"), "<p>é</p>");
        assert_eq!(without_scripts("<script"), "");
        assert_eq!(
            picture_count("picture_page_info_list = [{ width: 1, c: { cdn_url: 2 } }, {width:3}];"),
            2
        );
    }
}

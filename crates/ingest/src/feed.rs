//! RSS 2.0 (and 1.0), Atom and JSON Feed (1.0/1.1, what self-hosted collectors such as wewe-rss
//! also serve) feeds, one account per file: the file stem is the account id.
//!
//! The channel becomes an implied account (name from its title without a collector's
//! suffix such as " | wechat-feeds", intro from its description); each item or entry
//! becomes an article. A body (`content:encoded`, Atom `content`, or the description /
//! summary) is kept as plain text only when it says more than the title: WeChat-to-RSS
//! collectors often repeat the title there.

use std::path::Path;

use chrono::DateTime;
use govmedia_model::{Account, Article, Level, Timestamp, time};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::text::{account_id_of, biz_number, html_to_text, html_unescape, tidy_lines, utf8};
use crate::{Record, RecordError};

/// Reads one feed file into an implied account and its articles.
pub fn read(path: &Path, bytes: &[u8]) -> Result<Vec<Record>, RecordError> {
    read_for(path, &account_id_of(path)?, bytes)
}

/// Reads a feed of account `account_id` (a feed fetched over HTTP has no file name to take the
/// id from); `origin` names it in errors (a path or the feed's URL).
pub fn read_for(origin: &Path, account_id: &str, bytes: &[u8]) -> Result<Vec<Record>, RecordError> {
    let path = origin;
    let text = utf8(path, bytes)?;
    let account_id = account_id.to_owned();
    let parsed = if text.trim_start().starts_with('{') { parse_json(text) } else { parse(text) }
        .map_err(|(offset, reason)| RecordError::new(path, Some(line_at(text, offset)), None, reason))?;
    if !parsed.is_feed {
        return Err(RecordError::file(
            path,
            "不是 RSS、Atom 或 JSON Feed 订阅源（根元素应为 <rss>、<feed> 或 <rdf:RDF>，或含 items 的 JSON Feed）",
        ));
    }
    let mut account =
        Account::new(account_id.clone(), channel_name(&parsed.title, &account_id), "", Level::Other);
    account.intro = Some(html_to_text(&parsed.description)).filter(|s| !s.is_empty());
    if biz_number(&account_id).is_some() {
        account.biz = Some(account_id.clone());
    }
    let mut records = vec![Record::AccountIfMissing(account)];
    for (n, item) in parsed.items.into_iter().enumerate() {
        let line = Some(line_at(text, item.offset));
        let title = tidy_lines(&item.title).replace('\n', " ");
        let err = |field: &str, reason: String| RecordError::new(path, line, Some(field), reason);
        let url = [&item.link, &item.guid]
            .into_iter()
            .map(|s| s.trim())
            .find(|s| s.starts_with("http://") || s.starts_with("https://"))
            .ok_or_else(|| err("link", format!("第 {} 项“{title}”缺少链接", n + 1)))?
            .to_owned();
        let published_at = [&item.published, &item.updated]
            .into_iter()
            .find(|s| !s.trim().is_empty())
            .ok_or_else(|| err("pubDate", format!("第 {} 项“{title}”缺少发布时间", n + 1)))
            .and_then(|s| {
                parse_date(s).ok_or_else(|| err("pubDate", format!("无法解析的时间“{}”", s.trim())))
            })?;
        let mut article = Article::new(account_id.clone(), url, title, published_at);
        // Feeds carry no comments: their absence says nothing about readers.
        article.comments_collected = Some(false);
        article.content = [&item.content, &item.description]
            .into_iter()
            .map(|html| html_to_text(html))
            .find(|body| !body.is_empty() && !same_words(body, &article.title));
        article.author = Some(item.author.trim().to_owned()).filter(|s| !s.is_empty());
        records.push(Record::Article(article));
    }
    Ok(records)
}

/// What one pass over the XML found.
#[derive(Default)]
struct Parsed {
    is_feed: bool,
    title: String,
    description: String,
    items: Vec<Item>,
}

#[derive(Default)]
struct Item {
    /// Byte offset of the item's start tag, for error lines.
    offset: u64,
    title: String,
    link: String,
    guid: String,
    published: String,
    updated: String,
    description: String,
    content: String,
    author: String,
}

/// A JSON Feed (jsonfeed.org 1.0/1.1): the same fields as the XML formats. Errors carry the
/// byte offset and a Chinese reason.
fn parse_json(text: &str) -> Result<Parsed, (u64, String)> {
    #[derive(serde::Deserialize)]
    struct Feed {
        #[serde(default)]
        version: String,
        #[serde(default)]
        title: String,
        #[serde(default)]
        description: String,
        #[serde(default)]
        items: Vec<JsonItem>,
    }
    #[derive(serde::Deserialize)]
    struct JsonItem {
        #[serde(default)]
        id: serde_json::Value,
        #[serde(default)]
        url: String,
        #[serde(default)]
        title: String,
        #[serde(default)]
        summary: String,
        #[serde(default)]
        content_html: String,
        #[serde(default)]
        content_text: String,
        #[serde(default)]
        date_published: String,
        #[serde(default)]
        date_modified: String,
        #[serde(default)]
        authors: Vec<serde_json::Value>,
        #[serde(default)]
        author: Option<serde_json::Value>,
    }
    let feed: Feed = serde_json::from_str(text).map_err(|e| {
        let offset = text.lines().take(e.line().saturating_sub(1)).map(|l| l.len() as u64 + 1).sum();
        (offset, format!("JSON Feed 格式错误：{e}"))
    })?;
    let name = |v: &serde_json::Value| v.get("name").and_then(|n| n.as_str()).unwrap_or_default().to_owned();
    let items = feed
        .items
        .into_iter()
        .map(|i| {
            // An item's place in the text, for error lines: where its id or url first occurs.
            let key = i.id.as_str().filter(|s| !s.is_empty()).unwrap_or(&i.url);
            let offset = if key.is_empty() { 0 } else { text.find(key).unwrap_or(0) as u64 };
            Item {
                offset,
                title: i.title,
                link: i.url,
                guid: i.id.as_str().map(str::to_owned).unwrap_or_default(),
                published: i.date_published,
                updated: i.date_modified,
                description: i.summary,
                content: if i.content_html.is_empty() { i.content_text } else { i.content_html },
                author: i.authors.first().or(i.author.as_ref()).map(name).unwrap_or_default(),
            }
        })
        .collect();
    Ok(Parsed {
        is_feed: feed.version.contains("jsonfeed.org"),
        title: feed.title,
        description: feed.description,
        items,
    })
}

/// Walks the XML once. Errors carry the byte offset and a Chinese reason.
fn parse(text: &str) -> Result<Parsed, (u64, String)> {
    let mut reader = Reader::from_str(text);
    let mut out = Parsed::default();
    // Local names of the open elements; `item_depth` is the stack depth of the open item.
    let mut stack: Vec<String> = Vec::new();
    let mut item: Option<(usize, Item)> = None;
    let mut buf = String::new();
    loop {
        let offset = reader.buffer_position();
        let event =
            reader.read_event().map_err(|e| (reader.error_position(), format!("XML 格式错误：{e}")))?;
        match event {
            Event::Start(e) => {
                let name = local_name(&e);
                if stack.is_empty() {
                    out.is_feed = matches!(name.as_str(), "rss" | "feed" | "rdf");
                    if !out.is_feed {
                        return Ok(out);
                    }
                }
                if item.is_none() && (name == "item" || name == "entry") {
                    item = Some((stack.len() + 1, Item { offset, ..Item::default() }));
                }
                if let Some((depth, it)) = &mut item
                    && stack.len() == *depth
                    && name == "link"
                {
                    take_atom_link(&e, &mut it.link);
                }
                stack.push(name);
                buf.clear();
            }
            Event::Empty(e) => {
                let name = local_name(&e);
                if stack.is_empty() {
                    return Ok(out);
                }
                if let Some((depth, it)) = &mut item
                    && stack.len() == *depth
                    && name == "link"
                {
                    take_atom_link(&e, &mut it.link);
                }
            }
            Event::Text(t) => buf.push_str(&t.xml10_content()),
            Event::CData(t) => buf.push_str(&t.into_inner()),
            Event::GeneralRef(r) => {
                let name = r.into_inner();
                buf.push_str(&html_unescape(&format!("&{name};")));
            }
            Event::End(_) => {
                let Some(name) = stack.pop() else {
                    return Err((offset, "XML 格式错误：多余的结束标签".into()));
                };
                let text = std::mem::take(&mut buf);
                match &mut item {
                    Some((depth, _)) if stack.len() + 1 == *depth => {
                        let (_, done) = item.take().expect("open item");
                        out.items.push(done);
                    }
                    Some((depth, it)) if stack.len() == *depth => it.set(&name, text),
                    Some((depth, it))
                        if stack.len() == *depth + 1
                            && name == "name"
                            && stack.last().is_some_and(|p| p == "author") =>
                    {
                        it.set("author", text)
                    }
                    Some(_) => {}
                    None => {
                        let parent = stack.last().map(String::as_str);
                        if matches!(parent, Some("channel" | "feed")) {
                            match name.as_str() {
                                "title" if out.title.is_empty() => out.title = text,
                                "description" | "subtitle" if out.description.is_empty() => {
                                    out.description = text;
                                }
                                _ => {}
                            }
                        }
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err((text.len() as u64, format!("XML 不完整：<{open}> 未闭合（文件可能被截断）")));
    }
    Ok(out)
}

impl Item {
    /// Stores the text of one direct child element.
    fn set(&mut self, name: &str, text: String) {
        let slot = match name {
            "title" => &mut self.title,
            "link" if self.link.is_empty() => &mut self.link,
            "guid" | "id" => &mut self.guid,
            "pubdate" | "published" | "date" | "issued" => &mut self.published,
            "updated" | "modified" => &mut self.updated,
            "description" | "summary" => &mut self.description,
            "encoded" | "content" => &mut self.content,
            "author" | "creator" => &mut self.author,
            _ => return,
        };
        if slot.is_empty() {
            *slot = text;
        }
    }
}

/// Atom's `<link href="…" rel="alternate"/>` (no `rel` means alternate).
fn take_atom_link(e: &BytesStart<'_>, link: &mut String) {
    if !link.is_empty() {
        return;
    }
    let mut href = None;
    let mut alternate = true;
    for attr in e.attributes().flatten() {
        let value = html_unescape(&attr.value).into_owned();
        match attr.key.local_name().as_ref() {
            "href" => href = Some(value),
            "rel" => alternate = value == "alternate",
            _ => {}
        }
    }
    if let (Some(h), true) = (href, alternate) {
        *link = h;
    }
}

fn local_name(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_ascii_lowercase()
}

/// Equal up to whitespace: a body that only repeats the title.
fn same_words(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// RFC 2822 (RSS), RFC 3339 (Atom), or the contract's local forms (Asia/Shanghai).
fn parse_date(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    DateTime::parse_from_rfc2822(s)
        .ok()
        .or_else(|| DateTime::parse_from_rfc3339(s).ok())
        .or_else(|| time::parse_time("pubDate", s).ok())
}

/// The channel title without a collector's suffix (" | wechat-feeds", " - WeRSS").
fn channel_name(title: &str, fallback: &str) -> String {
    let title = tidy_lines(title).replace('\n', " ");
    let mut name = title.trim();
    for sep in [" | ", " - ", " — ", "|"] {
        if let Some((head, tail)) = name.rsplit_once(sep) {
            let t = tail.trim().to_ascii_lowercase();
            let collector =
                t.is_ascii() && ["feed", "rss", "wechat", "weixin", "atom"].iter().any(|w| t.contains(w));
            if collector && !head.trim().is_empty() {
                name = head.trim();
                break;
            }
        }
    }
    if name.is_empty() { fallback.to_owned() } else { name.to_owned() }
}

fn line_at(text: &str, offset: u64) -> u64 {
    let end = (offset as usize).min(text.len());
    text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(s: &str) -> Result<Vec<Record>, RecordError> {
        read(Path::new("feeds/MjM5MDA2MDMwMA==.xml"), s.as_bytes())
    }

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>深圳发布 | wechat-feeds</title><description>官方&amp;权威</description><image><title>x</title></image>
<item><title>标题一</title><link>https://mp.weixin.qq.com/s/a</link><description></description><content:encoded><![CDATA[标题一]]></content:encoded><pubDate>Thu, 17 Jun 2021 15:04:57 +0800</pubDate></item>
<item><title>A &amp; B</title><link>https://mp.weixin.qq.com/s/b</link><description>&lt;p&gt;正文&lt;/p&gt;&lt;script&gt;x()&lt;/script&gt;</description><pubDate>2021-06-16 08:00:00</pubDate></item>
</channel></rss>"#;

    #[test]
    fn json_feed_items_are_articles_of_the_named_account() {
        let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"深圳发布","items":[
{"id":"a1","url":"https://mp.weixin.qq.com/s/a","title":"标题一","content_html":"<p>正文内容较长</p>","date_published":"2025-10-01T08:00:00+08:00","authors":[{"name":"编辑部"}]},
{"id":"a2","url":"https://mp.weixin.qq.com/s/b","title":"标题二","date_published":"not a date"}]}"#;
        let origin = Path::new("http://127.0.0.1:4000/feeds/MP_WXS_1.json");
        let err = read_for(origin, "gh_sz", json.as_bytes()).unwrap_err();
        assert_eq!((err.line, err.field.as_deref()), (Some(3), Some("pubDate")), "{err}");
        let ok = json.replace("not a date", "2025-10-02 09:00:00");
        let recs = read_for(origin, "gh_sz", ok.as_bytes()).unwrap();
        let Record::AccountIfMissing(acc) = &recs[0] else { panic!("account first") };
        assert_eq!((acc.id.as_str(), acc.name.as_str()), ("gh_sz", "深圳发布"));
        let Record::Article(a) = &recs[1] else { panic!("an article") };
        assert_eq!(
            (a.account.as_str(), a.content.as_deref(), a.author.as_deref()),
            ("gh_sz", Some("正文内容较长"), Some("编辑部"))
        );
        let not_a_feed = read_for(origin, "gh_sz", br#"{"items":[]}"#).unwrap_err();
        assert!(not_a_feed.reason.contains("JSON Feed"), "{not_a_feed}");
    }

    #[test]
    fn rss_channel_and_items() {
        let recs = read_str(RSS).unwrap();
        let Record::AccountIfMissing(acc) = &recs[0] else { panic!("account first") };
        assert_eq!(acc.id, "MjM5MDA2MDMwMA==");
        assert_eq!(acc.name, "深圳发布");
        assert_eq!(acc.intro.as_deref(), Some("官方&权威"));
        assert_eq!(acc.biz.as_deref(), Some("MjM5MDA2MDMwMA=="));
        let Record::Article(a) = &recs[1] else { panic!() };
        assert_eq!((a.title.as_str(), a.url.as_str()), ("标题一", "https://mp.weixin.qq.com/s/a"));
        assert_eq!(a.published_at.to_rfc3339(), "2021-06-17T15:04:57+08:00");
        assert_eq!(a.content, None, "a body that only repeats the title is dropped");
        let Record::Article(b) = &recs[2] else { panic!() };
        assert_eq!(b.title, "A & B");
        assert_eq!(b.content.as_deref(), Some("正文"));
        assert_eq!(b.published_at.to_rfc3339(), "2021-06-16T08:00:00+08:00");
    }

    #[test]
    fn atom_entries() {
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">上海发布</title><subtitle>简介</subtitle>
<link href="https://example.org/"/><entry><title>条目</title><link rel="self" href="https://x/self"/><link href="https://mp.weixin.qq.com/s/c"/><id>urn:1</id><updated>2021-06-18T10:00:00+08:00</updated><published>2021-06-18T09:00:00Z</published><summary>摘要</summary><content type="html">&lt;p&gt;全文&lt;/p&gt;</content><author><name>编辑</name></author></entry></feed>"#;
        let recs = read(Path::new("shfb.atom"), atom.as_bytes()).unwrap();
        let Record::AccountIfMissing(acc) = &recs[0] else { panic!() };
        assert_eq!((acc.name.as_str(), acc.biz.as_deref()), ("上海发布", None));
        let Record::Article(a) = &recs[1] else { panic!() };
        assert_eq!(a.url, "https://mp.weixin.qq.com/s/c");
        assert_eq!(a.published_at.to_rfc3339(), "2021-06-18T09:00:00+00:00");
        assert_eq!(a.content.as_deref(), Some("全文"));
        assert_eq!(a.author.as_deref(), Some("编辑"));
    }

    #[test]
    fn malformed_feeds() {
        let cut = &RSS[..RSS.find("<pubDate>Thu").unwrap()];
        let e = read_str(cut).unwrap_err();
        assert!(e.reason.starts_with("XML 不完整"), "{e}");
        assert_eq!(e.line, Some(2));
        let e = read_str("<rss><channel><item><title>a</title></channel></rss>").unwrap_err();
        assert!(e.reason.contains("XML 格式错误"), "{e}");
        let e = read_str("<html><body>hi</body></html>").unwrap_err();
        assert!(e.reason.starts_with("不是 RSS、Atom 或 JSON Feed"), "{e}");
        let e = read_str("<rss><channel><item><title>无链接</title><pubDate>Thu, 17 Jun 2021 15:04:57 +0800</pubDate></item></channel></rss>").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("link"));
        let e = read_str("<rss><channel><item><title>t</title><link>https://a/</link><pubDate>昨天</pubDate></item></channel></rss>").unwrap_err();
        assert_eq!(e.to_string(), "feeds/MjM5MDA2MDMwMA==.xml:1: pubDate: 无法解析的时间“昨天”");
        assert!(read_str("").is_err());
    }

    #[test]
    fn collector_suffixes() {
        assert_eq!(channel_name("深圳发布 | wechat-feeds", "x"), "深圳发布");
        assert_eq!(channel_name("人民日报 - WeRSS", "x"), "人民日报");
        assert_eq!(channel_name("青年 | 学习", "x"), "青年 | 学习");
        assert_eq!(channel_name("", "fallback"), "fallback");
    }
}

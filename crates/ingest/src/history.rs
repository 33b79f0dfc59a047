//! WeChat history-API JSON, as history scrapers save it.
//!
//! Two shapes are read, one JSON value after another (JSON lines or simply concatenated
//! values; a top-level array or a whole API response is unwrapped):
//!
//! * the `profile_ext?action=getmsg` list: one value per push, `comm_msg_info` (send time,
//!   message type) plus `app_msg_ext_info` (the headline) whose `multi_app_msg_item_list`
//!   holds the other articles of the same push;
//! * the `appmsg?action=list_ex` list: one value per article (`aid`, `appmsgid`, `itemidx`,
//!   `create_time`, `link`).
//!
//! The account id is the file stem. Pushes without articles (plain text or image messages)
//! and article slots without title and link (a removed headline keeps its slot empty) carry
//! nothing to store and are skipped.
//!
//! # `copyright_stat` → `original`
//!
//! Established from the ten sample files (`../shared/data/wechat/history-api/`, 728
//! articles; every raw value is also kept in `Article::extra["copyright_stat"]`):
//!
//! * `11` → 原创 (`Some(true)`): every one of the 191 items carries an author (the 原创
//!   declaration requires one), and it is the dominant value of accounts that write their
//!   own pieces (极客之选 50 of 56, all by the account's own editors).
//! * `100` → not declared (`Some(false)`): the default; it covers adverts and promotions
//!   (`荐号`, `Q推荐`, affiliate `source_url`s) and 135 of its 415 items have no author.
//! * `101` → 转载 (`Some(false)`): the author is another account or outlet — 星球研究所,
//!   风物菌 and 怪物旅行社 on 极简史, 新华网, 中青网教育 and 江苏广电融媒中心 on 共青团中央.
//! * `12`, `14`, `201` → unknown (`None`): 12 and 14 mark translations on InfoQ
//!   ("AI前线小组 译", foreign authors) but also 南方周末's own reporters' pieces; 201
//!   appears only on 果壳. The data does not settle whether they display as 原创.
//!
//! `del_flag` is 1 on every item of the samples, all of them live articles: 1 → not deleted
//! (`Some(false)`); any other value is kept in `extra["del_flag"]` with `deleted` unset.
//! The appmsg list's `copyright_type` is 0 on every sample item, so it is kept raw only.

use std::path::Path;

use govmedia_model::{Account, Article, Level, time};
use serde_json::{Map, Value};

use crate::text::{account_id_of, biz_of_url, html_unescape, utf8};
use crate::{Record, RecordError};

/// Reads one history file into articles (plus the account it implies).
pub fn read(path: &Path, bytes: &[u8]) -> Result<Vec<Record>, RecordError> {
    let text = utf8(path, bytes)?;
    let account = account_id_of(path)?;
    let mut reader = Reader { path, account: &account, articles: Vec::new() };
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    let mut start = 0;
    loop {
        let value = match stream.next() {
            None => break,
            Some(Ok(v)) => v,
            Some(Err(e)) => {
                let line = e.line() as u64;
                return Err(RecordError::new(path, Some(line), None, format!("JSON 语法错误：{e}")));
            }
        };
        let line = line_of(text, start);
        start = stream.byte_offset();
        reader.value(&value, line)?;
    }
    if reader.articles.is_empty() {
        return Err(RecordError::file(
            path,
            "不是历史消息列表：没有找到任何文章（应含 comm_msg_info/app_msg_ext_info 或 appmsg 列表项）",
        ));
    }
    let mut records = Vec::with_capacity(reader.articles.len() + 1);
    let mut implied = Account::new(account.clone(), account.clone(), "", Level::Other);
    implied.biz = common_biz(&reader.articles);
    records.push(Record::AccountIfMissing(implied));
    records.extend(reader.articles.into_iter().map(Record::Article));
    Ok(records)
}

struct Reader<'a> {
    path: &'a Path,
    account: &'a str,
    articles: Vec<Article>,
}

impl Reader<'_> {
    /// One top-level value: a push, an appmsg item, or a container of them.
    fn value(&mut self, v: &Value, line: u64) -> Result<(), RecordError> {
        match v {
            Value::Array(items) => items.iter().try_for_each(|item| self.value(item, line)),
            Value::Object(o) if o.contains_key("comm_msg_info") => self.push(o, line),
            Value::Object(o) if o.contains_key("appmsgid") || o.contains_key("aid") => self.appmsg(o, line),
            Value::Object(o) => {
                // Whole API responses: getmsg wraps its list in a JSON string.
                if let Some(Value::String(inner)) = o.get("general_msg_list") {
                    let parsed: Value = serde_json::from_str(inner).map_err(|e| {
                        self.err(line, "general_msg_list", format!("内嵌 JSON 无法解析：{e}"))
                    })?;
                    return self.value(&parsed, line);
                }
                for key in ["list", "app_msg_list", "general_msg_list"] {
                    if let Some(inner) = o.get(key).filter(|x| x.is_array() || x.is_object()) {
                        return self.value(inner, line);
                    }
                }
                Err(self.err(line, "", "不是历史消息列表项（缺少 comm_msg_info 或 appmsgid 字段）".into()))
            }
            _ => {
                Err(self.err(line, "", format!("不是历史消息列表项（应为 JSON 对象，实为 {}）", kind_of(v))))
            }
        }
    }

    /// A getmsg push: headline plus `multi_app_msg_item_list`.
    fn push(&mut self, o: &Map<String, Value>, line: u64) -> Result<(), RecordError> {
        let info = o
            .get("comm_msg_info")
            .and_then(Value::as_object)
            .ok_or_else(|| self.err(line, "comm_msg_info", "应为对象".into()))?;
        let secs = info
            .get("datetime")
            .and_then(as_i64)
            .ok_or_else(|| self.err(line, "comm_msg_info.datetime", "缺少发送时间（Unix 秒）".into()))?;
        let published = time::from_unix(secs)
            .ok_or_else(|| self.err(line, "comm_msg_info.datetime", format!("无效时间戳 {secs}")))?;
        let Some(ext) = o.get("app_msg_ext_info") else {
            return Ok(()); // a text/image/voice message: no article
        };
        let ext = ext.as_object().ok_or_else(|| self.err(line, "app_msg_ext_info", "应为对象".into()))?;
        let mut items = vec![ext];
        if let Some(list) = ext.get("multi_app_msg_item_list") {
            let list = list.as_array().ok_or_else(|| {
                self.err(line, "app_msg_ext_info.multi_app_msg_item_list", "应为数组".into())
            })?;
            for (i, item) in list.iter().enumerate() {
                items.push(item.as_object().ok_or_else(|| {
                    self.err(line, &format!("multi_app_msg_item_list[{i}]"), "应为对象".into())
                })?);
            }
        }
        for (ordinal, item) in items.into_iter().enumerate() {
            let title = str_field(item, "title").trim().to_owned();
            let url = clean_url(str_field(item, "content_url"));
            if title.is_empty() && url.is_empty() {
                continue;
            }
            if url.is_empty() {
                return Err(self.err(line, "content_url", format!("文章“{title}”缺少链接")));
            }
            let mut a = Article::new(self.account, url, html_unescape(&title), published);
            // The history API lists articles, never their comments.
            a.comments_collected = Some(false);
            a.position = Some(position_of(&a.url).unwrap_or(ordinal as u32 + 1));
            a.author = non_empty(str_field(item, "author"));
            a.digest = non_empty(str_field(item, "digest"));
            if let Some(stat) = item.get("copyright_stat").and_then(as_i64) {
                a.original = original_of_copyright_stat(stat);
                a.extra.insert("copyright_stat".into(), stat.into());
            }
            if let Some(flag) = item.get("del_flag").and_then(as_i64) {
                if flag == 1 {
                    a.deleted = Some(false);
                } else {
                    a.extra.insert("del_flag".into(), flag.into());
                }
            }
            let source = clean_url(str_field(item, "source_url"));
            if !source.is_empty() {
                a.extra.insert("source_url".into(), source.into());
            }
            self.articles.push(a);
        }
        Ok(())
    }

    /// One appmsg list item.
    fn appmsg(&mut self, o: &Map<String, Value>, line: u64) -> Result<(), RecordError> {
        let title = str_field(o, "title").trim();
        let url = clean_url(str_field(o, "link"));
        if url.is_empty() {
            return Err(self.err(line, "link", format!("文章“{title}”缺少链接")));
        }
        let secs = ["create_time", "update_time"]
            .iter()
            .find_map(|k| o.get(*k).and_then(as_i64))
            .ok_or_else(|| self.err(line, "create_time", "缺少发表时间（Unix 秒）".into()))?;
        let published = time::from_unix(secs)
            .ok_or_else(|| self.err(line, "create_time", format!("无效时间戳 {secs}")))?;
        let mut a = Article::new(self.account, url, html_unescape(title), published);
        a.comments_collected = Some(false);
        a.position = o
            .get("itemidx")
            .and_then(as_i64)
            .and_then(|p| u32::try_from(p).ok())
            .filter(|&p| p > 0)
            .or_else(|| position_of(&a.url));
        a.digest = non_empty(str_field(o, "digest"));
        a.author = non_empty(str_field(o, "author_name"));
        if let Some(t) = o.get("copyright_type").and_then(as_i64) {
            a.extra.insert("copyright_type".into(), t.into());
        }
        if let Some(id) = o.get("appmsgid").and_then(as_i64) {
            a.extra.insert("appmsgid".into(), id.into());
        }
        if o.get("is_deleted").and_then(Value::as_bool) == Some(true) {
            a.deleted = Some(true);
        }
        self.articles.push(a);
        Ok(())
    }

    fn err(&self, line: u64, field: &str, reason: String) -> RecordError {
        let field = (!field.is_empty()).then_some(field);
        RecordError::new(self.path, Some(line), field, reason)
    }
}

/// The 原创 meaning of a getmsg `copyright_stat` (evidence in the module docs).
pub fn original_of_copyright_stat(stat: i64) -> Option<bool> {
    match stat {
        11 => Some(true),
        100 | 101 => Some(false),
        _ => None,
    }
}

/// `http:\/\/mp…&amp;mid=…` as getmsg escapes it → `http://mp…&mid=…`.
fn clean_url(raw: &str) -> String {
    html_unescape(&raw.trim().replace("\\/", "/")).into_owned()
}

/// The `idx` of a WeChat article URL: its position in the push.
fn position_of(url: &str) -> Option<u32> {
    let at = url.find("&idx=").or_else(|| url.find("?idx="))? + 5;
    let digits: String = url[at..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|&p| p > 0)
}

/// The `__biz` all articles share, if they do.
fn common_biz(articles: &[Article]) -> Option<String> {
    let first = biz_of_url(&articles.first()?.url)?;
    articles.iter().all(|a| biz_of_url(&a.url) == Some(first)).then(|| first.to_owned())
}

fn str_field<'a>(o: &'a Map<String, Value>, key: &str) -> &'a str {
    o.get(key).and_then(Value::as_str).unwrap_or("")
}

fn non_empty(s: &str) -> Option<String> {
    let s = html_unescape(s.trim());
    (!s.is_empty()).then(|| s.into_owned())
}

fn as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "布尔值",
        Value::Number(_) => "数字",
        Value::String(_) => "字符串",
        Value::Array(_) => "数组",
        Value::Object(_) => "对象",
    }
}

/// 1-based line of a byte offset, skipping the whitespace before the value.
fn line_of(text: &str, offset: usize) -> u64 {
    let offset = offset.min(text.len());
    let skipped = text[offset..].len() - text[offset..].trim_start().len();
    let upto = (offset + skipped).min(text.len());
    text.as_bytes()[..upto].iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(s: &str) -> Result<Vec<Record>, RecordError> {
        read(Path::new("history/acc.json"), s.as_bytes())
    }

    fn articles(records: &[Record]) -> Vec<&Article> {
        records.iter().filter_map(|r| if let Record::Article(a) = r { Some(a) } else { None }).collect()
    }

    const PUSH: &str = r#"{"comm_msg_info":{"datetime":1569578220,"type":49},"app_msg_ext_info":{"title":"头条","content_url":"http:\\/\\/mp.weixin.qq.com\\/s?__biz=MjM5MDA2MDMwMA==&amp;mid=1&amp;idx=1&amp;sn=x","copyright_stat":11,"del_flag":1,"author":"甲","multi_app_msg_item_list":[{"title":"次条","content_url":"http:\\/\\/mp.weixin.qq.com\\/s?__biz=MjM5MDA2MDMwMA==&amp;mid=1&amp;idx=2&amp;sn=y","copyright_stat":12,"del_flag":4}]}}"#;

    #[test]
    fn push_with_two_articles() {
        let recs = read_str(PUSH).unwrap();
        let a = articles(&recs);
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].url, "http://mp.weixin.qq.com/s?__biz=MjM5MDA2MDMwMA==&mid=1&idx=1&sn=x");
        assert_eq!((a[0].position, a[0].original, a[0].deleted), (Some(1), Some(true), Some(false)));
        assert_eq!((a[1].position, a[1].original, a[1].deleted), (Some(2), None, None));
        assert_eq!(a[1].extra["del_flag"], 4);
        assert_eq!(a[0].published_at.to_rfc3339(), "2019-09-27T17:57:00+08:00");
        let Record::AccountIfMissing(acc) = &recs[0] else { panic!("account first") };
        assert_eq!((acc.id.as_str(), acc.biz.as_deref()), ("acc", Some("MjM5MDA2MDMwMA==")));
    }

    #[test]
    fn concatenated_and_wrapped() {
        let two = format!("{PUSH}{PUSH}");
        assert_eq!(articles(&read_str(&two).unwrap()).len(), 4);
        let wrapped = serde_json::json!({"general_msg_list": serde_json::json!({"list": [serde_json::from_str::<Value>(PUSH).unwrap()]}).to_string()});
        assert_eq!(articles(&read_str(&wrapped.to_string()).unwrap()).len(), 2);
    }

    #[test]
    fn malformed_inputs_are_rejected_with_line() {
        let e = read_str(&format!("{PUSH}\n{{\"comm_msg_info\": ")).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.reason.contains("JSON"), "{e}");
        let e = read_str("{\"hello\": 1}").unwrap_err();
        assert!(e.to_string().starts_with("history/acc.json:1: 不是历史消息列表项"), "{e}");
        let e = read_str(&format!("{PUSH}\n[1]")).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(read_str("").is_err());
        assert!(read(Path::new("x.json"), b"\xff\xfe").is_err());
        let e = read_str(r#"{"comm_msg_info":{"type":49}}"#).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("comm_msg_info.datetime"));
    }

    #[test]
    fn copyright_mapping() {
        assert_eq!(original_of_copyright_stat(11), Some(true));
        assert_eq!(original_of_copyright_stat(100), Some(false));
        assert_eq!(original_of_copyright_stat(101), Some(false));
        assert_eq!(original_of_copyright_stat(14), None);
    }
}

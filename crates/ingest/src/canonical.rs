//! The canonical dataset files: JSONL for every record kind, CSV and XLSX for accounts and
//! articles (same column names as the JSONL fields).

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use govmedia_model::{Account, Article, Event, MenuSnapshot, PageSnapshot};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::input::MAX_LINE_BYTES;
use crate::{Record, RecordError};

/// Which record kind a canonical file holds, from its stem (`accounts`, `articles` …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Accounts,
    /// Government apps: one row per app (with `stores`) or per app and store.
    Apps,
    Articles,
    Menus,
    Events,
    Pages,
}

impl Kind {
    pub fn from_stem(stem: &str) -> Option<Kind> {
        Some(match stem {
            "accounts" => Kind::Accounts,
            "apps" => Kind::Apps,
            "articles" => Kind::Articles,
            "menus" => Kind::Menus,
            "events" => Kind::Events,
            "pages" => Kind::Pages,
            _ => return None,
        })
    }

    /// Turns one JSON object (a table row) into a record.
    pub fn record(self, v: Value) -> Result<Record, (Option<String>, String)> {
        self.parse(Source::Tree(v))
    }

    /// Parses one JSONL line straight into a record, without an intermediate JSON tree.
    pub fn record_from_str(self, text: &str) -> Result<Record, (Option<String>, String)> {
        self.parse(Source::Text(text))
    }

    /// Deserialises and applies the contract's checks beyond types.
    fn parse(self, de: Source<'_>) -> Result<Record, (Option<String>, String)> {
        Ok(match self {
            Kind::Accounts => {
                let a: Account = de.typed()?;
                account_rules(&a)?;
                Record::Account(a)
            }
            Kind::Apps => {
                let a: Account = Source::Tree(app_row(de.tree()?)?).typed()?;
                account_rules(&a)?;
                if let Some(i) = a.stores.iter().position(|l| l.store.trim().is_empty()) {
                    return Err((Some(format!("stores[{i}].store")), "不能为空".into()));
                }
                Record::AppListings(a)
            }
            Kind::Articles => {
                let a: Article = de.typed()?;
                for (field, value) in [("account", &a.account), ("url", &a.url), ("title", &a.title)] {
                    non_empty(field, value)?;
                }
                if a.position == Some(0) {
                    return Err((Some("position".into()), "位置应从 1 开始（1 为头条）".into()));
                }
                Record::Article(a)
            }
            Kind::Menus => {
                let m: MenuSnapshot = de.typed()?;
                non_empty("account", &m.account)?;
                m.parse().map_err(|e| (Some(e.field), e.reason))?;
                Record::Menu(m)
            }
            Kind::Events => {
                let e: Event = de.typed()?;
                non_empty("id", &e.id)?;
                if let govmedia_model::EventScope::National(s) = &e.scope
                    && s != "national"
                {
                    return Err((
                        Some("scope".into()),
                        format!("范围应为 \"national\" 或地区代码数组，而不是“{s}”"),
                    ));
                }
                Record::Event(e)
            }
            Kind::Pages => {
                let p: PageSnapshot = de.typed()?;
                non_empty("url", &p.url)?;
                let screenshot = p.extra.get("screenshot").and_then(Value::as_str);
                for (field, file) in [("body", p.body.as_deref()), ("screenshot", screenshot)] {
                    if let Some(f) = file.filter(|f| !under_pages(f)) {
                        return Err((
                            Some(field.into()),
                            format!("应为数据集 pages/ 目录下的相对路径（如 pages/abc.html），而不是“{f}”"),
                        ));
                    }
                }
                Record::Page(p)
            }
        })
    }
}

/// Where a record is deserialised from: a JSON tree (table rows) or JSON text (JSONL lines).
enum Source<'a> {
    Tree(Value),
    Text(&'a str),
}

impl Source<'_> {
    /// The JSON tree (parsed from text when needed).
    fn tree(self) -> Result<Value, (Option<String>, String)> {
        match self {
            Source::Tree(v) => Ok(v),
            Source::Text(t) => serde_json::from_str(t)
                .map_err(|e| (None, format!("JSON 语法错误（第 {} 列：{e}）", e.column()))),
        }
    }

    /// Deserialises with the path of the failing field, and a Chinese reason.
    fn typed<T: DeserializeOwned>(self) -> Result<T, (Option<String>, String)> {
        match self {
            Source::Tree(v) => serde_path_to_error::deserialize(v).map_err(explain),
            // Tracking the path costs a fifth of parsing: valid lines (nearly all) go without
            // it, and a line that fails is parsed again with it to say which field.
            Source::Text(t) => {
                if let Ok(v) = serde_json::from_str(t) {
                    return Ok(v);
                }
                let mut de = serde_json::Deserializer::from_str(t);
                let v = serde_path_to_error::deserialize(&mut de).map_err(explain)?;
                de.end().map_err(|e| (None, format!("JSON 语法错误（第 {} 列：{e}）", e.column())))?;
                Ok(v)
            }
        }
    }
}

fn explain(e: serde_path_to_error::Error<serde_json::Error>) -> (Option<String>, String) {
    let path = e.path().to_string();
    let inner = e.into_inner();
    if inner.is_syntax() || inner.is_eof() {
        return (None, format!("JSON 语法错误（第 {} 列：{inner}）", inner.column()));
    }
    let msg = inner.to_string();
    // serde_json appends " at line L column C" to data errors; the line is ours to give.
    let msg = msg.split(" at line ").next().unwrap_or(&msg);
    let (field, reason) = translate(msg);
    let field = field.map(|f| if path == "." { f } else { format!("{path}.{f}") });
    (field.or(if path == "." { None } else { Some(path) }), reason)
}

/// `pages/…` without `..`, root or prefix: a snapshot file stays inside the dataset.
fn under_pages(file: &str) -> bool {
    let path = Path::new(file);
    path.starts_with("pages")
        && path.components().count() > 1
        && path.components().all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// The contract's checks of an account beyond types.
fn account_rules(a: &Account) -> Result<(), (Option<String>, String)> {
    for (field, value) in [("id", &a.id), ("name", &a.name), ("owner", &a.owner)] {
        non_empty(field, value)?;
    }
    if let Some(field) = a.weibo.as_ref().and_then(|w| w.incomplete_group()) {
        return Err((
            Some(format!("weibo.{field}")),
            "缺少该项：四项分指数（coverage、activity、interaction、propagation）或四项计数（posts、reposts、comments、likes）应成组提供".into(),
        ));
    }
    Ok(())
}

/// The columns of one store listing when an apps row gives a single store inline.
const LISTING_FIELDS: [&str; 5] = ["store", "downloads", "rating", "updated_at", "as_of"];

/// An apps row as an account of platform `app`: a store given inline (`store`, `downloads` …)
/// becomes its `stores` entry.
fn app_row(v: Value) -> Result<Value, (Option<String>, String)> {
    let Value::Object(mut row) = v else { return Err((None, "每行应为一个 JSON 对象".into())) };
    match row.get("platform").and_then(Value::as_str) {
        None | Some("app") => {}
        Some(other) => {
            return Err((Some("platform".into()), format!("APP 文件中平台应为 app，而不是“{other}”")));
        }
    }
    row.insert("platform".into(), "app".into());
    if row.contains_key("store") {
        if row.contains_key("stores") {
            return Err((Some("store".into()), "store 与 stores 只能二选一".into()));
        }
        let listing: Map<String, Value> =
            LISTING_FIELDS.iter().filter_map(|f| row.remove(*f).map(|v| ((*f).to_owned(), v))).collect();
        row.insert("stores".into(), Value::Array(vec![Value::Object(listing)]));
    }
    if row.get("stores").and_then(Value::as_array).is_none_or(Vec::is_empty) {
        return Err((Some("store".into()), "缺少应用商店（store 列，或 stores 数组）".into()));
    }
    Ok(Value::Object(row))
}

fn non_empty(field: &str, value: &str) -> Result<(), (Option<String>, String)> {
    if value.trim().is_empty() { Err((Some(field.into()), "不能为空".into())) } else { Ok(()) }
}

/// serde's English messages, in Chinese; our own (already Chinese) messages pass through.
fn translate(msg: &str) -> (Option<String>, String) {
    if let Some(rest) = msg.strip_prefix("missing field `") {
        return (Some(rest.trim_end_matches('`').to_owned()), "缺少必填字段".into());
    }
    if let Some(rest) = msg.strip_prefix("duplicate field `") {
        return (Some(rest.trim_end_matches('`').to_owned()), "字段重复出现".into());
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        return (None, format!("类型错误（{rest}）"));
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let (value, expected) = rest.split_once("`, expected ").unwrap_or((rest, ""));
        return (None, format!("无效取值“{value}”（应为 {expected}）"));
    }
    if let Some(rest) = msg.strip_prefix("invalid value: ") {
        return (None, format!("取值无效（{rest}）"));
    }
    if msg.starts_with("data did not match any variant") {
        return (None, "格式不符合约定".into());
    }
    (None, msg.to_owned())
}

/// Reads a JSONL file line by line (memory does not grow with the file), calling `each`
/// with the line number and the record or its error. Stops early when `each` returns false.
pub fn read_jsonl(
    path: &Path,
    reader: impl Read,
    kind: Kind,
    mut each: impl FnMut(u64, Result<Record, RecordError>, usize) -> bool,
) -> Result<(), RecordError> {
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let mut buf = Vec::with_capacity(1 << 12);
    let mut line = 0u64;
    loop {
        buf.clear();
        let n = (&mut reader)
            .take(MAX_LINE_BYTES + 1)
            .read_until(b'\n', &mut buf)
            .map_err(|e| RecordError::file(path, format!("读取失败：{e}")))?;
        if n == 0 {
            return Ok(());
        }
        line += 1;
        if n as u64 > MAX_LINE_BYTES {
            return Err(RecordError::new(
                path,
                Some(line),
                None,
                format!("该行超过 {} MB 上限（一行应为一条记录）", MAX_LINE_BYTES >> 20),
            ));
        }
        let bytes = if line == 1 { strip_bom(path, &buf)? } else { &buf[..] };
        // simdutf8: std's validator is a tenth of the import's CPU time on Chinese text.
        let text = simdutf8::basic::from_utf8(bytes).map_err(|_| not_utf8(path, Some(line)))?;
        if text.trim().is_empty() {
            continue;
        }
        let parsed = if !text.trim_start().starts_with('{') {
            Err(RecordError::new(path, Some(line), None, "每行应为一个 JSON 对象"))
        } else {
            kind.record_from_str(text)
                .map_err(|(field, reason)| RecordError::new(path, Some(line), field.as_deref(), reason))
        };
        if !each(line, parsed, n) {
            return Ok(());
        }
    }
}

pub(crate) fn strip_bom<'a>(path: &Path, b: &'a [u8]) -> Result<&'a [u8], RecordError> {
    if b.starts_with(&[0xFF, 0xFE]) || b.starts_with(&[0xFE, 0xFF]) {
        return Err(RecordError::file(path, "文件为 UTF-16 编码；请另存为 UTF-8"));
    }
    Ok(b.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(b))
}

pub(crate) fn not_utf8(path: &Path, line: Option<u64>) -> RecordError {
    RecordError::new(path, line, None, "文件不是 UTF-8 编码（可能为 GBK/GB18030）；请另存为 UTF-8 后再导入")
}

/// Typed columns of the tabular formats: a cell's text becomes this JSON type.
fn column_type(kind: Kind, column: &str) -> ColumnType {
    match (kind, column) {
        (Kind::Accounts | Kind::Apps, "verified" | "website_listed") => ColumnType::Bool,
        (Kind::Accounts | Kind::Apps, "followers") => ColumnType::Int,
        (Kind::Accounts | Kind::Apps, "weibo" | "wechat" | "stores") => ColumnType::Json,
        (Kind::Apps, "downloads") => ColumnType::Int,
        (Kind::Apps, "rating") => ColumnType::Number,
        (Kind::Articles, "comment_count") => ColumnType::Int,
        (Kind::Articles, "original" | "deleted" | "comments_collected") => ColumnType::Bool,
        (Kind::Articles, "position" | "likes" | "wows" | "shares" | "favorites") => ColumnType::Int,
        (Kind::Articles, "reads") => ColumnType::Reads,
        (Kind::Articles, "media" | "comments") => ColumnType::Json,
        (Kind::Articles, "images" | "videos" | "audios") => ColumnType::Media,
        _ => ColumnType::Text,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ColumnType {
    Text,
    Bool,
    Int,
    Number,
    Reads,
    Json,
    /// images / videos / audios columns, gathered into `media`.
    Media,
}

/// Builds the JSON object of one table row from (column, cell text) pairs. Empty cells are
/// absent fields.
pub fn row_object(
    kind: Kind,
    cells: impl IntoIterator<Item = (String, String)>,
) -> Result<Value, (Option<String>, String)> {
    let mut obj = Map::new();
    let mut media = Map::new();
    for (column, text) in cells {
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let bad = |what: &str| (Some(column.clone()), format!("无效{what}“{text}”"));
        let value = match column_type(kind, &column) {
            ColumnType::Text => Value::String(text.to_owned()),
            ColumnType::Bool => match text.to_lowercase().as_str() {
                "true" | "1" | "是" | "yes" | "y" => Value::Bool(true),
                "false" | "0" | "否" | "no" | "n" => Value::Bool(false),
                _ => return Err(bad("布尔值（应为 true/false、是/否）")),
            },
            ColumnType::Int => int_value(text).ok_or_else(|| bad("整数"))?,
            ColumnType::Number => text
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
                .ok_or_else(|| bad("数值"))?,
            ColumnType::Reads => int_value(text).unwrap_or_else(|| Value::String(text.to_owned())),
            ColumnType::Json => serde_json::from_str(text).map_err(|_| bad("JSON"))?,
            ColumnType::Media => {
                media.insert(column.clone(), int_value(text).ok_or_else(|| bad("整数"))?);
                continue;
            }
        };
        obj.insert(column, value);
    }
    if !media.is_empty() {
        obj.entry("media").or_insert(Value::Object(media));
    }
    Ok(Value::Object(obj))
}

/// `523`, `523.0` (spreadsheets) → 523.
fn int_value(text: &str) -> Option<Value> {
    if let Ok(v) = text.parse::<u64>() {
        return Some(v.into());
    }
    let f: f64 = text.parse().ok()?;
    (f >= 0.0 && f.fract() == 0.0 && f < 9.0e15).then(|| Value::from(f as u64))
}

/// Reads a CSV file (header row = column names).
pub fn read_csv(
    path: &Path,
    bytes: &[u8],
    kind: Kind,
    mut each: impl FnMut(u64, Result<Record, RecordError>) -> bool,
) -> Result<(), RecordError> {
    let bytes = strip_bom(path, bytes)?;
    if let Err(e) = std::str::from_utf8(bytes) {
        let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        return Err(not_utf8(path, Some(line)));
    }
    if let Some(line) = unterminated_quote(bytes) {
        return Err(RecordError::new(
            path,
            Some(line),
            None,
            "引号未闭合：从这一行起到文件末尾都会被读成一个字段，请检查该行的双引号",
        ));
    }
    let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| RecordError::new(path, Some(1), None, format!("无法读取表头：{e}")))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    for row in rdr.records() {
        let (line, result) = match row {
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                (line, Err(RecordError::new(path, Some(line), None, format!("CSV 格式错误：{e}"))))
            }
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line());
                let cells = headers.iter().cloned().zip(r.iter().map(str::to_owned));
                let rec = row_object(kind, cells)
                    .and_then(|v| kind.record(v))
                    .map_err(|(f, reason)| RecordError::new(path, Some(line), f.as_deref(), reason));
                (line, rec)
            }
        };
        if !each(line, result) {
            break;
        }
    }
    Ok(())
}

/// The line where a quoted field opens that the file never closes (RFC 4180: a field that
/// starts with `"` ends at a `"` not followed by another; `""` is a quote inside it). The
/// csv reader would silently take the rest of the file as that field.
fn unterminated_quote(bytes: &[u8]) -> Option<u64> {
    let mut line = 1u64;
    let mut field_start = true;
    let mut quoted_since: Option<u64> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if quoted_since.is_some() {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted_since = None;
                }
            }
        } else if b == b'"' && field_start {
            quoted_since = Some(line);
        }
        if b == b'\n' {
            line += 1;
        }
        field_start = quoted_since.is_none() && matches!(b, b',' | b'\n' | b'\r');
        i += 1;
    }
    quoted_since
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(line: &str) -> Result<Record, (Option<String>, String)> {
        Kind::Apps.record_from_str(line)
    }

    #[test]
    fn an_app_row_with_its_store_inline_becomes_one_listing() {
        let Ok(Record::AppListings(a)) = app(
            r#"{"id":"a1","name":"掌上办事","owner":"某市人民政府办公室","level":"prefecture","store":"应用宝","downloads":1200,"rating":4.5,"updated_at":"2025-09-01"}"#,
        ) else {
            panic!("an app");
        };
        assert_eq!(a.platform, govmedia_model::Platform::App);
        assert_eq!(a.stores.len(), 1);
        assert_eq!((a.stores[0].store.as_str(), a.stores[0].downloads), ("应用宝", Some(1200)));
        assert!(!a.extra.contains_key("store"));
    }

    #[test]
    fn app_rows_that_cannot_be_read_name_the_field() {
        let base = r#""id":"a1","name":"掌上办事","owner":"某市","level":"prefecture""#;
        for (extra, field) in [
            (r#","platform":"wechat","store":"应用宝""#, "platform"),
            ("", "store"),
            (r#","store":"应用宝","stores":[{"store":"华为应用市场"}]"#, "store"),
            (r#","stores":[{"store":" "}]"#, "stores[0].store"),
            (r#","store":"应用宝","downloads":-3"#, "stores[0].downloads"),
        ] {
            let err = app(&format!("{{{base}{extra}}}")).unwrap_err();
            assert_eq!(err.0.as_deref(), Some(field), "{extra}: {err:?}");
        }
    }

    #[test]
    fn weibo_groups_are_given_whole() {
        let line = r#"{"id":"w1","name":"某发布","owner":"某市","level":"prefecture","platform":"weibo","weibo":{"coverage":1.0,"activity":2.0}}"#;
        let err = Kind::Accounts.record_from_str(line).unwrap_err();
        assert_eq!(err.0.as_deref(), Some("weibo.interaction"), "{err:?}");
        let whole = r#"{"id":"w1","name":"某发布","owner":"某市","level":"prefecture","platform":"weibo","weibo":{"posts":10,"reposts":2,"comments":3,"likes":4}}"#;
        assert!(Kind::Accounts.record_from_str(whole).is_ok());
    }

    #[test]
    fn apps_csv_cells_are_typed() {
        let v = row_object(
            Kind::Apps,
            [("downloads", "1200"), ("rating", "4.5"), ("store", "应用宝")]
                .map(|(k, v)| (k.to_owned(), v.to_owned())),
        )
        .unwrap();
        assert_eq!(v["downloads"], 1200);
        assert_eq!(v["rating"], 4.5);
        let bad = row_object(Kind::Apps, [("rating".to_owned(), "很好".to_owned())]).unwrap_err();
        assert_eq!(bad.0.as_deref(), Some("rating"));
    }
}

//! The cases of `data/world-cases.toml` and how one is applied to a clean account.

use chrono::Duration;
use serde::Deserialize;
use serde_json::{Value, json};

use super::baseline::{Button, Leaf, Page, Place, READS, World, before_check, page_html, rfc3339};
use crate::ids;
use crate::rng::Rng;

const CASES: &str = include_str!("../../data/world-cases.toml");
/// The column a page case adds when it names none.
const EXTRA_COLUMN: &str = "不动产登记";

#[derive(Deserialize)]
struct File {
    case: Vec<Case>,
}

/// One case: what it changes in a clean account and which codes that must raise.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Case {
    /// The code the case is about.
    code: String,
    /// True: the code (and `also`) must be found; false: a look-alike that must raise nothing.
    planted: bool,
    /// Other codes the same change rightly raises.
    #[serde(default)]
    also: Vec<String>,
    /// A code a planted case also resembles without having it (a boundary).
    resembles: Option<String>,
    /// How many accounts get this case, each with its own names and numbers.
    #[serde(default = "one")]
    pub times: usize,
    /// Fields set on the account record (strings are templates).
    account: Option<toml::Table>,
    /// Fields removed from the account record (unknown facts).
    #[serde(default)]
    remove: Vec<String>,
    /// Days before the check date of the last push (articles after it are dropped).
    last_push_days: Option<i64>,
    article: Option<ArticleCase>,
    /// Replaces the menu (an empty list: a snapshot with no menu). An item is a column name,
    /// or `name|url` for a column that opens another site.
    menu: Option<Vec<ButtonCase>>,
    menu_open: Option<bool>,
    /// True: no menu snapshot was collected.
    #[serde(default)]
    no_menu_snapshot: bool,
    page: Option<PageCase>,
    /// none · unanswered · answered_late (three days after, before the check date) · uncollected
    comments: Option<String>,
    /// Headline reads of every push (second articles get 40 %).
    reads: Option<f64>,
    event: Option<EventCase>,
    /// The newest article copies another account's earlier one: unattributed · source_line ·
    /// declared · lead_mentions (names the first publisher in its lead, no attribution).
    copy: Option<String>,
    /// A second account: `same_unit` true for the same owner.
    twin: Option<TwinCase>,
}

fn one() -> usize {
    1
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticleCase {
    title: Option<String>,
    /// A paragraph put into the newest article after its first one.
    text: String,
    original: Option<bool>,
    source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ButtonCase {
    name: String,
    items: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageCase {
    /// The column whose page this is (default: a 不动产登记 column added to 办事服务).
    column: Option<String>,
    /// A new address for the column (for example a WeChat article).
    url: Option<String>,
    status: Option<u16>,
    error: Option<String>,
    title: Option<String>,
    /// Body markup of a phone-friendly page with `title`.
    body: Option<String>,
    /// A whole document instead.
    html: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventCase {
    title: String,
    kind: String,
    keywords: Vec<String>,
    /// Hours after the event of the account's answer; absent: no answer.
    response_hours: Option<i64>,
    response_title: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TwinCase {
    name: String,
    owner: Option<String>,
    level: Option<String>,
}

pub(crate) fn load() -> Vec<Case> {
    let file: File = toml::from_str(CASES).expect("data/world-cases.toml is valid");
    file.case
}

/// The names and numbers one instance of a case fills its templates with.
pub(crate) struct Fill {
    pairs: Vec<(&'static str, String)>,
}

const SURNAMES: &[&str] =
    &["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱"];
const GIVEN: &[&str] =
    &["建国", "秀英", "志强", "桂兰", "海燕", "文博", "丽华", "明轩", "子涵", "国庆", "春梅", "雨欣"];

impl Fill {
    pub(crate) fn new(place: &Place, k: usize, rng: &mut Rng) -> Fill {
        let person = |rng: &mut Rng| format!("{}{}", rng.pick_str(SURNAMES), rng.pick_str(GIVEN));
        let credit = {
            let body = format!("9{}{}{:09}", 1 + rng.below(3), place.code, rng.below(1_000_000_000));
            format!("{body}{}", ids::luhn_digit(&body))
        };
        let pairs = vec![
            ("place", place.name.clone()),
            ("owner", place.owner()),
            ("account", place.account_name()),
            ("province", place.province.clone()),
            ("person", person(rng)),
            ("person2", person(rng)),
            ("person3", person(rng)),
            ("mobile", ids::phone(rng)),
            ("mobile2", ids::phone(rng)),
            ("mobile3", ids::phone(rng)),
            ("id", ids::id_number(&place.code, rng)),
            ("card", ids::bank_card(rng)),
            ("credit", credit),
            ("landline", format!("0{}-{}", 550 + rng.below(300), 6_000_000 + rng.below(3_000_000))),
            ("n", (2 + rng.below(97)).to_string()),
            ("k", (k + 1).to_string()),
        ];
        Fill { pairs }
    }

    pub(crate) fn apply(&self, template: &str) -> String {
        let mut out = template.to_owned();
        for (key, value) in &self.pairs {
            out = out.replace(&format!("{{{key}}}"), value);
        }
        assert!(!has_placeholder(&out), "unknown placeholder in {template}");
        out
    }
}

impl Case {
    /// Adds the accounts of one instance of this case to `world`.
    pub(crate) fn apply(&self, world: &mut World, place: &Place, fill: &Fill, rng: &mut Rng) {
        let i = world.account(place, rng);
        let mut planted: Vec<String> = Vec::new();
        if self.planted {
            planted.push(self.code.clone());
            planted.extend(self.also.iter().cloned());
        }
        if let Some(t) = &self.twin {
            let j = world.account(place, rng);
            let twin = &mut world.built[j];
            twin.record.insert("name".into(), fill.apply(&t.name).into());
            if let Some(owner) = &t.owner {
                let owner = fill.apply(owner);
                twin.record.insert("verified_subject".into(), owner.clone().into());
                twin.record.insert("owner".into(), owner.into());
            }
            if let Some(level) = &t.level {
                twin.record.insert("level".into(), level.clone().into());
            }
            mark(&mut twin.record, &planted, self);
        }
        if let Some(source) = self.copy.as_deref() {
            let (from_body, from_owner, from_account) = {
                let from = &world.built[i - 1];
                let first = &from.articles[0];
                (
                    first["content"].as_str().expect("content").to_owned(),
                    from.record["owner"].as_str().expect("owner").to_owned(),
                    from.record["name"].as_str().expect("name").to_owned(),
                )
            };
            let a = world.built[i].newest();
            let body = match source {
                "unattributed" => from_body,
                "lead_mentions" => format!("记者从{from_owner}获悉，{from_body}"),
                "source_line" => format!("来源：{from_account}\n{from_body}"),
                "declared" => {
                    a.insert("original".into(), false.into());
                    a.insert("source".into(), from_account.into());
                    from_body
                }
                other => panic!("unknown copy kind {other}"),
            };
            a.insert("content".into(), body.into());
        }
        let b = &mut world.built[i];
        if let Some(fields) = &self.account {
            for (k, v) in fields {
                b.record.insert(k.clone(), filled(toml_to_json(v), fill));
            }
        }
        for k in &self.remove {
            b.record.remove(k);
        }
        if let Some(days) = self.last_push_days {
            // The account's history up to the day of its last push, then that push.
            let mut last = b.articles[0].clone();
            let day = rfc3339(before_check(days, 0, 0));
            b.articles.retain(|a| a["published_at"].as_str().is_some_and(|t| t < day.as_str()));
            last["published_at"] = rfc3339(before_check(days, 10, 0)).into();
            last["url"] = format!("{}&last=1", last["url"].as_str().expect("url")).into();
            b.articles.push(last);
        }
        if let Some(reads) = self.reads {
            for a in &mut b.articles {
                let base = if a["position"] == 1 { reads } else { reads * 0.4 };
                let r = (base * a["reads"].as_f64().unwrap_or(READS) / READS).round().max(0.0) as u64;
                a["reads"] = r.into();
                a["likes"] = (r / 100).into();
                a["wows"] = (r / 250).into();
                a["shares"] = (r / 40).into();
            }
        }
        if let Some(c) = &self.article {
            let a = b.newest();
            if let Some(t) = &c.title {
                a.insert("title".into(), fill.apply(t).into());
            }
            let body = a["content"].as_str().expect("content").to_owned();
            let cut = body.find('\n').unwrap_or(body.len());
            let text = fill.apply(&c.text);
            a.insert("content".into(), format!("{}\n{text}{}", &body[..cut], &body[cut..]).into());
            if let Some(o) = c.original {
                a.insert("original".into(), o.into());
            }
            if let Some(s) = &c.source {
                a.insert("source".into(), fill.apply(s).into());
            }
        }
        if let Some(menu) = &self.menu {
            let site = b.place.website();
            b.pages.clear();
            let mut buttons = Vec::new();
            for (n, btn) in menu.iter().enumerate() {
                let leaves = btn
                    .items
                    .iter()
                    .enumerate()
                    .map(|(m, item)| match item.split_once('|') {
                        Some((name, url)) => Leaf { name: fill.apply(name), url: fill.apply(url) },
                        None => Leaf { name: fill.apply(item), url: format!("{site}/c{n}{m}/") },
                    })
                    .collect::<Vec<_>>();
                for l in &leaves {
                    b.pages.push((
                        l.url.clone(),
                        Page::Html(super::baseline::column_page(&l.name, &b.place.name)),
                    ));
                }
                buttons.push(Button { name: fill.apply(&btn.name), leaves });
            }
            b.menu = Some(buttons);
        }
        if let Some(open) = self.menu_open {
            b.menu_open = open;
        }
        if self.no_menu_snapshot {
            b.menu = None;
            b.pages.clear();
        }
        if let Some(p) = &self.page {
            // By default a fourth service column, so that the service function keeps what its
            // other columns offer and only the link itself is wrong.
            let column = p.column.as_deref().unwrap_or(EXTRA_COLUMN);
            let buttons = b.menu.as_mut().expect("a page case needs a menu");
            if column == EXTRA_COLUMN {
                let url = format!("{}/bdcdj/", b.place.website());
                buttons[1].leaves.push(Leaf { name: EXTRA_COLUMN.to_owned(), url });
            }
            let leaf = buttons
                .iter_mut()
                .flat_map(|btn| btn.leaves.iter_mut())
                .find(|l| l.name == column)
                .unwrap_or_else(|| panic!("no column {column}"));
            let old = leaf.url.clone();
            if let Some(url) = &p.url {
                leaf.url = fill.apply(url);
            }
            let url = leaf.url.clone();
            b.pages.retain(|(u, _)| *u != old);
            let page = if let Some(e) = &p.error {
                Page::Error(e.clone())
            } else if let Some(s) = p.status.filter(|s| *s != 200) {
                Page::Status(s)
            } else if let Some(html) = &p.html {
                Page::Html(fill.apply(html))
            } else {
                let title = fill.apply(p.title.as_deref().unwrap_or(column));
                Page::Html(page_html(&title, &fill.apply(p.body.as_deref().unwrap_or(""))))
            };
            b.set_page(&url, page);
        }
        match self.comments.as_deref() {
            None => {}
            Some("none") => {
                for a in &mut b.articles {
                    a.as_object_mut().expect("object").remove("comments");
                    a["comments_collected"] = true.into();
                }
            }
            Some("uncollected") => {
                for a in &mut b.articles {
                    a.as_object_mut().expect("object").remove("comments");
                    a["comments_collected"] = false.into();
                }
            }
            Some("unanswered") => {
                for a in &mut b.articles {
                    for c in a.get_mut("comments").and_then(Value::as_array_mut).into_iter().flatten() {
                        c.as_object_mut().expect("object").remove("reply");
                    }
                }
            }
            Some("answered_late") => {
                for a in &mut b.articles {
                    for c in a.get_mut("comments").and_then(Value::as_array_mut).into_iter().flatten() {
                        let asked = c["created_at"].as_str().expect("created_at").to_owned();
                        let asked = chrono::DateTime::parse_from_rfc3339(&asked).expect("rfc3339");
                        // Three days later, but before the check date, when it is still answered.
                        let last = before_check(1, 23, 0);
                        let at = (asked + Duration::days(3)).min(last);
                        c["reply"]["created_at"] = at.to_rfc3339().into();
                    }
                }
            }
            Some(other) => panic!("unknown comments case {other}"),
        }
        if let Some(e) = &self.event {
            let at = before_check(12, 8, 30);
            let id = format!("world-event-{}", b.place.code);
            world.events.push(json!({
                "id": id, "title": fill.apply(&e.title), "kind": e.kind, "occurred_at": rfc3339(at),
                "scope": [b.place.code], "keywords": e.keywords,
            }));
            if let Some(h) = e.response_hours {
                let mut a = b.articles.last().expect("articles").clone();
                a["published_at"] = rfc3339(at + Duration::hours(h)).into();
                a["url"] = format!("{}&event=1", a["url"].as_str().expect("url")).into();
                a["title"] = fill.apply(&e.response_title).into();
                a.as_object_mut().expect("object").remove("comments");
                b.articles.push(a);
            }
        }
        mark(&mut b.record, &planted, self);
    }
}

/// Writes the case's truth on an account record.
fn mark(record: &mut serde_json::Map<String, Value>, planted: &[String], case: &Case) {
    if case.planted {
        record.insert("planted".into(), json!(planted));
    }
    let near: Vec<&String> = if case.planted { case.resembles.iter().collect() } else { vec![&case.code] };
    if !near.is_empty() {
        record.insert("near_miss".into(), json!(near));
    }
}

/// Whether `s` still holds a `{name}` placeholder.
fn has_placeholder(s: &str) -> bool {
    s.split('{').skip(1).any(|rest| {
        rest.split_once('}').is_some_and(|(name, _)| {
            !name.is_empty() && name.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
    })
}

fn toml_to_json(v: &toml::Value) -> Value {
    serde_json::to_value(v).expect("TOML values are JSON values")
}

fn filled(v: Value, fill: &Fill) -> Value {
    match v {
        Value::String(s) => Value::String(fill.apply(&s)),
        Value::Array(a) => Value::Array(a.into_iter().map(|x| filled(x, fill)).collect()),
        other => other,
    }
}

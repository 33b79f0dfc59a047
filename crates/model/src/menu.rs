//! Custom menus (自定义菜单) in the platform's own JSON shapes, and a normalised tree.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{FieldError, Timestamp};

/// One capture of an account's menu: the platform's JSON exactly as returned by
/// `get_current_selfmenu_info` or `menu/get`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MenuSnapshot {
    pub account: String,
    #[serde(with = "crate::time::flexible")]
    pub captured_at: Timestamp,
    pub menu: Value,
}

impl MenuSnapshot {
    /// The normalised menu of this snapshot.
    pub fn parse(&self) -> Result<Menu, FieldError> {
        Menu::from_platform_json(&self.menu)
    }
}

/// What tapping a menu item does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MenuTarget {
    /// Opens a web page (`view`).
    Url { url: String },
    /// Opens a mini-program; `url` is the fallback page for old clients.
    MiniProgram { appid: String, pagepath: Option<String>, url: Option<String> },
    /// Pushes one or more articles (`news`, `article_id`, `media_id`): their URLs when known.
    Articles { urls: Vec<String>, titles: Vec<String> },
    /// Replies with a text message (`text`).
    Text { value: String },
    /// Sends an event to the account's server (`click`, `scancode_*`, `pic_*`, `location_select`).
    Event { kind: String, key: Option<String> },
    /// Replies with an image, voice or video.
    Media { kind: String },
}

/// The difference between two captures of one menu.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenuDiff {
    /// Set when the menu was switched on (true) or off (false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opened: Option<bool>,
    /// Paths of items that appeared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub added: Vec<String>,
    /// Paths of items that disappeared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<String>,
    /// Items whose target changed: path, before, after.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retargeted: Vec<(String, Option<MenuTarget>, Option<MenuTarget>)>,
}

impl MenuDiff {
    pub fn is_empty(&self) -> bool {
        self.opened.is_none()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.retargeted.is_empty()
    }

    /// One line in Chinese (`新增：办事服务/社保查询；删除：…；链接变更：…`).
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if let Some(open) = self.opened {
            parts.push(if open { "菜单已开启" } else { "菜单已关闭" }.to_owned());
        }
        for (label, list) in [("新增", &self.added), ("删除", &self.removed)] {
            if !list.is_empty() {
                parts.push(format!("{label}：{}", list.join("、")));
            }
        }
        if !self.retargeted.is_empty() {
            let paths: Vec<&str> = self.retargeted.iter().map(|r| r.0.as_str()).collect();
            parts.push(format!("目标变更：{}", paths.join("、")));
        }
        parts.join("；")
    }
}

/// A menu button; top-level buttons may have up to five children.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenuItem {
    pub name: String,
    /// None for a parent that only opens its sub-menu.
    pub target: Option<MenuTarget>,
    pub children: Vec<MenuItem>,
}

/// A normalised custom menu.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Menu {
    /// False when `is_menu_open` is 0.
    pub open: bool,
    pub buttons: Vec<MenuItem>,
}

impl Menu {
    /// Reads either platform shape:
    /// `{"is_menu_open":1,"selfmenu_info":{"button":[…]}}` (sub-buttons under
    /// `sub_button.list`) or `{"menu":{"button":[…]}}` (sub-buttons as an array). An empty
    /// object, `{"errcode":46003}` or a missing button list is an empty menu.
    pub fn from_platform_json(v: &Value) -> Result<Menu, FieldError> {
        let obj = v.as_object().ok_or_else(|| FieldError::new("menu", "应为 JSON 对象"))?;
        if let Some(code) = obj.get("errcode").and_then(Value::as_i64) {
            if code == 46003 || code == 0 && !obj.contains_key("menu") {
                return Ok(Menu::default());
            }
            if code != 0 {
                return Err(FieldError::new("menu", format!("平台返回错误 errcode {code}")));
            }
        }
        let (open, buttons) = if let Some(info) = obj.get("selfmenu_info") {
            let open = obj.get("is_menu_open").map(truthy).unwrap_or(true);
            (open, info.get("button"))
        } else if let Some(menu) = obj.get("menu") {
            (true, menu.get("button"))
        } else if obj.contains_key("button") {
            (true, obj.get("button"))
        } else {
            (obj.get("is_menu_open").map(truthy).unwrap_or(false), None)
        };
        let buttons = match buttons {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(list)) => list
                .iter()
                .enumerate()
                .map(|(i, b)| parse_item(b, &format!("menu.button[{i}]")))
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(FieldError::new("menu.button", "应为数组")),
        };
        Ok(Menu { open: open && !buttons.is_empty(), buttons })
    }

    /// True when users see no menu at all.
    pub fn is_empty(&self) -> bool {
        !self.open || self.buttons.is_empty()
    }

    /// What changed from `self` to `newer`, item by item (by path): the monitor records it
    /// when a new capture differs from the previous one.
    pub fn diff(&self, newer: &Menu) -> MenuDiff {
        let old: std::collections::BTreeMap<String, &MenuItem> = self.items().into_iter().collect();
        let new: std::collections::BTreeMap<String, &MenuItem> = newer.items().into_iter().collect();
        MenuDiff {
            opened: (self.open != newer.open).then_some(newer.open),
            added: new.keys().filter(|k| !old.contains_key(*k)).cloned().collect(),
            removed: old.keys().filter(|k| !new.contains_key(*k)).cloned().collect(),
            retargeted: new
                .iter()
                .filter(|(k, n)| old.get(*k).is_some_and(|o| o.target != n.target))
                .map(|(k, n)| (k.clone(), old[k].target.clone(), n.target.clone()))
                .collect(),
        }
    }

    /// Every item with its path (`办事服务/社保查询`), parents before children.
    pub fn items(&self) -> Vec<(String, &MenuItem)> {
        let mut out = Vec::new();
        for b in &self.buttons {
            out.push((b.name.clone(), b));
            for c in &b.children {
                out.push((format!("{}/{}", b.name, c.name), c));
            }
        }
        out
    }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_i64() != Some(0),
        Value::String(s) => s != "0" && !s.is_empty(),
        _ => false,
    }
}

fn str_field(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn parse_item(v: &Value, path: &str) -> Result<MenuItem, FieldError> {
    let name = str_field(v, "name").ok_or_else(|| FieldError::new(format!("{path}.name"), "缺少菜单名称"))?;
    let children_json = match v.get("sub_button") {
        Some(Value::Array(list)) => list.as_slice(),
        Some(Value::Object(o)) => o.get("list").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]),
        _ => &[],
    };
    let children = children_json
        .iter()
        .enumerate()
        .map(|(i, c)| parse_item(c, &format!("{path}.sub_button[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    let target = match v.get("type").and_then(Value::as_str) {
        None => None,
        Some("view") => Some(MenuTarget::Url { url: str_field(v, "url").unwrap_or_default() }),
        Some("miniprogram") => Some(MenuTarget::MiniProgram {
            appid: str_field(v, "appid").unwrap_or_default(),
            pagepath: str_field(v, "pagepath"),
            url: str_field(v, "url"),
        }),
        Some("news") => {
            let list = v.pointer("/news_info/list").and_then(Value::as_array).cloned().unwrap_or_default();
            Some(MenuTarget::Articles {
                urls: list.iter().filter_map(|n| str_field(n, "content_url")).collect(),
                titles: list.iter().filter_map(|n| str_field(n, "title")).collect(),
            })
        }
        Some("article_id" | "article_view_limited" | "media_id" | "view_limited") => {
            Some(MenuTarget::Articles { urls: Vec::new(), titles: Vec::new() })
        }
        Some("text") => Some(MenuTarget::Text { value: str_field(v, "value").unwrap_or_default() }),
        Some(kind @ ("img" | "voice" | "video")) => Some(MenuTarget::Media { kind: kind.to_owned() }),
        Some(kind) => Some(MenuTarget::Event { kind: kind.to_owned(), key: str_field(v, "key") }),
    };
    Ok(MenuItem { name, target, children })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_changed_menu_says_what_changed() {
        let before = Menu::from_platform_json(&json!({"menu":{"button":[
            {"name":"办事服务","sub_button":[{"type":"view","name":"社保查询","url":"https://x.gov.cn/sb"},
                                         {"type":"view","name":"公积金","url":"https://x.gov.cn/gjj"}]}]}}))
        .unwrap();
        let after = Menu::from_platform_json(&json!({"menu":{"button":[
            {"name":"办事服务","sub_button":[{"type":"view","name":"社保查询","url":"https://y.gov.cn/sb"},
                                         {"type":"view","name":"医保","url":"https://x.gov.cn/yb"}]}]}}))
        .unwrap();
        let d = before.diff(&after);
        assert_eq!(d.added, ["办事服务/医保"]);
        assert_eq!(d.removed, ["办事服务/公积金"]);
        assert_eq!(d.retargeted.len(), 1);
        assert_eq!(d.summary(), "新增：办事服务/医保；删除：办事服务/公积金；目标变更：办事服务/社保查询");
        assert!(before.diff(&before).is_empty());
    }

    #[test]
    fn both_shapes_and_closed_menus() {
        let a = Menu::from_platform_json(&json!({"menu":{"button":[
            {"name":"办事服务","sub_button":[{"type":"view","name":"社保查询","url":"https://x.gov.cn/sb"}]}]}}))
        .unwrap();
        assert_eq!(a.items()[1].0, "办事服务/社保查询");
        assert_eq!(
            a.buttons[0].children[0].target,
            Some(MenuTarget::Url { url: "https://x.gov.cn/sb".into() })
        );
        let b = Menu::from_platform_json(
            &json!({"is_menu_open":0,"selfmenu_info":{"button":[{"name":"a","type":"text","value":"x"}]}}),
        )
        .unwrap();
        assert!(b.is_empty());
        assert!(
            Menu::from_platform_json(&json!({"errcode":46003,"errmsg":"menu no exist"})).unwrap().is_empty()
        );
        assert!(Menu::from_platform_json(&json!({})).unwrap().is_empty());
        assert!(
            Menu::from_platform_json(&json!({"menu":{"button":[{"type":"view"}]}}))
                .unwrap_err()
                .field
                .contains("name")
        );
    }
}

//! Custom menus in the platform's two JSON shapes, and offline snapshots of the pages they open.
//!
//! A menu is built as a small tree (three top-level buttons: 政务公开, 办事服务, 互动交流 and
//! their sub-buttons), the planned problems are applied to the tree, and the tree is rendered
//! either as `get_current_selfmenu_info` (sub-buttons under `sub_button.list`, `is_menu_open`)
//! or as `menu/get` (sub-buttons as an array, leaves with an empty `sub_button`), the shapes of
//! the wechatpy fixtures. Generated links use the reserved `.example` top-level domain, so they
//! never reach a real server; `pages.jsonl` holds what a checker would have fetched.

use std::collections::BTreeSet;

use govmedia_model::{FetchError, PageSnapshot, Timestamp};
use serde_json::{Value, json};

use crate::rng::{Rng, fnv1a};

/// Which menu problems an account has (each one planted at a documented rate).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct MenuPlan {
    pub none: bool,
    pub missing_disclosure: bool,
    pub missing_service: bool,
    pub missing_interaction: bool,
    pub misplaced: bool,
    pub national_only: bool,
    pub outdated: bool,
    /// One link answers 404, times out or fails DNS.
    pub broken_link: bool,
    /// One service page forces a login.
    pub login_required: bool,
    /// One service item only asks to download an app.
    pub app_required: bool,
    /// The account's pages have no mobile viewport.
    pub not_adapted: bool,
    /// One item opens a deleted WeChat article.
    pub wechat_unavailable: bool,
    /// Render as `get_current_selfmenu_info` (else `menu/get`).
    pub selfmenu_shape: bool,
}

#[derive(Debug, Clone)]
enum Target {
    View(String),
    Mini { appid: String, pagepath: String, url: String },
    Click(String),
    News(Vec<(String, String)>),
}

#[derive(Debug, Clone)]
struct Item {
    name: String,
    target: Option<Target>,
    children: Vec<Item>,
    /// A planted problem: kept when room is made for another item.
    planted: bool,
}

fn leaf(name: &str, target: Target) -> Item {
    Item { name: name.to_owned(), target: Some(target), children: Vec::new(), planted: false }
}

/// What a page behind a link is like.
#[derive(Debug, Clone, Copy, PartialEq)]
enum PageKind {
    Normal,
    NotFound,
    Failed(FetchError),
    Login,
    App,
    WechatDeleted,
}

/// Collects page snapshots and their bodies, one per URL.
#[derive(Default)]
pub(crate) struct Pages {
    seen: BTreeSet<String>,
    pub snapshots: Vec<PageSnapshot>,
    pub files: Vec<crate::PageFile>,
}

impl Pages {
    fn add(&mut self, url: &str, title: &str, kind: PageKind, adapted: bool, at: Timestamp) {
        if !self.seen.insert(url.to_owned()) {
            return;
        }
        let mut extra = serde_json::Map::new();
        extra.insert("generated".into(), Value::Bool(true));
        let mut snap = PageSnapshot {
            url: url.to_owned(),
            fetched_at: at,
            status: None,
            final_url: None,
            content_type: None,
            body: None,
            error: None,
            extra,
        };
        let html = match kind {
            PageKind::Failed(e) => {
                snap.error = Some(e);
                None
            }
            PageKind::NotFound => {
                snap.status = Some(404);
                Some(page_html("404 Not Found", "您访问的页面不存在或已被删除。", true))
            }
            PageKind::Normal => Some(page_html(title, &column_text(url, title), adapted)),
            PageKind::Login => {
                snap.final_url = Some(format!("{}/login?redirect=", host_of(url)));
                Some(page_html("用户登录", "请先登录或注册后查看办事指南。手机号：[    ] 验证码：[    ] 登录", adapted))
            }
            PageKind::App => Some(page_html(
                title,
                "本功能仅在APP内提供，请扫码下载“掌上政务”APP后使用。",
                adapted,
            )),
            PageKind::WechatDeleted => Some(
                "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title></title></head><body><div class=\"weui-msg\"><p class=\"weui-msg__title\">该内容已被发布者删除</p></div></body></html>\n"
                    .to_owned(),
            ),
        };
        if let Some(html) = html {
            snap.status.get_or_insert(200);
            snap.content_type = Some("text/html; charset=utf-8".to_owned());
            let path = format!("pages/{:016x}.html", fnv1a(url));
            snap.body = Some(path.clone());
            self.files.push(crate::PageFile { path, body: html });
        }
        self.snapshots.push(snap);
    }
}

/// The text of a working column page: what the column offers, by its name. Half of the
/// service and interaction columns (chosen by a hash of the URL, so that no random draw
/// shifts the rest of the sample) offer less — a query column under construction, an
/// appointment that sends people to the hall, a message box without a Q&A bank — so that the
/// `functions` check has differences to find.
fn column_text(url: &str, title: &str) -> String {
    let full = fnv1a(url).is_multiple_of(2);
    let offer = match title {
        "政策文件" => "本栏目发布规范性文件和政策文件，点击标题查看全文。",
        "政策解读" => "本栏目以图解、视频等形式解读新出台的政策。",
        "通知公告" | "政府信息公开" => "本栏目按法定要求主动公开政府信息。",
        "办事指南" | "不动产登记" => "列明申请材料、办理流程和办理时限，无需登录即可查看。",
        "社保查询" | "公积金查询" if full => "输入证件号码即可查询缴存记录和办件进度。",
        "社保查询" | "公积金查询" => "本栏目正在建设中，敬请期待。",
        "预约办理" if full => "在线预约、在线办理，办理结果可在“我的办件”中查看。",
        "预约办理" => "请携带材料前往政务服务大厅现场办理。",
        "我要留言" if full => "填写标题与内容即可留言，答复在本页公开；常见问题请先查阅智能问答。",
        "我要留言" => "填写标题与内容即可留言，工作人员将在5个工作日内答复。",
        "12345热线" => "拨打12345热线反映诉求，7×24小时受理。",
        "领导信箱" => "写信给领导，来信和答复在本页公开。",
        _ => "本栏目内容持续更新。",
    };
    format!("{title}：{offer}")
}

fn host_of(url: &str) -> &str {
    let after = url.find("://").map(|i| i + 3).unwrap_or(0);
    let end = url[after..].find('/').map(|i| i + after).unwrap_or(url.len());
    &url[..end]
}

fn page_html(title: &str, text: &str, adapted: bool) -> String {
    if adapted {
        format!(
            "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title></head><body><h1>{title}</h1><p>{text}</p></body></html>\n"
        )
    } else {
        format!(
            "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body><table width=\"1200\"><tr><td><h1>{title}</h1><p>{text}</p></td></tr></table></body></html>\n"
        )
    }
}

/// What the menu builder needs to know about the account.
pub(crate) struct MenuCtx<'a> {
    /// `https://gov-XXXX.example`
    pub host: &'a str,
    pub biz: &'a str,
    pub place: &'a str,
    /// Two recent articles (url, title) for a `news` item.
    pub recent: &'a [(String, String)],
    pub captured_at: Timestamp,
}

const DISCLOSURE: &[&str] = &["政务公开", "信息公开", "权威发布"];
const SERVICE: &[&str] = &["办事服务", "便民服务", "政务服务"];
const INTERACTION: &[&str] = &["互动交流", "政民互动", "互动服务"];
const OUTDATED: &[&str] = &["疫情防控", "核酸检测点查询", "健康码申领", "灾后重建"];

fn disclosure(c: &MenuCtx, rng: &mut Rng) -> Item {
    let mut children = vec![
        leaf("政策文件", Target::View(format!("{}/zcwj/", c.host))),
        leaf("政策解读", Target::View(format!("{}/zcjd/", c.host))),
        leaf("通知公告", Target::View(format!("{}/tzgg/", c.host))),
        leaf("政府信息公开", Target::View(format!("{}/xxgk/", c.host))),
    ];
    if rng.chance(0.5) {
        children.push(leaf(
            "历史消息",
            Target::View(format!(
                "https://mp.weixin.qq.com/mp/profile_ext?action=home&__biz={}#wechat_redirect",
                c.biz
            )),
        ));
    }
    Item { name: rng.pick(DISCLOSURE).to_string(), target: None, children, planted: false }
}

fn service(c: &MenuCtx, rng: &mut Rng) -> Item {
    let appid = format!("wx{}", rng.hex(16));
    let mut children = vec![
        leaf("办事指南", Target::View(format!("{}/bszn/", c.host))),
        leaf("社保查询", Target::View(format!("{}/sbcx/", c.host))),
        leaf("公积金查询", Target::View(format!("{}/gjj/", c.host))),
        leaf(
            "预约办理",
            Target::Mini { appid, pagepath: "pages/index/index".into(), url: format!("{}/yybl/", c.host) },
        ),
    ];
    if rng.chance(0.5) {
        children.push(leaf("不动产登记", Target::View(format!("{}/bdc/", c.host))));
    }
    Item { name: rng.pick(SERVICE).to_string(), target: None, children, planted: false }
}

fn interaction(c: &MenuCtx, rng: &mut Rng) -> Item {
    let mut children = vec![
        leaf("我要留言", Target::View(format!("{}/lyb/", c.host))),
        leaf("12345热线", Target::View(format!("{}/12345/", c.host))),
        leaf("在线咨询", Target::Click("ZXZX".into())),
    ];
    if rng.chance(0.5) {
        children.push(leaf("领导信箱", Target::View(format!("{}/ldxx/", c.host))));
    }
    Item { name: rng.pick(INTERACTION).to_string(), target: None, children, planted: false }
}

/// Interaction that only links to the national platforms (scores nothing).
fn national_only(rng: &mut Rng) -> Item {
    let appid = format!("wx{}", rng.hex(16));
    Item {
        name: rng.pick(INTERACTION).to_string(),
        target: None,
        children: vec![
            leaf(
                "国务院客户端",
                Target::Mini {
                    appid,
                    pagepath: "pages/index/index".into(),
                    url: "https://www.gov.cn/".into(),
                },
            ),
            leaf("互联网+督查", Target::View("https://www.gov.cn/hudong/ducha/".into())),
        ],
        planted: false,
    }
}

fn about(c: &MenuCtx) -> Item {
    Item {
        name: format!("走进{}", c.place),
        target: None,
        children: vec![
            leaf("概况", Target::View(format!("{}/gk/", c.host))),
            leaf("视频专区", Target::View(format!("{}/sp/", c.host))),
        ],
        planted: false,
    }
}

/// Builds the menu JSON and records the pages behind its links.
pub(crate) fn build(c: &MenuCtx, plan: &MenuPlan, rng: &mut Rng, pages: &mut Pages) -> Value {
    if plan.none {
        return if plan.selfmenu_shape {
            json!({"is_menu_open": 0, "selfmenu_info": {"button": []}})
        } else {
            json!({"errcode": 46003, "errmsg": "menu no exist"})
        };
    }
    let mut buttons = Vec::new();
    if !plan.missing_disclosure {
        buttons.push(disclosure(c, rng));
    }
    if !plan.missing_service {
        buttons.push(service(c, rng));
    }
    if plan.national_only {
        buttons.push(national_only(rng));
    } else if !plan.missing_interaction {
        buttons.push(interaction(c, rng));
    }
    if buttons.len() < 3 {
        buttons.push(about(c));
    }
    if plan.selfmenu_shape && c.recent.len() >= 2 && buttons[0].children.len() < 5 {
        buttons[0].children.push(leaf("最新发布", Target::News(c.recent[..2].to_vec())));
    }
    if plan.misplaced {
        misplace(&mut buttons, plan.national_only);
    }
    if plan.outdated {
        // Expired topics usually linger under the services button.
        let i = buttons.iter().position(|b| SERVICE.contains(&b.name.as_str())).unwrap_or(buttons.len() - 1);
        let name = rng.pick(OUTDATED).to_string();
        let url = format!("{}/{:x}/", c.host, fnv1a(&name) & 0xffff);
        replace_last(&mut buttons[i], leaf(&name, Target::View(url)));
    }
    if plan.wechat_unavailable {
        let url = format!(
            "https://mp.weixin.qq.com/s?__biz={}&mid=2247483{:03}&idx=1&sn={}",
            c.biz,
            rng.below(1000),
            rng.hex(32)
        );
        replace_last(&mut buttons[0], leaf("重要通知", Target::View(url)));
    }
    record_pages(c, plan, &buttons, rng, pages);
    if plan.selfmenu_shape { render_selfmenu(&buttons) } else { render_menu_get(&buttons) }
}

/// Puts an item under a parent whose function it does not serve (政策解读 under services, or
/// 办事指南 under interaction). An interaction button that only links to the national
/// platforms is left as it is, so that problem stays recognisable.
fn misplace(buttons: &mut [Item], national_only: bool) {
    let from = buttons.iter().position(|b| b.children.iter().any(|c| c.name == "政策解读"));
    let to = buttons.iter().position(|b| SERVICE.contains(&b.name.as_str()));
    let (from, to, name) = match (from, to) {
        (Some(f), Some(t)) => (f, t, "政策解读"),
        _ => {
            let f = buttons.iter().position(|b| b.children.iter().any(|c| c.name == "办事指南"));
            let t = buttons
                .iter()
                .position(|b| INTERACTION.contains(&b.name.as_str()))
                .filter(|_| !national_only);
            match (f, t) {
                (Some(f), Some(t)) => (f, t, "办事指南"),
                _ => (0, 0, ""),
            }
        }
    };
    let pos = buttons[from].children.iter().position(|c| c.name == name);
    let Some(pos) = pos else {
        // Neither pair exists: move an item of one function's button under another button,
        // leaving a national-platforms-only interaction button as it is.
        let national = |b: &Item| national_only && INTERACTION.contains(&b.name.as_str());
        let Some(from) = buttons.iter().position(|b| !national(b) && !b.children.is_empty()) else {
            return;
        };
        let Some(to) = (0..buttons.len()).rev().find(|&t| t != from && !national(&buttons[t])) else {
            return;
        };
        let moved = buttons[from].children.remove(0);
        replace_last(&mut buttons[to], moved);
        return;
    };
    let moved = buttons[from].children.remove(pos);
    replace_last(&mut buttons[to], moved);
}

/// Appends a planted item; when the parent already has five children, the last ordinary one
/// makes room.
fn replace_last(parent: &mut Item, mut item: Item) {
    item.planted = true;
    if parent.children.len() >= 5
        && let Some(k) = parent.children.iter().rposition(|c| !c.planted)
    {
        parent.children.remove(k);
    }
    parent.children.push(item);
}

fn record_pages(c: &MenuCtx, plan: &MenuPlan, buttons: &[Item], rng: &mut Rng, pages: &mut Pages) {
    let mut own: Vec<(String, String)> = Vec::new();
    for b in buttons {
        for ch in &b.children {
            match &ch.target {
                Some(Target::View(u)) => own.push((u.clone(), ch.name.clone())),
                Some(Target::Mini { url, .. }) => own.push((url.clone(), ch.name.clone())),
                Some(Target::News(list)) => {
                    own.extend(list.iter().map(|(u, t)| (u.clone(), t.clone())));
                }
                _ => {}
            }
        }
    }
    let on_host: Vec<usize> = (0..own.len()).filter(|&i| own[i].0.starts_with(c.host)).collect();
    let mut special: Vec<(usize, PageKind)> = Vec::new();
    let take = |kind: PageKind, rng: &mut Rng, special: &mut Vec<(usize, PageKind)>| {
        let free: Vec<usize> =
            on_host.iter().copied().filter(|i| !special.iter().any(|(j, _)| j == i)).collect();
        if !free.is_empty() {
            special.push((free[rng.index(free.len())], kind));
        }
    };
    if plan.broken_link {
        let kind = match rng.below(3) {
            0 => PageKind::NotFound,
            1 => PageKind::Failed(FetchError::Timeout),
            _ => PageKind::Failed(FetchError::Dns),
        };
        take(kind, rng, &mut special);
    }
    if plan.login_required {
        take(PageKind::Login, rng, &mut special);
    }
    if plan.app_required {
        take(PageKind::App, rng, &mut special);
    }
    for (i, (url, title)) in own.iter().enumerate() {
        let kind = if let Some((_, k)) = special.iter().find(|(j, _)| *j == i) {
            *k
        } else if plan.wechat_unavailable && title == "重要通知" {
            PageKind::WechatDeleted
        } else {
            PageKind::Normal
        };
        let adapted = !plan.not_adapted || !url.starts_with(c.host);
        pages.add(url, title, kind, adapted, c.captured_at);
    }
}

fn leaf_json(item: &Item, menu_get: bool) -> Value {
    let mut v = json!({"name": item.name});
    let o = v.as_object_mut().expect("object");
    match &item.target {
        Some(Target::View(url)) => {
            o.insert("type".into(), "view".into());
            o.insert("url".into(), url.as_str().into());
        }
        Some(Target::Mini { appid, pagepath, url }) => {
            o.insert("type".into(), "miniprogram".into());
            o.insert("url".into(), url.as_str().into());
            o.insert("appid".into(), appid.as_str().into());
            o.insert("pagepath".into(), pagepath.as_str().into());
        }
        Some(Target::Click(key)) => {
            o.insert("type".into(), "click".into());
            o.insert("key".into(), key.as_str().into());
        }
        Some(Target::News(list)) => {
            o.insert("type".into(), "news".into());
            let list: Vec<Value> = list
                .iter()
                .map(|(u, t)| {
                    json!({"title": t, "author": "", "digest": t, "show_cover": 1,
                           "cover_url": "", "content_url": u, "source_url": ""})
                })
                .collect();
            o.insert("news_info".into(), json!({ "list": list }));
        }
        None => {}
    }
    if menu_get {
        o.insert("sub_button".into(), json!([]));
    }
    v
}

fn render_selfmenu(buttons: &[Item]) -> Value {
    let list: Vec<Value> = buttons
        .iter()
        .map(|b| {
            let subs: Vec<Value> = b.children.iter().map(|c| leaf_json(c, false)).collect();
            json!({"name": b.name, "sub_button": {"list": subs}})
        })
        .collect();
    json!({"is_menu_open": 1, "selfmenu_info": {"button": list}})
}

fn render_menu_get(buttons: &[Item]) -> Value {
    let list: Vec<Value> = buttons
        .iter()
        .map(|b| {
            let subs: Vec<Value> = b.children.iter().map(|c| leaf_json(c, true)).collect();
            json!({"name": b.name, "sub_button": subs})
        })
        .collect();
    json!({"menu": {"button": list}})
}

#[cfg(test)]
mod tests {
    use govmedia_model::{Menu, MenuTarget, time::parse_time};

    use super::*;

    fn ctx(recent: &[(String, String)]) -> MenuCtx<'_> {
        MenuCtx {
            host: "https://gov-340100.example",
            biz: "MzA5NTA5NzYyMA==",
            place: "合肥",
            recent,
            captured_at: parse_time("t", "2025-10-30T10:00:00+08:00").unwrap(),
        }
    }

    #[test]
    fn both_shapes_parse_and_problems_show() {
        let recent = vec![("https://mp.weixin.qq.com/s?a".to_owned(), "t1".to_owned()); 2];
        let c = ctx(&recent);
        let mut pages = Pages::default();
        let mut r = Rng::new(1, "menu");
        for shape in [true, false] {
            let plan = MenuPlan { selfmenu_shape: shape, ..Default::default() };
            let m = Menu::from_platform_json(&build(&c, &plan, &mut r, &mut pages)).unwrap();
            assert_eq!(m.buttons.len(), 3);
            assert!(m.buttons.iter().all(|b| (1..=5).contains(&b.children.len())));
            let none = MenuPlan { none: true, selfmenu_shape: shape, ..Default::default() };
            assert!(Menu::from_platform_json(&build(&c, &none, &mut r, &mut pages)).unwrap().is_empty());
        }
        let plan = MenuPlan { national_only: true, misplaced: true, outdated: true, ..Default::default() };
        let m = Menu::from_platform_json(&build(&c, &plan, &mut r, &mut pages)).unwrap();
        let paths: Vec<String> = m.items().into_iter().map(|(p, _)| p).collect();
        let service = m.buttons.iter().find(|b| SERVICE.contains(&b.name.as_str())).unwrap();
        assert!(service.children.iter().any(|c| c.name == "政策解读"), "{paths:?}");
        let inter = m.buttons.iter().find(|b| INTERACTION.contains(&b.name.as_str())).unwrap();
        assert!(inter.children.iter().all(|c| matches!(&c.target,
            Some(MenuTarget::Url { url }) if url.contains("www.gov.cn"))
            || c.name == "国务院客户端"));
        assert!(m.items().iter().any(|(_, i)| OUTDATED.contains(&i.name.as_str())));
        // Every link of the menus has exactly one page snapshot.
        let urls: BTreeSet<&str> = pages.snapshots.iter().map(|p| p.url.as_str()).collect();
        assert_eq!(urls.len(), pages.snapshots.len());
    }

    #[test]
    fn link_problems_become_pages() {
        let c = ctx(&[]);
        let mut pages = Pages::default();
        let mut r = Rng::new(2, "menu");
        let plan = MenuPlan {
            login_required: true,
            app_required: true,
            not_adapted: true,
            wechat_unavailable: true,
            ..Default::default()
        };
        build(&c, &plan, &mut r, &mut pages);
        let bodies: Vec<&str> = pages.files.iter().map(|f| f.body.as_str()).collect();
        assert!(bodies.iter().any(|b| b.contains("请先登录")));
        assert!(bodies.iter().any(|b| b.contains("下载")));
        assert!(bodies.iter().any(|b| b.contains("该内容已被发布者删除")));
        assert!(bodies.iter().filter(|b| !b.contains("已被发布者删除")).all(|b| !b.contains("viewport")));
    }
}

//! What a fetched page means for a reader: works, broken, a WeChat notice, a login wall or an
//! app wall.
//!
//! Heuristics (all on the *main text*: the visible text of `<body>` without `script`, `style`,
//! `noscript`, `template`, `nav`, `header`, `footer` and `aside`, whitespace collapsed):
//! - **HTTP status**: no response, or 4xx/5xx → broken with the status or the failure kind;
//!   401 → login required (the server itself asks for credentials).
//! - **WeChat notice**: a 200 from `mp.weixin.qq.com` whose page is a deleted / violation /
//!   unavailable / expired notice (`govmedia_ingest::wechat_page::classify_notice`); WeChat's
//!   "环境异常 … 完成验证" captcha page is *not evaluated* (it says nothing about the article).
//! - **Login wall**: a redirect (HTTP or `<meta refresh>`) that ends on an identity host
//!   (first label `login`, `sso`, `passport`, `cas`, `auth`, `uc`, `account(s)`, `signin`,
//!   `oauth`, `iam`, `idp`, `uaa`) or on a login path (`/login`, `/signin`, `/cas/`, `/sso/`,
//!   `/oauth`, `/authorize`); or a short page (main text ≤ [`SHORT_PAGE`] chars) that has a
//!   password field or says 统一身份认证 / 请先登录 / 登录后查看 ….
//! - **App wall**: a short page that says 下载APP / 请在APP中打开 … or whose links are only
//!   app-store or `.apk` links.
//! - **Soft 404**: a 200 page whose `<title>` says 页面不存在 / 404 / 已删除 / 已下线 …, or
//!   whose main text is an error box (≤ [`ERROR_BOX`] chars) that does. A long page that merely mentions "已删除" is not flagged.

use std::sync::LazyLock;

use reqwest::Url;
use scraper::{ElementRef, Html, Node, Selector};

use crate::fetch::{FailureKind, Fetched};

/// Main text up to this many characters counts as "the page is only this message".
pub const SHORT_PAGE: usize = 400;

/// A "not found" phrase in the body counts only on a page this short (an error box).
pub const ERROR_BOX: usize = 150;

/// Phrases that mark a page as "not found" (a soft 404).
const SOFT_404: &[&str] = &[
    "页面不存在",
    "页面未找到",
    "找不到页面",
    "页面找不到",
    "找不到该页面",
    "您访问的页面不存在",
    "不存在或已删除",
    "已删除",
    "已下线",
    "已失效",
    "页面已过期",
    "信息不存在",
    "栏目不存在",
    "文章不存在",
    "not found",
    "404",
];

const LOGIN_PHRASES: &[&str] = &[
    "统一身份认证",
    "请先登录",
    "请登录后",
    "登录后查看",
    "登录后访问",
    "登录后使用",
    "请先注册",
    "注册后查看",
    "用户登录",
    "账号登录",
    "扫码登录",
];

const APP_PHRASES: &[&str] = &[
    "下载app",
    "下载客户端",
    "请在app中",
    "请在app内",
    "请使用app",
    "打开app",
    "仅支持在app",
    "前往app",
    "扫码下载",
    "立即下载",
];

const IDENTITY_LABELS: &[&str] = &[
    "login", "sso", "passport", "cas", "auth", "uc", "account", "accounts", "signin", "oauth", "iam", "idp",
    "uaa",
];

const LOGIN_PATHS: &[&str] = &["/login", "/signin", "/cas/", "/sso/", "/oauth", "/authorize", "/logon"];

const APP_STORE_HOSTS: &[&str] = &[
    "apps.apple.com",
    "itunes.apple.com",
    "a.app.qq.com",
    "sj.qq.com",
    "app.mi.com",
    "appgallery.huawei.com",
];

/// Why a link counts as broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrokenReason {
    Status(u16),
    Failure(FailureKind, String),
    /// A 200 page that says it does not exist: the phrase matched.
    Soft404(String),
}

impl BrokenReason {
    /// Short Chinese reason for messages (`HTTP 404`, `连接超时`, `软404：页面不存在`).
    pub fn label_zh(&self) -> String {
        match self {
            BrokenReason::Status(s) => format!("HTTP {s}"),
            BrokenReason::Failure(k, _) => k.label_zh().to_owned(),
            BrokenReason::Soft404(p) => format!("页面提示“{p}”（软404）"),
        }
    }

    /// Machine-readable reason for evidence.
    pub fn code(&self) -> String {
        match self {
            BrokenReason::Status(s) => format!("http_{s}"),
            BrokenReason::Failure(k, _) => {
                serde_json::to_value(k).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
            }
            BrokenReason::Soft404(_) => "soft-404".to_owned(),
        }
    }
}

/// The meaning of one fetched link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Ok,
    Broken(BrokenReason),
    /// The WeChat notice's reason (作者已删除 …).
    WechatUnavailable(&'static str),
    /// What gave the login wall away.
    LoginRequired(String),
    /// What gave the app wall away.
    AppRequired(String),
    /// The answer says nothing about the target (WeChat's "环境异常" verification page):
    /// not evaluated, with the reason.
    Unverifiable(String),
}

/// Reads a fetch result.
pub fn classify(f: &Fetched) -> Verdict {
    if let Some(fail) = &f.failure {
        return Verdict::Broken(BrokenReason::Failure(fail.kind, fail.detail.clone()));
    }
    let Some(status) = f.status else {
        return Verdict::Broken(BrokenReason::Failure(FailureKind::Other, "无响应".into()));
    };
    if status == 401 {
        return Verdict::LoginRequired("HTTP 401（服务器要求身份认证）".into());
    }
    if status >= 400 {
        return Verdict::Broken(BrokenReason::Status(status));
    }
    let final_url = f.final_url.as_deref().and_then(|u| Url::parse(u).ok());
    if !f.redirects.is_empty()
        && let Some(u) = &final_url
        && let Some(why) = identity_url(u)
    {
        return Verdict::LoginRequired(format!("跳转至登录页 {why}"));
    }
    let Some(html) = f.text().filter(|_| f.is_html()) else {
        return Verdict::Ok;
    };
    let is_wechat = final_url
        .as_ref()
        .and_then(Url::host_str)
        .is_some_and(|h| h.eq_ignore_ascii_case("mp.weixin.qq.com"));
    if is_wechat {
        return match govmedia_ingest::wechat_page::classify_notice(&html) {
            Some(n) => Verdict::WechatUnavailable(n.reason_zh()),
            None if html.contains("环境异常") && html.contains("完成验证") => {
                Verdict::Unverifiable("微信要求人机验证（环境异常），无法确认文章状态".into())
            }
            None => Verdict::Ok,
        };
    }
    let page = PageFeatures::read(&html, final_url.as_ref());
    page.verdict()
}

/// If `u` is a login page, how we know.
fn identity_url(u: &Url) -> Option<String> {
    let host = u.host_str()?.to_ascii_lowercase();
    let first = host.split('.').next().unwrap_or_default();
    if IDENTITY_LABELS.contains(&first) {
        return Some(host);
    }
    let path = u.path().to_ascii_lowercase();
    LOGIN_PATHS.iter().any(|p| path.starts_with(p) || path.contains(p)).then(|| format!("{host}{path}"))
}

static SEL_TITLE: LazyLock<Selector> = LazyLock::new(|| Selector::parse("title").expect("selector"));
static SEL_PASSWORD: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("input[type=password], input[type=PASSWORD]").expect("selector"));
static SEL_REFRESH: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("meta[http-equiv]").expect("selector"));
static SEL_LINKS: LazyLock<Selector> = LazyLock::new(|| Selector::parse("a[href]").expect("selector"));
static SEL_BODY: LazyLock<Selector> = LazyLock::new(|| Selector::parse("body").expect("selector"));

const SKIP: &[&str] =
    &["script", "style", "noscript", "template", "nav", "header", "footer", "aside", "head", "title"];

/// What the heuristics look at in one page.
#[derive(Debug, Clone, Default)]
pub struct PageFeatures {
    pub title: String,
    /// Visible main text, whitespace collapsed.
    pub main_text: String,
    pub has_password: bool,
    pub refresh_target: Option<Url>,
    pub links: usize,
    pub app_links: usize,
}

impl PageFeatures {
    pub fn read(html: &str, base: Option<&Url>) -> Self {
        let doc = Html::parse_document(html);
        let title = doc
            .select(&SEL_TITLE)
            .next()
            .map(|t| collapse(&t.text().collect::<String>()))
            .unwrap_or_default();
        let main_text = doc.select(&SEL_BODY).next().map(|b| collapse(&visible_text(b))).unwrap_or_default();
        let refresh_target = doc
            .select(&SEL_REFRESH)
            .filter(|m| m.value().attr("http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("refresh")))
            .filter_map(|m| m.value().attr("content"))
            .filter_map(|c| {
                let at = c.to_ascii_lowercase().find("url=")?;
                let target = c[at + 4..].trim().trim_matches(['\'', '"']);
                match base {
                    Some(b) => b.join(target).ok(),
                    None => Url::parse(target).ok(),
                }
            })
            .next();
        let hrefs: Vec<&str> = doc.select(&SEL_LINKS).filter_map(|a| a.value().attr("href")).collect();
        let app_links = hrefs.iter().filter(|h| is_app_link(h)).count();
        PageFeatures {
            title,
            main_text,
            has_password: doc.select(&SEL_PASSWORD).next().is_some(),
            refresh_target,
            links: hrefs.len(),
            app_links,
        }
    }

    fn short(&self) -> bool {
        self.main_text.chars().count() <= SHORT_PAGE
    }

    pub fn verdict(&self) -> Verdict {
        let text = self.main_text.to_lowercase();
        let title = self.title.to_lowercase();
        if let Some(why) = self.refresh_target.as_ref().and_then(identity_url) {
            return Verdict::LoginRequired(format!("页面自动跳转至登录页 {why}"));
        }
        if self.short() {
            if self.has_password {
                return Verdict::LoginRequired("页面主体为密码登录表单".into());
            }
            if let Some(p) = LOGIN_PHRASES.iter().find(|p| text.contains(*p) || title.contains(*p)) {
                return Verdict::LoginRequired(format!("页面提示“{p}”"));
            }
            if let Some(p) = APP_PHRASES.iter().find(|p| text.contains(*p)) {
                return Verdict::AppRequired(format!("页面提示“{}”", p.replace("app", "APP")));
            }
            if self.app_links > 0 && self.app_links * 2 >= self.links {
                return Verdict::AppRequired(format!(
                    "页面链接以应用下载为主（{}/{}）",
                    self.app_links, self.links
                ));
            }
        }
        if let Some(p) = SOFT_404.iter().find(|p| phrase_in(&title, p)) {
            return Verdict::Broken(BrokenReason::Soft404((*p).to_owned()));
        }
        if self.main_text.chars().count() <= ERROR_BOX
            && let Some(p) = SOFT_404.iter().find(|p| phrase_in(&text, p))
        {
            return Verdict::Broken(BrokenReason::Soft404((*p).to_owned()));
        }
        Verdict::Ok
    }
}

/// `404` must stand alone (not inside 14045); other phrases match as substrings.
fn phrase_in(text: &str, phrase: &str) -> bool {
    if !phrase.bytes().all(|b| b.is_ascii_digit()) {
        return text.contains(phrase);
    }
    text.match_indices(phrase).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + phrase.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

fn is_app_link(href: &str) -> bool {
    let h = href.to_ascii_lowercase();
    if h.starts_with("market://")
        || h.starts_with("itms-apps://")
        || h.split(['?', '#']).next().is_some_and(|p| p.ends_with(".apk"))
    {
        return true;
    }
    Url::parse(&h)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .is_some_and(|host| APP_STORE_HOSTS.contains(&host.as_str()))
}

fn visible_text(root: ElementRef<'_>) -> String {
    let mut out = String::new();
    for node in root.descendants() {
        if let Node::Text(t) = node.value() {
            let hidden =
                node.ancestors().any(|a| a.value().as_element().is_some_and(|e| SKIP.contains(&e.name())));
            if !hidden {
                out.push_str(t);
                out.push(' ');
            }
        }
    }
    out
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(html: &str) -> Verdict {
        PageFeatures::read(html, None).verdict()
    }

    #[test]
    fn soft_404_needs_a_short_page_or_the_title() {
        assert_eq!(
            page("<title>提示</title><body><p>您访问的页面不存在</p></body>"),
            Verdict::Broken(BrokenReason::Soft404("页面不存在".into()))
        );
        assert_eq!(
            page("<title>404 Not Found</title><body>x</body>"),
            Verdict::Broken(BrokenReason::Soft404("not found".into()))
        );
        let long = format!(
            "<title>通知</title><body><p>{}</p><p>该条目已删除</p></body>",
            "政务公开内容。".repeat(100)
        );
        assert_eq!(page(&long), Verdict::Ok);
        assert_eq!(page("<title>办事指南</title><body>受理编号 140456</body>"), Verdict::Ok);
    }

    #[test]
    fn login_and_app_walls() {
        assert!(matches!(
            page("<body><form><input name=u><input type=password name=p></form></body>"),
            Verdict::LoginRequired(_)
        ));
        assert!(matches!(page("<body><div>请先登录后再办理</div></body>"), Verdict::LoginRequired(_)));
        assert!(matches!(
            page("<body><h1>请下载APP查看</h1><p>立即下载</p></body>"),
            Verdict::AppRequired(_)
        ));
        assert!(matches!(
            page(
                r#"<body><a href="https://apps.apple.com/cn/app/x/id1">iOS</a><a href="/d/x.apk">安卓</a></body>"#
            ),
            Verdict::AppRequired(_)
        ));
        assert!(matches!(
            page(
                r#"<head><meta http-equiv="refresh" content="0;url=https://sso.example.gov.cn/login"></head><body></body>"#
            ),
            Verdict::LoginRequired(_)
        ));
        // A header login link on a real content page is not a wall.
        let ok = format!(
            "<body><header>用户登录 | 注册</header><main>{}</main></body>",
            "社保查询办事指南：携带身份证到窗口办理。".repeat(30)
        );
        assert_eq!(page(&ok), Verdict::Ok);
    }
}

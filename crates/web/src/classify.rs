//! What a fetched page means for a reader: works, broken, a WeChat notice, a login wall or an
//! app wall.
//!
//! The page heuristics look at the page's **main content**: the visible text of `<body>`
//! outside page chrome and hidden parts (`script`, `style`, `noscript`, `template`, `nav`,
//! `header`, `footer`, `aside`; elements with ARIA role `banner` / `navigation` /
//! `contentinfo`, with an id or class named `header`, `footer`, `nav` … (`CHROME_NAMES`),
//! with `hidden` or `display:none`), cut into sentences at block elements, `<br>` and
//! 。！？；. A wall or an error message is the page's substance when the main text is at most
//! [`SHORT_PAGE`] characters and the text outside the sentences that carry it is at most
//! [`OTHER_TEXT`] characters or no longer than they are: a banner, a header link or one
//! sentence on a real page never is (`PageFeatures::is_substance`).
//! - **HTTP status**: no response, or 4xx/5xx → broken with the status or the failure kind;
//!   401 → login required (the server itself asks for credentials).
//! - **WeChat notice**: a 200 from `mp.weixin.qq.com` whose page is a deleted / violation /
//!   unavailable / expired notice (`govmedia_ingest::wechat_page::classify_notice`); WeChat's
//!   "环境异常 … 完成验证" captcha page is *not evaluated* (it says nothing about the article).
//! - **Login wall**: a redirect (HTTP or `<meta refresh>`) that ends on an identity host
//!   (first label `login`, `sso`, `passport`, `cas`, `auth`, `uc`, `account(s)`, `signin`,
//!   `oauth`, `iam`, `idp`, `uaa`) or on a login path (`/login`, `/signin`, `/cas/`, `/sso/`,
//!   `/oauth`, `/authorize`); or a page whose substance is a password form (its `<form>`, or
//!   the field's parent without one) or sentences that demand a login (请先登录 / 您尚未登录 /
//!   注册并登录后方可查看 …; 无需登录 does not count), the title saying so too.
//! - **App wall**: a page whose substance is sentences that say 下载APP / 请在APP中打开 … and
//!   app-store or `.apk` links.
//! - **Soft 404**: a 200 page whose `<title>`, `h1`–`h3` or sentences say 页面不存在 / 页面未找到
//!   / Not Found … (the title and headings also a bare 404 error code, never a 1404, 共404条 or
//!   〔2023〕404号), the not-found sentences being its substance. A number in body text never
//!   counts, nor does a long page that mentions "已删除".

use std::sync::LazyLock;

use reqwest::Url;
use scraper::node::Element;
use scraper::{ElementRef, Html, Node, Selector};

use crate::fetch::{FailureKind, Fetched};

/// Main text up to this many characters counts as a short page, one that can be "only this
/// message".
pub const SHORT_PAGE: usize = 400;

/// Main text outside a message's sentences up to this many characters is "little other
/// text": a site name, 返回首页, a line of help. A service guide's 办理条件, 申请材料 and 办理流程
/// alone are longer.
pub const OTHER_TEXT: usize = 40;

/// Phrases that say the page is not found (a soft 404), in the title, a heading or the text.
const SOFT_404: &[&str] = &[
    "页面不存在",
    "页面未找到",
    "找不到页面",
    "页面找不到",
    "找不到该页面",
    "不存在或已删除",
    "不存在或已被删除",
    "已删除",
    "已下线",
    "已失效",
    "页面已过期",
    "信息不存在",
    "栏目不存在",
    "文章不存在",
    "内容不存在",
    "not found",
];

/// Characters after a number that make it a count or a document number (共404条, 〔2023〕404号),
/// not an error code.
const COUNTERS: &str = "号条期次个件人位页元届年月日天名家项";

/// Sentences that demand a login or a registration, or label a login box.
const LOGIN_PHRASES: &[&str] = &[
    "统一身份认证",
    "请先登录",
    "请登录",
    "未登录",
    "登录后查看",
    "登录后访问",
    "登录后使用",
    "登录后方可",
    "登录后才能",
    "登录后再",
    "需要登录",
    "需登录",
    "须登录",
    "请先注册",
    "注册后查看",
    "注册并登录",
    "登录或注册",
    "用户登录",
    "账号登录",
    "扫码登录",
    "please log in",
    "login required",
];

/// Wording that says a login is *not* needed; removed before looking for [`LOGIN_PHRASES`].
const NO_LOGIN: &[&str] =
    &["无需登录", "无须登录", "不需登录", "不需要登录", "不用登录", "免登录", "无需注册", "免注册"];

const APP_PHRASES: &[&str] = &[
    "下载app",
    "下载客户端",
    "下载手机客户端",
    "请在app",
    "请使用app",
    "仅支持在app",
    "app中打开",
    "app内打开",
    "app中查看",
    "app内查看",
    "app中办理",
    "app内办理",
    "打开app",
    "前往app",
    "客户端中打开",
    "扫码下载",
];

/// Page chrome by id or class name (`<div class="header">` on sites without HTML5 tags).
const CHROME_NAMES: &[&str] = &["header", "footer", "nav", "navbar", "topbar", "foot", "bottom", "copyright"];

const CHROME_ROLES: &[&str] = &["banner", "navigation", "contentinfo"];

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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Verdict {
    Ok,
    Broken(BrokenReason),
    /// The WeChat notice's reason (作者已删除 …).
    WechatUnavailable(String),
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
            Some(n) => Verdict::WechatUnavailable(n.reason_zh().to_owned()),
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
static SEL_HEADINGS: LazyLock<Selector> = LazyLock::new(|| Selector::parse("h1, h2, h3").expect("selector"));

const SKIP: &[&str] =
    &["script", "style", "noscript", "template", "nav", "header", "footer", "aside", "head", "title"];

/// Elements that start a new line of text (a sentence never spans two of them).
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "button",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "option",
    "p",
    "pre",
    "section",
    "select",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// What a sentence of the main text sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Text,
    /// The form (or parent) of a password field.
    LoginForm,
    /// A link to an app store or an `.apk`.
    AppLink,
}

#[derive(Debug, Clone)]
struct Sentence {
    text: String,
    mark: Mark,
}

/// What the heuristics look at in one page.
#[derive(Debug, Clone, Default)]
pub struct PageFeatures {
    pub title: String,
    /// Visible main text (see the module docs), whitespace collapsed.
    pub main_text: String,
    pub refresh_target: Option<Url>,
    /// `h1`–`h3` of the main content.
    headings: Vec<String>,
    sentences: Vec<Sentence>,
    /// A password field in the main content.
    has_password: bool,
    /// Links to app stores or `.apk` files in the main content.
    app_links: usize,
}

impl PageFeatures {
    pub fn read(html: &str, base: Option<&Url>) -> Self {
        let doc = Html::parse_document(html);
        let title = doc
            .select(&SEL_TITLE)
            .next()
            .map(|t| collapse(&t.text().collect::<String>()))
            .unwrap_or_default();
        let login_boxes: Vec<ElementRef<'_>> = doc
            .select(&SEL_PASSWORD)
            .filter(|p| in_main(*p))
            .filter_map(|p| {
                p.ancestors()
                    .filter_map(ElementRef::wrap)
                    .find(|a| a.value().name() == "form")
                    .or_else(|| p.parent().and_then(ElementRef::wrap))
            })
            .collect();
        let sentences = doc.select(&SEL_BODY).next().map(|b| sentences(b, &login_boxes)).unwrap_or_default();
        let main_text = sentences.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(" ");
        let headings = doc
            .select(&SEL_HEADINGS)
            .filter(|h| in_main(*h))
            .map(|h| collapse(&h.text().collect::<String>()))
            .filter(|h| !h.is_empty())
            .collect();
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
        let app_links = doc
            .select(&SEL_LINKS)
            .filter(|a| in_main(*a) && a.value().attr("href").is_some_and(is_app_link))
            .count();
        PageFeatures {
            title,
            main_text,
            refresh_target,
            headings,
            sentences,
            has_password: !login_boxes.is_empty(),
            app_links,
        }
    }

    /// Whether the sentences `carries` picks out are the page's substance: the main text is
    /// at most [`SHORT_PAGE`] characters and the rest at most [`OTHER_TEXT`] characters or no
    /// longer than they are. The one measure of the login, app and not-found rules.
    fn is_substance(&self, carries: impl Fn(&Sentence) -> bool) -> bool {
        let (mut message, mut other) = (0, 0);
        for s in &self.sentences {
            let n = s.text.chars().filter(|c| !c.is_whitespace()).count();
            if carries(s) {
                message += n;
            } else {
                other += n;
            }
        }
        message + other <= SHORT_PAGE && other <= OTHER_TEXT.max(message)
    }

    pub fn verdict(&self) -> Verdict {
        if let Some(why) = self.refresh_target.as_ref().and_then(identity_url) {
            return Verdict::LoginRequired(format!("页面自动跳转至登录页 {why}"));
        }
        let said = |find: fn(&str) -> Option<&'static str>| {
            find(&self.title).or_else(|| self.sentences.iter().find_map(|s| find(&s.text)))
        };

        let login = if self.has_password {
            Some("页面主体为密码登录表单".to_owned())
        } else {
            said(login_phrase).map(|p| format!("页面提示“{p}”"))
        };
        if let Some(why) = login
            && self.is_substance(|s| s.mark == Mark::LoginForm || login_phrase(&s.text).is_some())
        {
            return Verdict::LoginRequired(why);
        }

        let app = match said(app_phrase) {
            Some(p) => Some(format!("页面提示“{}”", p.replace("app", "APP"))),
            None => (self.app_links > 0).then(|| format!("页面主体为应用下载链接（{} 个）", self.app_links)),
        };
        if let Some(why) = app
            && self.is_substance(|s| s.mark == Mark::AppLink || app_phrase(&s.text).is_some())
        {
            return Verdict::AppRequired(why);
        }

        let not_found = std::iter::once(&self.title)
            .chain(&self.headings)
            .find_map(|h| not_found_phrase(h).or_else(|| is_error_code_404(h).then_some("404")))
            .or_else(|| self.sentences.iter().find_map(|s| not_found_phrase(&s.text)));
        if let Some(p) = not_found
            && self.is_substance(|s| not_found_phrase(&s.text).is_some())
        {
            return Verdict::Broken(BrokenReason::Soft404(p.to_owned()));
        }
        Verdict::Ok
    }
}

/// The first of `phrases` in `text`, ignoring case and whitespace (请在 APP 中打开).
fn find_phrase(phrases: &Phrases, text: &str) -> Option<&'static str> {
    let text = squeeze(text);
    phrases.iter().find(|(_, squeezed)| text.contains(squeezed.as_str())).map(|(p, _)| *p)
}

/// Phrases with their squeezed forms, made once.
type Phrases = LazyLock<Vec<(&'static str, String)>>;

fn squeezed(phrases: &[&'static str]) -> Vec<(&'static str, String)> {
    phrases.iter().map(|p| (*p, squeeze(p))).collect()
}

/// Lower case without whitespace (ASCII and CJK, most of any page, without a table lookup).
fn squeeze(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|c| !c.is_whitespace()) {
        match c {
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            '\u{3000}'..='\u{9fff}' => out.push(c),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

static LOGIN: Phrases = LazyLock::new(|| squeezed(LOGIN_PHRASES));
static APP: Phrases = LazyLock::new(|| squeezed(APP_PHRASES));
static NOT_FOUND: Phrases = LazyLock::new(|| squeezed(SOFT_404));

fn login_phrase(text: &str) -> Option<&'static str> {
    let text = NO_LOGIN.iter().fold(text.to_owned(), |t, n| t.replace(n, "，"));
    find_phrase(&LOGIN, &text)
}

fn app_phrase(text: &str) -> Option<&'static str> {
    find_phrase(&APP, text)
}

fn not_found_phrase(text: &str) -> Option<&'static str> {
    find_phrase(&NOT_FOUND, text)
}

/// A title or heading that says 404 as an error code: its only number is 404, not followed by
/// a counter (共404条, 第404期). 1404, 400-404-1234 or 〔2023〕404号 are other numbers.
fn is_error_code_404(text: &str) -> bool {
    let mut numbers = text.split(|c: char| !c.is_ascii_digit()).filter(|n| !n.is_empty());
    if numbers.next() != Some("404") || numbers.next().is_some() {
        return false;
    }
    let after = text.find("404").map(|i| text[i + 3..].trim_start().chars().next());
    !after.flatten().is_some_and(|c| COUNTERS.contains(c))
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

/// Page chrome or hidden: not part of the main content.
fn is_chrome(e: &Element) -> bool {
    SKIP.contains(&e.name())
        || e.attr("hidden").is_some()
        || e.attr("style").is_some_and(|s| s.replace(' ', "").to_ascii_lowercase().contains("display:none"))
        || e.attr("role").is_some_and(|r| CHROME_ROLES.contains(&r.to_ascii_lowercase().as_str()))
        || e.id()
            .into_iter()
            .chain(e.classes())
            .any(|n| CHROME_NAMES.contains(&n.to_ascii_lowercase().as_str()))
}

fn in_main(e: ElementRef<'_>) -> bool {
    !std::iter::once(e.value()).chain(e.ancestors().filter_map(|a| a.value().as_element())).any(is_chrome)
}

/// The main text of `body` as sentences. Text runs on across inline elements (请先<a>登录</a>
/// reads 请先登录, as a browser shows it) and breaks at block elements, `<br>` and the edges of
/// login boxes and app links.
fn sentences(body: ElementRef<'_>, login_boxes: &[ElementRef<'_>]) -> Vec<Sentence> {
    let mut runs: Vec<(String, Mark)> = Vec::new();
    let mut current = None;
    for node in body.descendants() {
        match node.value() {
            Node::Element(e) if e.name() == "br" => current = None,
            Node::Text(t) => {
                let mut elements = node.ancestors().filter_map(ElementRef::wrap);
                if elements.clone().any(|e| is_chrome(e.value())) {
                    continue;
                }
                let mark = if elements.clone().any(|e| login_boxes.contains(&e)) {
                    Mark::LoginForm
                } else if elements
                    .clone()
                    .any(|e| e.value().name() == "a" && e.value().attr("href").is_some_and(is_app_link))
                {
                    Mark::AppLink
                } else {
                    Mark::Text
                };
                let block = elements.find(|e| BLOCKS.contains(&e.value().name())).map(|e| e.id());
                if current != Some((block, mark)) {
                    runs.push((String::new(), mark));
                    current = Some((block, mark));
                }
                if let Some((run, _)) = runs.last_mut() {
                    run.push_str(t);
                }
            }
            _ => {}
        }
    }
    runs.iter()
        .flat_map(|(run, mark)| {
            collapse(run)
                .split_inclusive(['。', '！', '？', '；', '!', '?', ';'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Sentence { text: s.to_owned(), mark: *mark })
                .collect::<Vec<_>>()
        })
        .collect()
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

    /// A complete service guide, shorter than [`SHORT_PAGE`]: the share of a prompt decides.
    const GUIDE: &str = "<h1>城乡居民基本养老保险参保登记办事指南</h1>\
        <h2>办理条件</h2><p>年满16周岁（不含在校学生），未参加职工基本养老保险的城乡居民。</p>\
        <h2>申请材料</h2><ul><li>居民身份证原件</li><li>户口簿原件</li><li>《城乡居民基本养老保险参保登记表》</li></ul>\
        <h2>办理流程</h2><p>申请人携带材料到户籍所在地村（社区）服务站提交申请，乡镇（街道）社保所审核后录入系统，当场办结。</p>\
        <h2>办理时限</h2><p>即时办结。</p><h2>收费标准</h2><p>不收费。</p>\
        <h2>咨询方式</h2><p>咨询电话：0571-12345；办公地址：市民中心B座3楼；工作时间：周一至周五 9:00-17:00。</p>";

    fn guide(before: &str, after: &str) -> String {
        format!("<title>办事指南</title><body>{before}<div class=\"content\">{GUIDE}</div>{after}</body>")
    }

    const APPLE: &str = "https://apps.apple.com/cn/app/x/id1";

    #[test]
    fn main_text_leaves_out_chrome_and_hidden_parts_and_reads_inline_text_as_one() {
        let p = PageFeatures::read(
            r#"<body><div class="nav">首页 新闻</div><div role="banner">某市人民政府</div>
            <p>请先<a href="/login">登录</a>后查看。<br>返回首页</p><div hidden>隐藏</div>
            <div style="display: none">弹窗</div><div id="footer">版权所有</div></body>"#,
            None,
        );
        assert_eq!(p.main_text, "请先登录后查看。 返回首页");
        assert_eq!(p.sentences.len(), 2);
    }

    #[test]
    fn app_wall_is_a_page_that_is_only_a_download_prompt() {
        let walls = [
            "<body><h1>请下载APP查看</h1><p>立即下载</p></body>".to_owned(),
            format!(r#"<body><a href="{APPLE}">iOS</a><a href="/d/x.apk">安卓</a></body>"#),
            format!(
                r#"<title>提示</title><body><div class="tip"><p>该服务仅支持在APP中办理，请下载“浙里办”APP。</p>
                <a href="{APPLE}">App Store</a> <a href="/dl/zlb.apk">安卓下载</a></div></body>"#
            ),
            r#"<body><div><img src="logo.png"><p>请在 某市民卡 APP 中打开本页面</p><button>打开APP</button></div></body>"#
                .to_owned(),
            r#"<body><div class="header">某市人民政府 首页 政务公开 办事服务</div><div class="main">
                <p>为了更好的体验，请下载客户端后使用本功能</p><p>扫码下载客户端</p><img src="qr.png"></div>
                <div class="footer">主办单位：某市人民政府办公室 网站标识码：3301000001 浙ICP备12345678号</div></body>"#
                .to_owned(),
        ];
        for html in &walls {
            assert!(matches!(page(html), Verdict::AppRequired(_)), "{html}: {:?}", page(html));
        }
        // A real page with a download banner, footer or button is not a wall.
        let pages = [
            guide(
                "",
                &format!(
                    r#"<div class="app-banner">下载我们的App 扫码下载客户端<a href="{APPLE}">App Store</a>
                    <a href="/dl/gov.apk">安卓</a></div>"#
                ),
            ),
            guide("", &format!(r#"<footer>扫码下载客户端 <a href="{APPLE}">iOS</a></footer>"#)),
            guide(r#"<div class="open-app">打开APP，体验更佳 <a href="market://details?id=x">打开</a></div>"#, ""),
            "<title>表格下载</title><body><h1>个体工商户登记申请表</h1><p>附件：申请表.docx 立即下载</p></body>"
                .to_owned(),
        ];
        for html in &pages {
            assert_eq!(page(html), Verdict::Ok, "{html}");
        }
    }

    #[test]
    fn soft_404_is_a_not_found_title_or_heading_on_a_page_with_little_else() {
        let soft = |p: &str| Verdict::Broken(BrokenReason::Soft404(p.into()));
        let broken = [
            ("<title>提示</title><body><p>您访问的页面不存在</p></body>", "页面不存在"),
            ("<title>404 Not Found</title><body>x</body>", "not found"),
            (
                r#"<title>某市人民政府</title><body><div class="header">首页 政务公开 办事服务 互动交流</div>
                <div class="error"><h1>404</h1><p>抱歉，您要找的页面走丢了！</p><a href="/">返回首页</a></div></body>"#,
                "404",
            ),
            (
                "<title>页面未找到 - 某市政务服务网</title><body><p>可能原因：网址有误；页面已移动。</p>\
                 <p><a href=\"/\">返回首页</a> <a href=\"javascript:history.back()\">返回上一页</a></p></body>",
                "页面未找到",
            ),
            (
                "<title>提示信息</title><body><div class=\"box\">抱歉，您访问的页面不存在或已删除！</div>\
                 <a href=\"/\">返回首页</a></body>",
                "页面不存在",
            ),
            (
                "<title>Error</title><body><h2>Not Found</h2><p>The requested URL was not found on this server.</p></body>",
                "not found",
            ),
            ("<title>错误 404</title><body><p>5秒后自动返回首页</p></body>", "404"),
        ];
        for (html, phrase) in broken {
            assert_eq!(page(html), soft(phrase), "{html}");
        }
        let fine = [
            "<title>通知公告</title><body><h1>关于开展春季植树活动的通知</h1><p>发布时间：2024-03-01 访问量：1404</p>\
             <p>各单位：定于3月12日开展义务植树活动，请组织干部职工参加。</p></body>"
                .to_owned(),
            "<title>政策文件</title><body><h2>政策文件</h2><ul><li>关于印发养老服务补贴办法的通知</li></ul>\
             <p>共404条 第1/41页</p></body>"
                .to_owned(),
            "<title>联系我们</title><body><h1>联系我们</h1><p>服务热线：400-404-1234</p><p>地址：人民路1号</p></body>"
                .to_owned(),
            "<title>关于印发《政务新媒体管理办法》的通知（某政办发〔2023〕404号）</title><body>\
             <h1>关于印发《政务新媒体管理办法》的通知（某政办发〔2023〕404号）</h1>\
             <p>各区县人民政府：现将《政务新媒体管理办法》印发给你们，请认真贯彻执行。</p><p>附件：管理办法.pdf</p></body>"
                .to_owned(),
            "<title>政务简报</title><body><h2>第404期 政务简报</h2><p>本期要目：全市一季度经济运行情况。</p></body>"
                .to_owned(),
            "<title>编号查询</title><body><p>您的受理编号：404</p></body>".to_owned(),
            "<title>办事指南</title><body>受理编号 140456</body>".to_owned(),
            // The title says 404, but the page is a real one.
            format!("<title>404</title><body>{GUIDE}</body>"),
            format!("<title>通知</title><body><p>{}</p><p>该条目已删除</p></body>", "政务公开内容。".repeat(100)),
        ];
        for html in &fine {
            assert_eq!(page(html), Verdict::Ok, "{html}");
        }
    }

    #[test]
    fn login_wall_is_a_page_that_is_only_a_login_demand_or_form() {
        let walls = [
            r#"<body><div class="main"><p>注册并登录后方可查看</p></div></body>"#,
            r#"<body><header>某省政务服务网 <a href="/login">登录</a> <a href="/reg">注册</a></header>
               <div class="content"><h3>温馨提示</h3><p>请先登录后再访问本页。</p><a href="/login">去登录</a></div>
               <footer>主办单位：某省人民政府办公厅 承办单位：某省大数据发展管理局 网站标识码：3300000001</footer></body>"#,
            r#"<body><div>您尚未登录，请<a href="/login">登录</a>或<a href="/reg">注册</a></div></body>"#,
            r#"<body><div class="header">某市人民政府</div><div>本页面需要登录后才能访问，请使用政务服务网账号登录。</div></body>"#,
            "<body><form><input name=u><input type=password name=p></form></body>",
            r#"<body><div class="login-box"><p>账号</p><input name="u"><p>密码</p><input type="password"></div>
               <button>登 录</button></body>"#,
            r#"<title>统一身份认证平台</title><body><div><input placeholder="手机号"><input placeholder="验证码">
               <button>获取验证码</button><button>登录</button></div><p>没有账号？<a href="/reg">立即注册</a></p></body>"#,
            r#"<head><meta http-equiv="refresh" content="0;url=https://sso.example.gov.cn/login"></head><body></body>"#,
        ];
        for html in walls {
            assert!(matches!(page(html), Verdict::LoginRequired(_)), "{html}: {:?}", page(html));
        }
        let pages = [
            // A login link in the header of a real content page, long or short.
            format!(
                "<body><header>用户登录 | 注册</header><main>{}</main></body>",
                "社保查询办事指南：携带身份证到窗口办理。".repeat(30)
            ),
            r#"<body><div class="header"><a href="/login">用户登录</a> | <a href="/reg">注册</a></div>
               <div class="content"><h1>联系我们</h1><p>地址：某市人民路1号 电话：0571-87654321 邮编：310000</p></div></body>"#
                .to_owned(),
            // A service guide that says one step needs a login.
            guide("", "<h2>网上办理</h2><p>网上申报需登录某省政务服务网，实名认证后在线提交申请材料。</p>"),
            r#"<body><header><a href="/">首页</a> <a href="/login">登录</a> <a href="/register">注册</a></header>
               <h1>办事指南</h1><p>办理条件：本县户籍居民。申请材料：身份证、户口簿。办理流程：受理、审核、办结，办理时限5个工作日。</p>
               <p>网上申报需登录政务服务网，现场办理请前往政务服务大厅。</p></body>"#
                .to_owned(),
            "<body><p>办事指南：列明申请材料和办理流程，无需登录即可查看。</p></body>".to_owned(),
            // A login box beside real content, and a hidden login dialog.
            guide(r#"<div class="side"><form><input name="u"><input type="password"><button>登录</button></form></div>"#, ""),
            r#"<body><h1>联系我们</h1><p>地址：某市人民路1号 电话：0571-87654321</p>
               <div class="modal" style="display: none"><form>请先登录<input type="password"></form></div></body>"#
                .to_owned(),
        ];
        for html in &pages {
            assert_eq!(page(html), Verdict::Ok, "{html}");
        }
    }
}

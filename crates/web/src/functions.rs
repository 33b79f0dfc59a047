//! The `functions` check (功能建设): what the menu's 政务公开, 办事服务 and 互动交流 columns
//! actually offer, read from the pages behind them, where the `menu` check only sees that a
//! column with such a name exists.
//!
//! The 2025 survey scores each function on capabilities:
//! - 政务公开: a disclosure column "与政府网站协同", policy documents with interpretations in
//!   accessible forms (图解, 音视频);
//! - 办事服务: connected to the government website or service platform, service guides
//!   **without login**, online handling, online queries;
//! - 互动交流: messages, consultation, complaints, a Q&A bank; linking only to @国务院 and
//!   互联网+督查 scores nothing.
//!
//! For each function, the menu items that provide it (the menu lexicon's classification, as
//! in the `menu` check; for 互动交流 only items that lead somewhere other than the national
//! platforms) are looked up in the fetch results the `links` check shares. A capability
//! holds when one of those items' pages opens without a login or app wall and its text shows
//! it ([`CAPABILITIES`]; the item's own name, which pages echo in their title, does not
//! count: a column named 预约办理 whose page sends people to the hall offers no online
//! handling); "与政府网站协同" holds when a target lies on a government site (a `.gov.cn`
//! host, or the host of the account's `website`).
//!
//! Metrics: `disclosure`, `service`, `interaction` (0–1: the share of the function's
//! capabilities that hold, over those that could be judged; 0 when the menu lacks the
//! function, or for 互动交流 links only national platforms; not evaluated without a menu
//! snapshot, or when none of the function's pages could be fetched, e.g. offline without a
//! snapshot, or only mini-programs and click events, which cannot be opened), and
//! `{function}_{capability}` (1/0) per capability judged.
//!
//! Finding: `function.capability_missing` (minor) per function whose pages lack
//! capabilities, naming them and the pages read.

use std::collections::HashMap;
use std::sync::Arc;

use govmedia_checks::menu::{CLEAR, Function, MenuLexicon, classify_menu};
use govmedia_checks::{AccountData, Assessment, Check, CheckError, Outcome, Progress, Survey};
use govmedia_model::{Finding, FindingCode, MenuTarget, Severity};
use rayon::prelude::*;
use reqwest::Url;

use crate::classify::{PageFeatures, Verdict};
use crate::pages::Pages;

/// One capability of a function: metric key, Chinese label, and the words of a page's text
/// that show it (an empty list: any page that opens); `None` for "与政府网站协同", judged on
/// the host.
pub struct Capability {
    pub key: &'static str,
    pub label: &'static str,
    pub words: Option<&'static [&'static str]>,
}

/// The capabilities judged per function.
pub const CAPABILITIES: [(Function, &[Capability]); 3] = [
    (
        Function::Disclosure,
        &[
            Capability { key: "open", label: "栏目页面无需登录即可查看", words: Some(&[]) },
            Capability { key: "website", label: "与政府网站协同发布", words: None },
            Capability {
                key: "interpretation",
                label: "政策解读（图解、音视频等形式）",
                words: Some(&["解读", "图解", "一图读懂", "视频", "音频", "问答"]),
            },
        ],
    ),
    (
        Function::Service,
        &[
            Capability {
                key: "guide",
                label: "办事指南无需登录即可查看",
                words: Some(&[
                    "办事指南",
                    "办理指南",
                    "服务指南",
                    "申请材料",
                    "所需材料",
                    "办理流程",
                    "办事流程",
                ]),
            },
            Capability {
                key: "online",
                label: "在线办理",
                words: Some(&[
                    "在线办理",
                    "网上办理",
                    "立即办理",
                    "在线申请",
                    "网上申报",
                    "在线申报",
                    "掌上办",
                    "网上办",
                    "全程网办",
                    "在线提交",
                    "网上提交",
                    "预约",
                ]),
            },
            Capability {
                key: "query",
                label: "办理进度或结果查询",
                words: Some(&["进度查询", "办件查询", "办理进度", "结果查询", "查询"]),
            },
            Capability { key: "website", label: "与政府网站、政务服务平台协同", words: None },
        ],
    ),
    (
        Function::Interaction,
        &[
            Capability {
                key: "channel",
                label: "本单位留言、咨询或投诉渠道可直接使用",
                words: Some(&["留言", "咨询", "投诉", "信箱", "建议", "反映", "诉求", "问政"]),
            },
            Capability {
                key: "qa",
                label: "智能问答或咨询答问库",
                words: Some(&["智能问答", "智能客服", "常见问题", "问答库", "知识库", "热点问答", "答问"]),
            },
            Capability { key: "website", label: "与政府网站协同", words: None },
        ],
    ),
];

fn metric(f: Function) -> &'static str {
    match f {
        Function::Disclosure => "disclosure",
        Function::Service => "service",
        _ => "interaction",
    }
}

/// What one fetched page offers a reader.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct PageView {
    /// Opens without a login or app wall and is not broken.
    open: bool,
    /// Title and main text, lower case.
    text: String,
}

impl PageView {
    /// The page's own text shows one of `words` (none needed for an empty list). The item's
    /// name is left out, as pages echo it in their title: "预约办理" on a page that sends
    /// people to the hall does not offer online handling.
    fn shows(&self, item_name: &str, words: &[&str]) -> bool {
        let name = item_name.to_lowercase();
        let own = if name.is_empty() { self.text.clone() } else { self.text.replace(&name, " ") };
        words.is_empty() || words.iter().any(|w| own.contains(w))
    }
}

fn view(verdict: Verdict, f: &crate::fetch::Fetched) -> Option<PageView> {
    if matches!(verdict, Verdict::Unverifiable(_)) {
        return None;
    }
    let text = match f.text().filter(|_| f.is_html()) {
        Some(html) => {
            let base = f.final_url.as_deref().and_then(|u| Url::parse(u).ok());
            let p = PageFeatures::read(&html, base.as_ref());
            format!("{} {}", p.title, p.main_text).to_lowercase()
        }
        None => String::new(),
    };
    Some(PageView { open: verdict == Verdict::Ok, text })
}

/// The URL a menu item opens in a browser, if any (mini-programs only through their
/// fallback page).
fn item_url(t: Option<&MenuTarget>) -> Option<&str> {
    match t? {
        MenuTarget::Url { url } => Some(url.trim()),
        MenuTarget::MiniProgram { url: Some(u), .. } => Some(u.trim()),
        _ => None,
    }
}

fn host(url: &str) -> Option<String> {
    Url::parse(url).ok()?.host_str().map(|h| h.trim_start_matches("www.").to_ascii_lowercase())
}

/// Whether a host is a government site: `.gov.cn`, or the account's own website's host;
/// unknown when neither says.
fn is_government(host: &str, website: Option<&str>) -> Option<bool> {
    if host == "gov.cn" || host.ends_with(".gov.cn") {
        return Some(true);
    }
    website.map(|w| host == w || host.ends_with(&format!(".{w}")))
}

pub struct FunctionsCheck {
    pages: Arc<Pages>,
    lexicon: MenuLexicon,
    /// Set by `prepare`: menu page URL → what it offers (absent: not fetched or unverifiable).
    views: HashMap<String, PageView>,
    /// Observed: the menu pages to read.
    urls: Vec<String>,
}

impl FunctionsCheck {
    pub fn new(pages: Arc<Pages>, lexicon: MenuLexicon) -> Self {
        FunctionsCheck { pages, lexicon, views: HashMap::new(), urls: Vec::new() }
    }
}

impl Check for FunctionsCheck {
    fn reads_bodies(&self) -> bool {
        false
    }

    fn platforms(&self) -> &'static [govmedia_model::Platform] {
        govmedia_checks::WECHAT_ONLY
    }

    fn name(&self) -> &'static str {
        "functions"
    }

    fn observe(
        &mut self,
        _survey: &Survey,
        accounts: &[AccountData],
        _progress: &dyn Progress,
    ) -> Result<(), CheckError> {
        self.urls.extend(accounts.iter().flat_map(|a| crate::targets::menu_pages(a, false)).map(|t| t.url));
        Ok(())
    }

    fn take_observed(&mut self) -> Option<String> {
        govmedia_checks::take_list(&mut self.urls)
    }

    fn absorb(&mut self, observed: &str) -> Result<(), CheckError> {
        govmedia_checks::extend_list(self.name(), &mut self.urls, observed)
    }

    fn prepared(&self) -> Option<String> {
        govmedia_checks::encode(&self.views)
    }

    fn absorb_prepared(&mut self, prepared: &str) -> Result<(), CheckError> {
        self.views = govmedia_checks::decode(self.name(), prepared)?;
        Ok(())
    }

    fn prepare(&mut self, survey: &Survey, progress: &dyn Progress) -> Result<(), CheckError> {
        let urls = std::mem::take(&mut self.urls);
        let fetched = self
            .pages
            .get_many(survey, &urls, progress)
            .map_err(|e| CheckError { check: "functions".into(), message: e.to_string() })?;
        self.views = fetched
            .par_iter()
            .filter_map(|(u, f)| view(self.pages.verdict(u, f), f).map(|v| (u.clone(), v)))
            .collect();
        Ok(())
    }

    fn assess(&self, _survey: &Survey, account: &AccountData) -> Outcome {
        let mut a = Assessment::default();
        let all = || CAPABILITIES.iter().map(|(f, _)| metric(*f));
        let Some(snapshot) = &account.menu else {
            for m in all() {
                a.not_evaluated.insert(m.into(), "未采集该账号的菜单".into());
            }
            return Outcome::Evaluated(a);
        };
        let menu = match snapshot.parse() {
            Ok(m) => m,
            Err(e) => {
                for m in all() {
                    a.not_evaluated.insert(m.into(), format!("菜单数据无法解析：{e}"));
                }
                return Outcome::Evaluated(a);
            }
        };
        let website = account.account.website.as_deref().and_then(host);
        let classified = classify_menu(&self.lexicon, &menu);
        let mut pages_read = 0usize;
        for (function, capabilities) in CAPABILITIES {
            let name = metric(function);
            // The items that provide the function, with their URL (None: nothing to open).
            let items: Vec<(&str, Option<&str>)> = menu
                .items()
                .into_iter()
                .zip(&classified)
                .filter(|(_, c)| {
                    c.function == function && c.strength >= CLEAR && !c.content && !c.is_parent && !c.national
                })
                .map(|((_, item), _)| (item.name.as_str(), item_url(item.target.as_ref())))
                .collect();
            if items.is_empty() {
                a.metrics.insert(name.into(), 0.0);
                continue;
            }
            let read: Vec<(&str, &str, &PageView)> = items
                .iter()
                .filter_map(|(n, u)| u.and_then(|u| self.views.get(u).map(|v| (*n, u, v))))
                .collect();
            if read.is_empty() {
                a.not_evaluated.insert(
                    name.into(),
                    format!(
                        "{}栏目的页面均未能读取（离线快照中没有、无法验证，或为小程序、点击事件），无法判断其实际提供的能力",
                        function.label()
                    ),
                );
                continue;
            }
            pages_read += read.len();
            let (mut held, mut judged) = (0usize, 0usize);
            let mut missing = Vec::new();
            for c in capabilities {
                let verdict = match c.words {
                    None => {
                        let verdicts: Vec<Option<bool>> = items
                            .iter()
                            .filter_map(|(_, u)| u.and_then(host))
                            .map(|h| is_government(&h, website.as_deref()))
                            .collect();
                        if verdicts.contains(&Some(true)) {
                            Some(true)
                        } else if !verdicts.is_empty() && verdicts.iter().all(Option::is_some) {
                            Some(false)
                        } else {
                            None
                        }
                    }
                    Some(words) => Some(read.iter().any(|(n, _, v)| v.open && v.shows(n, words))),
                };
                let Some(ok) = verdict else { continue };
                judged += 1;
                held += usize::from(ok);
                a.metrics.insert(format!("{name}_{}", c.key), f64::from(u8::from(ok)));
                if !ok {
                    missing.push(c.label);
                }
            }
            a.metrics.insert(name.into(), held as f64 / judged as f64);
            if !missing.is_empty() {
                let urls: Vec<&str> = read.iter().map(|(_, u, _)| *u).collect();
                a.findings.push(
                    Finding::new(
                        FindingCode::FunctionCapabilityMissing,
                        Severity::Minor,
                        format!(
                            "{}栏目（{}）未提供：{}",
                            function.label(),
                            read.iter().map(|(n, _, _)| *n).collect::<Vec<_>>().join("、"),
                            missing.join("、")
                        ),
                    )
                    .with("function", function.label())
                    .with("missing", missing.clone())
                    .with("pages", urls),
                );
            }
        }
        a.stats.insert("function_pages_read".into(), pages_read.into());
        Outcome::Evaluated(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn government_hosts() {
        assert_eq!(is_government("zwfw.sh.gov.cn", None), Some(true));
        assert_eq!(is_government("x.example", Some("x.example")), Some(true));
        assert_eq!(is_government("m.x.example", Some("x.example")), Some(true));
        assert_eq!(is_government("weibo.com", Some("x.example")), Some(false));
        assert_eq!(is_government("weibo.com", None), None);
        assert_eq!(host("https://www.Foo.gov.cn/a").as_deref(), Some("foo.gov.cn"));
    }

    #[test]
    fn online_handling_in_other_words() {
        let online = CAPABILITIES[1].1.iter().find(|c| c.key == "online").unwrap().words.unwrap();
        for t in ["高频事项全程网办，足不出户", "企业开办支持网上办", "材料可在线提交", "在线申请"]
        {
            assert!(online.iter().any(|w| t.contains(w)), "{t}");
        }
        assert!(!online.iter().any(|w| "请携带材料前往大厅现场办理".contains(w)));
    }
}

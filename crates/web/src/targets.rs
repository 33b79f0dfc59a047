//! Which URLs of an account are checked, and where each one came from (for evidence).

use govmedia_checks::{AccountData, Survey};
use govmedia_model::MenuTarget;

/// Where a checked URL appears.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A menu item, by path (`办事服务/社保查询`).
    Menu { path: String },
    /// A link in the body of an article.
    Article { url: String, title: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub url: String,
    pub origin: Origin,
}

/// Menu targets (web pages, mini-program fallback pages, pushed articles) and the links in
/// the bodies of the account's articles of the survey period; each URL once per origin kind.
pub fn link_targets(survey: &Survey, account: &AccountData) -> Vec<Target> {
    let mut out = menu_pages(account, true);
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for a in survey.in_period(account) {
        for l in &a.links {
            let l = l.trim();
            let lower = l.to_ascii_lowercase();
            if (lower.starts_with("http://") || lower.starts_with("https://")) && seen.insert(l.to_owned()) {
                out.push(Target {
                    url: l.to_owned(),
                    origin: Origin::Article { url: a.url.clone(), title: a.title.clone() },
                });
            }
        }
    }
    out
}

/// Web pages behind the menu. With `with_articles`, pushed article URLs are included too.
pub fn menu_pages(account: &AccountData, with_articles: bool) -> Vec<Target> {
    let Some(menu) = account.menu.as_ref().and_then(|m| m.parse().ok()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (path, item) in menu.items() {
        let urls: Vec<String> = match &item.target {
            Some(MenuTarget::Url { url }) => vec![url.clone()],
            Some(MenuTarget::MiniProgram { url: Some(u), .. }) => vec![u.clone()],
            Some(MenuTarget::Articles { urls, .. }) if with_articles => urls.clone(),
            _ => Vec::new(),
        };
        for url in urls {
            out.push(Target { url: url.trim().to_owned(), origin: Origin::Menu { path: path.clone() } });
        }
    }
    out
}

/// Pages the mobile check looks at: menu web pages off WeChat's own article host (the
/// platform renders its articles for phones itself).
pub fn mobile_targets(account: &AccountData) -> Vec<Target> {
    menu_pages(account, false)
        .into_iter()
        .filter(|t| {
            reqwest::Url::parse(&t.url).ok().is_some_and(|u| {
                matches!(u.scheme(), "http" | "https")
                    && u.host_str().is_some_and(|h| !h.eq_ignore_ascii_case("mp.weixin.qq.com"))
            })
        })
        .collect()
}

//! Custom menus (自定义菜单): classify every item as 政务公开 / 办事服务 / 互动交流 / other
//! from its name and target with an editable lexicon (`lexicons/menu.toml`, embedded by
//! default; a `menu.toml` in the `--lexicons` directory replaces it: [`MenuLexicon::from_dir`]),
//! then check that the three functions are present and in the right place.
//!
//! Metrics: `score` (0 without a menu; else 0.4 + 0.2 per function present − 0.05 per
//! misplaced or outdated item, within 0–1), `present` (1/0), `disclosure`, `service`,
//! `interaction` (1/0 each; interaction is 0 when it only links to national platforms),
//! `items`, `misplaced_items`, `outdated_items`. All are "not evaluated" for an account
//! without a menu snapshot.
//!
//! Findings: `menu.none`, `menu.missing_disclosure`, `menu.missing_service`,
//! `menu.missing_interaction`, `menu.misplaced`, `menu.national_platforms_only`,
//! `menu.outdated_topic`.

use aho_corasick::AhoCorasick;
use govmedia_model::{Finding, FindingCode, Menu, MenuItem, MenuTarget, Severity};
use serde::Deserialize;

use crate::{AccountData, Assessment, Check, Outcome, Survey};

/// The embedded default lexicon.
pub const DEFAULT_LEXICON: &str = include_str!("../../../lexicons/menu.toml");

/// A menu item's function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Function {
    Disclosure,
    Service,
    Interaction,
    Other,
}

impl Function {
    pub const REQUIRED: [Function; 3] = [Function::Disclosure, Function::Service, Function::Interaction];

    pub fn label(self) -> &'static str {
        match self {
            Function::Disclosure => "政务公开",
            Function::Service => "办事服务",
            Function::Interaction => "互动交流",
            Function::Other => "其他",
        }
    }

    fn metric(self) -> &'static str {
        match self {
            Function::Disclosure => "disclosure",
            Function::Service => "service",
            Function::Interaction => "interaction",
            Function::Other => "other",
        }
    }

    fn missing_code(self) -> FindingCode {
        match self {
            Function::Disclosure => FindingCode::MenuMissingDisclosure,
            Function::Service => FindingCode::MenuMissingService,
            _ => FindingCode::MenuMissingInteraction,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordList {
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub names: Vec<String>,
    /// Generic name words that score 1 instead of 2.
    #[serde(default)]
    pub weak_names: Vec<String>,
    #[serde(default)]
    pub targets: Vec<String>,
    /// Outdated topics only: words that make an ambiguous (weak) topic word current when
    /// the item's path or target has one (动物防疫, 非洲猪瘟疫情防控).
    #[serde(default)]
    pub except: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Categories {
    disclosure: WordList,
    service: WordList,
    interaction: WordList,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    version: u32,
    categories: Categories,
    #[serde(default)]
    about: WordList,
    /// News of the unit's work and its leaders' activities (领导活动, 工作动态).
    #[serde(default)]
    news: WordList,
    national_platforms: WordList,
    outdated_topics: WordList,
}

/// Which list a keyword belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Category(usize),
    About,
    News,
    National,
    Outdated,
    /// An outdated-topic word that also names current work (疫情, 防疫).
    OutdatedWeak,
    /// A word that makes a weak outdated-topic word current (动物, 猪瘟).
    Current,
}

/// One automaton over every keyword of one kind of text (names or targets): a single pass
/// finds all of them, instead of one substring search per keyword.
#[derive(Debug, Clone)]
struct Matcher {
    ac: AhoCorasick,
    /// Per pattern: the lists it belongs to, with its score there.
    tags: Vec<Vec<(Group, usize)>>,
    words: Vec<String>,
}

/// What one text holds: scores per required function, national-platform and outdated hits.
#[derive(Debug, Clone, Copy, Default)]
struct Scan {
    scores: [usize; 3],
    national: bool,
    about: bool,
    news: bool,
    /// Pattern index of the first outdated word found.
    outdated: Option<usize>,
    /// Pattern index of the first weak outdated word found.
    outdated_weak: Option<usize>,
    current: bool,
}

impl Matcher {
    fn new(entries: Vec<(String, Group, usize)>) -> Matcher {
        let mut words: Vec<String> = Vec::new();
        let mut tags: Vec<Vec<(Group, usize)>> = Vec::new();
        for (w, g, score) in entries {
            let w = w.to_lowercase();
            if w.is_empty() {
                continue;
            }
            match words.iter().position(|x| *x == w) {
                Some(i) => tags[i].push((g, score)),
                None => {
                    words.push(w);
                    tags.push(vec![(g, score)]);
                }
            }
        }
        let ac = AhoCorasick::new(&words).expect("lexicon keywords build an automaton");
        Matcher { ac, tags, words }
    }

    fn scan(&self, text: &str) -> Scan {
        let mut seen: Vec<usize> =
            self.ac.find_overlapping_iter(text).map(|m| m.pattern().as_usize()).collect();
        seen.sort_unstable();
        seen.dedup();
        let mut out = Scan::default();
        for p in seen {
            for (g, score) in &self.tags[p] {
                match g {
                    Group::Category(i) => out.scores[*i] += score,
                    Group::National => out.national = true,
                    Group::About => out.about = true,
                    Group::News => out.news = true,
                    Group::Outdated => out.outdated = out.outdated.or(Some(p)),
                    Group::OutdatedWeak => out.outdated_weak = out.outdated_weak.or(Some(p)),
                    Group::Current => out.current = true,
                }
            }
        }
        out
    }
}

/// The menu lexicon (see `lexicons/menu.toml` for the format and the scoring rule).
#[derive(Debug, Clone)]
pub struct MenuLexicon {
    pub version: u32,
    names: Matcher,
    targets: Matcher,
}

/// The text a target offers for classification: URL host and path, mini-program path, text
/// reply, pushed article titles, event key.
pub fn target_text(t: &MenuTarget) -> String {
    let s = match t {
        MenuTarget::Url { url } => url.clone(),
        MenuTarget::MiniProgram { appid, pagepath, url } => {
            format!("{appid} {} {}", pagepath.as_deref().unwrap_or(""), url.as_deref().unwrap_or(""))
        }
        MenuTarget::Articles { urls, titles } => format!("{} {}", titles.join(" "), urls.join(" ")),
        MenuTarget::Text { value } => value.clone(),
        MenuTarget::Event { kind, key } => format!("{kind} {}", key.as_deref().unwrap_or("")),
        MenuTarget::Media { kind } => kind.clone(),
    };
    s.to_lowercase()
}

impl MenuLexicon {
    /// Parses a lexicon file; errors name the key and line.
    pub fn parse(text: &str) -> Result<MenuLexicon, String> {
        let file: LexiconFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let c = &file.categories;
        let (mut names, mut targets) = (Vec::new(), Vec::new());
        for (i, l) in [&c.disclosure, &c.service, &c.interaction].into_iter().enumerate() {
            names.extend(l.names.iter().map(|w| (w.clone(), Group::Category(i), 2)));
            names.extend(l.weak_names.iter().map(|w| (w.clone(), Group::Category(i), 1)));
            targets.extend(l.targets.iter().map(|w| (w.clone(), Group::Category(i), 1)));
        }
        for (l, g) in [
            (&file.about, Group::About),
            (&file.news, Group::News),
            (&file.national_platforms, Group::National),
        ] {
            names.extend(l.names.iter().chain(&l.weak_names).map(|w| (w.clone(), g, 0)));
            targets.extend(l.targets.iter().map(|w| (w.clone(), g, 0)));
        }
        let o = &file.outdated_topics;
        names.extend(o.names.iter().map(|w| (w.clone(), Group::Outdated, 0)));
        names.extend(o.weak_names.iter().map(|w| (w.clone(), Group::OutdatedWeak, 0)));
        names.extend(o.except.iter().map(|w| (w.clone(), Group::Current, 0)));
        targets.extend(o.targets.iter().map(|w| (w.clone(), Group::Outdated, 0)));
        Ok(MenuLexicon { version: file.version, names: Matcher::new(names), targets: Matcher::new(targets) })
    }

    /// The menu lexicon of a user's lexicon directory (`--lexicons DIR`): its `menu.toml`,
    /// which replaces the embedded one; none when the directory has no such file. Errors name
    /// the file, key and line.
    pub fn from_dir(dir: &std::path::Path) -> Result<Option<MenuLexicon>, String> {
        let path = dir.join("menu.toml");
        if !path.is_file() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("无法读取菜单词库 {}：{e}", path.display()))?;
        MenuLexicon::parse(&text).map(Some).map_err(|e| format!("菜单词库 {}：{e}", path.display()))
    }

    /// The embedded default.
    pub fn default_lexicon() -> MenuLexicon {
        MenuLexicon::parse(DEFAULT_LEXICON).expect("embedded lexicons/menu.toml is valid")
    }

    fn scan_item(&self, item: &MenuItem) -> (Scan, Scan) {
        (self.names.scan(&item.name.to_lowercase()), self.targets.scan(&target_of(item)))
    }

    /// Classifies by name only (what a parent button announces).
    pub fn classify_name(&self, name: &str) -> Function {
        best(self.names.scan(&name.to_lowercase()).scores).0
    }

    /// Classifies an item by name (2 points a keyword, 1 a weak one) and target (1 point a
    /// keyword).
    pub fn classify(&self, item: &MenuItem) -> Function {
        self.classify_scored(item).0
    }

    /// The function and its score: below [`CLEAR`] the evidence is one weak hint only.
    pub fn classify_scored(&self, item: &MenuItem) -> (Function, usize) {
        let (n, t) = self.scan_item(item);
        best([0, 1, 2].map(|i| n.scores[i] + t.scores[i]))
    }

    /// The function a name states clearly (score ≥ [`CLEAR`]), or Other.
    pub fn clear_name_function(&self, name: &str) -> Function {
        match best(self.names.scan(&name.to_lowercase()).scores) {
            (f, s) if s >= CLEAR => f,
            _ => Function::Other,
        }
    }

    /// True when the name holds at least one keyword of `f`.
    pub fn name_mentions(&self, f: Function, name: &str) -> bool {
        let scores = self.names.scan(&name.to_lowercase()).scores;
        Function::REQUIRED.iter().position(|x| *x == f).is_some_and(|i| scores[i] > 0)
    }

    /// The name announces an introduction section (走进XX, 概况) and no required function.
    pub fn is_about(&self, name: &str) -> bool {
        let scan = self.names.scan(&name.to_lowercase());
        scan.about && scan.scores.iter().all(|s| *s == 0)
    }

    /// The name announces news of the unit's work or its leaders' activities (领导活动, 工作动态).
    pub fn is_news(&self, name: &str) -> bool {
        self.names.scan(&name.to_lowercase()).news
    }

    /// The item only leads to a national platform (国务院 / 互联网+督查).
    pub fn is_national_platform(&self, item: &MenuItem) -> bool {
        let (n, t) = self.scan_item(item);
        n.national || t.national
    }

    /// The outdated-topic word found in the item at `path` (`parent/child`, or the item's
    /// name): a topic word in the item's name or target (新冠, 核酸, 健康码 …), or a weak one
    /// in its name (疫情, 防疫 …) when neither the path nor the target has an `except` word
    /// (动物防疫, 非洲猪瘟疫情防控 are current work).
    pub fn outdated_word(&self, path: &str, item: &MenuItem) -> Option<&str> {
        let (n, t) = self.scan_item(item);
        let strong = n
            .outdated
            .map(|p| self.names.words[p].as_str())
            .or_else(|| t.outdated.map(|p| self.targets.words[p].as_str()));
        let current =
            || self.names.scan(&path.to_lowercase()).current || self.names.scan(&target_of(item)).current;
        strong.or_else(|| n.outdated_weak.filter(|_| !current()).map(|p| self.names.words[p].as_str()))
    }
}

/// The item's target text (see [`target_text`]), empty without a target.
fn target_of(item: &MenuItem) -> String {
    item.target.as_ref().map(target_text).unwrap_or_default()
}

/// The best-scoring function; ties go to the order disclosure → service → interaction.
fn best(scores: [usize; 3]) -> (Function, usize) {
    let mut out = (Function::Other, 0);
    for (i, s) in scores.into_iter().enumerate() {
        if s > out.1 {
            out = (Function::REQUIRED[i], s);
        }
    }
    out
}

/// The score from which an item counts as providing its function (one strong name keyword,
/// or a weak one confirmed by the target): a lone generic word such as "最新发布" does not
/// make a disclosure column.
pub const CLEAR: usize = 2;

/// One classified item.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassifiedItem {
    pub path: String,
    pub function: Function,
    /// The classification score (see [`CLEAR`]).
    pub strength: usize,
    pub national: bool,
    pub is_parent: bool,
    /// Opens one WeChat article or pushes articles: content, not a column.
    pub content: bool,
}

/// The target opens one WeChat article or pushes articles.
pub fn is_content_target(t: Option<&MenuTarget>) -> bool {
    match t {
        Some(MenuTarget::Articles { .. }) => true,
        Some(MenuTarget::Url { url }) => {
            let u = url.trim_start_matches("https://").trim_start_matches("http://");
            u.starts_with("mp.weixin.qq.com/s?") || u.starts_with("mp.weixin.qq.com/s/")
        }
        _ => false,
    }
}

/// Classifies a whole menu: every item with its path; parents get the function of their
/// name, or the most common function of their children when the name says nothing.
pub fn classify_menu(lex: &MenuLexicon, menu: &Menu) -> Vec<ClassifiedItem> {
    let mut out = Vec::new();
    for b in &menu.buttons {
        let children: Vec<ClassifiedItem> = b
            .children
            .iter()
            .map(|c| {
                let (function, strength) = lex.classify_scored(c);
                ClassifiedItem {
                    path: format!("{}/{}", b.name, c.name),
                    function,
                    strength,
                    national: lex.is_national_platform(c),
                    is_parent: false,
                    content: is_content_target(c.target.as_ref()),
                }
            })
            .collect();
        let (mut f, strength) = if b.children.is_empty() {
            lex.classify_scored(b)
        } else {
            best(lex.names.scan(&b.name.to_lowercase()).scores)
        };
        if f == Function::Other && !children.is_empty() && !lex.is_about(&b.name) {
            let mut counts = [0usize; 3];
            for c in &children {
                if let Some(i) = Function::REQUIRED.iter().position(|x| *x == c.function) {
                    counts[i] += 1;
                }
            }
            if let Some((i, n)) = counts.iter().enumerate().max_by_key(|(i, n)| (**n, usize::MAX - i))
                && *n > 0
            {
                f = Function::REQUIRED[i];
            }
        }
        out.push(ClassifiedItem {
            path: b.name.clone(),
            function: f,
            strength,
            national: lex.is_national_platform(b),
            is_parent: !b.children.is_empty(),
            content: is_content_target(b.target.as_ref()),
        });
        out.extend(children);
    }
    out
}

/// The functions an account's menu offers, as used by the interaction veto too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MenuFunctions {
    pub disclosure: bool,
    pub service: bool,
    /// An interaction item leading somewhere other than a national platform.
    pub interaction: bool,
    /// Interaction items exist but all lead to national platforms.
    pub national_only: bool,
}

impl MenuFunctions {
    pub fn of(items: &[ClassifiedItem]) -> MenuFunctions {
        let has = |f| items.iter().any(|i| i.function == f && i.strength >= CLEAR && !i.content);
        // Leaves that offer interaction: classified so, or leading to a national platform.
        let inter: Vec<&ClassifiedItem> = items
            .iter()
            .filter(|i| {
                !i.is_parent
                    && ((i.function == Function::Interaction && i.strength >= CLEAR && !i.content)
                        || i.national)
            })
            .collect();
        let all_national = !inter.is_empty() && inter.iter().all(|i| i.national);
        MenuFunctions {
            disclosure: has(Function::Disclosure),
            service: has(Function::Service),
            interaction: inter.iter().any(|i| !i.national),
            national_only: all_national,
        }
    }

    fn get(&self, f: Function) -> bool {
        match f {
            Function::Disclosure => self.disclosure,
            Function::Service => self.service,
            Function::Interaction => self.interaction,
            Function::Other => false,
        }
    }
}

/// The menu check.
#[derive(Debug, Clone)]
pub struct MenuCheck {
    pub lexicon: MenuLexicon,
}

impl Default for MenuCheck {
    fn default() -> Self {
        MenuCheck { lexicon: MenuLexicon::default_lexicon() }
    }
}

const METRICS: [&str; 8] = [
    "score",
    "present",
    "disclosure",
    "service",
    "interaction",
    "items",
    "misplaced_items",
    "outdated_items",
];

impl Check for MenuCheck {
    /// Reads nothing that `observe` or `prepare` compute.
    fn assessable_unprepared(&self) -> bool {
        true
    }

    fn platforms(&self) -> &'static [govmedia_model::Platform] {
        crate::WECHAT_ONLY
    }

    fn name(&self) -> &'static str {
        "menu"
    }

    fn assess(&self, _survey: &Survey, account: &AccountData) -> Outcome {
        let mut a = Assessment::default();
        let Some(snapshot) = &account.menu else {
            for m in METRICS {
                a.not_evaluated.insert(m.into(), "未采集该账号的菜单".into());
            }
            return Outcome::Evaluated(a);
        };
        let menu = match snapshot.parse() {
            Ok(m) => m,
            Err(e) => {
                for m in METRICS {
                    a.not_evaluated.insert(m.into(), format!("菜单数据无法解析：{e}"));
                }
                return Outcome::Evaluated(a);
            }
        };
        let captured = snapshot.captured_at.to_rfc3339();
        if menu.is_empty() {
            a.findings.push(
                Finding::new(FindingCode::MenuNone, Severity::Major, "账号未设置自定义菜单（或菜单未开启）")
                    .with("captured_at", captured),
            );
            for m in METRICS {
                a.metrics.insert(m.into(), 0.0);
            }
            return Outcome::Evaluated(a);
        }
        let items = classify_menu(&self.lexicon, &menu);
        let funcs = MenuFunctions::of(&items);
        for f in Function::REQUIRED {
            let national_only = f == Function::Interaction && funcs.national_only;
            if !funcs.get(f) && !national_only {
                a.findings.push(
                    Finding::new(f.missing_code(), Severity::Major, format!("菜单中缺少{}功能", f.label()))
                        .with("captured_at", captured.clone())
                        .with("menu_items", items.iter().map(|i| i.path.clone()).collect::<Vec<_>>()),
                );
            }
            a.metrics.insert(f.metric().into(), f64::from(u8::from(funcs.get(f))));
        }
        if funcs.national_only {
            let paths: Vec<String> = items
                .iter()
                .filter(|i| i.function == Function::Interaction && !i.is_parent)
                .map(|i| i.path.clone())
                .collect();
            a.findings.push(
                Finding::new(
                    FindingCode::MenuNationalPlatformsOnly,
                    Severity::Major,
                    format!(
                        "互动交流菜单仅链接国务院/互联网+督查等国家平台（{}），未提供本单位互动渠道",
                        paths.join("、")
                    ),
                )
                .with("menu_path", paths.first().cloned().unwrap_or_default())
                .with("menu_items", paths),
            );
        }
        // Misplaced: a child whose name says another function than its parent's and nothing of
        // the parent's (a content link only when it is news); under an introduction section
        // (走进XX), any child with a clear function; under a services or interaction parent,
        // news of the unit's work (领导活动, 工作动态), whether a column or pushed articles.
        let mut misplaced = 0;
        for b in &menu.buttons {
            let about = self.lexicon.is_about(&b.name);
            let parent =
                items.iter().find(|i| i.path == b.name).map(|i| i.function).unwrap_or(Function::Other);
            if parent == Function::Other && !about {
                continue;
            }
            let parent_label = if about { "介绍" } else { parent.label() };
            let news_out_of_place = matches!(parent, Function::Service | Function::Interaction);
            for c in &b.children {
                let news = news_out_of_place && self.lexicon.is_news(&c.name);
                if is_content_target(c.target.as_ref()) && !news {
                    continue;
                }
                let own = self.lexicon.clear_name_function(&c.name);
                let mentions_parent = !about && self.lexicon.name_mentions(parent, &c.name);
                let label = if news {
                    "新闻动态（政务公开）"
                } else if own != Function::Other && own != parent {
                    own.label()
                } else {
                    continue;
                };
                if mentions_parent {
                    continue;
                }
                misplaced += 1;
                let path = format!("{}/{}", b.name, c.name);
                a.findings.push(
                    Finding::new(
                        FindingCode::MenuMisplaced,
                        Severity::Minor,
                        format!("子菜单“{path}”属于{label}，却放在{parent_label}类菜单“{}”下", b.name),
                    )
                    .with("menu_path", path)
                    .with("item_function", label)
                    .with("parent_function", parent_label),
                );
            }
        }
        let mut outdated = 0;
        for (path, item) in menu.items() {
            if let Some(word) = self.lexicon.outdated_word(&path, item) {
                outdated += 1;
                a.findings.push(
                    Finding::new(
                        FindingCode::MenuOutdatedTopic,
                        Severity::Minor,
                        format!("菜单“{path}”仍保留已过时的专题（“{word}”）"),
                    )
                    .with("menu_path", path)
                    .with("keyword", word),
                );
            }
        }
        let present = [funcs.disclosure, funcs.service, funcs.interaction].iter().filter(|x| **x).count();
        let score = (0.4 + 0.2 * present as f64 - 0.05 * (misplaced + outdated) as f64).clamp(0.0, 1.0);
        a.metrics.insert("score".into(), score);
        a.metrics.insert("present".into(), 1.0);
        a.metrics.insert("items".into(), items.len() as f64);
        a.metrics.insert("misplaced_items".into(), misplaced as f64);
        a.metrics.insert("outdated_items".into(), outdated as f64);
        Outcome::Evaluated(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(name: &str, url: &str) -> MenuItem {
        MenuItem {
            name: name.into(),
            target: Some(MenuTarget::Url { url: url.into() }),
            children: Vec::new(),
        }
    }

    /// The outdated word of a leaf `name` under `parent` (an empty parent: a top-level item).
    fn outdated(parent: &str, name: &str, url: &str) -> Option<String> {
        let lex = MenuLexicon::default_lexicon();
        let path = if parent.is_empty() { name.to_owned() } else { format!("{parent}/{name}") };
        lex.outdated_word(&path, &item(name, url)).map(str::to_owned)
    }

    #[test]
    fn covid_era_topics_are_outdated() {
        for (parent, name, url, word) in [
            ("便民服务", "疫情防控", "https://www.x.gov.cn/a", "疫情"),
            ("", "核酸检测点查询", "https://www.x.gov.cn/b", "核酸"),
            ("办事", "健康码申领", "https://www.x.gov.cn/c", "健康码"),
            ("服务", "行程码", "https://www.x.gov.cn/d", "行程码"),
            ("服务", "新冠疫苗接种点", "https://www.x.gov.cn/e", "新冠"),
            ("服务", "最新通知", "https://www.x.gov.cn/ncov/list", "ncov"),
            ("服务", "隔离酒店查询", "https://www.x.gov.cn/f", "隔离"),
            ("民生", "灾后重建", "https://www.x.gov.cn/g", "灾后重建"),
        ] {
            assert_eq!(outdated(parent, name, url).as_deref(), Some(word), "{parent}/{name}");
        }
    }

    #[test]
    fn animal_and_other_current_epidemic_work_is_not_outdated() {
        for (parent, name, url) in [
            ("农业农村", "动物防疫", "https://nync.x.gov.cn/a"),
            ("农业农村", "重大动物疫病防控", "https://nync.x.gov.cn/b"),
            ("农业农村", "非洲猪瘟防控", "https://nync.x.gov.cn/c"),
            ("农业农村", "非洲猪瘟疫情防控", "https://nync.x.gov.cn/d"),
            ("畜牧兽医", "疫情防控", "https://nync.x.gov.cn/e"),
            ("", "口蹄疫防疫知识", "https://nync.x.gov.cn/f"),
            ("健康", "登革热疫情防控", "https://wjw.x.gov.cn/g"),
            ("健康", "预防接种", "https://wjw.x.gov.cn/h"),
        ] {
            assert_eq!(outdated(parent, name, url), None, "{parent}/{name}");
        }
        // A COVID word is outdated whatever else the item says.
        assert_eq!(outdated("畜牧兽医", "新冠防控", "https://x.gov.cn/a").as_deref(), Some("新冠"));
    }

    #[test]
    fn news_of_the_unit_and_its_leaders() {
        let lex = MenuLexicon::default_lexicon();
        for name in ["领导活动", "领导之窗", "要闻动态", "工作动态", "图片新闻", "时政要闻", "部门动态"]
        {
            assert!(lex.is_news(name), "{name}");
        }
        for name in ["领导信箱", "办事指南", "政策解读", "社保查询", "我要留言", "走进某市"]
        {
            assert!(!lex.is_news(name), "{name}");
        }
        // A user's copy of the lexicon from before the news list still parses.
        let start = DEFAULT_LEXICON.find("\n[news]\n").unwrap() + 1;
        let end = start + DEFAULT_LEXICON[start..].find("\n\n").unwrap();
        let old = format!("{}{}", &DEFAULT_LEXICON[..start], &DEFAULT_LEXICON[end..]);
        let lex = MenuLexicon::parse(&old).unwrap();
        assert!(!lex.is_news("领导活动") && !lex.is_news("工作动态"));
    }
}

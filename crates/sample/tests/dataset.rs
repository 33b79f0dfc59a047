//! The generated datasets: determinism, the bundled sample, the contract's formats, the target
//! distributions and the planted problems.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::Duration;
use govmedia_model::time::start_of_day;
use govmedia_model::{
    Account, AccountStatus, Article, Event, Level, Menu, MenuSnapshot, PageSnapshot, Platform, SurveyConfig,
};
use govmedia_sample::{DEFAULT_SEED, Dataset, Scale, generate, rates, write_dataset};
use serde_json::Value;

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/sample-survey");

/// Every file under `dir` (relative path → bytes), README.md aside.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else if p.file_name().unwrap() != "README.md" {
                out.insert(p.strip_prefix(root).unwrap().to_owned(), std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn written(ds: &Dataset) -> (tempfile::TempDir, BTreeMap<PathBuf, Vec<u8>>) {
    let dir = tempfile::tempdir().unwrap();
    write_dataset(ds, dir.path()).unwrap();
    let f = files(dir.path());
    (dir, f)
}

#[test]
fn same_seed_gives_the_same_bytes() {
    let (_a, a) = written(&generate(Scale::Sample, DEFAULT_SEED));
    let (_b, b) = written(&generate(Scale::Sample, DEFAULT_SEED));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(v == &b[k], "{} differs between two runs", k.display());
    }
    let (_c, c) = written(&generate(Scale::Sample, 7));
    assert_ne!(a[Path::new("articles.jsonl")], c[Path::new("articles.jsonl")]);
}

/// The committed sample is what the generator writes today (regenerate it when this fails:
/// `cargo run -p govmedia-sample --release --example generate -- sample examples/sample-survey`).
#[test]
fn bundled_sample_is_up_to_date() {
    let (_d, fresh) = written(&generate(Scale::Sample, DEFAULT_SEED));
    let committed = files(Path::new(EXAMPLE));
    assert_eq!(fresh.keys().collect::<Vec<_>>(), committed.keys().collect::<Vec<_>>());
    for (k, v) in &fresh {
        assert!(v == &committed[k], "examples/sample-survey/{} is stale", k.display());
    }
    let total: usize = committed.values().map(Vec::len).sum();
    assert!(total < 5_000_000, "the bundled sample is {total} bytes");
}

fn lines<T: serde::de::DeserializeOwned>(dir: &Path, file: &str) -> Vec<(T, Value)> {
    std::fs::read_to_string(dir.join(file))
        .unwrap()
        .lines()
        .enumerate()
        .map(|(i, l)| {
            let typed: T = serde_json::from_str(l).unwrap_or_else(|e| panic!("{file}:{}: {e}", i + 1));
            let raw: Value = serde_json::from_str(l).unwrap();
            assert_eq!(raw["generated"], Value::Bool(true), "{file}:{}: not marked generated", i + 1);
            (typed, raw)
        })
        .collect()
}

#[test]
fn every_written_line_parses_into_model_types() {
    let ds = generate(Scale::Sample, DEFAULT_SEED);
    let (dir, _) = written(&ds);
    let dir = dir.path();
    let cfg: SurveyConfig =
        toml::from_str(&std::fs::read_to_string(dir.join("survey.toml")).unwrap()).unwrap();
    assert_eq!(cfg, ds.config);
    assert_eq!(cfg.generated, Some(true));
    assert_eq!(cfg.period.unwrap().from.to_string(), "2025-01-01");
    assert_eq!(cfg.period.unwrap().to.to_string(), "2025-10-31");
    assert_eq!(cfg.check_date.unwrap().to_string(), "2025-11-01");
    assert_eq!(cfg.framework.as_deref(), Some("ccid-2025"));

    let accounts: Vec<(Account, Value)> = lines(dir, "accounts.jsonl");
    let apps: Vec<(Account, Value)> = lines(dir, "apps.jsonl");
    assert_eq!(accounts.len() + apps.len(), ds.accounts.len());
    assert!(apps.iter().all(|(a, _)| a.platform == Platform::App && !a.stores.is_empty()));
    let wechat = accounts.iter().filter(|(a, _)| a.platform == Platform::Wechat);
    assert!(wechat.clone().all(|(a, _)| a.biz.is_some() && a.id.starts_with("gh_")));
    assert_eq!(wechat.count(), 48);
    let articles: Vec<(Article, Value)> = lines(dir, "articles.jsonl");
    assert_eq!(articles.len(), ds.articles.len());
    assert!(articles.iter().map(|(a, _)| a).eq(ds.articles.iter()));
    let menus: Vec<(MenuSnapshot, Value)> = lines(dir, "menus.jsonl");
    let mut shapes = BTreeSet::new();
    for (m, raw) in &menus {
        m.parse().unwrap();
        let obj = raw["menu"].as_object().unwrap();
        shapes.extend(["selfmenu_info", "menu", "errcode"].into_iter().filter(|k| obj.contains_key(*k)));
    }
    // Both platform shapes, and the no-menu answer of menu/get.
    assert_eq!(shapes.len(), 3, "{shapes:?}");
    let events: Vec<(Event, Value)> = lines(dir, "events.jsonl");
    assert_eq!(events.len(), 5);
    let pages: Vec<(PageSnapshot, Value)> = lines(dir, "pages.jsonl");
    for (p, _) in &pages {
        if let Some(body) = &p.body {
            assert!(dir.join(body).is_file(), "{body}");
        } else {
            assert!(p.error.is_some() || p.status == Some(404) || p.status.is_none());
        }
    }
    // Every link of every menu has a page snapshot.
    let snap: BTreeSet<&str> = pages.iter().map(|(p, _)| p.url.as_str()).collect();
    for (m, _) in &menus {
        for (path, item) in m.parse().unwrap().items() {
            if let Some(govmedia_model::MenuTarget::Url { url }) = &item.target {
                assert!(snap.contains(url.as_str()), "{path}: {url}");
            }
        }
    }
}

fn share_of_top_fifth(ds: &Dataset) -> f64 {
    let mut per: BTreeMap<&str, u64> = BTreeMap::new();
    for a in &ds.articles {
        *per.entry(&a.account).or_default() += a.reads.map_or(0, |r| r.value);
    }
    let mut v: Vec<u64> = ds.accounts.iter().map(|a| per.get(a.id.as_str()).copied().unwrap_or(0)).collect();
    v.sort_unstable_by(|a, b| b.cmp(a));
    let top = (v.len() as f64 * 0.2).round() as usize;
    v[..top].iter().sum::<u64>() as f64 / v.iter().sum::<u64>() as f64
}

fn commented_and_replied(ds: &Dataset) -> (usize, usize) {
    let commented = ds.articles.iter().filter(|a| !a.comments.is_empty()).count();
    let replied = ds.articles.iter().filter(|a| a.comments.iter().any(|c| c.reply.is_some())).count();
    (commented, replied)
}

#[test]
fn national_scale_matches_the_survey() {
    let ds = generate(Scale::National2025, DEFAULT_SEED);
    let mut levels: BTreeMap<Level, usize> = BTreeMap::new();
    for a in &ds.accounts {
        *levels.entry(a.level).or_default() += 1;
    }
    assert_eq!(
        levels.into_iter().collect::<Vec<_>>(),
        vec![
            (Level::Ministry, 51),
            (Level::Province, 30),
            (Level::ProvinceDept, 329),
            (Level::Prefecture, 239),
            (Level::County, 33)
        ]
    );
    let fields: BTreeSet<_> = ds.accounts.iter().filter_map(|a| a.field).collect();
    assert_eq!(fields.len(), 12);
    assert_eq!(ds.articles.len(), 29_684);

    let share = share_of_top_fifth(&ds);
    assert!((0.68..=0.82).contains(&share), "top 20 % hold {share:.3} of reads");
    let (commented, replied) = commented_and_replied(&ds);
    assert_eq!(commented, (29_684.0 * rates::COMMENTED).round() as usize);
    assert_eq!(replied, (commented as f64 * rates::REPLIED).round() as usize);
    let capped: Vec<_> = ds.articles.iter().filter_map(|a| a.reads).filter(|r| r.capped).collect();
    assert!(!capped.is_empty() && capped.len() < 300, "{} capped", capped.len());
    assert!(capped.iter().all(|r| r.value == 100_001));
    assert!(ds.articles.iter().filter_map(|a| a.reads).all(|r| r.capped || r.value <= 100_000));

    let bodies: Vec<usize> =
        ds.articles.iter().filter_map(|a| a.content.as_ref()).map(|c| c.chars().count()).collect();
    let mean = bodies.iter().sum::<usize>() as f64 / bodies.len() as f64;
    assert!((1_800.0..=2_300.0).contains(&mean), "mean body {mean}");
    let reposts = ds.articles.iter().filter(|a| a.source.is_some()).count();
    assert_eq!(reposts, (29_684.0 * rates::REPOST).round() as usize);
}

#[test]
fn the_long_tail_holds_for_other_seeds() {
    for seed in [1, 2] {
        let ds = generate(Scale::National2025, seed);
        let share = share_of_top_fifth(&ds);
        assert!((0.68..=0.82).contains(&share), "seed {seed}: top 20 % hold {share:.3}");
    }
}

fn planted(raw: &Value) -> BTreeSet<String> {
    raw.get("planted")
        .and_then(Value::as_array)
        .map(|l| l.iter().map(|v| v.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

fn json<T: serde::Serialize>(t: &T) -> Value {
    serde_json::to_value(t).unwrap()
}

#[test]
fn sample_levels_and_rates() {
    let ds = generate(Scale::Sample, DEFAULT_SEED);
    let count =
        |l: Level| ds.accounts.iter().filter(|a| a.level == l && a.platform == Platform::Wechat).count();
    assert_eq!(
        [Level::Ministry, Level::Province, Level::ProvinceDept, Level::Prefecture, Level::County].map(count),
        [8, 6, 12, 14, 8]
    );
    // Rates are over the WeChat articles (Weibo posts come with counts, not comments).
    let n = ds.articles.iter().filter(|a| !a.url.starts_with("https://weibo.com/")).count();
    let (commented, replied) = commented_and_replied(&ds);
    assert_eq!(commented, (n as f64 * rates::COMMENTED).round() as usize);
    assert_eq!(replied, (commented as f64 * rates::REPLIED).round() as usize);
    // Every account-level problem is present at least once in the sample.
    let all: BTreeSet<String> = ds.accounts.iter().flat_map(|a| planted(&json(a))).collect();
    for code in [
        "update.stale_14d",
        "update.dormant",
        "account.unverified",
        "account.closed",
        "account.migrated",
        "account.duplicate",
        "account.intro_department_oriented",
        "menu.none",
        "menu.missing_disclosure",
        "menu.missing_service",
        "menu.missing_interaction",
        "menu.misplaced",
        "menu.national_platforms_only",
        "menu.outdated_topic",
        "link.broken",
        "link.login_required",
        "link.app_required",
        "link.wechat_unavailable",
        "mobile.not_adapted",
        "timeliness.late_response",
    ] {
        assert!(all.contains(code), "{code} not planted");
    }
}

#[test]
fn planted_update_problems_are_true_of_the_data() {
    let ds = generate(Scale::Sample, DEFAULT_SEED);
    let check = start_of_day(ds.config.check_date.unwrap());
    // The planted truth is the WeChat accounts' (the Weibo twins and apps carry none).
    for a in ds.accounts.iter().filter(|a| a.platform == Platform::Wechat) {
        let p = planted(&json(a));
        let last = ds.articles.iter().filter(|x| x.account == a.id).map(|x| x.published_at).max().unwrap();
        // Closed and migrated accounts are reported as such, not for their silence.
        let active = a.status == AccountStatus::Active;
        assert_eq!(p.contains("update.stale_14d"), active && last < check - Duration::days(14), "{}", a.name);
        assert_eq!(p.contains("update.dormant"), active && last <= check - Duration::days(90), "{}", a.name);
        assert!(last < check);
    }
}

#[test]
fn planted_menu_problems_are_true_of_the_menus() {
    let ds = generate(Scale::Sample, DEFAULT_SEED);
    let by_id: BTreeMap<&str, &Account> = ds.accounts.iter().map(|a| (a.id.as_str(), a)).collect();
    for m in &ds.menus {
        let p = planted(&json(by_id[m.account.as_str()]));
        let menu: Menu = m.parse().unwrap();
        assert_eq!(p.contains("menu.none"), menu.is_empty());
        let has = |names: &[&str]| menu.buttons.iter().any(|b| names.contains(&b.name.as_str()));
        assert_eq!(
            p.contains("menu.missing_service"),
            !menu.is_empty() && !has(&["办事服务", "便民服务", "政务服务"])
        );
        assert_eq!(
            p.contains("menu.missing_disclosure"),
            !menu.is_empty() && !has(&["政务公开", "信息公开", "权威发布"])
        );
        let outdated = menu.items().iter().any(|(_, i)| {
            ["疫情防控", "核酸检测点查询", "健康码申领", "灾后重建"].contains(&i.name.as_str())
        });
        assert_eq!(p.contains("menu.outdated_topic"), outdated);
        let inter =
            menu.buttons.iter().find(|b| ["互动交流", "政民互动", "互动服务"].contains(&b.name.as_str()));
        let national_only = inter
            .is_some_and(|b| b.children.iter().all(|c| c.name == "国务院客户端" || c.name == "互联网+督查"));
        assert_eq!(p.contains("menu.national_platforms_only"), national_only);
    }
    // Closed and migrated accounts have no snapshot.
    for a in &ds.accounts {
        if a.status != govmedia_model::AccountStatus::Active {
            assert!(ds.menus.iter().all(|m| m.account != a.id));
        }
    }
}

/// Runs of ASCII digits (an ID number's final X included).
fn digit_runs(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() || (c == 'X' && cur.len() == 17) {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn valid_id(s: &str) -> bool {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    s.len() == 18 && {
        let sum: u32 = s[..17].chars().zip(W).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
        "10X98765432".as_bytes()[(sum % 11) as usize] == s.as_bytes()[17]
    }
}

fn luhn(s: &str) -> bool {
    let sum: u32 = s
        .chars()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let d = c.to_digit(10).unwrap();
            if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d }
        })
        .sum();
    s.len() == 16 && sum.is_multiple_of(10)
}

#[test]
fn planted_content_problems_are_true_of_the_text() {
    let ds = generate(Scale::Sample, DEFAULT_SEED);
    let by_url: BTreeMap<&str, &Article> = ds.articles.iter().map(|a| (a.url.as_str(), a)).collect();
    let mut pii_comments = 0;
    let mut planted_pii = 0;
    for a in &ds.articles {
        let p = planted(&json(a));
        let body = a.content.as_deref().unwrap_or("");
        let wrong = body.contains("中华人民共合国") || body.contains("中国人民共和国");
        assert_eq!(p.contains("content.wording_error"), wrong, "{}", a.url);
        let bad_doc = ["[2018]", "（2025）", "【2025】", "〕第"].iter().any(|b| body.contains(b));
        assert_eq!(p.contains("content.doc_number_format"), bad_doc, "{}", a.url);
        assert_eq!(p.contains("content.sensitive_term"), body.contains("最佳"), "{}", a.url);
        let exposed = digit_runs(body).iter().any(|r| valid_id(r));
        assert_eq!(p.contains("content.pii_exposed"), exposed, "{}", a.url);
        if let Some(src) = &a.source {
            assert!(body.starts_with(&format!("来源：{src}")));
            assert_eq!(a.original, Some(false));
        }
        if let Some(from) = a.extra.get("copied_from").and_then(Value::as_str) {
            let s = by_url[from];
            assert!(p.contains("content.duplicate"));
            assert_ne!(s.account, a.account);
            assert!(s.published_at <= a.published_at - Duration::days(1));
            assert_eq!(s.content, a.content);
            assert!(a.source.is_none());
        } else {
            assert!(!p.contains("content.duplicate"));
        }
        for c in &a.comments {
            assert!(c.created_at >= a.published_at);
            if let Some(r) = &c.reply {
                assert!(r.created_at >= c.created_at);
            }
            let runs = digit_runs(&c.text);
            let phone = runs.iter().any(|r| r.len() == 11 && r.starts_with('1'));
            if phone || runs.iter().any(|r| valid_id(r) || luhn(r)) {
                pii_comments += 1;
            }
        }
        planted_pii += a.extra.get("planted_comment_pii").and_then(Value::as_u64).unwrap_or(0);
    }
    let comments: usize = ds.articles.iter().map(|a| a.comments.len()).sum();
    assert_eq!(pii_comments as u64, planted_pii);
    let expected = [rates::COMMENT_PHONE, rates::COMMENT_ID_NUMBER, rates::COMMENT_BANK_CARD]
        .iter()
        .map(|r| ((comments as f64 * r).round() as u64).max(1))
        .sum::<u64>();
    assert_eq!(planted_pii, expected);
}

#[test]
fn event_answers_follow_their_events() {
    let ds = generate(Scale::Sample, DEFAULT_SEED);
    let events: BTreeMap<&str, &Event> = ds.events.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut answers = 0;
    for a in &ds.articles {
        if let Some(id) = a.extra.get("event").and_then(Value::as_str) {
            let e = events[id];
            assert!(a.published_at > e.occurred_at);
            let text = format!("{}{}", a.title, a.content.as_deref().unwrap_or(""));
            assert!(e.keywords.iter().any(|k| text.contains(k.as_str())));
            answers += 1;
        }
    }
    assert!(answers > 0);
}

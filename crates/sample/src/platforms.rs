//! Weibo accounts and government apps for the bundled sample, so the main job shows the
//! communication-power and app chapters.
//!
//! Units come from the sample's own WeChat accounts (real names of units where the registry
//! gives them): the first active accounts of three levels also get a Weibo account of the same
//! owner, posting reposts and originals of their WeChat titles with generated counters; two
//! units get apps (one of them two, one app not updated for more than a year). Every value is
//! generated and marked so (`generated`), apart from the owners and levels the WeChat account
//! already marks as real.

use chrono::{Days, NaiveDate};
use govmedia_model::{Account, AccountStatus, Article, Level, Platform, StoreListing};
use serde_json::Value;

use crate::Dataset;
use crate::rng::Rng;

/// Weibo posts per account in the period.
const POSTS: usize = 24;
/// The levels whose first account gets a Weibo twin.
const WEIBO_LEVELS: [Level; 3] = [Level::Ministry, Level::Province, Level::Prefecture];
/// The stores the sample's apps are listed in; Apple does not publish download counts.
const STORES: [(&str, bool); 3] = [("应用宝", true), ("华为应用市场", true), ("苹果App Store", false)];

fn generated(extra: &mut serde_json::Map<String, Value>) {
    extra.insert("generated".into(), Value::Bool(true));
}

/// Adds the Weibo accounts with their posts, and the apps (platform `app`, written to
/// apps.jsonl), to `ds`.
pub(crate) fn add(ds: &mut Dataset, seed: u64) {
    let mut rng = Rng::new(seed, "platforms");
    let period = ds.config.period.expect("the sample has a period");
    let days = (period.to - period.from).num_days().max(1) as u64;
    let mut twins: Vec<Account> = Vec::new();
    let mut posts: Vec<Article> = Vec::new();
    for level in WEIBO_LEVELS {
        let Some(wechat) = ds.accounts.iter().find(|a| a.level == level && a.status == AccountStatus::Active)
        else {
            continue;
        };
        let uid = 1_000_000_000 + rng.below(9_000_000_000);
        let mut w = Account::new(format!("weibo_{uid}"), wechat.name.clone(), wechat.owner.clone(), level);
        w.platform = Platform::Weibo;
        w.region = wechat.region.clone();
        w.field = wechat.field;
        w.verified = Some(true);
        w.followers = wechat.followers.map(|f| f * (2 + rng.below(4)));
        generated(&mut w.extra);
        w.extra.insert(
            "real_fields".into(),
            wechat.extra.get("real_fields").cloned().unwrap_or(Value::Array(vec![])),
        );
        let titles: Vec<&str> =
            ds.articles.iter().filter(|a| a.account == wechat.id).map(|a| a.title.as_str()).collect();
        for k in 0..POSTS {
            let day = period.from + Days::new(rng.below(days));
            let at = crate::build::at(day, 8 + rng.below(12) as u32, &mut rng);
            let original = rng.chance(0.6);
            let text = match titles.get(rng.index(titles.len().max(1))) {
                Some(t) if original => format!("【{t}】详情请见官方微信公众号“{}”。", wechat.name),
                Some(t) => format!("转发：{t}"),
                None => format!("{}发布第{}条政务信息。", w.name, k + 1),
            };
            let mut p = Article::new(
                &w.id,
                format!("https://weibo.com/{uid}/{}", 5_000_000_000u64 + rng.below(1 << 30)),
                text.clone(),
                at,
            );
            p.content = Some(text);
            p.original = Some(original);
            let reach = rng.lognormal(2.0, 1.2);
            p.shares = Some(reach.round() as u64);
            p.likes = Some((reach * 1.8).round() as u64);
            p.comment_count = Some((reach * 0.4).round() as u64);
            p.comments_collected = Some(false);
            generated(&mut p.extra);
            posts.push(p);
        }
        twins.push(w);
    }
    posts.sort_by(|a, b| (&a.account, a.published_at, &a.url).cmp(&(&b.account, b.published_at, &b.url)));
    let mut apps = Vec::new();
    let owners: Vec<(String, Level, Option<String>)> = ds
        .accounts
        .iter()
        .filter(|a| {
            a.status == AccountStatus::Active && matches!(a.level, Level::Province | Level::Prefecture)
        })
        .take(2)
        .map(|a| (a.owner.clone(), a.level, a.region.clone()))
        .collect();
    let check = ds.config.check_date.expect("the sample has a check date");
    for (i, (owner, level, region)) in owners.iter().enumerate() {
        let names: &[&str] = if i == 0 { &["掌上办事", "便民服务"] } else { &["智慧政务"] };
        for (j, name) in names.iter().enumerate() {
            let mut app = Account::new(
                format!("app_{}_{j}", i + 1),
                format!("{}{name}", place(owner)),
                owner.clone(),
                *level,
            );
            app.platform = Platform::App;
            app.region = region.clone();
            // The second app of the first unit has not been updated for well over a year.
            let stale = i == 0 && j == 1;
            for (store, counted) in STORES {
                let updated: NaiveDate =
                    check - Days::new(if stale { 420 + rng.below(200) } else { 5 + rng.below(90) });
                app.stores.push(StoreListing {
                    store: store.to_owned(),
                    downloads: counted.then(|| (rng.lognormal(10.0, 1.5)).round() as u64),
                    rating: Some((30.0 + rng.below(20) as f64) / 10.0),
                    updated_at: Some(updated),
                    as_of: Some(period.to),
                });
            }
            generated(&mut app.extra);
            apps.push(app);
        }
    }
    ds.accounts.extend(twins);
    ds.accounts.extend(apps);
    ds.articles.extend(posts);
}

/// The place part of an owner's name (南京市人民政府办公室 → 南京市), for app names.
fn place(owner: &str) -> &str {
    ["市", "省", "区", "县", "自治区"]
        .iter()
        .filter_map(|s| owner.find(s).map(|i| &owner[..i + s.len()]))
        .min_by_key(|p| p.len())
        .unwrap_or(owner)
}

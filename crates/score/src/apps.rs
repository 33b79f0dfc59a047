//! Statistics of government apps as the 2014 report prints them: apps and downloads per store,
//! mean downloads per app in each store, the ten most downloaded apps of each store, and the
//! distribution of apps by province and by field (`statistics.apps` of results.json).
//!
//! A listing without a download count is counted as an app of its store but left out of the
//! download sums and means (`apps_with_downloads` says over how many they are taken).

use std::collections::BTreeMap;

use govmedia_model::{Account, Platform};
use serde_json::{Map, Value, json};

use crate::regions;

/// Apps listed per store in the top list.
const TOP_PER_STORE: usize = 10;

/// `statistics.apps`, or None when the survey has no app.
pub fn statistics(accounts: &[Account]) -> Option<Value> {
    let apps: Vec<&Account> = accounts.iter().filter(|a| a.platform == Platform::App).collect();
    if apps.is_empty() {
        return None;
    }
    let mut stores: BTreeMap<&str, Vec<(&Account, Option<u64>)>> = BTreeMap::new();
    for app in &apps {
        for l in &app.stores {
            stores.entry(l.store.as_str()).or_default().push((app, l.downloads));
        }
    }
    let by_store: Vec<Value> = stores
        .into_iter()
        .map(|(store, mut listed)| {
            let counted: Vec<u64> = listed.iter().filter_map(|x| x.1).collect();
            let total: u64 = counted.iter().sum();
            listed.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.id.cmp(&b.0.id)));
            let top: Vec<Value> = listed
                .iter()
                .filter(|x| x.1.is_some())
                .take(TOP_PER_STORE)
                .map(|(a, d)| json!({"id": a.id, "name": a.name, "owner": a.owner, "downloads": d}))
                .collect();
            json!({
                "store": store,
                "apps": listed.len(),
                "apps_with_downloads": counted.len(),
                "downloads": total,
                "mean_downloads": if counted.is_empty() { Value::Null }
                    else { json!((total as f64 / counted.len() as f64 * 100.0).round() / 100.0) },
                "top": top,
            })
        })
        .collect();
    let mut by_region: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_field: BTreeMap<String, u64> = BTreeMap::new();
    for app in &apps {
        let province = app
            .region
            .as_deref()
            .and_then(regions::resolve)
            .and_then(|c| regions::province_of(&c))
            .unwrap_or_else(|| "unknown".into());
        *by_region.entry(province).or_default() += 1;
        *by_field.entry(app.field.map_or("未标注领域", |f| f.as_str()).to_owned()).or_default() += 1;
    }
    let regions: Map<String, Value> = by_region
        .into_iter()
        .map(|(code, n)| {
            let name = regions::name(&code).unwrap_or("未知或中央");
            (code, json!({"name": name, "apps": n}))
        })
        .collect();
    let fields: Map<String, Value> = by_field.into_iter().map(|(f, n)| (f, json!({"apps": n}))).collect();
    Some(json!({
        "apps": apps.len(),
        "by_store": by_store,
        "by_region": regions,
        "by_field": fields,
    }))
}

//! Units with accounts on both platforms: the combined communication index (政务传播力).
//!
//! A unit is an owner (主办单位) after the standard short forms of the account check
//! (`lexicons/unit-short-names.toml`), so 国务院办公厅 on WeChat and on Weibo are one unit.
//! Its WCI is the highest WCI among its WeChat accounts and its BCI the highest BCI among its
//! Weibo accounts (a WeChat row that carries the unit's Weibo figures, the contract's older
//! form, stands in when there is no Weibo account). Both are of the framework's versions: the
//! combined index is 0.6 WCI + 0.4 BCI of that one pair, and a unit with one platform only has
//! no combined index and says why.

use std::collections::BTreeMap;

use govmedia_checks::account::UnitNames;
use govmedia_model::Platform;
use govmedia_model::results::{AccountResult, IndexValue, UnitAccount, UnitResult};

use crate::framework::{BciIndex, Framework, TSINGHUA_2014, WciIndex};

/// WCI and BCI weights of the combined index (2014 report: 专家交叉评分).
const WCI_WEIGHT: f64 = 0.6;
const BCI_WEIGHT: f64 = 0.4;

/// The units of the survey with their indices, ordered by level, then combined index, WCI and
/// name. Empty when no account is on Weibo: the combined index is about units on both.
pub fn pair(accounts: &[AccountResult], fw: &Framework) -> Vec<UnitResult> {
    if !accounts.iter().any(|a| a.platform == Platform::Weibo) {
        return Vec::new();
    }
    let names = UnitNames::default_names();
    let mut by_unit: BTreeMap<String, Vec<&AccountResult>> = BTreeMap::new();
    for a in accounts.iter().filter(|a| a.platform != Platform::App) {
        by_unit.entry(names.key(&a.owner)).or_default().push(a);
    }
    let mut units: Vec<UnitResult> = by_unit.into_values().filter_map(|list| unit(&list, fw)).collect();
    units.sort_by(|a, b| {
        let wci = |u: &UnitResult| u.wechat.as_ref().map(|w| w.index.value);
        a.level
            .cmp(&b.level)
            .then(b.combined.is_some().cmp(&a.combined.is_some()))
            .then(
                b.combined
                    .as_ref()
                    .map(|c| c.value)
                    .partial_cmp(&a.combined.as_ref().map(|c| c.value))
                    .unwrap(),
            )
            .then(wci(b).partial_cmp(&wci(a)).unwrap())
            .then(a.unit.cmp(&b.unit))
    });
    units
}

/// The account of `list` on `platform` with the highest `index`.
fn best(list: &[&AccountResult], platform: Platform, index: &str) -> Option<UnitAccount> {
    list.iter()
        .filter(|a| a.platform == platform)
        .filter_map(|a| a.indices.get(index).map(|i| (a, i)))
        .max_by(|x, y| x.1.value.total_cmp(&y.1.value).then(y.0.id.cmp(&x.0.id)))
        .map(|(a, i)| UnitAccount { id: a.id.clone(), name: a.name.clone(), index: i.clone() })
}

fn unit(list: &[&AccountResult], fw: &Framework) -> Option<UnitResult> {
    let wechat = best(list, Platform::Wechat, "wci");
    let weibo = best(list, Platform::Weibo, "bci").or_else(|| best(list, Platform::Wechat, "bci"));
    let lead = wechat.as_ref().or(weibo.as_ref())?;
    let lead = list.iter().find(|a| a.id == lead.id).expect("chosen from the list");
    let (combined, not_evaluated) = match (&wechat, &weibo) {
        (Some(w), Some(b)) => {
            let verified = fw.wci == WciIndex::Tsinghua2014 && fw.bci == BciIndex::Tsinghua2014;
            let version = if verified {
                TSINGHUA_2014.to_owned()
            } else {
                format!("{WCI_WEIGHT}×WCI {} + {BCI_WEIGHT}×BCI {}", fw.wci.as_str(), fw.bci.as_str())
            };
            let value = WCI_WEIGHT * w.index.value + BCI_WEIGHT * b.index.value;
            let unverified = !verified || w.index.unverified;
            (Some(IndexValue { value: (value * 1e6).round() / 1e6, version, unverified }), None)
        }
        (Some(_), None) => {
            (None, Some(format!("无微博传播指数（BCI {}）：未开通政务微博或未提供其数据", fw.bci.as_str())))
        }
        (None, _) => {
            (None, Some(format!("无微信传播指数（WCI {}）：未开通政务微信或未提供其数据", fw.wci.as_str())))
        }
    };
    Some(UnitResult {
        unit: lead.owner.clone(),
        level: lead.level,
        region: lead.region.clone(),
        wechat,
        weibo,
        combined,
        not_evaluated,
    })
}

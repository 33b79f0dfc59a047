//! Which units a survey of a given scale covers.
//!
//! National 2025: every unit of the registry, plus units filled in to reach the survey's level
//! counts (province departments for the province × field pairs the registry lacks, and
//! prefecture-level cities the registry lacks). Sample: a few units of every level, drawn from
//! the registry, with the livelihood fields the registry lacks filled in.

use govmedia_model::{Field, Level};

use crate::Scale;
use crate::registry::{Division, Regions, Unit, field_keyword, registry_units};
use crate::rng::Rng;

/// Accounts per level: (ministry, province, province_dept, prefecture, county).
pub(crate) fn level_counts(scale: Scale) -> [(Level, usize); 5] {
    match scale {
        Scale::National2025 => [
            (Level::Ministry, 51),
            (Level::Province, 30),
            (Level::ProvinceDept, 329),
            (Level::Prefecture, 239),
            (Level::County, 33),
        ],
        Scale::Sample | Scale::World => [
            (Level::Ministry, 8),
            (Level::Province, 6),
            (Level::ProvinceDept, 12),
            (Level::Prefecture, 14),
            (Level::County, 8),
        ],
    }
}

fn is_municipality(p: &Division) -> bool {
    matches!(&p.code[..2], "11" | "12" | "31" | "50")
}

/// The owning unit and a usual account name of a province's department of `field`.
fn department(p: &Division, field: Field) -> (String, String) {
    let (name, short) = (&p.name, p.short());
    let m = is_municipality(p);
    let bureau = |prov: &str, city: &str| if m { city.to_owned() } else { prov.to_owned() };
    let owner = match field {
        Field::Education => format!("{name}{}", bureau("教育厅", "教育委员会")),
        Field::Health => format!("{name}卫生健康委员会"),
        Field::MedicalSecurity => format!("{name}医疗保障局"),
        Field::PublicSecurity => format!("{name}{}", bureau("公安厅", "公安局")),
        Field::HumanResources => format!("{name}{}", bureau("人力资源和社会保障厅", "人力资源和社会保障局")),
        Field::Housing => format!("{name}{}", bureau("住房和城乡建设厅", "住房和城乡建设委员会")),
        Field::MarketRegulation => format!("{name}市场监督管理局"),
        Field::CultureTourism => format!("{name}{}", bureau("文化和旅游厅", "文化和旅游局")),
        Field::Transport => format!("{name}{}", bureau("交通运输厅", "交通运输委员会")),
        Field::Justice => format!("{name}{}", bureau("司法厅", "司法局")),
        Field::CivilAffairs => format!("{name}{}", bureau("民政厅", "民政局")),
        Field::Taxation => format!("国家税务总局{name}税务局"),
    };
    debug_assert!(owner.contains(field_keyword(field)));
    let account = match field {
        Field::Education => format!("{short}教育发布"),
        Field::Health => format!("健康{short}"),
        Field::MedicalSecurity => format!("{short}医保"),
        Field::PublicSecurity => format!("{short}公安"),
        Field::HumanResources => format!("{short}人社"),
        Field::Housing => format!("{short}住建"),
        Field::MarketRegulation => format!("{short}市场监管"),
        Field::CultureTourism => format!("{short}文旅"),
        Field::Transport => format!("{short}交通"),
        Field::Justice => format!("{short}司法"),
        Field::CivilAffairs => format!("{short}民政"),
        Field::Taxation => format!("{short}税务"),
    };
    (owner, account)
}

fn department_unit(p: &Division, field: Field) -> Unit {
    let (owner, account) = department(p, field);
    Unit {
        level: Level::ProvinceDept,
        field: Some(field),
        region: Some(p.code.clone()),
        province_short: Some(p.short()),
        place_short: Some(p.short()),
        owner,
        account: Some(account),
        real: false,
    }
}

fn prefecture_unit(regions: &Regions, d: &Division) -> Unit {
    let p = regions.provinces.iter().find(|p| p.code[..2] == d.code[..2]).expect("province of a prefecture");
    Unit {
        level: Level::Prefecture,
        field: None,
        region: Some(d.code.clone()),
        province_short: Some(p.short()),
        place_short: Some(d.short()),
        owner: format!("{}人民政府", d.name),
        account: None,
        real: false,
    }
}

/// The units of a survey of `scale`, ordered by level, registry units first.
pub(crate) fn units(scale: Scale, regions: &Regions, rng: &mut Rng) -> Vec<Unit> {
    let registry = registry_units(regions);
    let mut out = Vec::new();
    for (level, want) in level_counts(scale) {
        let real: Vec<Unit> = registry.iter().filter(|u| u.level == level).cloned().collect();
        let mut units = match scale {
            Scale::National2025 => real,
            Scale::Sample if level == Level::ProvinceDept => {
                // One department per field: a registry one where there is one.
                let mut v = Vec::new();
                for f in Field::ALL {
                    let of_field: Vec<&Unit> = real.iter().filter(|u| u.field == Some(f)).collect();
                    if of_field.is_empty() {
                        let p = rng.pick(&regions.provinces);
                        v.push(department_unit(p, f));
                    } else {
                        v.push(of_field[rng.index(of_field.len())].clone());
                    }
                }
                v
            }
            Scale::Sample | Scale::World => {
                rng.choose(real.len(), want).into_iter().map(|i| real[i].clone()).collect()
            }
        };
        if units.len() < want {
            fill(level, want - units.len(), &mut units, regions, rng);
        }
        assert_eq!(units.len(), want, "level {level}");
        out.extend(units);
    }
    out
}

/// The county bureaus of a national monitor, by field: (owner suffix, account suffix).
const COUNTY_BUREAUS: [(Field, &str, &str); 12] = [
    (Field::Education, "教育局", "教育"),
    (Field::Health, "卫生健康局", "卫健"),
    (Field::MedicalSecurity, "医疗保障局", "医保"),
    (Field::PublicSecurity, "公安局", "公安"),
    (Field::HumanResources, "人力资源和社会保障局", "人社"),
    (Field::Housing, "住房和城乡建设局", "住建"),
    (Field::MarketRegulation, "市场监督管理局", "市场监管"),
    (Field::CultureTourism, "文化和旅游局", "文旅"),
    (Field::Transport, "交通运输局", "交通"),
    (Field::Justice, "司法局", "司法"),
    (Field::CivilAffairs, "民政局", "民政"),
    (Field::Taxation, "税务局", "税务"),
];

/// The units of a monitor of `accounts` accounts: fewer than the national survey's 682 are a
/// random part of them; more add, in order, every county-level government (区县政府) and then
/// county bureaus of the twelve livelihood fields (level `other`), about 37,000 in all.
pub(crate) fn units_sized(regions: &Regions, rng: &mut Rng, accounts: usize) -> Result<Vec<Unit>, String> {
    let national = units(Scale::National2025, regions, rng);
    if accounts <= national.len() {
        let mut keep = rng.choose(national.len(), accounts);
        keep.sort_unstable();
        return Ok(keep.into_iter().map(|i| national[i].clone()).collect());
    }
    let taken: std::collections::HashSet<String> = national.iter().filter_map(|u| u.region.clone()).collect();
    let county = |d: &Division, field: Option<(Field, &str, &str)>| {
        let province = regions.provinces.iter().find(|p| p.code[..2] == d.code[..2]);
        let prefecture = regions.prefectures.iter().find(|p| p.code[..4] == d.code[..4]);
        // A district is named with its city (杭州市西湖区): district names repeat across cities.
        let full = match prefecture {
            Some(p) if d.name.ends_with('区') => format!("{}{}", p.name, d.name),
            _ => d.name.clone(),
        };
        let (level, owner, account) = match field {
            None => (Level::County, format!("{full}人民政府"), None),
            Some((Field::Taxation, _, acc)) => {
                (Level::Other, format!("国家税务总局{full}税务局"), Some(format!("{}{acc}", d.short())))
            }
            Some((_, bureau, acc)) => {
                (Level::Other, format!("{full}{bureau}"), Some(format!("{}{acc}", d.short())))
            }
        };
        Unit {
            level,
            field: field.map(|f| f.0),
            region: Some(d.code.clone()),
            province_short: province.map(Division::short),
            place_short: Some(d.short()),
            owner,
            account,
            real: false,
        }
    };
    let governments = regions.counties.iter().filter(|d| !taken.contains(&d.code)).map(|d| county(d, None));
    let bureaus = COUNTY_BUREAUS.iter().flat_map(|b| regions.counties.iter().map(move |d| (d, *b)));
    let mut out = national;
    out.extend(governments.chain(bureaus.map(|(d, b)| county(d, Some(b)))).take(accounts - out.len()));
    if out.len() < accounts {
        return Err(format!(
            "最多可生成 {} 个账号（全国调查的账号、各区县政府及其 12 个民生领域部门）",
            out.len()
        ));
    }
    Ok(out)
}

/// Adds `missing` plausible units of `level` that are not among `units`.
fn fill(level: Level, missing: usize, units: &mut Vec<Unit>, regions: &Regions, rng: &mut Rng) {
    match level {
        Level::ProvinceDept => {
            let mut pairs = Vec::new();
            for p in &regions.provinces {
                for f in Field::ALL {
                    let taken =
                        units.iter().any(|u| u.field == Some(f) && u.region.as_deref() == Some(&p.code));
                    if !taken {
                        pairs.push((p, f));
                    }
                }
            }
            for i in rng.choose(pairs.len(), missing) {
                units.push(department_unit(pairs[i].0, pairs[i].1));
            }
        }
        Level::Prefecture => {
            let free: Vec<&Division> = regions
                .prefectures
                .iter()
                .filter(|d| !matches!(&d.code[..2], "11" | "12" | "31" | "50"))
                .filter(|d| !units.iter().any(|u| u.region.as_deref() == Some(&d.code)))
                .collect();
            for i in rng.choose(free.len(), missing) {
                units.push(prefecture_unit(regions, free[i]));
            }
        }
        _ => panic!("the registry has every unit of level {level}"),
    }
}

/// An account name for a unit the report does not name (the usual patterns of such names).
pub(crate) fn usual_account_name(place: &str, rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => format!("{place}发布"),
        1 => format!("{place}政务"),
        2 => format!("{place}政府网"),
        _ => format!("中国{place}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_counts_are_exact_and_units_distinct() {
        let regions = Regions::load();
        let mut rng = Rng::new(1, "roster");
        let units = units(Scale::National2025, &regions, &mut rng);
        assert_eq!(units.len(), 682);
        assert_eq!(units.iter().filter(|u| u.real).count(), 335);
        let mut owners: Vec<&str> = units.iter().map(|u| u.owner.as_str()).collect();
        owners.sort_unstable();
        owners.dedup();
        // 生态环境部 runs two surveyed accounts (生态环境部 and 国家核安全局); every other unit one.
        assert_eq!(owners.len(), 681, "every unit once");
        let dept = units.iter().filter(|u| u.level == Level::ProvinceDept);
        assert!(dept.clone().all(|u| u.field.is_some() && u.region.is_some()));
        assert_eq!(dept.count(), 329);
        let js = regions.province_by_name("江苏省").unwrap();
        assert_eq!(department(js, Field::Education), ("江苏省教育厅".into(), "江苏教育发布".into()));
        let bj = regions.province_by_name("北京市").unwrap();
        assert_eq!(department(bj, Field::Housing).0, "北京市住房和城乡建设委员会");
        let gx = regions.province_by_name("广西壮族自治区").unwrap();
        assert_eq!(
            department(gx, Field::Taxation),
            ("国家税务总局广西壮族自治区税务局".into(), "广西税务".into())
        );
        let sample = super::units(Scale::Sample, &regions, &mut rng);
        assert_eq!(sample.len(), 48);
        let fields: std::collections::BTreeSet<_> = sample.iter().filter_map(|u| u.field).collect();
        assert_eq!(fields.len(), 12);
    }
}

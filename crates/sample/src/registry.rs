//! The real units: the 2025 survey registry and the GB/T 2260 division codes.
//!
//! Both files are embedded (see `data/SOURCES.md`): the registry gives levels, regions, owning
//! units and the account names the report names; the codes give each unit its region code.

use govmedia_model::{Field, Level};

const REGISTRY_CSV: &str = include_str!("../data/registry-2025-sample.csv");
const AREACODES: &str = include_str!("../data/areacodes-2024.txt");

/// One administrative division.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Division {
    pub code: String,
    pub name: String,
}

impl Division {
    /// The name without its administrative suffix, as units use it in account names
    /// (广西壮族自治区 → 广西, 石家庄市 → 石家庄).
    pub(crate) fn short(&self) -> String {
        short_name(&self.name)
    }
}

pub(crate) fn short_name(name: &str) -> String {
    for (full, short) in [
        ("内蒙古自治区", "内蒙古"),
        ("广西壮族自治区", "广西"),
        ("西藏自治区", "西藏"),
        ("宁夏回族自治区", "宁夏"),
        ("新疆维吾尔自治区", "新疆"),
    ] {
        if name == full {
            return short.to_owned();
        }
    }
    for suffix in ["自治州", "自治县", "自治旗"] {
        if let Some(stem) = name.strip_suffix(suffix) {
            return place_before_ethnic_names(stem);
        }
    }
    let chars: Vec<char> = name.chars().collect();
    for suffix in ["特别行政区", "自治州", "地区", "省", "市", "盟", "县", "区"] {
        if let Some(stem) = name.strip_suffix(suffix)
            && chars.len() - suffix.chars().count() >= 2
        {
            return stem.to_owned();
        }
    }
    name.to_owned()
}

/// Ethnic groups named in the names of autonomous prefectures and counties.
const ETHNIC: &[&str] = &[
    "土家",
    "苗",
    "藏",
    "羌",
    "彝",
    "回",
    "蒙古",
    "哈萨克",
    "柯尔克孜",
    "朝鲜",
    "白",
    "哈尼",
    "傣",
    "景颇",
    "傈僳",
    "壮",
    "布依",
    "侗",
    "黎",
    "维吾尔",
    "满",
    "瑶",
    "畲",
    "水",
    "仡佬",
    "纳西",
    "普米",
    "独龙",
    "怒",
    "拉祜",
    "佤",
    "布朗",
    "德昂",
    "阿昌",
    "基诺",
    "锡伯",
    "达斡尔",
    "鄂温克",
    "鄂伦春",
    "土",
    "撒拉",
    "保安",
    "东乡",
    "裕固",
    "仫佬",
    "毛南",
    "京",
    "各",
    "塔吉克",
];

/// 恩施土家族苗族 → 恩施, 西双版纳傣族 → 西双版纳: the place before the ethnic names.
fn place_before_ethnic_names(stem: &str) -> String {
    let idx: Vec<usize> = stem.char_indices().map(|(i, _)| i).collect();
    for &i in idx.iter().skip(2) {
        let mut rest = &stem[i..];
        while let Some(r) = ETHNIC.iter().find_map(|e| rest.strip_prefix(e)) {
            rest = r.strip_prefix('族').unwrap_or(r);
        }
        if rest.is_empty() {
            return stem[..i].to_owned();
        }
    }
    // The division is named after its people alone (鄂温克族自治旗).
    stem.strip_suffix('族').unwrap_or(stem).to_owned()
}

/// The GB/T 2260 codes in force at the end of 2024.
pub(crate) struct Regions {
    pub provinces: Vec<Division>,
    pub prefectures: Vec<Division>,
    pub counties: Vec<Division>,
}

impl Regions {
    pub(crate) fn load() -> Regions {
        let mut r = Regions { provinces: Vec::new(), prefectures: Vec::new(), counties: Vec::new() };
        for line in AREACODES.lines() {
            let Some((code, name)) = line.trim().split_once(' ') else { continue };
            let d = Division { code: code.to_owned(), name: name.trim().to_owned() };
            if code.ends_with("0000") {
                // Taiwan, Hong Kong and Macao have no accounts in the survey.
                if !matches!(&code[..2], "71" | "81" | "82") {
                    r.provinces.push(d);
                }
            } else if code.ends_with("00") {
                r.prefectures.push(d);
            } else {
                r.counties.push(d);
            }
        }
        r
    }

    /// The province whose full or short name occurs in `text` (首都 means Beijing).
    pub(crate) fn province_in(&self, text: &str) -> Option<&Division> {
        if text.contains("首都") {
            return self.provinces.iter().find(|p| p.code == "110000");
        }
        self.provinces
            .iter()
            .find(|p| text.contains(&p.name))
            .or_else(|| self.provinces.iter().find(|p| text.contains(&p.short())))
    }

    pub(crate) fn province_by_name(&self, name: &str) -> Option<&Division> {
        self.provinces.iter().find(|p| p.name == name)
    }

    pub(crate) fn prefecture(&self, province: &Division, name: &str) -> Option<&Division> {
        self.prefectures.iter().find(|d| d.code[..2] == province.code[..2] && d.name == name)
    }

    /// A county-level unit named `unit` ("来安县", or "铜陵市郊区" with its prefecture in front).
    pub(crate) fn county(&self, province: &Division, unit: &str) -> Option<&Division> {
        let in_province = || self.counties.iter().filter(|d| d.code[..2] == province.code[..2]);
        let exact: Vec<&Division> = in_province().filter(|d| d.name == unit).collect();
        if exact.len() == 1 {
            return Some(exact[0]);
        }
        in_province().find(|d| {
            unit.strip_suffix(d.name.as_str()).is_some_and(|prefix| {
                !prefix.is_empty()
                    && self.prefectures.iter().any(|p| p.code[..4] == d.code[..4] && p.name == prefix)
            })
        })
    }
}

/// A unit of the survey, real (from the registry) or filled in to reach the national counts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unit {
    pub level: Level,
    pub field: Option<Field>,
    /// GB/T 2260 code, or a name when the unit has no code (新疆生产建设兵团).
    pub region: Option<String>,
    /// The province short name (for IP属地 and names).
    pub province_short: Option<String>,
    /// The division's own short name (city or county), for account names.
    pub place_short: Option<String>,
    pub owner: String,
    /// The account name when the report names it.
    pub account: Option<String>,
    /// True when the unit is in the 2025 registry.
    pub real: bool,
}

/// The keyword in an owning unit's name that tells its livelihood field.
pub(crate) fn field_keyword(f: Field) -> &'static str {
    match f {
        Field::Education => "教育",
        Field::Health => "卫生健康",
        Field::MedicalSecurity => "医疗保障",
        Field::PublicSecurity => "公安",
        Field::HumanResources => "人力资源和社会保障",
        Field::Housing => "住房和城乡建设",
        Field::MarketRegulation => "市场监督管理",
        Field::CultureTourism => "文化和旅游",
        Field::Transport => "交通运输",
        Field::Justice => "司法",
        Field::CivilAffairs => "民政",
        Field::Taxation => "税务",
    }
}

/// The registry rows as units, with region codes resolved.
pub(crate) fn registry_units(regions: &Regions) -> Vec<Unit> {
    let mut out = Vec::new();
    for line in REGISTRY_CSV.lines().skip(1) {
        let cols: Vec<&str> = line.trim_end_matches('\r').split(',').collect();
        let [level, region, unit, account] = cols[..] else { continue };
        let level: Level = level.parse().expect("registry levels are valid");
        let account = (!account.trim().is_empty()).then(|| account.trim().to_owned());
        let mut u = Unit {
            level,
            field: None,
            region: None,
            province_short: None,
            place_short: None,
            owner: unit.to_owned(),
            account,
            real: true,
        };
        match level {
            Level::Ministry | Level::Other => {}
            Level::Province | Level::ProvinceDept => {
                if unit.contains("兵团") {
                    u.region = Some("新疆生产建设兵团".to_owned());
                    u.province_short = Some("兵团".to_owned());
                } else if let Some(p) = regions.province_in(unit) {
                    u.region = Some(p.code.clone());
                    u.province_short = Some(p.short());
                }
                u.place_short = u.province_short.clone();
                if level == Level::ProvinceDept {
                    u.field = Field::ALL.into_iter().find(|f| unit.contains(field_keyword(*f)));
                }
            }
            Level::Prefecture | Level::County => {
                let p = regions.province_by_name(region).expect("registry provinces are valid");
                u.province_short = Some(p.short());
                let d = if level == Level::Prefecture {
                    regions.prefecture(p, unit.trim_end_matches("人民政府"))
                } else {
                    regions.county(p, unit)
                };
                if let Some(d) = d {
                    u.region = Some(d.code.clone());
                    u.place_short = Some(d.short());
                }
            }
        }
        out.push(u);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registry_unit_gets_its_region_code() {
        let regions = Regions::load();
        assert_eq!(regions.provinces.len(), 31);
        let units = registry_units(&regions);
        assert_eq!(units.len(), 335);
        for u in &units {
            if u.level != Level::Ministry {
                assert!(u.region.is_some(), "no region for {}", u.owner);
            }
            if u.level == Level::ProvinceDept {
                assert!(u.field.is_some(), "no field for {}", u.owner);
            }
        }
        let find = |owner: &str| units.iter().find(|u| u.owner == owner).unwrap();
        assert_eq!(find("铜陵市郊区").region.as_deref(), Some("340711"));
        assert_eq!(find("仙桃市").region.as_deref(), Some("429004"));
        assert_eq!(find("石家庄市人民政府").region.as_deref(), Some("130100"));
        assert_eq!(find("首都之窗运行管理中心").region.as_deref(), Some("110000"));
        assert_eq!(find("国家税务总局广西壮族自治区税务局").field, Some(Field::Taxation));
        assert_eq!(find("国家税务总局广西壮族自治区税务局").region.as_deref(), Some("450000"));
        assert_eq!(find("重庆市司法局").account.as_deref(), Some("巴渝法声"));
        assert_eq!(short_name("广西壮族自治区"), "广西");
        assert_eq!(short_name("锡林郭勒盟"), "锡林郭勒");
        assert_eq!(short_name("恩施土家族苗族自治州"), "恩施");
        assert_eq!(short_name("西双版纳傣族自治州"), "西双版纳");
        assert_eq!(short_name("黔西南布依族苗族自治州"), "黔西南");
        assert_eq!(short_name("博尔塔拉蒙古自治州"), "博尔塔拉");
        assert_eq!(short_name("环江毛南族自治县"), "环江");
        // Every autonomous division of 2024 keeps a place name of at least two characters.
        let regions = Regions::load();
        for d in regions.prefectures.iter().chain(&regions.counties).filter(|d| d.name.contains("自治")) {
            let s = d.short();
            assert!(s.chars().count() >= 2 && !s.contains('族'), "{} → {s}", d.name);
        }
    }
}

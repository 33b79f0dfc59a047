//! Administrative divisions (GB/T 2260): resolve a region given as a code or a name to its
//! six-digit code, and name the province of a code. Excellent lists are printed in code
//! order, as the national survey lists them. Data: yescallop/areacodes 2024 (CC0, see
//! `data/SOURCES.md`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

const AREACODES: &str = include_str!("../data/areacodes-2024.txt");

struct Table {
    by_code: BTreeMap<String, String>,
    /// Names in code order, for name lookups.
    names: Vec<(String, String)>,
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let mut by_code = BTreeMap::new();
        let mut names = Vec::new();
        for line in AREACODES.lines() {
            if let Some((code, name)) = line.trim().split_once(' ') {
                by_code.insert(code.to_owned(), name.trim().to_owned());
                names.push((code.to_owned(), name.trim().to_owned()));
            }
        }
        Table { by_code, names }
    })
}

fn is_code(s: &str) -> bool {
    s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The six-digit code of a region given as a code or a name (`上海市`, `上海`, `成都市`);
/// provinces win over prefectures and counties for an ambiguous short name.
pub fn resolve(region: &str) -> Option<String> {
    let r = region.trim();
    if r.is_empty() {
        return None;
    }
    if is_code(r) {
        return Some(r.to_owned());
    }
    let t = table();
    let exact = t.names.iter().find(|(_, n)| n == r);
    let prefix =
        || t.names.iter().find(|(_, n)| n.starts_with(r) && n.chars().count() <= r.chars().count() + 3);
    exact.or_else(prefix).map(|(c, _)| c.clone())
}

/// The name of a code, when known.
pub fn name(code: &str) -> Option<&'static str> {
    table().by_code.get(code).map(String::as_str)
}

/// The province-level code of a code (`310101` → `310000`).
pub fn province_of(code: &str) -> Option<String> {
    is_code(code).then(|| format!("{}0000", &code[..2]))
}

/// Whether the region `scope` (a code or a name) covers `region` (an account's code or
/// name): a province covers its prefectures and counties, a prefecture its counties
/// (`440000` covers `440106`; `440100` covers `440106` but not `440300`).
pub fn covers(scope: &str, region: &str) -> bool {
    let (Some(scope), Some(region)) = (resolve(scope), resolve(region)) else { return false };
    let mut prefix = scope.as_str();
    while prefix.len() > 2 && prefix.ends_with("00") {
        prefix = &prefix[..prefix.len() - 2];
    }
    region.starts_with(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names() {
        assert_eq!(resolve("310000").as_deref(), Some("310000"));
        assert_eq!(resolve("上海市").as_deref(), Some("310000"));
        assert_eq!(resolve("上海").as_deref(), Some("310000"));
        assert_eq!(resolve("成都市").as_deref(), Some("510100"));
        assert_eq!(resolve("不存在的地方"), None);
        assert_eq!(name("440000"), Some("广东省"));
        assert_eq!(province_of("440106").as_deref(), Some("440000"));
    }

    #[test]
    fn a_region_covers_the_regions_within_it() {
        assert!(covers("440000", "440106"));
        assert!(covers("广东省", "440100"));
        assert!(covers("440100", "440106"));
        assert!(!covers("440100", "440300"));
        assert!(!covers("440106", "440100"));
        assert!(!covers("310000", "440106"));
        assert!(covers("110000", "北京市"));
        assert!(!covers("不存在的地方", "440106"));
    }
}

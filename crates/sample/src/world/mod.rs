//! The seeded evaluation world: a survey in which every finding code is planted at known
//! accounts, beside look-alike clean cases, so that each code's precision and recall can be
//! measured (`govmedia generate --scale world`, then `govmedia measure`).
//!
//! Every account of the world is a clean county-government account (real division names from
//! GB/T 2260; regular publishing, a complete menu whose pages work, answered comments,
//! verified, listed, a user-oriented introduction) changed by exactly one case of
//! `data/world-cases.toml`. The cases are data written from the inspection rules and the
//! survey's indicator definitions, not from the checks: a planted case says which codes it
//! must raise (`planted`), a near-miss says which code it resembles (`near_miss`) and must
//! raise nothing. Both lists are written on the account record, so the dataset carries its own
//! truth. A clean account raises no code; any code found where none is expected is a false
//! alarm of that code.

mod baseline;
mod cases;

use std::collections::BTreeSet;

use govmedia_model::{Period, SurveyConfig};
use serde_json::Value;

use crate::registry::Regions;
use crate::rng::Rng;
use crate::{Dataset, Scale};

pub(crate) use baseline::{CHECK_DATE, PERIOD_FROM, PERIOD_TO};

/// Builds the world from `seed`; the same seed gives the same bytes.
pub(crate) fn generate(seed: u64) -> Dataset {
    let regions = Regions::load();
    let places = baseline::places(&regions);
    let cases = cases::load();
    let mut world = baseline::World::new();
    let mut rng = Rng::new(seed, "world-cases");
    let mut next_place = places.iter();
    // Clean accounts with no case: their findings are false alarms of whatever code they raise.
    let clean = 20;
    for _ in 0..clean {
        let place = next_place.next().expect("enough places for the world");
        world.account(place, &mut rng);
    }
    for case in &cases {
        for k in 0..case.times {
            let place = next_place.next().expect("enough places for the world");
            let fill = cases::Fill::new(place, k, &mut rng);
            case.apply(&mut world, place, &fill, &mut rng);
        }
    }
    world.finish(Dataset {
        scale: Scale::World,
        seed,
        config: SurveyConfig {
            name: Some("问题识别准确率评测世界（生成数据）".to_owned()),
            period: Some(Period { from: PERIOD_FROM, to: PERIOD_TO }),
            check_date: Some(CHECK_DATE),
            framework: Some("ccid-2025".to_owned()),
            generated: Some(true),
        },
        accounts: Vec::new(),
        articles: Vec::new(),
        menus: Vec::new(),
        events: Vec::new(),
        pages: Vec::new(),
        page_files: Vec::new(),
    })
}

/// The truth an account record carries: the codes planted at it and the codes its case
/// resembles without having them.
pub fn truth(account: &Value) -> (BTreeSet<String>, BTreeSet<String>) {
    let list = |key: &str| -> BTreeSet<String> {
        account
            .get(key)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default()
    };
    (list("planted"), list("near_miss"))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use govmedia_model::FindingCode;

    use super::*;
    use crate::measure::NOT_PLANTED;

    #[test]
    fn every_code_is_planted_ten_times_or_said_why_not() {
        let ds = generate(crate::DEFAULT_SEED);
        let mut planted: BTreeMap<String, usize> = BTreeMap::new();
        for a in &ds.accounts {
            let record = serde_json::to_value(a).unwrap();
            let (p, near) = truth(&record);
            for code in p.iter().chain(&near) {
                code.parse::<FindingCode>().unwrap_or_else(|_| panic!("unknown code {code}"));
            }
            for code in p {
                *planted.entry(code).or_default() += 1;
            }
        }
        for code in FindingCode::ALL {
            let n = planted.get(code.as_str()).copied().unwrap_or(0);
            let excused = NOT_PLANTED.iter().any(|(c, _)| *c == code.as_str());
            assert!(n >= 10 || excused, "{code} planted {n} times");
        }
        // Account names are unique: no two units of the world share one by accident.
        let names: std::collections::BTreeSet<&str> = ds.accounts.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names.len(), ds.accounts.len());
    }

    #[test]
    fn the_same_seed_gives_the_same_world() {
        assert_eq!(generate(7), generate(7));
    }
}

//! Major events of 2025 against which timeliness is judged.
//!
//! The events are public 2025 happenings (an earthquake, the government work report, a
//! mosquito-borne outbreak, a rainstorm, a typhoon); their times are approximate and the list
//! is hand-picked, so the records are marked as generated.

use govmedia_model::{Event, EventKind, EventScope, time::parse_time};

/// One event and how an account answers it.
pub(crate) struct EventSpec {
    pub id: &'static str,
    pub title: &'static str,
    pub kind: EventKind,
    pub occurred_at: &'static str,
    /// Province codes in scope; empty = national.
    pub provinces: &'static [&'static str],
    pub keywords: &'static [&'static str],
    /// Title of a response article; `{place}` is the account's place.
    pub response_title: &'static str,
}

pub(crate) const EVENTS: &[EventSpec] = &[
    EventSpec {
        id: "2025-01-dingri-earthquake",
        title: "西藏日喀则市定日县6.8级地震",
        kind: EventKind::NaturalDisaster,
        occurred_at: "2025-01-07T09:05:00+08:00",
        provinces: &["540000"],
        keywords: &["定日", "地震", "抗震救灾"],
        response_title: "{place}全力做好定日地震抗震救灾工作",
    },
    EventSpec {
        id: "2025-03-government-work-report",
        title: "2025年《政府工作报告》发布",
        kind: EventKind::MajorDecision,
        occurred_at: "2025-03-05T09:00:00+08:00",
        provinces: &[],
        keywords: &["政府工作报告", "全国两会"],
        response_title: "一图读懂2025年政府工作报告｜{place}这样落实",
    },
    EventSpec {
        id: "2025-07-chikungunya",
        title: "广东佛山基孔肯雅热疫情",
        kind: EventKind::PublicHealth,
        occurred_at: "2025-07-16T10:00:00+08:00",
        provinces: &["440000"],
        keywords: &["基孔肯雅热", "防蚊灭蚊"],
        response_title: "{place}提醒：科学防蚊灭蚊，预防基孔肯雅热",
    },
    EventSpec {
        id: "2025-07-north-china-rainstorm",
        title: "京冀等地强降雨",
        kind: EventKind::NaturalDisaster,
        occurred_at: "2025-07-28T06:00:00+08:00",
        provinces: &["110000", "130000"],
        keywords: &["强降雨", "防汛"],
        response_title: "{place}全力应对强降雨，防汛救灾工作有序开展",
    },
    EventSpec {
        id: "2025-09-typhoon-ragasa",
        title: "台风“桦加沙”登陆广东",
        kind: EventKind::NaturalDisaster,
        occurred_at: "2025-09-24T17:00:00+08:00",
        provinces: &["440000", "450000", "460000"],
        keywords: &["桦加沙", "台风", "防风"],
        response_title: "{place}防御台风“桦加沙”最新情况",
    },
];

impl EventSpec {
    pub(crate) fn event(&self) -> Event {
        Event {
            id: self.id.to_owned(),
            title: self.title.to_owned(),
            kind: self.kind,
            occurred_at: parse_time("occurred_at", self.occurred_at).expect("valid event time"),
            scope: if self.provinces.is_empty() {
                EventScope::National("national".to_owned())
            } else {
                EventScope::Regions(self.provinces.iter().map(|p| (*p).to_owned()).collect())
            },
            keywords: self.keywords.iter().map(|k| (*k).to_owned()).collect(),
        }
    }

    /// True when an account of `region` (a GB/T 2260 code; None for ministries) is expected
    /// to respond.
    pub(crate) fn in_scope(&self, region: Option<&str>) -> bool {
        self.provinces.is_empty()
            || region.is_some_and(|r| r.len() == 6 && self.provinces.iter().any(|p| p[..2] == r[..2]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes() {
        let quake = &EVENTS[0];
        assert!(quake.in_scope(Some("540102")));
        assert!(!quake.in_scope(Some("440100")));
        assert!(!quake.in_scope(None));
        assert!(EVENTS[1].in_scope(None));
        assert!(EVENTS[1].event().scope.is_national());
        assert!(EVENTS.iter().all(|e| !e.event().keywords.is_empty()));
    }
}

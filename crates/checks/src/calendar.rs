//! The official working-day calendar (工作日): weekdays, minus State Council holidays, plus
//! make-up workdays (调休上班) on weekends.
//!
//! Rules that count working days (reply within one working day, unanswered for N working
//! days) use this. The data is holiday-cn (MIT, `data/holiday-cn/SOURCES.md`), embedded so an
//! evaluation never depends on files at run time. Years outside the embedded range fall back
//! to the Monday–Friday rule; [`WorkCalendar::covers`] says whether a date is in range.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{Datelike, Days, NaiveDate, Weekday};

macro_rules! years {
    ($($y:literal),+) => { &[$(($y, include_str!(concat!("../data/holiday-cn/", $y, ".json")))),+] };
}

const YEARS: &[(&str, &str)] = years!(
    "2007", "2008", "2009", "2010", "2011", "2012", "2013", "2014", "2015", "2016", "2017", "2018", "2019",
    "2020", "2021", "2022", "2023", "2024", "2025", "2026", "2027"
);

/// A working-day calendar: exceptions to the Monday–Friday rule.
#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    /// date → is a day off
    exceptions: HashMap<NaiveDate, bool>,
    first_year: i32,
    last_year: i32,
}

impl WorkCalendar {
    /// The embedded official calendar, parsed once.
    pub fn official() -> &'static WorkCalendar {
        static CAL: OnceLock<WorkCalendar> = OnceLock::new();
        CAL.get_or_init(|| {
            let mut cal = WorkCalendar { first_year: i32::MAX, last_year: i32::MIN, ..Default::default() };
            for (year, text) in YEARS {
                cal.add_year_json(text).unwrap_or_else(|e| panic!("embedded holiday-cn {year}.json: {e}"));
            }
            cal
        })
    }

    /// Adds one holiday-cn year file (`{"year": 2025, "days": [{"date", "isOffDay"}]}`).
    pub fn add_year_json(&mut self, text: &str) -> Result<(), String> {
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let year = v["year"].as_i64().ok_or("missing year")? as i32;
        for d in v["days"].as_array().ok_or("missing days")? {
            let date = d["date"].as_str().ok_or("missing date")?;
            let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|e| format!("{date}: {e}"))?;
            let off = d["isOffDay"].as_bool().ok_or("missing isOffDay")?;
            self.exceptions.insert(date, off);
        }
        self.first_year = self.first_year.min(year);
        self.last_year = self.last_year.max(year);
        Ok(())
    }

    /// True when the calendar has official data for the date's year.
    pub fn covers(&self, d: NaiveDate) -> bool {
        (self.first_year..=self.last_year).contains(&d.year())
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.exceptions.get(&d) {
            Some(off) => !off,
            None => !matches!(d.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The first working day strictly after `d`.
    pub fn next_working_day(&self, d: NaiveDate) -> NaiveDate {
        let mut x = d + Days::new(1);
        while !self.is_working_day(x) {
            x = x + Days::new(1);
        }
        x
    }

    /// The `n`-th working day strictly after `d` (`n = 0` gives `d`).
    pub fn add_working_days(&self, d: NaiveDate, n: u32) -> NaiveDate {
        (0..n).fold(d, |x, _| self.next_working_day(x))
    }

    /// Working days in `(from, to]`: how many working days have passed from `from` to `to`.
    pub fn working_days_after(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut n = 0;
        let mut x = from;
        while x < to {
            x = x + Days::new(1);
            if self.is_working_day(x) {
                n += 1;
            }
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn holidays_and_make_up_workdays() {
        let c = WorkCalendar::official();
        assert!(c.covers(d("2025-06-01")) && c.covers(d("2007-01-01")) && !c.covers(d("2030-01-01")));
        // 2025 Spring Festival: 1-28 … 2-04 off, Sunday 1-26 and Saturday 2-08 are workdays.
        assert!(!c.is_working_day(d("2025-01-29")));
        assert!(c.is_working_day(d("2025-01-26")));
        assert!(c.is_working_day(d("2025-02-08")));
        assert!(!c.is_working_day(d("2025-02-09")));
        assert!(c.is_working_day(d("2025-02-05")));
        // National Day 2021: 10-01 … 10-07 off; Saturday 10-09 is a workday.
        assert_eq!(c.next_working_day(d("2021-09-30")), d("2021-10-08"));
        assert_eq!(c.next_working_day(d("2021-10-08")), d("2021-10-09"));
        assert_eq!(c.add_working_days(d("2021-09-30"), 2), d("2021-10-09"));
        assert_eq!(c.working_days_after(d("2021-09-30"), d("2021-10-11")), 3);
        // Outside the data: Monday–Friday.
        assert!(c.is_working_day(d("2030-01-07")) && !c.is_working_day(d("2030-01-05")));
    }
}

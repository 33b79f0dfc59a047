//! Times as the contract defines them: RFC 3339, a time without an offset is Asia/Shanghai.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};

use crate::FieldError;

/// A point in time with the offset it was given in. Stored as Unix seconds.
pub type Timestamp = DateTime<FixedOffset>;

/// China Standard Time. Asia/Shanghai has had no daylight saving since 1991, so a fixed
/// +08:00 offset is exact for every date the surveys cover.
pub fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("valid offset")
}

/// The years a time may fall in. Government accounts date from the 2010s; anything outside
/// is a typo or a hostile value (years like −200000 make date arithmetic crawl, and a time
/// SQLite cannot give back would break every later run).
pub const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// Parses an RFC 3339 time; a time without an offset (`2025-03-01T08:00:00` or
/// `2025-03-01 08:00:00`) or a bare date is taken as Asia/Shanghai. Years outside [`YEARS`]
/// are refused.
pub fn parse_time(field: &str, s: &str) -> Result<Timestamp, FieldError> {
    let s = s.trim();
    let parsed = DateTime::parse_from_rfc3339(s).ok().or_else(|| {
        ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
            .iter()
            .find_map(|fmt| NaiveDateTime::parse_from_str(s, fmt).ok())
            .or_else(|| {
                NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .ok()
                    .map(|d| d.and_hms_opt(0, 0, 0).expect("midnight"))
            })
            .map(from_naive)
    });
    match parsed {
        Some(t) => in_range(field, t.date_naive()).map(|_| t),
        None => Err(FieldError::new(
            field,
            format!("无法解析的时间“{s}”（应为 RFC 3339，如 2025-03-01T08:00:00+08:00）"),
        )),
    }
}

/// Parses a `YYYY-MM-DD` date (years in [`YEARS`]).
pub fn parse_date(field: &str, s: &str) -> Result<NaiveDate, FieldError> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| FieldError::new(field, format!("无法解析的日期“{s}”（应为 YYYY-MM-DD）")))?;
    in_range(field, d).map(|_| d)
}

/// Refuses a date whose year is outside [`YEARS`].
pub fn in_range(field: &str, d: NaiveDate) -> Result<(), FieldError> {
    if YEARS.contains(&d.year()) {
        return Ok(());
    }
    Err(FieldError::new(
        field,
        format!("时间“{d}”超出允许范围（年份应在 {}–{} 之间）", YEARS.start(), YEARS.end()),
    ))
}

/// Interprets a naive local time as Asia/Shanghai.
pub fn from_naive(n: NaiveDateTime) -> Timestamp {
    shanghai().from_local_datetime(&n).single().expect("fixed offsets are unambiguous")
}

/// A Unix time in seconds, shown in Asia/Shanghai; none outside [`YEARS`].
pub fn from_unix(secs: i64) -> Option<Timestamp> {
    shanghai().timestamp_opt(secs, 0).single().filter(|t| YEARS.contains(&t.year()))
}

/// Midnight at the start of `date` in Asia/Shanghai.
pub fn start_of_day(date: NaiveDate) -> Timestamp {
    from_naive(date.and_hms_opt(0, 0, 0).expect("midnight"))
}

/// The calendar date of `t` in Asia/Shanghai.
pub fn local_date(t: &Timestamp) -> NaiveDate {
    t.with_timezone(&shanghai()).date_naive()
}

/// Serde for [`Timestamp`] fields that accepts what [`parse_time`] accepts and writes RFC 3339.
pub mod flexible {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::Timestamp;

    pub fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.to_rfc3339())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        super::parse_time("", &s).map_err(|e| serde::de::Error::custom(e.reason))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naive_times_are_shanghai() {
        let t = parse_time("published_at", "2025-03-01 08:00:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2025-03-01T08:00:00+08:00");
        let u = parse_time("published_at", "2025-03-01T00:00:00Z").unwrap();
        assert_eq!(u.timestamp(), t.timestamp());
        assert_eq!(parse_time("x", "2025-03-01").unwrap().to_rfc3339(), "2025-03-01T00:00:00+08:00");
        assert!(
            parse_time("published_at", "yesterday").unwrap_err().to_string().starts_with("published_at: ")
        );
    }

    #[test]
    fn years_outside_the_range_are_refused() {
        for s in ["-0001-01-01 00:00:00", "+10000-01-01T00:00:00", "1989-12-31", "2101-01-01T00:00:00+08:00"]
        {
            let e = parse_time("created_at", s).unwrap_err();
            assert!(e.reason.contains("超出允许范围"), "{s}: {e}");
        }
        assert!(parse_time("t", "-200000-01-01T00:00:00+08:00").is_err());
        assert!(parse_date("period.from", "0001-01-01").is_err());
        assert!(from_unix(-62_000_000_000).is_none());
        assert!(parse_time("t", "1990-01-01").is_ok() && parse_time("t", "2100-12-31T23:59:59Z").is_ok());
    }
}

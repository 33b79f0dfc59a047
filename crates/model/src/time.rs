//! Times as the contract defines them: RFC 3339, a time without an offset is Asia/Shanghai.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};

use crate::FieldError;

/// A point in time with the offset it was given in. Stored as Unix seconds.
pub type Timestamp = DateTime<FixedOffset>;

/// China Standard Time. Asia/Shanghai has had no daylight saving since 1991, so a fixed
/// +08:00 offset is exact for every date the surveys cover.
pub fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("valid offset")
}

/// Parses an RFC 3339 time; a time without an offset (`2025-03-01T08:00:00` or
/// `2025-03-01 08:00:00`) or a bare date is taken as Asia/Shanghai.
pub fn parse_time(field: &str, s: &str) -> Result<Timestamp, FieldError> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t);
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, fmt) {
            return Ok(from_naive(n));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(from_naive(d.and_hms_opt(0, 0, 0).expect("midnight")));
    }
    Err(FieldError::new(field, format!("无法解析的时间“{s}”（应为 RFC 3339，如 2025-03-01T08:00:00+08:00）")))
}

/// Parses a `YYYY-MM-DD` date.
pub fn parse_date(field: &str, s: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| FieldError::new(field, format!("无法解析的日期“{s}”（应为 YYYY-MM-DD）")))
}

/// Interprets a naive local time as Asia/Shanghai.
pub fn from_naive(n: NaiveDateTime) -> Timestamp {
    shanghai().from_local_datetime(&n).single().expect("fixed offsets are unambiguous")
}

/// A Unix time in seconds, shown in Asia/Shanghai.
pub fn from_unix(secs: i64) -> Option<Timestamp> {
    shanghai().timestamp_opt(secs, 0).single()
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
}

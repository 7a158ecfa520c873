//! Dates and the clock, in Vietnam's time (Asia/Ho_Chi_Minh, UTC+7 all
//! year: no daylight saving since 1975). The only place the program asks
//! what day or year it is; rules take the day as an argument, so they stay
//! testable.
//!
//! Dates are stored and sent as ISO `YYYY-MM-DD` and shown as `d/m/yyyy`.

use time::macros::{format_description, offset};
use time::{Date, OffsetDateTime, UtcOffset};

/// Vietnam's offset from UTC.
pub const VIETNAM: UtcOffset = offset!(+7);

/// Earliest and latest year any date of the programme may carry.
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2200;

/// Now, in Vietnam.
pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc().to_offset(VIETNAM)
}

/// Today's date in Vietnam.
pub fn today() -> Date {
    now().date()
}

/// This year in Vietnam (a new year starts at midnight in Hà Nội, not in UTC).
/// The day (in Vietnam) of a time in ms since the epoch (today if out of range).
pub fn date_of_ms(ms: i64) -> Date {
    OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000).map(|t| t.to_offset(VIETNAM).date()).unwrap_or_else(|_| today())
}

pub fn current_year() -> i64 {
    today().year() as i64
}

/// Today as `YYYY-MM-DD`.
pub fn today_iso() -> String {
    iso(today())
}

/// Milliseconds since the Unix epoch, the unit of every stored timestamp.
pub fn now_ms() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// A date typed as `YYYY-MM-DD` (a real day, years 1900–2200), or `None`.
pub fn parse_iso(s: &str) -> Option<Date> {
    let s = s.trim();
    // time accepts only 4-digit years here, but also signs; insist on the shape.
    if s.len() != 10 || !s.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() }) {
        return None;
    }
    let d = Date::parse(s, format_description!("[year]-[month]-[day]")).ok()?;
    (FIRST_YEAR..=LAST_YEAR).contains(&d.year()).then_some(d)
}

/// A date typed by a person: ISO `YYYY-MM-DD`, or the Vietnamese `d/m/yyyy`
/// (also with `-` or `.`), or `None`.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if let Some(d) = parse_iso(s) {
        return Some(d);
    }
    let parts: Vec<&str> = s.split(['/', '-', '.']).collect();
    let [d, m, y] = parts.as_slice() else { return None };
    if y.len() != 4 || d.is_empty() || d.len() > 2 || m.is_empty() || m.len() > 2 {
        return None;
    }
    let (d, m, y) = (d.parse::<u8>().ok()?, m.parse::<u8>().ok()?, y.parse::<i32>().ok()?);
    let date = Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok()?;
    (FIRST_YEAR..=LAST_YEAR).contains(&date.year()).then_some(date)
}

/// A moment typed in Vietnam's time as `YYYY-MM-DDTHH:MM` (a
/// `datetime-local` field) or `YYYY-MM-DD HH:MM`, in ms since the epoch.
pub fn parse_local_minute(s: &str) -> Option<i64> {
    let s = s.trim();
    let (day, hm) = s.split_once(['T', ' '])?;
    let date = parse_date(day)?;
    let (h, m) = hm.split_once(':')?;
    let (h, m) = (h.parse::<u8>().ok()?, m.get(..2)?.parse::<u8>().ok()?);
    let at = date.with_hms(h, m, 0).ok()?.assume_offset(VIETNAM);
    Some((at.unix_timestamp_nanos() / 1_000_000) as i64)
}

/// `2023-07-03`.
pub fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

/// `2023-07-03` → `3/7/2023`; anything that is not an ISO date is returned as it is.
pub fn iso_to_vn(s: &str) -> String {
    match parse_iso(s) {
        Some(d) => format!("{}/{}/{}", d.day(), d.month() as u8, d.year()),
        None => s.to_string(),
    }
}

/// A stored timestamp as `25/11/2026 14:05`, Vietnam time.
pub fn datetime_vn(ms: i64) -> String {
    let Ok(t) = OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000) else { return String::new() };
    let t = t.to_offset(VIETNAM);
    format!("{:02}/{:02}/{} {:02}:{:02}", t.day(), t.month() as u8, t.year(), t.hour(), t.minute())
}

/// The timestamp (ms) of the first, or with `end` the last, millisecond of
/// a Vietnamese day typed as `YYYY-MM-DD`.
pub fn day_bounds_ms(iso_day: &str, end: bool) -> Option<i64> {
    let d = parse_iso(iso_day)?;
    let t = if end { time::Time::from_hms_milli(23, 59, 59, 999).ok()? } else { time::Time::MIDNIGHT };
    let dt = time::PrimitiveDateTime::new(d, t).assume_offset(VIETNAM);
    Some((dt.unix_timestamp_nanos() / 1_000_000) as i64)
}

/// The year of a stored timestamp, in Vietnam.
pub fn year_of_ms(ms: i64) -> Option<i64> {
    let t = OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000).ok()?;
    Some(t.to_offset(VIETNAM).year() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_minutes() {
        // 07:00 in Hà Nội is midnight UTC.
        assert_eq!(parse_local_minute("2026-01-01T07:00"), Some(1_767_225_600_000));
        assert_eq!(parse_local_minute("01/01/2026 07:00"), Some(1_767_225_600_000));
        assert_eq!(parse_local_minute("2026-01-01T25:00"), None);
        assert_eq!(parse_local_minute("mai"), None);
    }

    #[test]
    fn iso_dates() {
        assert_eq!(parse_iso("2024-02-29").map(iso).as_deref(), Some("2024-02-29"));
        for bad in ["2023-02-29", "2023-13-01", "20/11/2023", "2023-1-01", "+2023-01-01", "1899-12-31", "2201-01-01", "", "abcd-ef-gh"] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn typed_dates() {
        assert_eq!(parse_date("3/7/2023").map(iso).as_deref(), Some("2023-07-03"));
        assert_eq!(parse_date("03.07.2023").map(iso).as_deref(), Some("2023-07-03"));
        assert_eq!(parse_date("2023-07-03").map(iso).as_deref(), Some("2023-07-03"));
        assert_eq!(parse_date("31/2/2023"), None);
        assert_eq!(parse_date("1/1/23"), None);
        assert_eq!(iso_to_vn("2023-07-03"), "3/7/2023");
        assert_eq!(iso_to_vn("không"), "không");
    }

    #[test]
    fn the_year_turns_at_midnight_in_ha_noi() {
        // 2025-12-31T17:00:00Z is 00:00 on 1 January 2026 in Hà Nội.
        let ms = 1_767_200_400_000;
        assert_eq!(year_of_ms(ms), Some(2026));
        assert_eq!(year_of_ms(ms - 1), Some(2025));
        assert_eq!(datetime_vn(ms), "01/01/2026 00:00");
        assert_eq!(day_bounds_ms("2026-01-01", false), Some(ms));
        assert_eq!(day_bounds_ms("2025-12-31", true), Some(ms - 1));
    }
}

//! Times as the user reads them: in their time zone, with the zone named. The domain never
//! reads a clock or a zone: the browser passes its UTC offset for the instant shown (which
//! follows daylight saving time), so the same instant formats the same way everywhere.
//!
//! The words are written here rather than with chrono's `format`: its format-string machinery
//! would be the only reason to ship it in the app's first load (the dashboard shows dates).

use chrono::{DateTime, Datelike, FixedOffset, Offset, Timelike, Utc};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `t` in the zone `east_minutes` east of UTC: "Nov 28, 2026, 16:30 (UTC+05:30)". An offset
/// beyond ±24 hours (not a zone) shows UTC.
pub fn local_time(t: DateTime<Utc>, east_minutes: i32) -> String {
    let local = in_zone(t, east_minutes);
    format!(
        "{}, {:02}:{:02} ({})",
        date_words(&local),
        local.hour(),
        local.minute(),
        zone_name(east_minutes)
    )
}

/// `t` in that zone to the second, for records read step by step (the Tester's runs and
/// steps, SCIM runs): "Nov 28, 2026, 16:30:05 (UTC+05:30)".
pub fn local_time_seconds(t: DateTime<Utc>, east_minutes: i32) -> String {
    format!(
        "{} ({})",
        in_zone(t, east_minutes).format("%b %-d, %Y, %H:%M:%S"),
        zone_name(east_minutes)
    )
}

/// The date of `t` in that zone: "Nov 28, 2026" (a list's column; the zone decides the day).
pub fn local_date(t: DateTime<Utc>, east_minutes: i32) -> String {
    date_words(&in_zone(t, east_minutes))
}

/// "Nov 8, 2026": the month's short name, the day without padding, the year in four digits
/// (with its sign beyond 0–9999), as chrono's `%b %-d, %Y`.
fn date_words(d: &DateTime<FixedOffset>) -> String {
    let month = MONTHS[d.month0() as usize % 12];
    let year = d.year();
    if (0..=9999).contains(&year) {
        format!("{month} {}, {year:04}", d.day())
    } else {
        format!("{month} {}, {year:+}", d.day())
    }
}

/// The zone's name from its offset: "UTC", "UTC+05:30", "UTC-08:00".
pub fn zone_name(east_minutes: i32) -> String {
    let minutes = if offset(east_minutes).is_some() {
        east_minutes
    } else {
        0
    };
    if minutes == 0 {
        return "UTC".into();
    }
    let sign = if minutes < 0 { '-' } else { '+' };
    let m = minutes.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", m / 60, m % 60)
}

fn offset(east_minutes: i32) -> Option<FixedOffset> {
    east_minutes.checked_mul(60).and_then(FixedOffset::east_opt)
}

fn in_zone(t: DateTime<Utc>, east_minutes: i32) -> DateTime<FixedOffset> {
    t.with_timezone(&offset(east_minutes).unwrap_or_else(|| Utc.fix()))
}

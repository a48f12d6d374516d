//! Times as the user reads them: in their time zone, with the zone named. The domain never
//! reads a clock or a zone: the browser passes its UTC offset for the instant shown (which
//! follows daylight saving time), so the same instant formats the same way everywhere.

use chrono::{DateTime, FixedOffset, Offset, Utc};

/// `t` in the zone `east_minutes` east of UTC: "Nov 28, 2026, 16:30 (UTC+05:30)". An offset
/// beyond ±24 hours (not a zone) shows UTC.
pub fn local_time(t: DateTime<Utc>, east_minutes: i32) -> String {
    format!(
        "{} ({})",
        in_zone(t, east_minutes).format("%b %-d, %Y, %H:%M"),
        zone_name(east_minutes)
    )
}

/// The date of `t` in that zone: "Nov 28, 2026" (a list's column; the zone decides the day).
pub fn local_date(t: DateTime<Utc>, east_minutes: i32) -> String {
    in_zone(t, east_minutes).format("%b %-d, %Y").to_string()
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

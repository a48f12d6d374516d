//! A time as the user reads it: in the browser's time zone, with the zone named
//! (`domain::time`); the machine-readable instant stays in `datetime`.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::domain::time::{local_date, local_time, local_time_seconds};

/// The browser's offset east of UTC, in minutes, at the instant `t` (daylight saving time
/// included).
pub fn browser_offset(t: DateTime<Utc>) -> i32 {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(t.timestamp_millis() as f64));
    -(date.get_timezone_offset() as i32)
}

/// `t` in the user's zone: "Nov 28, 2026, 16:30 (UTC+05:30)".
pub fn local(t: DateTime<Utc>) -> String {
    local_time(t, browser_offset(t))
}

/// `t` in the user's zone to the second: "Nov 28, 2026, 16:30:05 (UTC+05:30)".
pub fn local_seconds(t: DateTime<Utc>) -> String {
    local_time_seconds(t, browser_offset(t))
}

/// `<time>` with the instant in the user's zone; `date_only` shows the day in that zone.
#[component]
pub fn LocalTime(at: DateTime<Utc>, #[prop(optional)] date_only: bool) -> impl IntoView {
    let offset = browser_offset(at);
    let text = if date_only {
        local_date(at, offset)
    } else {
        local_time(at, offset)
    };
    view! { <time datetime=at.to_rfc3339()>{text}</time> }
}

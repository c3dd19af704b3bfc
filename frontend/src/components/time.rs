//! Times as the app shows them. Formatted here from the date's fields instead of with chrono's
//! `format`: its format-string engine is a part of the web app's download that four fixed
//! layouts do not need.

use chrono::{DateTime, Datelike as _, Timelike as _, Utc};
use leptos::prelude::*;

/// "3 years ago", with the exact time on hover.
#[component]
pub fn RelativeTime(at: DateTime<Utc>) -> impl IntoView {
    let now_ms = js_sys::Date::now();
    let seconds = ((now_ms / 1000.0) as i64 - at.timestamp()).max(0);
    let exact = date_time(at);
    let machine = format!(
        "{}T{:02}:{:02}:{:02}Z",
        date(at),
        at.hour(),
        at.minute(),
        at.second()
    );
    view! {
        <time datetime=machine title=exact>
            {relative(seconds)}
        </time>
    }
}

fn relative(seconds: i64) -> String {
    const UNITS: [(i64, &str); 6] = [
        (365 * 24 * 3600, "year"),
        (30 * 24 * 3600, "month"),
        (7 * 24 * 3600, "week"),
        (24 * 3600, "day"),
        (3600, "hour"),
        (60, "minute"),
    ];
    for (size, name) in UNITS {
        let n = seconds / size;
        if n >= 1 {
            let plural = if n == 1 { "" } else { "s" };
            return format!("{n} {name}{plural} ago");
        }
    }
    "just now".to_owned()
}

/// "2024-03-05".
pub fn date(at: DateTime<Utc>) -> String {
    format!("{:04}-{:02}-{:02}", at.year(), at.month(), at.day())
}

/// "2024-03-05 14:07 UTC".
pub fn date_time(at: DateTime<Utc>) -> String {
    format!("{} {:02}:{:02} UTC", date(at), at.hour(), at.minute())
}

/// "5 March 2024".
pub fn long_date(at: DateTime<Utc>) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = MONTHS[at.month0() as usize % 12];
    format!("{} {month} {}", at.day(), at.year())
}

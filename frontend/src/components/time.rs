use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// "3 years ago", with the exact time on hover.
#[component]
pub fn RelativeTime(at: DateTime<Utc>) -> impl IntoView {
    let now_ms = js_sys::Date::now();
    let seconds = ((now_ms / 1000.0) as i64 - at.timestamp()).max(0);
    let exact = at.format("%Y-%m-%d %H:%M UTC").to_string();
    view! {
        <time datetime=at.to_rfc3339() title=exact>
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

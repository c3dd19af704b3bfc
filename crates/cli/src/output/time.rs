//! Relative dates: "just now", "5 minutes ago", "3 days ago".

use chrono::{DateTime, Utc};

/// How long ago `then` was, seen from `now`, in the largest fitting unit.
pub fn ago_from(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (now - then).num_seconds();
    if seconds < 0 {
        // Clocks differ a little between machines: a moment in the future is "just now".
        return if seconds > -60 {
            "just now".to_owned()
        } else {
            then.format("%Y-%m-%d").to_string()
        };
    }
    const MINUTE: i64 = 60;
    const HOUR: i64 = 60 * MINUTE;
    const DAY: i64 = 24 * HOUR;
    const MONTH: i64 = 30 * DAY;
    const YEAR: i64 = 365 * DAY;
    let (count, unit) = match seconds {
        s if s < 45 => return "just now".to_owned(),
        s if s < HOUR => ((s + 30) / MINUTE, "minute"),
        s if s < DAY => (s / HOUR, "hour"),
        s if s < 2 * DAY => return "yesterday".to_owned(),
        s if s < MONTH => (s / DAY, "day"),
        s if s < YEAR => (s / MONTH, "month"),
        s => (s / YEAR, "year"),
    };
    let count = count.max(1);
    let plural = if count == 1 { "" } else { "s" };
    format!("{count} {unit}{plural} ago")
}

/// How long ago `then` was.
pub fn ago(then: DateTime<Utc>) -> String {
    ago_from(then, Utc::now())
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    #[test]
    fn durations_read_in_their_largest_unit() {
        let now = Utc::now();
        for (before, want) in [
            (Duration::seconds(5), "just now"),
            (Duration::seconds(-20), "just now"),
            (Duration::seconds(50), "1 minute ago"),
            (Duration::minutes(5), "5 minutes ago"),
            (Duration::minutes(60), "1 hour ago"),
            (Duration::hours(23), "23 hours ago"),
            (Duration::hours(30), "yesterday"),
            (Duration::days(3), "3 days ago"),
            (Duration::days(45), "1 month ago"),
            (Duration::days(200), "6 months ago"),
            (Duration::days(800), "2 years ago"),
        ] {
            assert_eq!(ago_from(now - before, now), want, "{before:?}");
        }
        let far_future = now + Duration::days(3);
        assert_eq!(
            ago_from(far_future, now),
            far_future.format("%Y-%m-%d").to_string()
        );
    }
}

//! Ranking formulas (documented in docs/ranking.md). Values are stored with each summary and
//! recomputed on every vote, so ORDER BY uses an index and never a function of the clock.

use chrono::NaiveDateTime;

/// z for an 80 % confidence interval, as Reddit's "best" sort and Lobsters' comments use.
pub const WILSON_Z: f64 = 1.2816;

/// Seconds per factor of ten in score for `hot` (about 12.5 hours).
pub const HOT_DECAY_SECONDS: f64 = 45_000.0;

/// The lower bound of the Wilson score confidence interval for the fraction of up-votes.
/// A summary with no votes ranks 0; a few votes do not beat many consistent ones.
pub fn wilson_lower_bound(ups: i32, downs: i32) -> f64 {
    let ups = f64::from(ups.max(0));
    let n = ups + f64::from(downs.max(0));
    if n == 0.0 {
        return 0.0;
    }
    let z = WILSON_Z;
    let p = ups / n;
    let z2 = z * z;
    (p + z2 / (2.0 * n) - z * ((p * (1.0 - p) + z2 / (4.0 * n)) / n).sqrt()) / (1.0 + z2 / n)
}

/// Reddit's time-invariant hot score: `sign(s)·log10(max(|s|, 1)) + created / 45000`.
/// It depends only on the net score and the creation time, so it is stored and indexed, and a
/// newer item needs ten times the score to outrank one 12.5 hours older.
pub fn hot(score: i32, created_at: NaiveDateTime) -> f64 {
    let s = f64::from(score);
    let order = s.abs().max(1.0).log10();
    let sign = if score > 0 {
        1.0
    } else if score < 0 {
        -1.0
    } else {
        0.0
    };
    // Microsecond precision keeps two summaries from the same second in creation order.
    let seconds = created_at.and_utc().timestamp_micros() as f64 / 1e6;
    sign * order + seconds / HOT_DECAY_SECONDS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(secs, 0)
            .map(|t| t.naive_utc())
            .unwrap_or_default()
    }

    #[test]
    fn wilson_is_zero_without_votes_and_between_zero_and_one() {
        assert_eq!(wilson_lower_bound(0, 0), 0.0);
        for (u, d) in [(1, 0), (0, 1), (5, 5), (100, 3), (3, 100)] {
            let w = wilson_lower_bound(u, d);
            assert!((0.0..=1.0).contains(&w), "{u}/{d} gave {w}");
        }
    }

    #[test]
    fn wilson_prefers_proven_summaries_over_small_samples() {
        // 1 up-vote, no down-votes is less certain than 90 of 100.
        assert!(wilson_lower_bound(90, 10) > wilson_lower_bound(1, 0));
        // More up-votes at the same down-votes never ranks lower.
        for downs in 0..20 {
            for ups in 0..50 {
                assert!(wilson_lower_bound(ups + 1, downs) > wilson_lower_bound(ups, downs));
            }
        }
    }

    #[test]
    fn wilson_matches_a_hand_computed_value() {
        // p = 0.8, n = 10, z = 1.2816:
        // (0.8 + z²/20 - z·sqrt((0.16 + z²/40) / 10)) / (1 + z²/10) = 0.601589…
        let expected = 0.601_589;
        assert!((wilson_lower_bound(8, 2) - expected).abs() < 1e-3);
    }

    #[test]
    fn hot_grows_with_score_at_equal_age_and_with_recency_at_equal_score() {
        let t = at(1_600_000_000);
        for s in -50..50 {
            // log10(max(|s|, 1)) makes scores -1, 0 and 1 tie; every other step is strictly up.
            if s == 0 || s == -1 {
                assert_eq!(hot(s + 1, t), hot(s, t));
            } else {
                assert!(hot(s + 1, t) > hot(s, t), "score {s}");
            }
        }
        assert!(hot(10, at(1_600_000_001)) > hot(10, t));
    }

    #[test]
    fn hot_trades_a_factor_of_ten_in_score_for_45000_seconds() {
        let t = at(1_600_000_000);
        let later = at(1_600_045_000);
        assert!((hot(100, t) - hot(10, later)).abs() < 1e-9);
    }
}

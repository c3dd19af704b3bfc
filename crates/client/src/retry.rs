//! When a refused request is sent again, and after how long.
//!
//! Two answers are worth another try:
//!
//! - **429 `rate_limited`**, for every request. The server takes from a rate-limit bucket inside
//!   the request's own transaction, before it changes anything, and a refusal rolls that
//!   transaction back: a 429 means nothing happened (RFC 6585 says the same). So even a `POST`
//!   that creates something is safe to send again.
//! - **503 `service_unavailable` / `storage_unavailable`**, only for requests that may be
//!   repeated without a second effect: `GET`, `HEAD`, `PUT` (votes set a value) and `DELETE`
//!   (deleting twice deletes once), plus the two `POST`s the API documents as repeatable — the
//!   Markdown preview (`/render`, stores nothing) and paper import (an already imported paper is
//!   answered with the existing record). A 503 can come from a failure after the handler started
//!   (a disk that filled up at commit), and from the outside it cannot be told whether a
//!   summary, comment, paper, token or account was created, so those `POST`s and every `PATCH`
//!   are not repeated: the caller gets the 503 (with its `Retry-After`) and decides.
//!
//! The wait is the server's `Retry-After` when it sent one (it is exact: the server rounds up, so
//! waiting that long gets through), else an exponential backoff. A `Retry-After` longer than
//! [`RetryPolicy::max_delay`] is not waited for: the error is returned at once, carrying it.
//! Transport failures are never retried here: the request may or may not have arrived.

use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;

/// Whether a request may be repeated after a 503 (every request may after a 429).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Repeatable {
    /// Repeating it has no further effect (`GET`, `HEAD`, `PUT`, `DELETE`, `/render`, import).
    Yes,
    /// It may create something a second time (`POST`s that create, `PATCH`es that add revisions).
    No,
}

/// How many times, and how patiently, refused requests are retried.
///
/// ```
/// use std::time::Duration;
/// use shortscience_client::RetryPolicy;
///
/// // At most 5 attempts, starting at 200 ms and never waiting more than 10 s at once.
/// let policy = RetryPolicy {
///     max_attempts: 5,
///     base_delay: Duration::from_millis(200),
///     max_delay: Duration::from_secs(10),
/// };
/// assert_eq!(RetryPolicy::none().max_attempts, 1);
/// # let _ = policy;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; `1` never retries.
    pub max_attempts: u32,
    /// The first backoff wait when the server sent no `Retry-After`; it doubles each time.
    pub base_delay: Duration,
    /// The longest single wait. A `Retry-After` above it is not waited for.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// Four attempts, backoff from half a second, waits of at most 30 seconds.
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Never retry: every refusal is returned at once.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// How long to wait before attempt `failed + 1`, after attempt number `failed` (from 1) was
    /// answered `status`; `None` when not to try again.
    pub(crate) fn delay(
        &self,
        failed: u32,
        status: StatusCode,
        retry_after: Option<Duration>,
        repeatable: Repeatable,
    ) -> Option<Duration> {
        if failed >= self.max_attempts {
            return None;
        }
        let worth_it = match status {
            StatusCode::TOO_MANY_REQUESTS => true,
            StatusCode::SERVICE_UNAVAILABLE => repeatable == Repeatable::Yes,
            _ => false,
        };
        if !worth_it {
            return None;
        }
        match retry_after {
            Some(wait) if wait > self.max_delay => None,
            Some(wait) => Some(wait),
            None => Some(self.backoff(failed)),
        }
    }

    /// `base_delay × 2^(failed-1)`, capped at `max_delay`.
    fn backoff(&self, failed: u32) -> Duration {
        let factor = 1u32
            .checked_shl(failed.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.base_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }
}

/// `Retry-After` in its delay-seconds form (the only one this server sends). An HTTP-date is
/// ignored: the backoff applies instead.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: RetryPolicy = RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(100),
        max_delay: Duration::from_secs(5),
    };

    #[test]
    fn rate_limits_are_retried_for_every_request_after_retry_after() {
        for repeatable in [Repeatable::Yes, Repeatable::No] {
            assert_eq!(
                POLICY.delay(
                    1,
                    StatusCode::TOO_MANY_REQUESTS,
                    Some(Duration::from_secs(2)),
                    repeatable
                ),
                Some(Duration::from_secs(2))
            );
        }
    }

    #[test]
    fn unavailable_is_retried_only_for_repeatable_requests() {
        assert_eq!(
            POLICY.delay(1, StatusCode::SERVICE_UNAVAILABLE, None, Repeatable::Yes),
            Some(Duration::from_millis(100))
        );
        assert_eq!(
            POLICY.delay(1, StatusCode::SERVICE_UNAVAILABLE, None, Repeatable::No),
            None
        );
    }

    #[test]
    fn other_statuses_are_never_retried() {
        for status in [
            StatusCode::BAD_REQUEST,
            StatusCode::NOT_FOUND,
            StatusCode::CONFLICT,
            StatusCode::INTERNAL_SERVER_ERROR,
            StatusCode::BAD_GATEWAY,
            StatusCode::GATEWAY_TIMEOUT,
        ] {
            assert_eq!(POLICY.delay(1, status, None, Repeatable::Yes), None);
        }
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_and_attempts_are_bounded() {
        let waits: Vec<_> = (1..=3)
            .map(|n| POLICY.delay(n, StatusCode::TOO_MANY_REQUESTS, None, Repeatable::No))
            .collect();
        assert_eq!(
            waits,
            [
                Some(Duration::from_millis(100)),
                Some(Duration::from_millis(200)),
                Some(Duration::from_millis(400))
            ]
        );
        assert_eq!(
            POLICY.delay(4, StatusCode::TOO_MANY_REQUESTS, None, Repeatable::No),
            None
        );
        assert_eq!(POLICY.backoff(40), Duration::from_secs(5));
        assert_eq!(
            RetryPolicy::none().delay(1, StatusCode::TOO_MANY_REQUESTS, None, Repeatable::Yes),
            None
        );
    }

    #[test]
    fn a_retry_after_beyond_the_longest_wait_is_not_waited_for() {
        assert_eq!(
            POLICY.delay(
                1,
                StatusCode::SERVICE_UNAVAILABLE,
                Some(Duration::from_secs(30)),
                Repeatable::Yes
            ),
            None
        );
    }

    #[test]
    fn retry_after_reads_delay_seconds_only() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers), None);
    }
}

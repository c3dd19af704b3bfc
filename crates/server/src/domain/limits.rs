//! Per-client rate limits on the endpoints attackers hammer: registration, login, refresh,
//! API-token creation, imports, votes, writing and previews. GCRA token buckets (governor), kept in memory per process.
//!
//! Anonymous requests are keyed by the client's address (`http::extract::ClientIp`), signed-in
//! ones by user. Domain operations check their limit after validating their input, so a refused
//! request costs nothing.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use shortscience_types::UserId;

use crate::domain::{DomainError, DomainResult};

/// A burst size and how long it takes to earn one more request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub burst: u32,
    pub per: Duration,
}

impl Limit {
    pub const fn new(burst: u32, per: Duration) -> Self {
        Self { burst, per }
    }

    fn quota(self) -> Quota {
        let burst = NonZeroU32::new(self.burst.max(1)).unwrap_or(NonZeroU32::MIN);
        Quota::with_period(self.per.max(Duration::from_millis(1)))
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(burst)
    }
}

/// The limits of each kind of request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitConfig {
    /// Accounts created per IP address: 10, then one every 6 minutes.
    pub register: Limit,
    /// Login attempts per IP address: 10, then one every 6 seconds.
    pub login: Limit,
    /// Token refreshes per IP address: 120, then one a second. The web app refreshes once per
    /// page load when signed in and once every 14 minutes, so fast browsing stays far below.
    pub refresh: Limit,
    /// API tokens created per user: 10, then one every 6 minutes.
    pub create_token: Limit,
    /// Paper imports per user: 30, then one every 10 seconds.
    pub import: Limit,
    /// Votes per user: 120, then two a second.
    pub vote: Limit,
    /// Summaries and comments written or edited per user: 30, then one every 5 seconds.
    pub write: Limit,
    /// Previews rendered per IP address: 120, then four a second.
    pub render: Limit,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            register: Limit::new(10, Duration::from_secs(360)),
            login: Limit::new(10, Duration::from_secs(6)),
            refresh: Limit::new(120, Duration::from_secs(1)),
            create_token: Limit::new(10, Duration::from_secs(360)),
            import: Limit::new(30, Duration::from_secs(10)),
            vote: Limit::new(120, Duration::from_millis(500)),
            write: Limit::new(30, Duration::from_secs(5)),
            render: Limit::new(120, Duration::from_millis(250)),
        }
    }
}

struct Bucket<K: std::hash::Hash + Eq + Clone> {
    limiter: DefaultKeyedRateLimiter<K>,
    checks: AtomicU32,
}

impl<K: std::hash::Hash + Eq + Clone> Bucket<K> {
    fn new(limit: Limit) -> Self {
        Self {
            limiter: RateLimiter::keyed(limit.quota()),
            checks: AtomicU32::new(0),
        }
    }

    fn check(&self, key: &K) -> DomainResult<()> {
        // Forget idle clients now and then so memory stays bounded.
        if self.checks.fetch_add(1, Ordering::Relaxed) % 1024 == 1023 {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
        self.limiter.check_key(key).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            DomainError::RateLimited {
                retry_after_secs: retry_after(wait),
            }
        })
    }
}

/// Whole seconds to wait, rounded up: a client that waits exactly that long gets through.
pub fn retry_after(wait: Duration) -> u64 {
    wait.as_micros()
        .div_ceil(1_000_000)
        .max(1)
        .try_into()
        .unwrap_or(u64::MAX)
}

/// The limiters, shared by all workers.
pub struct RateLimits {
    register: Bucket<IpAddr>,
    login: Bucket<IpAddr>,
    refresh: Bucket<IpAddr>,
    create_token: Bucket<UserId>,
    import: Bucket<UserId>,
    vote: Bucket<UserId>,
    write: Bucket<UserId>,
    render: Bucket<IpAddr>,
}

impl RateLimits {
    pub fn new(config: RateLimitConfig) -> Self {
        Self {
            register: Bucket::new(config.register),
            login: Bucket::new(config.login),
            refresh: Bucket::new(config.refresh),
            create_token: Bucket::new(config.create_token),
            import: Bucket::new(config.import),
            vote: Bucket::new(config.vote),
            write: Bucket::new(config.write),
            render: Bucket::new(config.render),
        }
    }

    pub fn register(&self, ip: IpAddr) -> DomainResult<()> {
        self.register.check(&ip)
    }

    pub fn login(&self, ip: IpAddr) -> DomainResult<()> {
        self.login.check(&ip)
    }

    pub fn refresh(&self, ip: IpAddr) -> DomainResult<()> {
        self.refresh.check(&ip)
    }

    pub fn create_token(&self, user_id: UserId) -> DomainResult<()> {
        self.create_token.check(&user_id)
    }

    pub fn import(&self, user_id: UserId) -> DomainResult<()> {
        self.import.check(&user_id)
    }

    pub fn vote(&self, user_id: UserId) -> DomainResult<()> {
        self.vote.check(&user_id)
    }

    pub fn write(&self, user_id: UserId) -> DomainResult<()> {
        self.write.check(&user_id)
    }

    pub fn render(&self, ip: IpAddr) -> DomainResult<()> {
        self.render.check(&ip)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_rounds_up() {
        assert_eq!(retry_after(Duration::from_millis(1)), 1);
        assert_eq!(retry_after(Duration::from_millis(5_001)), 6);
        assert_eq!(retry_after(Duration::from_secs(6)), 6);
        assert_eq!(retry_after(Duration::ZERO), 1);
    }

    #[test]
    fn a_burst_is_allowed_then_requests_wait_with_a_retry_after() {
        let limits = RateLimits::new(RateLimitConfig {
            login: Limit::new(3, Duration::from_secs(60)),
            ..RateLimitConfig::default()
        });
        let ip = IpAddr::from([10, 0, 0, 1]);
        for _ in 0..3 {
            assert!(limits.login(ip).is_ok());
        }
        match limits.login(ip) {
            Err(DomainError::RateLimited { retry_after_secs }) => {
                assert!((1..=60).contains(&retry_after_secs))
            }
            other => panic!("expected a rate limit, got {other:?}"),
        }
        // Another client has its own bucket.
        assert!(limits.login(IpAddr::from([10, 0, 0, 2])).is_ok());
    }
}

//! 429 answers are retried after their `Retry-After`; without retries the error carries it.

use std::time::{Duration, Instant};

use shortscience_client::types::{ErrorCode, Page, SearchQuery};
use shortscience_client::RetryPolicy;
use shortscience_server::domain::limits::{Limit, RateLimitConfig};

use shortscience_server::testing::TestServer;

/// One search, then one a second.
fn one_search_a_second() -> RateLimitConfig {
    RateLimitConfig {
        search: Limit::new(1, Duration::from_secs(1)),
        ..RateLimitConfig::relaxed()
    }
}

fn query() -> SearchQuery {
    SearchQuery {
        q: "anything".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_rate_limited_request_is_sent_again_after_retry_after() {
    let server = TestServer::with_limits(one_search_a_second());
    let client = server.client();
    client
        .search_catalogue(&query(), &Page::default())
        .await
        .unwrap();
    let started = Instant::now();
    client
        .search_catalogue(&query(), &Page::default())
        .await
        .expect("the second search succeeds after waiting");
    // It waited the server's Retry-After (whole seconds, rounded up) rather than failing.
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn without_retries_the_refusal_carries_code_and_retry_after() {
    let server = TestServer::with_limits(one_search_a_second());
    let client = server.client().with_retry(RetryPolicy::none());
    client
        .search_catalogue(&query(), &Page::default())
        .await
        .unwrap();
    let error = client
        .search_catalogue(&query(), &Page::default())
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(ErrorCode::RateLimited));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(error.retry_after(), Some(Duration::from_secs(1)));
}

#[tokio::test]
async fn a_retry_after_longer_than_the_policy_allows_is_not_waited_for() {
    let server = TestServer::with_limits(RateLimitConfig {
        search: Limit::new(1, Duration::from_secs(120)),
        ..RateLimitConfig::relaxed()
    });
    let client = server.client().with_retry(RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_secs(5),
    });
    client
        .search_catalogue(&query(), &Page::default())
        .await
        .unwrap();
    let started = Instant::now();
    let error = client
        .search_catalogue(&query(), &Page::default())
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(error.code(), Some(ErrorCode::RateLimited));
    assert!(error.retry_after() > Some(Duration::from_secs(100)));
}

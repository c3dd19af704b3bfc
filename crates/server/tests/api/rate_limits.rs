use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use shortscience_server::rate_limit::{Limit, RateLimitConfig};

use crate::accounts::PASSWORD;
use crate::helpers::*;

fn tight() -> Options {
    let slow = |burst| Limit::new(burst, Duration::from_secs(60));
    Options {
        rate_limits: Some(RateLimitConfig {
            register: slow(3),
            login: slow(10),
            refresh: slow(5),
            create_token: slow(2),
            import: slow(2),
        }),
        ..Options::default()
    }
}

backend_test! {
    async fn a_burst_of_bad_logins_meets_429s_with_retry_after_and_never_a_5xx(app, tight()) {
        app.register("target").await;
        let mut statuses = Vec::new();
        for _ in 0..30 {
            let response = app.login("target", "wrong password!!").await;
            let status = response.status();
            if status == StatusCode::TOO_MANY_REQUESTS {
                let retry: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
                assert!((1..=60).contains(&retry));
                assert_problem(response, status, "rate_limited").await;
            }
            statuses.push(status.as_u16());
        }
        assert_eq!(statuses.iter().filter(|s| **s == 401).count(), 10, "{statuses:?}");
        assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 20, "{statuses:?}");
        // Even the right password waits now.
        assert_eq!(app.login("target", PASSWORD).await.status(), StatusCode::TOO_MANY_REQUESTS);
    }
}

backend_test! {
    async fn registration_refresh_and_token_creation_are_limited(app, tight()) {
        let first = app.register("one").await;
        app.register("two").await;
        app.register("three").await;
        let fourth = app.post_json("/api/v1/auth/register", &json!({"username": "four", "email": "four@example.org", "password": PASSWORD}), None).await;
        assert_problem(fourth, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;

        let mut cookie = first.refresh.clone();
        for _ in 0..5 {
            let response = app.refresh_with(&cookie).await;
            assert_eq!(response.status(), StatusCode::OK);
            cookie = crate::accounts::refresh_cookie(&response).unwrap();
        }
        assert_problem(app.refresh_with(&cookie).await, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;

        for n in 0..2 {
            let response = app.post_json("/api/v1/me/tokens", &json!({"name": format!("t{n}")}), Some(&first.access)).await;
            assert_eq!(response.status(), StatusCode::CREATED);
        }
        let third = app.post_json("/api/v1/me/tokens", &json!({"name": "t3"}), Some(&first.access)).await;
        assert_problem(third, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    }
}

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use shortscience_server::domain::limits::{Limit, RateLimitConfig};

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
            vote: slow(3),
            write: slow(2),
            render: slow(2),
            search: slow(2),
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

backend_test! {
    async fn votes_writes_and_previews_are_rate_limited(app, tight()) {
        use serde_json::json;
        let writer = app.register("prolific").await;
        let voter = app.register("clicker").await;
        let paper = crate::summaries::paper(&app, &writer, "Limited Paper").await;
        let id = crate::summaries::summary(&app, &writer, paper, "one").await;
        let mut statuses = Vec::new();
        for value in [1, -1, 1, -1, 1] {
            statuses.push(crate::summaries::vote(&app, &voter, id, value).await.status().as_u16());
        }
        assert_eq!(statuses, [200, 200, 200, 429, 429]);
        // The second write (a comment) is allowed, the third is not.
        let path = format!("/api/v1/summaries/{id}/comments");
        let first = app.post_json(&path, &json!({"body_markdown": "a"}), Some(&writer.access)).await;
        assert_eq!(first.status().as_u16(), 201);
        let limited = app.post_json(&path, &json!({"body_markdown": "b"}), Some(&writer.access)).await;
        let problem = assert_problem(limited, reqwest::StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
        assert!(problem.detail.is_some());
        let body = json!({"markdown": "x"});
        let previews: Vec<u16> = futures_util::future::join_all((0..3).map(|_| app.post_json("/api/v1/render", &body, None)))
            .await
            .iter()
            .map(|r| r.status().as_u16())
            .collect();
        assert_eq!(previews.iter().filter(|s| **s == 429).count(), 1, "{previews:?}");
    }
}

//! Regression tests for the defects found by probing (issue 15 A): NUL bytes, anonymity in
//! discussions, security headers, Retry-After, keyword slugs, routing and request limits,
//! refresh hints, malformed DOIs.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::json;
use shortscience_server::domain::limits::{Limit, RateLimitConfig};
use shortscience_types::{CommentThread, KeywordItem, PaperDetail, PaperPage, Role};

use crate::accounts::PASSWORD;
use crate::helpers::*;
use crate::summaries::{paper, summary};

backend_test! {
    async fn nul_bytes_are_refused_at_the_edge_naming_the_field(app) {
        let ada = app.register("ada").await;
        let login = app.post_json("/api/v1/auth/login", &json!({"username": "a\u{0}da", "password": PASSWORD}), None).await;
        assert_eq!(assert_problem(login, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await.field(), Some("username"));
        for (path, field) in [
            ("/api/v1/users/a%00da", "username"),
            ("/api/v1/users/a%00da/summaries", "username"),
            ("/api/v1/venues/ic%00lr", "slug"),
            ("/api/v1/keywords/cs%00", "slug"),
            ("/api/v1/papers?venue=ic%00lr", "venue"),
            ("/api/v1/papers?keyword=cs%00", "keyword"),
        ] {
            let problem = assert_problem(app.get(path).await, StatusCode::BAD_REQUEST, "invalid_parameter").await;
            assert_eq!(problem.field(), Some(field), "{path}");
        }
        let paper = paper(&app, &ada, "Nul Paper").await;
        let body = json!({"body_markdown": "before\u{0}after"});
        let written = app.post_json(&format!("/api/v1/papers/{paper}/summaries"), &body, Some(&ada.access)).await;
        assert_eq!(assert_problem(written, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await.field(), Some("body_markdown"));
        let id = summary(&app, &ada, paper, "fine").await;
        let comment = app.post_json(&format!("/api/v1/summaries/{id}/comments"), &body, Some(&ada.access)).await;
        assert_eq!(assert_problem(comment, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await.field(), Some("body_markdown"));
    }
}

backend_test! {
    async fn a_json_array_is_not_an_object(app) {
        let ada = app.register("ada").await;
        let response = app.send(Method::PATCH, "/api/v1/me", Some(&json!(["name", "bio"])), Some(&ada.access)).await;
        assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        let me: shortscience_types::Me = app.get_json_as("/api/v1/me", &ada.access).await;
        assert_eq!((me.display_name, me.bio), (None, String::new()), "nothing was changed");
    }
}

backend_test! {
    async fn an_anonymous_summarys_author_stays_anonymous_in_its_discussion(app) {
        let ada = app.register("ada").await;
        let bob = app.register("bob").await;
        let mod_ = app.register("moddy").await;
        app.set_role("moddy", Role::Moderator);
        let paper = paper(&app, &ada, "Anonymous Paper").await;
        let created = app.post_json(&format!("/api/v1/papers/{paper}/summaries"), &json!({"body_markdown": "secret", "anonymous": true}), Some(&ada.access)).await;
        let id: shortscience_types::SummaryDetail = created.json().await.unwrap();
        let id = id.summary.id;
        let path = format!("/api/v1/summaries/{id}/comments");
        let question = app.post_json(&path, &json!({"body_markdown": "why?"}), Some(&bob.access)).await;
        let question: shortscience_types::Comment = question.json().await.unwrap();
        let answer = app.post_json(&path, &json!({"body_markdown": "because", "parent_id": question.id}), Some(&ada.access)).await;
        assert_eq!(answer.status(), StatusCode::CREATED);

        let reply_author = |thread: &CommentThread| {
            let reply = &thread.items[0].replies[0];
            (reply.author.as_ref().map(|a| a.username.clone()), reply.by_summary_author)
        };
        let public: CommentThread = app.get_json(&path).await;
        assert_eq!(reply_author(&public), (None, true), "signed out");
        assert_eq!(public.items[0].author.as_ref().map(|a| a.username.as_str()), Some("bob"));
        let to_bob: CommentThread = app.get_json_as(&path, &bob.access).await;
        assert_eq!(reply_author(&to_bob), (None, true), "another reader");
        let to_ada: CommentThread = app.get_json_as(&path, &ada.access).await;
        assert_eq!(reply_author(&to_ada), (Some("ada".to_owned()), true), "the author herself");
        let to_mod: CommentThread = app.get_json_as(&path, &mod_.access).await;
        assert_eq!(reply_author(&to_mod), (Some("ada".to_owned()), true), "a moderator");
    }
}

#[actix_web::test]
async fn pages_and_answers_carry_a_strict_policy_and_hsts_only_over_trusted_https() {
    let app = spawn_app(
        Backend::Sqlite,
        Options {
            trusted_proxies: vec!["127.0.0.1/32".parse().unwrap()],
            ..Options::default()
        },
    )
    .await
    .unwrap();
    for path in ["/", "/papers/1", "/api/docs/", "/api/v1/papers"] {
        let response = app.get(path).await;
        let csp = response
            .headers()
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        if !path.starts_with("/api/v1") {
            for part in [
                "script-src 'self' 'wasm-unsafe-eval'",
                "object-src 'none'",
                "base-uri 'none'",
            ] {
                assert!(csp.contains(part), "{path}: {csp}");
            }
        }
        assert!(
            response
                .headers()
                .get("strict-transport-security")
                .is_none(),
            "{path} over plain HTTP"
        );
    }
    let behind_tls = app
        .client
        .get(app.url("/api/v1/papers"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert!(behind_tls
        .headers()
        .get("strict-transport-security")
        .is_some());

    let untrusted = spawn_app(Backend::Sqlite, Options::default())
        .await
        .unwrap();
    let forged = untrusted
        .client
        .get(untrusted.url("/api/v1/papers"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert!(
        forged.headers().get("strict-transport-security").is_none(),
        "anyone may send X-Forwarded-Proto"
    );
}

#[actix_web::test]
async fn waiting_exactly_retry_after_seconds_gets_through() {
    let limits = RateLimitConfig {
        login: Limit::new(1, Duration::from_millis(1500)),
        ..RateLimitConfig::relaxed()
    };
    let app = spawn_app(
        Backend::Sqlite,
        Options {
            rate_limits: Some(limits),
            ..Options::default()
        },
    )
    .await
    .unwrap();
    for _ in 0..3 {
        // Spend the budget, then wait what the 429 says.
        let mut response = app.login("nobody", "wrong password!!").await;
        while response.status() != StatusCode::TOO_MANY_REQUESTS {
            response = app.login("nobody", "wrong password!!").await;
        }
        let wait: u64 = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        actix_web::rt::time::sleep(Duration::from_secs(wait)).await;
        assert_eq!(
            app.login("nobody", "wrong password!!").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
}

backend_test! {
    async fn keyword_slugs_are_url_safe_and_old_ones_still_resolve(app) {
        let ada = app.register("ada").await;
        let created = app.post_json("/api/v1/papers", &json!({"title": "Systems", "authors": ["K. Thompson"], "keywords": ["C/C++", "TCP/IP", "C#"]}), Some(&ada.access)).await;
        let paper: PaperDetail = created.json().await.unwrap();
        let slugs: Vec<&str> = paper.keywords.iter().map(|k| k.slug.as_str()).collect();
        assert_eq!(slugs, ["c-c-plus-plus", "tcp-ip", "c-sharp"]);
        for path in ["/api/v1/keywords/c-c-plus-plus", "/api/v1/keywords/c%2Fc%2B%2B", "/api/v1/keywords/C%2FC%2B%2B"] {
            let keyword: KeywordItem = app.get_json(path).await;
            assert_eq!((keyword.slug.as_str(), keyword.name.as_str(), keyword.paper_count), ("c-c-plus-plus", "C/C++", 1), "{path}");
        }
        let listed: PaperPage = app.get_json("/api/v1/papers?keyword=tcp%2Fip").await;
        assert_eq!(listed.items.len(), 1);
        let bad = app.post_json("/api/v1/papers", &json!({"title": "T", "authors": ["X"], "keywords": ["//"]}), Some(&ada.access)).await;
        assert_eq!(assert_problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await.field(), Some("keywords"));
    }
}

backend_test! {
    async fn routes_answer_405_with_allow_options_and_size_limits_as_problems(app) {
        let ada = app.register("ada").await;
        let paper = paper(&app, &ada, "Routing Paper").await;
        for method in [Method::PATCH, Method::GET, Method::DELETE] {
            let response = app.send(method.clone(), &format!("/api/v1/papers/{paper}/summaries"), None, Some(&ada.access)).await;
            let allow = response.headers().get("allow").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
            assert_problem(response, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
            assert_eq!(allow, "POST", "{method}");
        }
        let options = app.request(Method::OPTIONS, "/api/v1/papers").await;
        assert_eq!(options.status(), StatusCode::NO_CONTENT);
        assert_eq!(options.headers()["allow"], "GET, HEAD, POST");
        let options = app.request(Method::OPTIONS, &format!("/api/v1/papers/{paper}")).await;
        assert_eq!(options.headers()["allow"], "GET, HEAD, PATCH");

        let long = format!("/api/v1/papers?venue={}", "x".repeat(20_000));
        let response = app.get(&long).await;
        assert_eq!(content_type(&response), "application/problem+json");
        assert_problem(response, StatusCode::URI_TOO_LONG, "uri_too_long").await;
        let response = app.client.get(app.url("/api/v1/papers")).header("x-padding", "y".repeat(20_000)).send().await.unwrap();
        assert_problem(response, StatusCode::from_u16(431).unwrap(), "headers_too_large").await;
    }
}

backend_test! {
    async fn a_session_sets_a_script_readable_hint_and_signing_out_clears_it(app) {
        let response = app.post_json("/api/v1/auth/register", &json!({"username": "hinted", "email": "h@example.org", "password": PASSWORD}), None).await;
        let cookies: Vec<String> = response.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).map(str::to_owned).collect();
        let hint = cookies.iter().find(|c| c.starts_with("ss_signed_in=1")).expect("the hint cookie");
        assert!(hint.contains("Path=/") && !hint.contains("HttpOnly"), "{hint}");
        let refresh = cookies.iter().find(|c| c.starts_with("ss_refresh=")).unwrap();
        assert!(refresh.contains("HttpOnly"));
        let out = app.client.post(app.url("/api/v1/auth/logout")).send().await.unwrap();
        let cleared: Vec<String> = out.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).map(str::to_owned).collect();
        assert!(cleared.iter().any(|c| c.starts_with("ss_signed_in=;") && c.contains("Max-Age=0")), "{cleared:?}");
    }
}

backend_test! {
    async fn dois_with_dot_segments_are_refused(app) {
        let ada = app.register("ada").await;
        for doi in ["10.1038/../../x", "10.1038/a/./b"] {
            let response = app.post_json("/api/v1/papers/import", &json!({"doi": doi}), Some(&ada.access)).await;
            assert_eq!(assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await.field(), Some("doi"), "{doi}");
        }
        let response = app.get("/api/v1/papers/doi:10.1038/../x").await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    }
}

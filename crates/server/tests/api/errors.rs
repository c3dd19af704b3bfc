use reqwest::{Method, StatusCode};

use crate::helpers::*;

backend_test! {
    async fn unknown_api_routes_are_problem_json_404s(app) {
        for path in ["/api/v1/nope", "/api/v1/venues/iclr/nope", "/api", "/api/v2/papers", "/api/v1"] {
            let problem = assert_problem(app.get(path).await, StatusCode::NOT_FOUND, "route_not_found").await;
            assert!(problem.detail.unwrap_or_default().contains(path.trim_end_matches('/')), "{path}");
        }
    }
}

backend_test! {
    async fn wrong_methods_are_problem_json_405s_with_allow(app) {
        for (method, path) in [
            (Method::DELETE, "/api/v1/papers"),
            (Method::DELETE, "/api/v1/health"),
            (Method::PUT, "/api/v1/papers/1"),
            (Method::PATCH, "/api/v1/venues"),
        ] {
            let response = app.request(method.clone(), path).await;
            let allow = response.headers().get("allow").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
            assert_problem(response, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
            assert!(allow.contains("GET") && allow.contains("HEAD"), "{method} {path}: Allow: {allow}");
        }
    }
}

backend_test! {
    async fn invalid_query_parameters_are_400s_that_name_the_parameter(app) {
        for (query, field) in [
            ("limit=abc", "limit"),
            ("limit=0", "limit"),
            ("limit=101", "limit"),
            ("limit=-5", "limit"),
            ("limit=1e3", "limit"),
            ("year=abc", "year"),
            ("year=99999", "year"),
            ("cursor=not-a-cursor", "cursor"),
            ("limit=5&limit=6", "limit"),
            // Empty values are refused (leave a parameter out for its default); unknown
            // parameters, cache-busters among them, are ignored even when empty.
            ("venue=", "venue"),
            ("limit=", "limit"),
            ("sort=%20", "sort"),
            ("_=", ""),
        ] {
            let response = app.get(&format!("/api/v1/papers?{query}")).await;
            if field.is_empty() {
                assert_eq!(response.status(), StatusCode::OK, "{query}");
                continue;
            }
            let problem = assert_problem(response, StatusCode::BAD_REQUEST, "invalid_parameter").await;
            assert_eq!(problem.field(), Some(field), "{query}");
            assert_eq!(problem.errors[0].location, "query");
            assert!(problem.detail.unwrap_or_default().contains(field));
        }
    }
}

backend_test! {
    async fn malformed_paper_refs_are_400s_naming_ref(app) {
        for path in ["abc", "arxiv:nope", "doi:nothing", "0", "99999999999999999999999", "arxiv:2003.10555v"] {
            let problem = assert_problem(
                app.get(&format!("/api/v1/papers/{path}")).await,
                StatusCode::BAD_REQUEST,
                "invalid_parameter",
            )
            .await;
            assert_eq!(problem.field(), Some("ref"), "{path}");
            assert_eq!(problem.errors[0].location, "path");
        }
    }
}

backend_test! {
    async fn error_bodies_are_never_html(app) {
        for (method, path) in [(Method::GET, "/api/v1/papers/%ZZ"), (Method::GET, "/api/v1/papers?limit=%FF")] {
            let response = app.request(method.clone(), path).await;
            let status = response.status();
            let content_type = content_type(&response);
            assert!(status.is_client_error(), "{method} {path}: {status}");
            assert_eq!(content_type, "application/problem+json", "{method} {path}");
        }
    }
}

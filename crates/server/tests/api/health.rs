use reqwest::StatusCode;
use shortscience_types::Health;

use crate::helpers::*;

backend_test! {
    async fn health_reports_the_backend_and_the_applied_migration(app) {
        let health: Health = app.get_json("/api/v1/health").await;
        assert_eq!(health.status, "ok");
        assert_eq!(health.database, app.backend.name());
        let latest = app.with_conn(|c| shortscience_server::db::latest_migration(c).unwrap());
        assert!(latest.is_some());
        assert_eq!(health.migration, latest);
        assert_eq!(health.version, env!("CARGO_PKG_VERSION"));
    }
}

backend_test! {
    async fn head_requests_get_headers_without_a_body(app) {
        let response = app.request(reqwest::Method::HEAD, "/api/v1/health").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(content_type(&response).starts_with("application/json"));
        assert!(response.bytes().await.unwrap().is_empty());
    }
}

backend_test! {
    async fn responses_carry_protective_headers(app) {
        for path in ["/api/v1/health", "/api/v1/nope"] {
            let response = app.get(path).await;
            assert_eq!(response.headers()["x-content-type-options"], "nosniff", "{path}");
            assert_eq!(response.headers()["x-frame-options"], "DENY", "{path}");
        }
    }
}

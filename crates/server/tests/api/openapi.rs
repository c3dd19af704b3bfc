use reqwest::StatusCode;

use crate::helpers::*;

/// The committed document must be what the code generates. To update it after changing the
/// API: `just spec` (runs `cargo run -- openapi > api-spec/openapi.json`).
#[test]
fn the_committed_openapi_document_matches_the_code() {
    let committed = std::fs::read_to_string(repo_root().join("api-spec/openapi.json"))
        .expect("api-spec/openapi.json is committed");
    let generated = shortscience_server::http::openapi::openapi_json();
    assert!(
        committed == generated,
        "api-spec/openapi.json is stale: run `just spec` and commit the result"
    );
}

#[actix_web::test]
async fn the_served_document_is_the_committed_one_and_valid_openapi() {
    let app = spawn_app(Backend::Sqlite, Options::default())
        .await
        .unwrap();
    let served: serde_json::Value = app.get_json("/api/v1/openapi.json").await;
    let committed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("api-spec/openapi.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(served, committed);
    assert!(served["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/health",
        "/api/v1/papers",
        "/api/v1/papers/{ref}",
        "/api/v1/venues",
        "/api/v1/venues/{slug}",
    ] {
        assert!(
            served["paths"][path]["get"]["operationId"].is_string(),
            "{path}"
        );
    }
}

#[actix_web::test]
async fn the_docs_page_is_served_offline() {
    let app = spawn_app(Backend::Sqlite, Options::default())
        .await
        .unwrap();
    let redirect = app.get("/api/docs").await;
    assert_eq!(redirect.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(redirect.headers()["location"], "/api/docs/");
    let page = app.get("/api/docs/").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "{html}");
    assert!(
        !html.contains("https://"),
        "the docs page must not load anything from the network"
    );
    let init = app
        .get("/api/docs/swagger-initializer.js")
        .await
        .text()
        .await
        .unwrap();
    assert!(init.contains("/api/v1/openapi.json"), "{init}");
}

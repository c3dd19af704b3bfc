use std::path::Path;

use reqwest::StatusCode;

use crate::helpers::*;

const INDEX: &str = "<!doctype html><html><body><div id=app>ShortScience SPA</div></body></html>";
const ASSET: &str = "console.log('the app');";

fn static_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), INDEX).unwrap();
    std::fs::write(
        dir.path().join("app-0123456789abcdef.js"),
        ASSET.repeat(200),
    )
    .unwrap();
    std::fs::write(dir.path().join("robots.txt"), "User-agent: *\n").unwrap();
    dir
}

fn options(dir: &Path) -> Options {
    Options {
        static_dir: Some(dir.to_path_buf()),
        ..Options::default()
    }
}

#[actix_web::test]
async fn the_app_is_served_at_the_root_and_for_client_side_routes() {
    let dir = static_dir();
    let app = spawn_app(Backend::Sqlite, options(dir.path()))
        .await
        .unwrap();
    // Pages that exist answer 200; addresses naming nothing answer 404 — both with the app.
    for (path, status) in [
        ("/", StatusCode::OK),
        ("/venues", StatusCode::OK),
        ("/login", StatusCode::OK),
        ("/papers/1", StatusCode::NOT_FOUND),
        ("/venues/iclr", StatusCode::NOT_FOUND),
        ("/papers/doi:10.1000/x", StatusCode::NOT_FOUND),
        ("/no/such/page", StatusCode::NOT_FOUND),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), status, "{path}");
        assert!(content_type(&response).starts_with("text/html"), "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
        let html = response.text().await.unwrap();
        assert!(
            html.contains("<div id=app>ShortScience SPA</div>"),
            "{path}: {html}"
        );
        assert!(html.contains("<div id=\"ssr\">"), "{path}: {html}");
    }
}

#[actix_web::test]
async fn hashed_assets_are_cached_for_a_year_and_compressed() {
    let dir = static_dir();
    let app = spawn_app(Backend::Sqlite, options(dir.path()))
        .await
        .unwrap();
    let response = app
        .client
        .get(app.url("/app-0123456789abcdef.js"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        content_type(&response).contains("javascript"),
        "{}",
        content_type(&response)
    );
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(response.headers()["content-encoding"], "gzip");
    assert!(response.headers().contains_key("etag"));

    let robots = app.get("/robots.txt").await;
    assert!(content_type(&robots).starts_with("text/plain"));
    assert_eq!(robots.headers()["cache-control"], "no-cache");
}

#[actix_web::test]
async fn api_misses_are_never_answered_with_the_app() {
    let dir = static_dir();
    let app = spawn_app(Backend::Sqlite, options(dir.path()))
        .await
        .unwrap();
    assert_problem(
        app.get("/api/v1/nope").await,
        StatusCode::NOT_FOUND,
        "route_not_found",
    )
    .await;
    assert_problem(
        app.get("/api/nope").await,
        StatusCode::NOT_FOUND,
        "route_not_found",
    )
    .await;
    let response = app.request(reqwest::Method::POST, "/papers/1").await;
    assert_problem(
        response,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    )
    .await;
}

#[actix_web::test]
async fn without_a_built_app_the_root_explains_how_to_build_it() {
    let app = spawn_app(Backend::Sqlite, Options::default())
        .await
        .unwrap();
    let response = app.get("/").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("trunk build"));
}

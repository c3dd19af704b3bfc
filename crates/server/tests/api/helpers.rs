use std::path::{Path, PathBuf};
use std::sync::Once;

use diesel::{Connection, PgConnection, RunQueryDsl};
use reqwest::{Response, StatusCode};
use serde::de::DeserializeOwned;
use shortscience_server::config::{DatabaseUrl, ServeArgs};
use shortscience_server::db::Db;
use shortscience_server::domain::limits::RateLimitConfig;
use shortscience_server::domain::upstream::UpstreamConfig;
use shortscience_server::startup::{Application, Settings};
use shortscience_types::Problem;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

/// Generates one `#[actix_web::test]` per backend from one test body. The PostgreSQL variant
/// passes with a note when `TEST_POSTGRES_URL` is not set.
macro_rules! backend_test {
    ($(#[$meta:meta])* async fn $name:ident($app:ident) $body:block) => {
        backend_test!($(#[$meta])* async fn $name($app, Options::default()) $body);
    };
    ($(#[$meta:meta])* async fn $name:ident($app:ident, $options:expr) $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[actix_web::test]
            async fn sqlite() {
                let $app = $crate::helpers::spawn_app($crate::helpers::Backend::Sqlite, $options)
                    .await
                    .expect("SQLite is always available");
                $body
            }

            #[actix_web::test]
            async fn postgres() {
                let Some($app) =
                    $crate::helpers::spawn_app($crate::helpers::Backend::Postgres, $options).await
                else {
                    $crate::helpers::note_postgres_skipped();
                    return;
                };
                $body
            }
        }
    };
}

/// How to start the app.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Load the demo data set.
    pub demo: bool,
    /// Serve this directory as the web app.
    pub static_dir: Option<PathBuf>,
    /// Rate limits; tests that do not test them get generous ones.
    pub rate_limits: Option<RateLimitConfig>,
    /// The fake arXiv/Crossref to import from. Without one, upstream URLs point at a closed
    /// local port: tests never reach the internet.
    pub upstream: Option<crate::fake_upstream::FakeUpstream>,
    /// Timeouts and pacing of upstream requests (tests default to a 2 s timeout, no pacing).
    pub upstream_config: Option<UpstreamConfig>,
    /// Reverse proxies whose forwarding headers the app believes.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Feed snapshot reuse and lifetime (tests default to no reuse: every first page sees the
    /// order of the moment).
    pub feed: Option<shortscience_server::domain::feed::FeedSettings>,
    /// Serve `--read-only`.
    pub read_only: bool,
    /// `--read-cache-ms` (tests default to 0, no cache: what a test wrote straight into the
    /// database is what the next read shows).
    pub read_cache_ms: u64,
    /// The public URL and the sitemap's page size.
    pub site: Option<shortscience_server::http::site::SiteSettings>,
    /// SMTP for e-mail digests (then sent every second, linking to
    /// `https://shortscience.example`). Off when `None`, as in production by default.
    pub mail: Option<shortscience_server::config::MailArgs>,
}

impl Options {
    pub fn demo() -> Self {
        Self {
            demo: true,
            ..Self::default()
        }
    }
}

/// A running application and its private database.
pub struct TestApp {
    pub address: String,
    fake: Option<crate::fake_upstream::FakeUpstream>,
    pub client: reqwest::Client,
    pub backend: Backend,
    pub db: Db,
    /// Where the app's database is (a sibling app can share it).
    pub database_url: DatabaseUrl,
    /// The database, removed when the app that created it is dropped (siblings hold none).
    _database: Option<TestDatabase>,
}

/// The test's database, removed when the test ends.
pub enum TestDatabase {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl TestDatabase {
    /// A fresh database; `None` for PostgreSQL without `TEST_POSTGRES_URL`.
    pub fn create(backend: Backend) -> Option<(TestDatabase, DatabaseUrl)> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = DatabaseUrl::Sqlite(dir.path().join("data").join("test.db"));
                Some((TestDatabase::Sqlite(dir), url))
            }
            Backend::Postgres => {
                let admin_url = std::env::var("TEST_POSTGRES_URL").ok()?;
                let name = format!("shortscience_test_{}", random_suffix());
                let mut admin = PgConnection::establish(&admin_url)
                    .expect("TEST_POSTGRES_URL is set but PostgreSQL is unreachable");
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .expect("create test database");
                let url = database_url_for(&admin_url, &name);
                Some((
                    TestDatabase::Postgres { admin_url, name },
                    DatabaseUrl::Postgres(url),
                ))
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres { admin_url, name } = self {
            if let Ok(mut admin) = PgConnection::establish(admin_url) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut admin);
            }
        }
    }
}

/// `postgres://u:p@host:port/whatever?x` → same URL with the database `name`.
fn database_url_for(admin_url: &str, name: &str) -> String {
    let mut url = url::Url::parse(admin_url).expect("TEST_POSTGRES_URL is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

fn random_suffix() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{}_{}_{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    )
}

static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

pub fn note_postgres_skipped() {
    static NOTE: Once = Once::new();
    NOTE.call_once(|| {
        eprintln!("PostgreSQL tests skipped: set TEST_POSTGRES_URL=postgres://user:pass@127.0.0.1/postgres to run them");
    });
}

fn init_logs() {
    static LOGS: Once = Once::new();
    LOGS.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            shortscience_server::telemetry::init("info", "text");
        }
    });
}

/// Starts the application on a free port against a fresh database.
pub async fn spawn_app(backend: Backend, options: Options) -> Option<TestApp> {
    init_logs();
    let (database, database_url) = TestDatabase::create(backend)?;
    let mut app = start_on(backend, database_url, options).await;
    app._database = Some(database);
    Some(app)
}

impl TestApp {
    /// A second server process on the same database (several processes, one database).
    pub async fn sibling(&self, options: Options) -> TestApp {
        start_on(self.backend, self.database_url.clone(), options).await
    }
}

/// Starts the application on a free port against `database_url`.
pub async fn start_on(backend: Backend, database_url: DatabaseUrl, options: Options) -> TestApp {
    let (arxiv_api_url, crossref_api_url) = match &options.upstream {
        Some(fake) => (fake.arxiv_url(), fake.base.clone()),
        None => (
            "http://127.0.0.1:9/api/query".to_owned(),
            "http://127.0.0.1:9".to_owned(),
        ),
    };
    let settings = Settings {
        database_url: database_url.clone(),
        feed: options
            .feed
            .unwrap_or(shortscience_server::domain::feed::FeedSettings {
                reuse: std::time::Duration::ZERO,
                ..Default::default()
            }),
        rate_limits: options.rate_limits.unwrap_or_else(RateLimitConfig::relaxed),
        site: options.site.clone().unwrap_or_default(),
        upstream: options
            .upstream_config
            .clone()
            .unwrap_or_else(|| UpstreamConfig {
                timeout: std::time::Duration::from_secs(2),
                arxiv_interval: std::time::Duration::ZERO,
                ..UpstreamConfig::default()
            }),
        serve: ServeArgs {
            arxiv_api_url: arxiv_api_url.parse().expect("a URL"),
            crossref_api_url: crossref_api_url.parse().expect("a URL"),
            port: 0,
            demo: options.demo,
            workers: Some(2),
            static_dir: options
                .static_dir
                .unwrap_or_else(|| PathBuf::from("/nonexistent-static-dir")),
            trusted_proxies: options.trusted_proxies.clone(),
            read_only: options.read_only,
            public_url: options
                .mail
                .as_ref()
                .map(|_| "https://shortscience.example".to_owned()),
            digest_interval: 1,
            read_cache_ms: options.read_cache_ms,
            mail: options.mail.clone().unwrap_or_default(),
            ..ServeArgs::default()
        },
    };
    let app = Application::build(settings)
        .await
        .expect("application starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let db = app.db().clone();
    actix_web::rt::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    TestApp {
        address,
        fake: options.upstream.clone(),
        client,
        backend,
        db,
        database_url,
        _database: None,
    }
}

impl TestApp {
    /// The fake arXiv/Crossref the app was started with.
    pub fn fake(&self) -> crate::fake_upstream::FakeUpstream {
        self.fake
            .clone()
            .expect("started with Options { upstream: Some(..) }")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    pub async fn request(&self, method: reqwest::Method, path: &str) -> Response {
        self.client
            .request(method, self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// GETs `path`, asserts 200 and JSON, and decodes the body.
    pub async fn get_json<T: DeserializeOwned>(&self, path: &str) -> T {
        let response = self.get(path).await;
        let status = response.status();
        let content_type = content_type(&response);
        let body = response.text().await.expect("body");
        assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
        assert!(
            content_type.starts_with("application/json"),
            "GET {path}: {content_type}"
        );
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {path}: {e}: {body}"))
    }

    /// Runs blocking database work for test setup.
    pub fn with_conn<T>(&self, f: impl FnOnce(&mut shortscience_server::db::DbConn) -> T) -> T {
        let mut conn = self.db.get().expect("connection");
        f(&mut conn)
    }
}

pub fn content_type(response: &Response) -> String {
    response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Asserts an RFC 9457 problem with this status and code, and returns it.
pub async fn assert_problem(response: Response, status: StatusCode, code: &str) -> Problem {
    let actual = response.status();
    let content_type = content_type(&response);
    let body = response.text().await.expect("body");
    assert_eq!(actual, status, "body: {body}");
    assert_eq!(content_type, "application/problem+json", "body: {body}");
    let problem: Problem = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    assert_eq!(problem.status, status.as_u16());
    assert_eq!(problem.code.as_str(), code, "body: {body}");
    assert!(problem.type_uri.ends_with(code), "{}", problem.type_uri);
    assert!(!problem.title.is_empty());
    problem
}

/// The repository root (for committed files such as api-spec/openapi.json).
pub fn repo_root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

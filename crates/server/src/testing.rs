//! Test support (the `test-support` feature, off in the release binary): the real server,
//! started in-process on a free port against a fresh SQLite file, plus account helpers, for the
//! client's and the command line's tests.
#![allow(clippy::expect_used)]

use std::time::Duration;

use shortscience_client::types::{CreateApiTokenRequest, RegisterRequest};
use shortscience_client::Client;

use crate::config::{DatabaseUrl, ServeArgs};
use crate::domain::feed::FeedSettings;
use crate::domain::limits::RateLimitConfig;
use crate::domain::upstream::UpstreamConfig;
use crate::startup::{Application, Settings};

/// Every test user's password.
pub const PASSWORD: &str = "a long test passphrase 4711";

/// A running server, on its own thread (so tests can run on any runtime, or none); its base URL
/// is `address`, and its database is removed when this is dropped.
pub struct TestServer {
    pub address: String,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// A server with relaxed rate limits (`RateLimitConfig::relaxed`).
    pub fn start() -> Self {
        Self::with_limits(RateLimitConfig::relaxed())
    }

    /// A server with these rate limits.
    pub fn with_limits(rate_limits: RateLimitConfig) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let serve = ServeArgs {
            port: 0,
            workers: Some(1),
            // Imports must never reach the internet: upstreams point at a closed local port.
            arxiv_api_url: "http://127.0.0.1:9/api/query".parse().expect("a URL"),
            crossref_api_url: "http://127.0.0.1:9".parse().expect("a URL"),
            static_dir: "/nonexistent-static-dir".into(),
            // Every read sees the database as it is now.
            read_cache_ms: 0,
            ..ServeArgs::default()
        };
        // `Settings::new` gives every setting a test does not care about its default.
        let mut settings = Settings::new(DatabaseUrl::Sqlite(dir.path().join("test.db")), serve);
        settings.rate_limits = rate_limits;
        settings.upstream = UpstreamConfig {
            timeout: Duration::from_secs(2),
            arxiv_interval: Duration::ZERO,
            ..UpstreamConfig::default()
        };
        // Every feed request sees the order of the moment.
        settings.feed = FeedSettings {
            reuse: Duration::ZERO,
            ..FeedSettings::default()
        };
        let (started, port) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                match Application::build(settings).await {
                    Ok(app) => {
                        let _ = started.send(Ok(app.port()));
                        let _ = app.run_until_stopped().await;
                    }
                    Err(e) => {
                        let _ = started.send(Err(format!("{e:#}")));
                    }
                }
            });
        });
        let port = port
            .recv()
            .expect("the server thread reports")
            .expect("the server starts");
        Self {
            address: format!("http://127.0.0.1:{port}"),
            _dir: dir,
        }
    }

    /// A client without credentials.
    pub fn client(&self) -> Client {
        Client::new(&self.address).expect("a client")
    }

    /// Registers `username` and returns a client with a new personal API token.
    pub async fn user(&self, username: &str) -> Client {
        let token = self.token_for(username).await;
        self.client().with_token(&token).expect("a token")
    }

    /// Registers `username` and returns a new personal API token (`ss_…`).
    pub async fn token_for(&self, username: &str) -> String {
        let anonymous = self.client();
        let signed_in = anonymous
            .register(&RegisterRequest {
                username: username.to_owned(),
                email: format!("{username}@example.org"),
                password: PASSWORD.to_owned(),
                display_name: None,
            })
            .await
            .expect("registration");
        anonymous
            .with_token(&signed_in.session.access_token)
            .expect("an access token")
            .create_token(&CreateApiTokenRequest {
                name: "tests".to_owned(),
                expires_in_days: Some(1),
            })
            .await
            .expect("a token")
            .token
    }
}

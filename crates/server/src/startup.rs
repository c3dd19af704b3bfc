//! Building the application: database, migrations, demo data, routes, and the HTTP server bound
//! to its own listener so tests can start the real app on port 0.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::middleware::{Compress, DefaultHeaders, NormalizePath, TrailingSlash};
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use anyhow::Context as _;
use tracing_actix_web::TracingLogger;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::{DatabaseUrl, ServeArgs};
use crate::db::{self, Db};
use crate::domain::auth::JwtKeys;
use crate::domain::feed::FeedSnapshots;
use crate::domain::limits::{Limit, RateLimitConfig, RateLimits};
use crate::domain::upstream::{Upstream, UpstreamConfig};
use crate::http::error::ApiError;
use crate::http::openapi::{self, RouteTable, API_PREFIX};
use crate::http::spa::{self, Spa};

/// Largest JSON request body accepted.
pub const JSON_BODY_LIMIT: usize = 256 * 1024;

/// Requests announcing a larger body are refused before it is read.
pub const MAX_REQUEST_BODY: u64 = 1024 * 1024;

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: DatabaseUrl,
    pub serve: ServeArgs,
    pub rate_limits: RateLimitConfig,
    /// Timeouts, caps, pacing and caching of arXiv and Crossref requests (their URLs come from
    /// `serve`).
    pub upstream: UpstreamConfig,
}

impl Settings {
    pub fn new(database_url: DatabaseUrl, serve: ServeArgs) -> Self {
        let defaults = RateLimitConfig::default();
        let rate_limits = RateLimitConfig {
            register: Limit::new(serve.registrations_per_address, defaults.register.per),
            ..defaults
        };
        Self {
            database_url,
            serve,
            rate_limits,
            upstream: UpstreamConfig::default(),
        }
    }
}

/// A bound, not yet running server.
pub struct Application {
    port: u16,
    db: Db,
    server: Server,
}

impl Application {
    /// Connects to the database, applies migrations, loads demo data when asked, and binds.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let url = settings.database_url.clone();
        let demo = settings.serve.demo;
        let jwt_secret = settings.serve.jwt_secret.clone();
        let (db, keys) = tokio::task::spawn_blocking(move || {
            let db = prepare_database(&url, demo)?;
            let keys = load_jwt_keys(&db, jwt_secret.as_deref())?;
            anyhow::Ok((db, keys))
        })
        .await
        .context("database preparation panicked")??;
        let listener =
            TcpListener::bind((settings.serve.bind, settings.serve.port)).with_context(|| {
                format!(
                    "could not listen on {}:{}",
                    settings.serve.bind, settings.serve.port
                )
            })?;
        let port = listener.local_addr()?.port();
        let spa = Spa::new(&settings.serve.static_dir);
        let upstream = Upstream::new(UpstreamConfig {
            arxiv_api_url: settings.serve.arxiv_api_url.clone(),
            crossref_api_url: settings.serve.crossref_api_url.clone(),
            contact: settings.serve.contact_email.clone(),
            ..settings.upstream.clone()
        })?;
        let state = State {
            db: db.clone(),
            keys,
            limits: RateLimits::new(settings.rate_limits),
            upstream,
            spa,
        };
        let server = run(listener, state, settings.serve.workers)?;
        Ok(Self { port, db, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Opens the pool, applies pending migrations, and seeds demo data if asked.
pub fn prepare_database(url: &DatabaseUrl, demo: bool) -> anyhow::Result<Db> {
    let db = Db::connect(url)?;
    let mut conn = db.get()?;
    let applied = db::run_migrations(&mut conn)?;
    if !applied.is_empty() {
        tracing::info!(migrations = ?applied, "applied migrations");
    }
    if demo {
        let report = crate::domain::seed::seed_demo(&mut conn)?;
        tracing::info!(papers_added = report.papers_added, "demo data loaded");
    }
    Ok(db)
}

/// The signing keys: from configuration, else the secret stored in the database (generated on
/// first run).
pub fn load_jwt_keys(db: &Db, configured: Option<&str>) -> anyhow::Result<JwtKeys> {
    if let Some(secret) = configured {
        return JwtKeys::from_secret(secret.as_bytes())
            .context("SHORTSCIENCE_JWT_SECRET must be at least 32 characters");
    }
    let mut conn = db.get()?;
    let stored = crate::db::models::accounts::get_or_create_secret(
        &mut conn,
        "jwt_signing_key",
        JwtKeys::generate_secret,
    )
    .context("reading the JWT signing key")?;
    JwtKeys::from_base64(&stored)
}

/// What every worker shares.
struct State {
    db: Db,
    keys: JwtKeys,
    limits: RateLimits,
    upstream: Upstream,
    spa: Spa,
}

fn run(listener: TcpListener, state: State, workers: Option<usize>) -> anyhow::Result<Server> {
    let doc = openapi::openapi();
    let routes = web::Data::new(RouteTable::from_openapi(&doc));
    let db = web::Data::new(state.db);
    let keys = web::Data::new(state.keys);
    let limits = web::Data::new(state.limits);
    let upstream = web::Data::new(state.upstream);
    let spa = web::Data::new(state.spa);
    let feed = web::Data::new(FeedSnapshots::default());
    let mut server = HttpServer::new(move || {
        let mut app = App::new()
            .wrap(Compress::default())
            .wrap(
                DefaultHeaders::new()
                    .add(("X-Content-Type-Options", "nosniff"))
                    .add(("Referrer-Policy", "strict-origin-when-cross-origin"))
                    .add(("X-Frame-Options", "DENY")),
            )
            .wrap_fn(|mut req, srv| {
                use actix_web::dev::Service as _;
                let too_large = declared_length(&req).is_some_and(|n| n > MAX_REQUEST_BODY);
                spa::head_as_get(&mut req);
                let fut = (!too_large).then(|| srv.call(req));
                async move {
                    let Some(fut) = fut else {
                        // Refused before reading: the client learns at once, the server reads nothing.
                        return Err(ApiError::PayloadTooLarge {
                            limit: MAX_REQUEST_BODY as usize,
                        }
                        .into());
                    };
                    let mut res = fut.await?;
                    spa::set_cache_headers(&mut res);
                    Ok(res)
                }
            })
            .wrap(TracingLogger::default())
            .app_data(db.clone())
            .app_data(keys.clone())
            .app_data(limits.clone())
            .app_data(upstream.clone())
            .app_data(routes.clone())
            .app_data(spa.clone())
            .app_data(feed.clone())
            .app_data(
                web::JsonConfig::default()
                    .limit(JSON_BODY_LIMIT)
                    .error_handler(json_error),
            )
            .app_data(web::PathConfig::default().error_handler(path_error))
            .app_data(web::QueryConfig::default().error_handler(query_error))
            // The docs go before the /api/v1 scope, which would otherwise claim the spec's URL.
            .service(
                SwaggerUi::new("/api/docs/{_:.*}")
                    .url(format!("{API_PREFIX}/openapi.json"), doc.clone())
                    .config(utoipa_swagger_ui::Config::default().validator_url("none")),
            )
            .route("/api/docs", web::get().to(docs_redirect))
            .service(
                web::scope(API_PREFIX)
                    .wrap_fn(crate::http::etag::tag)
                    // `/api/v1/papers/` is `/api/v1/papers`.
                    .wrap(NormalizePath::new(TrailingSlash::Trim))
                    .configure(|cfg| {
                        let mut cfg = utoipa_actix_web::service_config::ServiceConfig::new(cfg);
                        crate::http::routes::configure(&mut cfg);
                    }),
            )
            .default_service(web::to(spa::fallback));
        if let Some(dir) = spa.dir() {
            app = app.service(
                actix_files::Files::new("/", dir)
                    // Other methods fall through to the fallback's problem+json 405.
                    .guard(actix_web::guard::Get())
                    .index_file("index.html")
                    .use_etag(true)
                    .use_last_modified(true)
                    .default_handler(web::to(spa::fallback)),
            );
        }
        app
    });
    if let Some(workers) = workers {
        server = server.workers(workers);
    }
    Ok(server.listen(listener)?.run())
}

fn declared_length(req: &actix_web::dev::ServiceRequest) -> Option<u64> {
    req.headers()
        .get(actix_web::http::header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header(("Location", "/api/docs/"))
        .finish()
}

fn json_error(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let api_error = match &err {
        JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
            ApiError::PayloadTooLarge {
                limit: JSON_BODY_LIMIT,
            }
        }
        JsonPayloadError::ContentType => {
            ApiError::UnsupportedMediaType("send the body as application/json".to_owned())
        }
        JsonPayloadError::Deserialize(de) => ApiError::MalformedBody {
            detail: de.to_string(),
            field: field_from_serde_message(&de.to_string()),
        },
        other => ApiError::MalformedBody {
            detail: other.to_string(),
            field: None,
        },
    };
    api_error.into()
}

/// A path parameter that does not parse names itself (`id`, `ref`…) with the reason its type
/// gives ("must be a positive integer").
fn path_error(err: PathError, req: &HttpRequest) -> actix_web::Error {
    let field = req
        .match_info()
        .iter()
        .map(|(name, _)| name.to_owned())
        .last()
        .unwrap_or_else(|| "path".to_owned());
    let message = match &err {
        PathError::Deserialize(e) => e.to_string(),
        other => other.to_string(),
    };
    ApiError::invalid_path(&field, message).into()
}

fn query_error(err: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let message = err.to_string();
    let field = field_from_serde_message(&message).unwrap_or_else(|| "query".to_owned());
    ApiError::invalid_query(&field, message).into()
}

/// serde names the field in "missing field `x`" and "unknown field `x`, expected …".
fn field_from_serde_message(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(message[start..end].to_owned())
}

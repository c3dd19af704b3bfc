//! Building the application: database, migrations, demo data, routes, and the HTTP server bound
//! to its own listener so tests can start the real app on port 0.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::middleware::{Compress, NormalizePath, TrailingSlash};
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer, ResponseError};
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
use crate::http::extract::Proxies;
use crate::http::openapi::{self, RouteTable, API_PREFIX};
use crate::http::security::SecurityHeaders;
use crate::http::spa::{self, Spa};

/// Largest JSON request body accepted.
pub const JSON_BODY_LIMIT: usize = 256 * 1024;

/// Requests announcing a larger body are refused before it is read.
pub const MAX_REQUEST_BODY: u64 = 1024 * 1024;

/// Longest request URL (path and query) served.
pub const MAX_URI: usize = 8 * 1024;

/// Largest total size of a request's headers served.
pub const MAX_HEADERS: usize = 16 * 1024;

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
            proxies: Proxies(settings.serve.trusted_proxies.clone()),
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
    let renamed = db::models::papers::normalise_keyword_slugs(&mut conn)?;
    if renamed > 0 {
        tracing::info!(keywords = renamed, "keyword slugs made URL-safe");
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
    proxies: Proxies,
}

fn run(listener: TcpListener, state: State, workers: Option<usize>) -> anyhow::Result<Server> {
    let doc = openapi::openapi();
    let routes = web::Data::new(RouteTable::from_openapi(&doc));
    let db = web::Data::new(state.db);
    let keys = web::Data::new(state.keys);
    let limits = web::Data::new(state.limits);
    let upstream = web::Data::new(state.upstream);
    let security = SecurityHeaders::new(state.spa.inline_scripts());
    let spa = web::Data::new(state.spa);
    let proxies = web::Data::new(state.proxies);
    let feed = web::Data::new(FeedSnapshots::default());
    let mut server = HttpServer::new(move || {
        let security = security.clone();
        let mut app = App::new()
            .wrap(Compress::default())
            .wrap_fn(move |mut req, srv| {
                use actix_web::dev::Service as _;
                let https = Proxies::of(req.request()).is_https(req.request());
                // Refused before reading: the client learns at once, the server reads nothing.
                let refused = oversized(&req);
                spa::head_as_get(&mut req);
                let (request, fut) = match refused {
                    Some(error) => (Some(req.request().clone()), Err(error)),
                    None => (None, Ok(srv.call(req))),
                };
                let security = security.clone();
                async move {
                    let mut res = match (fut, request) {
                        (Ok(fut), _) => fut.await?.map_into_boxed_body(),
                        (Err(error), Some(request)) => {
                            ServiceResponse::new(request, error.error_response())
                        }
                        (Err(error), None) => return Err(error.into()),
                    };
                    spa::set_cache_headers(&mut res);
                    security.apply(&mut res, https);
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
            .app_data(proxies.clone())
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

/// A request refused for its size: a declared body over [`MAX_REQUEST_BODY`], a URL over
/// [`MAX_URI`], or headers over [`MAX_HEADERS`]. (Heads past actix's own 128 KiB buffer, or URLs
/// past 64 KiB, never reach the app: actix answers those with an empty 431 or 400.)
fn oversized(req: &ServiceRequest) -> Option<ApiError> {
    let uri = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if uri > MAX_URI {
        return Some(ApiError::UriTooLong { limit: MAX_URI });
    }
    let headers: usize = req
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if headers > MAX_HEADERS {
        return Some(ApiError::HeadersTooLarge { limit: MAX_HEADERS });
    }
    declared_length(req)
        .filter(|n| *n > MAX_REQUEST_BODY)
        .map(|_| ApiError::PayloadTooLarge {
            limit: MAX_REQUEST_BODY as usize,
        })
}

fn declared_length(req: &ServiceRequest) -> Option<u64> {
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
/// gives ("must be a positive integer"). When the path is really another route's, for which
/// this method is not allowed (`PATCH /papers/1/summaries`, which `PATCH /papers/{ref:.+}`
/// caught), the answer is that route's 405.
fn path_error(err: PathError, req: &HttpRequest) -> actix_web::Error {
    if let Some(routes) = req.app_data::<web::Data<RouteTable>>() {
        let allowed = routes.allowed(req.path());
        if !allowed.is_empty() && !allowed.contains(req.method()) {
            return ApiError::MethodNotAllowed { allowed }.into();
        }
    }
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
pub(crate) fn field_from_serde_message(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(message[start..end].to_owned())
}

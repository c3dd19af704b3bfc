//! Building the application: database, migrations, demo data, routes, and the HTTP server bound
//! to its own listener so tests can start the real app on port 0.

use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::dev::ServiceResponse;
use actix_web::http::ConnectionType;
use actix_web::middleware::{Compress, NormalizePath, TrailingSlash};
use actix_web::{web, App, HttpMessage as _, HttpResponse, HttpServer, ResponseError};
use anyhow::Context as _;
use tracing_actix_web::TracingLogger;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::{DatabaseUrl, ServeArgs};
use crate::db::{self, Db};
use crate::domain::auth::JwtKeys;
use crate::domain::digests::{self, Mailer};
use crate::domain::feed::FeedSettings;
use crate::domain::health::Readiness;
use crate::domain::limits::{Limit, RateLimitConfig, RateLimits};
use crate::domain::upstream::{Upstream, UpstreamConfig};
use crate::http::extract::Proxies;
use crate::http::openapi::{self, RouteTable, API_PREFIX};
use crate::http::read_cache::{self, ReadCache};
use crate::http::rejections::{json_error, oversized, path_error, query_error, JSON_BODY_LIMIT};
use crate::http::security::SecurityHeaders;
use crate::http::site::SiteSettings;
use crate::http::spa::{self, Spa};

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: DatabaseUrl,
    pub serve: ServeArgs,
    pub rate_limits: RateLimitConfig,
    /// Timeouts, caps, pacing and caching of arXiv and Crossref requests (their URLs come from
    /// `serve`).
    pub upstream: UpstreamConfig,
    /// How feed snapshots are reused and kept.
    pub feed: FeedSettings,
    /// The public URL and the sitemap's page size.
    pub site: SiteSettings,
}

impl Settings {
    pub fn new(database_url: DatabaseUrl, serve: ServeArgs) -> Self {
        let defaults = RateLimitConfig::default();
        let rate_limits = RateLimitConfig {
            register: Limit::new(serve.registrations_per_address, defaults.register.per),
            ..defaults
        };
        let site = SiteSettings {
            public_url: serve.public_url.clone(),
            ..SiteSettings::default()
        };
        Self {
            database_url,
            serve,
            rate_limits,
            upstream: UpstreamConfig::default(),
            feed: FeedSettings::default(),
            site,
        }
    }
}

/// A bound, not yet running server.
pub struct Application {
    port: u16,
    db: Db,
    server: Server,
    draining: Arc<AtomicBool>,
    grace: Duration,
    /// The listening socket (a second handle to it), shut at SIGTERM so new connections are
    /// refused at once rather than queued and then dropped.
    listener: TcpListener,
    /// The Prometheus endpoint, when `--metrics-bind` is set.
    metrics: Option<Server>,
    /// E-mail digests and how often to look for due ones, when SMTP is configured.
    digests: Option<(Mailer, Duration)>,
}

impl Application {
    /// Connects to the database, applies migrations, loads demo data when asked, and binds.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let url = settings.database_url.clone();
        let demo = settings.serve.demo;
        let access = if settings.serve.read_only {
            db::Access::ReadOnly
        } else {
            db::Access::ReadWrite
        };
        let jwt_secret = settings.serve.jwt_secret.clone();
        // Checked before anything starts: a half-configured mailer is a start-up error.
        let mailer = Mailer::from_config(
            &settings.serve.mail,
            settings
                .serve
                .public_url
                .as_deref()
                .or(settings.site.public_url.as_deref()),
        )?;
        if mailer.is_some() && settings.serve.read_only {
            tracing::warn!("e-mail digests are not sent in read-only mode");
        }
        let mailer = mailer.filter(|_| !settings.serve.read_only);
        let (db, keys) = tokio::task::spawn_blocking(move || {
            let db = prepare_database_with(&url, demo, access)?;
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
            limits: if settings.serve.rate_limits == "off" {
                tracing::warn!("rate limits are off (SHORTSCIENCE_RATE_LIMITS=off)");
                RateLimits::off()
            } else {
                RateLimits::new(settings.rate_limits)
            },
            upstream,
            spa,
            proxies: Proxies(settings.serve.trusted_proxies.clone()),
            feed: settings.feed,
            site: settings.site,
            mode: Mode {
                read_only: settings.serve.read_only,
                email_digests: mailer.is_some(),
            },
            read_cache: ReadCache::new(Duration::from_millis(settings.serve.read_cache_ms)),
        };
        let draining = Arc::new(AtomicBool::new(false));
        let grace = Duration::from_secs(settings.serve.shutdown_grace);
        let metrics = settings
            .serve
            .metrics_bind
            .map(|address| metrics_server(address, db.clone()))
            .transpose()?;
        let own_handle = listener
            .try_clone()
            .context("keeping a handle on the listening socket")?;
        let server = run(listener, state, settings.serve.workers, &draining, grace)?;
        Ok(Self {
            port,
            db,
            server,
            draining,
            grace,
            listener: own_handle,
            metrics,
            digests: mailer.map(|m| (m, Duration::from_secs(settings.serve.digest_interval))),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Serves until SIGTERM or Ctrl-C, then shuts down gracefully:
    /// 1. the listening socket is shut, so new connections are refused at once (a load balancer
    ///    moves on) instead of being accepted and then dropped;
    /// 2. every answer from then on says `Connection: close`, so a client on a kept-alive
    ///    connection gets the answer to the request it sent and reconnects elsewhere;
    /// 3. after a moment for connections already accepted to reach a worker, the server stops:
    ///    requests in flight and idle keep-alive connections get up to the grace period
    ///    (`--shutdown-grace`) to finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let handle = self.server.handle();
        let metrics = self.metrics.map(|server| {
            let handle = server.handle();
            actix_web::rt::spawn(server);
            handle
        });
        let digests = self.digests.map(|(mailer, every)| {
            actix_web::rt::spawn(send_digests_every(self.db.clone(), mailer, every))
        });
        let (draining, grace, listener) = (self.draining, self.grace, self.listener);
        actix_web::rt::spawn(async move {
            if wait_for_signal().await.is_err() {
                return;
            }
            tracing::info!(
                grace_s = grace.as_secs(),
                "shutting down: refusing new connections, finishing the open ones"
            );
            draining.store(true, Ordering::Relaxed);
            // Shutting a listening socket refuses new connections (and resets any the kernel
            // queued but nobody accepted); pausing keeps actix from polling the shut socket.
            if let Err(error) = socket2::SockRef::from(&listener).shutdown(std::net::Shutdown::Read)
            {
                tracing::warn!(%error, "could not shut the listening socket");
            }
            handle.pause().await;
            // Connections accepted just before are queued for a worker; a stopping worker drops
            // its queue, so let them reach it first.
            actix_web::rt::time::sleep(HANDOFF).await;
            handle.stop(true).await;
            if let Some(metrics) = metrics {
                metrics.stop(true).await;
            }
        });
        let served = self.server.await;
        if let Some(digests) = digests {
            digests.abort();
        }
        served
    }

    /// Stops as on SIGTERM (tests).
    pub fn draining_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.draining)
    }
}

/// Sends the e-mail digests that are due, now and then every `every`. A failed pass is logged
/// and the next one tries again.
async fn send_digests_every(db: Db, mailer: Mailer, every: Duration) {
    tracing::info!(every_s = every.as_secs(), "e-mail digests on");
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if let Err(error) = digests::send_due(&db, &mailer, db::models::now()).await {
            tracing::warn!(error = %format!("{error:#}"), "e-mail digest pass failed");
        }
    }
}

/// The metrics endpoint on its own address, one worker.
fn metrics_server(address: std::net::SocketAddr, db: Db) -> anyhow::Result<Server> {
    let server = HttpServer::new(move || {
        let db = db.clone();
        App::new().route(
            "/metrics",
            web::get().to(move || {
                let (idle, total) = db.pool_state();
                async move {
                    HttpResponse::Ok()
                        .content_type("text/plain; version=0.0.4")
                        .body(crate::metrics::render(idle, total))
                }
            }),
        )
    })
    .workers(1)
    .disable_signals()
    .bind(address)
    .with_context(|| format!("could not listen on {address} for metrics"))?
    .run();
    tracing::info!("metrics at http://{address}/metrics");
    Ok(server)
}

/// How long a connection accepted just before shutdown may take to reach its worker.
const HANDOFF: Duration = Duration::from_millis(250);

#[cfg(unix)]
async fn wait_for_signal() -> std::io::Result<()> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())?;
    tokio::select! {
        _ = term.recv() => Ok(()),
        result = tokio::signal::ctrl_c() => result,
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() -> std::io::Result<()> {
    tokio::signal::ctrl_c().await
}

/// How this process serves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Mode {
    /// `--read-only`: reads only; every write answers 503 `storage_unavailable`.
    pub read_only: bool,
    /// E-mail digests are sent (SMTP is configured).
    pub email_digests: bool,
}

/// Opens the pool, applies pending migrations, and seeds demo data if asked. In read-only mode
/// (or on storage that turns out read-only) nothing is written: pending migrations are then an
/// error, as the code would not match the schema.
pub fn prepare_database(url: &DatabaseUrl, demo: bool) -> anyhow::Result<Db> {
    prepare_database_with(url, demo, db::Access::ReadWrite)
}

pub fn prepare_database_with(
    url: &DatabaseUrl,
    demo: bool,
    access: db::Access,
) -> anyhow::Result<Db> {
    let db = Db::connect_with(url, access)?;
    let mut conn = db.get()?;
    let pending = db::pending_migrations(&mut conn)?;
    if access == db::Access::ReadOnly {
        anyhow::ensure!(
            pending.is_empty(),
            "the database lacks migrations {pending:?}: start once without --read-only (or run `shortscience migrate up`) to apply them"
        );
        if demo {
            tracing::warn!("--demo is ignored in read-only mode");
        }
        return Ok(db);
    }
    if !pending.is_empty() {
        let applied = db::run_migrations(&mut conn)?;
        tracing::info!(migrations = ?applied, "applied migrations");
    }
    match db::models::keywords::normalise_keyword_slugs(&mut conn) {
        Ok(0) => {}
        Ok(renamed) => tracing::info!(keywords = renamed, "keyword slugs made URL-safe"),
        Err(err) => tracing::warn!(error = %err, "keyword slugs left as they are"),
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
    feed: FeedSettings,
    site: SiteSettings,
    mode: Mode,
    read_cache: Arc<ReadCache>,
}

fn run(
    listener: TcpListener,
    state: State,
    workers: Option<usize>,
    draining: &Arc<AtomicBool>,
    grace: Duration,
) -> anyhow::Result<Server> {
    let doc = openapi::openapi();
    let routes = web::Data::new(RouteTable::from_openapi(&doc));
    let blocking = blocking_threads(state.db.max_connections(), workers);
    let db = web::Data::new(state.db);
    let keys = web::Data::new(state.keys);
    let limits = web::Data::new(state.limits);
    let upstream = web::Data::new(state.upstream);
    let security = SecurityHeaders::new(state.spa.inline_scripts());
    let spa = web::Data::new(state.spa);
    let proxies = web::Data::new(state.proxies);
    let feed = web::Data::new(state.feed);
    let site = web::Data::new(state.site);
    let mode = web::Data::new(state.mode);
    let readiness = web::Data::new(Readiness::default());
    let draining = Arc::clone(draining);
    let read_cache = state.read_cache;
    let mut server = HttpServer::new(move || {
        let security = security.clone();
        let draining = Arc::clone(&draining);
        let read_cache = Arc::clone(&read_cache);
        let mut app = App::new()
            // Innermost: what it keeps is the uncompressed answer, compressed per client.
            .wrap(actix_web::middleware::from_fn(move |req, next| {
                read_cache::serve(Arc::clone(&read_cache), req, next)
            }))
            .wrap(Compress::default())
            .wrap_fn(move |mut req, srv| {
                use actix_web::dev::Service as _;
                let https = Proxies::of(req.request()).is_https(req.request());
                let started = std::time::Instant::now();
                let request_id = req
                    .extensions()
                    .get::<tracing_actix_web::RequestId>()
                    .map(|id| id.to_string());
                // Refused before reading: the client learns at once, the server reads nothing.
                let refused = oversized(&req);
                spa::head_as_get(&mut req);
                let (request, fut) = match refused {
                    Some(error) => (Some(req.request().clone()), Err(error)),
                    None => (None, Ok(srv.call(req))),
                };
                let security = security.clone();
                let closing = draining.load(Ordering::Relaxed);
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
                    if closing {
                        res.response_mut()
                            .head_mut()
                            .set_connection_type(ConnectionType::Close);
                    }
                    crate::metrics::observe_request(
                        res.request().method().as_str(),
                        res.request()
                            .match_pattern()
                            .as_deref()
                            .unwrap_or("unmatched"),
                        res.status().as_u16(),
                        started.elapsed().as_secs_f64(),
                    );
                    Ok(crate::http::error::stamp(res, request_id).await)
                }
            })
            .wrap(TracingLogger::<crate::telemetry::RedactingRootSpan>::new())
            .app_data(db.clone())
            .app_data(keys.clone())
            .app_data(limits.clone())
            .app_data(upstream.clone())
            .app_data(routes.clone())
            .app_data(spa.clone())
            .app_data(proxies.clone())
            .app_data(feed.clone())
            .app_data(site.clone())
            .app_data(mode.clone())
            .app_data(readiness.clone())
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
            // Feeds, the sitemap and robots.txt: before the static files, which would claim `/`.
            .configure(crate::http::site::configure)
            .default_service(web::to(spa::fallback));
        if let Some(dir) = spa.dir() {
            // Hashed assets with the `.br`/`.gz` twins the build wrote beside them.
            app = app.service(
                web::resource(spa::PRECOMPRESSED_ASSET)
                    .guard(actix_web::guard::Get())
                    .to(spa::precompressed),
            );
            app = app.service(
                actix_files::Files::new("/", dir)
                    // Other methods fall through to the fallback's problem+json 405.
                    .guard(actix_web::guard::Get())
                    // `/` and `index.html` go to the fallback, which fills the page in.
                    .path_filter(|path, _| {
                        !path.as_os_str().is_empty() && path != std::path::Path::new("index.html")
                    })
                    .use_etag(true)
                    .use_last_modified(true)
                    .default_handler(web::to(spa::fallback)),
            );
        }
        app
    });
    // Answers go out at once: without TCP_NODELAY, a response written in two parts (head, then a
    // file's body) waits for the client's delayed ACK, a fixed ~40 ms on every static file.
    server = server.on_connect(|connection, _| {
        if let Some(tcp) = connection.downcast_ref::<actix_web::rt::net::TcpStream>() {
            if let Err(error) = tcp.set_nodelay(true) {
                tracing::debug!(%error, "could not set TCP_NODELAY");
            }
        }
    });
    if let Some(workers) = workers {
        server = server.workers(workers);
    }
    server = server.worker_max_blocking_threads(blocking);
    // Signals are handled in `run_until_stopped`, which drains before stopping.
    server = server
        .disable_signals()
        .shutdown_timeout(grace.as_secs().max(1));
    Ok(server.listen(listener)?.run())
}

/// Each worker's share of the database connections, plus one for blocking work that needs none
/// (a password hash). Almost every blocking task holds a connection, so threads beyond the share
/// would only wait for one: with actix's default of 512 per worker, the full benchmark
/// (`just bench`) saw up to 131 threads (and their stacks) alive; with this, 19 at most.
fn blocking_threads(connections: u32, workers: Option<usize>) -> usize {
    let workers = workers
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
        .unwrap_or(1)
        .max(1);
    (connections as usize).div_ceil(workers) + 1
}

async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header(("Location", "/api/docs/"))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::blocking_threads;

    #[test]
    fn each_worker_gets_its_share_of_connections_plus_one_blocking_thread() {
        assert_eq!(blocking_threads(8, Some(2)), 5);
        assert_eq!(blocking_threads(8, Some(3)), 4, "shares round up");
        assert_eq!(blocking_threads(16, Some(1)), 17);
        assert_eq!(blocking_threads(8, Some(0)), 9, "no workers is read as one");
        assert!(blocking_threads(8, None) >= 2);
    }
}

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
use crate::error::ApiError;
use crate::openapi::{self, RouteTable, API_PREFIX};
use crate::spa::{self, Spa};

/// Largest JSON request body accepted.
pub const JSON_BODY_LIMIT: usize = 256 * 1024;

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: DatabaseUrl,
    pub serve: ServeArgs,
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
        let db = tokio::task::spawn_blocking(move || prepare_database(&url, demo))
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
        let server = run(listener, db.clone(), spa, settings.serve.workers)?;
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
        let report = crate::seed::seed_demo(&mut conn)?;
        tracing::info!(papers_added = report.papers_added, "demo data loaded");
    }
    Ok(db)
}

fn run(listener: TcpListener, db: Db, spa: Spa, workers: Option<usize>) -> anyhow::Result<Server> {
    let doc = openapi::openapi();
    let routes = web::Data::new(RouteTable::from_openapi(&doc));
    let db = web::Data::new(db);
    let spa = web::Data::new(spa);
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
                spa::head_as_get(&mut req);
                let fut = srv.call(req);
                async move {
                    let mut res = fut.await?;
                    spa::set_cache_headers(&mut res);
                    Ok(res)
                }
            })
            .wrap(TracingLogger::default())
            .app_data(db.clone())
            .app_data(routes.clone())
            .app_data(spa.clone())
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
                    .wrap_fn(crate::etag::tag)
                    // `/api/v1/papers/` is `/api/v1/papers`.
                    .wrap(NormalizePath::new(TrailingSlash::Trim))
                    .configure(|cfg| {
                        let mut cfg = utoipa_actix_web::service_config::ServiceConfig::new(cfg);
                        crate::routes::configure(&mut cfg);
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

fn path_error(err: PathError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::invalid_path("path", err.to_string()).into()
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

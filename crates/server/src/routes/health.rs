//! `GET /health`.

use actix_web::{get, web, HttpResponse};
use shortscience_types::{Health, Problem};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::db::{self, Db};
use crate::error::{ApiError, ApiResult};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_health);
}

/// Service health: answers 200 when the database answers.
#[utoipa::path(
    tag = "system",
    responses(
        (status = 200, description = "The service and its database are up", body = Health),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/health")]
pub async fn get_health(db: web::Data<Db>) -> ApiResult<HttpResponse> {
    let migration = db
        .run(|conn| db::latest_migration(conn).map_err(ApiError::Unavailable))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(Health {
            status: "ok".to_owned(),
            database: db.backend().to_owned(),
            migration,
            version: env!("CARGO_PKG_VERSION").to_owned(),
        }))
}

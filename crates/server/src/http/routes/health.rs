//! `GET /health` (readiness) and `GET /health/live` (liveness).

use actix_web::{get, web, HttpResponse};
use shortscience_types::{Health, Liveness};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::db::Db;
use crate::domain::health::Readiness;
use crate::http::error::ApiResult;
use crate::http::responses::HealthProblems;
use crate::startup::Mode;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_liveness).service(get_health);
}

/// Readiness: 200 when the database answers and takes writes (a one-row write, probed at most
/// once a second per process); 503 `storage_unavailable` when it cannot write, 503
/// `service_unavailable` when it does not answer. In read-only mode, 200 with `read_only` when
/// it answers.
#[utoipa::path(
    tag = "system",
    responses((status = 200, description = "Ready to serve", body = Health), HealthProblems)
)]
#[get("/health")]
pub async fn get_health(
    db: web::Data<Db>,
    readiness: web::Data<Readiness>,
    mode: web::Data<Mode>,
) -> ApiResult<HttpResponse> {
    let health = readiness.check(&db, mode.read_only).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(health))
}

/// Liveness: the process answers. Touches no database (the baseline of every benchmark ratio).
#[utoipa::path(
    tag = "system",
    responses((status = 200, description = "The process is alive", body = Liveness))
)]
#[get("/health/live")]
pub async fn get_liveness() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(Liveness {
            status: "ok".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        })
}

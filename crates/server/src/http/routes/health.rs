//! `GET /health`.

use actix_web::{get, web, HttpResponse};
use shortscience_types::Health;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::db::Db;
use crate::domain;
use crate::http::error::ApiResult;
use crate::http::responses::HealthProblems;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_health);
}

/// Service health: answers 200 when the database answers.
#[utoipa::path(
    tag = "system",
    responses((status = 200, description = "The service and its database are up", body = Health), HealthProblems)
)]
#[get("/health")]
pub async fn get_health(db: web::Data<Db>) -> ApiResult<HttpResponse> {
    let health = domain::health::check(&db).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(health))
}

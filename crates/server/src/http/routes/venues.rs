//! Venues: `GET /venues`, `GET /venues/{slug}`.

use actix_web::{get, web, HttpResponse};
use shortscience_types::{VenueDetail, VenueList};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::db::Db;
use crate::domain::browse;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::Segment;
use crate::http::responses::{ListProblems, ReadProblems};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_venues).service(get_venue);
}

/// Every venue with at least one paper, by name, with paper and summary totals.
#[utoipa::path(
    tag = "venues",
    responses((status = 200, description = "The venues", body = VenueList), ListProblems)
)]
#[get("/venues")]
pub async fn list_venues(db: web::Data<Db>) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(browse::venues(&db).await?))
}

/// A venue with its totals and the years it has papers from. Its papers are at
/// `GET /papers?venue={slug}`.
#[utoipa::path(
    tag = "venues",
    params(("slug" = String, Path, description = "The venue's slug", example = "iclr", max_length = 100)),
    responses((status = 200, description = "The venue", body = VenueDetail), ReadProblems)
)]
#[get("/venues/{slug}")]
pub async fn get_venue(db: web::Data<Db>, slug: web::Path<Segment>) -> ApiResult<HttpResponse> {
    let slug = slug.into_inner().0;
    if slug.chars().count() > 100 {
        return Err(ApiError::invalid_path(
            "slug",
            "must be at most 100 characters",
        ));
    }
    Ok(HttpResponse::Ok().json(browse::venue(&db, slug).await?))
}

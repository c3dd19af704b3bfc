//! Venues: `GET /venues`, `GET /venues/{slug}`.

use actix_web::{get, web, HttpResponse};
use shortscience_types::{
    Problem, VenueDetail, VenueKind, VenueList, VenueListItem, VenueRef, YearCount,
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::db::models::venues::{self, Venue};
use crate::db::Db;
use crate::error::{ApiError, ApiResult};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_venues).service(get_venue);
}

pub fn venue_ref(venue: Venue) -> VenueRef {
    VenueRef {
        kind: VenueKind::from_db(&venue.kind),
        slug: venue.slug,
        name: venue.name,
    }
}

/// Every venue with at least one paper, by name, with paper and summary totals.
#[utoipa::path(
    tag = "venues",
    responses((status = 200, description = "The venues", body = VenueList))
)]
#[get("/venues")]
pub async fn list_venues(db: web::Data<Db>) -> ApiResult<HttpResponse> {
    let rows = db.run(|conn| Ok(venues::list_with_counts(conn)?)).await?;
    let items = rows
        .into_iter()
        .map(|row| VenueListItem {
            kind: VenueKind::from_db(&row.venue.kind),
            slug: row.venue.slug,
            name: row.venue.name,
            paper_count: row.paper_count,
            summary_count: row.summary_count,
        })
        .collect();
    Ok(HttpResponse::Ok().json(VenueList { items }))
}

/// A venue with its totals and the years it has papers from. Its papers are at
/// `GET /papers?venue={slug}`.
#[utoipa::path(
    tag = "venues",
    params(("slug" = String, Path, description = "The venue's slug", example = "iclr")),
    responses(
        (status = 200, description = "The venue", body = VenueDetail),
        (status = 404, description = "No such venue", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/venues/{slug}")]
pub async fn get_venue(db: web::Data<Db>, path: web::Path<String>) -> ApiResult<HttpResponse> {
    let slug = path.into_inner().to_lowercase();
    if slug.len() > 100 {
        return Err(ApiError::invalid_path(
            "slug",
            "must be at most 100 characters",
        ));
    }
    let detail = db
        .run(move |conn| {
            let Some(venue) = venues::find_by_slug(conn, &slug)? else {
                return Err(ApiError::not_found(format!("no venue `{slug}`")));
            };
            let (paper_count, summary_count) = venues::counts(conn, venue.id)?;
            let years = venues::years(conn, venue.id)?
                .into_iter()
                .map(|(year, paper_count)| YearCount { year, paper_count })
                .collect();
            Ok(VenueDetail {
                kind: VenueKind::from_db(&venue.kind),
                slug: venue.slug,
                name: venue.name,
                paper_count,
                summary_count,
                years,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(detail))
}

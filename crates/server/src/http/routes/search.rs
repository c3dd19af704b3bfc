//! `GET /search`.

use actix_web::{get, web, HttpResponse};
use shortscience_types::{Page, SearchQuery, SearchResults};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::db::Db;
use crate::domain::limits::RateLimits;
use crate::domain::search;
use crate::http::error::ApiResult;
use crate::http::extract::ClientIp;
use crate::http::query::Query;
use crate::http::responses::SearchProblems;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(search_catalogue);
}

/// Searches papers (title, authors, keywords, abstract, arXiv id, DOI, venue) and public
/// summaries, most relevant first, with the matches marked in each snippet. Private, hidden and
/// deleted summaries are never found; anonymous ones never name their author. A query that is
/// exactly a catalogued paper's arXiv id, arXiv URL or DOI also answers that paper in `exact`.
#[utoipa::path(
    tag = "search",
    params(SearchQuery, Page),
    responses((status = 200, description = "One page of results", body = SearchResults), SearchProblems)
)]
#[get("/search")]
pub async fn search_catalogue(
    db: web::Data<Db>,
    limits: web::Data<RateLimits>,
    ClientIp(client): ClientIp,
    Query(query): Query<SearchQuery>,
    Query(page): Query<Page>,
) -> ApiResult<HttpResponse> {
    let results = search::search(&db, &limits, client, query, page).await?;
    Ok(HttpResponse::Ok().json(results))
}

//! Browsing the catalogue: years, authors, keywords.

use actix_web::{get, web, HttpResponse};
use shortscience_types::{AuthorDetail, AuthorId, KeywordItem, KeywordList, SiteStats, YearList};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::db::Db;
use crate::domain::browse;
use crate::http::error::ApiResult;
use crate::http::extract::Segment;
use crate::http::responses::{ListProblems, ReadProblems};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_stats)
        .service(list_years)
        .service(get_author)
        .service(list_keywords)
        .service(get_keyword);
}

/// The site's totals: public summaries, papers and contributors (people with a public
/// summary).
#[utoipa::path(tag = "browse", responses((status = 200, description = "The totals", body = SiteStats), ListProblems))]
#[get("/stats")]
pub async fn get_stats(db: web::Data<Db>) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(browse::stats(&db).await?))
}

/// Years with papers, newest first; the papers of a year are at `GET /papers?year=`.
#[utoipa::path(tag = "browse", responses((status = 200, description = "The years", body = YearList), ListProblems))]
#[get("/years")]
pub async fn list_years(db: web::Data<Db>) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(browse::years(&db).await?))
}

/// An author; their papers are at `GET /papers?author={id}`.
#[utoipa::path(
    tag = "browse",
    params(("id" = AuthorId, Path, description = "The author's id")),
    responses((status = 200, description = "The author", body = AuthorDetail), ReadProblems)
)]
#[get("/authors/{id}")]
pub async fn get_author(db: web::Data<Db>, id: web::Path<AuthorId>) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(browse::author(&db, id.into_inner()).await?))
}

/// Keywords and arXiv categories, the most used first (at most 500).
#[utoipa::path(tag = "browse", responses((status = 200, description = "The keywords", body = KeywordList), ListProblems))]
#[get("/keywords")]
pub async fn list_keywords(db: web::Data<Db>) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(browse::keywords(&db).await?))
}

/// A keyword; its papers are at `GET /papers?keyword={slug}`.
#[utoipa::path(
    tag = "browse",
    params(("slug" = String, Path, description = "The keyword's slug, e.g. `cs.cl`")),
    responses((status = 200, description = "The keyword", body = KeywordItem), ReadProblems)
)]
#[get("/keywords/{slug}")]
pub async fn get_keyword(db: web::Data<Db>, slug: web::Path<Segment>) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(browse::keyword(&db, slug.into_inner().0).await?))
}

//! Browsing the catalogue: years, authors, keywords.

use actix_web::{get, web, HttpResponse};
use shortscience_types::{
    AuthorDetail, AuthorId, KeywordItem, KeywordList, Problem, YearCount, YearList,
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::db::models::papers;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_years)
        .service(get_author)
        .service(list_keywords)
        .service(get_keyword);
}

/// Years with papers, newest first; the papers of a year are at `GET /papers?year=`.
#[utoipa::path(tag = "browse", responses((status = 200, description = "The years", body = YearList)))]
#[get("/years")]
pub async fn list_years(db: web::Data<Db>) -> ApiResult<HttpResponse> {
    let years = db.run(|conn| Ok(papers::years(conn)?)).await?;
    Ok(HttpResponse::Ok().json(YearList {
        items: years
            .into_iter()
            .map(|(year, paper_count)| YearCount { year, paper_count })
            .collect(),
    }))
}

/// An author; their papers are at `GET /papers?author={id}`.
#[utoipa::path(
    tag = "browse",
    params(("id" = i64, Path, description = "The author's id")),
    responses(
        (status = 200, description = "The author", body = AuthorDetail),
        (status = 400, description = "Not an id", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such author", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/authors/{id}")]
pub async fn get_author(db: web::Data<Db>, path: web::Path<String>) -> ApiResult<HttpResponse> {
    let id: i64 = path
        .into_inner()
        .parse()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::invalid_path("id", "must be an author id (a positive integer)"))?;
    let (author, paper_count) = db
        .run(move |conn| {
            papers::author(conn, id)?.ok_or_else(|| ApiError::not_found(format!("no author {id}")))
        })
        .await?;
    Ok(HttpResponse::Ok().json(AuthorDetail {
        id: AuthorId(author.id),
        name: author.name,
        paper_count,
    }))
}

/// Keywords and arXiv categories, the most used first (at most 500).
#[utoipa::path(tag = "browse", responses((status = 200, description = "The keywords", body = KeywordList)))]
#[get("/keywords")]
pub async fn list_keywords(db: web::Data<Db>) -> ApiResult<HttpResponse> {
    let rows = db
        .run(|conn| Ok(papers::keywords_with_counts(conn, 500)?))
        .await?;
    Ok(HttpResponse::Ok().json(KeywordList {
        items: rows
            .into_iter()
            .map(|(k, kind, paper_count)| KeywordItem {
                slug: k.slug,
                name: k.name,
                kind,
                paper_count,
            })
            .collect(),
    }))
}

/// A keyword; its papers are at `GET /papers?keyword={slug}`.
#[utoipa::path(
    tag = "browse",
    params(("slug" = String, Path, description = "The keyword's slug, e.g. `cs.cl`")),
    responses(
        (status = 200, description = "The keyword", body = KeywordItem),
        (status = 404, description = "No such keyword", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/keywords/{slug}")]
pub async fn get_keyword(db: web::Data<Db>, path: web::Path<String>) -> ApiResult<HttpResponse> {
    let slug = path.into_inner().to_lowercase();
    let (keyword, kind, paper_count) = db
        .run(move |conn| {
            papers::keyword(conn, &slug)?
                .ok_or_else(|| ApiError::not_found(format!("no keyword `{slug}`")))
        })
        .await?;
    Ok(HttpResponse::Ok().json(KeywordItem {
        slug: keyword.slug,
        name: keyword.name,
        kind,
        paper_count,
    }))
}

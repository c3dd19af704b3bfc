//! Papers: `GET /papers`, `GET /papers/{ref}`.

use actix_web::{get, web, HttpResponse};
use shortscience_types::{Page, PaperDetail, PaperListQuery, PaperPage, PaperRef};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::db::Db;
use crate::domain::papers;
use crate::http::error::ApiResult;
use crate::http::extract::MaybeAuthUser;
use crate::http::query::Query;
use crate::http::responses::{ListProblems, ReadProblems};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_papers).service(get_paper);
}

/// Papers, filtered by venue, year, keyword and author, in one of four orders.
/// Keyset-paginated: follow `next_cursor`.
#[utoipa::path(
    tag = "papers",
    params(PaperListQuery, Page),
    responses((status = 200, description = "One page of papers", body = PaperPage), ListProblems)
)]
#[get("/papers")]
pub async fn list_papers(
    db: web::Data<Db>,
    Query(query): Query<PaperListQuery>,
    Query(page): Query<Page>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(papers::list(&db, query, page).await?))
}

/// A paper with its authors, venue, keywords, links and its public summaries, best first
/// (signed in: with the caller's votes and own summary).
#[utoipa::path(
    tag = "papers",
    params(PaperRef),
    responses((status = 200, description = "The paper", body = PaperDetail), ReadProblems)
)]
#[get("/papers/{ref:.+}")]
pub async fn get_paper(
    db: web::Data<Db>,
    caller: MaybeAuthUser,
    reference: web::Path<PaperRef>,
) -> ApiResult<HttpResponse> {
    let paper = papers::get(&db, caller.viewer(), reference.into_inner()).await?;
    Ok(HttpResponse::Ok().json(paper))
}

//! Adding papers by hand, editing them, their change log and BibTeX.

use actix_web::{get, patch, post, web, HttpResponse};
use shortscience_types::{
    CreatePaperRequest, PaperDetail, PaperHistory, PaperRef, UpdatePaperRequest,
};
use utoipa_actix_web::service_config::ServiceConfig;

use super::created;
use crate::db::Db;
use crate::domain::{catalogue, papers};
use crate::http::error::ApiResult;
use crate::http::extract::ActiveUser;
use crate::http::json::Json;
use crate::http::responses::{ReadProblems, WriteProblems};

pub fn configure(cfg: &mut ServiceConfig) {
    // Before `GET /papers/{ref:.+}`, which would otherwise take `…/bibtex` as part of a DOI.
    cfg.service(get_bibtex)
        .service(get_paper_history)
        .service(create_paper)
        .service(update_paper);
}

/// Adds a paper that is in neither arXiv nor Crossref, from a form. A paper with the same DOI or
/// arXiv id is a 409 `paper_exists` naming it in `paper_id`.
#[utoipa::path(
    tag = "papers",
    security(("bearer" = [])),
    request_body = CreatePaperRequest,
    responses((status = 201, description = "Added", body = PaperDetail), WriteProblems)
)]
#[post("/papers")]
pub async fn create_paper(
    db: web::Data<Db>,
    ActiveUser(caller): ActiveUser,
    body: Json<CreatePaperRequest>,
) -> ApiResult<HttpResponse> {
    let paper = catalogue::create(&db, &caller, body.into_inner()).await?;
    Ok(created(format!("/api/v1/papers/{}", paper.id), &paper))
}

/// Corrects a paper's metadata: by whoever added it, or a moderator. Every change is recorded
/// (who, when, what) in the paper's history.
#[utoipa::path(
    tag = "papers",
    security(("bearer" = [])),
    params(PaperRef),
    request_body = UpdatePaperRequest,
    responses((status = 200, description = "The updated paper", body = PaperDetail), WriteProblems)
)]
#[patch("/papers/{ref:.+}")]
pub async fn update_paper(
    db: web::Data<Db>,
    ActiveUser(caller): ActiveUser,
    reference: web::Path<PaperRef>,
    body: Json<UpdatePaperRequest>,
) -> ApiResult<HttpResponse> {
    let paper = catalogue::update(&db, &caller, reference.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(paper))
}

/// Who added or changed the paper, when, and what.
#[utoipa::path(
    tag = "papers",
    params(PaperRef),
    responses((status = 200, description = "The change log, oldest first", body = PaperHistory), ReadProblems)
)]
#[get("/papers/{ref:.+}/history")]
pub async fn get_paper_history(
    db: web::Data<Db>,
    reference: web::Path<PaperRef>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(catalogue::history(&db, reference.into_inner()).await?))
}

/// The paper as a BibTeX entry.
#[utoipa::path(
    tag = "papers",
    params(PaperRef),
    responses((status = 200, description = "A BibTeX entry", body = String, content_type = "text/x-bibtex"), ReadProblems)
)]
#[get("/papers/{ref:.+}/bibtex")]
pub async fn get_bibtex(
    db: web::Data<Db>,
    reference: web::Path<PaperRef>,
) -> ApiResult<HttpResponse> {
    let (key, entry) = papers::bibtex(&db, reference.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/x-bibtex; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("inline; filename=\"{key}.bib\""),
        ))
        .body(entry))
}

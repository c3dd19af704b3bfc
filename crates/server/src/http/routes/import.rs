//! `POST /papers/import`: add a paper by arXiv id or DOI, its metadata fetched upstream.

use actix_web::{post, web, HttpResponse};
use shortscience_types::{ImportAnswer, ImportPaperRequest, PaperDetail};
use utoipa_actix_web::service_config::ServiceConfig;

use super::created;
use crate::db::Db;
use crate::domain::import::{self, Imported};
use crate::domain::limits::RateLimits;
use crate::domain::upstream::Upstream;
use crate::http::error::ApiResult;
use crate::http::extract::ActiveUser;
use crate::http::json::Json;
use crate::http::responses::{UpstreamProblems, WriteProblems};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(import_paper);
}

/// Adds a paper by arXiv id or DOI, with its metadata from arXiv or Crossref. Importing a paper
/// that is already in the catalogue (any arXiv version; DOIs in any case; an arXiv paper whose
/// DOI matches) answers 200 with the existing paper instead of adding a duplicate.
#[utoipa::path(
    tag = "papers",
    security(("bearer" = [])),
    request_body = ImportPaperRequest,
    responses(
        (status = 201, description = "Imported", body = PaperDetail),
        (status = 200, description = "Already in the catalogue (a paper), or with `dry_run` the preview (`existing`, `paper`)", body = ImportAnswer),
        WriteProblems,
        UpstreamProblems,
    )
)]
#[post("/papers/import")]
pub async fn import_paper(
    db: web::Data<Db>,
    upstream: web::Data<Upstream>,
    limits: web::Data<RateLimits>,
    ActiveUser(caller): ActiveUser,
    body: Json<ImportPaperRequest>,
) -> ApiResult<HttpResponse> {
    Ok(
        match import::import(&db, &upstream, &limits, &caller, body.into_inner()).await? {
            Imported::Created(paper) => created(format!("/api/v1/papers/{}", paper.id), &paper),
            Imported::Existing(paper) => HttpResponse::Ok().json(paper),
            Imported::Preview(preview) => HttpResponse::Ok().json(preview),
        },
    )
}

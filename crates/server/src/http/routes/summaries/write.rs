//! Writing, editing and deleting summaries.

use actix_web::{delete, patch, post, web, HttpResponse};
use shortscience_types::{
    CreateSummaryRequest, PaperRef, SummaryDetail, SummaryId, UpdateSummaryRequest,
};

use crate::db::Db;
use crate::domain::limits::RateLimits;
use crate::domain::summaries;
use crate::http::error::ApiResult;
use crate::http::extract::ActiveUser;
use crate::http::json::Json;
use crate::http::responses::WriteProblems;
use crate::http::routes::created;

/// Writes the caller's summary of a paper. One per user per paper: a second one is a 409
/// `summary_exists` whose `summary_id` names the existing summary (edit that instead). A summary
/// its author deleted is brought back with the new text.
#[utoipa::path(
    tag = "summaries",
    security(("bearer" = [])),
    params(PaperRef),
    request_body = CreateSummaryRequest,
    responses((status = 201, description = "Published (or saved privately)", body = SummaryDetail), WriteProblems)
)]
#[post("/papers/{ref:.+}/summaries")]
pub async fn create_summary(
    db: web::Data<Db>,
    limits: web::Data<RateLimits>,
    ActiveUser(caller): ActiveUser,
    reference: web::Path<PaperRef>,
    body: Json<CreateSummaryRequest>,
) -> ApiResult<HttpResponse> {
    let detail = summaries::create(
        &db,
        &limits,
        &caller,
        reference.into_inner(),
        body.into_inner(),
    )
    .await?;
    Ok(created(
        format!("/api/v1/summaries/{}", detail.summary.id),
        &detail,
    ))
}

/// Edits a summary. Its author changes the text (every version is kept as a revision; editing
/// does not change the summary's place in the feed), the anonymous flag and the visibility
/// (going private creates a share token). Moderators hide or show it (`hidden`, with a
/// `reason` for the public moderation log).
#[utoipa::path(
    tag = "summaries",
    security(("bearer" = [])),
    params(("id" = SummaryId, Path, description = "The summary's id")),
    request_body = UpdateSummaryRequest,
    responses((status = 200, description = "The summary after the change", body = SummaryDetail), WriteProblems)
)]
#[patch("/summaries/{id}")]
pub async fn update_summary(
    db: web::Data<Db>,
    limits: web::Data<RateLimits>,
    ActiveUser(caller): ActiveUser,
    id: web::Path<SummaryId>,
    body: Json<UpdateSummaryRequest>,
) -> ApiResult<HttpResponse> {
    let detail =
        summaries::update(&db, &limits, &caller, id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(detail))
}

/// Deletes the caller's summary. The deletion is soft: the row stays (for the moderation record
/// and its comments) but nobody sees it; writing a summary of the paper again revives it.
#[utoipa::path(
    tag = "summaries",
    security(("bearer" = [])),
    params(("id" = SummaryId, Path, description = "The summary's id")),
    responses((status = 204, description = "Deleted"), WriteProblems)
)]
#[delete("/summaries/{id}")]
pub async fn delete_summary(
    db: web::Data<Db>,
    ActiveUser(caller): ActiveUser,
    id: web::Path<SummaryId>,
) -> ApiResult<HttpResponse> {
    summaries::delete(&db, &caller, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

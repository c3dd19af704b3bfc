//! Votes.

use actix_web::{put, web, HttpResponse};
use shortscience_types::{SummaryId, VoteRequest, VoteResult};

use crate::db::Db;
use crate::domain::limits::RateLimits;
use crate::domain::votes;
use crate::http::error::ApiResult;
use crate::http::extract::ActiveUser;
use crate::http::json::Json;
use crate::http::responses::WriteProblems;

/// Votes a summary up (1) or down (-1), or withdraws the vote (0). One vote per user per
/// summary: repeating a vote changes nothing. Authors cannot vote on their own summaries
/// (`own_summary`), nor anyone on private or hidden ones (`not_votable`).
#[utoipa::path(
    tag = "summaries",
    security(("bearer" = [])),
    params(("id" = SummaryId, Path, description = "The summary's id")),
    request_body = VoteRequest,
    responses((status = 200, description = "The caller's vote and the new totals", body = VoteResult), WriteProblems)
)]
#[put("/summaries/{id}/vote")]
pub async fn vote_summary(
    db: web::Data<Db>,
    limits: web::Data<RateLimits>,
    ActiveUser(caller): ActiveUser,
    id: web::Path<SummaryId>,
    body: Json<VoteRequest>,
) -> ApiResult<HttpResponse> {
    let result = votes::vote(&db, &limits, &caller, id.into_inner(), body.value).await?;
    Ok(HttpResponse::Ok().json(result))
}

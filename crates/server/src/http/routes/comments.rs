//! Threaded discussion on summaries: `/summaries/{id}/comments`, `/comments/{id}`.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use shortscience_types::{
    Comment, CommentId, CommentThread, CreateCommentRequest, SummaryId, UpdateCommentRequest,
};
use utoipa_actix_web::service_config::ServiceConfig;

use super::created;
use crate::db::Db;
use crate::domain::comments;
use crate::domain::limits::RateLimits;
use crate::domain::summaries::SummaryAccess;
use crate::http::error::ApiResult;
use crate::http::extract::ActiveUser;
use crate::http::json::Json;
use crate::http::responses::{ReadProblems, WriteProblems};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_comments)
        .service(create_comment)
        .service(update_comment)
        .service(delete_comment);
}

/// The discussion of a summary: top-level comments oldest first, each with its replies.
#[utoipa::path(
    tag = "comments",
    params(SummaryAccess),
    responses((status = 200, description = "The thread", body = CommentThread), ReadProblems)
)]
#[get("/summaries/{id}/comments")]
pub async fn list_comments(db: web::Data<Db>, access: SummaryAccess) -> ApiResult<HttpResponse> {
    let thread = comments::list(&db, access).await?;
    Ok(HttpResponse::Ok().json(thread))
}

/// Comments on a summary, or answers a comment (`parent_id`). Only public, visible summaries
/// take comments (`comments_closed`).
#[utoipa::path(
    tag = "comments",
    security(("bearer" = [])),
    params(("id" = SummaryId, Path, description = "The summary's id")),
    request_body = CreateCommentRequest,
    responses((status = 201, description = "Posted", body = Comment), WriteProblems)
)]
#[post("/summaries/{id}/comments")]
pub async fn create_comment(
    db: web::Data<Db>,
    limits: web::Data<RateLimits>,
    ActiveUser(caller): ActiveUser,
    id: web::Path<SummaryId>,
    body: Json<CreateCommentRequest>,
) -> ApiResult<HttpResponse> {
    let comment =
        comments::create(&db, &limits, &caller, id.into_inner(), body.into_inner()).await?;
    Ok(created(
        format!("/api/v1/comments/{}", comment.id),
        &comment,
    ))
}

/// Edits a comment (its author) or hides/shows it (moderators, with a `reason` for the log).
#[utoipa::path(
    tag = "comments",
    security(("bearer" = [])),
    params(("id" = CommentId, Path, description = "The comment's id")),
    request_body = UpdateCommentRequest,
    responses((status = 200, description = "The comment after the change", body = Comment), WriteProblems)
)]
#[patch("/comments/{id}")]
pub async fn update_comment(
    db: web::Data<Db>,
    limits: web::Data<RateLimits>,
    ActiveUser(caller): ActiveUser,
    id: web::Path<CommentId>,
    body: Json<UpdateCommentRequest>,
) -> ApiResult<HttpResponse> {
    let comment =
        comments::update(&db, &limits, &caller, id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(comment))
}

/// Deletes the caller's comment. Soft: with replies it remains as "[deleted]".
#[utoipa::path(
    tag = "comments",
    security(("bearer" = [])),
    params(("id" = CommentId, Path, description = "The comment's id")),
    responses((status = 204, description = "Deleted"), WriteProblems)
)]
#[delete("/comments/{id}")]
pub async fn delete_comment(
    db: web::Data<Db>,
    ActiveUser(caller): ActiveUser,
    id: web::Path<CommentId>,
) -> ApiResult<HttpResponse> {
    comments::delete(&db, &caller, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

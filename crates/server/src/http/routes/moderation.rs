//! Community moderation: `POST /flags`, the moderators' queues under `/mod/*`, the public
//! moderation log `GET /moderation`, and author claims `POST /papers/{ref}/claims`.

use actix_web::{get, patch, post, web, HttpResponse};
use shortscience_types::{
    Claim, ClaimId, ClaimPage, CreateClaimRequest, CreateFlagRequest, DecideClaimRequest,
    DecideFlagRequest, DecidedFlag, Flag, FlagId, FlagQueue, ModerationLogPage, Page, PaperRef,
};
use utoipa_actix_web::service_config::ServiceConfig;

use super::created;
use crate::db::Db;
use crate::domain::auth::AuthUser;
use crate::domain::limits::RateLimits;
use crate::domain::{claims, flags, moderation};
use crate::http::error::ApiResult;
use crate::http::extract::ActiveUser;
use crate::http::json::Json;
use crate::http::query::Query;
use crate::http::responses::{ListProblems, ModeratorListProblems, WriteProblems};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_flag)
        .service(list_flags)
        .service(update_flag)
        .service(list_moderation_log)
        .service(create_claim)
        .service(list_claims)
        .service(update_claim);
}

/// Flags a summary, comment or paper for the moderators: exactly one of `summary_id`,
/// `comment_id` and `paper_id`, which the caller must be able to see. One open flag per user per
/// target: a second is a 409 `flag_exists` whose `flag_id` names the open one.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    request_body = CreateFlagRequest,
    responses((status = 201, description = "Flagged", body = Flag), WriteProblems)
)]
#[post("/flags")]
pub async fn create_flag(
    db: web::Data<Db>,
    limits: web::Data<RateLimits>,
    ActiveUser(caller): ActiveUser,
    body: Json<CreateFlagRequest>,
) -> ApiResult<HttpResponse> {
    let flag = flags::create(&db, &limits, &caller, body.into_inner()).await?;
    Ok(created(format!("/api/v1/flags/{}", flag.id), &flag))
}

/// Moderators: open flags grouped by target, the most flagged first, then the longest waiting.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(Page),
    responses((status = 200, description = "One page of flagged targets", body = FlagQueue), ModeratorListProblems)
)]
#[get("/mod/flags")]
pub async fn list_flags(
    db: web::Data<Db>,
    caller: AuthUser,
    Query(page): Query<Page>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(flags::queue(&db, &caller, page).await?))
}

/// Moderators: resolves (the flag was right) or dismisses an open flag, with an optional
/// `reason`; logged in the public moderation log.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = FlagId, Path, description = "The flag's id")),
    request_body = DecideFlagRequest,
    responses((status = 200, description = "The flag after the decision", body = DecidedFlag), WriteProblems)
)]
#[patch("/mod/flags/{id}")]
pub async fn update_flag(
    db: web::Data<Db>,
    ActiveUser(caller): ActiveUser,
    id: web::Path<FlagId>,
    body: Json<DecideFlagRequest>,
) -> ApiResult<HttpResponse> {
    let flag = flags::decide(&db, &caller, id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(flag))
}

/// The public moderation log, newest first: every moderator and admin action, with what it was
/// about (a link, never hidden text or an anonymous author), the moderator and the reason.
#[utoipa::path(
    tag = "moderation",
    params(Page),
    responses((status = 200, description = "One page of the log", body = ModerationLogPage), ListProblems)
)]
#[get("/moderation")]
pub async fn list_moderation_log(
    db: web::Data<Db>,
    Query(page): Query<Page>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(moderation::public_log(&db, page).await?))
}

/// Claims to be one of the paper's authors (`author_id`), optionally with an ORCID iD (the
/// checksum is verified). A moderator decides; one pending claim per user per author (409
/// `claim_exists` with `claim_id`).
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(PaperRef),
    request_body = CreateClaimRequest,
    responses((status = 201, description = "Claimed; pending a moderator's decision", body = Claim), WriteProblems)
)]
#[post("/papers/{ref:.+}/claims")]
pub async fn create_claim(
    db: web::Data<Db>,
    limits: web::Data<RateLimits>,
    ActiveUser(caller): ActiveUser,
    reference: web::Path<PaperRef>,
    body: Json<CreateClaimRequest>,
) -> ApiResult<HttpResponse> {
    let claim = claims::create(
        &db,
        &limits,
        &caller,
        reference.into_inner(),
        body.into_inner(),
    )
    .await?;
    Ok(created(format!("/api/v1/mod/claims/{}", claim.id), &claim))
}

/// Moderators: author claims, pending ones first (oldest first), then decided ones.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(Page),
    responses((status = 200, description = "One page of claims", body = ClaimPage), ModeratorListProblems)
)]
#[get("/mod/claims")]
pub async fn list_claims(
    db: web::Data<Db>,
    caller: AuthUser,
    Query(page): Query<Page>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(claims::list(&db, &caller, page).await?))
}

/// Moderators: approves or rejects a pending claim, with an optional `reason`; logged. An
/// approved claim names the user beside the author on the paper's page and lists the author's
/// papers on the user's profile.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = ClaimId, Path, description = "The claim's id")),
    request_body = DecideClaimRequest,
    responses((status = 200, description = "The claim after the decision", body = Claim), WriteProblems)
)]
#[patch("/mod/claims/{id}")]
pub async fn update_claim(
    db: web::Data<Db>,
    ActiveUser(caller): ActiveUser,
    id: web::Path<ClaimId>,
    body: Json<DecideClaimRequest>,
) -> ApiResult<HttpResponse> {
    let claim = claims::decide(&db, &caller, id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(claim))
}

//! The signed-in user's own account: `/me`, `/me/tokens`.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use shortscience_types::{
    AccountExport, ApiTokenId, ApiTokenList, CreateApiTokenRequest, CreatedApiToken, Me,
    UpdateMeRequest,
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::db::Db;
use crate::domain::accounts;
use crate::domain::limits::RateLimits;
use crate::http::error::ApiResult;
use crate::http::extract::{ActiveUser, AuthUser};
use crate::http::json::Json;
use crate::http::responses::{AccountReadProblems, WriteProblems};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_me)
        .service(export_me)
        .service(update_me)
        .service(list_tokens)
        .service(create_token)
        .service(delete_token);
}

/// The caller's account.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses((status = 200, description = "The account", body = Me), AccountReadProblems)
)]
#[get("/me")]
pub async fn get_me(db: web::Data<Db>, caller: AuthUser) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(accounts::get_me(&db, &caller).await?))
}

/// Everything the caller has put on the site, as one JSON document to keep or take elsewhere:
/// the account, every summary (private, anonymous, hidden and deleted ones too) with all its
/// versions, comments, votes and API tokens (names and dates). Never a secret.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses((status = 200, description = "The caller's data", body = AccountExport), AccountReadProblems)
)]
#[get("/me/export")]
pub async fn export_me(db: web::Data<Db>, caller: AuthUser) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            "attachment; filename=\"shortscience-export.json\"",
        ))
        .json(accounts::export(&db, &caller).await?))
}

/// Changes the display name, bio, password or e-mail digest (`off`, `daily`, `weekly`; kept
/// even when the server sends no e-mail). A password change needs the current password and a
/// signed-in session (not an API token), and signs out every other session.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = UpdateMeRequest,
    responses((status = 200, description = "The updated account", body = Me), WriteProblems)
)]
#[patch("/me")]
pub async fn update_me(
    db: web::Data<Db>,
    ActiveUser(caller): ActiveUser,
    body: Json<UpdateMeRequest>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(accounts::update_me(&db, &caller, body.into_inner()).await?))
}

/// The caller's live API tokens (never their secrets), newest first.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses((status = 200, description = "The tokens, newest first", body = ApiTokenList), AccountReadProblems)
)]
#[get("/me/tokens")]
pub async fn list_tokens(db: web::Data<Db>, caller: AuthUser) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(accounts::list_tokens(&db, &caller).await?))
}

/// Creates a personal API token for scripts (from a signed-in session; `session_required`
/// otherwise). The token is in this response only.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = CreateApiTokenRequest,
    responses((status = 201, description = "The new token; store it now, it is not shown again", body = CreatedApiToken), WriteProblems)
)]
#[post("/me/tokens")]
pub async fn create_token(
    db: web::Data<Db>,
    limits: web::Data<RateLimits>,
    ActiveUser(caller): ActiveUser,
    body: Json<CreateApiTokenRequest>,
) -> ApiResult<HttpResponse> {
    let token = accounts::create_token(&db, &limits, &caller, body.into_inner()).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(token))
}

/// Revokes one of the caller's API tokens at once.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    params(("id" = ApiTokenId, Path, description = "The token's id")),
    responses((status = 204, description = "Revoked"), WriteProblems)
)]
#[delete("/me/tokens/{id}")]
pub async fn delete_token(
    db: web::Data<Db>,
    ActiveUser(caller): ActiveUser,
    id: web::Path<ApiTokenId>,
) -> ApiResult<HttpResponse> {
    accounts::revoke_token(&db, &caller, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

//! Public profiles and account administration: `/users/{username}`.

use actix_web::{get, patch, web, HttpResponse};
use shortscience_types::{
    AdminUpdateUserRequest, Page, UserCommentPage, UserProfile, UserSummaryPage,
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::db::Db;
use crate::domain::{moderation, users};
use crate::http::error::ApiResult;
use crate::http::extract::{ActiveUser, Segment};
use crate::http::json::Json;
use crate::http::query::Query;
use crate::http::responses::{ReadProblems, WriteProblems};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_user)
        .service(list_user_summaries)
        .service(list_user_comments)
        .service(update_user);
}

/// A user's public profile.
#[utoipa::path(
    tag = "users",
    params(("username" = String, Path, description = "The username (any case)")),
    responses((status = 200, description = "The profile", body = UserProfile), ReadProblems)
)]
#[get("/users/{username}")]
pub async fn get_user(db: web::Data<Db>, username: web::Path<Segment>) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(users::profile(&db, username.into_inner().0).await?))
}

/// A user's public, signed summaries, newest first.
#[utoipa::path(
    tag = "users",
    params(("username" = String, Path, description = "The username (any case)"), Page),
    responses((status = 200, description = "One page of summaries", body = UserSummaryPage), ReadProblems)
)]
#[get("/users/{username}/summaries")]
pub async fn list_user_summaries(
    db: web::Data<Db>,
    username: web::Path<Segment>,
    Query(page): Query<Page>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(users::summaries(&db, username.into_inner().0, page).await?))
}

/// A user's comments, newest first: live comments on public, visible summaries, never those on
/// the user's own anonymous summaries (that would name the summary's author).
#[utoipa::path(
    tag = "users",
    params(("username" = String, Path, description = "The username (any case)"), Page),
    responses((status = 200, description = "One page of comments", body = UserCommentPage), ReadProblems)
)]
#[get("/users/{username}/comments")]
pub async fn list_user_comments(
    db: web::Data<Db>,
    username: web::Path<Segment>,
    Query(page): Query<Page>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(users::comments(&db, username.into_inner().0, page).await?))
}

/// Changes a user's role or suspends them (admins only). Suspending ends the user's sessions;
/// every change goes to the public moderation log.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("username" = String, Path, description = "The username (any case)")),
    request_body = AdminUpdateUserRequest,
    responses((status = 200, description = "The updated profile", body = UserProfile), WriteProblems)
)]
#[patch("/users/{username}")]
pub async fn update_user(
    db: web::Data<Db>,
    ActiveUser(caller): ActiveUser,
    username: web::Path<Segment>,
    body: Json<AdminUpdateUserRequest>,
) -> ApiResult<HttpResponse> {
    let profile =
        moderation::update_user(&db, &caller, username.into_inner().0, body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(profile))
}

//! The signed-in user's own account: `/me`, `/me/tokens`.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::Duration;
use shortscience_types::{
    ApiTokenInfo, ApiTokenList, CreateApiTokenRequest, CreatedApiToken, Me, Problem,
    UpdateMeRequest,
};
use utoipa_actix_web::service_config::ServiceConfig;

use super::auth::{blocking, me};
use crate::auth::{password, tokens, ActiveUser, AuthUser};
use crate::db::models::{self, accounts};
use crate::db::{write_transaction, Db};
use crate::error::{ApiError, ApiResult};
use crate::rate_limit::RateLimits;
use crate::validate;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_me)
        .service(update_me)
        .service(list_tokens)
        .service(create_token)
        .service(delete_token);
}

/// The caller's account.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account", body = Me),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me")]
pub async fn get_me(db: web::Data<Db>, caller: AuthUser) -> ApiResult<HttpResponse> {
    let user = db
        .run(move |conn| {
            accounts::find_user(conn, caller.id)?.ok_or_else(|| {
                ApiError::unauthorized("invalid_token", "this account no longer exists")
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(me(&user)))
}

/// Changes the display name, bio or password. A password change needs the current password and
/// a signed-in session (not an API token), and signs out every other session.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = UpdateMeRequest,
    responses(
        (status = 200, description = "The updated account", body = Me),
        (status = 400, description = "Malformed JSON or unknown fields", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Suspended, or a password change with an API token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or a wrong current password", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/me")]
pub async fn update_me(
    db: web::Data<Db>,
    ActiveUser(caller): ActiveUser,
    body: web::Json<UpdateMeRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let mut changes = accounts::ProfileChanges::default();
    if let Some(name) = &body.display_name {
        changes.display_name = Some(
            validate::display_name(name).map_err(|m| ApiError::invalid_field("display_name", m))?,
        );
    }
    if let Some(bio) = &body.bio {
        changes.bio = Some(validate::bio(bio).map_err(|m| ApiError::invalid_field("bio", m))?);
    }
    let keep_session = match (&body.new_password, &body.current_password) {
        (None, None) => None,
        (None, Some(_)) => {
            return Err(ApiError::invalid_field(
                "new_password",
                "is required with current_password",
            ))
        }
        (Some(_), None) => {
            return Err(ApiError::invalid_field(
                "current_password",
                "is required to change the password",
            ))
        }
        (Some(new), Some(current)) => {
            let session_id = caller.require_session()?;
            let user_id = caller.id;
            let user = db
                .run(move |conn| {
                    accounts::find_user(conn, user_id)?.ok_or_else(|| {
                        ApiError::unauthorized("invalid_token", "this account no longer exists")
                    })
                })
                .await?;
            validate::password(new, &user.username, user.email.as_deref())
                .map_err(|m| ApiError::invalid_field("new_password", m))?;
            let (current, new, stored) = (current.clone(), new.clone(), user.password_hash.clone());
            let hash = blocking(move || {
                password::verify(&current, stored.as_deref())
                    .then(|| password::hash(&new))
                    .transpose()
            })
            .await?;
            let Some(hash) = hash else {
                return Err(ApiError::invalid_field(
                    "current_password",
                    "is not correct",
                ));
            };
            changes.password_hash = Some(Some(hash));
            Some(session_id)
        }
    };
    changes.updated_at = Some(models::now());
    let user_id = caller.id;
    let user = db
        .run(move |conn| {
            write_transaction(conn, |conn| {
                accounts::update_profile(conn, user_id, &changes)?;
                if let Some(keep) = keep_session {
                    let ended = accounts::revoke_user_sessions(
                        conn,
                        user_id,
                        Some(keep),
                        "password_change",
                        models::now(),
                    )?;
                    tracing::info!(
                        user.id = user_id,
                        sessions.ended = ended,
                        "password changed"
                    );
                }
                accounts::find_user(conn, user_id)?
                    .ok_or_else(|| ApiError::internal(anyhow::anyhow!("the user vanished")))
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(me(&user)))
}

fn token_info(token: &accounts::ApiToken) -> ApiTokenInfo {
    ApiTokenInfo {
        id: token.id,
        name: token.name.clone(),
        prefix: tokens::display_prefix(&token.lookup),
        created_at: token.created_at.and_utc(),
        expires_at: token.expires_at.map(|t| t.and_utc()),
        last_used_at: token.last_used_at.map(|t| t.and_utc()),
    }
}

/// The caller's live API tokens (never their secrets).
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The tokens, newest first", body = ApiTokenList),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/tokens")]
pub async fn list_tokens(db: web::Data<Db>, caller: AuthUser) -> ApiResult<HttpResponse> {
    let tokens = db
        .run(move |conn| Ok(accounts::list_api_tokens(conn, caller.id, models::now())?))
        .await?;
    Ok(HttpResponse::Ok().json(ApiTokenList {
        items: tokens.iter().map(token_info).collect(),
    }))
}

/// Creates a personal API token for scripts. The token is in this response only.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = CreateApiTokenRequest,
    responses(
        (status = 201, description = "The new token; store it now, it is not shown again", body = CreatedApiToken),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Suspended, or called with an API token (`session_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name or lifetime", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many tokens created recently", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/tokens")]
pub async fn create_token(
    db: web::Data<Db>,
    limits: web::Data<RateLimits>,
    ActiveUser(caller): ActiveUser,
    body: web::Json<CreateApiTokenRequest>,
) -> ApiResult<HttpResponse> {
    caller.require_session()?;
    let body = body.into_inner();
    let name = body.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 60 || name.chars().any(char::is_control) {
        return Err(ApiError::invalid_field(
            "name",
            "must be 1 to 60 characters",
        ));
    }
    let lifetime = match body.expires_in_days {
        None => None,
        Some(days) if (1..=3650).contains(&days) => Some(Duration::days(days)),
        Some(_) => {
            return Err(ApiError::invalid_field(
                "expires_in_days",
                "must be between 1 and 3650",
            ))
        }
    };
    limits.create_token(caller.id)?;
    let new = tokens::new_api_token();
    let (lookup, secret_hash) = (new.lookup.clone(), new.secret_hash.clone());
    let stored = db
        .run(move |conn| {
            let now = models::now();
            Ok(accounts::insert_api_token(
                conn,
                caller.id,
                &name,
                &lookup,
                &secret_hash,
                now,
                lifetime.map(|d| now + d),
            )?)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(CreatedApiToken {
            token: new.token,
            info: token_info(&stored),
        }))
}

/// Revokes one of the caller's API tokens at once.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The token's id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Suspended", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The caller has no such live token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/me/tokens/{id}")]
pub async fn delete_token(
    db: web::Data<Db>,
    ActiveUser(caller): ActiveUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id: i64 = path
        .into_inner()
        .parse()
        .map_err(|_| ApiError::invalid_path("id", "must be a token id (an integer)"))?;
    let revoked = db
        .run(move |conn| {
            Ok(accounts::revoke_api_token(
                conn,
                caller.id,
                id,
                models::now(),
            )?)
        })
        .await?;
    if !revoked {
        return Err(ApiError::not_found(format!("you have no API token {id}")));
    }
    Ok(HttpResponse::NoContent().finish())
}

//! Public profiles and account administration: `/users/{username}`.

use actix_web::{get, patch, web, HttpResponse};
use shortscience_types::{
    AdminUpdateUserRequest, PaperBrief, PaperId, Problem, Role, SummaryId, UserProfile,
    UserSummaryItem, UserSummaryPage,
};
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::venues::venue_ref;
use crate::auth::ActiveUser;
use crate::db::models::{self, accounts, users};
use crate::db::{write_transaction, Db};
use crate::error::{ApiError, ApiResult};
use crate::query::{Cursor, QueryParams};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_user)
        .service(list_user_summaries)
        .service(update_user);
}

fn profile(user: &accounts::User, reputation: i64, summary_count: i64) -> UserProfile {
    UserProfile {
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        bio: user.bio.clone(),
        role: Role::from_db(&user.role),
        suspended: user.suspended,
        joined: user.created_at.and_utc(),
        reputation,
        summary_count,
    }
}

/// A user's public profile.
#[utoipa::path(
    tag = "users",
    params(("username" = String, Path, description = "The username (any case)")),
    responses(
        (status = 200, description = "The profile", body = UserProfile),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users/{username}")]
pub async fn get_user(db: web::Data<Db>, path: web::Path<String>) -> ApiResult<HttpResponse> {
    let username = path.into_inner();
    let result = db
        .run(move |conn| {
            let Some(user) = accounts::find_by_username(conn, &username)? else {
                return Err(ApiError::not_found(format!("no user `{username}`")));
            };
            let (reputation, count) = users::profile_totals(conn, user.id)?;
            Ok(profile(&user, reputation, count))
        })
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Query parameters of `GET /users/{username}/summaries` (documentation).
#[derive(Debug, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ListUserSummariesParams {
    /// Page size, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// A user's public, signed summaries, newest first.
#[utoipa::path(
    tag = "users",
    params(("username" = String, Path, description = "The username (any case)"), ListUserSummariesParams),
    responses(
        (status = 200, description = "One page of summaries", body = UserSummaryPage),
        (status = 400, description = "A query parameter is malformed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users/{username}/summaries")]
pub async fn list_user_summaries(
    db: web::Data<Db>,
    path: web::Path<String>,
    query: QueryParams,
) -> ApiResult<HttpResponse> {
    let username = path.into_inner();
    let limit = query.limit()?;
    let after = match query.cursor()? {
        None => None,
        Some(cursor) => {
            let micros = cursor
                .key
                .strip_prefix("t")
                .and_then(|m| m.parse::<i64>().ok())
                .and_then(chrono::DateTime::from_timestamp_micros)
                .ok_or_else(|| ApiError::invalid_query("cursor", "belongs to another list"))?;
            Some((micros.naive_utc(), cursor.id))
        }
    };
    let page = db
        .run(move |conn| {
            let Some(user) = accounts::find_by_username(conn, &username)? else {
                return Err(ApiError::not_found(format!("no user `{username}`")));
            };
            let mut rows = users::public_summaries(conn, user.id, after, limit + 1)?;
            let has_more = rows.len() as i64 > limit;
            rows.truncate(usize::try_from(limit).unwrap_or(0));
            let next_cursor = has_more.then(|| rows.last()).flatten().map(|(s, _, _)| {
                Cursor::new(
                    format!("t{}", s.created_at.and_utc().timestamp_micros()),
                    s.id,
                )
                .encode()
            });
            let items = rows
                .into_iter()
                .map(|(s, paper, venue)| UserSummaryItem {
                    id: SummaryId(s.id),
                    paper: PaperBrief {
                        id: PaperId(paper.id),
                        title: paper.title,
                        year: paper.year,
                        venue: venue.map(venue_ref),
                    },
                    excerpt: s.excerpt,
                    excerpt_html: s.excerpt_html,
                    score: s.score,
                    created_at: s.created_at.and_utc(),
                })
                .collect();
            Ok(UserSummaryPage { items, next_cursor })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Changes a user's role or suspends them (admins only). Suspending ends the user's sessions;
/// every change goes to the public moderation log.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("username" = String, Path, description = "The username (any case)")),
    request_body = AdminUpdateUserRequest,
    responses(
        (status = 200, description = "The updated profile", body = UserProfile),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Nothing to change, or an admin changing themselves", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/users/{username}")]
pub async fn update_user(
    db: web::Data<Db>,
    ActiveUser(caller): ActiveUser,
    path: web::Path<String>,
    body: web::Json<AdminUpdateUserRequest>,
) -> ApiResult<HttpResponse> {
    caller.require_admin()?;
    let username = path.into_inner();
    let body = body.into_inner();
    if body.role.is_none() && body.suspended.is_none() {
        return Err(ApiError::invalid_field(
            "role",
            "give a role or suspended to change",
        ));
    }
    let reason = match body.reason.as_deref().map(str::trim) {
        Some(r) if r.chars().count() > 500 => {
            return Err(ApiError::invalid_field(
                "reason",
                "must be at most 500 characters",
            ))
        }
        Some("") | None => None,
        Some(r) => Some(r.to_owned()),
    };
    let result = db
        .run(move |conn| {
            write_transaction(conn, |conn| {
                let Some(user) = accounts::find_by_username(conn, &username)? else {
                    return Err(ApiError::not_found(format!("no user `{username}`")));
                };
                if user.id == caller.id {
                    return Err(ApiError::invalid_field(
                        if body.role.is_some() {
                            "role"
                        } else {
                            "suspended"
                        },
                        "admins cannot change their own role or suspend themselves",
                    ));
                }
                let now = models::now();
                if let Some(role) = body.role {
                    if role.as_str() != user.role {
                        accounts::set_role(conn, user.id, role.as_str(), now)?;
                        accounts::log_moderation(
                            conn,
                            caller.id,
                            "set_role",
                            user.id,
                            reason.as_deref(),
                            &serde_json::json!({"from": user.role, "to": role.as_str()}),
                            now,
                        )?;
                    }
                }
                if let Some(suspended) = body.suspended {
                    if suspended != user.suspended {
                        accounts::set_suspended(conn, user.id, suspended, now)?;
                        if suspended {
                            accounts::revoke_user_sessions(conn, user.id, None, "suspended", now)?;
                        }
                        accounts::log_moderation(
                            conn,
                            caller.id,
                            if suspended { "suspend" } else { "unsuspend" },
                            user.id,
                            reason.as_deref(),
                            &serde_json::json!({}),
                            now,
                        )?;
                    }
                }
                let user = accounts::find_user(conn, user.id)?
                    .ok_or_else(|| ApiError::internal(anyhow::anyhow!("the user vanished")))?;
                let (reputation, count) = users::profile_totals(conn, user.id)?;
                Ok(profile(&user, reputation, count))
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

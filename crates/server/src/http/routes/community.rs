//! Following and notifications: `/me/follows`, `/me/feed`, `/me/notifications`, and the private
//! Atom feed of notifications at `/notifications/{secret}.atom`.

use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use shortscience_types::{
    Follow, FollowKind, FollowList, MarkReadRequest, NotificationFeedInfo, NotificationFeedStatus,
    NotificationPage, Page, SummaryPage, UnreadCount,
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::db::Db;
use crate::domain::limits::RateLimits;
use crate::domain::{feeds, follows, notifications};
use crate::http::error::ApiResult;
use crate::http::extract::{ActiveUser, AuthUser, Segment};
use crate::http::json::Json;
use crate::http::query::Query;
use crate::http::responses::{
    AccountListProblems, AccountReadProblems, PrivateFeedProblems, WriteProblems,
};
use crate::http::site::base_url;
use crate::startup::Mode;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_follows)
        .service(create_follow)
        .service(delete_follow)
        .service(list_following_feed)
        .service(list_notifications)
        .service(mark_notifications_read)
        .service(get_notification_feed)
        .service(rotate_notification_feed)
        .service(get_private_notification_feed);
}

/// Everything the caller follows, newest first, with how many of each kind.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses((status = 200, description = "What the caller follows", body = FollowList), AccountReadProblems)
)]
#[get("/me/follows")]
pub async fn list_follows(db: web::Data<Db>, caller: AuthUser) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(follows::list(&db, &caller).await?))
}

/// Follows a paper (`key`: its id, `arxiv:<id>` or `doi:<doi>`), a user (username), a venue or
/// a keyword (slug). Idempotent: 201 when this started following, 200 when it already was
/// followed, both with the follow. Nobody follows themselves (422).
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    params(
        ("kind" = FollowKind, Path, description = "What to follow"),
        ("key" = String, Path, description = "A paper reference, a username, or a venue's or keyword's slug"),
    ),
    responses(
        (status = 201, description = "Now followed", body = Follow),
        (status = 200, description = "Already followed", body = Follow),
        WriteProblems
    )
)]
#[put("/me/follows/{kind}/{key:.+}")]
pub async fn create_follow(
    db: web::Data<Db>,
    limits: web::Data<RateLimits>,
    ActiveUser(caller): ActiveUser,
    path: web::Path<(FollowKind, Segment)>,
) -> ApiResult<HttpResponse> {
    let (kind, key) = path.into_inner();
    let (created, follow) = follows::follow(&db, &limits, &caller, kind, key.0).await?;
    Ok(if created {
        HttpResponse::Created().json(follow)
    } else {
        HttpResponse::Ok().json(follow)
    })
}

/// Stops following. Idempotent: 204 whether or not it was followed; 404 when there is no such
/// paper, user, venue or keyword.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    params(
        ("kind" = FollowKind, Path, description = "What to stop following"),
        ("key" = String, Path, description = "A paper reference, a username, or a venue's or keyword's slug"),
    ),
    responses((status = 204, description = "Not followed (any more)"), WriteProblems)
)]
#[delete("/me/follows/{kind}/{key:.+}")]
pub async fn delete_follow(
    db: web::Data<Db>,
    limits: web::Data<RateLimits>,
    ActiveUser(caller): ActiveUser,
    path: web::Path<(FollowKind, Segment)>,
) -> ApiResult<HttpResponse> {
    let (kind, key) = path.into_inner();
    follows::unfollow(&db, &limits, &caller, kind, key.0).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's feed: public summaries of the papers, venues and keywords they follow, and the
/// signed summaries of the users they follow (never their anonymous ones), newest first.
/// Cursor-paginated like `GET /summaries?sort=new`.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    params(Page),
    responses((status = 200, description = "One page of summaries", body = SummaryPage), AccountListProblems)
)]
#[get("/me/feed")]
pub async fn list_following_feed(
    db: web::Data<Db>,
    caller: AuthUser,
    Query(page): Query<Page>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(follows::feed(&db, &caller, page).await?))
}

/// The caller's notifications, newest first, cursor-paginated, with the unread count.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    params(Page),
    responses((status = 200, description = "One page of notifications", body = NotificationPage), AccountListProblems)
)]
#[get("/me/notifications")]
pub async fn list_notifications(
    db: web::Data<Db>,
    caller: AuthUser,
    Query(page): Query<Page>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(notifications::list(&db, &caller, page).await?))
}

/// Marks the caller's notifications read: `{"up_to": <id>}` (that one and every older one) or
/// `{"all": true}`; exactly one of them (422 naming the field otherwise). Answers the new
/// unread count.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = MarkReadRequest,
    responses((status = 200, description = "The unread count now", body = UnreadCount), WriteProblems)
)]
#[post("/me/notifications/read")]
pub async fn mark_notifications_read(
    db: web::Data<Db>,
    caller: AuthUser,
    body: Json<MarkReadRequest>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(notifications::mark_read(&db, &caller, body.into_inner()).await?))
}

/// Whether the caller has a private Atom feed of their notifications (its address holds a
/// secret stored only as a hash: it is shown once, by `POST /me/notifications/feed/rotate`), and
/// whether this server sends e-mail digests (the choice is `email_digest` in `PATCH /me`).
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses((status = 200, description = "The feed's state", body = NotificationFeedStatus), AccountReadProblems)
)]
#[get("/me/notifications/feed")]
pub async fn get_notification_feed(
    db: web::Data<Db>,
    mode: web::Data<Mode>,
    caller: AuthUser,
) -> ApiResult<HttpResponse> {
    Ok(
        HttpResponse::Ok()
            .json(notifications::feed_status(&db, &caller, mode.email_digests).await?),
    )
}

/// Makes a new private Atom feed address for the caller's notifications and shows it, this
/// once; the previous address stops working at once.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses((status = 201, description = "The new address; keep it, it is not shown again", body = NotificationFeedInfo), WriteProblems)
)]
#[post("/me/notifications/feed/rotate")]
pub async fn rotate_notification_feed(
    req: HttpRequest,
    db: web::Data<Db>,
    limits: web::Data<RateLimits>,
    ActiveUser(caller): ActiveUser,
) -> ApiResult<HttpResponse> {
    let info = notifications::rotate_feed(&db, &limits, &caller, base_url(&req)).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(info))
}

/// A user's notifications as Atom 1.0, for feed readers, which cannot send credentials: the
/// secret in the address is the credential (from `POST /me/notifications/feed/rotate`). An
/// unknown or rotated secret is 404. The secret never appears in the server's logs.
#[utoipa::path(
    tag = "me",
    params(("secret" = String, Path, description = "The feed's secret")),
    responses((status = 200, description = "The newest notifications", body = String, content_type = "application/atom+xml"), PrivateFeedProblems)
)]
#[get("/notifications/{secret}.atom")]
pub async fn get_private_notification_feed(
    req: HttpRequest,
    db: web::Data<Db>,
    secret: web::Path<Segment>,
) -> ApiResult<HttpResponse> {
    let base = base_url(&req);
    let doc = notifications::feed(&db, secret.into_inner().0, base.clone()).await?;
    let self_url = format!("{base}{}[secret].atom", notifications::FEED_PATH);
    let body = feeds::to_atom(&doc, &self_url)?;
    Ok(HttpResponse::Ok()
        .content_type("application/atom+xml; charset=utf-8")
        .insert_header(("Cache-Control", "private, no-store"))
        .insert_header(("Referrer-Policy", "no-referrer"))
        .body(body))
}

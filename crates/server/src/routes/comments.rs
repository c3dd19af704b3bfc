//! Threaded discussion on summaries. Comments are Markdown with math through the same renderer
//! as summaries. Their authors edit and delete them (a deleted comment with replies stays in the
//! tree as a placeholder); moderators hide them.

use std::collections::HashMap;

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use serde_json::json;
use shortscience_types::{
    Comment, CommentId, CommentThread, CreateCommentRequest, Problem, SummaryId,
    UpdateCommentRequest, UserRef,
};
use utoipa_actix_web::service_config::ServiceConfig;

use super::summaries::{readable, Viewer, SHARE_TOKEN_HEADER};
use crate::auth::{ActiveUser, MaybeAuthUser};
use crate::db::models::comments::{self, CommentRow};
use crate::db::models::summaries::{self, AuthorName};
use crate::db::models::{self, accounts};
use crate::db::{write_transaction, Db, DbConn};
use crate::error::{ApiError, ApiResult};
use crate::rate_limit::RateLimits;
use crate::render;

/// Longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 10_000;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_comments)
        .service(create_comment)
        .service(update_comment)
        .service(delete_comment);
}

fn parse_id(raw: &str) -> ApiResult<i64> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::invalid_path("id", "must be a positive integer"))
}

async fn validated_render(body: String) -> ApiResult<(String, String)> {
    let chars = body.chars().count();
    if body.trim().is_empty() {
        return Err(ApiError::invalid_field(
            "body_markdown",
            "must not be empty",
        ));
    }
    if chars > MAX_COMMENT_CHARS {
        return Err(ApiError::invalid_field(
            "body_markdown",
            format!("must be at most {MAX_COMMENT_CHARS} characters (it has {chars})"),
        ));
    }
    web::block(move || {
        let html = render::render_html_only(&body);
        (body, html)
    })
    .await
    .map_err(|e| ApiError::internal(anyhow::anyhow!("render task failed: {e}")))
}

/// One comment as the viewer may see it (no replies attached yet).
fn view(row: CommentRow, author: AuthorName, viewer: &Viewer) -> Comment {
    let deleted = row.deleted_at.is_some();
    let mine = viewer.is(row.author_id);
    // Deleted text is gone for everyone; hidden text stays readable to its author and moderators.
    let show = !deleted && (!row.hidden || mine || viewer.moderator);
    Comment {
        id: CommentId(row.id),
        parent_id: row.parent_id.map(CommentId),
        author: show.then_some(UserRef {
            username: author.username,
            display_name: author.display_name,
        }),
        body_markdown: show.then_some(row.body_markdown),
        body_html: show.then_some(row.body_html),
        deleted,
        hidden: row.hidden,
        mine: mine && !deleted,
        created_at: row.created_at.and_utc(),
        edited_at: row.edited_at.map(|t| t.and_utc()),
        replies: Vec::new(),
    }
}

/// Builds the reply tree. Deleted or hidden comments without visible replies are left out;
/// with replies they stay as placeholders so the discussion keeps its shape.
pub fn thread(rows: Vec<(CommentRow, AuthorName)>, viewer: &Viewer) -> Vec<Comment> {
    let mut children: HashMap<Option<i64>, Vec<Comment>> = HashMap::new();
    // Oldest first; a reply is always newer than its parent, so building bottom-up from the
    // newest means every comment's replies are complete before it is attached.
    for (row, author) in rows.into_iter().rev() {
        let parent = row.parent_id;
        let removed = row.deleted_at.is_some()
            || (row.hidden && !viewer.moderator && !viewer.is(row.author_id));
        let mut comment = view(row, author, viewer);
        let mut replies = children.remove(&Some(comment.id.0)).unwrap_or_default();
        replies.reverse();
        comment.replies = replies;
        if removed && comment.replies.is_empty() {
            continue;
        }
        children.entry(parent).or_default().push(comment);
    }
    let mut top = children.remove(&None).unwrap_or_default();
    top.reverse();
    top
}

fn summary_for_comments(
    conn: &mut DbConn,
    summary_id: i64,
    viewer: &Viewer,
    share: Option<&str>,
) -> ApiResult<summaries::Summary> {
    summaries::find(conn, summary_id)?
        .map(|(s, _)| s)
        .filter(|s| readable(s, viewer, share))
        .ok_or_else(|| ApiError::not_found(format!("no summary {summary_id}")))
}

/// The discussion of a summary: top-level comments oldest first, each with its replies.
#[utoipa::path(
    tag = "comments",
    params(
        ("id" = i64, Path, description = "The summary's id"),
        ("X-Share-Token" = Option<String>, Header, description = "A private summary's share token"),
    ),
    responses(
        (status = 200, description = "The thread", body = CommentThread),
        (status = 404, description = "No such summary", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/summaries/{id}/comments")]
pub async fn list_comments(
    db: web::Data<Db>,
    MaybeAuthUser(caller): MaybeAuthUser,
    req: HttpRequest,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&path.into_inner())?;
    let share = req
        .headers()
        .get(SHARE_TOKEN_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let viewer = Viewer::of(caller.as_ref());
    let thread = db
        .run(move |conn| {
            let summary = summary_for_comments(conn, id, &viewer, share.as_deref())?;
            let rows = comments::for_summary(conn, id)?;
            Ok(CommentThread {
                summary_id: SummaryId(id),
                count: i64::from(summary.comment_count),
                items: thread(rows, &viewer),
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(thread))
}

/// Comments on a summary, or answers a comment (`parent_id`).
#[utoipa::path(
    tag = "comments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The summary's id")),
    request_body = CreateCommentRequest,
    responses(
        (status = 201, description = "Posted", body = Comment),
        (status = 400, description = "Malformed JSON, unknown fields or id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Suspended, or the summary is private or hidden (`comments_closed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such summary", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty or too long body, or `parent_id` is not a live comment on this summary", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Writing too fast", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/summaries/{id}/comments")]
pub async fn create_comment(
    db: web::Data<Db>,
    limits: web::Data<RateLimits>,
    ActiveUser(caller): ActiveUser,
    path: web::Path<String>,
    body: web::Json<CreateCommentRequest>,
) -> ApiResult<HttpResponse> {
    let summary_id = parse_id(&path.into_inner())?;
    let body = body.into_inner();
    let (markdown, html) = validated_render(body.body_markdown).await?;
    limits.write(caller.id)?;
    let viewer = Viewer::of(Some(&caller));
    let parent = body.parent_id.map(|p| p.0);
    let comment = db
        .run(move |conn| {
            write_transaction(conn, |conn| -> ApiResult<Comment> {
                let summary = summary_for_comments(conn, summary_id, &viewer, None)?;
                if !summary.publicly_visible() {
                    return Err(ApiError::forbidden(
                        "comments_closed",
                        "only public, visible summaries can be discussed",
                    ));
                }
                if let Some(parent) = parent {
                    let live = comments::find(conn, parent)?.is_some_and(|(c, _)| {
                        c.summary_id == summary_id && c.deleted_at.is_none() && !c.hidden
                    });
                    if !live {
                        return Err(ApiError::invalid_field(
                            "parent_id",
                            "is not a comment on this summary (or it was deleted)",
                        ));
                    }
                }
                let now = models::now();
                let id =
                    comments::insert(conn, summary_id, parent, caller.id, &markdown, &html, now)?;
                summaries::refresh_comment_count(conn, summary_id)?;
                let (row, author) = comments::find(conn, id)?
                    .ok_or_else(|| ApiError::internal(anyhow::anyhow!("new comment vanished")))?;
                Ok(view(row, author, &viewer))
            })
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/comments/{}", comment.id)))
        .json(comment))
}

fn load_comment(conn: &mut DbConn, id: i64) -> ApiResult<(CommentRow, AuthorName)> {
    comments::find(conn, id)?
        .filter(|(c, _)| c.deleted_at.is_none())
        .ok_or_else(|| ApiError::not_found(format!("no comment {id}")))
}

/// Edits a comment (its author) or hides/shows it (moderators, with a `reason` for the log).
#[utoipa::path(
    tag = "comments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The comment's id")),
    request_body = UpdateCommentRequest,
    responses(
        (status = 200, description = "The comment after the change", body = Comment),
        (status = 400, description = "Malformed JSON, unknown fields or id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the author (or, for `hidden`, not a moderator), or suspended", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such comment", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty or too long body", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/comments/{id}")]
pub async fn update_comment(
    db: web::Data<Db>,
    limits: web::Data<RateLimits>,
    ActiveUser(caller): ActiveUser,
    path: web::Path<String>,
    body: web::Json<UpdateCommentRequest>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&path.into_inner())?;
    let body = body.into_inner();
    let text = match body.body_markdown {
        Some(markdown) => Some(validated_render(markdown).await?),
        None => None,
    };
    limits.write(caller.id)?;
    let viewer = Viewer::of(Some(&caller));
    let reason = body
        .reason
        .map(|r| r.trim().chars().take(500).collect::<String>())
        .filter(|r| !r.is_empty());
    let comment = db
        .run(move |conn| {
            write_transaction(conn, |conn| -> ApiResult<Comment> {
                let (row, _) = load_comment(conn, id)?;
                if text.is_some() && !viewer.is(row.author_id) {
                    return Err(ApiError::forbidden(
                        "not_author",
                        "only the comment's author may edit it",
                    ));
                }
                if body.hidden.is_some() && !viewer.moderator {
                    return Err(ApiError::forbidden(
                        "not_moderator",
                        "only moderators may hide or show comments",
                    ));
                }
                let now = models::now();
                if let Some((markdown, html)) = &text {
                    if *markdown != row.body_markdown {
                        comments::update_body(conn, id, markdown, html, now)?;
                    }
                }
                if let Some(hidden) = body.hidden {
                    if hidden != row.hidden {
                        comments::set_hidden(conn, id, hidden)?;
                        accounts::log_moderation(
                            conn,
                            caller.id,
                            if hidden {
                                "hide_comment"
                            } else {
                                "show_comment"
                            },
                            row.author_id,
                            reason.as_deref(),
                            &json!({ "comment_id": id, "summary_id": row.summary_id }),
                            now,
                        )?;
                        summaries::refresh_comment_count(conn, row.summary_id)?;
                    }
                }
                let (row, author) = load_comment(conn, id)?;
                Ok(view(row, author, &viewer))
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(comment))
}

/// Deletes the caller's comment. Soft: with replies it remains as "[deleted]".
#[utoipa::path(
    tag = "comments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The comment's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the author, or suspended", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such comment", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/comments/{id}")]
pub async fn delete_comment(
    db: web::Data<Db>,
    ActiveUser(caller): ActiveUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&path.into_inner())?;
    db.run(move |conn| {
        write_transaction(conn, |conn| -> ApiResult<()> {
            let (row, _) = load_comment(conn, id)?;
            if row.author_id != caller.id {
                return Err(ApiError::forbidden(
                    "not_author",
                    "only the comment's author may delete it (moderators hide comments)",
                ));
            }
            comments::set_deleted(conn, id, models::now())?;
            summaries::refresh_comment_count(conn, row.summary_id)?;
            Ok(())
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

//! Summaries: writing and editing them (with every revision kept), reading them, votes, the site
//! feed, and the Markdown preview. Who may read what is decided in [`readable`]; anonymous
//! authors are revealed only by [`summary_item`], to the author and moderators.

use actix_web::{delete, get, patch, post, put, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;
use shortscience_types::{
    CreateSummaryRequest, DiffLine, DiffOp, PaperBrief, PaperId, PaperRef, Problem, RenderRequest,
    RenderResponse, Revision, RevisionDiff, RevisionList, Role, SummaryDetail, SummaryId,
    SummaryItem, SummaryPage, UpdateSummaryRequest, UserRef, Visibility, VoteRequest, VoteResult,
};
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{ActiveUser, AuthUser, MaybeAuthUser};
use crate::db::models::summaries::{
    self, AuthorName, BodyUpdate, FeedAfter, FeedSort, NewSummary, Summary,
};
use crate::db::models::{self, accounts, papers};
use crate::db::{write_transaction, Db, DbConn};
use crate::error::{ApiError, ApiResult};
use crate::feed::{FeedSnapshots, Period, SNAPSHOT_ITEMS};
use crate::query::{Cursor, QueryParams};
use crate::rate_limit::{client_ip, RateLimits};
use crate::render::{self, Rendered};
use crate::routes::venues::venue_ref;

/// Longest summary body, in characters.
pub const MAX_SUMMARY_CHARS: usize = 50_000;

/// The header that carries a private summary's share token.
pub const SHARE_TOKEN_HEADER: &str = "x-share-token";

pub fn configure(cfg: &mut ServiceConfig) {
    // `…/summaries` before `PATCH /papers/{ref:.+}` and `GET /papers/{ref:.+}`.
    cfg.service(create_summary)
        .service(list_summaries)
        .service(render_preview)
        .service(get_revision_diff)
        .service(list_revisions)
        .service(vote_summary)
        .service(get_summary)
        .service(update_summary)
        .service(delete_summary);
}

/// Who is asking, as far as reading goes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Viewer {
    pub id: Option<i64>,
    pub moderator: bool,
}

impl Viewer {
    pub fn of(user: Option<&AuthUser>) -> Self {
        Self {
            id: user.map(|u| u.id),
            moderator: user.is_some_and(|u| matches!(u.role, Role::Moderator | Role::Admin)),
        }
    }

    pub fn is(&self, user_id: i64) -> bool {
        self.id == Some(user_id)
    }
}

/// Whether the viewer may read this summary: its author always (unless deleted); others when it
/// is public and not hidden (moderators see hidden ones), or private with the right share token.
pub fn readable(summary: &Summary, viewer: &Viewer, share_token: Option<&str>) -> bool {
    use subtle::ConstantTimeEq;
    if summary.deleted_at.is_some() {
        return false;
    }
    if viewer.is(summary.author_id) {
        return true;
    }
    if summary.hidden && !viewer.moderator {
        return false;
    }
    if summary.is_public() {
        return true;
    }
    match (share_token, summary.share_token.as_deref()) {
        (Some(given), Some(stored)) => bool::from(given.as_bytes().ct_eq(stored.as_bytes())),
        _ => false,
    }
}

fn user_ref(author: AuthorName) -> UserRef {
    UserRef {
        username: author.username,
        display_name: author.display_name,
    }
}

/// The API view of a summary. The author of an anonymous summary is named only to the author
/// and to moderators.
pub fn summary_item(
    summary: Summary,
    author: AuthorName,
    viewer: &Viewer,
    my_vote: i32,
) -> SummaryItem {
    let mine = viewer.is(summary.author_id);
    let reveal = !summary.anonymous || mine || viewer.moderator;
    SummaryItem {
        id: SummaryId(summary.id),
        author: reveal.then(|| user_ref(author)),
        anonymous: summary.anonymous,
        visibility: if summary.is_public() {
            Visibility::Public
        } else {
            Visibility::Private
        },
        truncated: render::is_truncated(&summary.excerpt, &summary.body_html),
        body_markdown: summary.body_markdown,
        body_html: summary.body_html,
        excerpt_html: summary.excerpt_html,
        ups: summary.ups,
        downs: summary.downs,
        score: summary.score,
        rank: summary.rank,
        hot: summary.hot,
        comment_count: summary.comment_count,
        created_at: summary.created_at.and_utc(),
        edited_at: summary.edited_at.map(|t| t.and_utc()),
        my_vote,
        mine,
        hidden: summary.hidden,
    }
}

fn paper_brief(paper: papers::Brief, venue: Option<models::venues::Venue>) -> PaperBrief {
    PaperBrief {
        id: PaperId(paper.id),
        title: paper.title,
        year: paper.year,
        venue: venue.map(venue_ref),
    }
}

/// Summaries with their papers and the viewer's votes, in the given order.
fn details(
    conn: &mut DbConn,
    rows: Vec<(Summary, AuthorName)>,
    viewer: &Viewer,
) -> Result<Vec<SummaryDetail>, diesel::result::Error> {
    let ids: Vec<i64> = rows.iter().map(|(s, _)| s.id).collect();
    let paper_ids: Vec<i64> = rows.iter().map(|(s, _)| s.paper_id).collect();
    let briefs = papers::briefs(conn, &paper_ids)?;
    let votes = match viewer.id {
        Some(user) => summaries::votes_of(conn, user, &ids)?,
        None => Default::default(),
    };
    let mut out = Vec::with_capacity(rows.len());
    for (summary, author) in rows {
        let Some((paper, venue)) = briefs.get(&summary.paper_id).cloned() else {
            continue;
        };
        let share_token = viewer
            .is(summary.author_id)
            .then(|| summary.share_token.clone())
            .flatten();
        let vote = votes.get(&summary.id).copied().unwrap_or(0);
        out.push(SummaryDetail {
            paper: paper_brief(paper, venue),
            summary: summary_item(summary, author, viewer, vote),
            share_token,
        });
    }
    Ok(out)
}

fn share_token(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(SHARE_TOKEN_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

fn parse_id(raw: &str) -> ApiResult<i64> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::invalid_path("id", "must be a positive integer"))
}

fn no_summary(id: i64) -> ApiError {
    ApiError::not_found(format!("no summary {id}"))
}

/// Loads a summary the viewer may read, or 404 (a summary one may not read does not exist).
fn load_readable(
    conn: &mut DbConn,
    id: i64,
    viewer: &Viewer,
    share: Option<&str>,
) -> ApiResult<(Summary, AuthorName)> {
    summaries::find(conn, id)?
        .filter(|(s, _)| readable(s, viewer, share))
        .ok_or_else(|| no_summary(id))
}

/// Checks a summary body and renders it (off the async executor: long texts take milliseconds).
async fn validated_render(field: &'static str, body: String) -> ApiResult<(String, Rendered)> {
    let chars = body.chars().count();
    if body.trim().is_empty() {
        return Err(ApiError::invalid_field(field, "must not be empty"));
    }
    if chars > MAX_SUMMARY_CHARS {
        return Err(ApiError::invalid_field(
            field,
            format!("must be at most {MAX_SUMMARY_CHARS} characters (it has {chars})"),
        ));
    }
    web::block(move || {
        let rendered = render::render_markdown(&body);
        (body, rendered)
    })
    .await
    .map_err(|e| ApiError::internal(anyhow::anyhow!("render task failed: {e}")))
}

fn new_share_token() -> String {
    crate::auth::tokens::random_secret()
}

fn visibility_str(visibility: Visibility) -> &'static str {
    match visibility {
        Visibility::Public => "public",
        Visibility::Private => "private",
    }
}

/// Loads one summary's full view for the viewer.
fn detail_of(conn: &mut DbConn, id: i64, viewer: &Viewer) -> ApiResult<SummaryDetail> {
    let row = summaries::find(conn, id)?.ok_or_else(|| no_summary(id))?;
    details(conn, vec![row], viewer)?
        .pop()
        .ok_or_else(|| no_summary(id))
}

// ---------------------------------------------------------------------------------------------
// Writing

/// Writes the caller's summary of a paper. One per user per paper: a second one is a 409 that
/// names the existing summary (edit that instead). A summary its author deleted is replaced.
#[utoipa::path(
    tag = "summaries",
    security(("bearer" = [])),
    params(("ref" = String, Path, description = "The paper's id, `arxiv:<id>` or `doi:<doi>`")),
    request_body = CreateSummaryRequest,
    responses(
        (status = 201, description = "Published (or saved privately)", body = SummaryDetail),
        (status = 400, description = "Malformed JSON, unknown fields or a malformed ref", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Suspended", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such paper", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The caller already summarised this paper (`summary_exists`; `detail` names it)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty or too long", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Writing too fast", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/papers/{ref:.+}/summaries")]
pub async fn create_summary(
    db: web::Data<Db>,
    limits: web::Data<RateLimits>,
    feed: web::Data<FeedSnapshots>,
    ActiveUser(caller): ActiveUser,
    path: web::Path<String>,
    body: web::Json<CreateSummaryRequest>,
) -> ApiResult<HttpResponse> {
    let reference =
        PaperRef::parse(&path.into_inner()).map_err(|e| ApiError::invalid_path("ref", e.0))?;
    let body = body.into_inner();
    let (markdown, rendered) = validated_render("body_markdown", body.body_markdown).await?;
    limits.write(caller.id)?;
    let viewer = Viewer::of(Some(&caller));
    let detail = db
        .run(move |conn| {
            let id = write_transaction(conn, |conn| -> ApiResult<i64> {
                let (paper, _) = papers::find(conn, &reference)?
                    .ok_or_else(|| ApiError::not_found(format!("no paper `{reference}`")))?;
                let now = models::now();
                let visibility = visibility_str(body.visibility);
                let token = (body.visibility == Visibility::Private).then(new_share_token);
                let id = match summaries::find_by_author(conn, paper.id, caller.id)? {
                    Some(existing) => {
                        let (summary, _) =
                            summaries::find(conn, existing)?.ok_or_else(|| no_summary(existing))?;
                        if summary.deleted_at.is_none() {
                            return Err(ApiError::Conflict {
                                code: "summary_exists",
                                field: "ref".to_owned(),
                                message: format!(
                                    "you already summarised this paper: /api/v1/summaries/{existing} (edit it with PATCH)"
                                ),
                            });
                        }
                        // Writing again after deleting: the old row comes back with the new
                        // text, as a new revision; its votes and comments stay with it.
                        summaries::update_body(
                            conn,
                            existing,
                            &BodyUpdate {
                                body_markdown: &markdown,
                                body_html: &rendered.html,
                                excerpt: &rendered.excerpt,
                                excerpt_html: &rendered.excerpt_html,
                                edited_at: now,
                            },
                        )?;
                        summaries::set_options(
                            conn,
                            existing,
                            body.anonymous,
                            visibility,
                            token.as_deref(),
                        )?;
                        summaries::set_deleted(conn, existing, None)?;
                        existing
                    }
                    None => summaries::insert(
                        conn,
                        &NewSummary {
                            paper_id: paper.id,
                            author_id: caller.id,
                            body_markdown: &markdown,
                            body_html: &rendered.html,
                            excerpt: &rendered.excerpt,
                            excerpt_html: &rendered.excerpt_html,
                            anonymous: body.anonymous,
                            visibility,
                            share_token: token.as_deref(),
                            hot: crate::ranking::hot(0, now),
                            rank: 0.0,
                            created_at: now,
                            updated_at: now,
                        },
                    )?,
                };
                summaries::insert_revision(conn, id, caller.id, &markdown, now)?;
                papers::refresh_summary_stats(conn, paper.id)?;
                Ok(id)
            })?;
            detail_of(conn, id, &viewer)
        })
        .await?;
    feed.invalidate();
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("/api/v1/summaries/{}", detail.summary.id),
        ))
        .json(detail))
}

/// Edits a summary. Its author changes the text (every version is kept as a revision; editing
/// does not change the summary's place in the feed), the anonymous flag and the visibility
/// (going private creates a share token). Moderators hide or show it (`hidden`, with a
/// `reason` for the public moderation log).
#[utoipa::path(
    tag = "summaries",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The summary's id")),
    request_body = UpdateSummaryRequest,
    responses(
        (status = 200, description = "The summary after the change", body = SummaryDetail),
        (status = 400, description = "Malformed JSON, unknown fields or id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the author (or, for `hidden`, not a moderator), or suspended", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such summary", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty or too long", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Writing too fast", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/summaries/{id}")]
pub async fn update_summary(
    db: web::Data<Db>,
    limits: web::Data<RateLimits>,
    feed: web::Data<FeedSnapshots>,
    ActiveUser(caller): ActiveUser,
    path: web::Path<String>,
    body: web::Json<UpdateSummaryRequest>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&path.into_inner())?;
    let body = body.into_inner();
    let text = match body.body_markdown {
        Some(markdown) => Some(validated_render("body_markdown", markdown).await?),
        None => None,
    };
    let reason = body
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| r.chars().take(500).collect::<String>());
    limits.write(caller.id)?;
    let viewer = Viewer::of(Some(&caller));
    let detail = db
        .run(move |conn| {
            write_transaction(conn, |conn| -> ApiResult<()> {
                let (summary, _) = load_readable(conn, id, &viewer, None)?;
                let author_change =
                    text.is_some() || body.anonymous.is_some() || body.visibility.is_some();
                if author_change && !viewer.is(summary.author_id) {
                    return Err(ApiError::forbidden(
                        "not_author",
                        "only the summary's author may edit it",
                    ));
                }
                if body.hidden.is_some() && !viewer.moderator {
                    return Err(ApiError::forbidden(
                        "not_moderator",
                        "only moderators may hide or show summaries",
                    ));
                }
                let now = models::now();
                if let Some((markdown, rendered)) = &text {
                    if *markdown != summary.body_markdown {
                        summaries::update_body(
                            conn,
                            id,
                            &BodyUpdate {
                                body_markdown: markdown,
                                body_html: &rendered.html,
                                excerpt: &rendered.excerpt,
                                excerpt_html: &rendered.excerpt_html,
                                edited_at: now,
                            },
                        )?;
                        summaries::insert_revision(conn, id, caller.id, markdown, now)?;
                    }
                }
                if body.anonymous.is_some() || body.visibility.is_some() {
                    let anonymous = body.anonymous.unwrap_or(summary.anonymous);
                    let visibility = body.visibility.unwrap_or(if summary.is_public() {
                        Visibility::Public
                    } else {
                        Visibility::Private
                    });
                    let token = match visibility {
                        Visibility::Public => None,
                        Visibility::Private => summary
                            .share_token
                            .clone()
                            .or_else(|| Some(new_share_token())),
                    };
                    summaries::set_options(
                        conn,
                        id,
                        anonymous,
                        visibility_str(visibility),
                        token.as_deref(),
                    )?;
                }
                if let Some(hidden) = body.hidden {
                    if hidden != summary.hidden {
                        summaries::set_hidden(conn, id, hidden)?;
                        accounts::log_moderation(
                            conn,
                            caller.id,
                            if hidden {
                                "hide_summary"
                            } else {
                                "show_summary"
                            },
                            summary.author_id,
                            reason.as_deref(),
                            &json!({ "summary_id": id, "paper_id": summary.paper_id }),
                            now,
                        )?;
                    }
                }
                papers::refresh_summary_stats(conn, summary.paper_id)?;
                Ok(())
            })?;
            detail_of(conn, id, &viewer)
        })
        .await?;
    feed.invalidate();
    Ok(HttpResponse::Ok().json(detail))
}

/// Deletes the caller's summary. The deletion is soft: the row stays (for the moderation record
/// and its comments) but nobody sees it; writing a summary of the paper again revives it.
#[utoipa::path(
    tag = "summaries",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The summary's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the author, or suspended", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such summary", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/summaries/{id}")]
pub async fn delete_summary(
    db: web::Data<Db>,
    feed: web::Data<FeedSnapshots>,
    ActiveUser(caller): ActiveUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&path.into_inner())?;
    let viewer = Viewer::of(Some(&caller));
    db.run(move |conn| {
        write_transaction(conn, |conn| -> ApiResult<()> {
            let (summary, _) = load_readable(conn, id, &viewer, None)?;
            if !viewer.is(summary.author_id) {
                return Err(ApiError::forbidden(
                    "not_author",
                    "only the summary's author may delete it (moderators hide summaries)",
                ));
            }
            summaries::set_deleted(conn, id, Some(models::now()))?;
            papers::refresh_summary_stats(conn, summary.paper_id)?;
            Ok(())
        })
    })
    .await?;
    feed.invalidate();
    Ok(HttpResponse::NoContent().finish())
}

// ---------------------------------------------------------------------------------------------
// Reading

/// One summary with its paper. A private summary is shown to its author (with its
/// `share_token`) and to whoever sends that token in the `X-Share-Token` header.
#[utoipa::path(
    tag = "summaries",
    params(
        ("id" = i64, Path, description = "The summary's id"),
        ("X-Share-Token" = Option<String>, Header, description = "A private summary's share token"),
    ),
    responses(
        (status = 200, description = "The summary", body = SummaryDetail),
        (status = 400, description = "Malformed id", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such summary, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/summaries/{id}")]
pub async fn get_summary(
    db: web::Data<Db>,
    MaybeAuthUser(caller): MaybeAuthUser,
    req: HttpRequest,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&path.into_inner())?;
    let share = share_token(&req);
    let viewer = Viewer::of(caller.as_ref());
    let detail = db
        .run(move |conn| {
            let row = load_readable(conn, id, &viewer, share.as_deref())?;
            details(conn, vec![row], &viewer)?
                .pop()
                .ok_or_else(|| no_summary(id))
        })
        .await?;
    Ok(HttpResponse::Ok().json(detail))
}

/// Every version of a summary's text, oldest first (readable by whoever may read the summary).
#[utoipa::path(
    tag = "summaries",
    params(
        ("id" = i64, Path, description = "The summary's id"),
        ("X-Share-Token" = Option<String>, Header, description = "A private summary's share token"),
    ),
    responses(
        (status = 200, description = "The revisions", body = RevisionList),
        (status = 404, description = "No such summary", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/summaries/{id}/revisions")]
pub async fn list_revisions(
    db: web::Data<Db>,
    MaybeAuthUser(caller): MaybeAuthUser,
    req: HttpRequest,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&path.into_inner())?;
    let share = share_token(&req);
    let viewer = Viewer::of(caller.as_ref());
    let list = db
        .run(move |conn| {
            load_readable(conn, id, &viewer, share.as_deref())?;
            let items = numbered(summaries::revisions(conn, id)?);
            Ok(RevisionList {
                summary_id: SummaryId(id),
                items,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

fn numbered(rows: Vec<(String, chrono::NaiveDateTime)>) -> Vec<Revision> {
    rows.into_iter()
        .enumerate()
        .map(|(i, (body_markdown, created_at))| Revision {
            number: i32::try_from(i + 1).unwrap_or(i32::MAX),
            body_markdown,
            created_at: created_at.and_utc(),
        })
        .collect()
}

/// Query parameters of the revision diff (documentation).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct DiffParams {
    /// The older revision's number (default: the one before `to`).
    from: Option<i32>,
    /// The newer revision's number (default: the latest).
    to: Option<i32>,
}

/// A line diff between two revisions of a summary.
#[utoipa::path(
    tag = "summaries",
    params(
        ("id" = i64, Path, description = "The summary's id"),
        DiffParams,
        ("X-Share-Token" = Option<String>, Header, description = "A private summary's share token"),
    ),
    responses(
        (status = 200, description = "The diff", body = RevisionDiff),
        (status = 400, description = "`from` or `to` is not a revision number of this summary", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such summary", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/summaries/{id}/revisions/diff")]
pub async fn get_revision_diff(
    db: web::Data<Db>,
    MaybeAuthUser(caller): MaybeAuthUser,
    req: HttpRequest,
    path: web::Path<String>,
    query: QueryParams,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&path.into_inner())?;
    let from = query.int("from", 1..=i64::from(i32::MAX))?;
    let to = query.int("to", 1..=i64::from(i32::MAX))?;
    let share = share_token(&req);
    let viewer = Viewer::of(caller.as_ref());
    let revisions = db
        .run(move |conn| {
            load_readable(conn, id, &viewer, share.as_deref())?;
            Ok(summaries::revisions(conn, id)?)
        })
        .await?;
    let count = revisions.len() as i64;
    let to = to.unwrap_or(count);
    let from = from.unwrap_or((to - 1).max(1));
    for (name, n) in [("from", from), ("to", to)] {
        if n < 1 || n > count {
            return Err(ApiError::invalid_query(
                name,
                format!("this summary has revisions 1 to {count}"),
            ));
        }
    }
    let old = &revisions[usize::try_from(from - 1).unwrap_or(0)].0;
    let new = &revisions[usize::try_from(to - 1).unwrap_or(0)].0;
    Ok(HttpResponse::Ok().json(RevisionDiff {
        from: i32::try_from(from).unwrap_or(1),
        to: i32::try_from(to).unwrap_or(1),
        lines: line_diff(old, new),
    }))
}

/// A line diff (Myers, via `similar`).
pub fn line_diff(old: &str, new: &str) -> Vec<DiffLine> {
    similar::TextDiff::from_lines(old, new)
        .iter_all_changes()
        .map(|change| DiffLine {
            op: match change.tag() {
                similar::ChangeTag::Equal => DiffOp::Equal,
                similar::ChangeTag::Insert => DiffOp::Insert,
                similar::ChangeTag::Delete => DiffOp::Delete,
            },
            text: change
                .value()
                .trim_end_matches('\n')
                .trim_end_matches('\r')
                .to_owned(),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The feed

/// Query parameters of `GET /summaries` (documentation; parsed by [`QueryParams`]).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ListSummariesParams {
    /// `hot` (default: score and age, docs/ranking.md), `new` (newest first) or `top` (net score).
    sort: Option<String>,
    /// Only summaries written within the last `day`, `week`, `month` or `year`; `all` (default).
    period: Option<String>,
    /// Page size, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    limit: Option<i64>,
    /// `next_cursor` of the previous page (of the same sort and period).
    cursor: Option<String>,
}

fn sort_name(sort: FeedSort) -> &'static str {
    match sort {
        FeedSort::Hot => "hot",
        FeedSort::New => "new",
        FeedSort::Top => "top",
    }
}

/// What a feed cursor holds: the feed, its time window, the snapshot being walked (0: none) and
/// the position in it, and the last item's sort key for keyset continuation.
#[derive(Debug, Clone, Copy, PartialEq)]
struct FeedCursor {
    sort: FeedSort,
    period: Period,
    since: Option<chrono::NaiveDateTime>,
    snapshot: u64,
    offset: i64,
    after: FeedAfter,
}

impl FeedCursor {
    fn encode(&self) -> String {
        let since = self
            .since
            .map(|t| t.and_utc().timestamp_micros().to_string())
            .unwrap_or_else(|| "-".to_owned());
        let key = match self.after {
            FeedAfter::Hot(hot, _) => format!("{hot:?}"),
            FeedAfter::New(at, _) => at.and_utc().timestamp_micros().to_string(),
            FeedAfter::Top(score, _) => score.to_string(),
        };
        Cursor::new(
            format!(
                "{}:{}:{since}:{}:{}:{key}",
                sort_name(self.sort),
                self.period.as_str(),
                self.snapshot,
                self.offset
            ),
            self.after.id(),
        )
        .encode()
    }

    fn decode(cursor: &Cursor, sort: FeedSort, period: Period) -> ApiResult<Self> {
        let wrong = || ApiError::invalid_query("cursor", "belongs to another list, sort or period");
        let parts: Vec<&str> = cursor.key.split(':').collect();
        let [name, period_name, since, snapshot, offset, key] = parts.as_slice() else {
            return Err(wrong());
        };
        if *name != sort_name(sort) || *period_name != period.as_str() {
            return Err(wrong());
        }
        let micros = |raw: &str| {
            raw.parse::<i64>()
                .ok()
                .and_then(chrono::DateTime::from_timestamp_micros)
                .map(|t| t.naive_utc())
        };
        let since = match *since {
            "-" => None,
            raw => Some(micros(raw).ok_or_else(wrong)?),
        };
        let after = match sort {
            FeedSort::Hot => FeedAfter::Hot(
                key.parse::<f64>()
                    .ok()
                    .filter(|h| h.is_finite())
                    .ok_or_else(wrong)?,
                cursor.id,
            ),
            FeedSort::New => FeedAfter::New(micros(key).ok_or_else(wrong)?, cursor.id),
            FeedSort::Top => FeedAfter::Top(key.parse().map_err(|_| wrong())?, cursor.id),
        };
        Ok(Self {
            sort,
            period,
            since,
            snapshot: snapshot.parse().map_err(|_| wrong())?,
            offset: offset
                .parse::<i64>()
                .ok()
                .filter(|o| *o >= 0)
                .ok_or_else(wrong)?,
            after,
        })
    }
}

/// The site feed: public summaries, `hot` (default), `new` or `top`, optionally only those
/// written in the last day, week, month or year. Cursor-paginated; a reader paging through `hot`
/// or `top` sees each summary once even while votes reorder the feed (docs/ranking.md).
#[utoipa::path(
    tag = "summaries",
    params(ListSummariesParams),
    responses(
        (status = 200, description = "One page of summaries", body = SummaryPage),
        (status = 400, description = "A query parameter is malformed or out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/summaries")]
pub async fn list_summaries(
    db: web::Data<Db>,
    snapshots: web::Data<FeedSnapshots>,
    MaybeAuthUser(caller): MaybeAuthUser,
    query: QueryParams,
) -> ApiResult<HttpResponse> {
    let limit = query.limit()?;
    let sort = match query.string("sort", 20)?.as_deref() {
        None | Some("hot") => FeedSort::Hot,
        Some("new") => FeedSort::New,
        Some("top") => FeedSort::Top,
        Some(_) => {
            return Err(ApiError::invalid_query(
                "sort",
                "must be one of hot, new, top",
            ))
        }
    };
    let period = match query.string("period", 20)? {
        None => Period::All,
        Some(raw) => Period::parse(&raw).ok_or_else(|| {
            ApiError::invalid_query("period", "must be one of day, week, month, year, all")
        })?,
    };
    let cursor = query
        .cursor()?
        .map(|c| FeedCursor::decode(&c, sort, period))
        .transpose()?;
    let viewer = Viewer::of(caller.as_ref());
    let snapshots = snapshots.into_inner();
    let page = db
        .run(move |conn| feed_page(conn, &snapshots, sort, period, cursor, limit, &viewer))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

fn feed_page(
    conn: &mut DbConn,
    snapshots: &FeedSnapshots,
    sort: FeedSort,
    period: Period,
    cursor: Option<FeedCursor>,
    limit: i64,
    viewer: &Viewer,
) -> ApiResult<SummaryPage> {
    let since = match cursor {
        Some(c) => c.since,
        None => period.since(models::now()),
    };
    // Keyset pagination: always for `new` (its order never changes), and for the others when
    // no snapshot covers the position.
    let keyset = |conn: &mut DbConn, after: Option<FeedAfter>| -> ApiResult<SummaryPage> {
        let mut rows = summaries::feed(conn, sort, since, after, limit + 1)?;
        let has_more = rows.len() as i64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(0));
        let next_cursor = has_more.then(|| rows.last()).flatten().map(|(s, _)| {
            FeedCursor {
                sort,
                period,
                since,
                snapshot: 0,
                offset: 0,
                after: summaries::feed_key(sort, s),
            }
            .encode()
        });
        Ok(SummaryPage {
            items: details(conn, rows, viewer)?,
            next_cursor,
        })
    };
    if sort == FeedSort::New {
        return keyset(conn, cursor.map(|c| c.after));
    }
    let snapshot = match cursor {
        Some(c) if c.snapshot == 0 => return keyset(conn, Some(c.after)),
        Some(c) => match snapshots.get(c.snapshot) {
            Some(s) => s,
            None => return keyset(conn, Some(c.after)),
        },
        None => match snapshots.current(sort, period) {
            Some(s) => s,
            None => {
                let generation = snapshots.generation();
                let items = summaries::feed_keys(conn, sort, since, SNAPSHOT_ITEMS)?;
                snapshots.store(sort, period, since, generation, items)
            }
        },
    };
    let since = snapshot.since;
    let offset = cursor.map(|c| c.offset).unwrap_or(0);
    let start = usize::try_from(offset).unwrap_or(usize::MAX);
    if start >= snapshot.items.len() {
        return match (snapshot.is_full(), cursor) {
            (true, Some(c)) => keyset(conn, Some(c.after)),
            _ => Ok(SummaryPage {
                items: vec![],
                next_cursor: None,
            }),
        };
    }
    let end = (start + usize::try_from(limit).unwrap_or(0)).min(snapshot.items.len());
    let window = &snapshot.items[start..end];
    let ids: Vec<i64> = window.iter().map(FeedAfter::id).collect();
    let mut by_id: std::collections::HashMap<i64, (Summary, AuthorName)> =
        summaries::find_many(conn, &ids)?
            .into_iter()
            .map(|row| (row.0.id, row))
            .collect();
    // In snapshot order; whatever was deleted or hidden since is left out.
    let rows: Vec<(Summary, AuthorName)> = ids
        .iter()
        .filter_map(|id| by_id.remove(id))
        .filter(|(s, _)| s.publicly_visible())
        .collect();
    let has_more = end < snapshot.items.len() || snapshot.is_full();
    let next_cursor = match (has_more, window.last()) {
        (true, Some(last)) => Some(
            FeedCursor {
                sort,
                period,
                since,
                snapshot: snapshot.id,
                offset: i64::try_from(end).unwrap_or(i64::MAX),
                after: *last,
            }
            .encode(),
        ),
        _ => None,
    };
    Ok(SummaryPage {
        items: details(conn, rows, viewer)?,
        next_cursor,
    })
}

// ---------------------------------------------------------------------------------------------
// Votes

/// Votes a summary up (1) or down (-1), or withdraws the vote (0). One vote per user per
/// summary: repeating a vote changes nothing. Authors cannot vote on their own summaries.
#[utoipa::path(
    tag = "summaries",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The summary's id")),
    request_body = VoteRequest,
    responses(
        (status = 200, description = "The caller's vote and the new totals", body = VoteResult),
        (status = 400, description = "Malformed JSON or id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's own summary (`own_summary`), a private one (`not_votable`), or suspended", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such summary", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`value` is not 1, 0 or -1", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Voting too fast", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/summaries/{id}/vote")]
pub async fn vote_summary(
    db: web::Data<Db>,
    limits: web::Data<RateLimits>,
    feed: web::Data<FeedSnapshots>,
    ActiveUser(caller): ActiveUser,
    path: web::Path<String>,
    body: web::Json<VoteRequest>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&path.into_inner())?;
    let value = body.value;
    if !(-1..=1).contains(&value) {
        return Err(ApiError::invalid_field("value", "must be 1, 0 or -1"));
    }
    limits.vote(caller.id)?;
    let viewer = Viewer::of(Some(&caller));
    let result = db
        .run(move |conn| {
            write_transaction(conn, |conn| -> ApiResult<VoteResult> {
                let (summary, _) = load_readable(conn, id, &viewer, None)?;
                if viewer.is(summary.author_id) {
                    return Err(ApiError::forbidden(
                        "own_summary",
                        "you cannot vote on your own summary",
                    ));
                }
                if !summary.publicly_visible() {
                    return Err(ApiError::forbidden(
                        "not_votable",
                        "only public, visible summaries can be voted on",
                    ));
                }
                let totals = summaries::cast_vote(conn, caller.id, &summary, value, models::now())?;
                papers::refresh_summary_stats(conn, summary.paper_id)?;
                Ok(VoteResult {
                    summary_id: SummaryId(id),
                    value,
                    ups: totals.ups,
                    downs: totals.downs,
                    score: totals.ups - totals.downs,
                    rank: totals.rank,
                    hot: totals.hot,
                })
            })
        })
        .await?;
    feed.invalidate();
    Ok(HttpResponse::Ok().json(result))
}

// ---------------------------------------------------------------------------------------------
// Preview

/// Renders Markdown with math exactly as a published summary or comment is rendered: the
/// editor's live preview.
#[utoipa::path(
    tag = "summaries",
    request_body = RenderRequest,
    responses(
        (status = 200, description = "Sanitised HTML", body = RenderResponse),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Longer than a summary may be", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many previews", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/render")]
pub async fn render_preview(
    limits: web::Data<RateLimits>,
    req: HttpRequest,
    body: web::Json<RenderRequest>,
) -> ApiResult<HttpResponse> {
    let markdown = body.into_inner().markdown;
    let chars = markdown.chars().count();
    if chars > MAX_SUMMARY_CHARS {
        return Err(ApiError::invalid_field(
            "markdown",
            format!("must be at most {MAX_SUMMARY_CHARS} characters (it has {chars})"),
        ));
    }
    limits.render(client_ip(&req))?;
    let html = web::block(move || render::render_markdown(&markdown).html)
        .await
        .map_err(|e| ApiError::internal(anyhow::anyhow!("render task failed: {e}")))?;
    Ok(HttpResponse::Ok().json(RenderResponse { html }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs_mark_inserted_and_deleted_lines() {
        let lines = line_diff("a\nb\nc\n", "a\nB\nc\nd");
        let ops: Vec<(DiffOp, &str)> = lines.iter().map(|l| (l.op, l.text.as_str())).collect();
        assert_eq!(
            ops,
            vec![
                (DiffOp::Equal, "a"),
                (DiffOp::Delete, "b"),
                (DiffOp::Insert, "B"),
                (DiffOp::Equal, "c"),
                (DiffOp::Insert, "d"),
            ]
        );
    }

    #[test]
    fn feed_cursors_round_trip_exactly() {
        let since =
            chrono::DateTime::from_timestamp_micros(1_700_000_000_123_456).map(|t| t.naive_utc());
        let cursor = FeedCursor {
            sort: FeedSort::Hot,
            period: Period::Week,
            since,
            snapshot: 7,
            offset: 40,
            after: FeedAfter::Hot(37_777.123_456_789_01, 99),
        };
        let raw = Cursor::decode(&cursor.encode()).ok();
        let back = raw.and_then(|c| FeedCursor::decode(&c, FeedSort::Hot, Period::Week).ok());
        assert_eq!(back, Some(cursor));
        let raw = Cursor::decode(&cursor.encode()).ok();
        assert!(raw
            .map(|c| FeedCursor::decode(&c, FeedSort::Top, Period::Week).is_err())
            .unwrap_or(false));
    }
}

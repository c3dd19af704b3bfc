//! Threaded discussion on summaries. Comments are Markdown with math through the same renderer
//! as summaries. Their authors edit and delete them (a deleted comment with replies stays in the
//! tree as a placeholder); moderators hide them (`moderation`).

use std::collections::HashMap;

use shortscience_types::{
    Comment, CommentId, CommentThread, CreateCommentRequest, ErrorCode, SummaryId,
    UpdateCommentRequest, UserId,
};

use crate::db::models;
use crate::db::models::comments::{self, CommentRow};
use crate::db::models::summaries::{self, AuthorName, Summary};
use crate::db::{write_transaction, Db, DbConn};
use crate::domain::auth::AuthUser;
use crate::domain::claims::{self, VerifiedAuthors};
use crate::domain::limits::RateLimits;
use crate::domain::summaries::{
    load_readable, reveals_author, user_ref, validated_render, SummaryAccess,
};
use crate::domain::{moderation, notifications, render, DomainError, DomainResult, Viewer};

/// Longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 10_000;

/// Whether a comment's writer may carry the verified-author badge: only where they are named
/// to everyone. The replies of an anonymous summary's author never do (not even to them or to
/// moderators, so that no view of the thread differs by who wrote the summary).
pub fn badge_allowed(comment_author: UserId, summary: &Summary) -> bool {
    !(summary.anonymous && comment_author == summary.author_id)
}

/// One comment as the viewer may see it (no replies attached yet). The author of an anonymous
/// summary stays anonymous in its discussion: their replies are "the summary's author" to
/// everyone but themselves and moderators. `verified` holds the summary's paper's verified
/// authors among the writers.
fn view(
    row: CommentRow,
    author: AuthorName,
    summary: &Summary,
    viewer: &Viewer,
    verified: &VerifiedAuthors,
) -> Comment {
    let deleted = row.deleted_at.is_some();
    let mine = viewer.is(row.author_id);
    // Deleted text is gone for everyone; hidden text stays readable to its author and moderators.
    let show = !deleted && (!row.hidden || mine || viewer.moderator);
    let by_summary_author = row.author_id == summary.author_id;
    let named = show && (!by_summary_author || reveals_author(summary, viewer));
    let verified_author = (named && badge_allowed(row.author_id, summary))
        .then(|| verified.get(&(row.author_id, summary.paper_id)).cloned())
        .flatten();
    Comment {
        verified_author,
        id: row.id,
        parent_id: row.parent_id,
        author: named.then(|| user_ref(author)),
        by_summary_author,
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
pub fn thread(
    rows: Vec<(CommentRow, AuthorName)>,
    summary: &Summary,
    viewer: &Viewer,
    verified: &VerifiedAuthors,
) -> Vec<Comment> {
    let mut children: HashMap<Option<CommentId>, Vec<Comment>> = HashMap::new();
    // Oldest first; a reply is always newer than its parent, so building bottom-up from the
    // newest means every comment's replies are complete before it is attached.
    for (row, author) in rows.into_iter().rev() {
        let parent = row.parent_id;
        let removed = row.deleted_at.is_some()
            || (row.hidden && !viewer.moderator && !viewer.is(row.author_id));
        let mut comment = view(row, author, summary, viewer, verified);
        let mut replies = children.remove(&Some(comment.id)).unwrap_or_default();
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

/// The discussion of a summary: top-level comments oldest first, each with its replies.
#[tracing::instrument(level = "debug", skip_all, fields(summary.id = %access.id))]
pub async fn list(db: &Db, access: SummaryAccess) -> DomainResult<CommentThread> {
    db.run(move |conn| {
        let (summary, _) = access.load(conn)?;
        let (summary_id, viewer) = (access.id, access.viewer);
        let rows = comments::for_summary(conn, summary_id)?;
        let writers: Vec<UserId> = rows.iter().map(|(row, _)| row.author_id).collect();
        let verified = verified_writers(conn, &writers, &summary)?;
        Ok(CommentThread {
            summary_id,
            count: i64::from(summary.comment_count),
            items: thread(rows, &summary, &viewer, &verified),
        })
    })
    .await
}

/// The verified authors of the summary's paper among these writers (those who may carry the
/// badge in its discussion).
fn verified_writers(
    conn: &mut DbConn,
    writers: &[UserId],
    summary: &Summary,
) -> DomainResult<VerifiedAuthors> {
    let pairs: Vec<_> = writers
        .iter()
        .filter(|writer| badge_allowed(**writer, summary))
        .map(|writer| (*writer, summary.paper_id))
        .collect();
    claims::verified_authors(conn, &pairs)
}

/// One comment as the viewer may see it, with its badge.
fn view_one(
    conn: &mut DbConn,
    row: CommentRow,
    author: AuthorName,
    summary: &Summary,
    viewer: &Viewer,
) -> DomainResult<Comment> {
    let verified = verified_writers(conn, &[row.author_id], summary)?;
    Ok(view(row, author, summary, viewer, &verified))
}

async fn rendered(body: String) -> DomainResult<(String, String)> {
    validated_render(
        "body_markdown",
        body,
        MAX_COMMENT_CHARS,
        render::render_html_only,
    )
    .await
}

/// Comments on a summary, or answers a comment (`parent_id`). Only public, visible summaries
/// take comments; replies go to live comments of the same summary.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %author.id, summary.id = %summary_id))]
pub async fn create(
    db: &Db,
    limits: &RateLimits,
    author: &AuthUser,
    summary_id: SummaryId,
    input: CreateCommentRequest,
) -> DomainResult<Comment> {
    let (markdown, html) = rendered(input.body_markdown).await?;
    let limits = limits.clone();
    let (author_id, viewer, parent) = (author.id, author.viewer(), input.parent_id);
    db.run(move |conn| {
        write_transaction(conn, |conn| -> DomainResult<Comment> {
            limits.write(conn, author_id)?;
            let (summary, _) = load_readable(conn, summary_id, &viewer, None)?;
            if !summary.publicly_visible() {
                return Err(DomainError::forbidden(
                    ErrorCode::CommentsClosed,
                    "only public, visible summaries can be discussed",
                ));
            }
            let parent_row = match parent {
                Some(parent) => Some(
                    comments::find(conn, parent)?
                        .map(|(c, _)| c)
                        .filter(|c| {
                            c.summary_id == summary_id && c.deleted_at.is_none() && !c.hidden
                        })
                        .ok_or_else(|| {
                            DomainError::invalid_field(
                                "parent_id",
                                "is not a comment on this summary (or it was deleted)",
                            )
                        })?,
                ),
                None => None,
            };
            let now = models::now();
            let id = comments::insert(conn, summary_id, parent, author_id, &markdown, &html, now)?;
            summaries::refresh_comment_count(conn, summary_id)?;
            notifications::comment_added(conn, &summary, id, parent_row.as_ref(), author_id, now)?;
            let (row, author) = load(conn, id)?;
            view_one(conn, row, author, &summary, &viewer)
        })
    })
    .await
}

fn load(conn: &mut DbConn, id: CommentId) -> DomainResult<(CommentRow, AuthorName)> {
    comments::find(conn, id)?
        .filter(|(c, _)| c.deleted_at.is_none())
        .ok_or_else(|| DomainError::not_found(format!("no comment {id}")))
}

/// Edits a comment (its author) or hides/shows it (moderators, with a `reason` for the log).
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %editor.id, comment.id = %id))]
pub async fn update(
    db: &Db,
    limits: &RateLimits,
    editor: &AuthUser,
    id: CommentId,
    input: UpdateCommentRequest,
) -> DomainResult<Comment> {
    let text = match input.body_markdown {
        Some(markdown) => Some(rendered(markdown).await?),
        None => None,
    };
    let limits = limits.clone();
    let hide = input
        .hidden
        .map(|hidden| (hidden, moderation::reason(input.reason.as_deref())));
    let (editor_id, viewer) = (editor.id, editor.viewer());
    db.run(move |conn| {
        write_transaction(conn, |conn| -> DomainResult<Comment> {
            limits.write(conn, editor_id)?;
            let (row, _) = load(conn, id)?;
            if text.is_some() && !viewer.is(row.author_id) {
                return Err(DomainError::forbidden(
                    ErrorCode::NotAuthor,
                    "only the comment's author may edit it",
                ));
            }
            if hide.is_some() {
                moderation::require_moderator(&viewer, "hide or show comments")?;
            }
            let now = models::now();
            if let Some((markdown, html)) = &text {
                if *markdown != row.body_markdown {
                    comments::update_body(conn, id, markdown, html, now)?;
                }
            }
            if let Some((hidden, reason)) = &hide {
                moderation::set_comment_hidden(
                    conn,
                    editor_id,
                    &row,
                    *hidden,
                    reason.as_deref(),
                    now,
                )?;
            }
            let (row, author) = load(conn, id)?;
            let (summary, _) = summaries::find(conn, row.summary_id)?
                .ok_or_else(|| DomainError::not_found(format!("no comment {id}")))?;
            view_one(conn, row, author, &summary, &viewer)
        })
    })
    .await
}

/// Deletes the author's comment. Soft: with replies it remains as "[deleted]".
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %author.id, comment.id = %id))]
pub async fn delete(db: &Db, author: &AuthUser, id: CommentId) -> DomainResult<()> {
    let author_id = author.id;
    db.run(move |conn| {
        write_transaction(conn, |conn| -> DomainResult<()> {
            let (row, _) = load(conn, id)?;
            if row.author_id != author_id {
                return Err(DomainError::forbidden(
                    ErrorCode::NotAuthor,
                    "only the comment's author may delete it (moderators hide comments)",
                ));
            }
            comments::set_deleted(conn, id, models::now())?;
            summaries::refresh_comment_count(conn, row.summary_id)?;
            Ok(())
        })
    })
    .await
}

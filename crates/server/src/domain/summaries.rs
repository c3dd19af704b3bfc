//! Summaries: who may read one, how it is shown (anonymity), writing and editing it (every
//! revision kept), deleting it, and its revisions. Votes are in `votes`, the site feed in
//! `feed`, moderators' hiding in `moderation`.

use std::collections::HashMap;

use shortscience_types::{
    CreateSummaryRequest, DiffLine, DiffOp, DiffQuery, ErrorCode, MathError, PaperRef,
    RenderResponse, Revision, RevisionDiff, RevisionList, SummaryDetail, SummaryId, SummaryItem,
    UpdateSummaryRequest, UserRef, VerifiedAuthor, Visibility,
};

use crate::db::models::summaries::{self, AuthorName, BodyUpdate, NewSummary, Summary};
use crate::db::models::{self, papers};
use crate::db::{write_transaction, Db, DbConn};
use crate::domain::auth::AuthUser;
use crate::domain::limits::RateLimits;
use crate::domain::render::{self, Rendered};
use crate::domain::{
    blocking, claims, moderation, notifications, DomainError, DomainResult, Existing, Viewer,
};

/// Longest summary body, in characters.
pub const MAX_SUMMARY_CHARS: usize = 50_000;

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

/// Whether an anonymous summary's author may be named to this viewer: to the author and to
/// moderators only.
pub fn reveals_author(summary: &Summary, viewer: &Viewer) -> bool {
    !summary.anonymous || viewer.is(summary.author_id) || viewer.moderator
}

pub fn user_ref(author: AuthorName) -> UserRef {
    UserRef {
        username: author.username,
        display_name: author.display_name,
    }
}

/// The API view of a summary, its author named only where [`reveals_author`] allows.
/// `verified` is the author of the paper its writer was verified as (if any): the badge never
/// shows on an anonymous summary, not even to its author or moderators, so that no view of an
/// anonymous summary differs by who wrote it.
pub fn summary_item(
    summary: Summary,
    author: AuthorName,
    viewer: &Viewer,
    my_vote: i32,
    verified: Option<VerifiedAuthor>,
) -> SummaryItem {
    let reveal = reveals_author(&summary, viewer);
    SummaryItem {
        verified_author: verified.filter(|_| !summary.anonymous),
        id: summary.id,
        author: reveal.then(|| user_ref(author)),
        anonymous: summary.anonymous,
        visibility: summary.visibility,
        truncated: render::is_truncated(&summary.excerpt, &summary.body_html),
        mine: viewer.is(summary.author_id),
        body_markdown: Some(summary.body_markdown),
        body_html: Some(summary.body_html),
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
        hidden: summary.hidden,
    }
}

/// The viewer's votes on these summaries (none when signed out).
pub fn votes_of(
    conn: &mut DbConn,
    viewer: &Viewer,
    ids: &[SummaryId],
) -> DomainResult<HashMap<SummaryId, i32>> {
    Ok(match viewer.id {
        Some(user) => summaries::votes_of(conn, user, ids)?,
        None => HashMap::new(),
    })
}

/// How much of each summary's text a response carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    /// The Markdown source and the rendered HTML: detail views and the answers to writes.
    Full,
    /// The excerpt only (`body_markdown` and `body_html` left out): lists, whose cards show the
    /// excerpt and fetch the summary when a reader asks for more (issue 11: a feed page of 20
    /// weighed ~110 KB with the bodies).
    Excerpt,
}

/// Summaries with their papers and the viewer's votes, in the given order.
pub fn details(
    conn: &mut DbConn,
    rows: Vec<(Summary, AuthorName)>,
    viewer: &Viewer,
    text: Text,
) -> DomainResult<Vec<SummaryDetail>> {
    let ids: Vec<SummaryId> = rows.iter().map(|(s, _)| s.id).collect();
    let paper_ids: Vec<_> = rows.iter().map(|(s, _)| s.paper_id).collect();
    let briefs = crate::domain::papers::briefs(conn, &paper_ids)?;
    let votes = votes_of(conn, viewer, &ids)?;
    let signed: Vec<_> = rows
        .iter()
        .filter(|(s, _)| !s.anonymous)
        .map(|(s, _)| (s.author_id, s.paper_id))
        .collect();
    let verified = claims::verified_authors(conn, &signed)?;
    let mut out = Vec::with_capacity(rows.len());
    for (summary, author) in rows {
        let Some(paper) = briefs.get(&summary.paper_id).cloned() else {
            continue;
        };
        let share_token = viewer
            .is(summary.author_id)
            .then(|| summary.share_token.clone())
            .flatten();
        let vote = votes.get(&summary.id).copied().unwrap_or(0);
        let verified = verified
            .get(&(summary.author_id, summary.paper_id))
            .cloned();
        let mut item = summary_item(summary, author, viewer, vote, verified);
        if text == Text::Excerpt {
            item.body_markdown = None;
            item.body_html = None;
        }
        out.push(SummaryDetail {
            paper,
            summary: item,
            share_token,
        });
    }
    Ok(out)
}

pub fn no_summary(id: SummaryId) -> DomainError {
    DomainError::not_found(format!("no summary {id}"))
}

/// Loads a summary the viewer may read, or not found (a summary one may not read does not
/// exist).
pub fn load_readable(
    conn: &mut DbConn,
    id: SummaryId,
    viewer: &Viewer,
    share: Option<&str>,
) -> DomainResult<(Summary, AuthorName)> {
    summaries::find(conn, id)?
        .filter(|(s, _)| readable(s, viewer, share))
        .ok_or_else(|| no_summary(id))
}

/// One summary's full view for the viewer.
fn detail_of(conn: &mut DbConn, id: SummaryId, viewer: &Viewer) -> DomainResult<SummaryDetail> {
    let row = summaries::find(conn, id)?.ok_or_else(|| no_summary(id))?;
    details(conn, vec![row], viewer, Text::Full)?
        .pop()
        .ok_or_else(|| no_summary(id))
}

/// Checks a Markdown body (not empty, at most `max` characters) and renders it off the async
/// executor (long texts take milliseconds).
pub async fn validated_render<T: Send + 'static>(
    field: &'static str,
    body: String,
    max: usize,
    render: fn(&str) -> T,
) -> DomainResult<(String, T)> {
    let chars = body.chars().count();
    if body.trim().is_empty() {
        return Err(DomainError::invalid_field(field, "must not be empty"));
    }
    if chars > max {
        return Err(DomainError::invalid_field(
            field,
            format!("must be at most {max} characters (it has {chars})"),
        ));
    }
    blocking(move || {
        let rendered = render(&body);
        (body, rendered)
    })
    .await
}

fn body_update<'a>(
    markdown: &'a str,
    rendered: &'a Rendered,
    at: chrono::NaiveDateTime,
) -> BodyUpdate<'a> {
    BodyUpdate {
        body_markdown: markdown,
        body_html: &rendered.html,
        excerpt: &rendered.excerpt,
        excerpt_html: &rendered.excerpt_html,
        edited_at: at,
    }
}

/// A new private summary's share token.
fn new_share_token() -> String {
    crate::domain::auth::tokens::random_secret()
}

/// Writes the caller's summary of a paper. One per user per paper: a second one is a conflict
/// that names the existing summary (edit that instead). A summary its author deleted comes back
/// with the new text, as a new revision, keeping its votes and comments.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %author.id, paper = %reference))]
pub async fn create(
    db: &Db,
    limits: &RateLimits,
    author: &AuthUser,
    reference: PaperRef,
    input: CreateSummaryRequest,
) -> DomainResult<SummaryDetail> {
    let (markdown, rendered) = validated_render(
        "body_markdown",
        input.body_markdown,
        MAX_SUMMARY_CHARS,
        render::render_markdown,
    )
    .await?;
    let limits = limits.clone();
    let (author_id, viewer) = (author.id, author.viewer());
    db.run(move |conn| {
        let id = write_transaction(conn, |conn| -> DomainResult<SummaryId> {
            limits.write(conn, author_id)?;
            let (paper, _) = papers::find(conn, &reference)?
                .ok_or_else(|| DomainError::not_found(format!("no paper `{reference}`")))?;
            let now = models::now();
            let token = (input.visibility == Visibility::Private).then(new_share_token);
            let id = match summaries::find_by_author(conn, paper.id, author_id)? {
                Some(existing) => {
                    let (summary, _) =
                        summaries::find(conn, existing)?.ok_or_else(|| no_summary(existing))?;
                    if summary.deleted_at.is_none() {
                        return Err(DomainError::Conflict {
                            code: ErrorCode::SummaryExists,
                            field: "ref".to_owned(),
                            message: format!(
                                "you already summarised this paper: /api/v1/summaries/{existing} (edit it with PATCH)"
                            ),
                            existing: Existing::Summary(existing),
                        });
                    }
                    summaries::update_body(conn, existing, &body_update(&markdown, &rendered, now))?;
                    summaries::set_options(
                        conn,
                        existing,
                        input.anonymous,
                        input.visibility,
                        token.as_deref(),
                    )?;
                    summaries::set_deleted(conn, existing, None)?;
                    existing
                }
                None => summaries::insert(
                    conn,
                    &NewSummary {
                        paper_id: paper.id,
                        author_id,
                        body_markdown: &markdown,
                        body_html: &rendered.html,
                        excerpt: &rendered.excerpt,
                        excerpt_html: &rendered.excerpt_html,
                        anonymous: input.anonymous,
                        visibility: input.visibility,
                        share_token: token.as_deref(),
                        hot: crate::domain::ranking::hot(0, now),
                        rank: 0.0,
                        created_at: now,
                        updated_at: now,
                    },
                )?,
            };
            summaries::insert_revision(conn, id, author_id, &markdown, now)?;
            papers::refresh_summary_stats(conn, paper.id)?;
            if let Some((published, _)) = summaries::find(conn, id)? {
                notifications::summary_published(conn, &published, now)?;
            }
            Ok(id)
        })?;
        detail_of(conn, id, &viewer)
    })
    .await
}

/// Edits a summary. Its author changes the text (every version is kept as a revision; editing
/// does not change the summary's place in the feed), the anonymous flag and the visibility
/// (going private creates a share token). Moderators hide or show it (`moderation`).
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %editor.id, summary.id = %id))]
pub async fn update(
    db: &Db,
    limits: &RateLimits,
    editor: &AuthUser,
    id: SummaryId,
    input: UpdateSummaryRequest,
) -> DomainResult<SummaryDetail> {
    let text = match input.body_markdown {
        Some(markdown) => Some(
            validated_render(
                "body_markdown",
                markdown,
                MAX_SUMMARY_CHARS,
                render::render_markdown,
            )
            .await?,
        ),
        None => None,
    };
    let hide = input
        .hidden
        .map(|hidden| (hidden, moderation::reason(input.reason.as_deref())));
    let limits = limits.clone();
    let (editor_id, viewer) = (editor.id, editor.viewer());
    db.run(move |conn| {
        write_transaction(conn, |conn| -> DomainResult<()> {
            limits.write(conn, editor_id)?;
            let (summary, _) = load_readable(conn, id, &viewer, None)?;
            let author_change =
                text.is_some() || input.anonymous.is_some() || input.visibility.is_some();
            if author_change && !viewer.is(summary.author_id) {
                return Err(DomainError::forbidden(
                    ErrorCode::NotAuthor,
                    "only the summary's author may edit it",
                ));
            }
            if hide.is_some() {
                moderation::require_moderator(&viewer, "hide or show summaries")?;
            }
            let now = models::now();
            if let Some((markdown, rendered)) = &text {
                if *markdown != summary.body_markdown {
                    summaries::update_body(conn, id, &body_update(markdown, rendered, now))?;
                    summaries::insert_revision(conn, id, editor_id, markdown, now)?;
                }
            }
            if input.anonymous.is_some() || input.visibility.is_some() {
                let anonymous = input.anonymous.unwrap_or(summary.anonymous);
                let visibility = input.visibility.unwrap_or(summary.visibility);
                let token = match visibility {
                    Visibility::Public => None,
                    Visibility::Private => summary
                        .share_token
                        .clone()
                        .or_else(|| Some(new_share_token())),
                };
                summaries::set_options(conn, id, anonymous, visibility, token.as_deref())?;
            }
            if let Some((hidden, reason)) = &hide {
                moderation::set_summary_hidden(
                    conn,
                    editor_id,
                    &summary,
                    *hidden,
                    reason.as_deref(),
                    now,
                )?;
            }
            papers::refresh_summary_stats(conn, summary.paper_id)?;
            Ok(())
        })?;
        detail_of(conn, id, &viewer)
    })
    .await
}

/// Deletes the author's summary. The deletion is soft: the row stays (for the moderation record
/// and its comments) but nobody sees it; writing a summary of the paper again revives it.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %author.id, summary.id = %id))]
pub async fn delete(db: &Db, author: &AuthUser, id: SummaryId) -> DomainResult<()> {
    let viewer = author.viewer();
    db.run(move |conn| {
        write_transaction(conn, |conn| -> DomainResult<()> {
            let (summary, _) = load_readable(conn, id, &viewer, None)?;
            if !viewer.is(summary.author_id) {
                return Err(DomainError::forbidden(
                    ErrorCode::NotAuthor,
                    "only the summary's author may delete it (moderators hide summaries)",
                ));
            }
            summaries::set_deleted(conn, id, Some(models::now()))?;
            papers::refresh_summary_stats(conn, summary.paper_id)?;
            Ok(())
        })
    })
    .await
}

/// What reading a summary, its revisions or its discussion takes: the summary, who asks, and the
/// share token a private summary may be read with.
#[derive(Debug, Clone)]
pub struct SummaryAccess {
    pub id: SummaryId,
    pub viewer: Viewer,
    pub share: Option<String>,
}

impl SummaryAccess {
    /// A public reading, as an anonymous visitor sees it.
    pub fn anonymous(id: SummaryId) -> Self {
        Self {
            id,
            viewer: Viewer::default(),
            share: None,
        }
    }

    /// The summary, when this reader may read it (`not_found` otherwise, never a hint that a
    /// private one exists).
    pub fn load(&self, conn: &mut DbConn) -> DomainResult<(Summary, AuthorName)> {
        load_readable(conn, self.id, &self.viewer, self.share.as_deref())
    }
}

/// One summary with its paper, as the viewer may see it. A private summary is shown to its
/// author (with its `share_token`) and to whoever holds that token.
#[tracing::instrument(level = "debug", skip_all, fields(summary.id = %access.id))]
pub async fn get(db: &Db, access: SummaryAccess) -> DomainResult<SummaryDetail> {
    db.run(move |conn| {
        let id = access.id;
        let row = access.load(conn)?;
        let viewer = access.viewer;
        details(conn, vec![row], &viewer, Text::Full)?
            .pop()
            .ok_or_else(|| no_summary(id))
    })
    .await
}

/// Every version of a summary's text, oldest first (for whoever may read the summary).
#[tracing::instrument(level = "debug", skip_all, fields(summary.id = %access.id))]
pub async fn revisions(db: &Db, access: SummaryAccess) -> DomainResult<RevisionList> {
    let id = access.id;
    db.run(move |conn| {
        access.load(conn)?;
        let items = summaries::revisions(conn, id)?
            .into_iter()
            .enumerate()
            .map(|(i, (body_markdown, created_at))| Revision {
                number: i32::try_from(i + 1).unwrap_or(i32::MAX),
                body_markdown,
                created_at: created_at.and_utc(),
            })
            .collect();
        Ok(RevisionList {
            summary_id: id,
            items,
        })
    })
    .await
}

/// A line diff between two revisions (by default the latest and the one before).
#[tracing::instrument(level = "debug", skip_all, fields(summary.id = %access.id))]
pub async fn diff(db: &Db, access: SummaryAccess, query: DiffQuery) -> DomainResult<RevisionDiff> {
    let revisions = db
        .run(move |conn| -> DomainResult<_> {
            access.load(conn)?;
            Ok(summaries::revisions(conn, access.id)?)
        })
        .await?;
    let count = i32::try_from(revisions.len()).unwrap_or(i32::MAX);
    let to = query.to.unwrap_or(count);
    let from = query.from.unwrap_or((to - 1).max(1));
    let text = |name: &str, n: i32| {
        usize::try_from(n - 1)
            .ok()
            .and_then(|i| revisions.get(i))
            .map(|(body, _)| body.as_str())
            // A revision number is well-formed and names something that is not there: 404, as
            // for a missing summary (schema-valid input is never a 400).
            .ok_or_else(|| {
                DomainError::not_found(format!(
                    "no revision {n} (`{name}`): this summary has revisions 1 to {count}"
                ))
            })
    };
    let (old, new) = (text("from", from)?, text("to", to)?);
    Ok(RevisionDiff {
        from,
        to,
        lines: line_diff(old, new),
    })
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

/// Renders Markdown with math exactly as a published summary or comment is rendered: the
/// editor's live preview.
pub async fn preview(
    db: &Db,
    limits: &RateLimits,
    client: std::net::IpAddr,
    markdown: String,
) -> DomainResult<RenderResponse> {
    let chars = markdown.chars().count();
    if chars > MAX_SUMMARY_CHARS {
        return Err(DomainError::invalid_field(
            "markdown",
            format!("must be at most {MAX_SUMMARY_CHARS} characters (it has {chars})"),
        ));
    }
    let limits = limits.clone();
    db.run(move |conn| limits.render(conn, client)).await?;
    blocking(move || {
        let math_errors = render::math_errors(&markdown)
            .into_iter()
            .map(|(formula, message)| MathError { formula, message })
            .collect();
        RenderResponse {
            html: render::render_markdown(&markdown).html,
            math_errors,
        }
    })
    .await
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
}

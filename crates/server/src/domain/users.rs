//! Public profiles, a user's public summaries and their comments.

use shortscience_types::{
    ClaimedPaper, CommentId, FollowCounts, FollowKind, Page, PaperTitle, SummaryId,
    UserCommentItem, UserCommentPage, UserId, UserProfile, UserSummaryItem, UserSummaryPage,
};

/// Most papers a profile lists from the user's verified authorships.
const MAX_CLAIMED_PAPERS: i64 = 100;

/// The cursors of a user's summaries (`t…`, as before this list shared its paging) and comments.
const SUMMARIES: NewestFirst = NewestFirst("t");
const COMMENTS: NewestFirst = NewestFirst("c");

use crate::db::models::{accounts, claims, comments, community, users};
use crate::db::{Db, DbConn};
use crate::domain::claims::verified_authors;
use crate::domain::cursor::NewestFirst;
use crate::domain::{DomainError, DomainResult};

/// The account with this username (any case), or not found.
pub fn find(conn: &mut DbConn, username: &str) -> DomainResult<accounts::User> {
    accounts::find_by_username(conn, username)?
        .ok_or_else(|| DomainError::not_found(format!("no user `{username}`")))
}

/// How many things of each kind the user follows. Public on the profile as counts only: what
/// exactly someone follows stays theirs (`GET /me/follows`).
fn following(conn: &mut DbConn, id: UserId) -> DomainResult<FollowCounts> {
    let mut counts = FollowCounts::default();
    for (kind, n) in community::following_counts(conn, id)? {
        match FollowKind::from_db(&kind) {
            Some(FollowKind::Paper) => counts.papers = n,
            Some(FollowKind::User) => counts.users = n,
            Some(FollowKind::Venue) => counts.venues = n,
            Some(FollowKind::Keyword) => counts.keywords = n,
            None => continue,
        }
        counts.total += n;
    }
    Ok(counts)
}

/// A user's public profile: reputation, summary and comment counts (each the length of its
/// list), follow counts and the papers they are a verified author of.
pub fn profile_of(conn: &mut DbConn, id: UserId) -> DomainResult<UserProfile> {
    let user = accounts::find_user(conn, id)?
        .ok_or_else(|| DomainError::internal(anyhow::anyhow!("user {id} vanished")))?;
    let (reputation, summary_count) = users::profile_totals(conn, user.id)?;
    let comment_count = comments::listed_count(conn, user.id)?;
    let followers = community::follower_count(conn, user.id)?;
    let following = following(conn, user.id)?;
    let claimed_papers = claims::claimed_papers(conn, user.id, MAX_CLAIMED_PAPERS)?
        .into_iter()
        .map(
            |(paper_id, title, year, author_id, author_name)| ClaimedPaper {
                paper_id,
                title,
                year,
                author_id,
                author_name,
            },
        )
        .collect();
    Ok(UserProfile {
        username: user.username,
        display_name: user.display_name,
        bio: user.bio,
        role: user.role,
        suspended: user.suspended,
        joined: user.created_at.and_utc(),
        reputation,
        summary_count,
        comment_count,
        followers,
        following,
        claimed_papers,
    })
}

#[tracing::instrument(level = "debug", skip(db))]
pub async fn profile(db: &Db, username: String) -> DomainResult<UserProfile> {
    db.run(move |conn| {
        let user = find(conn, &username)?;
        profile_of(conn, user.id)
    })
    .await
}

/// A user's public, signed summaries, newest first. Anonymous ones are never listed.
#[tracing::instrument(level = "debug", skip(db, page))]
pub async fn summaries(db: &Db, username: String, page: Page) -> DomainResult<UserSummaryPage> {
    let limit = page.size();
    let after = SUMMARIES
        .after(page.cursor.as_deref())?
        .map(|(at, id)| (at, SummaryId(id)));
    db.run(move |conn| {
        let user = find(conn, &username)?;
        let rows = users::public_summaries(conn, user.id, after, limit + 1)?;
        let (rows, next_cursor) = SUMMARIES.page(rows, limit, |(s, ..)| (s.created_at, s.id.0));
        let ids: Vec<_> = rows.iter().map(|(_, paper, _)| paper.id).collect();
        let mut briefs = crate::domain::papers::briefs(conn, &ids)?;
        let items = rows
            .into_iter()
            .filter_map(|(s, paper, _)| Some((s, briefs.remove(&paper.id)?)))
            .map(|(s, paper)| UserSummaryItem {
                id: s.id,
                paper,
                excerpt: s.excerpt,
                excerpt_html: s.excerpt_html,
                score: s.score,
                created_at: s.created_at.and_utc(),
            })
            .collect();
        Ok(UserSummaryPage { items, next_cursor })
    })
    .await
}

/// A user's comments, newest first, the same list for every viewer (the user and moderators
/// included), so that it can be cached and never differs by who asks.
///
/// Listed: comments that are neither deleted nor hidden, on summaries everyone may read
/// (public, not hidden, not deleted). Never listed: comments on the user's own anonymous
/// summaries. A comment there is a reply "by the summary's author"; listing it under the user's
/// name would say who wrote the summary. That rule follows the summary's current state: making
/// a summary anonymous later takes its author's comments off their profile too.
///
/// What else could name an anonymous writer, and why it does not:
/// - the item carries the summary's id and paper, never the summary's author, so comments on
///   other people's anonymous summaries say nothing about who wrote those;
/// - the profile's `comment_count` counts exactly this list (one query shape for both), so the
///   difference between a count and the list reveals nothing;
/// - the `verified_author` badge describes the commenter only, and is computed under the same
///   rule as in threads (`comments::badge_allowed`), which the exclusion above already meets;
/// - cursors carry only the comment's own time and id.
///
/// What a comment's text says is its writer's business.
#[tracing::instrument(level = "debug", skip(db, page))]
pub async fn comments(db: &Db, username: String, page: Page) -> DomainResult<UserCommentPage> {
    let limit = page.size();
    let after = COMMENTS
        .after(page.cursor.as_deref())?
        .map(|(at, id)| (at, CommentId(id)));
    db.run(move |conn| {
        let user = find(conn, &username)?;
        let rows = comments::listed_of(conn, user.id, after, limit + 1)?;
        let (rows, next_cursor) = COMMENTS.page(rows, limit, |(c, ..)| (c.created_at, c.id.0));
        let pairs: Vec<_> = rows
            .iter()
            .map(|(c, paper, _)| (c.author_id, *paper))
            .collect();
        let verified = verified_authors(conn, &pairs)?;
        let items = rows
            .into_iter()
            .map(|(c, paper_id, title)| UserCommentItem {
                verified_author: verified.get(&(c.author_id, paper_id)).cloned(),
                id: c.id,
                summary_id: c.summary_id,
                paper: PaperTitle {
                    id: paper_id,
                    title,
                },
                parent_id: c.parent_id,
                body_html: c.body_html,
                created_at: c.created_at.and_utc(),
                edited_at: c.edited_at.map(|t| t.and_utc()),
            })
            .collect();
        Ok(UserCommentPage { items, next_cursor })
    })
    .await
}

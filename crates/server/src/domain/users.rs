//! Public profiles and a user's public summaries.

use shortscience_types::{
    ClaimedPaper, Page, UserId, UserProfile, UserSummaryItem, UserSummaryPage,
};

/// Most papers a profile lists from the user's verified authorships.
const MAX_CLAIMED_PAPERS: i64 = 100;

use crate::db::models::{accounts, claims, users};
use crate::db::{Db, DbConn};
use crate::domain::cursor::{self, Cursor};
use crate::domain::{DomainError, DomainResult};

/// The account with this username (any case), or not found.
pub fn find(conn: &mut DbConn, username: &str) -> DomainResult<accounts::User> {
    accounts::find_by_username(conn, username)?
        .ok_or_else(|| DomainError::not_found(format!("no user `{username}`")))
}

/// A user's public profile, with reputation and summary count.
pub fn profile_of(conn: &mut DbConn, id: UserId) -> DomainResult<UserProfile> {
    let user = accounts::find_user(conn, id)?
        .ok_or_else(|| DomainError::internal(anyhow::anyhow!("user {id} vanished")))?;
    let (reputation, summary_count) = users::profile_totals(conn, user.id)?;
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
    let after = match Cursor::decode_opt(page.cursor.as_deref())? {
        None => None,
        Some(c) => {
            let at = c
                .key
                .strip_prefix('t')
                .and_then(cursor::from_micros)
                .ok_or_else(Cursor::foreign)?;
            Some((at, shortscience_types::SummaryId(c.id)))
        }
    };
    db.run(move |conn| {
        let user = find(conn, &username)?;
        let mut rows = users::public_summaries(conn, user.id, after, limit + 1)?;
        let has_more = rows.len() as i64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(0));
        let next_cursor = has_more.then(|| rows.last()).flatten().map(|(s, _, _)| {
            Cursor::new(format!("t{}", cursor::micros(s.created_at)), s.id.0).encode()
        });
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

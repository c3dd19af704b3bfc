//! Following papers, users, venues and keywords, and the personal feed of what one follows.

use std::collections::HashMap;

use shortscience_types::{
    Follow, FollowCounts, FollowKind, FollowList, Page, PaperRef, SummaryId, SummaryPage,
};

use crate::db::models::community;
use crate::db::models::{self, keywords, papers, venues};
use crate::db::{write_transaction, Db, DbConn};
use crate::domain::auth::AuthUser;
use crate::domain::cursor::NewestFirst;
use crate::domain::limits::RateLimits;
use crate::domain::summaries::{details, Text};
use crate::domain::{DomainError, DomainResult};

/// The personal feed's cursors.
const FEED: NewestFirst = NewestFirst("following:");

/// The id of what `kind`/`key` names, or not found.
fn target(conn: &mut DbConn, kind: FollowKind, key: &str) -> DomainResult<i64> {
    let key = key.trim();
    let missing = || DomainError::not_found(format!("no {} `{key}`", kind.as_str()));
    match kind {
        FollowKind::Paper => {
            let reference = PaperRef::parse(key).map_err(|_| missing())?;
            Ok(papers::find(conn, &reference)?.ok_or_else(missing)?.0.id.0)
        }
        FollowKind::User => Ok(models::accounts::find_by_username(conn, key)?
            .ok_or_else(missing)?
            .id
            .0),
        FollowKind::Venue => Ok(venues::find_by_slug(conn, &key.to_lowercase())?
            .ok_or_else(missing)?
            .id),
        FollowKind::Keyword => Ok(keywords::keyword(conn, key)?.ok_or_else(missing)?.0.id),
    }
}

/// Follows a paper, user, venue or keyword. Idempotent: `true` when this call started
/// following, `false` when it already was. Nobody follows themselves.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.id, kind = kind.as_str()))]
pub async fn follow(
    db: &Db,
    limits: &RateLimits,
    caller: &AuthUser,
    kind: FollowKind,
    key: String,
) -> DomainResult<(bool, Follow)> {
    let limits = limits.clone();
    let user_id = caller.id;
    db.run(move |conn| {
        write_transaction(conn, |conn| -> DomainResult<(bool, Follow)> {
            limits.vote(conn, user_id)?;
            let id = target(conn, kind, &key)?;
            if kind == FollowKind::User && id == user_id.0 {
                return Err(DomainError::invalid_field(
                    "key",
                    "you cannot follow yourself",
                ));
            }
            let created =
                community::insert_follow(conn, user_id, kind.as_str(), id, models::now())?;
            let follow = described(conn, user_id)?
                .into_iter()
                .find(|f| f.0 == kind && f.1 == id)
                .map(|f| f.2)
                .ok_or_else(|| DomainError::internal(anyhow::anyhow!("follow vanished")))?;
            Ok((created, follow))
        })
    })
    .await
}

/// Stops following. Idempotent; a target that does not exist is not found.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.id, kind = kind.as_str()))]
pub async fn unfollow(
    db: &Db,
    limits: &RateLimits,
    caller: &AuthUser,
    kind: FollowKind,
    key: String,
) -> DomainResult<()> {
    let limits = limits.clone();
    let user_id = caller.id;
    db.run(move |conn| {
        write_transaction(conn, |conn| -> DomainResult<()> {
            limits.vote(conn, user_id)?;
            let id = target(conn, kind, &key)?;
            community::delete_follow(conn, user_id, kind.as_str(), id)?;
            Ok(())
        })
    })
    .await
}

/// A user's follows with their labels and links, newest first.
fn described(
    conn: &mut DbConn,
    user_id: shortscience_types::UserId,
) -> DomainResult<Vec<(FollowKind, i64, Follow)>> {
    let rows = community::follows_of(conn, user_id)?;
    let ids = |kind: &str| -> Vec<i64> {
        rows.iter()
            .filter(|(k, _, _)| k == kind)
            .map(|(_, id, _)| *id)
            .collect()
    };
    let papers: HashMap<i64, String> = community::paper_titles(conn, &ids("paper"))?
        .into_iter()
        .collect();
    let users: HashMap<i64, (String, Option<String>)> = community::user_names(conn, &ids("user"))?
        .into_iter()
        .map(|(id, u, d)| (id, (u, d)))
        .collect();
    let venues: HashMap<i64, (String, String)> = community::venue_names(conn, &ids("venue"))?
        .into_iter()
        .map(|(id, s, n)| (id, (s, n)))
        .collect();
    let keywords: HashMap<i64, (String, String)> = community::keyword_names(conn, &ids("keyword"))?
        .into_iter()
        .map(|(id, s, n)| (id, (s, n)))
        .collect();
    let encode = |s: &str| {
        url::form_urlencoded::byte_serialize(s.as_bytes())
            .collect::<String>()
            .replace('+', "%20")
    };
    Ok(rows
        .into_iter()
        .filter_map(|(kind, id, at)| {
            let kind = FollowKind::from_db(&kind)?;
            let (key, label, link) = match kind {
                FollowKind::Paper => {
                    let title = papers.get(&id)?;
                    (id.to_string(), title.clone(), format!("/papers/{id}"))
                }
                FollowKind::User => {
                    let (username, display) = users.get(&id)?;
                    (
                        username.clone(),
                        display.clone().unwrap_or_else(|| username.clone()),
                        format!("/users/{}", encode(username)),
                    )
                }
                FollowKind::Venue => {
                    let (slug, name) = venues.get(&id)?;
                    (
                        slug.clone(),
                        name.clone(),
                        format!("/venues/{}", encode(slug)),
                    )
                }
                FollowKind::Keyword => {
                    let (slug, name) = keywords.get(&id)?;
                    (
                        slug.clone(),
                        name.clone(),
                        format!("/keywords/{}", encode(slug)),
                    )
                }
            };
            Some((
                kind,
                id,
                Follow {
                    kind,
                    key,
                    label,
                    link,
                    followed_at: at.and_utc(),
                },
            ))
        })
        .collect())
}

/// A user's follows, newest first (for their data export too).
pub fn follows_of(
    conn: &mut DbConn,
    user_id: shortscience_types::UserId,
) -> DomainResult<Vec<Follow>> {
    Ok(described(conn, user_id)?
        .into_iter()
        .map(|(_, _, f)| f)
        .collect())
}

/// Everything the caller follows, newest first, with counts per kind.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.id))]
pub async fn list(db: &Db, caller: &AuthUser) -> DomainResult<FollowList> {
    let user_id = caller.id;
    let items: Vec<Follow> = db.run(move |conn| follows_of(conn, user_id)).await?;
    let count = |kind: FollowKind| items.iter().filter(|f| f.kind == kind).count() as i64;
    let counts = FollowCounts {
        papers: count(FollowKind::Paper),
        users: count(FollowKind::User),
        venues: count(FollowKind::Venue),
        keywords: count(FollowKind::Keyword),
        total: items.len() as i64,
    };
    Ok(FollowList { items, counts })
}

/// One page of the caller's feed: public, visible summaries of followed papers, venues and
/// keywords, and signed summaries of followed users (never their anonymous ones), newest first.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.id))]
pub async fn feed(db: &Db, caller: &AuthUser, page: Page) -> DomainResult<SummaryPage> {
    let limit = page.size();
    let after = FEED
        .after(page.cursor.as_deref())?
        .map(|(at, id)| (at, SummaryId(id)));
    let (user_id, viewer) = (caller.id, caller.viewer());
    db.run(move |conn| {
        let rows = community::followed_feed(conn, user_id, after, limit + 1)?;
        let (rows, next_cursor) = FEED.page(rows, limit, |(s, _)| (s.created_at, s.id.0));
        Ok(SummaryPage {
            items: details(conn, rows, &viewer, Text::Excerpt)?,
            next_cursor,
        })
    })
    .await
}

//! Follows, notifications and the secret of each user's private notification feed.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shortscience_types::{CommentId, NotificationId, PaperId, SummaryId, UserId};

use super::summaries::{publicly_visible, AuthorName, Summary};
use crate::db::schema::{
    follows, keywords, notification_feeds, notifications, paper_keywords, papers, summaries, users,
    venues,
};
use crate::db::DbConn;

// ---- follows -------------------------------------------------------------------------------

/// Follows `kind`/`target`; `false` when it already was followed.
pub fn insert_follow(
    conn: &mut DbConn,
    user_id: UserId,
    kind: &str,
    target_id: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let exists: bool = diesel::select(diesel::dsl::exists(
        follows::table
            .filter(follows::user_id.eq(user_id))
            .filter(follows::kind.eq(kind))
            .filter(follows::target_id.eq(target_id)),
    ))
    .get_result(conn)?;
    if exists {
        return Ok(false);
    }
    // MultiConnection has no ON CONFLICT; a concurrent follow of the same thing is a unique
    // violation, which means it is followed. The insert runs in a savepoint so that on
    // PostgreSQL the violation does not abort the surrounding transaction.
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(follows::table)
            .values((
                follows::user_id.eq(user_id),
                follows::kind.eq(kind),
                follows::target_id.eq(target_id),
                follows::created_at.eq(now),
            ))
            .execute(conn)
    });
    match inserted {
        Ok(n) => Ok(n > 0),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Stops following; `false` when it was not followed.
pub fn delete_follow(
    conn: &mut DbConn,
    user_id: UserId,
    kind: &str,
    target_id: i64,
) -> QueryResult<bool> {
    let deleted = diesel::delete(
        follows::table
            .filter(follows::user_id.eq(user_id))
            .filter(follows::kind.eq(kind))
            .filter(follows::target_id.eq(target_id)),
    )
    .execute(conn)?;
    Ok(deleted > 0)
}

/// A user's follows as `(kind, target id, followed at)`, newest first.
pub fn follows_of(
    conn: &mut DbConn,
    user_id: UserId,
) -> QueryResult<Vec<(String, i64, NaiveDateTime)>> {
    follows::table
        .filter(follows::user_id.eq(user_id))
        .order((
            follows::created_at.desc(),
            follows::kind,
            follows::target_id,
        ))
        .select((follows::kind, follows::target_id, follows::created_at))
        .load(conn)
}

/// How many targets of each kind a user follows: `(kind, count)` for the kinds they follow.
/// Targets are never deleted (papers, users, venues and keywords stay), so these are the
/// counts `GET /me/follows` shows too. Through the primary key `(user_id, kind, target_id)`.
pub fn following_counts(conn: &mut DbConn, user_id: UserId) -> QueryResult<Vec<(String, i64)>> {
    follows::table
        .filter(follows::user_id.eq(user_id))
        .group_by(follows::kind)
        .select((follows::kind, diesel::dsl::count_star()))
        .load(conn)
}

/// How many users follow this user, through `follows_target_idx`.
pub fn follower_count(conn: &mut DbConn, user_id: UserId) -> QueryResult<i64> {
    follows::table
        .filter(follows::kind.eq("user"))
        .filter(follows::target_id.eq(user_id.0))
        .count()
        .get_result(conn)
}

/// Who follows this target.
pub fn followers(conn: &mut DbConn, kind: &str, target_id: i64) -> QueryResult<Vec<UserId>> {
    follows::table
        .filter(follows::kind.eq(kind))
        .filter(follows::target_id.eq(target_id))
        .select(follows::user_id)
        .load(conn)
}

/// Papers by id: `(id, title)`.
///
/// These by-id lookups send no statement for an empty list (an empty page needs no names).
pub fn paper_titles(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    papers::table
        .filter(papers::id.eq_any(ids.iter().map(|id| PaperId(*id))))
        .select((papers::id, papers::title))
        .load::<(PaperId, String)>(conn)
        .map(|rows| rows.into_iter().map(|(id, t)| (id.0, t)).collect())
}

/// Users by id: `(id, username, display name)`.
pub fn user_names(
    conn: &mut DbConn,
    ids: &[i64],
) -> QueryResult<Vec<(i64, String, Option<String>)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    users::table
        .filter(users::id.eq_any(ids.iter().map(|id| UserId(*id))))
        .select((users::id, users::username, users::display_name))
        .load::<(UserId, String, Option<String>)>(conn)
        .map(|rows| rows.into_iter().map(|(id, u, d)| (id.0, u, d)).collect())
}

/// Venues by id: `(id, slug, name)`.
pub fn venue_names(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<(i64, String, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    venues::table
        .filter(venues::id.eq_any(ids))
        .select((venues::id, venues::slug, venues::name))
        .load(conn)
}

/// Keywords by id: `(id, slug, name)`.
pub fn keyword_names(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<(i64, String, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    keywords::table
        .filter(keywords::id.eq_any(ids))
        .select((keywords::id, keywords::slug, keywords::name))
        .load(conn)
}

/// The newest publicly visible summaries from what a user follows: of followed papers, signed
/// (never anonymous) ones by followed users, of papers at followed venues or with followed
/// keywords; newest first, after `(created_at, id)`.
pub fn followed_feed(
    conn: &mut DbConn,
    user_id: UserId,
    after: Option<(NaiveDateTime, SummaryId)>,
    limit: i64,
) -> QueryResult<Vec<(Summary, AuthorName)>> {
    let followed = |kind: &'static str| {
        follows::table
            .filter(follows::user_id.eq(user_id))
            .filter(follows::kind.eq(kind))
            .select(follows::target_id)
    };
    let of_papers = summaries::paper_id.eq_any(followed("paper").select(diesel::dsl::sql::<
        diesel::sql_types::BigInt,
    >("follows.target_id")));
    let by_users = summaries::author_id
        .eq_any(
            followed("user").select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
                "follows.target_id",
            )),
        )
        .and(summaries::anonymous.eq(false));
    let at_venues = summaries::paper_id.eq_any(
        papers::table
            .filter(
                papers::venue_id.eq_any(followed("venue").select(follows::target_id.nullable())),
            )
            .select(papers::id),
    );
    let with_keywords = summaries::paper_id.eq_any(
        paper_keywords::table
            .filter(paper_keywords::keyword_id.eq_any(followed("keyword")))
            .select(paper_keywords::paper_id),
    );
    let mut query = summaries::table
        .inner_join(users::table)
        .filter(publicly_visible())
        .filter(of_papers.or(by_users).or(at_venues).or(with_keywords))
        .order((summaries::created_at.desc(), summaries::id.desc()))
        .limit(limit)
        .select((Summary::as_select(), AuthorName::as_select()))
        .into_boxed();
    if let Some((at, id)) = after {
        query = query.filter(
            summaries::created_at
                .lt(at)
                .or(summaries::created_at.eq(at).and(summaries::id.lt(id))),
        );
    }
    query.load(conn)
}

// ---- notifications -------------------------------------------------------------------------

/// A notification to write.
#[derive(Debug, Clone, Default, Insertable)]
#[diesel(table_name = notifications)]
pub struct NewNotification<'a> {
    pub recipient_id: i64,
    pub kind: &'a str,
    pub actor_id: Option<i64>,
    pub summary_id: Option<i64>,
    pub comment_id: Option<i64>,
    pub paper_id: Option<i64>,
    pub reason: Option<&'a str>,
    pub milestone: Option<i32>,
    pub approved: Option<bool>,
    pub created_at: NaiveDateTime,
}

pub fn insert_notifications(conn: &mut DbConn, new: &[NewNotification<'_>]) -> QueryResult<()> {
    // One statement per row: SQLite's batch insert and PostgreSQL's differ under MultiConnection.
    for row in new {
        diesel::insert_into(notifications::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// A stored notification.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = notifications)]
pub struct NotificationRow {
    pub id: NotificationId,
    pub recipient_id: UserId,
    pub kind: String,
    pub actor_id: Option<UserId>,
    pub summary_id: Option<SummaryId>,
    pub comment_id: Option<CommentId>,
    pub paper_id: Option<PaperId>,
    pub reason: Option<String>,
    pub milestone: Option<i32>,
    pub approved: Option<bool>,
    pub read: bool,
    pub created_at: NaiveDateTime,
}

/// A user's notifications, newest first, before `before` (an id).
pub fn notifications_of(
    conn: &mut DbConn,
    user_id: UserId,
    before: Option<NotificationId>,
    limit: i64,
) -> QueryResult<Vec<NotificationRow>> {
    let mut query = notifications::table
        .filter(notifications::recipient_id.eq(user_id))
        .order(notifications::id.desc())
        .limit(limit)
        .select(NotificationRow::as_select())
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(notifications::id.lt(before));
    }
    query.load(conn)
}

/// How many of a user's notifications are unread.
pub fn unread_count(conn: &mut DbConn, user_id: UserId) -> QueryResult<i64> {
    notifications::table
        .filter(notifications::recipient_id.eq(user_id))
        .filter(notifications::read.eq(false))
        .count()
        .get_result(conn)
}

/// Marks a user's notifications read, all of them or those up to an id.
pub fn mark_read(
    conn: &mut DbConn,
    user_id: UserId,
    up_to: Option<NotificationId>,
) -> QueryResult<usize> {
    let mut query = diesel::update(notifications::table)
        .filter(notifications::recipient_id.eq(user_id))
        .filter(notifications::read.eq(false))
        .into_boxed();
    if let Some(up_to) = up_to {
        query = query.filter(notifications::id.le(up_to));
    }
    query.set(notifications::read.eq(true)).execute(conn)
}

/// Whether a summary already had this vote milestone.
pub fn milestone_reached(
    conn: &mut DbConn,
    summary_id: SummaryId,
    milestone: i32,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        notifications::table
            .filter(notifications::summary_id.eq(summary_id))
            .filter(notifications::kind.eq("vote_milestone"))
            .filter(notifications::milestone.eq(milestone)),
    ))
    .get_result(conn)
}

/// Summaries by id with their paper's title, in any state.
pub fn summaries_with_titles(
    conn: &mut DbConn,
    ids: &[SummaryId],
) -> QueryResult<Vec<(Summary, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    summaries::table
        .inner_join(papers::table)
        .filter(summaries::id.eq_any(ids))
        .select((Summary::as_select(), papers::title))
        .load(conn)
}

// ---- the private feed's secret -------------------------------------------------------------

/// The stored feed secret's creation time, if the user has one.
pub fn feed_secret_created(
    conn: &mut DbConn,
    user_id: UserId,
) -> QueryResult<Option<NaiveDateTime>> {
    notification_feeds::table
        .find(user_id)
        .select(notification_feeds::created_at)
        .first(conn)
        .optional()
}

/// Sets (or replaces) the user's feed secret hash.
pub fn set_feed_secret(
    conn: &mut DbConn,
    user_id: UserId,
    secret_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(notification_feeds::table.find(user_id)).execute(conn)?;
    diesel::insert_into(notification_feeds::table)
        .values((
            notification_feeds::user_id.eq(user_id),
            notification_feeds::secret_hash.eq(secret_hash),
            notification_feeds::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The user whose feed secret hashes to this.
pub fn feed_owner(conn: &mut DbConn, secret_hash: &str) -> QueryResult<Option<UserId>> {
    notification_feeds::table
        .filter(notification_feeds::secret_hash.eq(secret_hash))
        .select(notification_feeds::user_id)
        .first(conn)
        .optional()
}

//! E-mail digest bookkeeping (columns of `users`): who is due, their unread notifications since
//! the last digest, and the compare-and-set that claims a digest for one process.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shortscience_types::{EmailDigest, Role, UserId};

use super::community::NotificationRow;
use crate::db::schema::{notifications, users};
use crate::db::DbConn;

/// A user whose digest may be due.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct DigestUser {
    pub id: UserId,
    pub username: String,
    pub email: Option<String>,
    pub role: Role,
    pub email_digest: EmailDigest,
    /// The newest notification the last digest told of.
    #[diesel(column_name = digest_notification_id)]
    pub told_up_to: i64,
    #[diesel(column_name = digest_sent_at)]
    pub sent_at: Option<NaiveDateTime>,
}

/// Users with an address who chose a digest, whose last one was claimed before the cutoff of
/// their frequency (or never), and who have an unread notification newer than it; by id, at
/// most `limit`.
pub fn due(
    conn: &mut DbConn,
    daily_cutoff: NaiveDateTime,
    weekly_cutoff: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<DigestUser>> {
    let last_before = |frequency: EmailDigest, cutoff: NaiveDateTime| {
        users::email_digest.eq(frequency).and(
            users::digest_sent_at
                .is_null()
                .or(users::digest_sent_at.le(cutoff)),
        )
    };
    users::table
        .filter(users::email.is_not_null())
        .filter(
            last_before(EmailDigest::Daily, daily_cutoff)
                .or(last_before(EmailDigest::Weekly, weekly_cutoff)),
        )
        .filter(diesel::dsl::exists(
            notifications::table
                .filter(notifications::recipient_id.eq(users::id))
                .filter(notifications::read.eq(false))
                .filter(notifications::id.gt(users::digest_notification_id)),
        ))
        .order(users::id)
        .limit(limit)
        .select(DigestUser::as_select())
        .load(conn)
}

/// A user's unread notifications newer than `after`, oldest first, at most `limit`, and how many
/// there are in all.
pub fn unread_after(
    conn: &mut DbConn,
    user_id: UserId,
    after: i64,
    limit: i64,
) -> QueryResult<(Vec<NotificationRow>, i64)> {
    let unread = || {
        notifications::table
            .filter(notifications::recipient_id.eq(user_id))
            .filter(notifications::read.eq(false))
            .filter(notifications::id.gt(after))
    };
    let rows = unread()
        .order(notifications::id.asc())
        .limit(limit)
        .select(NotificationRow::as_select())
        .load(conn)?;
    let total = unread().count().get_result(conn)?;
    Ok((rows, total))
}

/// The newest unread notification of a user newer than `after` (what a digest covers).
pub fn newest_unread_after(
    conn: &mut DbConn,
    user_id: UserId,
    after: i64,
) -> QueryResult<Option<i64>> {
    notifications::table
        .filter(notifications::recipient_id.eq(user_id))
        .filter(notifications::read.eq(false))
        .filter(notifications::id.gt(after))
        .select(diesel::dsl::max(notifications::id))
        .get_result::<Option<i64>>(conn)
}

/// Claims a user's digest: moves how far digests went from `from` to `to` and stamps the time,
/// only if nobody moved it since it was read (and the user still wants digests). One statement,
/// so of several processes exactly one gets `true`.
pub fn claim(
    conn: &mut DbConn,
    user_id: UserId,
    from: i64,
    to: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let claimed = diesel::update(users::table.find(user_id))
        .filter(users::digest_notification_id.eq(from))
        .filter(users::email_digest.ne(EmailDigest::Off))
        .set((
            users::digest_notification_id.eq(to),
            users::digest_sent_at.eq(Some(now)),
        ))
        .execute(conn)?;
    Ok(claimed == 1)
}

/// Gives back a claim whose mail could not be sent, so that a later pass tries again; `false`
/// when the claim is no longer this process's to give back.
pub fn release(
    conn: &mut DbConn,
    user_id: UserId,
    claimed: i64,
    back_to: i64,
    sent_at: Option<NaiveDateTime>,
) -> QueryResult<bool> {
    let released = diesel::update(users::table.find(user_id))
        .filter(users::digest_notification_id.eq(claimed))
        .set((
            users::digest_notification_id.eq(back_to),
            users::digest_sent_at.eq(sent_at),
        ))
        .execute(conn)?;
    Ok(released == 1)
}

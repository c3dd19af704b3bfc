//! Users.

use diesel::prelude::*;
use shortscience_types::{Role, SummaryId, UserId};

use crate::db::schema::users;
use crate::db::DbConn;

/// Returns the id of the account with this username (case-insensitive), creating an account
/// that cannot log in (no password) if there is none. Used for demo data.
pub fn find_or_create_without_password(
    conn: &mut DbConn,
    username: &str,
    display_name: &str,
    bio: &str,
) -> QueryResult<UserId> {
    let lower = username.to_lowercase();
    let existing: Option<UserId> = users::table
        .filter(crate::db::lower(users::username).eq(&lower))
        .select(users::id)
        .first(conn)
        .optional()?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let now = super::now();
    diesel::insert_into(users::table)
        .values((
            users::username.eq(username),
            users::display_name.eq(display_name),
            users::bio.eq(bio),
            users::role.eq(Role::User),
            users::suspended.eq(false),
            users::created_at.eq(now),
            users::updated_at.eq(now),
        ))
        .returning(users::id)
        .get_result(conn)
}

/// Totals for a profile: (reputation, summary count) over the user's public, non-anonymous,
/// visible summaries.
pub fn profile_totals(conn: &mut DbConn, user_id: UserId) -> QueryResult<(i64, i64)> {
    use crate::db::schema::summaries;
    let (reputation, count): (Option<i64>, i64) = summaries::table
        .filter(summaries::author_id.eq(user_id))
        .filter(summaries::anonymous.eq(false))
        .filter(super::summaries::publicly_visible())
        .select((
            diesel::dsl::sum(summaries::score),
            diesel::dsl::count(summaries::id),
        ))
        .first(conn)?;
    Ok((reputation.unwrap_or(0), count))
}

/// A page of the user's public, non-anonymous summaries with their papers, newest first,
/// after the `(created_at, id)` position given.
pub fn public_summaries(
    conn: &mut DbConn,
    user_id: UserId,
    after: Option<(chrono::NaiveDateTime, SummaryId)>,
    limit: i64,
) -> QueryResult<
    Vec<(
        super::summaries::Summary,
        super::papers::Paper,
        Option<super::venues::Venue>,
    )>,
> {
    use crate::db::schema::{papers, summaries, venues};
    let mut query = summaries::table
        .inner_join(papers::table.left_join(venues::table))
        .filter(summaries::author_id.eq(user_id))
        .filter(summaries::anonymous.eq(false))
        .filter(super::summaries::publicly_visible())
        .order((summaries::created_at.desc(), summaries::id.desc()))
        .limit(limit)
        .select((
            super::summaries::Summary::as_select(),
            super::papers::Paper::as_select(),
            Option::<super::venues::Venue>::as_select(),
        ))
        .into_boxed();
    if let Some((created_at, id)) = after {
        query = query.filter(
            summaries::created_at
                .lt(created_at)
                .or(summaries::created_at
                    .eq(created_at)
                    .and(summaries::id.lt(id))),
        );
    }
    query.load(conn)
}

//! Users.

use diesel::prelude::*;

use crate::db::schema::users;
use crate::db::DbConn;

/// Returns the id of the account with this username (case-insensitive), creating an account
/// that cannot log in (no password) if there is none. Used for demo data.
pub fn find_or_create_without_password(
    conn: &mut DbConn,
    username: &str,
    display_name: &str,
    bio: &str,
) -> QueryResult<i64> {
    let lower = username.to_lowercase();
    let existing: Option<i64> = users::table
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
            users::role.eq("user"),
            users::suspended.eq(false),
            users::created_at.eq(now),
            users::updated_at.eq(now),
        ))
        .returning(users::id)
        .get_result(conn)
}

//! Accounts: users, sessions with their refresh tokens, API tokens, server secrets and the
//! moderation log.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shortscience_types::{ApiTokenId, EmailDigest, Role, UserId};

use crate::db::schema::{
    api_tokens, moderation_log, refresh_tokens, server_secrets, sessions, users,
};
use crate::db::{lower, DbConn};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub email: Option<String>,
    pub display_name: Option<String>,
    pub password_hash: Option<String>,
    pub bio: String,
    pub role: Role,
    pub suspended: bool,
    pub created_at: NaiveDateTime,
    pub email_digest: EmailDigest,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub email: Option<&'a str>,
    pub display_name: Option<&'a str>,
    pub password_hash: Option<&'a str>,
    pub bio: &'a str,
    pub role: Role,
    pub suspended: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn find_user(conn: &mut DbConn, id: UserId) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// By username, case-insensitively.
pub fn find_by_username(conn: &mut DbConn, username: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(lower(users::username).eq(username.to_lowercase()))
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// By username or email, case-insensitively (login accepts either).
pub fn find_by_login(conn: &mut DbConn, login: &str) -> QueryResult<Option<User>> {
    let key = login.to_lowercase();
    users::table
        .filter(
            lower(users::username)
                .eq(&key)
                .or(lower(users::email.assume_not_null()).eq(&key)),
        )
        .select(User::as_select())
        .order(users::id)
        .first(conn)
        .optional()
}

pub fn username_taken(conn: &mut DbConn, username: &str) -> QueryResult<bool> {
    Ok(find_by_username(conn, username)?.is_some())
}

pub fn email_taken(
    conn: &mut DbConn,
    email: &str,
    except_user: Option<UserId>,
) -> QueryResult<bool> {
    let mut query = users::table
        .filter(lower(users::email.assume_not_null()).eq(email.to_lowercase()))
        .select(users::id)
        .into_boxed();
    if let Some(id) = except_user {
        query = query.filter(users::id.ne(id));
    }
    Ok(query.first::<UserId>(conn).optional()?.is_some())
}

pub fn insert_user(conn: &mut DbConn, new: &NewUser<'_>) -> QueryResult<UserId> {
    diesel::insert_into(users::table)
        .values(new)
        .returning(users::id)
        .get_result(conn)
}

/// Profile fields a user edits themselves.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct ProfileChanges {
    pub display_name: Option<Option<String>>,
    pub bio: Option<String>,
    pub password_hash: Option<Option<String>>,
    pub email_digest: Option<EmailDigest>,
    pub updated_at: Option<NaiveDateTime>,
}

pub fn update_profile(
    conn: &mut DbConn,
    user_id: UserId,
    changes: &ProfileChanges,
) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set(changes)
        .execute(conn)?;
    Ok(())
}

pub fn set_role(
    conn: &mut DbConn,
    user_id: UserId,
    role: Role,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((users::role.eq(role), users::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

pub fn set_suspended(
    conn: &mut DbConn,
    user_id: UserId,
    suspended: bool,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((users::suspended.eq(suspended), users::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

// ---- sessions and refresh tokens -------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct Session {
    pub id: i64,
    pub user_id: UserId,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshToken {
    pub id: i64,
    pub session_id: i64,
    pub secret_hash: String,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

pub fn create_session(
    conn: &mut DbConn,
    user_id: UserId,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(now),
            sessions::last_used_at.eq(now),
            sessions::expires_at.eq(expires_at),
        ))
        .returning(sessions::id)
        .get_result(conn)
}

pub fn insert_refresh_token(
    conn: &mut DbConn,
    session_id: i64,
    lookup: &str,
    secret_hash: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::lookup.eq(lookup),
            refresh_tokens::secret_hash.eq(secret_hash),
            refresh_tokens::created_at.eq(now),
            refresh_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// A refresh token by its lookup id, with its session.
pub fn find_refresh_token(
    conn: &mut DbConn,
    lookup: &str,
) -> QueryResult<Option<(RefreshToken, Session)>> {
    refresh_tokens::table
        .inner_join(sessions::table)
        .filter(refresh_tokens::lookup.eq(lookup))
        .select((RefreshToken::as_select(), Session::as_select()))
        .first(conn)
        .optional()
}

/// Marks a refresh token as exchanged. Returns false when another request exchanged it first.
pub fn mark_refresh_token_used(
    conn: &mut DbConn,
    token_id: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let updated = diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::id.eq(token_id))
            .filter(refresh_tokens::used_at.is_null()),
    )
    .set(refresh_tokens::used_at.eq(now))
    .execute(conn)?;
    Ok(updated == 1)
}

pub fn touch_session(conn: &mut DbConn, session_id: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(sessions::table.find(session_id))
        .set(sessions::last_used_at.eq(now))
        .execute(conn)?;
    Ok(())
}

pub fn revoke_session(
    conn: &mut DbConn,
    session_id: i64,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        sessions::table
            .filter(sessions::id.eq(session_id))
            .filter(sessions::revoked_at.is_null()),
    )
    .set((
        sessions::revoked_at.eq(now),
        sessions::revoked_reason.eq(reason),
    ))
    .execute(conn)?;
    Ok(())
}

/// Revokes every live session of a user, except `keep` if given.
pub fn revoke_user_sessions(
    conn: &mut DbConn,
    user_id: UserId,
    keep: Option<i64>,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::revoked_at.is_null())
            .filter(sessions::id.ne(keep.unwrap_or(-1))),
    )
    .set((
        sessions::revoked_at.eq(now),
        sessions::revoked_reason.eq(reason),
    ))
    .execute(conn)
}

/// The user behind a live session (not revoked, not past its end).
pub fn user_for_session(
    conn: &mut DbConn,
    session_id: i64,
    user_id: UserId,
    now: NaiveDateTime,
) -> QueryResult<Option<User>> {
    users::table
        .inner_join(sessions::table)
        .filter(sessions::id.eq(session_id))
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(now))
        .select(User::as_select())
        .first(conn)
        .optional()
}

// ---- API tokens ----------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub id: ApiTokenId,
    pub user_id: UserId,
    pub name: String,
    pub lookup: String,
    pub secret_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

#[allow(clippy::too_many_arguments)]
pub fn insert_api_token(
    conn: &mut DbConn,
    user_id: UserId,
    name: &str,
    lookup: &str,
    secret_hash: &str,
    now: NaiveDateTime,
    expires_at: Option<NaiveDateTime>,
) -> QueryResult<ApiToken> {
    let id: i64 = diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::user_id.eq(user_id),
            api_tokens::name.eq(name),
            api_tokens::lookup.eq(lookup),
            api_tokens::secret_hash.eq(secret_hash),
            api_tokens::created_at.eq(now),
            api_tokens::expires_at.eq(expires_at),
        ))
        .returning(api_tokens::id)
        .get_result(conn)?;
    api_tokens::table
        .find(id)
        .select(ApiToken::as_select())
        .first(conn)
}

/// A user's tokens that are neither revoked nor expired, newest first.
pub fn list_api_tokens(
    conn: &mut DbConn,
    user_id: UserId,
    now: NaiveDateTime,
) -> QueryResult<Vec<ApiToken>> {
    api_tokens::table
        .filter(api_tokens::user_id.eq(user_id))
        .filter(api_tokens::revoked_at.is_null())
        .filter(
            api_tokens::expires_at
                .is_null()
                .or(api_tokens::expires_at.gt(now)),
        )
        .order(api_tokens::id.desc())
        .select(ApiToken::as_select())
        .load(conn)
}

/// Revokes one of the user's tokens; false when the user has no such live token.
pub fn revoke_api_token(
    conn: &mut DbConn,
    user_id: UserId,
    token_id: ApiTokenId,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let updated = diesel::update(
        api_tokens::table
            .filter(api_tokens::id.eq(token_id))
            .filter(api_tokens::user_id.eq(user_id))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now))
    .execute(conn)?;
    Ok(updated == 1)
}

pub fn find_api_token(conn: &mut DbConn, lookup: &str) -> QueryResult<Option<(ApiToken, User)>> {
    api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::lookup.eq(lookup))
        .select((ApiToken::as_select(), User::as_select()))
        .first(conn)
        .optional()
}

pub fn touch_api_token(
    conn: &mut DbConn,
    token_id: ApiTokenId,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(api_tokens::table.find(token_id))
        .set(api_tokens::last_used_at.eq(now))
        .execute(conn)?;
    Ok(())
}

// ---- server secrets --------------------------------------------------------------------------

/// The stored secret `name`, creating it with `generate()` on first use. Safe when several
/// processes start at once: whoever inserts first wins and everyone reads that value.
pub fn get_or_create_secret(
    conn: &mut DbConn,
    name: &str,
    generate: impl FnOnce() -> String,
) -> QueryResult<String> {
    let read = |conn: &mut DbConn| {
        server_secrets::table
            .find(name)
            .select(server_secrets::value)
            .first::<String>(conn)
            .optional()
    };
    if let Some(value) = read(conn)? {
        return Ok(value);
    }
    let inserted = diesel::insert_into(server_secrets::table)
        .values((
            server_secrets::name.eq(name),
            server_secrets::value.eq(generate()),
            server_secrets::created_at.eq(super::now()),
        ))
        .execute(conn);
    match inserted {
        Ok(_)
        | Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => read(conn)?.ok_or(diesel::result::Error::NotFound),
        Err(e) => Err(e),
    }
}

// ---- moderation log --------------------------------------------------------------------------

pub fn log_moderation(
    conn: &mut DbConn,
    actor_id: UserId,
    action: &str,
    target_user_id: Option<UserId>,
    reason: Option<&str>,
    details: &serde_json::Value,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(moderation_log::table)
        .values((
            moderation_log::actor_id.eq(actor_id),
            moderation_log::action.eq(action),
            moderation_log::target_user_id.eq(target_user_id),
            moderation_log::reason.eq(reason),
            moderation_log::details.eq(details.to_string()),
            moderation_log::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// One stored moderation log entry with the actor's username.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct LogRow {
    pub id: i64,
    pub action: String,
    pub target_user_id: Option<UserId>,
    pub reason: Option<String>,
    /// JSON.
    pub details: String,
    pub created_at: NaiveDateTime,
    pub actor: Option<String>,
}

/// The moderation log, newest first, before the given id.
pub fn moderation_log_page(
    conn: &mut DbConn,
    before: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<LogRow>> {
    let mut query = moderation_log::table
        .left_join(users::table.on(users::id.nullable().eq(moderation_log::actor_id)))
        .order(moderation_log::id.desc())
        .limit(limit)
        .select((
            moderation_log::id,
            moderation_log::action,
            moderation_log::target_user_id,
            moderation_log::reason,
            moderation_log::details,
            moderation_log::created_at,
            users::username.nullable(),
        ))
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(moderation_log::id.lt(before));
    }
    query.load(conn)
}

/// Usernames of these users, by id.
pub fn usernames(
    conn: &mut DbConn,
    ids: &[UserId],
) -> QueryResult<std::collections::HashMap<UserId, String>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::username))
        .load::<(UserId, String)>(conn)?
        .into_iter()
        .collect())
}

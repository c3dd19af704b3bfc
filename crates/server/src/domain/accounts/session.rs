//! Browser sessions: sign-in, single-use refresh-token rotation and sign-out.

use std::net::IpAddr;

use chrono::Duration;
use shortscience_types::{AuthSession, ErrorCode, LoginRequest, UserId};

use super::{me, NewSession, SESSION_DAYS};
use crate::db::models::{self, accounts};
use crate::db::{write_transaction, Db, DbConn};
use crate::domain::auth::jwt::ACCESS_TOKEN_SECONDS;
use crate::domain::auth::{password, tokens, JwtKeys};
use crate::domain::limits::RateLimits;
use crate::domain::{blocking, validate, DomainError, DomainResult};

/// A new session for the user: its id and the refresh token for the cookie.
pub(super) fn start_session(conn: &mut DbConn, user_id: UserId) -> DomainResult<(i64, String)> {
    let now = models::now();
    let expires_at = now + Duration::days(SESSION_DAYS);
    let session_id = accounts::create_session(conn, user_id, now, expires_at)?;
    let refresh = tokens::new_refresh_token();
    accounts::insert_refresh_token(
        conn,
        session_id,
        &refresh.lookup,
        &refresh.secret_hash,
        now,
        expires_at,
    )?;
    Ok((session_id, refresh.token))
}

pub(super) fn new_session(
    keys: &JwtKeys,
    user: &accounts::User,
    session_id: i64,
    refresh_token: String,
) -> DomainResult<NewSession> {
    let access_token = keys
        .issue(user.id.0, session_id, models::now().and_utc().timestamp())
        .map_err(DomainError::Internal)?;
    Ok(NewSession {
        session: AuthSession {
            access_token,
            token_type: "Bearer".to_owned(),
            expires_in: ACCESS_TOKEN_SECONDS,
            user: me(user),
        },
        refresh_token,
    })
}

fn invalid_credentials() -> DomainError {
    DomainError::unauthorized(ErrorCode::InvalidCredentials, "wrong username or password")
}

/// Signs in with a username (or email) and password.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn login(
    db: &Db,
    keys: &JwtKeys,
    limits: &RateLimits,
    client: IpAddr,
    input: LoginRequest,
) -> DomainResult<NewSession> {
    let gate = limits.clone();
    db.run(move |conn| gate.login(conn, client)).await?;
    let LoginRequest { username, password } = input;
    let login_name = username.trim().to_owned();
    if login_name.is_empty()
        || login_name.len() > validate::EMAIL_MAX
        || password.len() > 4 * validate::PASSWORD_MAX
    {
        return Err(invalid_credentials());
    }
    let user = db
        .run(move |conn| -> DomainResult<_> { Ok(accounts::find_by_login(conn, &login_name)?) })
        .await?;
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    // Verified even when there is no such user, so timing does not reveal which accounts exist.
    let ok = blocking(move || password::verify(&password, stored.as_deref())).await?;
    let user = user.filter(|_| ok).ok_or_else(invalid_credentials)?;
    let user_id = user.id;
    let (session_id, refresh_token) = db
        .run(move |conn| write_transaction(conn, |conn| start_session(conn, user_id)))
        .await?;
    new_session(keys, &user, session_id, refresh_token)
}

enum Rotation {
    Rotated(Box<accounts::User>, i64, String),
    Refused(ErrorCode, &'static str),
}

/// Exchanges a refresh token for a new access token and a new refresh token. Each refresh token
/// works once: presenting one that was already exchanged ends the whole session.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn refresh(
    db: &Db,
    keys: &JwtKeys,
    limits: &RateLimits,
    client: IpAddr,
    presented: Option<String>,
) -> DomainResult<NewSession> {
    let gate = limits.clone();
    db.run(move |conn| gate.refresh(conn, client)).await?;
    let Some(token) = presented.filter(|t| tokens::parse_refresh_token(t).is_some()) else {
        return Err(DomainError::unauthorized(
            ErrorCode::InvalidRefreshToken,
            "no valid refresh token; sign in again",
        ));
    };
    // A refusal for reuse still commits the revocation, so it is a value, not an error, until
    // the transaction is over.
    let rotation = db
        .run(move |conn| write_transaction(conn, |conn| rotate(conn, &token)))
        .await?;
    match rotation {
        Rotation::Rotated(user, session_id, token) => new_session(keys, &user, session_id, token),
        Rotation::Refused(code, detail) => Err(DomainError::unauthorized(code, detail)),
    }
}

fn rotate(conn: &mut DbConn, token: &str) -> DomainResult<Rotation> {
    let invalid = Rotation::Refused(
        ErrorCode::InvalidRefreshToken,
        "the refresh token is not valid; sign in again",
    );
    let Some(presented) = tokens::parse_refresh_token(token) else {
        return Ok(invalid);
    };
    let Some((stored, session)) = accounts::find_refresh_token(conn, presented.lookup)? else {
        return Ok(invalid);
    };
    if !tokens::secret_matches(presented.secret, &stored.secret_hash) {
        return Ok(invalid);
    }
    let now = models::now();
    if session.revoked_at.is_some() {
        return Ok(Rotation::Refused(
            ErrorCode::InvalidRefreshToken,
            "this session has ended; sign in again",
        ));
    }
    if stored.used_at.is_some() || !accounts::mark_refresh_token_used(conn, stored.id, now)? {
        // Someone presented a token that was already exchanged: it was stolen or replayed.
        accounts::revoke_session(conn, session.id, "reuse_detected", now)?;
        tracing::warn!(
            session.id = session.id,
            "refresh token reuse: session revoked"
        );
        return Ok(Rotation::Refused(
            ErrorCode::RefreshTokenReused,
            "this refresh token was already used; the session has been ended for safety",
        ));
    }
    if stored.expires_at <= now || session.expires_at <= now {
        return Ok(Rotation::Refused(
            ErrorCode::InvalidRefreshToken,
            "this session has expired; sign in again",
        ));
    }
    let Some(user) = accounts::find_user(conn, session.user_id)? else {
        return Ok(invalid);
    };
    let next = tokens::new_refresh_token();
    accounts::insert_refresh_token(
        conn,
        session.id,
        &next.lookup,
        &next.secret_hash,
        now,
        session.expires_at,
    )?;
    accounts::touch_session(conn, session.id, now)?;
    Ok(Rotation::Rotated(Box::new(user), session.id, next.token))
}

/// Ends the session of the refresh token and the one of the access token, whichever are given.
/// Never fails for a bad token: signing out always works.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn logout(
    db: &Db,
    refresh_token: Option<String>,
    access_session: Option<i64>,
) -> DomainResult<()> {
    db.run(move |conn| {
        let now = models::now();
        if let Some(presented) = refresh_token
            .as_deref()
            .and_then(tokens::parse_refresh_token)
        {
            if let Some((stored, session)) = accounts::find_refresh_token(conn, presented.lookup)? {
                if tokens::secret_matches(presented.secret, &stored.secret_hash) {
                    accounts::revoke_session(conn, session.id, "logout", now)?;
                }
            }
        }
        if let Some(session_id) = access_session {
            accounts::revoke_session(conn, session_id, "logout", now)?;
        }
        Ok(())
    })
    .await
}

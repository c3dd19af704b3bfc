//! Authentication: password hashing, opaque tokens, access JWTs, and who a bearer token belongs
//! to ([`authenticate`]).
//!
//! Browsers hold a short-lived access JWT (15 minutes) in memory and a refresh token in an
//! `HttpOnly; SameSite=Strict` cookie that rotates on every use. Scripts use personal API tokens
//! (`ss_…`). Both are sent as `Authorization: Bearer …`. Every authenticated request reloads the
//! user and, for JWTs, their session, so suspension, role changes, logout and password changes
//! take effect at once rather than when an access token expires.

pub mod jwt;
pub mod password;
pub mod tokens;

pub use jwt::JwtKeys;
use shortscience_types::{ApiTokenId, ErrorCode, Role, UserId};

use crate::db::models::{self, accounts};
use crate::db::{Db, DbConn};
use crate::domain::{DomainError, DomainResult, Viewer};

/// API tokens' `last_used_at` is written at most this often, not on every request.
const TOKEN_TOUCH_SECONDS: i64 = 60;

/// How the caller authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthVia {
    /// A browser session's access token.
    Session { session_id: i64 },
    /// A personal API token.
    ApiToken { token_id: ApiTokenId },
}

/// An authenticated caller (possibly suspended: reads are allowed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthUser {
    pub id: UserId,
    pub username: String,
    pub role: Role,
    pub suspended: bool,
    pub via: AuthVia,
}

impl AuthUser {
    /// Refused unless the account may write.
    pub fn require_active(&self) -> DomainResult<()> {
        if self.suspended {
            return Err(DomainError::forbidden(
                ErrorCode::AccountSuspended,
                "this account is suspended: it can read but not write",
            ));
        }
        Ok(())
    }

    pub fn require_admin(&self) -> DomainResult<()> {
        self.require_active()?;
        if self.role != Role::Admin {
            return Err(DomainError::forbidden(
                ErrorCode::Forbidden,
                "only admins may do this",
            ));
        }
        Ok(())
    }

    /// Refused for API tokens: some account changes need a signed-in browser session (so a
    /// leaked token cannot mint more tokens or take over the account).
    pub fn require_session(&self) -> DomainResult<i64> {
        match self.via {
            AuthVia::Session { session_id } => Ok(session_id),
            AuthVia::ApiToken { .. } => Err(DomainError::forbidden(
                ErrorCode::SessionRequired,
                "sign in with a password to do this; API tokens cannot",
            )),
        }
    }

    /// This user as a reader.
    pub fn viewer(&self) -> Viewer {
        Viewer::user(self.id, self.role)
    }
}

/// The user a bearer token (an access JWT or a personal API token) belongs to, or the 401 to
/// answer.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn authenticate(db: &Db, keys: &JwtKeys, token: String) -> DomainResult<AuthUser> {
    let keys = keys.clone();
    db.run(move |conn| resolve(conn, &keys, &token)).await
}

fn resolve(conn: &mut DbConn, keys: &JwtKeys, token: &str) -> DomainResult<AuthUser> {
    let now = models::now();
    let invalid = |detail: &str| DomainError::unauthorized(ErrorCode::InvalidToken, detail);
    if token.starts_with(tokens::API_TOKEN_PREFIX) {
        let presented =
            tokens::parse_api_token(token).ok_or_else(|| invalid("malformed API token"))?;
        let (stored, user) = accounts::find_api_token(conn, presented.lookup)?
            .filter(|(stored, _)| tokens::secret_matches(presented.secret, &stored.secret_hash))
            .ok_or_else(|| invalid("unknown API token"))?;
        if stored.revoked_at.is_some() {
            return Err(invalid("this API token was revoked"));
        }
        if stored.expires_at.is_some_and(|at| at <= now) {
            return Err(invalid("this API token has expired"));
        }
        let stale = stored
            .last_used_at
            .is_none_or(|at| (now - at).num_seconds() >= TOKEN_TOUCH_SECONDS);
        if stale {
            // Bookkeeping only: storage that cannot write (read-only mode, a full disk) must not
            // stop a token from reading.
            match accounts::touch_api_token(conn, stored.id, now) {
                Err(err) if !crate::domain::error::is_storage_failure(&err) => {
                    return Err(err.into())
                }
                _ => {}
            }
        }
        return Ok(auth_user(
            user,
            AuthVia::ApiToken {
                token_id: stored.id,
            },
        ));
    }
    let claims = match keys.verify(token, now.and_utc().timestamp()) {
        Ok(claims) => claims,
        Err(jwt::TokenError::Expired) => {
            return Err(invalid("the access token has expired; refresh it"))
        }
        Err(jwt::TokenError::Invalid(_)) => return Err(invalid("the access token is not valid")),
    };
    let user_id: UserId = claims
        .sub
        .parse()
        .map_err(|_| invalid("the access token is not valid"))?;
    let user = accounts::user_for_session(conn, claims.sid, user_id, now)?
        .ok_or_else(|| invalid("this session has ended; sign in again"))?;
    Ok(auth_user(
        user,
        AuthVia::Session {
            session_id: claims.sid,
        },
    ))
}

fn auth_user(user: accounts::User, via: AuthVia) -> AuthUser {
    AuthUser {
        id: user.id,
        role: user.role,
        suspended: user.suspended,
        username: user.username,
        via,
    }
}

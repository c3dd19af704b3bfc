//! Who is calling. `AuthUser` requires valid credentials, `ActiveUser` also refuses suspended
//! accounts (use it for every write), `MaybeAuthUser` lets anonymous callers through but still
//! refuses bad credentials rather than silently ignoring them.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use shortscience_types::Role;

use super::jwt::{JwtKeys, TokenError};
use super::tokens;
use crate::db::models::{self, accounts};
use crate::db::Db;
use crate::error::ApiError;

/// API tokens' `last_used_at` is written at most this often, not on every request.
const TOKEN_TOUCH_SECONDS: i64 = 60;

/// How the caller authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthVia {
    /// A browser session's access token.
    Session { session_id: i64 },
    /// A personal API token.
    ApiToken { token_id: i64 },
}

/// An authenticated caller (possibly suspended: reads are allowed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthUser {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub suspended: bool,
    pub via: AuthVia,
}

impl AuthUser {
    /// 403 unless the account may write.
    pub fn require_active(&self) -> Result<(), ApiError> {
        if self.suspended {
            return Err(ApiError::forbidden(
                "account_suspended",
                "this account is suspended: it can read but not write",
            ));
        }
        Ok(())
    }

    pub fn require_admin(&self) -> Result<(), ApiError> {
        self.require_active()?;
        if self.role != Role::Admin {
            return Err(ApiError::forbidden("forbidden", "only admins may do this"));
        }
        Ok(())
    }

    /// 403 for API tokens: some account changes need a signed-in browser session (so a leaked
    /// token cannot mint more tokens or take over the account).
    pub fn require_session(&self) -> Result<i64, ApiError> {
        match self.via {
            AuthVia::Session { session_id } => Ok(session_id),
            AuthVia::ApiToken { .. } => Err(ApiError::forbidden(
                "session_required",
                "sign in with a password to do this; API tokens cannot",
            )),
        }
    }
}

/// An authenticated caller whose account is not suspended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveUser(pub AuthUser);

/// The caller, if any credentials were sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaybeAuthUser(pub Option<AuthUser>);

type BoxedFuture<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

/// The bearer credential of a request: `Ok(None)` when there is no `Authorization` header.
fn bearer(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let invalid = || {
        ApiError::unauthorized(
            "invalid_token",
            "send credentials as `Authorization: Bearer <token>`",
        )
    };
    let value = value.to_str().map_err(|_| invalid())?;
    let (scheme, token) = value.trim().split_once(' ').ok_or_else(invalid)?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(invalid());
    }
    Ok(Some(token.trim().to_owned()))
}

fn authenticate(req: &HttpRequest) -> BoxedFuture<Option<AuthUser>> {
    let credential = bearer(req);
    let db = req.app_data::<web::Data<Db>>().cloned();
    let keys = req.app_data::<web::Data<JwtKeys>>().cloned();
    Box::pin(async move {
        let Some(token) = credential? else {
            return Ok(None);
        };
        let (Some(db), Some(keys)) = (db, keys) else {
            return Err(ApiError::internal(anyhow::anyhow!(
                "authentication state is not configured"
            )));
        };
        let user = db
            .run(move |conn| resolve(conn, &keys, &token).map_err(ApiError::from))
            .await??;
        Ok(Some(user))
    })
}

/// Turns a bearer token into a user, or the 401 to answer.
fn resolve(
    conn: &mut crate::db::DbConn,
    keys: &JwtKeys,
    token: &str,
) -> Result<Result<AuthUser, ApiError>, diesel::result::Error> {
    let now = models::now();
    let invalid = |detail: &str| Err(ApiError::unauthorized("invalid_token", detail.to_owned()));
    if token.starts_with(tokens::API_TOKEN_PREFIX) {
        let Some(presented) = tokens::parse_api_token(token) else {
            return Ok(invalid("malformed API token"));
        };
        let Some((stored, user)) = accounts::find_api_token(conn, presented.lookup)? else {
            return Ok(invalid("unknown API token"));
        };
        if !tokens::secret_matches(presented.secret, &stored.secret_hash) {
            return Ok(invalid("unknown API token"));
        }
        if stored.revoked_at.is_some() {
            return Ok(invalid("this API token was revoked"));
        }
        if stored.expires_at.is_some_and(|at| at <= now) {
            return Ok(invalid("this API token has expired"));
        }
        let stale = stored
            .last_used_at
            .is_none_or(|at| (now - at).num_seconds() >= TOKEN_TOUCH_SECONDS);
        if stale {
            accounts::touch_api_token(conn, stored.id, now)?;
        }
        return Ok(Ok(to_auth_user(
            user,
            AuthVia::ApiToken {
                token_id: stored.id,
            },
        )));
    }
    let claims = match keys.verify(token, now.and_utc().timestamp()) {
        Ok(claims) => claims,
        Err(TokenError::Expired) => return Ok(invalid("the access token has expired; refresh it")),
        Err(TokenError::Invalid(_)) => return Ok(invalid("the access token is not valid")),
    };
    let Ok(user_id) = claims.sub.parse::<i64>() else {
        return Ok(invalid("the access token is not valid"));
    };
    match accounts::user_for_session(conn, claims.sid, user_id, now)? {
        Some(user) => Ok(Ok(to_auth_user(
            user,
            AuthVia::Session {
                session_id: claims.sid,
            },
        ))),
        None => Ok(invalid("this session has ended; sign in again")),
    }
}

fn to_auth_user(user: accounts::User, via: AuthVia) -> AuthUser {
    AuthUser {
        id: user.id,
        role: Role::from_db(&user.role),
        suspended: user.suspended,
        username: user.username,
        via,
    }
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = BoxedFuture<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let auth = authenticate(req);
        Box::pin(async move {
            auth.await?.ok_or_else(|| {
                ApiError::unauthorized("unauthenticated", "sign in or send an API token")
            })
        })
    }
}

impl FromRequest for ActiveUser {
    type Error = ApiError;
    type Future = BoxedFuture<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let user = AuthUser::from_request(req, payload);
        Box::pin(async move {
            let user = user.await?;
            user.require_active()?;
            Ok(ActiveUser(user))
        })
    }
}

impl FromRequest for MaybeAuthUser {
    type Error = ApiError;
    type Future = BoxedFuture<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let auth = authenticate(req);
        Box::pin(async move { Ok(MaybeAuthUser(auth.await?)) })
    }
}

//! Personal API tokens for scripts: listing, creating and revoking the caller's own.

use chrono::Duration;
use shortscience_types::{
    ApiTokenId, ApiTokenInfo, ApiTokenList, CreateApiTokenRequest, CreatedApiToken,
};

use crate::db::models::{self, accounts};
use crate::db::Db;
use crate::domain::auth::{tokens, AuthUser};
use crate::domain::limits::RateLimits;
use crate::domain::{DomainError, DomainResult};

pub(super) fn token_info(token: &accounts::ApiToken) -> ApiTokenInfo {
    ApiTokenInfo {
        id: token.id,
        name: token.name.clone(),
        prefix: tokens::display_prefix(&token.lookup),
        created_at: token.created_at.and_utc(),
        expires_at: token.expires_at.map(|t| t.and_utc()),
        last_used_at: token.last_used_at.map(|t| t.and_utc()),
    }
}

/// The caller's live API tokens (never their secrets).
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.id))]
pub async fn list_tokens(db: &Db, caller: &AuthUser) -> DomainResult<ApiTokenList> {
    let id = caller.id;
    let rows = db
        .run(move |conn| -> DomainResult<_> {
            Ok(accounts::list_api_tokens(conn, id, models::now())?)
        })
        .await?;
    Ok(ApiTokenList {
        items: rows.iter().map(token_info).collect(),
    })
}

/// Creates a personal API token for scripts, from a signed-in session only. The token is in
/// this answer only; the database keeps its hash.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.id))]
pub async fn create_token(
    db: &Db,
    limits: &RateLimits,
    caller: &AuthUser,
    input: CreateApiTokenRequest,
) -> DomainResult<CreatedApiToken> {
    caller.require_session()?;
    let name = input.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 60 || name.chars().any(char::is_control) {
        return Err(DomainError::invalid_field(
            "name",
            "must be 1 to 60 characters",
        ));
    }
    let lifetime = match input.expires_in_days {
        None => None,
        Some(days) if (1..=3650).contains(&days) => Some(Duration::days(days)),
        Some(_) => {
            return Err(DomainError::invalid_field(
                "expires_in_days",
                "must be between 1 and 3650",
            ))
        }
    };
    let limits = limits.clone();
    let new = tokens::new_api_token();
    let (lookup, secret_hash, user_id) = (new.lookup.clone(), new.secret_hash.clone(), caller.id);
    let stored = db
        .run(move |conn| -> DomainResult<_> {
            limits.create_token(conn, user_id)?;
            let now = models::now();
            Ok(accounts::insert_api_token(
                conn,
                user_id,
                &name,
                &lookup,
                &secret_hash,
                now,
                lifetime.map(|d| now + d),
            )?)
        })
        .await?;
    Ok(CreatedApiToken {
        token: new.token,
        info: token_info(&stored),
    })
}

/// Revokes one of the caller's API tokens at once.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.id, token.id = %id))]
pub async fn revoke_token(db: &Db, caller: &AuthUser, id: ApiTokenId) -> DomainResult<()> {
    let user_id = caller.id;
    let revoked = db
        .run(move |conn| -> DomainResult<_> {
            Ok(accounts::revoke_api_token(
                conn,
                user_id,
                id,
                models::now(),
            )?)
        })
        .await?;
    if revoked {
        Ok(())
    } else {
        Err(DomainError::not_found(format!(
            "you have no API token {id}"
        )))
    }
}

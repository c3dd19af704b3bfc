//! Accounts: registration, sign-in, rotating refresh tokens, sign-out, the user's own account
//! and personal API tokens, and the first admin of a fresh install.

mod api_tokens;
mod export;
mod register;
mod session;
mod settings;

use shortscience_types::{AuthSession, ErrorCode, Me, UserId};

use crate::db::models::accounts;
use crate::db::DbConn;
use crate::domain::{DomainError, DomainResult};

pub use api_tokens::{create_token, list_tokens, revoke_token};
pub use export::export;
pub use register::{create_admin, register};
pub use session::{login, logout, refresh};
pub use settings::{get_me, update_me};

/// How long a login lasts without signing in again.
pub const SESSION_DAYS: i64 = 30;

pub fn me(user: &accounts::User) -> Me {
    Me {
        id: user.id,
        username: user.username.clone(),
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        bio: user.bio.clone(),
        role: user.role,
        suspended: user.suspended,
        created_at: user.created_at.and_utc(),
        email_digest: user.email_digest,
    }
}

/// A signed-in browser session: the body to send (with the access token) and the refresh token
/// for the cookie.
#[derive(Debug)]
pub struct NewSession {
    pub session: AuthSession,
    pub refresh_token: String,
}

fn find_user(conn: &mut DbConn, id: UserId) -> DomainResult<accounts::User> {
    accounts::find_user(conn, id)?.ok_or_else(|| {
        DomainError::unauthorized(ErrorCode::InvalidToken, "this account no longer exists")
    })
}

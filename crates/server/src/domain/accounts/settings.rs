//! The caller's own account: reading it and changing the display name, bio, password or e-mail
//! digest.

use shortscience_types::{Me, UpdateMeRequest};

use super::{find_user, me};
use crate::db::models::{self, accounts};
use crate::db::{write_transaction, Db};
use crate::domain::auth::{password, AuthUser};
use crate::domain::{blocking, validate, DomainError, DomainResult};

/// The caller's account.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.id))]
pub async fn get_me(db: &Db, caller: &AuthUser) -> DomainResult<Me> {
    let id = caller.id;
    let user = db.run(move |conn| find_user(conn, id)).await?;
    Ok(me(&user))
}

/// Changes the display name, bio, password or e-mail digest. The digest choice is kept even when
/// the server has no SMTP configured (it then sends nothing). A password change needs the current password and
/// a signed-in session (not an API token), and signs out every other session.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.id))]
pub async fn update_me(db: &Db, caller: &AuthUser, input: UpdateMeRequest) -> DomainResult<Me> {
    let mut changes = accounts::ProfileChanges::default();
    if let Some(name) = &input.display_name {
        changes.display_name = Some(DomainError::check(
            "display_name",
            validate::display_name(name),
        )?);
    }
    if let Some(bio) = &input.bio {
        changes.bio = Some(DomainError::check("bio", validate::bio(bio))?);
    }
    changes.email_digest = input.email_digest;
    let user_id = caller.id;
    let keep_session = match (input.new_password, input.current_password) {
        (None, None) => None,
        (None, Some(_)) => {
            return Err(DomainError::invalid_field(
                "new_password",
                "is required with current_password",
            ))
        }
        (Some(_), None) => {
            return Err(DomainError::invalid_field(
                "current_password",
                "is required to change the password",
            ))
        }
        (Some(new), Some(current)) => {
            let session_id = caller.require_session()?;
            let user = db.run(move |conn| find_user(conn, user_id)).await?;
            DomainError::check(
                "new_password",
                validate::password(&new, &user.username, user.email.as_deref()),
            )?;
            let stored = user.password_hash;
            let hash = blocking(move || {
                password::verify(&current, stored.as_deref())
                    .then(|| password::hash(&new))
                    .transpose()
            })
            .await?
            .map_err(DomainError::Internal)?
            .ok_or_else(|| DomainError::invalid_field("current_password", "is not correct"))?;
            changes.password_hash = Some(Some(hash));
            Some(session_id)
        }
    };
    changes.updated_at = Some(models::now());
    let user = db
        .run(move |conn| {
            write_transaction(conn, |conn| {
                accounts::update_profile(conn, user_id, &changes)?;
                if let Some(keep) = keep_session {
                    let ended = accounts::revoke_user_sessions(
                        conn,
                        user_id,
                        Some(keep),
                        "password_change",
                        models::now(),
                    )?;
                    tracing::info!(user.id = %user_id, sessions.ended = ended, "password changed");
                }
                find_user(conn, user_id)
            })
        })
        .await?;
    Ok(me(&user))
}

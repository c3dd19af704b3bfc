//! Moderation: who may hide content and manage accounts, the actions themselves, and the
//! moderation log every action is written to (in the same transaction as the action).

use chrono::NaiveDateTime;
use serde_json::json;
use shortscience_types::{AdminUpdateUserRequest, ErrorCode, UserId, UserProfile};

use crate::db::models::comments::CommentRow;
use crate::db::models::summaries::Summary;
use crate::db::models::{self, accounts, comments, summaries};
use crate::db::{write_transaction, Db, DbConn};
use crate::domain::auth::AuthUser;
use crate::domain::{notifications, users, DomainError, DomainResult, Viewer};

/// Longest reason kept in the log, in characters.
pub const MAX_REASON_CHARS: usize = 500;

/// Refused unless the viewer is a moderator (or an admin).
pub fn require_moderator(viewer: &Viewer, action: &str) -> DomainResult<()> {
    if viewer.moderator {
        Ok(())
    } else {
        Err(DomainError::forbidden(
            ErrorCode::NotModerator,
            format!("only moderators may {action}"),
        ))
    }
}

/// A moderator's reason as kept: trimmed, at most [`MAX_REASON_CHARS`], absent when empty.
pub fn reason(raw: Option<&str>) -> Option<String> {
    raw.map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| r.chars().take(MAX_REASON_CHARS).collect())
}

/// Hides or shows a summary and logs it (no-op when it is already so).
pub fn set_summary_hidden(
    conn: &mut DbConn,
    moderator: UserId,
    summary: &Summary,
    hidden: bool,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> DomainResult<()> {
    if hidden == summary.hidden {
        return Ok(());
    }
    summaries::set_hidden(conn, summary.id, hidden)?;
    let action = if hidden {
        "hide_summary"
    } else {
        "show_summary"
    };
    let details = json!({ "summary_id": summary.id, "paper_id": summary.paper_id });
    accounts::log_moderation(
        conn,
        moderator,
        action,
        summary.author_id,
        reason,
        &details,
        now,
    )?;
    if hidden {
        notifications::content_hidden(
            conn,
            moderator,
            summary.author_id,
            summary.id,
            None,
            reason,
            now,
        )?;
    }
    Ok(())
}

/// Hides or shows a comment, logs it and recounts its summary's comments.
pub fn set_comment_hidden(
    conn: &mut DbConn,
    moderator: UserId,
    comment: &CommentRow,
    hidden: bool,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> DomainResult<()> {
    if hidden == comment.hidden {
        return Ok(());
    }
    comments::set_hidden(conn, comment.id, hidden)?;
    let action = if hidden {
        "hide_comment"
    } else {
        "show_comment"
    };
    let details = json!({ "comment_id": comment.id, "summary_id": comment.summary_id });
    accounts::log_moderation(
        conn,
        moderator,
        action,
        comment.author_id,
        reason,
        &details,
        now,
    )?;
    if hidden {
        notifications::content_hidden(
            conn,
            moderator,
            comment.author_id,
            comment.summary_id,
            Some(comment.id),
            reason,
            now,
        )?;
    }
    summaries::refresh_comment_count(conn, comment.summary_id)?;
    Ok(())
}

/// Changes a user's role or suspends them (admins only). Suspending ends the user's sessions;
/// every change goes to the moderation log.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %admin.id, target = %username))]
pub async fn update_user(
    db: &Db,
    admin: &AuthUser,
    username: String,
    input: AdminUpdateUserRequest,
) -> DomainResult<UserProfile> {
    admin.require_admin()?;
    if input.role.is_none() && input.suspended.is_none() {
        return Err(DomainError::invalid_field(
            "role",
            "give a role or suspended to change",
        ));
    }
    if input
        .reason
        .as_deref()
        .is_some_and(|r| r.trim().chars().count() > MAX_REASON_CHARS)
    {
        return Err(DomainError::invalid_field(
            "reason",
            format!("must be at most {MAX_REASON_CHARS} characters"),
        ));
    }
    let reason = reason(input.reason.as_deref());
    let admin_id = admin.id;
    db.run(move |conn| {
        write_transaction(conn, |conn| {
            let user = users::find(conn, &username)?;
            if user.id == admin_id {
                return Err(DomainError::invalid_field(
                    if input.role.is_some() {
                        "role"
                    } else {
                        "suspended"
                    },
                    "admins cannot change their own role or suspend themselves",
                ));
            }
            let now = models::now();
            if let Some(role) = input.role.filter(|role| *role != user.role) {
                accounts::set_role(conn, user.id, role, now)?;
                let details = json!({"from": user.role, "to": role});
                accounts::log_moderation(
                    conn,
                    admin_id,
                    "set_role",
                    user.id,
                    reason.as_deref(),
                    &details,
                    now,
                )?;
            }
            if let Some(suspended) = input.suspended.filter(|s| *s != user.suspended) {
                accounts::set_suspended(conn, user.id, suspended, now)?;
                if suspended {
                    accounts::revoke_user_sessions(conn, user.id, None, "suspended", now)?;
                }
                let action = if suspended { "suspend" } else { "unsuspend" };
                accounts::log_moderation(
                    conn,
                    admin_id,
                    action,
                    user.id,
                    reason.as_deref(),
                    &json!({}),
                    now,
                )?;
            }
            users::profile_of(conn, user.id)
        })
    })
    .await
}

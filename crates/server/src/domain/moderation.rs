//! Moderation: who may hide content and manage accounts, the actions themselves, and the
//! moderation log every action is written to (in the same transaction as the action).

use chrono::NaiveDateTime;
use serde_json::json;
use shortscience_types::{
    AdminUpdateUserRequest, ErrorCode, FlagTargetKind, LogTarget, LogTargetKind,
    ModerationLogEntry, ModerationLogPage, Page, UserId, UserProfile,
};

use crate::db::models::comments::CommentRow;
use crate::db::models::summaries::Summary;
use crate::db::models::{self, accounts, comments, flags, summaries};
use crate::db::{write_transaction, Db, DbConn};
use crate::domain::auth::AuthUser;
use crate::domain::cursor::Cursor;
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

/// Refuses a reason longer than [`MAX_REASON_CHARS`].
pub fn check_reason(raw: Option<&str>) -> DomainResult<()> {
    if raw.is_some_and(|r| r.trim().chars().count() > MAX_REASON_CHARS) {
        return Err(DomainError::invalid_field(
            "reason",
            format!("must be at most {MAX_REASON_CHARS} characters"),
        ));
    }
    Ok(())
}

/// What every moderator decision on a queued item starts with: the caller must be a moderator,
/// `status` must name a decision (`parse`; `names` lists them for the error) and the reason must
/// fit. Returns the decision and the reason as kept.
pub fn decision<D>(
    caller: &AuthUser,
    action: &str,
    status: &str,
    raw_reason: Option<&str>,
    parse: fn(&str) -> Option<D>,
    names: fn() -> String,
) -> DomainResult<(D, Option<String>)> {
    require_moderator(&caller.viewer(), action)?;
    let decision = parse(status).ok_or_else(|| {
        DomainError::invalid_field("status", format!("must be one of {}", names()))
    })?;
    check_reason(raw_reason)?;
    Ok((decision, reason(raw_reason)))
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
    // Acting on flagged content answers its flags, in the same transaction.
    let resolved = if hidden {
        flags::resolve_open_on(
            conn,
            FlagTargetKind::Summary,
            summary.id.0,
            moderator,
            reason,
            now,
        )?
    } else {
        0
    };
    let details = json!({
        "summary_id": summary.id,
        "paper_id": summary.paper_id,
        "resolved_flags": resolved,
    });
    accounts::log_moderation(
        conn,
        moderator,
        action,
        Some(summary.author_id),
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
    let resolved = if hidden {
        flags::resolve_open_on(
            conn,
            FlagTargetKind::Comment,
            comment.id.0,
            moderator,
            reason,
            now,
        )?
    } else {
        0
    };
    let details = json!({
        "comment_id": comment.id,
        "summary_id": comment.summary_id,
        "resolved_flags": resolved,
    });
    accounts::log_moderation(
        conn,
        moderator,
        action,
        Some(comment.author_id),
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
    check_reason(input.reason.as_deref())?;
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
                    Some(user.id),
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
                    Some(user.id),
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

/// One stored log entry as the public may see it: the action, what it was about (a link, never
/// hidden text), the moderator, the reason and the time. Content actions never name the
/// content's author (a summary may be anonymous); details stay internal except a new role.
fn public_entry(
    row: accounts::LogRow,
    usernames: &std::collections::HashMap<UserId, String>,
) -> ModerationLogEntry {
    let details: serde_json::Value = serde_json::from_str(&row.details).unwrap_or_default();
    let id_of = |key: &str| details.get(key).and_then(serde_json::Value::as_i64);
    let target = |kind: LogTargetKind, id: String, link: String| Some(LogTarget { kind, id, link });
    let mut role = None;
    let target = match row.action.as_str() {
        "hide_summary" | "show_summary" => id_of("summary_id").and_then(|id| {
            target(
                LogTargetKind::Summary,
                id.to_string(),
                format!("/summaries/{id}"),
            )
        }),
        "hide_comment" | "show_comment" => id_of("comment_id").and_then(|id| {
            let link = match id_of("summary_id") {
                Some(summary) => format!("/summaries/{summary}#comment-{id}"),
                None => format!("/comments/{id}"),
            };
            target(LogTargetKind::Comment, id.to_string(), link)
        }),
        "set_role" | "suspend" | "unsuspend" => {
            if row.action == "set_role" {
                role = details
                    .get("to")
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned);
            }
            row.target_user_id
                .and_then(|id| usernames.get(&id))
                .and_then(|name| {
                    target(LogTargetKind::User, name.clone(), format!("/users/{name}"))
                })
        }
        "resolve_flag" | "dismiss_flag" => id_of("flag_id").and_then(|id| {
            let kind = details
                .get("target_kind")
                .and_then(serde_json::Value::as_str)
                .and_then(FlagTargetKind::parse);
            let link = match (kind, id_of("target_id")) {
                (Some(FlagTargetKind::Summary), Some(t)) => format!("/summaries/{t}"),
                (Some(FlagTargetKind::Paper), Some(t)) => format!("/papers/{t}"),
                (Some(FlagTargetKind::Comment), Some(t)) => match id_of("summary_id") {
                    Some(summary) => format!("/summaries/{summary}#comment-{t}"),
                    None => format!("/comments/{t}"),
                },
                _ => String::new(),
            };
            target(LogTargetKind::Flag, id.to_string(), link)
        }),
        "approve_claim" | "reject_claim" => id_of("claim_id").and_then(|id| {
            let link = id_of("author_id")
                .map(|a| format!("/authors/{a}"))
                .unwrap_or_default();
            target(LogTargetKind::Claim, id.to_string(), link)
        }),
        _ => None,
    };
    ModerationLogEntry {
        id: row.id,
        action: row.action,
        target,
        moderator: row.actor,
        reason: row.reason,
        role,
        created_at: row.created_at.and_utc(),
    }
}

/// The public moderation log, newest first. Anyone may read it.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn public_log(db: &Db, page: Page) -> DomainResult<ModerationLogPage> {
    let limit = page.size();
    let before = match Cursor::decode_opt(page.cursor.as_deref())? {
        None => None,
        Some(c) if c.key == "log" => Some(c.id),
        Some(_) => return Err(Cursor::foreign()),
    };
    db.run(move |conn| {
        let mut rows = accounts::moderation_log_page(conn, before, limit + 1)?;
        let has_more = rows.len() as i64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(0));
        let next_cursor = has_more
            .then(|| rows.last())
            .flatten()
            .map(|r| Cursor::new("log", r.id).encode());
        let user_ids: Vec<UserId> = rows.iter().filter_map(|r| r.target_user_id).collect();
        let usernames = accounts::usernames(conn, &user_ids)?;
        let items = rows
            .into_iter()
            .map(|row| public_entry(row, &usernames))
            .collect();
        Ok(ModerationLogPage { items, next_cursor })
    })
    .await
}

//! Flags: any active user reports a summary, comment or paper they can see; moderators work
//! through the open flags grouped by target, and resolve or dismiss them (logged). Hiding a
//! flagged summary or comment resolves its flags (`moderation`).

use std::collections::HashMap;

use serde_json::json;
use shortscience_types::{
    CreateFlagRequest, DecideFlagRequest, DecidedFlag, ErrorCode, Flag, FlagDecision, FlagId,
    FlagQueue, FlagReason, FlagStatus, FlagTargetKind, FlaggedTarget, Page, PaperRef, QueuedFlag,
    ReasonCount,
};

use crate::db::models::flags::{self, FlagRow, QueueAfter, TargetGroup};
use crate::db::models::{self, accounts, comments, papers, summaries};
use crate::db::{write_transaction, Db, DbConn};
use crate::domain::auth::AuthUser;
use crate::domain::cursor::{self, Cursor};
use crate::domain::limits::RateLimits;
use crate::domain::summaries::readable;
use crate::domain::{moderation, DomainError, DomainResult, Existing, Viewer};

/// Longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 1000;

/// Longest excerpt of a flagged summary or comment in the queue, in characters.
const EXCERPT_CHARS: usize = 300;

/// The flag as its author sees it.
pub fn flag_view(row: &FlagRow) -> Flag {
    Flag {
        id: row.id,
        target_kind: row.target_kind,
        target_id: row.target_id,
        reason: row.reason,
        note: row.note.clone(),
        status: row.status,
        created_at: row.created_at.and_utc(),
    }
}

/// Where the web app shows a flagged target.
fn link(kind: FlagTargetKind, id: i64, summary_of_comment: Option<i64>) -> String {
    match (kind, summary_of_comment) {
        (FlagTargetKind::Summary, _) => format!("/summaries/{id}"),
        (FlagTargetKind::Comment, Some(summary)) => format!("/summaries/{summary}#comment-{id}"),
        (FlagTargetKind::Comment, None) => format!("/comments/{id}"),
        (FlagTargetKind::Paper, _) => format!("/papers/{id}"),
    }
}

/// The one target the request names, checked: exactly one of the three ids.
fn target_of(input: &CreateFlagRequest) -> DomainResult<(FlagTargetKind, i64)> {
    let given: Vec<(&str, FlagTargetKind, i64)> = [
        input
            .summary_id
            .map(|id| ("summary_id", FlagTargetKind::Summary, id.0)),
        input
            .comment_id
            .map(|id| ("comment_id", FlagTargetKind::Comment, id.0)),
        input
            .paper_id
            .map(|id| ("paper_id", FlagTargetKind::Paper, id.0)),
    ]
    .into_iter()
    .flatten()
    .collect();
    match given.as_slice() {
        [(_, kind, id)] => Ok((*kind, *id)),
        [] => Err(DomainError::invalid_field(
            "summary_id",
            "give exactly one of summary_id, comment_id and paper_id",
        )),
        [_, (field, _, _), ..] => Err(DomainError::invalid_field(
            field,
            "give exactly one of summary_id, comment_id and paper_id",
        )),
    }
}

/// Refused unless the target exists and the viewer may see it.
fn require_visible(
    conn: &mut DbConn,
    viewer: &Viewer,
    kind: FlagTargetKind,
    id: i64,
) -> DomainResult<()> {
    let visible = match kind {
        FlagTargetKind::Summary => summaries::find(conn, shortscience_types::SummaryId(id))?
            .is_some_and(|(s, _)| readable(&s, viewer, None)),
        FlagTargetKind::Comment => match comments::find(conn, shortscience_types::CommentId(id))? {
            Some((c, _))
                if c.deleted_at.is_none()
                    && (!c.hidden || viewer.moderator || viewer.is(c.author_id)) =>
            {
                summaries::find(conn, c.summary_id)?
                    .is_some_and(|(s, _)| readable(&s, viewer, None))
            }
            _ => false,
        },
        FlagTargetKind::Paper => {
            papers::find(conn, &PaperRef::Id(shortscience_types::PaperId(id)))?.is_some()
        }
    };
    if visible {
        Ok(())
    } else {
        Err(DomainError::not_found(format!("no {} {id}", kind.as_str())))
    }
}

/// Flags a summary, comment or paper. One open flag per user per target (`flag_exists`).
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.id))]
pub async fn create(
    db: &Db,
    limits: &RateLimits,
    caller: &AuthUser,
    input: CreateFlagRequest,
) -> DomainResult<Flag> {
    let (kind, target_id) = target_of(&input)?;
    let reason = FlagReason::parse(&input.reason).ok_or_else(|| {
        DomainError::invalid_field("reason", format!("must be one of {}", FlagReason::names()))
    })?;
    let note = input
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    if note
        .as_deref()
        .is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS)
    {
        return Err(DomainError::invalid_field(
            "note",
            format!("must be at most {MAX_NOTE_CHARS} characters"),
        ));
    }
    let limits = limits.clone();
    let (user, viewer) = (caller.id, caller.viewer());
    db.run(move |conn| {
        write_transaction(conn, |conn| {
            require_visible(conn, &viewer, kind, target_id)?;
            if let Some(existing) = flags::open_of(conn, user, kind, target_id)? {
                return Err(exists(existing));
            }
            limits.write(conn, user)?;
            match flags::insert(
                conn,
                user,
                kind,
                target_id,
                reason,
                note.as_deref(),
                models::now(),
            ) {
                Ok(row) => Ok(flag_view(&row)),
                Err(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                )) => Err(DomainError::conflict(
                    ErrorCode::FlagExists,
                    "summary_id",
                    "you already flagged this",
                )),
                Err(e) => Err(e.into()),
            }
        })
    })
    .await
}

fn exists(existing: FlagId) -> DomainError {
    DomainError::Conflict {
        code: ErrorCode::FlagExists,
        field: "target".to_owned(),
        message: format!("you already flagged this (flag {existing}); a moderator will look at it"),
        existing: Existing::Flag(existing),
    }
}

fn encode_cursor(group: &TargetGroup) -> String {
    Cursor::new(
        format!(
            "q{}:{}:{}",
            group.n,
            cursor::micros(group.first_at),
            group.target_kind
        ),
        group.target_id,
    )
    .encode()
}

fn decode_cursor(cursor: &Cursor) -> DomainResult<QueueAfter> {
    let rest = cursor.key.strip_prefix('q').ok_or_else(Cursor::foreign)?;
    let mut parts = rest.splitn(3, ':');
    let (Some(count), Some(at), Some(kind)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(Cursor::foreign());
    };
    Ok(QueueAfter {
        count: count.parse().map_err(|_| Cursor::foreign())?,
        first_at: cursor::from_micros(at).ok_or_else(Cursor::foreign)?,
        kind: FlagTargetKind::parse(kind)
            .ok_or_else(Cursor::foreign)?
            .as_str()
            .to_owned(),
        id: cursor.id,
    })
}

/// An open flag and its flagger's username.
type FlagWithFlagger = (FlagRow, Option<String>);

/// What the queue shows of a target: (title, excerpt, link, hidden).
type TargetInfo = (String, String, String, bool);

fn target_infos(
    conn: &mut DbConn,
    groups: &[TargetGroup],
) -> DomainResult<HashMap<(FlagTargetKind, i64), TargetInfo>> {
    let ids = |kind: FlagTargetKind| -> Vec<i64> {
        groups
            .iter()
            .filter(|g| g.target_kind == kind.as_str())
            .map(|g| g.target_id)
            .collect()
    };
    let mut out = HashMap::new();
    let comment_ids: Vec<_> = ids(FlagTargetKind::Comment)
        .into_iter()
        .map(shortscience_types::CommentId)
        .collect();
    let comment_rows = comments::find_many(conn, &comment_ids)?;
    let mut summary_ids: Vec<_> = ids(FlagTargetKind::Summary)
        .into_iter()
        .map(shortscience_types::SummaryId)
        .collect();
    summary_ids.extend(comment_rows.iter().map(|c| c.summary_id));
    let summary_rows: HashMap<_, _> = summaries::find_many(conn, &summary_ids)?
        .into_iter()
        .map(|(s, _)| (s.id, s))
        .collect();
    let mut paper_ids: Vec<_> = ids(FlagTargetKind::Paper)
        .into_iter()
        .map(shortscience_types::PaperId)
        .collect();
    paper_ids.extend(summary_rows.values().map(|s| s.paper_id));
    let briefs = papers::briefs(conn, &paper_ids)?;
    let title = |paper| {
        briefs
            .get(&paper)
            .map(|(b, _)| b.title.clone())
            .unwrap_or_default()
    };
    for s in summary_rows.values() {
        out.insert(
            (FlagTargetKind::Summary, s.id.0),
            (
                title(s.paper_id),
                s.excerpt.clone(),
                link(FlagTargetKind::Summary, s.id.0, None),
                s.hidden,
            ),
        );
    }
    for c in &comment_rows {
        let paper = summary_rows.get(&c.summary_id).map(|s| s.paper_id);
        out.insert(
            (FlagTargetKind::Comment, c.id.0),
            (
                paper.map(title).unwrap_or_default(),
                c.body_markdown.chars().take(EXCERPT_CHARS).collect(),
                link(FlagTargetKind::Comment, c.id.0, Some(c.summary_id.0)),
                c.hidden,
            ),
        );
    }
    for id in ids(FlagTargetKind::Paper) {
        out.insert(
            (FlagTargetKind::Paper, id),
            (
                title(shortscience_types::PaperId(id)),
                String::new(),
                link(FlagTargetKind::Paper, id, None),
                false,
            ),
        );
    }
    Ok(out)
}

/// The moderators' queue: open flags grouped by target, the most flagged first, then the
/// longest waiting.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.id))]
pub async fn queue(db: &Db, caller: &AuthUser, page: Page) -> DomainResult<FlagQueue> {
    moderation::require_moderator(&caller.viewer(), "see the flag queue")?;
    let limit = page.size();
    let after = Cursor::decode_opt(page.cursor.as_deref())?
        .map(|c| decode_cursor(&c))
        .transpose()?;
    db.run(move |conn| {
        let mut groups = flags::queue(conn, after.as_ref(), limit + 1)?;
        let has_more = groups.len() as i64 > limit;
        groups.truncate(usize::try_from(limit).unwrap_or(0));
        let next_cursor = has_more.then(|| groups.last()).flatten().map(encode_cursor);
        let mut flags_by_target: HashMap<(FlagTargetKind, i64), Vec<FlagWithFlagger>> =
            HashMap::new();
        for kind in FlagTargetKind::ALL {
            let ids: Vec<i64> = groups
                .iter()
                .filter(|g| g.target_kind == kind.as_str())
                .map(|g| g.target_id)
                .collect();
            for (row, flagger) in flags::open_on(conn, *kind, &ids)? {
                flags_by_target
                    .entry((row.target_kind, row.target_id))
                    .or_default()
                    .push((row, flagger));
            }
        }
        let mut infos = target_infos(conn, &groups)?;
        let items = groups
            .into_iter()
            .map(|g| {
                let kind = FlagTargetKind::from_db(&g.target_kind);
                let rows = flags_by_target
                    .remove(&(kind, g.target_id))
                    .unwrap_or_default();
                let mut reasons: Vec<ReasonCount> = Vec::new();
                for (row, _) in &rows {
                    match reasons.iter_mut().find(|r| r.reason == row.reason) {
                        Some(r) => r.count += 1,
                        None => reasons.push(ReasonCount {
                            reason: row.reason,
                            count: 1,
                        }),
                    }
                }
                reasons.sort_by_key(|r| std::cmp::Reverse(r.count));
                let (title, excerpt, link, hidden) =
                    infos.remove(&(kind, g.target_id)).unwrap_or_else(|| {
                        (
                            String::new(),
                            String::new(),
                            link(kind, g.target_id, None),
                            false,
                        )
                    });
                FlaggedTarget {
                    kind,
                    id: g.target_id,
                    title,
                    excerpt,
                    link,
                    hidden,
                    count: g.n,
                    reasons,
                    flags: rows
                        .into_iter()
                        .map(|(row, flagger)| QueuedFlag {
                            id: row.id,
                            reason: row.reason,
                            note: row.note,
                            flagger,
                            created_at: row.created_at.and_utc(),
                        })
                        .collect(),
                    first_flagged_at: g.first_at.and_utc(),
                    last_flagged_at: g.last_at.and_utc(),
                }
            })
            .collect();
        Ok(FlagQueue { items, next_cursor })
    })
    .await
}

/// A moderator resolves or dismisses an open flag; logged.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.id, flag.id = %id))]
pub async fn decide(
    db: &Db,
    caller: &AuthUser,
    id: FlagId,
    input: DecideFlagRequest,
) -> DomainResult<DecidedFlag> {
    let (decision, reason) = moderation::decision(
        caller,
        "decide flags",
        &input.status,
        input.reason.as_deref(),
        FlagDecision::parse,
        FlagDecision::names,
    )?;
    let moderator = caller.id;
    db.run(move |conn| {
        write_transaction(conn, |conn| {
            let flag = flags::find(conn, id)?
                .ok_or_else(|| DomainError::not_found(format!("no flag {id}")))?;
            let (status, action) = match decision {
                FlagDecision::Resolved => (FlagStatus::Resolved, "resolve_flag"),
                FlagDecision::Dismissed => (FlagStatus::Dismissed, "dismiss_flag"),
            };
            let now = models::now();
            if !flags::decide(conn, id, status, moderator, reason.as_deref(), now)? {
                return Err(DomainError::conflict(
                    ErrorCode::AlreadyDecided,
                    "status",
                    format!("flag {id} is already {}", flag.status.as_str()),
                ));
            }
            // A comment's link goes through its summary.
            let summary_id = match flag.target_kind {
                FlagTargetKind::Comment => {
                    comments::find_many(conn, &[shortscience_types::CommentId(flag.target_id)])?
                        .first()
                        .map(|c| c.summary_id.0)
                }
                _ => None,
            };
            let details = json!({
                "flag_id": id,
                "target_kind": flag.target_kind.as_str(),
                "target_id": flag.target_id,
                "summary_id": summary_id,
            });
            accounts::log_moderation(
                conn,
                moderator,
                action,
                None,
                reason.as_deref(),
                &details,
                now,
            )?;
            let row = flags::find(conn, id)?
                .ok_or_else(|| DomainError::not_found(format!("no flag {id}")))?;
            Ok(DecidedFlag {
                flag: flag_view(&row),
                decided_at: row.decided_at.map(|t| t.and_utc()),
                decided_by: Some(
                    accounts::usernames(conn, &[moderator])?
                        .remove(&moderator)
                        .unwrap_or_default(),
                ),
                decision_reason: row.decision_reason,
            })
        })
    })
    .await
}

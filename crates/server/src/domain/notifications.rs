//! Notifications: written in the same transaction as what caused them, never to the one who
//! caused them, never naming an anonymous summary's author, and only about what the recipient
//! may read (private summaries take no comments or votes, so nobody else hears of them). Read
//! as a cursor-paginated list with an unread count, or as a private Atom feed at a secret,
//! rotatable address.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use shortscience_types::{
    MarkReadRequest, Notification, NotificationFeedInfo, NotificationFeedStatus, NotificationId,
    NotificationKind, NotificationPage, NotificationSubject, Page, PaperId, SummaryId, UnreadCount,
    UserId, UserRef,
};

use crate::db::models::comments::CommentRow;
use crate::db::models::community::{self, NewNotification, NotificationRow};
use crate::db::models::summaries::Summary;
use crate::db::models::{self, accounts};
use crate::db::{write_transaction, Db, DbConn};
use crate::domain::auth::{tokens, AuthUser};
use crate::domain::cursor::Cursor;
use crate::domain::feeds::{FeedDoc, FeedEntry};
use crate::domain::limits::RateLimits;
use crate::domain::summaries::readable;
use crate::domain::{DomainError, DomainResult, Viewer};

/// Scores whose first reaching is worth telling a summary's author.
pub const MILESTONES: [i32; 3] = [1, 10, 100];

/// Entries in the private Atom feed.
pub const FEED_ENTRIES: i64 = 50;

fn new(recipient: UserId, kind: NotificationKind, now: NaiveDateTime) -> NewNotification<'static> {
    NewNotification {
        recipient_id: recipient.0,
        kind: kind.as_str(),
        created_at: now,
        ..NewNotification::default()
    }
}

/// Writes notifications, leaving out any to the actor themselves.
pub fn notify(
    conn: &mut DbConn,
    actor: Option<UserId>,
    rows: &[NewNotification<'_>],
) -> DomainResult<()> {
    let rows: Vec<NewNotification<'_>> = rows
        .iter()
        .filter(|n| actor.is_none_or(|a| a.0 != n.recipient_id))
        .cloned()
        .collect();
    community::insert_notifications(conn, &rows)?;
    Ok(())
}

/// The actor as notifications may name them: nobody when they are the anonymous summary's
/// author (in its discussion they are "the summary's author").
fn shown_actor(summary: &Summary, actor: UserId) -> Option<i64> {
    (!(summary.anonymous && summary.author_id == actor)).then_some(actor.0)
}

/// A new comment (or reply) on a public summary: its summary's author and, for a reply, the
/// parent comment's author hear of it (once each).
pub fn comment_added(
    conn: &mut DbConn,
    summary: &Summary,
    comment: shortscience_types::CommentId,
    parent: Option<&CommentRow>,
    actor: UserId,
    now: NaiveDateTime,
) -> DomainResult<()> {
    if !summary.publicly_visible() {
        return Ok(());
    }
    let about = |recipient: UserId, kind| NewNotification {
        actor_id: shown_actor(summary, actor),
        summary_id: Some(summary.id.0),
        comment_id: Some(comment.0),
        paper_id: Some(summary.paper_id.0),
        ..new(recipient, kind, now)
    };
    let mut rows = Vec::new();
    if let Some(parent) = parent {
        rows.push(about(parent.author_id, NotificationKind::ReplyToComment));
    }
    if parent.is_none_or(|p| p.author_id != summary.author_id) {
        rows.push(about(summary.author_id, NotificationKind::CommentOnSummary));
    }
    notify(conn, Some(actor), &rows)
}

/// A summary was published (written, or brought back): the paper's followers hear of it, and,
/// when it is signed, its author's followers (each follower once). Private or hidden summaries
/// are told to nobody.
pub fn summary_published(
    conn: &mut DbConn,
    summary: &Summary,
    now: NaiveDateTime,
) -> DomainResult<()> {
    if !summary.publicly_visible() {
        return Ok(());
    }
    let mut told: HashSet<UserId> = HashSet::from([summary.author_id]);
    let mut rows = Vec::new();
    let about = |recipient: UserId, kind| NewNotification {
        actor_id: shown_actor(summary, summary.author_id),
        summary_id: Some(summary.id.0),
        paper_id: Some(summary.paper_id.0),
        ..new(recipient, kind, now)
    };
    for follower in community::followers(conn, "paper", summary.paper_id.0)? {
        if told.insert(follower) {
            rows.push(about(follower, NotificationKind::SummaryOnFollowedPaper));
        }
    }
    if !summary.anonymous {
        for follower in community::followers(conn, "user", summary.author_id.0)? {
            if told.insert(follower) {
                rows.push(about(follower, NotificationKind::SummaryByFollowedUser));
            }
        }
    }
    notify(conn, Some(summary.author_id), &rows)
}

/// A vote moved a summary's score from `before` to `after`: each milestone crossed upwards for
/// the first time is told to its author (nobody is named).
pub fn score_changed(
    conn: &mut DbConn,
    summary: &Summary,
    before: i32,
    after: i32,
    now: NaiveDateTime,
) -> DomainResult<()> {
    for milestone in MILESTONES {
        if before < milestone
            && after >= milestone
            && !community::milestone_reached(conn, summary.id, milestone)?
        {
            notify(
                conn,
                None,
                &[NewNotification {
                    summary_id: Some(summary.id.0),
                    paper_id: Some(summary.paper_id.0),
                    milestone: Some(milestone),
                    ..new(summary.author_id, NotificationKind::VoteMilestone, now)
                }],
            )?;
        }
    }
    Ok(())
}

/// A moderator hid a summary (`comment: None`) or one of its comments: its author hears of it,
/// with the reason.
pub fn content_hidden(
    conn: &mut DbConn,
    moderator: UserId,
    author: UserId,
    summary: SummaryId,
    comment: Option<shortscience_types::CommentId>,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> DomainResult<()> {
    notify(
        conn,
        Some(moderator),
        &[NewNotification {
            summary_id: Some(summary.0),
            comment_id: comment.map(|c| c.0),
            reason,
            ..new(author, NotificationKind::ContentHidden, now)
        }],
    )
}

/// `moderator` decided `user`'s claim of authorship of `paper` (with their reason), inside the
/// transaction that records the decision (`domain::claims::decide`).
pub fn notify_claim_decided(
    conn: &mut DbConn,
    moderator: UserId,
    user: UserId,
    paper: PaperId,
    approved: bool,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> DomainResult<()> {
    notify(
        conn,
        Some(moderator),
        &[NewNotification {
            paper_id: Some(paper.0),
            approved: Some(approved),
            reason,
            ..new(user, NotificationKind::ClaimDecided, now)
        }],
    )
}

// ---- reading -------------------------------------------------------------------------------

/// Notifications as the recipient sees them: an actor named only where the summary allows, and
/// a summary the recipient can no longer read reduced to its paper. (The e-mail digest shows
/// these too.)
pub(crate) fn views(
    conn: &mut DbConn,
    rows: Vec<NotificationRow>,
    viewer: &Viewer,
) -> DomainResult<Vec<Notification>> {
    let summary_ids: Vec<SummaryId> = rows.iter().filter_map(|r| r.summary_id).collect();
    let summaries: HashMap<SummaryId, (Summary, String)> =
        community::summaries_with_titles(conn, &summary_ids)?
            .into_iter()
            .map(|(s, title)| (s.id, (s, title)))
            .collect();
    let paper_ids: Vec<i64> = rows
        .iter()
        .filter(|r| r.summary_id.is_none())
        .filter_map(|r| r.paper_id.map(|p| p.0))
        .collect();
    let papers: HashMap<i64, String> = community::paper_titles(conn, &paper_ids)?
        .into_iter()
        .collect();
    let actor_ids: Vec<i64> = rows
        .iter()
        .filter_map(|r| r.actor_id.map(|a| a.0))
        .collect();
    let actors: HashMap<i64, UserRef> = community::user_names(conn, &actor_ids)?
        .into_iter()
        .map(|(id, username, display_name)| {
            (
                id,
                UserRef {
                    username,
                    display_name,
                },
            )
        })
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let kind = NotificationKind::from_db(&row.kind)?;
            let (subject, may_name) = match row.summary_id.and_then(|id| summaries.get(&id)) {
                Some((summary, title)) if readable(summary, viewer, None) => {
                    let link = match row.comment_id {
                        Some(c) => format!("/summaries/{}#comment-{c}", summary.id),
                        None => format!("/summaries/{}", summary.id),
                    };
                    let named = |actor: UserId| {
                        !(summary.anonymous && summary.author_id == actor)
                            || viewer.is(summary.author_id)
                    };
                    (
                        NotificationSubject {
                            paper_id: Some(summary.paper_id),
                            summary_id: Some(summary.id),
                            comment_id: row.comment_id,
                            title: title.clone(),
                            link,
                        },
                        row.actor_id.is_some_and(named),
                    )
                }
                Some((summary, title)) => (
                    NotificationSubject {
                        paper_id: Some(summary.paper_id),
                        summary_id: None,
                        comment_id: None,
                        title: title.clone(),
                        link: format!("/papers/{}", summary.paper_id),
                    },
                    false,
                ),
                None => {
                    let paper = row.paper_id?;
                    (
                        NotificationSubject {
                            paper_id: Some(paper),
                            summary_id: None,
                            comment_id: None,
                            title: papers.get(&paper.0).cloned().unwrap_or_default(),
                            link: format!("/papers/{paper}"),
                        },
                        true,
                    )
                }
            };
            let actor = row
                .actor_id
                .filter(|_| may_name)
                .and_then(|a| actors.get(&a.0).cloned());
            Some(Notification {
                id: row.id,
                kind,
                created_at: row.created_at.and_utc(),
                read: row.read,
                actor,
                subject,
                reason: row.reason,
                milestone: row.milestone,
                approved: row.approved,
            })
        })
        .collect())
}

/// One page of the caller's notifications, newest first, and their unread count.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.id))]
pub async fn list(db: &Db, caller: &AuthUser, page: Page) -> DomainResult<NotificationPage> {
    let limit = page.size();
    let before = match Cursor::decode_opt(page.cursor.as_deref())? {
        None => None,
        Some(c) if c.key == "notifications" => Some(NotificationId(c.id)),
        Some(_) => return Err(Cursor::foreign()),
    };
    let (user_id, viewer) = (caller.id, caller.viewer());
    db.run(move |conn| {
        use diesel::Connection as _;
        conn.transaction(|conn| -> DomainResult<NotificationPage> {
            let mut rows = community::notifications_of(conn, user_id, before, limit + 1)?;
            let has_more = rows.len() as i64 > limit;
            rows.truncate(usize::try_from(limit).unwrap_or(0));
            let next_cursor = has_more
                .then(|| rows.last())
                .flatten()
                .map(|r| Cursor::new("notifications", r.id.0).encode());
            Ok(NotificationPage {
                items: views(conn, rows, &viewer)?,
                next_cursor,
                unread: community::unread_count(conn, user_id)?,
            })
        })
    })
    .await
}

/// Marks the caller's notifications read: all, or those up to an id. Only ever the caller's.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.id))]
pub async fn mark_read(
    db: &Db,
    caller: &AuthUser,
    input: MarkReadRequest,
) -> DomainResult<UnreadCount> {
    let up_to = match (input.up_to, input.all) {
        (Some(id), None) => Some(id),
        (None, Some(true)) => None,
        (None, Some(false)) => {
            return Err(DomainError::invalid_field(
                "all",
                "must be true (or give `up_to` instead)",
            ))
        }
        (Some(_), Some(_)) => {
            return Err(DomainError::invalid_field(
                "up_to",
                "give either `up_to` or `all`, not both",
            ))
        }
        (None, None) => {
            return Err(DomainError::invalid_field(
                "up_to",
                "give `up_to` (a notification id) or `all: true`",
            ))
        }
    };
    let user_id = caller.id;
    db.run(move |conn| {
        write_transaction(conn, |conn| -> DomainResult<UnreadCount> {
            community::mark_read(conn, user_id, up_to)?;
            Ok(UnreadCount {
                unread: community::unread_count(conn, user_id)?,
            })
        })
    })
    .await
}

// ---- the private Atom feed -----------------------------------------------------------------

/// Where the private feed lives, relative to the site: `{PATH}{secret}.atom`.
pub const FEED_PATH: &str = "/api/v1/notifications/";

/// Whether the caller has a private feed (its address is never shown again).
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.id))]
/// `email_digests` says whether this server sends e-mail digests.
pub async fn feed_status(
    db: &Db,
    caller: &AuthUser,
    email_digests: bool,
) -> DomainResult<NotificationFeedStatus> {
    let user_id = caller.id;
    let created = db
        .run(move |conn| -> DomainResult<_> { Ok(community::feed_secret_created(conn, user_id)?) })
        .await?;
    Ok(NotificationFeedStatus {
        active: created.is_some(),
        created_at: created.map(|t| t.and_utc()),
        email_digests_available: email_digests,
    })
}

/// Makes a new private feed address (the old one, if any, stops working) and shows it once.
/// `base` is the site's public URL.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.id))]
pub async fn rotate_feed(
    db: &Db,
    limits: &RateLimits,
    caller: &AuthUser,
    base: String,
) -> DomainResult<NotificationFeedInfo> {
    let limits = limits.clone();
    let user_id = caller.id;
    let secret = tokens::random_secret();
    let hash = tokens::hash_secret(&secret);
    let now = db
        .run(move |conn| {
            write_transaction(conn, |conn| -> DomainResult<NaiveDateTime> {
                limits.create_token(conn, user_id)?;
                let now = models::now();
                community::set_feed_secret(conn, user_id, &hash, now)?;
                Ok(now)
            })
        })
        .await?;
    Ok(NotificationFeedInfo {
        url: format!("{base}{FEED_PATH}{secret}.atom"),
        created_at: now.and_utc(),
    })
}

/// One line saying what happened, naming only whom the notification may name (the feed's entry
/// titles and the e-mail digest's lines).
pub(crate) fn entry_title(n: &Notification) -> String {
    let who = n
        .actor
        .as_ref()
        .map(|a| a.display_name.clone().unwrap_or_else(|| a.username.clone()));
    let title = &n.subject.title;
    match n.kind {
        NotificationKind::CommentOnSummary => format!(
            "{} commented on your summary of “{title}”",
            who.unwrap_or_else(|| "Someone".to_owned())
        ),
        NotificationKind::ReplyToComment => format!(
            "{} replied to your comment on “{title}”",
            who.unwrap_or_else(|| "The summary's author".to_owned())
        ),
        NotificationKind::SummaryOnFollowedPaper => {
            format!("A new summary of “{title}”, a paper you follow")
        }
        NotificationKind::SummaryByFollowedUser => format!(
            "{} summarised “{title}”",
            who.unwrap_or_else(|| "Someone you follow".to_owned())
        ),
        NotificationKind::VoteMilestone => format!(
            "Your summary of “{title}” reached a score of {}",
            n.milestone.unwrap_or_default()
        ),
        NotificationKind::ContentHidden => match &n.subject.comment_id {
            Some(_) => format!("A moderator hid your comment on “{title}”"),
            None => format!("A moderator hid your summary of “{title}”"),
        },
        NotificationKind::ClaimDecided => format!(
            "Your claim of authorship of “{title}” was {}",
            if n.approved == Some(true) {
                "approved"
            } else {
                "rejected"
            }
        ),
    }
}

/// The private feed whose secret this is, or not found. The secret is never logged.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn feed(db: &Db, secret: String, base: String) -> DomainResult<FeedDoc> {
    let hash = tokens::hash_secret(&secret);
    let (user, items) = db
        .run(move |conn| -> DomainResult<_> {
            let user_id = community::feed_owner(conn, &hash)?
                .ok_or_else(|| DomainError::not_found("no such feed"))?;
            let user = accounts::find_user(conn, user_id)?
                .ok_or_else(|| DomainError::not_found("no such feed"))?;
            let rows = community::notifications_of(conn, user_id, None, FEED_ENTRIES)?;
            let viewer = Viewer::user(user.id, user.role);
            Ok((user, views(conn, rows, &viewer)?))
        })
        .await?;
    let entries: Vec<FeedEntry> = items
        .iter()
        .map(|n| {
            let title = entry_title(n);
            let mut html = String::new();
            html.push_str("<p>");
            html.push_str(&ammonia::clean_text(&title));
            if let Some(reason) = &n.reason {
                html.push_str("</p><p>Reason: ");
                html.push_str(&ammonia::clean_text(reason));
            }
            html.push_str("</p>");
            FeedEntry {
                id: n.subject.summary_id.unwrap_or(SummaryId(0)),
                title,
                link: format!("{base}{}", n.subject.link),
                guid: Some(format!("{base}/notifications/{}", n.id)),
                author: n
                    .actor
                    .as_ref()
                    .map(|a| a.display_name.clone().unwrap_or_else(|| a.username.clone())),
                published: n.created_at,
                updated: n.created_at,
                html,
                categories: vec![n.kind.as_str().to_owned()],
            }
        })
        .collect();
    let updated = entries.iter().map(|e| e.updated).max().unwrap_or_default();
    Ok(FeedDoc {
        title: format!("ShortScience: notifications for {}", user.username),
        description: "What happened on ShortScience that concerns you.".to_owned(),
        page: format!("{base}/"),
        self_base: format!("{base}{FEED_PATH}"),
        updated,
        entries,
    })
}

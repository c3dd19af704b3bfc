//! Following papers, users, venues and keywords; the personal feed; notifications and their
//! private Atom feed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{CommentId, NotificationId, PaperId, SummaryId};
use crate::papers::UserRef;

/// What can be followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum FollowKind {
    /// A paper: its new summaries.
    Paper,
    /// A user: their new signed (never anonymous) summaries.
    User,
    /// A venue: new summaries of its papers.
    Venue,
    /// A keyword: new summaries of papers with it.
    Keyword,
}

impl FollowKind {
    /// The stored and serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Paper => "paper",
            Self::User => "user",
            Self::Venue => "venue",
            Self::Keyword => "keyword",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<Self> {
        match s {
            "paper" => Some(Self::Paper),
            "user" => Some(Self::User),
            "venue" => Some(Self::Venue),
            "keyword" => Some(Self::Keyword),
            _ => None,
        }
    }
}

/// One thing the caller follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Follow {
    pub kind: FollowKind,
    /// What to put in `/me/follows/{kind}/{key}`: a paper's id, a username, a venue's or a
    /// keyword's slug.
    pub key: String,
    /// What to show: the paper's title, the user's display name (or username), the venue's or
    /// keyword's name.
    pub label: String,
    /// The web app's page of it (a path on this site).
    pub link: String,
    pub followed_at: DateTime<Utc>,
}

/// How many things of each kind a user follows (the caller in `GET /me/follows`, anyone on a
/// profile).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowCounts {
    pub papers: i64,
    pub users: i64,
    pub venues: i64,
    pub keywords: i64,
    pub total: i64,
}

/// `GET /me/follows`: everything the caller follows, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowList {
    pub items: Vec<Follow>,
    pub counts: FollowCounts,
}

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// Someone commented on the recipient's summary.
    CommentOnSummary,
    /// Someone answered the recipient's comment.
    ReplyToComment,
    /// A new summary of a paper the recipient follows.
    SummaryOnFollowedPaper,
    /// A new (signed, public) summary by a user the recipient follows.
    SummaryByFollowedUser,
    /// The recipient's summary reached a score of 1, 10 or 100 (`milestone`).
    VoteMilestone,
    /// A moderator hid the recipient's summary or comment (`reason`).
    ContentHidden,
    /// A moderator decided the recipient's claim of authorship of a paper (`approved`).
    ClaimDecided,
}

impl NotificationKind {
    /// The stored and serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CommentOnSummary => "comment_on_summary",
            Self::ReplyToComment => "reply_to_comment",
            Self::SummaryOnFollowedPaper => "summary_on_followed_paper",
            Self::SummaryByFollowedUser => "summary_by_followed_user",
            Self::VoteMilestone => "vote_milestone",
            Self::ContentHidden => "content_hidden",
            Self::ClaimDecided => "claim_decided",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<Self> {
        [
            Self::CommentOnSummary,
            Self::ReplyToComment,
            Self::SummaryOnFollowedPaper,
            Self::SummaryByFollowedUser,
            Self::VoteMilestone,
            Self::ContentHidden,
            Self::ClaimDecided,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// The summary, comment or paper a notification concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationSubject {
    pub paper_id: Option<PaperId>,
    /// `null` when the summary is no longer there for the recipient.
    pub summary_id: Option<SummaryId>,
    pub comment_id: Option<CommentId>,
    /// The paper's title.
    pub title: String,
    /// The web app's page of it (a path on this site).
    pub link: String,
}

/// One notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: NotificationId,
    pub kind: NotificationKind,
    pub created_at: DateTime<Utc>,
    pub read: bool,
    /// Who did it; `null` when nobody may be named (an anonymous summary's author, whose
    /// comments are "the summary's author"; moderators; votes).
    pub actor: Option<UserRef>,
    pub subject: NotificationSubject,
    /// `content_hidden` and `claim_decided`: the moderator's reason, when they gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// `vote_milestone`: the score reached (1, 10 or 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub milestone: Option<i32>,
    /// `claim_decided`: whether the claim was approved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved: Option<bool>,
}

/// `GET /me/notifications`: one page, newest first, and how many are unread in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationPage {
    pub items: Vec<Notification>,
    /// Pass back as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
    /// Unread notifications in all (not only on this page).
    pub unread: i64,
}

/// `POST /me/notifications/read`: exactly one of `up_to` (every notification up to and
/// including this id) or `all: true`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MarkReadRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub up_to: Option<NotificationId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<bool>,
}

/// How many of the caller's notifications are unread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnreadCount {
    pub unread: i64,
}

/// `GET /me/notifications/feed`: whether the caller has a private Atom feed of notifications.
/// Its address holds a secret that is stored only as a hash, so it is shown once, by
/// `POST /me/notifications/feed/rotate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationFeedStatus {
    pub active: bool,
    /// When the current address was made.
    pub created_at: Option<DateTime<Utc>>,
    /// Whether this server sends e-mail digests (SMTP is configured). When it does not, the
    /// account's `email_digest` choice is kept but nothing is sent.
    #[serde(default)]
    pub email_digests_available: bool,
}

/// `POST /me/notifications/feed/rotate`: the caller's new private Atom feed address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationFeedInfo {
    /// The feed's absolute URL, shown this once. It holds a secret: whoever has it reads the
    /// caller's notifications. Rotating again stops it working.
    pub url: String,
    pub created_at: DateTime<Utc>,
}

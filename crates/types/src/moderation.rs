//! Community moderation: flags readers raise, the moderators' queues, the public moderation log
//! and author claims.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{AuthorId, ClaimId, CommentId, FlagId, PaperId, SummaryId};

macro_rules! stored_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(
            feature = "diesel",
            derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)
        )]
        #[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }

        impl $name {
            /// Every value, in the documented order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            /// The stored and serialised name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)*
                }
            }

            /// The value with this name, if any.
            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $($text => Some(Self::$variant),)*
                    _ => None,
                }
            }

            /// Parses a stored name; the database's checks allow only known ones, and an
            /// unknown one reads as the first value.
            pub fn from_db(s: &str) -> Self {
                Self::parse(s).unwrap_or(Self::ALL[0])
            }

            /// The names, comma-separated, for error messages.
            pub fn names() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }
    };
}

stored_enum! {
    /// Why something was flagged.
    FlagReason {
        Spam => "spam",
        Abuse => "abuse",
        OffTopic => "off_topic",
        Incorrect => "incorrect",
        Duplicate => "duplicate",
        Other => "other",
    }
}

stored_enum! {
    /// What a flag is about.
    FlagTargetKind {
        Summary => "summary",
        Comment => "comment",
        Paper => "paper",
    }
}

stored_enum! {
    /// Where a flag stands: open until a moderator resolves (acted on it) or dismisses it.
    FlagStatus {
        Open => "open",
        Resolved => "resolved",
        Dismissed => "dismissed",
    }
}

stored_enum! {
    /// A moderator's decision on a flag.
    FlagDecision {
        /// The flag was right (the content was acted on).
        Resolved => "resolved",
        /// Nothing to do.
        Dismissed => "dismissed",
    }
}

stored_enum! {
    /// Where an author claim stands.
    ClaimStatus {
        Pending => "pending",
        Approved => "approved",
        Rejected => "rejected",
    }
}

stored_enum! {
    /// A moderator's decision on an author claim.
    ClaimDecision {
        Approved => "approved",
        Rejected => "rejected",
    }
}

stored_enum! {
    /// What a public moderation log entry is about.
    LogTargetKind {
        Summary => "summary",
        Comment => "comment",
        User => "user",
        Paper => "paper",
        Claim => "claim",
        Flag => "flag",
    }
}

/// `POST /api/v1/flags`: exactly one of `summary_id`, `comment_id` and `paper_id`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateFlagRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_id: Option<SummaryId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_id: Option<CommentId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paper_id: Option<PaperId>,
    /// One of `spam`, `abuse`, `off_topic`, `incorrect`, `duplicate`, `other`.
    #[cfg_attr(feature = "openapi", schema(value_type = FlagReason))]
    pub reason: String,
    /// What the moderators should know; at most 1,000 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub note: Option<String>,
}

/// A flag as its author sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Flag {
    pub id: FlagId,
    pub target_kind: FlagTargetKind,
    pub target_id: i64,
    pub reason: FlagReason,
    pub note: Option<String>,
    pub status: FlagStatus,
    pub created_at: DateTime<Utc>,
}

/// One flag inside a queue entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueuedFlag {
    pub id: FlagId,
    pub reason: FlagReason,
    pub note: Option<String>,
    /// Who flagged (`null` once the account is gone).
    pub flagger: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// How often one reason was given for a target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReasonCount {
    pub reason: FlagReason,
    pub count: i64,
}

/// A flagged target in the moderators' queue, with its open flags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlaggedTarget {
    pub kind: FlagTargetKind,
    pub id: i64,
    /// The paper's title (of a summary's or comment's paper, or the paper itself).
    pub title: String,
    /// The start of the summary or comment (moderators see hidden text too); empty for papers.
    pub excerpt: String,
    /// Where the web app shows the target.
    pub link: String,
    /// Whether a moderator already hid it.
    pub hidden: bool,
    /// Open flags on it.
    pub count: i64,
    /// Each reason given, the most frequent first.
    pub reasons: Vec<ReasonCount>,
    /// The open flags, oldest first.
    pub flags: Vec<QueuedFlag>,
    pub first_flagged_at: DateTime<Utc>,
    pub last_flagged_at: DateTime<Utc>,
}

/// `GET /api/v1/mod/flags`: open flags grouped by target, most flagged first, then the oldest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlagQueue {
    pub items: Vec<FlaggedTarget>,
    /// Pass back as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// `PATCH /api/v1/mod/flags/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DecideFlagRequest {
    /// `resolved` or `dismissed`.
    #[cfg_attr(feature = "openapi", schema(value_type = FlagDecision))]
    pub status: String,
    /// Why, for the public moderation log; at most 500 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub reason: Option<String>,
}

/// A flag after a moderator's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecidedFlag {
    #[serde(flatten)]
    pub flag: Flag,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    pub decision_reason: Option<String>,
}

/// What a public log entry is about, and where the web app shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LogTarget {
    pub kind: LogTargetKind,
    /// The id (a username for users).
    pub id: String,
    pub link: String,
}

/// One entry of the public moderation log. Never the text of hidden content, never the author
/// of an anonymous summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModerationLogEntry {
    pub id: i64,
    /// `hide_summary`, `show_summary`, `hide_comment`, `show_comment`, `set_role`, `suspend`,
    /// `unsuspend`, `resolve_flag`, `dismiss_flag`, `approve_claim`, `reject_claim`.
    pub action: String,
    pub target: Option<LogTarget>,
    /// The moderator or admin (`null` once the account is gone).
    pub moderator: Option<String>,
    pub reason: Option<String>,
    /// `set_role`: the new role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// `GET /api/v1/moderation`: the public moderation log, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModerationLogPage {
    pub items: Vec<ModerationLogEntry>,
    pub next_cursor: Option<String>,
}

/// `POST /api/v1/papers/{ref}/claims`: "I am this author of this paper".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateClaimRequest {
    /// One of the paper's authors.
    pub author_id: AuthorId,
    /// The claimant's ORCID iD, `0000-0002-1825-0097` or `https://orcid.org/0000-0002-1825-0097`;
    /// the checksum is verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub orcid: Option<String>,
}

/// An author claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Claim {
    pub id: ClaimId,
    pub author_id: AuthorId,
    pub author_name: String,
    /// The paper the claim was made from.
    pub paper_id: PaperId,
    pub paper_title: String,
    /// The claimant (`null` once the account is gone).
    pub username: Option<String>,
    /// Normalised `0000-0002-1825-0097`.
    pub orcid: Option<String>,
    pub status: ClaimStatus,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_reason: Option<String>,
}

/// `GET /api/v1/mod/claims`: pending claims first (oldest first), then decided ones (newest
/// first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimPage {
    pub items: Vec<Claim>,
    pub next_cursor: Option<String>,
}

/// `PATCH /api/v1/mod/claims/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DecideClaimRequest {
    /// `approved` or `rejected`.
    #[cfg_attr(feature = "openapi", schema(value_type = ClaimDecision))]
    pub status: String,
    /// Why, for the claimant and the public moderation log; at most 500 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub reason: Option<String>,
}

/// A paper of an author the user is verified as (on their profile).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimedPaper {
    pub paper_id: PaperId,
    pub title: String,
    pub year: Option<i32>,
    pub author_id: AuthorId,
    pub author_name: String,
}

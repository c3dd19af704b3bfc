//! Accounts, sessions and API tokens.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ApiTokenId, UserId};

/// What a user may do beyond writing their own content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(
    feature = "diesel",
    derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)
)]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    User,
    /// Hides content and handles flags.
    Moderator,
    /// Also changes roles and suspends accounts.
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Moderator => "moderator",
            Self::Admin => "admin",
        }
    }

    /// Parses the stored name; an unknown name reads as the least privileged role.
    pub fn from_db(s: &str) -> Self {
        match s {
            "admin" => Self::Admin,
            "moderator" => Self::Moderator,
            _ => Self::User,
        }
    }

    /// Moderators and admins.
    pub fn can_moderate(self) -> bool {
        matches!(self, Self::Moderator | Self::Admin)
    }
}

/// `POST /api/v1/auth/register`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    /// 3 to 30 characters: letters, digits, `_` and `-`, starting with a letter or digit.
    /// Unique regardless of case.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 3,
            max_length = 30,
            pattern = "^[A-Za-z0-9][A-Za-z0-9_-]*$"
        )
    )]
    pub username: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: String,
    /// 10 to 128 characters, not a commonly used password, not the username or email.
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 128))]
    pub password: String,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 60, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$")
    )]
    pub display_name: Option<String>,
}

/// `POST /api/v1/auth/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// The username or the email address.
    pub username: String,
    pub password: String,
}

/// A signed-in browser session. The refresh token travels only in an `HttpOnly` cookie; this
/// body carries the short-lived access token to send as `Authorization: Bearer …`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthSession {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    pub user: Me,
}

/// How often a user gets an e-mail digest of their unread notifications.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(
    feature = "diesel",
    derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)
)]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
#[serde(rename_all = "snake_case")]
pub enum EmailDigest {
    /// No e-mail (the default).
    #[default]
    Off,
    Daily,
    Weekly,
}

impl EmailDigest {
    pub const ALL: [Self; 3] = [Self::Off, Self::Daily, Self::Weekly];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::Daily => "daily",
            Self::Weekly => "weekly",
        }
    }

    /// Parses the stored name; an unknown name reads as `off` (never mail by mistake).
    pub fn from_db(s: &str) -> Self {
        match s {
            "daily" => Self::Daily,
            "weekly" => Self::Weekly,
            _ => Self::Off,
        }
    }
}

/// The signed-in user's own account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: UserId,
    pub username: String,
    pub email: Option<String>,
    pub display_name: Option<String>,
    pub bio: String,
    pub role: Role,
    pub suspended: bool,
    pub created_at: DateTime<Utc>,
    /// How often unread notifications are e-mailed to `email` (`off` unless chosen). Sent only
    /// when the server has SMTP configured: see `email_digests_available` in
    /// `GET /me/notifications/feed`.
    #[serde(default)]
    pub email_digest: EmailDigest,
}

/// `PATCH /api/v1/me`. Absent fields are left alone; an empty `display_name` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateMeRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 60, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$")
    )]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 2000,
            pattern = "^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f]*$"
        )
    )]
    pub bio: Option<String>,
    /// Required with `new_password`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_password: Option<String>,
    /// Changing the password signs out every other session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 128))]
    pub new_password: Option<String>,
    /// `off`, `daily` or `weekly`. Stored even when the server sends no e-mail (yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_digest: Option<EmailDigest>,
}

/// A personal API token as listed (never with its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiTokenInfo {
    pub id: ApiTokenId,
    pub name: String,
    /// The token's first characters, to recognise it (`ss_1f3a9c0d…`).
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// `GET /api/v1/me/tokens`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiTokenList {
    pub items: Vec<ApiTokenInfo>,
}

/// `POST /api/v1/me/tokens`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateApiTokenRequest {
    /// What the token is for, 1 to 60 characters.
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 60,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\u0000-\\u001f\\u007f-\\u009f \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000-\\u001f\\u007f-\\u009f]*$"
        )
    )]
    pub name: String,
    /// Lifetime in days (1 to 3650); no expiry when absent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 3650))]
    pub expires_in_days: Option<i64>,
}

/// A new API token. `token` is shown this once; only a hash is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedApiToken {
    pub token: String,
    pub info: ApiTokenInfo,
}

/// `GET /api/v1/me/export`: everything the caller has put on the site, to keep or to take
/// elsewhere. Their own private, anonymous, hidden and deleted writing is included (it is
/// theirs); secrets (password hash, token secrets, share tokens) never are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountExport {
    pub exported_at: DateTime<Utc>,
    pub account: Me,
    /// Oldest first, each with every version of its text.
    pub summaries: Vec<ExportedSummary>,
    /// Oldest first.
    pub comments: Vec<ExportedComment>,
    /// The caller's votes on summaries, oldest first.
    pub votes: Vec<ExportedVote>,
    /// The caller's live API tokens (names and dates, never secrets).
    pub tokens: Vec<ApiTokenInfo>,
    /// What the caller follows, newest first.
    #[serde(default)]
    pub follows: Vec<crate::Follow>,
    /// The flags the caller raised, oldest first.
    #[serde(default)]
    pub flags: Vec<crate::moderation::Flag>,
    /// The caller's author claims, oldest first.
    #[serde(default)]
    pub claims: Vec<crate::moderation::Claim>,
}

/// One of the caller's summaries in an [`AccountExport`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportedSummary {
    pub id: crate::SummaryId,
    pub paper_id: crate::PaperId,
    pub paper_title: String,
    pub body_markdown: String,
    pub anonymous: bool,
    pub visibility: crate::Visibility,
    /// Hidden by a moderator.
    pub hidden: bool,
    pub ups: i32,
    pub downs: i32,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub deleted_at: Option<DateTime<Utc>>,
    /// Every version, oldest first.
    pub revisions: Vec<ExportedRevision>,
}

/// One version of a summary's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportedRevision {
    pub body_markdown: String,
    pub created_at: DateTime<Utc>,
}

/// One of the caller's comments in an [`AccountExport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportedComment {
    pub id: crate::CommentId,
    pub summary_id: crate::SummaryId,
    pub parent_id: Option<crate::CommentId>,
    pub body_markdown: String,
    pub hidden: bool,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// One of the caller's votes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportedVote {
    pub summary_id: crate::SummaryId,
    /// 1 or -1.
    pub value: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

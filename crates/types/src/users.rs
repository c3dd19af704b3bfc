//! Public profiles and account administration.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::auth::Role;
use crate::community::FollowCounts;
use crate::ids::{AuthorId, CommentId, PaperId, SummaryId};
use crate::papers::{AuthorRef, KeywordRef};
use crate::venues::VenueRef;

/// `GET /api/v1/users/{username}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserProfile {
    pub username: String,
    pub display_name: Option<String>,
    pub bio: String,
    pub role: Role,
    pub suspended: bool,
    pub joined: DateTime<Utc>,
    /// Net votes on the user's public, non-anonymous summaries.
    pub reputation: i64,
    /// The user's public, non-anonymous summaries.
    pub summary_count: i64,
    /// The comments `GET /users/{username}/comments` lists (the same rules, so the count
    /// never reveals a comment the list leaves out).
    #[serde(default)]
    pub comment_count: i64,
    /// Users following this user.
    #[serde(default)]
    pub followers: i64,
    /// What this user follows, by kind (who and what exactly stays private to them).
    #[serde(default)]
    pub following: FollowCounts,
    /// Papers of the authors a moderator verified this user as (approved claims), newest
    /// first, at most 100.
    #[serde(default)]
    pub claimed_papers: Vec<crate::moderation::ClaimedPaper>,
}

/// The paper a summary is about, as shown in a user's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaperBrief {
    pub id: PaperId,
    pub title: String,
    pub year: Option<i32>,
    pub venue: Option<VenueRef>,
    /// In the paper's order.
    #[serde(default)]
    pub authors: Vec<AuthorRef>,
    /// arXiv primary category first.
    #[serde(default)]
    pub keywords: Vec<KeywordRef>,
}

/// One of a user's summaries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserSummaryItem {
    pub id: SummaryId,
    pub paper: PaperBrief,
    pub excerpt: String,
    pub excerpt_html: String,
    pub score: i32,
    pub created_at: DateTime<Utc>,
}

/// `GET /api/v1/users/{username}/summaries`, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserSummaryPage {
    pub items: Vec<UserSummaryItem>,
    pub next_cursor: Option<String>,
}

/// A paper named by its id and title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaperTitle {
    pub id: PaperId,
    pub title: String,
}

/// The author of a paper that a summary's or comment's writer was verified as (an approved
/// claim on one of that paper's authors).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifiedAuthor {
    pub author_id: AuthorId,
    /// The name as the paper lists it.
    pub name: String,
    /// The author's ORCID iD (`0000-0002-1825-0097`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orcid: Option<String>,
}

/// One of a user's comments, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserCommentItem {
    pub id: CommentId,
    /// The summary discussed; the web app shows the comment at `/summaries/{id}#comment-{id}`.
    pub summary_id: SummaryId,
    /// The paper that summary is about.
    pub paper: PaperTitle,
    /// The comment it answers, for a reply.
    pub parent_id: Option<CommentId>,
    /// The rendered, sanitised HTML.
    pub body_html: String,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    /// Set when the user is a verified author of the paper.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_author: Option<VerifiedAuthor>,
}

/// `GET /api/v1/users/{username}/comments`, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserCommentPage {
    pub items: Vec<UserCommentItem>,
    pub next_cursor: Option<String>,
}

/// `PATCH /api/v1/users/{username}` (admins only).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AdminUpdateUserRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// Suspended users can read but not write; suspending ends their sessions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspended: Option<bool>,
    /// Why, for the public moderation log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

//! Request and response types of the ShortScience JSON API (`/api/v1`).
//!
//! This crate is plain serde so that the Leptos frontend (wasm32) and the actix-web server use the
//! very same definitions. Server-only derives sit behind features: OpenAPI schemas behind
//! `openapi`, diesel column mappings of ids and stored enums behind `diesel`.

pub mod auth;
pub mod community;
pub mod ids;
pub mod lists;
pub mod moderation;
pub mod papers;
pub mod problem;
pub mod search;
#[cfg(feature = "diesel")]
mod sql;
pub mod summaries;
pub mod system;
pub mod users;
pub mod venues;

pub use auth::{
    AccountExport, ApiTokenInfo, ApiTokenList, AuthSession, CreateApiTokenRequest, CreatedApiToken,
    EmailDigest, ExportedComment, ExportedRevision, ExportedSummary, ExportedVote, LoginRequest,
    Me, RegisterRequest, Role, UpdateMeRequest,
};
pub use community::{
    Follow, FollowCounts, FollowKind, FollowList, MarkReadRequest, Notification,
    NotificationFeedInfo, NotificationFeedStatus, NotificationKind, NotificationPage,
    NotificationSubject, UnreadCount,
};
pub use ids::{
    ApiTokenId, ArxivId, AuthorId, ClaimId, CommentId, Doi, FlagId, NotificationId, PaperId,
    PaperRef, RefError, SummaryId, UserId,
};
pub use lists::{
    DiffQuery, FeedQuery, FeedSort, Page, PaperListQuery, PaperSort, Period, DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
};
pub use moderation::{
    Claim, ClaimDecision, ClaimPage, ClaimStatus, ClaimedPaper, CreateClaimRequest,
    CreateFlagRequest, DecideClaimRequest, DecideFlagRequest, DecidedFlag, Flag, FlagDecision,
    FlagQueue, FlagReason, FlagStatus, FlagTargetKind, FlaggedTarget, LogTarget, LogTargetKind,
    ModerationLogEntry, ModerationLogPage, QueuedFlag, ReasonCount,
};
pub use papers::{
    AuthorDetail, AuthorRef, CreatePaperRequest, ImportAnswer, ImportPaperRequest, ImportPreview,
    KeywordItem, KeywordList, KeywordRef, LatestSummary, PaperChange, PaperDetail, PaperDraft,
    PaperHistory, PaperLinks, PaperListItem, PaperPage, SummaryItem, UpdatePaperRequest, UserRef,
    VenueInput, Visibility, YearList,
};
pub use problem::{ErrorCode, FieldError, Problem};
pub use search::{SearchHit, SearchKind, SearchQuery, SearchResults, SummaryHit};
pub use summaries::{
    Comment, CommentThread, CreateCommentRequest, CreateSummaryRequest, DiffLine, DiffOp,
    MathError, RenderRequest, RenderResponse, Revision, RevisionDiff, RevisionList, SummaryDetail,
    SummaryPage, UpdateCommentRequest, UpdateSummaryRequest, VoteRequest, VoteResult,
};
pub use system::{Health, Liveness, OEmbed, OEmbedQuery, SiteStats};
pub use users::{
    AdminUpdateUserRequest, PaperBrief, PaperTitle, UserCommentItem, UserCommentPage, UserProfile,
    UserSummaryItem, UserSummaryPage, VerifiedAuthor,
};
pub use venues::{VenueDetail, VenueKind, VenueList, VenueListItem, VenueRef, YearCount};

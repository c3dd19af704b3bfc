//! Everything that depends on who asks: calls with the signed-in user's access token.

use gloo_net::http::Response;
use serde::de::DeserializeOwned;
use shortscience_types::{
    AdminUpdateUserRequest, ApiTokenId, ApiTokenList, Claim, ClaimId, ClaimPage, Comment,
    CommentId, CommentThread, CreateApiTokenRequest, CreateClaimRequest, CreateCommentRequest,
    CreateFlagRequest, CreatePaperRequest, CreateSummaryRequest, CreatedApiToken,
    DecideClaimRequest, DecideFlagRequest, DecidedFlag, FeedQuery, FeedSort, Flag, FlagId,
    FlagQueue, Follow, FollowKind, FollowList, ImportPaperRequest, ImportPreview, MarkReadRequest,
    Me, NotificationFeedInfo, NotificationFeedStatus, NotificationPage, PaperDetail, PaperId,
    PaperRef, RenderRequest, RenderResponse, RevisionDiff, RevisionList, SummaryDetail, SummaryId,
    SummaryPage, UnreadCount, UpdateCommentRequest, UpdateMeRequest, UpdatePaperRequest,
    UpdateSummaryRequest, UserProfile, VoteRequest, VoteResult,
};

use super::{body, enc, encode_ref, page, parse, ApiError, ApiResult, Call};

/// `/api/v1/me/follows/{kind}/{key}`: a paper's key is a reference (kept readable like every
/// paper path), the others (usernames, slugs) one encoded segment.
fn follow_path(kind: FollowKind, key: &str) -> String {
    let key = match (kind, PaperRef::parse(key)) {
        (FollowKind::Paper, Ok(reference)) => encode_ref(&reference),
        _ => enc(key),
    };
    format!("/api/v1/me/follows/{}/{key}", kind.as_str())
}
use crate::contexts::Auth;

/// Calls the API as whoever is signed in (with their access token), or anonymously. When the
/// server refuses the token (401), the session is refreshed once and the call sent again.
#[derive(Debug, Clone, Copy)]
pub struct Client {
    auth: Auth,
}

impl Client {
    pub fn new(auth: Auth) -> Self {
        Self { auth }
    }

    /// Sends `call` with the access token (refreshed first when it is about to expire). Without
    /// a session it is sent anonymously, or, when `needs_session`, refused here with a 401 as the
    /// server would.
    async fn send(&self, call: &Call, needs_session: bool) -> ApiResult<Response> {
        let Some(token) = self.auth.fresh_token().await else {
            return if needs_session {
                Err(ApiError::unauthenticated())
            } else {
                call.send(None).await
            };
        };
        match call.send(Some(&token)).await {
            Err(error) if error.status() == Some(401) => {
                if self.auth.refresh().await {
                    if let Some(token) = self.auth.token() {
                        return call.send(Some(&token)).await;
                    }
                }
                Err(error)
            }
            other => other,
        }
    }

    /// A call whose answer depends on who asks (own votes, own and private summaries): with the
    /// token when someone is signed in, else anonymously.
    async fn as_viewer<T: DeserializeOwned>(&self, call: Call) -> ApiResult<T> {
        parse(&self.body(call, false).await?)
    }

    /// A call only a signed-in user can make (changes, own settings).
    async fn as_user<T: DeserializeOwned>(&self, call: Call) -> ApiResult<T> {
        parse(&self.body(call, true).await?)
    }

    /// The answer's body, not yet parsed (see [`super::body`] for why it is not generic).
    async fn body(&self, call: Call, needs_session: bool) -> ApiResult<String> {
        body(self.send(&call, needs_session).await?).await
    }

    /// [`Client::as_user`] for an answer without a body.
    async fn as_user_empty(&self, call: Call) -> ApiResult<()> {
        self.send(&call, true).await.map(drop)
    }

    pub async fn update_me(&self, body: &UpdateMeRequest) -> ApiResult<Me> {
        self.as_user(Call::patch("/api/v1/me").json(body)?).await
    }

    pub async fn tokens(&self) -> ApiResult<ApiTokenList> {
        self.as_user(Call::get("/api/v1/me/tokens")).await
    }

    pub async fn create_token(&self, body: &CreateApiTokenRequest) -> ApiResult<CreatedApiToken> {
        self.as_user(Call::post("/api/v1/me/tokens").json(body)?)
            .await
    }

    pub async fn delete_token(&self, id: ApiTokenId) -> ApiResult<()> {
        self.as_user_empty(Call::delete(format!("/api/v1/me/tokens/{id}")))
            .await
    }

    /// What importing would add, without adding it.
    pub async fn preview_import(&self, body: &ImportPaperRequest) -> ApiResult<ImportPreview> {
        let body = ImportPaperRequest {
            dry_run: true,
            ..body.clone()
        };
        self.as_user(Call::post("/api/v1/papers/import").json(&body)?)
            .await
    }

    pub async fn import(&self, body: &ImportPaperRequest) -> ApiResult<PaperDetail> {
        self.as_user(Call::post("/api/v1/papers/import").json(body)?)
            .await
    }

    pub async fn create_paper(&self, body: &CreatePaperRequest) -> ApiResult<PaperDetail> {
        self.as_user(Call::post("/api/v1/papers").json(body)?).await
    }

    /// Corrects a paper's metadata (whoever added it, or a moderator).
    pub async fn update_paper(
        &self,
        reference: &PaperRef,
        body: &UpdatePaperRequest,
    ) -> ApiResult<PaperDetail> {
        let path = format!("/api/v1/papers/{}", encode_ref(reference));
        self.as_user(Call::patch(path).json(body)?).await
    }

    /// The paper with its summaries; signed in, with the caller's votes and own summaries (also
    /// private or hidden ones).
    pub async fn paper(&self, reference: &PaperRef) -> ApiResult<PaperDetail> {
        self.as_viewer(Call::get(format!(
            "/api/v1/papers/{}",
            encode_ref(reference)
        )))
        .await
    }

    /// One page of the site feed, after `cursor`.
    pub async fn feed(&self, query: FeedQuery, cursor: Option<&str>) -> ApiResult<SummaryPage> {
        let mut path = format!(
            "/api/v1/summaries?{}&sort={}",
            page(cursor),
            query.sort.as_str()
        );
        if query.sort == FeedSort::Top {
            path.push_str(&format!("&period={}", query.period.as_str()));
        }
        self.as_viewer(Call::get(path)).await
    }

    pub async fn summary(&self, id: SummaryId, share: Option<&str>) -> ApiResult<SummaryDetail> {
        self.as_viewer(Call::get(format!("/api/v1/summaries/{id}")).share(share))
            .await
    }

    pub async fn create_summary(
        &self,
        paper: PaperId,
        body: &CreateSummaryRequest,
    ) -> ApiResult<SummaryDetail> {
        self.as_user(Call::post(format!("/api/v1/papers/{paper}/summaries")).json(body)?)
            .await
    }

    pub async fn update_summary(
        &self,
        id: SummaryId,
        body: &UpdateSummaryRequest,
    ) -> ApiResult<SummaryDetail> {
        self.as_user(Call::patch(format!("/api/v1/summaries/{id}")).json(body)?)
            .await
    }

    pub async fn delete_summary(&self, id: SummaryId) -> ApiResult<()> {
        self.as_user_empty(Call::delete(format!("/api/v1/summaries/{id}")))
            .await
    }

    pub async fn revisions(&self, id: SummaryId, share: Option<&str>) -> ApiResult<RevisionList> {
        self.as_viewer(Call::get(format!("/api/v1/summaries/{id}/revisions")).share(share))
            .await
    }

    pub async fn revision_diff(
        &self,
        id: SummaryId,
        (from, to): (i32, i32),
        share: Option<&str>,
    ) -> ApiResult<RevisionDiff> {
        let path = format!("/api/v1/summaries/{id}/revisions/diff?from={from}&to={to}");
        self.as_viewer(Call::get(path).share(share)).await
    }

    /// `value` is 1, -1, or 0 to withdraw the vote.
    pub async fn vote(
        &self,
        id: SummaryId,
        value: i32,
        share: Option<&str>,
    ) -> ApiResult<VoteResult> {
        let call = Call::put(format!("/api/v1/summaries/{id}/vote"))
            .json(&VoteRequest { value })?
            .share(share);
        self.as_user(call).await
    }

    pub async fn comments(&self, id: SummaryId, share: Option<&str>) -> ApiResult<CommentThread> {
        self.as_viewer(Call::get(format!("/api/v1/summaries/{id}/comments")).share(share))
            .await
    }

    pub async fn create_comment(
        &self,
        id: SummaryId,
        body: &CreateCommentRequest,
        share: Option<&str>,
    ) -> ApiResult<Comment> {
        let call = Call::post(format!("/api/v1/summaries/{id}/comments"))
            .json(body)?
            .share(share);
        self.as_user(call).await
    }

    pub async fn update_comment(
        &self,
        id: CommentId,
        body: &UpdateCommentRequest,
    ) -> ApiResult<Comment> {
        self.as_user(Call::patch(format!("/api/v1/comments/{id}")).json(body)?)
            .await
    }

    pub async fn delete_comment(&self, id: CommentId) -> ApiResult<()> {
        self.as_user_empty(Call::delete(format!("/api/v1/comments/{id}")))
            .await
    }

    /// The sanitised HTML a summary with this Markdown would get (the editor's preview).
    pub async fn render(&self, markdown: &str) -> ApiResult<RenderResponse> {
        let body = RenderRequest {
            markdown: markdown.to_owned(),
        };
        self.as_viewer(Call::post("/api/v1/render").json(&body)?)
            .await
    }

    // ---- follows and notifications ----------------------------------------------------------

    /// Everything the caller follows (for the initial state of a page's follow button).
    pub async fn follows(&self) -> ApiResult<FollowList> {
        self.as_user(Call::get("/api/v1/me/follows")).await
    }

    pub async fn follow(&self, kind: FollowKind, key: &str) -> ApiResult<Follow> {
        self.as_user(Call::put(follow_path(kind, key))).await
    }

    pub async fn unfollow(&self, kind: FollowKind, key: &str) -> ApiResult<()> {
        self.as_user_empty(Call::delete(follow_path(kind, key)))
            .await
    }

    /// One page of the public summaries from what the caller follows, newest first.
    pub async fn following_feed(&self, cursor: Option<&str>) -> ApiResult<SummaryPage> {
        self.as_user(Call::get(format!("/api/v1/me/feed?{}", page(cursor))))
            .await
    }

    /// One page of the caller's notifications, newest first, with the unread count.
    pub async fn notifications(&self, cursor: Option<&str>) -> ApiResult<NotificationPage> {
        let path = format!("/api/v1/me/notifications?{}", page(cursor));
        self.as_user(Call::get(path)).await
    }

    /// How many notifications are unread (the smallest page carries the count).
    pub async fn unread_count(&self) -> ApiResult<i64> {
        let page: NotificationPage = self
            .as_user(Call::get("/api/v1/me/notifications?limit=1"))
            .await?;
        Ok(page.unread)
    }

    pub async fn mark_read(&self, body: &MarkReadRequest) -> ApiResult<UnreadCount> {
        self.as_user(Call::post("/api/v1/me/notifications/read").json(body)?)
            .await
    }

    /// Whether the caller has a private notification feed address.
    pub async fn notification_feed(&self) -> ApiResult<NotificationFeedStatus> {
        self.as_user(Call::get("/api/v1/me/notifications/feed"))
            .await
    }

    /// A new private feed address (shown this once); the old one stops working.
    pub async fn rotate_notification_feed(&self) -> ApiResult<NotificationFeedInfo> {
        self.as_user(Call::post("/api/v1/me/notifications/feed/rotate"))
            .await
    }

    // ---- flags, claims and moderation ---------------------------------------------------------

    /// Flags a summary, comment or paper for the moderators (409 `flag_exists` when the caller
    /// already has an open flag on it).
    pub async fn create_flag(&self, body: &CreateFlagRequest) -> ApiResult<Flag> {
        self.as_user(Call::post("/api/v1/flags").json(body)?).await
    }

    /// "I am this author of this paper", for a moderator to decide.
    pub async fn create_claim(
        &self,
        reference: &PaperRef,
        body: &CreateClaimRequest,
    ) -> ApiResult<Claim> {
        let path = format!("/api/v1/papers/{}/claims", encode_ref(reference));
        self.as_user(Call::post(path).json(body)?).await
    }

    /// Open flags grouped by target (moderators).
    pub async fn flag_queue(&self, cursor: Option<&str>) -> ApiResult<FlagQueue> {
        self.as_user(Call::get(format!("/api/v1/mod/flags?{}", page(cursor))))
            .await
    }

    pub async fn decide_flag(
        &self,
        id: FlagId,
        body: &DecideFlagRequest,
    ) -> ApiResult<DecidedFlag> {
        self.as_user(Call::patch(format!("/api/v1/mod/flags/{id}")).json(body)?)
            .await
    }

    /// Author claims, pending first (moderators).
    pub async fn claims(&self, cursor: Option<&str>) -> ApiResult<ClaimPage> {
        self.as_user(Call::get(format!("/api/v1/mod/claims?{}", page(cursor))))
            .await
    }

    pub async fn decide_claim(&self, id: ClaimId, body: &DecideClaimRequest) -> ApiResult<Claim> {
        self.as_user(Call::patch(format!("/api/v1/mod/claims/{id}")).json(body)?)
            .await
    }

    /// Suspends a user or changes their role (admins).
    pub async fn update_user(
        &self,
        username: &str,
        body: &AdminUpdateUserRequest,
    ) -> ApiResult<UserProfile> {
        self.as_user(Call::patch(format!("/api/v1/users/{}", enc(username))).json(body)?)
            .await
    }
}

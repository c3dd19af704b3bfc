//! The typed API client.
//!
//! Every request is a [`Call`], and [`Call::send`] is the one place that turns a non-2xx answer
//! into [`ApiError`] (with the server's problem document when there is one). Catalogue reads that
//! are the same for everyone are free functions sent without credentials; everything that depends
//! on who asks, and every change, goes through a [`Client`], which carries the signed-in user's
//! access token and refreshes it once when the server refuses it.

use std::fmt;

use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use shortscience_types::{
    ApiTokenList, AuthSession, AuthorDetail, AuthorId, Comment, CommentId, CommentThread,
    CreateApiTokenRequest, CreateCommentRequest, CreatePaperRequest, CreateSummaryRequest,
    CreatedApiToken, ErrorCode, FeedQuery, FeedSort, ImportPaperRequest, ImportPreview,
    KeywordItem, KeywordList, LoginRequest, Me, PaperDetail, PaperId, PaperListQuery, PaperPage,
    PaperRef, Problem, RegisterRequest, RenderRequest, RenderResponse, RevisionDiff, RevisionList,
    SummaryDetail, SummaryId, SummaryPage, UpdateCommentRequest, UpdateMeRequest,
    UpdateSummaryRequest, UserProfile, UserSummaryPage, VenueDetail, VenueList, VoteRequest,
    VoteResult, YearList,
};

use crate::contexts::Auth;

/// Why a request failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server answered with an error status (boxed: the problem document is large, and
    /// every `Result` of the app carries this type).
    Status {
        status: u16,
        problem: Option<Box<Problem>>,
    },
    /// The request never got an answer (offline, server down).
    Network(String),
    /// The answer was not what this app understands.
    Decode(String),
}

impl ApiError {
    /// A 401 without a problem document: the request needs a session and there is none.
    fn unauthenticated() -> Self {
        Self::Status {
            status: 401,
            problem: None,
        }
    }

    /// The error an `<ErrorBoundary>` caught. Every resource of this app fails with an
    /// [`ApiError`]; anything else is shown as an answer the app did not understand.
    pub fn from_thrown(error: &leptos::error::Error) -> Self {
        match (***error).downcast_ref::<Self>() {
            Some(error) => error.clone(),
            None => Self::Decode(error.to_string()),
        }
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Status { status: 404, .. })
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The server's problem document, when it sent one.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            Self::Status {
                problem: Some(problem),
                ..
            } => Some(problem),
            _ => None,
        }
    }

    /// The problem's stable code (`SummaryExists`, `NotFound`, …), when there is one.
    pub fn code(&self) -> Option<ErrorCode> {
        self.problem().map(|problem| problem.code)
    }

    /// The message for one input field, when the server named it.
    pub fn field(&self, name: &str) -> Option<String> {
        self.problem()?
            .errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| e.message.clone())
    }

    /// The problem's detail (or a generic message) for errors not tied to a field.
    pub fn message(&self) -> String {
        match self.problem() {
            Some(problem) => problem
                .detail
                .clone()
                .unwrap_or_else(|| problem.title.clone()),
            None => self.to_string(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Status {
                problem: Some(problem),
                ..
            } => match &problem.detail {
                Some(detail) => write!(f, "{}: {}", problem.title, detail),
                None => f.write_str(&problem.title),
            },
            Self::Status { status, .. } => write!(f, "the server answered {status}"),
            Self::Network(_) => {
                f.write_str("the server could not be reached; check your connection and try again")
            }
            Self::Decode(e) => write!(f, "unexpected answer from the server ({e})"),
        }
    }
}

impl std::error::Error for ApiError {}

pub type ApiResult<T> = Result<T, ApiError>;

/// Percent-encodes one query value or path segment.
fn enc(value: &str) -> String {
    js_sys::encode_uri_component(value).into()
}

/// A paper reference for a path: keeps the `/` of DOIs and the `:` of prefixes readable and
/// encodes the rest.
fn encode_ref(reference: &PaperRef) -> String {
    reference
        .to_string()
        .split('/')
        .map(|part| enc(part).replace("%3A", ":"))
        .collect::<Vec<_>>()
        .join("/")
}

/// `limit=20` and, when given, `&cursor=…`: where a page of a list starts.
fn page(cursor: Option<&str>) -> String {
    match cursor {
        Some(cursor) => format!("limit=20&cursor={}", enc(cursor)),
        None => "limit=20".to_owned(),
    }
}

#[derive(Debug, Clone, Copy)]
enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

/// One request, kept as data so that it can be sent again after the session is refreshed.
#[derive(Debug, Clone)]
struct Call {
    method: Method,
    path: String,
    /// JSON.
    body: Option<String>,
    /// The share token of a private summary (from its share link's fragment).
    share: Option<String>,
}

impl Call {
    fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            body: None,
            share: None,
        }
    }

    fn get(path: impl Into<String>) -> Self {
        Self::new(Method::Get, path)
    }

    fn post(path: impl Into<String>) -> Self {
        Self::new(Method::Post, path)
    }

    fn put(path: impl Into<String>) -> Self {
        Self::new(Method::Put, path)
    }

    fn patch(path: impl Into<String>) -> Self {
        Self::new(Method::Patch, path)
    }

    fn delete(path: impl Into<String>) -> Self {
        Self::new(Method::Delete, path)
    }

    fn json<B: Serialize + ?Sized>(mut self, body: &B) -> ApiResult<Self> {
        let json = serde_json::to_string(body).map_err(|e| ApiError::Decode(e.to_string()))?;
        self.body = Some(json);
        Ok(self)
    }

    fn share(mut self, share: Option<&str>) -> Self {
        self.share = share.map(str::to_owned);
        self
    }

    /// Sends the request (with a bearer token when given). The one place that turns a non-2xx
    /// answer into an [`ApiError`].
    async fn send(&self, token: Option<&str>) -> ApiResult<Response> {
        let path = self.path.as_str();
        let mut builder = match self.method {
            Method::Get => Request::get(path),
            Method::Post => Request::post(path),
            Method::Put => Request::put(path),
            Method::Patch => Request::patch(path),
            Method::Delete => Request::delete(path),
        }
        .header("Accept", "application/json");
        if let Some(token) = token {
            builder = builder.header("Authorization", &format!("Bearer {token}"));
        }
        if let Some(share) = &self.share {
            builder = builder.header("X-Share-Token", share);
        }
        let request = match &self.body {
            Some(body) => builder
                .header("Content-Type", "application/json")
                .body(body.as_str()),
            None => builder.build(),
        }
        .map_err(|e| ApiError::Decode(e.to_string()))?;
        let response = request
            .send()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))?;
        if !response.ok() {
            let status = response.status();
            let problem = response.json::<Problem>().await.ok().map(Box::new);
            return Err(ApiError::Status { status, problem });
        }
        Ok(response)
    }
}

async fn decode<T: DeserializeOwned>(response: Response) -> ApiResult<T> {
    response
        .json::<T>()
        .await
        .map_err(|e| ApiError::Decode(e.to_string()))
}

/// Sends `call` without credentials and decodes the answer.
async fn public<T: DeserializeOwned>(call: Call) -> ApiResult<T> {
    decode(call.send(None).await?).await
}

// ---- the catalogue and accounts: the same for everyone ------------------------------------

/// One page of papers matching `query`, after `cursor`.
pub async fn papers(query: &PaperListQuery, cursor: Option<&str>) -> ApiResult<PaperPage> {
    let mut path = format!(
        "/api/v1/papers?{}&sort={}",
        page(cursor),
        query.sort.as_str()
    );
    if let Some(keyword) = &query.keyword {
        path.push_str(&format!("&keyword={}", enc(keyword)));
    }
    if let Some(author) = query.author {
        path.push_str(&format!("&author={author}"));
    }
    if let Some(venue) = &query.venue {
        path.push_str(&format!("&venue={}", enc(venue)));
    }
    if let Some(year) = query.year {
        path.push_str(&format!("&year={year}"));
    }
    public(Call::get(path)).await
}

pub async fn venues() -> ApiResult<VenueList> {
    public(Call::get("/api/v1/venues")).await
}

pub async fn venue(slug: &str) -> ApiResult<VenueDetail> {
    public(Call::get(format!("/api/v1/venues/{}", enc(slug)))).await
}

pub async fn author(id: AuthorId) -> ApiResult<AuthorDetail> {
    public(Call::get(format!("/api/v1/authors/{id}"))).await
}

pub async fn keywords() -> ApiResult<KeywordList> {
    public(Call::get("/api/v1/keywords")).await
}

pub async fn keyword(slug: &str) -> ApiResult<KeywordItem> {
    public(Call::get(format!("/api/v1/keywords/{}", enc(slug)))).await
}

pub async fn years() -> ApiResult<YearList> {
    public(Call::get("/api/v1/years")).await
}

pub async fn bibtex(id: PaperId) -> ApiResult<String> {
    let response = Call::get(format!("/api/v1/papers/{id}/bibtex"))
        .send(None)
        .await?;
    response
        .text()
        .await
        .map_err(|e| ApiError::Decode(e.to_string()))
}

pub async fn user(username: &str) -> ApiResult<UserProfile> {
    public(Call::get(format!("/api/v1/users/{}", enc(username)))).await
}

pub async fn user_summaries(username: &str, cursor: Option<&str>) -> ApiResult<UserSummaryPage> {
    let path = format!("/api/v1/users/{}/summaries?{}", enc(username), page(cursor));
    public(Call::get(path)).await
}

pub async fn register(body: &RegisterRequest) -> ApiResult<AuthSession> {
    public(Call::post("/api/v1/auth/register").json(body)?).await
}

pub async fn login(body: &LoginRequest) -> ApiResult<AuthSession> {
    public(Call::post("/api/v1/auth/login").json(body)?).await
}

/// Uses the HttpOnly refresh cookie, which the browser attaches by itself.
pub async fn refresh() -> ApiResult<AuthSession> {
    public(Call::post("/api/v1/auth/refresh")).await
}

// ---- everything that depends on who asks ---------------------------------------------------

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

    /// Sends `call` with the access token. Without a session it is sent anonymously, or, when
    /// `needs_session`, refused here with a 401 as the server would.
    async fn send(&self, call: &Call, needs_session: bool) -> ApiResult<Response> {
        let Some(token) = self.auth.token() else {
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
        decode(self.send(&call, false).await?).await
    }

    /// A call only a signed-in user can make (changes, own settings).
    async fn as_user<T: DeserializeOwned>(&self, call: Call) -> ApiResult<T> {
        decode(self.send(&call, true).await?).await
    }

    /// [`Client::as_user`] for an answer without a body.
    async fn as_user_empty(&self, call: Call) -> ApiResult<()> {
        self.send(&call, true).await.map(drop)
    }

    /// Ends the session on the server (and its refresh cookie).
    pub async fn logout(&self) -> ApiResult<()> {
        self.send(&Call::post("/api/v1/auth/logout"), false)
            .await
            .map(drop)
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

    pub async fn delete_token(&self, id: i64) -> ApiResult<()> {
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
}

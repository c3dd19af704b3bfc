//! The typed API client.
//!
//! Every request is a [`Call`], and [`Call::send`] is the one place that turns a non-2xx answer
//! into [`ApiError`] (with the server's problem document when there is one). Catalogue reads that
//! are the same for everyone are free functions sent without credentials; everything that depends
//! on who asks, and every change, goes through a [`Client`], which carries the signed-in user's
//! access token and refreshes it once when the server refuses it.

mod client;

use std::fmt;

use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use shortscience_types::{
    AuthSession, AuthorDetail, AuthorId, ErrorCode, KeywordItem, KeywordList, LoginRequest,
    ModerationLogPage, PaperHistory, PaperId, PaperListQuery, PaperPage, PaperRef, Problem,
    RegisterRequest, SearchQuery, SearchResults, SiteStats, UserCommentPage, UserProfile,
    UserSummaryPage, VenueDetail, VenueList, YearList,
};

pub use client::Client;

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
    pub(crate) fn unauthenticated() -> Self {
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

    /// The problem's detail (or a generic message) for errors not tied to a field, as a
    /// sentence for people: the server quotes values in backticks, which read as noise here.
    pub fn message(&self) -> String {
        let text = match self.problem() {
            Some(problem) => problem
                .detail
                .clone()
                .unwrap_or_else(|| problem.title.clone()),
            None => self.to_string(),
        };
        sentence(&text.replace('`', ""))
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

/// `text` with a capital first letter and a full stop.
fn sentence(text: &str) -> String {
    let mut chars = text.trim().chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let mut out: String = first.to_uppercase().chain(chars).collect();
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Percent-encodes one query value or path segment.
pub fn enc(value: &str) -> String {
    js_sys::encode_uri_component(value).into()
}

/// A paper reference for a path: keeps the `/` of DOIs and the `:` of prefixes readable and
/// encodes the rest.
pub fn encode_ref(reference: &PaperRef) -> String {
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
    /// Finish the request even when the page is left meanwhile (the session refresh: a refresh
    /// cut off after the server rotated the cookie would leave the browser with a spent one).
    keepalive: bool,
}

impl Call {
    fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            body: None,
            share: None,
            keepalive: false,
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
        if self.keepalive {
            return check(self.keepalive_request()?.send().await).await;
        }
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
        check(request.send().await).await
    }

    /// A bodiless request with `keepalive` (which gloo's builder does not offer).
    fn keepalive_request(&self) -> ApiResult<Request> {
        let init = web_sys::RequestInit::new();
        init.set_method(match self.method {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        });
        // Not in web-sys's RequestInit yet; the dictionary takes it all the same.
        let _ = js_sys::Reflect::set(
            init.as_ref(),
            &wasm_bindgen::JsValue::from_str("keepalive"),
            &wasm_bindgen::JsValue::TRUE,
        );
        let headers = web_sys::Headers::new().map_err(|e| ApiError::Decode(format!("{e:?}")))?;
        let _ = headers.set("Accept", "application/json");
        init.set_headers(&headers);
        web_sys::Request::new_with_str_and_init(&self.path, &init)
            .map(Request::from)
            .map_err(|e| ApiError::Decode(format!("{e:?}")))
    }
}

/// The one place that turns a non-2xx answer (or none) into an [`ApiError`].
async fn check(sent: Result<Response, gloo_net::Error>) -> ApiResult<Response> {
    let response = sent.map_err(|e| ApiError::Network(e.to_string()))?;
    if !response.ok() {
        let status = response.status();
        let problem = response.json::<Problem>().await.ok().map(Box::new);
        return Err(ApiError::Status { status, problem });
    }
    Ok(response)
}

/// The answer's body. Reading it knows nothing of the answer's type, so the request's state
/// machine is compiled once; only [`parse`] is generic, and each answer type adds its parser
/// alone (a generic `async fn` would repeat the whole future per type in the wasm).
async fn body(response: Response) -> ApiResult<String> {
    response
        .text()
        .await
        .map_err(|e| ApiError::Decode(e.to_string()))
}

/// The answer's JSON as `T`.
fn parse<T: DeserializeOwned>(body: &str) -> ApiResult<T> {
    serde_json::from_str(body).map_err(|e| ApiError::Decode(e.to_string()))
}

/// Sends `call` without credentials and returns the answer's body.
async fn public_body(call: Call) -> ApiResult<String> {
    body(call.send(None).await?).await
}

/// Sends `call` without credentials and decodes the answer.
async fn public<T: DeserializeOwned>(call: Call) -> ApiResult<T> {
    parse(&public_body(call).await?)
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

/// A paper's change log, oldest first.
pub async fn paper_history(reference: &PaperRef) -> ApiResult<PaperHistory> {
    public(Call::get(format!(
        "/api/v1/papers/{}/history",
        encode_ref(reference)
    )))
    .await
}

pub async fn years() -> ApiResult<YearList> {
    public(Call::get("/api/v1/years")).await
}

pub async fn bibtex(id: PaperId) -> ApiResult<String> {
    public_body(Call::get(format!("/api/v1/papers/{id}/bibtex"))).await
}

pub async fn user(username: &str) -> ApiResult<UserProfile> {
    public(Call::get(format!("/api/v1/users/{}", enc(username)))).await
}

pub async fn user_summaries(username: &str, cursor: Option<&str>) -> ApiResult<UserSummaryPage> {
    let path = format!("/api/v1/users/{}/summaries?{}", enc(username), page(cursor));
    public(Call::get(path)).await
}

pub async fn user_comments(username: &str, cursor: Option<&str>) -> ApiResult<UserCommentPage> {
    let path = format!("/api/v1/users/{}/comments?{}", enc(username), page(cursor));
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
    let mut call = Call::post("/api/v1/auth/refresh");
    call.keepalive = true;
    public(call).await
}

/// Ends the session of `token` on the server, and its refresh cookie.
pub async fn logout(token: Option<&str>) -> ApiResult<()> {
    Call::post("/api/v1/auth/logout")
        .send(token)
        .await
        .map(drop)
}

/// The site's totals (home page).
pub async fn stats() -> ApiResult<SiteStats> {
    public(Call::get("/api/v1/stats")).await
}

/// One page of search results for `query`, after `cursor`.
pub async fn search(query: &SearchQuery, cursor: Option<&str>) -> ApiResult<SearchResults> {
    let mut path = format!(
        "/api/v1/search?{}&q={}&kind={}",
        page(cursor),
        enc(&query.q),
        query.kind.as_str()
    );
    for (name, value) in [
        ("venue", &query.venue),
        ("year", &query.year),
        ("author", &query.author),
    ] {
        if let Some(value) = value {
            path.push_str(&format!("&{name}={}", enc(value)));
        }
    }
    public(Call::get(path)).await
}

/// One page of the public moderation log, newest first.
pub async fn moderation_log(cursor: Option<&str>) -> ApiResult<ModerationLogPage> {
    public(Call::get(format!("/api/v1/moderation?{}", page(cursor)))).await
}

//! The typed API client. Every call goes through [`get_json`], the one place that turns a
//! non-2xx answer into [`ApiError`] (with the server's problem document when there is one).

use std::fmt;

use gloo_net::http::{Request, RequestBuilder};
use serde::de::DeserializeOwned;
use serde::Serialize;
use shortscience_types::{
    ApiTokenList, AuthSession, AuthorDetail, Comment, CommentId, CommentThread,
    CreateApiTokenRequest, CreateCommentRequest, CreatePaperRequest, CreateSummaryRequest,
    CreatedApiToken, ImportPaperRequest, ImportPreview, KeywordItem, KeywordList, LoginRequest, Me,
    PaperDetail, PaperPage, Problem, RegisterRequest, RenderRequest, RenderResponse, RevisionDiff,
    RevisionList, SummaryDetail, SummaryId, SummaryPage, UpdateCommentRequest, UpdateMeRequest,
    UpdateSummaryRequest, UserProfile, UserSummaryPage, VenueDetail, VenueList, VoteRequest,
    VoteResult, YearList,
};

/// Why a request failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server answered with an error status.
    Status {
        status: u16,
        problem: Option<Problem>,
    },
    /// The request never got an answer (offline, server down).
    Network(String),
    /// The answer was not what this app understands.
    Decode(String),
}

impl ApiError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Status { status: 404, .. })
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The problem's stable `code` (`summary_exists`, `not_found`, …), when there is one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Status {
                problem: Some(problem),
                ..
            } => Some(problem.code.as_str()),
            _ => None,
        }
    }

    /// The id in the first `/summaries/{id}` the problem's detail names (a 409 `summary_exists`
    /// names the caller's existing summary this way).
    pub fn summary_named(&self) -> Option<SummaryId> {
        let Self::Status {
            problem: Some(problem),
            ..
        } = self
        else {
            return None;
        };
        let detail = problem.detail.as_deref()?;
        let (_, rest) = detail.split_once("/summaries/")?;
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok().map(SummaryId)
    }

    /// The message for one input field, when the server named it.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            Self::Status {
                problem: Some(problem),
                ..
            } => problem
                .errors
                .iter()
                .find(|e| e.field == name)
                .map(|e| e.message.clone()),
            _ => None,
        }
    }

    /// The problem's detail (or a generic message) for errors not tied to a field.
    pub fn message(&self) -> String {
        match self {
            Self::Status {
                problem: Some(problem),
                ..
            } => problem
                .detail
                .clone()
                .unwrap_or_else(|| problem.title.clone()),
            other => other.to_string(),
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

/// Percent-encodes one query value.
fn enc(value: &str) -> String {
    js_sys::encode_uri_component(value).into()
}

async fn get_json<T: DeserializeOwned>(path: &str) -> ApiResult<T> {
    send_json(Request::get(path), None::<&()>, None).await
}

/// Sends a request (with a JSON body and a bearer token when given) and decodes the answer.
async fn send_json<T: DeserializeOwned, B: Serialize>(
    builder: RequestBuilder,
    body: Option<&B>,
    token: Option<&str>,
) -> ApiResult<T> {
    let response = send(builder, body, token).await?;
    response
        .json::<T>()
        .await
        .map_err(|e| ApiError::Decode(e.to_string()))
}

async fn send<B: Serialize>(
    builder: RequestBuilder,
    body: Option<&B>,
    token: Option<&str>,
) -> ApiResult<gloo_net::http::Response> {
    let mut builder = builder.header("Accept", "application/json");
    if let Some(token) = token {
        builder = builder.header("Authorization", &format!("Bearer {token}"));
    }
    let request = match body {
        Some(body) => builder.json(body),
        None => builder.build(),
    }
    .map_err(|e| ApiError::Decode(e.to_string()))?;
    let response = request
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    if !response.ok() {
        let status = response.status();
        let problem = response.json::<Problem>().await.ok();
        return Err(ApiError::Status { status, problem });
    }
    Ok(response)
}

/// Filters and order of the paper list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaperQuery {
    /// `new`, `recent`, `summaries` or `top`.
    pub sort: Option<String>,
    pub venue: Option<String>,
    pub year: Option<i32>,
    pub keyword: Option<String>,
    pub author: Option<i64>,
    pub cursor: Option<String>,
}

pub async fn papers(query: PaperQuery) -> ApiResult<PaperPage> {
    let mut params = vec!["limit=20".to_owned()];
    if let Some(sort) = &query.sort {
        params.push(format!("sort={}", enc(sort)));
    }
    if let Some(keyword) = &query.keyword {
        params.push(format!("keyword={}", enc(keyword)));
    }
    if let Some(author) = query.author {
        params.push(format!("author={author}"));
    }
    if let Some(venue) = &query.venue {
        params.push(format!("venue={}", enc(venue)));
    }
    if let Some(year) = query.year {
        params.push(format!("year={year}"));
    }
    if let Some(cursor) = &query.cursor {
        params.push(format!("cursor={}", enc(cursor)));
    }
    get_json(&format!("/api/v1/papers?{}", params.join("&"))).await
}

/// A paper reference for a path: keeps the `/` of DOIs and the `:` of prefixes readable and
/// encodes the rest.
fn encode_ref(reference: &str) -> String {
    reference
        .split('/')
        .map(|part| enc(part).replace("%3A", ":"))
        .collect::<Vec<_>>()
        .join("/")
}

/// `reference` is an id, `arxiv:<id>` or `doi:<doi>`, as in the page's URL. With a token, the
/// caller's votes and own summaries (also private or hidden ones) are included.
pub async fn paper(reference: &str, token: Option<&str>) -> ApiResult<PaperDetail> {
    send_json(
        Request::get(&format!("/api/v1/papers/{}", encode_ref(reference))),
        None::<&()>,
        token,
    )
    .await
}

pub async fn venues() -> ApiResult<VenueList> {
    get_json("/api/v1/venues").await
}

pub async fn venue(slug: &str) -> ApiResult<VenueDetail> {
    get_json(&format!("/api/v1/venues/{}", enc(slug))).await
}

pub async fn register(body: &RegisterRequest) -> ApiResult<AuthSession> {
    send_json(Request::post("/api/v1/auth/register"), Some(body), None).await
}

pub async fn login(body: &LoginRequest) -> ApiResult<AuthSession> {
    send_json(Request::post("/api/v1/auth/login"), Some(body), None).await
}

/// Uses the HttpOnly refresh cookie, which the browser attaches by itself.
pub async fn refresh() -> ApiResult<AuthSession> {
    send_json(Request::post("/api/v1/auth/refresh"), None::<&()>, None).await
}

pub async fn logout(token: Option<&str>) -> ApiResult<()> {
    send(Request::post("/api/v1/auth/logout"), None::<&()>, token).await?;
    Ok(())
}

pub async fn update_me(token: &str, body: &UpdateMeRequest) -> ApiResult<Me> {
    send_json(Request::patch("/api/v1/me"), Some(body), Some(token)).await
}

pub async fn tokens(token: &str) -> ApiResult<ApiTokenList> {
    send_json(Request::get("/api/v1/me/tokens"), None::<&()>, Some(token)).await
}

pub async fn create_token(token: &str, body: &CreateApiTokenRequest) -> ApiResult<CreatedApiToken> {
    send_json(Request::post("/api/v1/me/tokens"), Some(body), Some(token)).await
}

pub async fn delete_token(token: &str, id: i64) -> ApiResult<()> {
    send(
        Request::delete(&format!("/api/v1/me/tokens/{id}")),
        None::<&()>,
        Some(token),
    )
    .await?;
    Ok(())
}

pub async fn user(username: &str) -> ApiResult<UserProfile> {
    get_json(&format!("/api/v1/users/{}", enc(username))).await
}

pub async fn user_summaries(username: &str, cursor: Option<&str>) -> ApiResult<UserSummaryPage> {
    let mut path = format!("/api/v1/users/{}/summaries?limit=20", enc(username));
    if let Some(cursor) = cursor {
        path.push_str(&format!("&cursor={}", enc(cursor)));
    }
    get_json(&path).await
}

pub async fn preview_import(token: &str, body: &ImportPaperRequest) -> ApiResult<ImportPreview> {
    let body = ImportPaperRequest {
        dry_run: true,
        ..body.clone()
    };
    send_json(
        Request::post("/api/v1/papers/import"),
        Some(&body),
        Some(token),
    )
    .await
}

pub async fn import(token: &str, body: &ImportPaperRequest) -> ApiResult<PaperDetail> {
    send_json(
        Request::post("/api/v1/papers/import"),
        Some(body),
        Some(token),
    )
    .await
}

pub async fn create_paper(token: &str, body: &CreatePaperRequest) -> ApiResult<PaperDetail> {
    send_json(Request::post("/api/v1/papers"), Some(body), Some(token)).await
}

pub async fn bibtex(reference: &str) -> ApiResult<String> {
    let response = send(
        Request::get(&format!("/api/v1/papers/{reference}/bibtex")),
        None::<&()>,
        None,
    )
    .await?;
    response
        .text()
        .await
        .map_err(|e| ApiError::Decode(e.to_string()))
}

pub async fn author(id: i64) -> ApiResult<AuthorDetail> {
    get_json(&format!("/api/v1/authors/{id}")).await
}

pub async fn keywords() -> ApiResult<KeywordList> {
    get_json("/api/v1/keywords").await
}

pub async fn keyword(slug: &str) -> ApiResult<KeywordItem> {
    get_json(&format!("/api/v1/keywords/{}", enc(slug))).await
}

pub async fn years() -> ApiResult<YearList> {
    get_json("/api/v1/years").await
}

/// Adds the share token of a private summary (from the share link's fragment), if any.
fn shared(builder: RequestBuilder, share: Option<&str>) -> RequestBuilder {
    match share {
        Some(share) => builder.header("X-Share-Token", share),
        None => builder,
    }
}

/// The site feed: `sort` is `hot`, `new` or `top`; `period` (for `top`) `day` … `all`.
pub async fn summaries(
    token: Option<&str>,
    sort: &str,
    period: &str,
    cursor: Option<&str>,
) -> ApiResult<SummaryPage> {
    let mut path = format!("/api/v1/summaries?limit=20&sort={}", enc(sort));
    if sort == "top" {
        path.push_str(&format!("&period={}", enc(period)));
    }
    if let Some(cursor) = cursor {
        path.push_str(&format!("&cursor={}", enc(cursor)));
    }
    send_json(Request::get(&path), None::<&()>, token).await
}

pub async fn summary(
    id: SummaryId,
    token: Option<&str>,
    share: Option<&str>,
) -> ApiResult<SummaryDetail> {
    let builder = shared(Request::get(&format!("/api/v1/summaries/{id}")), share);
    send_json(builder, None::<&()>, token).await
}

pub async fn create_summary(
    token: &str,
    reference: &str,
    body: &CreateSummaryRequest,
) -> ApiResult<SummaryDetail> {
    let path = format!("/api/v1/papers/{}/summaries", encode_ref(reference));
    send_json(Request::post(&path), Some(body), Some(token)).await
}

pub async fn update_summary(
    token: &str,
    id: SummaryId,
    body: &UpdateSummaryRequest,
) -> ApiResult<SummaryDetail> {
    send_json(
        Request::patch(&format!("/api/v1/summaries/{id}")),
        Some(body),
        Some(token),
    )
    .await
}

pub async fn delete_summary(token: &str, id: SummaryId) -> ApiResult<()> {
    send(
        Request::delete(&format!("/api/v1/summaries/{id}")),
        None::<&()>,
        Some(token),
    )
    .await?;
    Ok(())
}

pub async fn revisions(
    id: SummaryId,
    token: Option<&str>,
    share: Option<&str>,
) -> ApiResult<RevisionList> {
    let builder = shared(
        Request::get(&format!("/api/v1/summaries/{id}/revisions")),
        share,
    );
    send_json(builder, None::<&()>, token).await
}

pub async fn revision_diff(
    id: SummaryId,
    from: i32,
    to: i32,
    token: Option<&str>,
    share: Option<&str>,
) -> ApiResult<RevisionDiff> {
    let builder = shared(
        Request::get(&format!(
            "/api/v1/summaries/{id}/revisions/diff?from={from}&to={to}"
        )),
        share,
    );
    send_json(builder, None::<&()>, token).await
}

pub async fn vote(
    token: &str,
    id: SummaryId,
    value: i32,
    share: Option<&str>,
) -> ApiResult<VoteResult> {
    let builder = shared(Request::put(&format!("/api/v1/summaries/{id}/vote")), share);
    send_json(builder, Some(&VoteRequest { value }), Some(token)).await
}

pub async fn comments(
    id: SummaryId,
    token: Option<&str>,
    share: Option<&str>,
) -> ApiResult<CommentThread> {
    let builder = shared(
        Request::get(&format!("/api/v1/summaries/{id}/comments")),
        share,
    );
    send_json(builder, None::<&()>, token).await
}

pub async fn create_comment(
    token: &str,
    id: SummaryId,
    body: &CreateCommentRequest,
    share: Option<&str>,
) -> ApiResult<Comment> {
    let builder = shared(
        Request::post(&format!("/api/v1/summaries/{id}/comments")),
        share,
    );
    send_json(builder, Some(body), Some(token)).await
}

pub async fn update_comment(
    token: &str,
    id: CommentId,
    body: &UpdateCommentRequest,
) -> ApiResult<Comment> {
    send_json(
        Request::patch(&format!("/api/v1/comments/{id}")),
        Some(body),
        Some(token),
    )
    .await
}

pub async fn delete_comment(token: &str, id: CommentId) -> ApiResult<()> {
    send(
        Request::delete(&format!("/api/v1/comments/{id}")),
        None::<&()>,
        Some(token),
    )
    .await?;
    Ok(())
}

/// The sanitised HTML a summary with this Markdown would get (the editor's preview).
pub async fn render(token: Option<&str>, markdown: &str) -> ApiResult<RenderResponse> {
    let body = RenderRequest {
        markdown: markdown.to_owned(),
    };
    send_json(Request::post("/api/v1/render"), Some(&body), token).await
}

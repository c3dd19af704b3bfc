//! The typed API client. Every call goes through [`get_json`], the one place that turns a
//! non-2xx answer into [`ApiError`] (with the server's problem document when there is one).

use std::fmt;

use gloo_net::http::Request;
use serde::de::DeserializeOwned;
use shortscience_types::{PaperDetail, PaperPage, Problem, VenueDetail, VenueList};

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
    let response = Request::get(path)
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    if !response.ok() {
        let status = response.status();
        let problem = response.json::<Problem>().await.ok();
        return Err(ApiError::Status { status, problem });
    }
    response
        .json::<T>()
        .await
        .map_err(|e| ApiError::Decode(e.to_string()))
}

/// Filters for the paper list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaperQuery {
    pub venue: Option<String>,
    pub year: Option<i32>,
    pub cursor: Option<String>,
}

pub async fn papers(query: PaperQuery) -> ApiResult<PaperPage> {
    let mut params = vec!["limit=20".to_owned()];
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

/// `reference` is an id, `arxiv:<id>` or `doi:<doi>`, as in the page's URL.
pub async fn paper(reference: &str) -> ApiResult<PaperDetail> {
    // Keep the `/` of DOIs and the `:` of prefixes readable; encode the rest.
    let encoded: String = reference
        .split('/')
        .map(|part| enc(part).replace("%3A", ":"))
        .collect::<Vec<_>>()
        .join("/");
    get_json(&format!("/api/v1/papers/{encoded}")).await
}

pub async fn venues() -> ApiResult<VenueList> {
    get_json("/api/v1/venues").await
}

pub async fn venue(slug: &str) -> ApiResult<VenueDetail> {
    get_json(&format!("/api/v1/venues/{}", enc(slug))).await
}

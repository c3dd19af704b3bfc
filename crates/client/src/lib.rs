//! A typed async client of the ShortScience JSON API (`/api/v1`).
//!
//! - **Every endpoint** of the OpenAPI document is a method of [`Client`], named after its
//!   operation id (`get_paper`, `create_summary`, `vote_summary`, …), taking and returning the
//!   shared types of [`shortscience_types`] (re-exported as [`types`]).
//! - **Errors**: a problem+json answer becomes [`Error::Api`], carrying the status, the decoded
//!   [`types::Problem`] with its stable [`types::ErrorCode`], and the `Retry-After`; failing to
//!   reach the server is [`Error::Network`].
//! - **Paging**: lists are keyset-paginated; the `*_stream` methods follow `next_cursor` and
//!   yield items across pages as a [`futures_util::Stream`].
//! - **Authentication**: `Authorization: Bearer` with a personal API token (`ss_…`), see
//!   [`ClientBuilder::token`] and [`Client::with_token`].
//! - **Retries**: 429 and 503 answers are retried with backoff, honouring `Retry-After`, for the
//!   requests where that is safe; [`retry`] says which and why.
//!
//! ```no_run
//! use futures_util::TryStreamExt;
//! use shortscience_client::types::{CreateSummaryRequest, ErrorCode, Page, PaperListQuery, PaperRef};
//! use shortscience_client::{Client, Error};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::builder("http://localhost:8080")
//!     .token(std::env::var("SHORTSCIENCE_TOKEN")?)
//!     .build()?;
//!
//! // Every paper of 2020, across pages.
//! let query = PaperListQuery { year: Some(2020), ..Default::default() };
//! let papers: Vec<_> = client.papers_stream(query, Page::default()).try_collect().await?;
//! println!("{} papers from 2020", papers.len());
//!
//! // Write a summary, or say where the existing one is.
//! let electra = PaperRef::parse("arxiv:2003.10555")?;
//! let request = CreateSummaryRequest {
//!     body_markdown: "The discriminator predicts $p(x_t \\text{ replaced})$.".into(),
//!     anonymous: false,
//!     visibility: Default::default(),
//! };
//! match client.create_summary(&electra, &request).await {
//!     Ok(summary) => println!("summary {}", summary.summary.id),
//!     Err(Error::Api(refusal)) if refusal.problem.code == ErrorCode::SummaryExists => {
//!         println!("already written: summary {:?}", refusal.problem.summary_id);
//!     }
//!     Err(other) => return Err(other.into()),
//! }
//! # Ok(()) }
//! ```

mod client;
pub mod endpoints;
mod error;
mod paginate;
pub mod retry;
mod transport;

pub use client::{Client, ClientBuilder, USER_AGENT};
pub use endpoints::account::SignedIn;
pub use endpoints::papers::ImportOutcome;
pub use error::{ApiError, Error, Result};
pub use retry::RetryPolicy;

/// The request and response types of the API (the `shortscience-types` crate).
pub use shortscience_types as types;

/// HTTP status codes, as found in [`Error::status`] and [`ApiError::status`].
pub use reqwest::StatusCode;

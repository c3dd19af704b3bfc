//! The client against the real server: typed errors, paging streams, retries, and every
//! endpoint in a realistic flow.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod catalogue;
mod errors;
mod paging;
mod retries;
mod summaries;

use shortscience_client::types::{CreatePaperRequest, PaperDetail, VenueInput, VenueKind};
use shortscience_client::Client;

/// Adds a paper by hand and returns it.
pub async fn paper(
    client: &Client,
    title: &str,
    arxiv: Option<&str>,
    doi: Option<&str>,
) -> PaperDetail {
    client
        .create_paper(&CreatePaperRequest {
            title: title.to_owned(),
            authors: vec!["Ada Lovelace".to_owned(), "Charles Babbage".to_owned()],
            abstract_text: Some(format!("An abstract about {title}.")),
            year: Some(2020),
            venue: Some(VenueInput {
                name: "ICLR".to_owned(),
                kind: VenueKind::Conference,
            }),
            arxiv_id: arxiv.map(str::to_owned),
            doi: doi.map(str::to_owned),
            keywords: vec!["engines".to_owned()],
            ..CreatePaperRequest::default()
        })
        .await
        .expect("paper created")
}

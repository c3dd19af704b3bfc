//! The typed client (`shortscience-client`) against this server on both backends: a writer's
//! flow end to end, typed errors with their `ErrorCode`, and paging as a stream. (The client's
//! own suite, in crates/client/tests, covers every endpoint on SQLite.)

use futures_util::StreamExt;
use shortscience_client::types::{
    CreatePaperRequest, CreateSummaryRequest, ErrorCode, FeedQuery, Page, PaperRef,
    RegisterRequest, SearchKind, SearchQuery, VenueInput, VenueKind, Visibility,
};
use shortscience_client::{Client, RetryPolicy};

use crate::helpers::*;

backend_test! {
    async fn the_client_writes_reads_votes_and_pages_through_the_real_server(app) {
        let anonymous = Client::new(&app.address).unwrap().with_retry(RetryPolicy::none());
        let signed_in = anonymous
            .register(&RegisterRequest {
                username: "ada".into(),
                email: "ada@example.org".into(),
                password: "a long enough passphrase".into(),
                display_name: None,
            })
            .await
            .unwrap();
        let ada = anonymous.with_token(&signed_in.session.access_token).unwrap();
        assert_eq!(ada.get_me().await.unwrap().username, "ada");

        let mut papers = Vec::new();
        for i in 0..3 {
            let paper = ada
                .create_paper(&CreatePaperRequest {
                    title: format!("Typed Clients for Discriminators, part {i}"),
                    authors: vec!["Ada Lovelace".into()],
                    year: Some(2021),
                    venue: Some(VenueInput { name: "ICLR".into(), kind: VenueKind::Conference }),
                    ..CreatePaperRequest::default()
                })
                .await
                .unwrap();
            let summary = ada
                .create_summary(
                    &PaperRef::Id(paper.id),
                    &CreateSummaryRequest {
                        body_markdown: format!("Part {i}: the loss is $\\ell(x) = x^2$."),
                        anonymous: false, visibility: Visibility::default()
                    },
                )
                .await
                .unwrap();
            assert!(summary.summary.body_html.unwrap().contains("<math"));
            papers.push((paper.id, summary.summary.id));
        }

        // A second summary of the same paper: a typed error naming its code.
        let refused = ada
            .create_summary(
                &PaperRef::Id(papers[0].0),
                &CreateSummaryRequest { body_markdown: "Again.".into(), anonymous: false, visibility: Visibility::default() },
            )
            .await
            .unwrap_err();
        assert_eq!(refused.code(), Some(ErrorCode::SummaryExists), "{refused}");
        assert_eq!(refused.status().map(|s| s.as_u16()), Some(409));
        let missing = anonymous.get_paper(&PaperRef::parse("999999").unwrap()).await.unwrap_err();
        assert!(missing.is_not_found(), "{missing}");

        // Votes show through the paper page of the voter (who may not vote on their own).
        let own = ada.vote_summary(papers[1].1, 1).await.unwrap_err();
        assert_eq!(own.code(), Some(ErrorCode::OwnSummary), "{own}");
        let signed_in = anonymous
            .register(&RegisterRequest {
                username: "bob".into(),
                email: "bob@example.org".into(),
                password: "another long passphrase".into(),
                display_name: None,
            })
            .await
            .unwrap();
        let bob = anonymous.with_token(&signed_in.session.access_token).unwrap();
        let result = bob.vote_summary(papers[1].1, 1).await.unwrap();
        assert_eq!(result.score, 1);
        let page = bob.get_paper(&PaperRef::Id(papers[1].0)).await.unwrap();
        assert_eq!(page.summaries[0].my_vote, 1);

        // Paging as a stream, one item per page: every summary once.
        let seen: Vec<_> = anonymous
            .summaries_stream(FeedQuery::default(), Page { limit: Some(1), cursor: None })
            .map(|item| item.unwrap().summary.id)
            .collect()
            .await;
        let mut expected: Vec<_> = papers.iter().map(|(_, s)| *s).collect();
        let mut sorted = seen.clone();
        sorted.sort();
        expected.sort();
        assert_eq!(sorted, expected, "paged: {seen:?}");

        // Search with stemming, through the client's types.
        let hits: Vec<_> = anonymous
            .search_stream(
                SearchQuery { q: "discriminator".into(), kind: SearchKind::Papers, ..SearchQuery::default() },
                Page::default(),
            )
            .collect()
            .await;
        assert_eq!(hits.len(), 3, "{hits:?}");
    }
}

//! The `*_stream` methods follow cursors across pages and yield every item once, in order.

use futures_util::{StreamExt, TryStreamExt};
use shortscience_client::types::{
    CreateSummaryRequest, FeedQuery, FeedSort, Page, PaperListQuery, PaperRef, SearchKind,
    SearchQuery,
};

use shortscience_server::testing::TestServer;

fn pages_of(size: i64) -> Page {
    Page {
        limit: Some(size),
        cursor: None,
    }
}

#[tokio::test]
async fn streams_yield_every_item_across_pages_in_list_order() {
    let server = TestServer::start();
    let user = server.user("pager").await;
    let reader = server.user("reader").await;
    let mut ids = Vec::new();
    for n in 1..=5 {
        let paper = crate::paper(&user, &format!("Paging paper number {n}"), None, None).await;
        ids.push(paper.id);
        user.create_summary(
            &PaperRef::Id(paper.id),
            &CreateSummaryRequest {
                body_markdown: format!("Summary {n} about cursors."),
                anonymous: false,
                visibility: Default::default(),
            },
        )
        .await
        .unwrap();
    }

    // Papers: newest first, two per page, three pages.
    let streamed: Vec<_> = user
        .papers_stream(PaperListQuery::default(), pages_of(2))
        .map_ok(|p| p.id)
        .try_collect()
        .await
        .unwrap();
    let newest_first: Vec<_> = ids.iter().rev().copied().collect();
    assert_eq!(streamed, newest_first);
    let first_page = user
        .list_papers(&PaperListQuery::default(), &pages_of(2))
        .await
        .unwrap();
    assert_eq!(first_page.items.len(), 2);
    assert!(first_page.next_cursor.is_some());

    // The stream is lazy: taking two items fetches one page only, and it ends when asked.
    let two: Vec<_> = user
        .papers_stream(PaperListQuery::default(), pages_of(2))
        .take(2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(two.len(), 2);

    // The feed, a user's summaries and search results page the same way.
    let feed: Vec<_> = reader
        .summaries_stream(
            FeedQuery {
                sort: FeedSort::New,
                ..Default::default()
            },
            pages_of(2),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(feed.len(), 5);
    let mine: Vec<_> = reader
        .user_summaries_stream("pager", pages_of(2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(mine.len(), 5);
    let hits: Vec<_> = reader
        .search_stream(
            SearchQuery {
                q: "paging".into(),
                kind: SearchKind::Papers,
                ..Default::default()
            },
            pages_of(2),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(hits.len(), 5);
}

#[tokio::test]
async fn a_failing_page_ends_the_stream_with_its_error() {
    let server = TestServer::start();
    let results: Vec<_> = server
        .client()
        .papers_stream(
            PaperListQuery::default(),
            Page {
                limit: Some(20),
                cursor: Some("not a cursor".into()),
            },
        )
        .collect()
        .await;
    assert_eq!(results.len(), 1);
    let error = results.into_iter().next().unwrap().unwrap_err();
    assert_eq!(
        error.code(),
        Some(shortscience_client::types::ErrorCode::InvalidParameter)
    );
}

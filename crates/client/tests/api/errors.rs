//! Problem documents arrive as typed errors; failing to connect is a network error.

use shortscience_client::types::{
    CreateApiTokenRequest, CreateSummaryRequest, ErrorCode, ImportPaperRequest, Page,
    PaperListQuery, PaperRef, SummaryId,
};
use shortscience_client::{Client, Error, RetryPolicy, StatusCode};

use shortscience_server::testing::TestServer;

#[tokio::test]
async fn an_unknown_paper_is_a_typed_not_found_with_the_request_id() {
    let server = TestServer::start();
    let missing = PaperRef::parse("arxiv:2101.00001").unwrap();
    let error = server.client().get_paper(&missing).await.unwrap_err();
    assert_eq!(error.code(), Some(ErrorCode::NotFound));
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    assert!(error.is_not_found());
    assert!(
        error.request_id().is_some_and(|id| !id.is_empty()),
        "{error:?}"
    );
    let Error::Api(refusal) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(refusal.problem.status, 404);
    assert!(!refusal.problem.title.is_empty());
}

#[tokio::test]
async fn credentials_problems_have_their_own_codes() {
    let server = TestServer::start();
    let paper = PaperRef::parse("1").unwrap();
    let body = CreateSummaryRequest {
        body_markdown: "Text".into(),
        anonymous: false,
        visibility: Default::default(),
    };
    let anonymous = server.client();
    let error = anonymous.create_summary(&paper, &body).await.unwrap_err();
    assert_eq!(error.code(), Some(ErrorCode::Unauthenticated));
    assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED));

    let forged = anonymous.with_token("ss_not_a_real_token").unwrap();
    let error = forged.get_me().await.unwrap_err();
    assert_eq!(error.code(), Some(ErrorCode::InvalidToken));

    // API tokens cannot create tokens: that needs a signed-in session.
    let user = server.user("tokenmaker").await;
    let error = user
        .create_token(&CreateApiTokenRequest {
            name: "another".into(),
            expires_in_days: None,
        })
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(ErrorCode::SessionRequired));
}

#[tokio::test]
async fn invalid_input_names_the_field() {
    let server = TestServer::start();
    let error = server
        .client()
        .list_papers(
            &PaperListQuery::default(),
            &Page {
                limit: Some(500),
                cursor: None,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(ErrorCode::InvalidParameter));
    assert_eq!(error.problem().and_then(|p| p.field()), Some("limit"));

    let user = server.user("validator").await;
    let paper = crate::paper(&user, "Validation", None, None).await;
    let error = user
        .create_summary(
            &PaperRef::Id(paper.id),
            &CreateSummaryRequest {
                body_markdown: "   ".into(),
                anonymous: false,
                visibility: Default::default(),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(ErrorCode::ValidationFailed));
    assert_eq!(
        error.problem().and_then(|p| p.field()),
        Some("body_markdown")
    );
}

#[tokio::test]
async fn an_unreachable_upstream_is_a_gateway_problem_and_nothing_is_retried() {
    let server = TestServer::start();
    let user = server.user("importer").await;
    let error = user
        .import_paper(&ImportPaperRequest {
            arxiv: Some("1706.03762".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(
        matches!(
            error.code(),
            Some(ErrorCode::UpstreamFailed | ErrorCode::UpstreamTimeout)
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_unreachable_server_is_a_network_error() {
    // Port 9 (discard) is closed on test machines.
    let client = Client::builder("http://127.0.0.1:9")
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.get_summary(SummaryId(1)).await.unwrap_err();
    assert!(error.is_network(), "{error:?}");
    assert_eq!(error.code(), None);
    assert!(
        error.to_string().starts_with("could not reach the server"),
        "{error}"
    );
}

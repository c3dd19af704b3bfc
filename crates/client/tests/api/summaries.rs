//! Writing, reading, editing, revisions, votes, comments, the preview, private summaries and
//! deleting.

use shortscience_client::types::{
    CreateCommentRequest, CreateSummaryRequest, DiffOp, DiffQuery, ErrorCode, FeedQuery, Page,
    PaperRef, UpdateCommentRequest, UpdateSummaryRequest, Visibility,
};

use shortscience_server::testing::TestServer;

fn summary(text: &str) -> CreateSummaryRequest {
    CreateSummaryRequest {
        body_markdown: text.to_owned(),
        anonymous: false,
        visibility: Visibility::Public,
    }
}

#[tokio::test]
async fn a_summary_is_written_edited_voted_discussed_and_deleted() {
    let server = TestServer::start();
    let author = server.user("author").await;
    let voter = server.user("voter").await;
    let paper = crate::paper(&author, "Notes on the Analytical Engine", None, None).await;
    let reference = PaperRef::Id(paper.id);

    let written = author
        .create_summary(&reference, &summary("The engine computes $B_n$.\n"))
        .await
        .unwrap();
    let id = written.summary.id;
    assert!(
        written.summary.body_html.unwrap().contains("<math"),
        "math rendered"
    );
    let again = author
        .create_summary(&reference, &summary("Twice"))
        .await
        .unwrap_err();
    assert_eq!(again.code(), Some(ErrorCode::SummaryExists));
    assert_eq!(again.problem().and_then(|p| p.summary_id), Some(id));

    let edited = author
        .update_summary(
            id,
            &UpdateSummaryRequest {
                body_markdown: Some("The engine computes $B_n$.\nWith loops.\n".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(edited.summary.edited_at.is_some());
    let revisions = voter.list_revisions(id).await.unwrap();
    assert_eq!(revisions.items.len(), 2);
    let diff = voter
        .get_revision_diff(id, &DiffQuery::default())
        .await
        .unwrap();
    assert_eq!((diff.from, diff.to), (1, 2));
    assert!(diff
        .lines
        .iter()
        .any(|l| l.op == DiffOp::Insert && l.text == "With loops."));

    let vote = voter.vote_summary(id, 1).await.unwrap();
    assert_eq!((vote.value, vote.score), (1, 1));
    assert_eq!(voter.get_summary(id).await.unwrap().summary.my_vote, 1);
    let own = author.vote_summary(id, 1).await.unwrap_err();
    assert_eq!(own.code(), Some(ErrorCode::OwnSummary));
    assert_eq!(voter.vote_summary(id, 0).await.unwrap().score, 0);

    let comment = voter
        .create_comment(
            id,
            &CreateCommentRequest {
                body_markdown: "Which loops?".into(),
                parent_id: None,
            },
        )
        .await
        .unwrap();
    let reply = author
        .create_comment(
            id,
            &CreateCommentRequest {
                body_markdown: "The conditional ones.".into(),
                parent_id: Some(comment.id),
            },
        )
        .await
        .unwrap();
    let fixed = voter
        .update_comment(
            comment.id,
            &UpdateCommentRequest {
                body_markdown: Some("Which loops, exactly?".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        fixed.body_markdown.as_deref(),
        Some("Which loops, exactly?")
    );
    let thread = server.client().list_comments(id).await.unwrap();
    assert_eq!(thread.count, 2);
    assert_eq!(thread.items[0].replies[0].id, reply.id);
    author.delete_comment(reply.id).await.unwrap();
    assert_eq!(server.client().list_comments(id).await.unwrap().count, 1);

    let preview = server.client().render_preview("$e^{i\\pi}$").await.unwrap();
    assert!(preview.html.contains("<math"), "{}", preview.html);

    let feed = server
        .client()
        .list_summaries(&FeedQuery::default(), &Page::default())
        .await
        .unwrap();
    assert_eq!(feed.items.first().map(|s| s.summary.id), Some(id));

    author.delete_summary(id).await.unwrap();
    let gone = server.client().get_summary(id).await.unwrap_err();
    assert!(gone.is_not_found());
}

#[tokio::test]
async fn a_private_summary_opens_with_its_share_token() {
    let server = TestServer::start();
    let author = server.user("secretive").await;
    let paper = crate::paper(&author, "Private matters", None, None).await;
    let written = author
        .create_summary(
            &PaperRef::Id(paper.id),
            &CreateSummaryRequest {
                visibility: Visibility::Private,
                ..summary("Only for friends.")
            },
        )
        .await
        .unwrap();
    let share = written
        .share_token
        .expect("the author gets the share token");
    let id = written.summary.id;
    let stranger = server.client();
    assert!(stranger.get_summary(id).await.unwrap_err().is_not_found());
    let friend = stranger.with_share_token(&share).unwrap();
    assert_eq!(
        friend
            .get_summary(id)
            .await
            .unwrap()
            .summary
            .body_markdown
            .as_deref(),
        Some("Only for friends.")
    );
    assert_eq!(friend.list_revisions(id).await.unwrap().items.len(), 1);
}

//! Papers by id, arXiv id and DOI; editing and history; BibTeX; venues, years, authors,
//! keywords.

use shortscience_client::types::{
    ErrorCode, ImportPaperRequest, Page, PaperListQuery, PaperRef, UpdatePaperRequest,
};

use shortscience_server::testing::TestServer;

#[tokio::test]
async fn papers_are_found_by_every_kind_of_reference_and_browsed() {
    let server = TestServer::start();
    let user = server.user("cataloguer").await;
    let created = crate::paper(
        &user,
        "Difference Engines Considered",
        Some("2003.10555"),
        Some("10.1234/Engines(1842)/x"),
    )
    .await;

    for reference in [
        PaperRef::Id(created.id),
        PaperRef::parse("arxiv:2003.10555v3").unwrap(),
        PaperRef::parse("doi:10.1234/engines(1842)/x").unwrap(),
    ] {
        let paper = server.client().get_paper(&reference).await.unwrap();
        assert_eq!(paper.id, created.id, "{reference}");
    }

    // A second paper with the same arXiv id is refused, naming the first.
    let duplicate = user
        .create_paper(&shortscience_client::types::CreatePaperRequest {
            title: "Again".into(),
            authors: vec!["Someone".into()],
            arxiv_id: Some("2003.10555".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(duplicate.code(), Some(ErrorCode::PaperExists));
    assert_eq!(
        duplicate.problem().and_then(|p| p.paper_id),
        Some(created.id)
    );

    let reference = PaperRef::Id(created.id);
    let updated = user
        .update_paper(
            &reference,
            &UpdatePaperRequest {
                title: Some("Difference Engines Reconsidered".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.title, "Difference Engines Reconsidered");
    let history = server.client().get_paper_history(&reference).await.unwrap();
    let actions: Vec<_> = history.items.iter().map(|c| c.action.as_str()).collect();
    assert_eq!(actions, ["created", "edited"]);

    let bibtex = server.client().get_bibtex(&reference).await.unwrap();
    assert!(bibtex.starts_with('@'), "{bibtex}");
    assert!(
        bibtex.contains("Difference Engines Reconsidered"),
        "{bibtex}"
    );

    let venues = server.client().list_venues().await.unwrap();
    let iclr = venues
        .iter()
        .find(|v| v.name == "ICLR")
        .expect("ICLR listed");
    let venue = server.client().get_venue(&iclr.slug).await.unwrap();
    assert_eq!(venue.paper_count, 1);
    let years = server.client().list_years().await.unwrap();
    assert_eq!(
        years.first().map(|y| (y.year, y.paper_count)),
        Some((2020, 1))
    );
    let author = server
        .client()
        .get_author(updated.authors[0].id)
        .await
        .unwrap();
    assert_eq!(author.name, "Ada Lovelace");
    let by_author = server
        .client()
        .list_papers(
            &PaperListQuery {
                author: Some(author.id),
                ..Default::default()
            },
            &Page::default(),
        )
        .await
        .unwrap();
    assert_eq!(by_author.items.len(), 1);
    let keywords = server.client().list_keywords().await.unwrap();
    let engines = keywords
        .iter()
        .find(|k| k.name == "engines")
        .expect("keyword listed");
    let keyword = server.client().get_keyword(&engines.slug).await.unwrap();
    assert_eq!(keyword.paper_count, 1);
}

#[tokio::test]
async fn importing_needs_a_token_and_a_valid_source() {
    let server = TestServer::start();
    let error = server
        .client()
        .import_paper(&ImportPaperRequest {
            doi: Some("10.1038/nature14539".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(ErrorCode::Unauthenticated));
    let user = server.user("importer").await;
    let error = user
        .import_paper(&ImportPaperRequest {
            arxiv: Some("not an id".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(422), "{error:?}");
}

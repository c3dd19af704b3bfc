use std::collections::HashSet;

use diesel::prelude::*;
use reqwest::StatusCode;
use shortscience_server::db::models::{self, papers, summaries};
use shortscience_server::domain::render::render_markdown;
use shortscience_types::{PaperDetail, PaperPage};

use crate::helpers::*;

/// Inserts a paper with a DOI and the given summaries `(username, markdown, anonymous,
/// visibility, hidden, deleted)` directly, for cases the demo data does not cover.
fn insert_paper_with_summaries(
    app: &TestApp,
    doi: &str,
    summaries_in: &[(&str, &str, bool, &str, bool, bool)],
) -> i64 {
    app.with_conn(|conn| {
        let now = models::now();
        let id = papers::insert(
            conn,
            &papers::NewPaper {
                title: "A Paper With a DOI",
                abstract_text: None,
                year: Some(1998),
                published_on: None,
                venue_id: None,
                arxiv_id: None,
                doi: Some(doi),
                url: Some("https://example.org/paper"),
                pdf_url: None,
                source: "manual",
                created_by: None,
                created_at: now,
                updated_at: now,
            },
        )
        .unwrap();
        papers::set_authors(conn, id, &["Ada  Lovelace", "Charles Babbage"]).unwrap();
        for (username, markdown, anonymous, visibility, hidden, deleted) in summaries_in {
            let author =
                models::users::find_or_create_without_password(conn, username, username, "")
                    .unwrap();
            let rendered = render_markdown(markdown);
            let summary_id = summaries::insert(
                conn,
                &summaries::NewSummary {
                    paper_id: id,
                    author_id: author,
                    body_markdown: markdown,
                    body_html: &rendered.html,
                    excerpt: &rendered.excerpt,
                    excerpt_html: &rendered.excerpt_html,
                    anonymous: *anonymous,
                    visibility: shortscience_types::Visibility::from_db(visibility),
                    share_token: None,
                    hot: 0.0,
                    rank: 0.0,
                    created_at: now,
                    updated_at: now,
                },
            )
            .unwrap();
            use shortscience_server::db::schema::summaries as s;
            diesel::update(s::table.find(summary_id))
                .set((
                    s::hidden.eq(*hidden),
                    s::deleted_at.eq(deleted.then_some(now)),
                ))
                .execute(conn)
                .unwrap();
        }
        papers::refresh_summary_stats(conn, id).unwrap();
        id.0
    })
}

backend_test! {
    async fn an_empty_catalogue_lists_no_papers(app) {
        let page: PaperPage = app.get_json("/api/v1/papers").await;
        assert!(page.items.is_empty());
        assert_eq!(page.next_cursor, None);
    }
}

backend_test! {
    async fn the_demo_papers_are_listed_newest_first_with_authors_and_latest_summary(app, Options::demo()) {
        let page: PaperPage = app.get_json("/api/v1/papers").await;
        let ids: Vec<_> = page.items.iter().map(|p| p.arxiv_id.clone().unwrap_or_default()).collect();
        assert_eq!(ids, ["2011.12948", "2103.03206", "2006.03236", "2003.10555", "2003.08934"]);
        assert_eq!(page.next_cursor, None);
        let electra = &page.items[3];
        assert_eq!(electra.title, "ELECTRA: Pre-training Text Encoders as Discriminators Rather Than Generators");
        let authors: Vec<_> = electra.authors.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(authors, ["Kevin Clark", "Minh-Thang Luong", "Quoc V. Le", "Christopher D. Manning"]);
        assert_eq!(electra.venue.as_ref().map(|v| v.slug.as_str()), Some("iclr"));
        assert_eq!(electra.year, Some(2020));
        assert_eq!(electra.summary_count, 2);
        // The newer of ELECTRA's two summaries is tomasz's.
        let latest = electra.latest_summary.as_ref().expect("a latest summary");
        assert_eq!(latest.author.as_ref().map(|a| a.username.as_str()), Some("tomasz"));
        assert!(latest.excerpt.starts_with("A useful way to see it"), "{}", latest.excerpt);
        assert!(page.items.iter().all(|p| p.latest_summary.is_some()));
    }
}

backend_test! {
    async fn following_cursors_visits_every_paper_once_in_order(app, Options::demo()) {
        let full: PaperPage = app.get_json("/api/v1/papers?limit=100").await;
        for limit in 1..=4 {
            let mut seen = Vec::new();
            let mut path = format!("/api/v1/papers?limit={limit}");
            loop {
                let page: PaperPage = app.get_json(&path).await;
                assert!(page.items.len() <= limit);
                seen.extend(page.items.iter().map(|p| p.id));
                match page.next_cursor {
                    Some(cursor) => path = format!("/api/v1/papers?limit={limit}&cursor={cursor}"),
                    None => break,
                }
            }
            let expected: Vec<_> = full.items.iter().map(|p| p.id).collect();
            assert_eq!(seen, expected, "limit {limit}");
        }
    }
}

backend_test! {
    async fn papers_filter_by_venue_and_year(app, Options::demo()) {
        let iclr: PaperPage = app.get_json("/api/v1/papers?venue=iclr").await;
        assert_eq!(iclr.items.len(), 1);
        assert_eq!(iclr.items[0].arxiv_id.as_deref(), Some("2003.10555"));
        let upper: PaperPage = app.get_json("/api/v1/papers?venue=ICLR").await;
        assert_eq!(upper.items.len(), 1);
        let y2021: PaperPage = app.get_json("/api/v1/papers?year=2021").await;
        let ids: HashSet<_> = y2021.items.iter().filter_map(|p| p.arxiv_id.clone()).collect();
        assert_eq!(ids, HashSet::from(["2103.03206".to_owned(), "2011.12948".to_owned()]));
        let both: PaperPage = app.get_json("/api/v1/papers?venue=icml&year=2020").await;
        assert!(both.items.is_empty());
        let unknown: PaperPage = app.get_json("/api/v1/papers?venue=no-such-venue").await;
        assert!(unknown.items.is_empty());
    }
}

backend_test! {
    async fn a_paper_is_found_by_arxiv_id_in_any_version_with_ranked_summaries(app, Options::demo()) {
        let paper: PaperDetail = app.get_json("/api/v1/papers/arxiv:2003.10555").await;
        assert_eq!(paper.title, "ELECTRA: Pre-training Text Encoders as Discriminators Rather Than Generators");
        assert_eq!(paper.arxiv_id.as_deref(), Some("2003.10555"));
        assert_eq!(paper.keywords.iter().map(|k| k.name.as_str()).collect::<Vec<_>>(), ["cs.CL"]);
        assert_eq!(paper.venue.as_ref().map(|v| v.name.as_str()), Some("ICLR"));
        assert_eq!(paper.published_on.map(|d| d.to_string()).as_deref(), Some("2020-03-23"));
        assert!(paper.abstract_text.unwrap_or_default().starts_with("Masked language modeling"));
        assert_eq!(paper.links.arxiv.as_deref(), Some("https://arxiv.org/abs/2003.10555"));
        assert_eq!(paper.links.pdf.as_deref(), Some("https://arxiv.org/pdf/2003.10555"));
        assert!(paper.links.scholar.starts_with("https://scholar.google.com/scholar?q=ELECTRA"));
        // mira's summary (3 up) outranks tomasz's (1 up, 1 down).
        let order: Vec<_> = paper.summaries.iter().map(|s| s.author.as_ref().unwrap().username.clone()).collect();
        assert_eq!(order, ["mira", "tomasz"]);
        assert!(paper.summaries[0].rank > paper.summaries[1].rank);
        assert_eq!((paper.summaries[0].ups, paper.summaries[0].downs, paper.summaries[0].score), (3, 0, 3));
        assert_eq!((paper.summaries[1].ups, paper.summaries[1].downs, paper.summaries[1].score), (1, 1, 0));
        assert!(paper.summaries[0].body_html.as_deref().unwrap().contains("<math"), "math is rendered");
        assert!(paper.summaries[0].body_html.as_deref().unwrap().contains("<strong>ELECTRA</strong>"));

        for alias in ["arxiv:2003.10555v2", "ARXIV:2003.10555", &format!("{}", paper.id)] {
            let again: PaperDetail = app.get_json(&format!("/api/v1/papers/{alias}")).await;
            assert_eq!(again.id, paper.id, "{alias}");
        }
    }
}

backend_test! {
    async fn a_paper_is_found_by_doi_case_insensitively(app) {
        let id = insert_paper_with_summaries(&app, "10.1000/xyz-123", &[]);
        for path in ["doi:10.1000/xyz-123", "doi:10.1000/XYZ-123", "DOI:10.1000%2Fxyz-123"] {
            let paper: PaperDetail = app.get_json(&format!("/api/v1/papers/{path}")).await;
            assert_eq!(paper.id.0, id, "{path}");
            assert_eq!(paper.links.doi.as_deref(), Some("https://doi.org/10.1000/xyz-123"));
            assert_eq!(paper.links.url.as_deref(), Some("https://example.org/paper"));
            assert_eq!(paper.links.arxiv, None);
            // Whitespace in an author's name is collapsed; order is kept.
            assert_eq!(paper.authors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["Ada Lovelace", "Charles Babbage"]);
        }
    }
}

backend_test! {
    async fn unknown_papers_are_problem_json_404s(app, Options::demo()) {
        for path in ["999999999", "arxiv:1901.00001", "doi:10.1000/none"] {
            let problem = assert_problem(app.get(&format!("/api/v1/papers/{path}")).await, StatusCode::NOT_FOUND, "not_found").await;
            assert!(problem.detail.unwrap_or_default().contains("no paper"), "{path}");
        }
    }
}

backend_test! {
    async fn only_public_visible_summaries_are_shown_and_anonymous_authors_stay_hidden(app) {
        let id = insert_paper_with_summaries(
            &app,
            "10.1000/visibility",
            &[
                ("alice", "Public and signed.", false, "public", false, false),
                ("bob", "Public but anonymous.", true, "public", false, false),
                ("carol", "Private.", false, "private", false, false),
                ("dave", "Hidden by a moderator.", false, "public", true, false),
                ("erin", "Deleted.", false, "public", false, true),
            ],
        );
        let paper: PaperDetail = app.get_json(&format!("/api/v1/papers/{id}")).await;
        assert_eq!(paper.summary_count, 2);
        let bodies: HashSet<_> = paper.summaries.iter().map(|s| s.body_markdown.as_deref().unwrap()).collect();
        assert_eq!(bodies, HashSet::from(["Public and signed.", "Public but anonymous."]));
        let anonymous = paper.summaries.iter().find(|s| s.anonymous).unwrap();
        assert_eq!(anonymous.author, None);

        // Nowhere in any response does the anonymous author's name appear.
        for path in [format!("/api/v1/papers/{id}"), "/api/v1/papers".to_owned()] {
            let body = app.get(&path).await.text().await.unwrap();
            assert!(!body.contains("bob"), "{path} leaks the anonymous author: {body}");
            for hidden in ["Private.", "Hidden by a moderator.", "Deleted."] {
                assert!(!body.contains(hidden), "{path} shows {hidden}");
            }
        }
    }
}

backend_test! {
    async fn gets_send_etags_and_answer_304_when_unchanged(app, Options::demo()) {
        let first = app.get("/api/v1/papers/arxiv:2003.10555").await;
        let etag = first.headers()["etag"].to_str().unwrap().to_owned();
        assert!(etag.starts_with("W/\""), "{etag}");
        assert_eq!(first.headers()["cache-control"], "no-cache");
        let again = app.client.get(app.url("/api/v1/papers/arxiv:2003.10555")).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert!(again.bytes().await.unwrap().is_empty());
        // Another resource has another tag, and a stale tag gets the full body.
        let other = app.get("/api/v1/papers/arxiv:2003.08934").await;
        assert_ne!(other.headers()["etag"], etag.as_str());
        let stale = app.client.get(app.url("/api/v1/papers/arxiv:2003.08934")).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(stale.status(), StatusCode::OK);
        // Errors are not tagged.
        assert!(!app.get("/api/v1/papers/999999").await.headers().contains_key("etag"));
    }
}

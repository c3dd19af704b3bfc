//! Full-text search: the same semantics on SQLite FTS5 and PostgreSQL full-text search.

use reqwest::StatusCode;
use serde_json::json;
use shortscience_types::{SearchHit, SearchResults};

use crate::helpers::*;
use crate::summaries::summary;

async fn search(app: &TestApp, query: &str) -> SearchResults {
    app.get_json(&format!("/api/v1/search?{query}")).await
}

fn paper_titles(results: &SearchResults) -> Vec<String> {
    results
        .items
        .iter()
        .filter_map(|hit| match hit {
            SearchHit::Paper { paper, .. } => Some(paper.title.clone()),
            SearchHit::Summary { .. } => None,
        })
        .collect()
}

fn summary_ids(results: &SearchResults) -> Vec<i64> {
    results
        .items
        .iter()
        .filter_map(|hit| match hit {
            SearchHit::Summary { summary, .. } => Some(summary.id.0),
            SearchHit::Paper { .. } => None,
        })
        .collect()
}

backend_test! {
    async fn search_finds_titles_authors_word_forms_and_summary_text(app, Options::demo()) {
        // Title words, and word forms: "discriminators" finds ELECTRA's "Discriminators".
        let electra = search(&app, "q=discriminator&kind=papers").await;
        assert_eq!(paper_titles(&electra).first().map(String::as_str), Some("ELECTRA: Pre-training Text Encoders as Discriminators Rather Than Generators"));
        // Authors.
        let barron = search(&app, "q=Barron&kind=papers").await;
        let titles = paper_titles(&barron);
        assert_eq!(titles.len(), 2, "{titles:?}");
        assert!(titles.iter().any(|t| t.starts_with("NeRF")) && titles.iter().any(|t| t.starts_with("Nerfies")));
        // The title weighs more than the abstract: "radiance" is in NeRF's title and Nerfies' title…
        let perceiver = search(&app, "q=perceiver&kind=papers").await;
        assert_eq!(paper_titles(&perceiver).first().map(String::as_str), Some("Perceiver: General Perception with Iterative Attention"));
        // Summary text, with the match marked.
        let pooling = search(&app, "q=pooling&kind=summaries").await;
        assert!(!pooling.items.is_empty());
        let SearchHit::Summary { snippet_html, paper, .. } = &pooling.items[0] else { panic!("a summary") };
        assert!(snippet_html.to_lowercase().contains("<mark>pooling</mark>"), "{snippet_html}");
        assert!(paper.title.starts_with("Funnel-Transformer"));
        // Phrases, exclusion, OR.
        let phrase = search(&app, "q=%22neural+radiance%22&kind=papers").await;
        assert_eq!(paper_titles(&phrase).len(), 2);
        let excluded = search(&app, "q=%22neural+radiance%22+-deformable&kind=papers").await;
        assert_eq!(paper_titles(&excluded), ["NeRF: Representing Scenes as Neural Radiance Fields for View Synthesis"]);
        let either = search(&app, "q=perceiver+OR+funnel&kind=papers").await;
        assert_eq!(paper_titles(&either).len(), 2);
        // Filters.
        let venue = search(&app, "q=neural&kind=papers&venue=eccv").await;
        assert_eq!(paper_titles(&venue), ["NeRF: Representing Scenes as Neural Radiance Fields for View Synthesis"]);
        let years = search(&app, "q=neural&kind=papers&year=2021-2022").await;
        assert_eq!(paper_titles(&years), ["Nerfies: Deformable Neural Radiance Fields"]);
        let author = search(&app, "q=radiance&kind=papers&author=mildenhall").await;
        assert_eq!(paper_titles(&author).len(), 1);
        // Both kinds at once.
        let all = search(&app, "q=ELECTRA").await;
        assert!(paper_titles(&all).len() == 1 && !summary_ids(&all).is_empty());
        // Snippets are cut after the kinds are merged: every hit of both kinds still has its
        // match marked.
        for hit in &all.items {
            let (SearchHit::Paper { snippet_html, .. } | SearchHit::Summary { snippet_html, .. }) = hit;
            assert!(snippet_html.to_lowercase().contains("<mark>electra</mark>"), "{snippet_html}");
        }
    }
}

backend_test! {
    async fn an_exact_identifier_leads_to_the_paper(app, Options::demo()) {
        for q in ["2003.10555", "arXiv:2003.10555v1", "https%3A%2F%2Farxiv.org%2Fabs%2F2003.10555"] {
            let results = search(&app, &format!("q={q}")).await;
            assert_eq!(results.exact.map(|p| p.title).as_deref(), Some("ELECTRA: Pre-training Text Encoders as Discriminators Rather Than Generators"), "{q}");
        }
        assert!(search(&app, "q=electra").await.exact.is_none());
    }
}

backend_test! {
    async fn private_hidden_and_deleted_summaries_are_never_found_and_anonymous_ones_name_nobody(app) {
        let ada = app.register("ada").await;
        let bob = app.register("bob").await;
        let carol = app.register("carol").await;
        let moderator = app.register("moddy").await;
        app.set_role("moddy", shortscience_types::Role::Moderator);
        let paper = crate::summaries::paper(&app, &ada, "Searchable Paper").await;
        let public = summary(&app, &ada, paper, "zygomorphic flowers are bilateral").await;
        app.post_json(&format!("/api/v1/papers/{paper}/summaries"), &json!({"body_markdown": "zygomorphic secret notes", "visibility": "private"}), Some(&bob.access)).await;
        let anonymous: serde_json::Value = app.post_json(&format!("/api/v1/papers/{paper}/summaries"), &json!({"body_markdown": "zygomorphic anonymous view", "anonymous": true}), Some(&carol.access)).await.json().await.unwrap();
        let found = search(&app, "q=zygomorphic&kind=summaries").await;
        let ids = summary_ids(&found);
        assert_eq!(ids.len(), 2, "{ids:?}");
        assert!(ids.contains(&public));
        for hit in &found.items {
            if let SearchHit::Summary { summary, .. } = hit {
                if summary.id.0 == anonymous["id"].as_i64().unwrap() {
                    assert!(summary.author.is_none() && summary.anonymous);
                }
            }
        }
        // Hidden by a moderator, then deleted by its author: gone from search.
        app.send(reqwest::Method::PATCH, &format!("/api/v1/summaries/{}", anonymous["id"]), Some(&json!({"hidden": true, "reason": "test"})), Some(&moderator.access)).await;
        app.send(reqwest::Method::DELETE, &format!("/api/v1/summaries/{public}"), None, Some(&ada.access)).await;
        assert!(summary_ids(&search(&app, "q=zygomorphic&kind=summaries").await).is_empty());
        // Shown again by the moderator: found again.
        let shown = app.send(reqwest::Method::PATCH, &format!("/api/v1/summaries/{}", anonymous["id"]), Some(&json!({"hidden": false})), Some(&moderator.access)).await;
        assert_eq!(shown.status(), StatusCode::OK, "{}", shown.text().await.unwrap());
        let found = summary_ids(&search(&app, "q=zygomorphic&kind=summaries").await);
        assert_eq!(found.len(), 1, "{found:?}");
        // Edited text is what is found.
        let dahlia: serde_json::Value = app.post_json(&format!("/api/v1/papers/{paper}/summaries"), &json!({"body_markdown": "about dahlias"}), Some(&moderator.access)).await.json().await.unwrap();
        app.send(reqwest::Method::PATCH, &format!("/api/v1/summaries/{}", dahlia["id"]), Some(&json!({"body_markdown": "about tulips"})), Some(&moderator.access)).await;
        assert!(summary_ids(&search(&app, "q=dahlias&kind=summaries").await).is_empty());
        assert_eq!(summary_ids(&search(&app, "q=tulips&kind=summaries").await).len(), 1);
    }
}

backend_test! {
    async fn odd_and_hostile_queries_never_fail(app, Options::demo()) {
        let long = "a".repeat(2000);
        let cases = [
            "%22unbalanced", "-", "OR", "OR+OR", "%22%22", "-%22%22", "NOT", "AND", "*", "(", ")", "%5C", "%F0%9F%98%80",
            "%27%3B+DROP+TABLE+papers%3B+--", "title%3Aelectra", "a+-a", "%22a+b", "NEAR(a+b)", "%00",
        ];
        for q in cases {
            let response = app.get(&format!("/api/v1/search?q={q}")).await;
            let status = response.status();
            assert!(status == StatusCode::OK || status == StatusCode::BAD_REQUEST, "{q}: {status}");
        }
        let too_long = app.get(&format!("/api/v1/search?q={long}")).await;
        assert_problem(too_long, StatusCode::BAD_REQUEST, "invalid_parameter").await;
        assert_problem(app.get("/api/v1/search").await, StatusCode::BAD_REQUEST, "invalid_parameter").await;
        assert_problem(app.get("/api/v1/search?q=x&year=soon").await, StatusCode::BAD_REQUEST, "invalid_parameter").await;
    }
}

backend_test! {
    async fn search_pages_with_a_cursor_without_repeats(app) {
        let ada = app.register("ada").await;
        for i in 0..7 {
            crate::summaries::paper(&app, &ada, &format!("Quasicrystal Study {i}")).await;
        }
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("q=quasicrystal&kind=papers&limit=3&cursor={c}"),
                None => "q=quasicrystal&kind=papers&limit=3".to_owned(),
            };
            let page = search(&app, &path).await;
            seen.extend(paper_titles(&page));
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        let unique: std::collections::HashSet<&String> = seen.iter().collect();
        assert_eq!((seen.len(), unique.len()), (7, 7), "{seen:?}");
    }
}

//! Adding papers by hand, editing them, browsing and BibTeX.

use std::collections::HashSet;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use shortscience_types::{
    AuthorDetail, KeywordItem, KeywordList, PaperDetail, PaperHistory, PaperPage, Role, YearList,
};

use crate::accounts::Account;
use crate::helpers::*;

fn manual_paper() -> Value {
    json!({
        "title": "  A Hand-Entered   Paper ",
        "authors": ["Grace Hopper", "  Alan   Turing "],
        "abstract": "We enter papers by hand.",
        "year": 1952,
        "published_on": "1952-05-01",
        "venue": {"name": "Journal of Hand Entry", "kind": "journal"},
        "doi": "https://doi.org/10.9999/HAND.1",
        "url": "https://example.org/paper",
        "keywords": ["compilers", "Compilers", "history of computing"]
    })
}

async fn create(app: &TestApp, account: &Account, body: &Value) -> reqwest::Response {
    app.send(
        Method::POST,
        "/api/v1/papers",
        Some(body),
        Some(&account.access),
    )
    .await
}

backend_test! {
    async fn papers_are_added_by_hand_with_validated_fields(app) {
        let user = app.register("hopper").await;
        let response = create(&app, &user, &manual_paper()).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let paper: PaperDetail = response.json().await.unwrap();
        assert_eq!(paper.title, "A Hand-Entered Paper");
        assert_eq!(paper.authors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["Grace Hopper", "Alan Turing"]);
        assert_eq!(paper.doi.as_deref(), Some("10.9999/hand.1"));
        assert_eq!(paper.venue.as_ref().map(|v| (v.slug.as_str(), v.kind)), Some(("journal-of-hand-entry", shortscience_types::VenueKind::Journal)));
        assert_eq!(paper.keywords.iter().map(|k| k.name.as_str()).collect::<Vec<_>>(), ["compilers", "history of computing"]);

        let duplicate = create(&app, &user, &json!({"title": "Again", "authors": ["X"], "doi": "10.9999/hand.1"})).await;
        let problem = assert_problem(duplicate, StatusCode::CONFLICT, "paper_exists").await;
        assert_eq!(problem.field(), Some("doi"));
        assert_eq!(problem.paper_id, Some(paper.id), "the existing paper, as data");
        assert!(problem.detail.unwrap().contains(&format!("/api/v1/papers/{}", paper.id)));

        for (body, status, code, field) in [
            (json!({"title": "", "authors": ["X"]}), 422, "validation_failed", "title"),
            (json!({"title": "T", "authors": []}), 422, "validation_failed", "authors"),
            (json!({"title": "T", "authors": ["X"], "year": 999}), 422, "validation_failed", "year"),
            (json!({"title": "T", "authors": ["X"], "url": "javascript:alert(1)"}), 422, "validation_failed", "url"),
            (json!({"title": "T", "authors": ["X"], "doi": "not-a-doi"}), 422, "validation_failed", "doi"),
            (json!({"title": "T", "authors": ["X"], "arxiv_id": "nope"}), 422, "validation_failed", "arxiv_id"),
            (json!({"title": "T", "authors": ["X"], "venue": {"name": "V", "kind": "magazine"}}), 400, "malformed_body", "venue"),
            (json!({"title": "T", "authors": ["X"], "keywords": vec!["k"; 21]}), 422, "validation_failed", "keywords"),
            (json!({"title": "T", "authors": ["X"], "created_by": 1}), 400, "malformed_body", "created_by"),
            (json!({"authors": ["X"]}), 400, "malformed_body", "title"),
        ] {
            let response = create(&app, &user, &body).await;
            let problem = assert_problem(response, StatusCode::from_u16(status).unwrap(), code).await;
            if code == "validation_failed" || body.get("created_by").is_some() || body.get("title").is_none() {
                assert_eq!(problem.field(), Some(field), "{body}");
            }
        }
        let page: PaperPage = app.get_json("/api/v1/papers").await;
        assert_eq!(page.items.len(), 1, "nothing else was stored");
    }
}

backend_test! {
    async fn edits_are_for_the_creator_or_moderators_and_every_change_is_recorded(app) {
        let creator = app.register("creator").await;
        let other = app.register("other").await;
        let moderator = app.register("moder").await;
        app.set_role("moder", Role::Moderator);
        let paper: PaperDetail = create(&app, &creator, &manual_paper()).await.json().await.unwrap();
        let path = format!("/api/v1/papers/{}", paper.id);

        // The paper says whether the caller may edit it, so the app shows "Edit" only then.
        assert!(paper.can_edit, "the creator, in the answer to the create");
        for (who, expected) in [(Some(&creator), true), (Some(&moderator), true), (Some(&other), false), (None, false)] {
            let response = app.send(Method::GET, &path, None, who.map(|a| a.access.as_str())).await;
            let seen: PaperDetail = response.json().await.unwrap();
            assert_eq!(seen.can_edit, expected, "{:?}", who.map(|a| &a.username));
        }

        let refused = app.send(Method::PATCH, &path, Some(&json!({"title": "Mine now"})), Some(&other.access)).await;
        assert_problem(refused, StatusCode::FORBIDDEN, "forbidden").await;

        let edited = app.send(Method::PATCH, &path, Some(&json!({"title": "A Corrected Title", "year": 1953, "abstract": null, "authors": ["Grace Hopper"]})), Some(&creator.access)).await;
        assert_eq!(edited.status(), StatusCode::OK);
        let after: PaperDetail = edited.json().await.unwrap();
        assert_eq!((after.title.as_str(), after.year, after.abstract_text.as_deref()), ("A Corrected Title", Some(1953), None));
        assert_eq!(after.authors.len(), 1);
        assert!(after.can_edit);

        let by_moderator = app.send(Method::PATCH, "/api/v1/papers/doi:10.9999/hand.1", Some(&json!({"venue": {"name": "Proceedings of Hand Entry", "kind": "conference"}})), Some(&moderator.access)).await;
        assert_eq!(by_moderator.status(), StatusCode::OK);
        // An edit that changes nothing records nothing.
        let unchanged = app.send(Method::PATCH, &path, Some(&json!({"title": "A Corrected Title"})), Some(&creator.access)).await;
        assert_eq!(unchanged.status(), StatusCode::OK);

        let history: PaperHistory = app.get_json(&format!("{path}/history")).await;
        let actions: Vec<_> = history.items.iter().map(|c| (c.action.as_str(), c.username.as_deref())).collect();
        assert_eq!(actions, [("created", Some("creator")), ("edited", Some("creator")), ("edited", Some("moder"))]);
        let first_edit = &history.items[1].changes;
        assert_eq!(first_edit["title"], json!({"from": "A Hand-Entered Paper", "to": "A Corrected Title"}));
        assert_eq!(first_edit["year"], json!({"from": 1952, "to": 1953}));
        assert_eq!(first_edit["abstract"]["to"], Value::Null);
        assert_eq!(first_edit["authors"]["from"], json!(["Grace Hopper", "Alan Turing"]));
        assert_eq!(history.items[2].changes["venue"], json!({"from": "Journal of Hand Entry", "to": "Proceedings of Hand Entry"}));

        // Edits cannot take another paper's identifiers, and bad input names its field.
        let second: PaperDetail = create(&app, &creator, &json!({"title": "Second", "authors": ["X"], "doi": "10.9999/hand.2"})).await.json().await.unwrap();
        let clash = app.send(Method::PATCH, &format!("/api/v1/papers/{}", second.id), Some(&json!({"doi": "10.9999/HAND.1"})), Some(&creator.access)).await;
        assert_problem(clash, StatusCode::CONFLICT, "paper_exists").await;
        let bad = app.send(Method::PATCH, &path, Some(&json!({"pdf_url": "ftp://x"})), Some(&creator.access)).await;
        assert_eq!(assert_problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await.field(), Some("pdf_url"));
        let missing = app.send(Method::PATCH, "/api/v1/papers/999999", Some(&json!({"title": "x"})), Some(&creator.access)).await;
        assert_problem(missing, StatusCode::NOT_FOUND, "not_found").await;
        let anonymous = app.send(Method::PATCH, &path, Some(&json!({"title": "x"})), None).await;
        assert_problem(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    }
}

backend_test! {
    async fn demo_papers_are_edited_by_moderators_only(app, Options::demo()) {
        let user = app.register("someone").await;
        let refused = app.send(Method::PATCH, "/api/v1/papers/arxiv:2003.10555", Some(&json!({"year": 2019})), Some(&user.access)).await;
        assert_problem(refused, StatusCode::FORBIDDEN, "forbidden").await;
    }
}

/// The ids of every page of `/papers?<query>` followed through its cursors.
async fn walk(app: &TestApp, query: &str, limit: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut path = format!("/api/v1/papers?{query}&limit={limit}");
    loop {
        let page: PaperPage = app.get_json(&path).await;
        assert!(page.items.len() <= limit);
        ids.extend(page.items.iter().map(|p| p.id.0));
        match page.next_cursor {
            Some(cursor) => path = format!("/api/v1/papers?{query}&limit={limit}&cursor={cursor}"),
            None => return ids,
        }
    }
}

backend_test! {
    async fn every_sort_paginates_to_the_full_ordering_without_repeats(app, Options::demo()) {
        // Add papers without summaries so that the "recent" order has NULLs to place last.
        let user = app.register("adder").await;
        for n in 0..4 {
            create(&app, &user, &json!({"title": format!("Extra {n}"), "authors": ["A"], "year": 2021})).await;
        }
        for sort in ["new", "recent", "summaries", "top"] {
            let full = walk(&app, &format!("sort={sort}"), 100).await;
            assert_eq!(full.len(), 9, "{sort}");
            for limit in [1, 2, 4] {
                assert_eq!(walk(&app, &format!("sort={sort}"), limit).await, full, "{sort} by {limit}");
            }
            assert_eq!(full.iter().collect::<HashSet<_>>().len(), 9);
        }
        let recent: PaperPage = app.get_json("/api/v1/papers?sort=recent&limit=100").await;
        // Newest summary first (Nerfies, 3 h ago), papers without summaries last.
        assert_eq!(recent.items[0].arxiv_id.as_deref(), Some("2011.12948"));
        assert!(recent.items[5..].iter().all(|p| p.summary_count == 0));
        let most: PaperPage = app.get_json("/api/v1/papers?sort=summaries").await;
        assert_eq!(most.items[0].arxiv_id.as_deref(), Some("2003.10555"), "ELECTRA has two");
        let top: PaperPage = app.get_json("/api/v1/papers?sort=top").await;
        let top_ids: Vec<_> = top.items.iter().take(2).filter_map(|p| p.arxiv_id.clone()).collect();
        assert_eq!(top_ids, ["2003.10555", "2003.08934"], "score 3 each: the later added first");

        // Cursors belong to their sort.
        let page: PaperPage = app.get_json("/api/v1/papers?sort=top&limit=1").await;
        let wrong = app.get(&format!("/api/v1/papers?sort=new&cursor={}", page.next_cursor.unwrap())).await;
        assert_eq!(assert_problem(wrong, StatusCode::BAD_REQUEST, "invalid_parameter").await.field(), Some("cursor"));
        let bad = app.get("/api/v1/papers?sort=best").await;
        assert_eq!(assert_problem(bad, StatusCode::BAD_REQUEST, "invalid_parameter").await.field(), Some("sort"));
    }
}

backend_test! {
    async fn years_authors_and_keywords_browse_the_catalogue(app, Options::demo()) {
        let years: YearList = app.get_json("/api/v1/years").await;
        assert_eq!(years.items.iter().map(|y| (y.year, y.paper_count)).collect::<Vec<_>>(), [(2021, 2), (2020, 3)]);

        let keywords: KeywordList = app.get_json("/api/v1/keywords").await;
        let cv = keywords.items.iter().find(|k| k.name == "cs.CV").unwrap();
        assert_eq!((cv.slug.as_str(), cv.kind.as_str(), cv.paper_count), ("cs.cv", "arxiv", 3));
        assert_eq!(keywords.items[0].name, "cs.CV", "most used first");
        let keyword: KeywordItem = app.get_json("/api/v1/keywords/CS.CL").await;
        assert_eq!(keyword.paper_count, 2);
        let by_keyword = walk(&app, "keyword=cs.cl", 10).await;
        assert_eq!(by_keyword.len(), 2);

        let electra: PaperDetail = app.get_json("/api/v1/papers/arxiv:2003.10555").await;
        let quoc = electra.authors.iter().find(|a| a.name == "Quoc V. Le").unwrap();
        let author: AuthorDetail = app.get_json(&format!("/api/v1/authors/{}", quoc.id)).await;
        assert_eq!((author.name.as_str(), author.paper_count), ("Quoc V. Le", 2));
        let papers: PaperPage = app.get_json(&format!("/api/v1/papers?author={}", quoc.id)).await;
        let ids: HashSet<_> = papers.items.iter().filter_map(|p| p.arxiv_id.clone()).collect();
        assert_eq!(ids, HashSet::from(["2003.10555".to_owned(), "2006.03236".to_owned()]));
        let both: PaperPage = app.get_json(&format!("/api/v1/papers?author={}&keyword=cs.lg", quoc.id)).await;
        assert_eq!(both.items.len(), 1);

        assert_problem(app.get("/api/v1/authors/999999").await, StatusCode::NOT_FOUND, "not_found").await;
        assert_problem(app.get("/api/v1/authors/abc").await, StatusCode::BAD_REQUEST, "invalid_parameter").await;
        assert_problem(app.get("/api/v1/keywords/nope").await, StatusCode::NOT_FOUND, "not_found").await;
    }
}

backend_test! {
    async fn bibtex_entries_parse_with_a_standard_parser(app, Options::demo()) {
        let user = app.register("bibber").await;
        create(&app, &user, &json!({
            "title": "Über {Braces} & 100% of $Costs$ in C_x",
            "authors": ["Ēriks Kupče", "Jean-Luc Picard"],
            "year": 2021, "venue": {"name": "Nature Reviews Methods Primers", "kind": "journal"},
            "doi": "10.1038/s43586-021-00024-3"
        })).await;
        create(&app, &user, &json!({
            "title": "A Preprint", "authors": ["Ada Lovelace", "Charles Babbage"], "year": 2021,
            "venue": {"name": "arXiv", "kind": "preprint"}, "arxiv_id": "2101.00001", "keywords": ["cs.LG"]
        })).await;
        for (reference, kind, key) in [
            ("arxiv:2101.00001", "misc", "lovelace2021preprint"),
            ("arxiv:2003.10555", "inproceedings", "clark2020electra"),
            ("doi:10.1038/s43586-021-00024-3", "article", "kupce2021uber"),
        ] {
            let response = app.get(&format!("/api/v1/papers/{reference}/bibtex")).await;
            assert_eq!(response.status(), StatusCode::OK, "{reference}");
            assert!(content_type(&response).starts_with("text/x-bibtex"));
            let text = response.text().await.unwrap();
            let bibliography = biblatex::Bibliography::parse(&text).unwrap_or_else(|e| panic!("{reference}: {e:?}\n{text}"));
            let entry = bibliography.get(key).unwrap_or_else(|| panic!("{reference}: no {key} in\n{text}"));
            assert_eq!(entry.entry_type.to_string(), kind, "{text}");
            let authors = entry.author().unwrap();
            assert!(authors.len() >= 2, "{text}");
            if reference == "arxiv:2101.00001" {
                assert_eq!(authors[1].name, "Babbage", "order kept");
                assert!(text.contains("eprint = {2101.00001}") && text.contains("archivePrefix = {arXiv}") && text.contains("primaryClass = {cs.LG}"), "{text}");
            } else if reference == "arxiv:2003.10555" {
                // Published at a conference: cited as such, with its arXiv e-print kept.
                assert_eq!(authors[0].name, "Clark");
                assert_eq!(authors[3].name, "Manning", "order kept");
                assert!(text.contains("booktitle = {ICLR}") && text.contains("eprint = {2003.10555}") && text.contains("primaryClass = {cs.CL}"), "{text}");
            } else {
                assert_eq!(authors[1].name, "Picard");
                assert!(text.contains("\\{Braces\\}") && text.contains("\\&") && text.contains("100\\%") && text.contains("C\\_x"), "{text}");
            }
        }
        assert_problem(app.get("/api/v1/papers/999999/bibtex").await, StatusCode::NOT_FOUND, "not_found").await;
    }
}

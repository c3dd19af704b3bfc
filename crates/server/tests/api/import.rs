//! Importing papers from a fake arXiv and Crossref on localhost.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use shortscience_server::domain::upstream::UpstreamConfig;
use shortscience_types::{ImportPreview, PaperDetail, PaperPage};

use crate::fake_upstream::*;
use crate::helpers::*;

const ELECTRA: AtomPaper<'static> = AtomPaper {
    id: "2003.10555v1",
    title: "ELECTRA: Pre-training Text Encoders as Discriminators Rather Than\n   Generators",
    authors: &[
        "Kevin Clark",
        "Minh-Thang Luong",
        "Quoc V. Le",
        "Christopher D. Manning",
    ],
    categories: &["cs.CL", "cs.AI"],
    doi: None,
    journal_ref: None,
};

fn with_fake(fake: FakeUpstream) -> Options {
    Options {
        upstream: Some(fake),
        ..Options::default()
    }
}

async fn import(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.send(
        Method::POST,
        "/api/v1/papers/import",
        Some(&body),
        Some(token),
    )
    .await
}

async fn paper_count(app: &TestApp) -> usize {
    let page: PaperPage = app.get_json("/api/v1/papers?limit=100").await;
    page.items.len()
}

backend_test! {
    async fn every_arxiv_id_form_imports_the_same_paper_once(app, with_fake(FakeUpstream::start().await)) {
        let fake = app.fake();
        fake.arxiv("2003.10555", Canned::atom(atom_feed(&ELECTRA)));
        let user = app.register("importer").await;

        let first = import(&app, &user.access, json!({"arxiv": "2003.10555"})).await;
        assert_eq!(first.status(), StatusCode::CREATED);
        let location = first.headers()["location"].to_str().unwrap().to_owned();
        let paper: PaperDetail = first.json().await.unwrap();
        assert_eq!(location, format!("/api/v1/papers/{}", paper.id));
        assert_eq!(paper.title, "ELECTRA: Pre-training Text Encoders as Discriminators Rather Than Generators");
        assert_eq!(paper.authors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ELECTRA.authors);
        assert_eq!(paper.keywords.iter().map(|k| k.name.as_str()).collect::<Vec<_>>(), ["cs.CL", "cs.AI"]);
        assert_eq!(paper.arxiv_id.as_deref(), Some("2003.10555"));
        assert_eq!(paper.year, Some(2020));
        assert_eq!(paper.published_on.map(|d| d.to_string()).as_deref(), Some("2020-03-23"));
        assert_eq!(paper.venue.as_ref().map(|v| (v.slug.as_str(), v.name.as_str())), Some(("arxiv", "arXiv")));
        assert_eq!(paper.abstract_text.as_deref(), Some("An abstract with a hard line break."));
        assert_eq!(paper.links.pdf.as_deref(), Some("https://arxiv.org/pdf/2003.10555"));

        for form in ["2003.10555v2", "arXiv:2003.10555", "ARXIV:2003.10555v1", "https://arxiv.org/abs/2003.10555v3", "https://arxiv.org/pdf/2003.10555.pdf", "http://arxiv.org/pdf/2003.10555v1"] {
            let again = import(&app, &user.access, json!({"arxiv": form})).await;
            assert_eq!(again.status(), StatusCode::OK, "{form}");
            let same: PaperDetail = again.json().await.unwrap();
            assert_eq!(same.id, paper.id, "{form}");
        }
        assert_eq!(paper_count(&app).await, 1);
        // Known papers are answered from the database: arXiv was asked once.
        assert_eq!(fake.seen().len(), 1);
        let seen = &fake.seen()[0];
        assert_eq!((seen.method.as_str(), seen.path.as_str()), ("GET", "/api/query"));
        assert!(seen.query.contains("id_list=2003.10555"), "{}", seen.query);
        assert!(seen.user_agent.starts_with("ShortScience/"), "{}", seen.user_agent);
    }
}

backend_test! {
    async fn old_style_ids_and_journal_refs_import(app, with_fake(FakeUpstream::start().await)) {
        let fake = app.fake();
        fake.arxiv("hep-th/9901001", Canned::atom(atom_feed(&AtomPaper {
            id: "hep-th/9901001v2",
            title: "An Old Paper",
            authors: &["Élodie Ünicode", "A. N. Other"],
            categories: &["hep-th", "gr-qc"],
            doi: Some("10.1103/PhysRevD.59.085001"),
            journal_ref: Some("Phys. Rev. D 59, 085001 (1999)"),
        })));
        let user = app.register("importer").await;
        let response = import(&app, &user.access, json!({"arxiv": "https://arxiv.org/abs/hep-th/9901001v2"})).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let paper: PaperDetail = response.json().await.unwrap();
        assert_eq!(paper.arxiv_id.as_deref(), Some("hep-th/9901001"));
        assert_eq!(paper.authors[0].name, "Élodie Ünicode");
        assert_eq!(paper.doi.as_deref(), Some("10.1103/physrevd.59.085001"));
        let venue = paper.venue.unwrap();
        assert_eq!((venue.name.as_str(), venue.slug.as_str()), ("Phys. Rev. D", "phys-rev-d"));
        // The same paper by its DOI (any case) is the existing one.
        let by_doi = import(&app, &user.access, json!({"doi": "https://doi.org/10.1103/PHYSREVD.59.085001"})).await;
        assert_eq!(by_doi.status(), StatusCode::OK);
        assert_eq!(fake.seen().len(), 1, "Crossref was not asked");
    }
}

backend_test! {
    async fn dois_import_from_crossref_and_match_arxiv_papers_by_doi(app, with_fake(FakeUpstream::start().await)) {
        let fake = app.fake();
        let doi = "10.1021/acs.orglett.9b00971";
        fake.crossref(doi, Canned::json(crossref_work(doi, "A General Copper-Catalyzed Synthesis", "journal-article", "Organic Letters", &[("Steven J.", "Mansfield"), ("", "Sheherazade")])));
        let user = app.register("importer").await;
        let response = import(&app, &user.access, json!({"doi": "10.1021/ACS.OrgLett.9b00971"})).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let paper: PaperDetail = response.json().await.unwrap();
        assert_eq!(paper.doi.as_deref(), Some(doi));
        assert_eq!(paper.authors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["Steven J. Mansfield", "Sheherazade"]);
        assert_eq!(paper.venue.as_ref().map(|v| (v.name.as_str(), v.kind)), Some(("Organic Letters", shortscience_types::VenueKind::Journal)));
        assert_eq!(paper.year, Some(2019));
        assert_eq!(paper.links.doi.as_deref(), Some("https://doi.org/10.1021/acs.orglett.9b00971"));
        let seen = fake.seen();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].path, "/works/10.1021/acs.orglett.9b00971");

        // An arXiv preprint of the same article is recognised by its DOI.
        fake.arxiv("1904.00001", Canned::atom(atom_feed(&AtomPaper { id: "1904.00001v1", title: "Preprint", authors: &["S. Mansfield"], categories: &["physics.chem-ph"], doi: Some("10.1021/ACS.ORGLETT.9B00971"), journal_ref: None })));
        let preprint = import(&app, &user.access, json!({"arxiv": "1904.00001"})).await;
        assert_eq!(preprint.status(), StatusCode::OK);
        let same: PaperDetail = preprint.json().await.unwrap();
        assert_eq!(same.id, paper.id);
        assert_eq!(paper_count(&app).await, 1);
    }
}

backend_test! {
    async fn arxiv_dois_are_imported_from_arxiv(app, with_fake(FakeUpstream::start().await)) {
        let fake = app.fake();
        fake.arxiv("2003.10555", Canned::atom(atom_feed(&ELECTRA)));
        let user = app.register("importer").await;
        let response = import(&app, &user.access, json!({"doi": "10.48550/arXiv.2003.10555"})).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let paper: PaperDetail = response.json().await.unwrap();
        assert_eq!(paper.arxiv_id.as_deref(), Some("2003.10555"));
    }
}

backend_test! {
    async fn upstream_not_found_is_404_and_failures_are_502_or_504_with_nothing_written(app, Options {
        upstream_config: Some(UpstreamConfig { timeout: Duration::from_millis(700), arxiv_interval: Duration::ZERO, max_response_bytes: 64 * 1024, ..UpstreamConfig::default() }),
        ..with_fake(FakeUpstream::start().await)
    }) {
        let fake = app.fake();
        fake.arxiv("2001.00001", Canned::atom(error_feed("incorrect id format for 2001.00001")).status(400));
        fake.arxiv("2001.00003", Canned::atom(atom_feed(&ELECTRA)).delayed(Duration::from_secs(2)));
        fake.arxiv("2001.00004", Canned::atom("<feed><entry>unclosed").status(200));
        fake.arxiv("2001.00005", Canned::atom("upstream exploded").status(500));
        fake.arxiv("2001.00006", Canned::atom(format!("{}<!--{}-->", atom_feed(&ELECTRA), "x".repeat(100 * 1024))));
        fake.crossref("10.1000/broken", Canned::json("{\"status\":\"ok\",\"message\":{\"DOI\":").status(200));
        let user = app.register("importer").await;
        let cases = [
            (json!({"arxiv": "2001.00001"}), StatusCode::NOT_FOUND, "upstream_not_found"),
            (json!({"arxiv": "2001.00002"}), StatusCode::NOT_FOUND, "upstream_not_found"),
            (json!({"doi": "10.1000/missing"}), StatusCode::NOT_FOUND, "upstream_not_found"),
            (json!({"arxiv": "2001.00003"}), StatusCode::GATEWAY_TIMEOUT, "upstream_timeout"),
            (json!({"arxiv": "2001.00004"}), StatusCode::BAD_GATEWAY, "upstream_failed"),
            (json!({"arxiv": "2001.00005"}), StatusCode::BAD_GATEWAY, "upstream_failed"),
            (json!({"arxiv": "2001.00006"}), StatusCode::BAD_GATEWAY, "upstream_failed"),
            (json!({"doi": "10.1000/broken"}), StatusCode::BAD_GATEWAY, "upstream_failed"),
        ];
        for (body, status, code) in cases {
            let problem = assert_problem(import(&app, &user.access, body.clone()).await, status, code).await;
            let detail = problem.detail.unwrap_or_default();
            assert!(!detail.contains("127.0.0.1"), "{body}: the upstream's address leaked: {detail}");
        }
        assert_eq!(paper_count(&app).await, 0, "nothing was half-written");
        // The not-found answer is cached: asking again does not ask arXiv again.
        let before = fake.seen().len();
        import(&app, &user.access, json!({"arxiv": "2001.00002"})).await;
        assert_eq!(fake.seen().len(), before);
    }
}

backend_test! {
    async fn bad_input_is_refused_before_anything_is_fetched(app, with_fake(FakeUpstream::start().await)) {
        let fake = app.fake();
        let user = app.register("importer").await;
        for (body, status, field) in [
            (json!({"arxiv": "https://evil.example/abs/2003.10555"}), 422, "arxiv"),
            (json!({"arxiv": "https://arxiv.org.evil.example/abs/2003.10555"}), 422, "arxiv"),
            (json!({"arxiv": "not an id"}), 422, "arxiv"),
            (json!({"doi": "https://evil.example/10.1000/x"}), 422, "doi"),
            (json!({"doi": "11.1000/x"}), 422, "doi"),
            (json!({}), 422, "arxiv"),
            (json!({"arxiv": "2003.10555", "doi": "10.1000/x"}), 422, "doi"),
            (json!({"url": "https://evil.example"}), 400, "url"),
        ] {
            let response = import(&app, &user.access, body.clone()).await;
            let code = if status == 400 { "malformed_body" } else { "validation_failed" };
            let problem = assert_problem(response, StatusCode::from_u16(status).unwrap(), code).await;
            assert_eq!(problem.field(), Some(field), "{body}");
        }
        assert!(fake.seen().is_empty(), "nothing was fetched: {:?}", fake.seen());
        let anonymous = app.post_json("/api/v1/papers/import", &json!({"arxiv": "2003.10555"}), None).await;
        assert_problem(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    }
}

backend_test! {
    async fn a_dry_run_previews_without_writing(app, with_fake(FakeUpstream::start().await)) {
        let fake = app.fake();
        fake.arxiv("2003.10555", Canned::atom(atom_feed(&ELECTRA)));
        let user = app.register("importer").await;
        let response = import(&app, &user.access, json!({"arxiv": "2003.10555", "dry_run": true})).await;
        assert_eq!(response.status(), StatusCode::OK);
        let preview: ImportPreview = response.json().await.unwrap();
        assert_eq!(preview.existing, None);
        assert_eq!(preview.paper.authors.len(), 4);
        assert_eq!(paper_count(&app).await, 0);
        // Import for real: served from the cache.
        assert_eq!(import(&app, &user.access, json!({"arxiv": "2003.10555"})).await.status(), StatusCode::CREATED);
        assert_eq!(fake.seen().len(), 1);
        let again: ImportPreview = import(&app, &user.access, json!({"arxiv": "2003.10555", "dry_run": true})).await.json().await.unwrap();
        assert!(again.existing.is_some());
    }
}

backend_test! {
    async fn concurrent_imports_of_one_paper_store_it_once(app, with_fake(FakeUpstream::start().await)) {
        let fake = app.fake();
        fake.arxiv("2003.10555", Canned::atom(atom_feed(&ELECTRA)));
        let user = app.register("importer").await;
        let handles: Vec<_> = (0..6)
            .map(|_| {
                let request = app.client.post(app.url("/api/v1/papers/import")).bearer_auth(&user.access).json(&json!({"arxiv": "2003.10555"}));
                actix_web::rt::spawn(async move { request.send().await.unwrap().status().as_u16() })
            })
            .collect();
        let mut statuses = Vec::new();
        for handle in handles {
            statuses.push(handle.await.unwrap());
        }
        statuses.sort_unstable();
        assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
        assert!(statuses.iter().all(|s| *s == 200 || *s == 201), "{statuses:?}");
        assert_eq!(paper_count(&app).await, 1);
    }
}

backend_test! {
    async fn arxiv_is_asked_at_most_once_per_interval(app, Options {
        upstream_config: Some(UpstreamConfig { timeout: Duration::from_secs(5), arxiv_interval: Duration::from_millis(1000), ..UpstreamConfig::default() }),
        ..with_fake(FakeUpstream::start().await)
    }) {
        let fake = app.fake();
        let ids = ["2003.10001", "2003.10002", "2003.10003"];
        for id in ids {
            let version = format!("{id}v1");
            fake.arxiv(id, Canned::atom(atom_feed(&AtomPaper { id: Box::leak(version.into_boxed_str()), ..ELECTRA })));
        }
        let user = app.register("importer").await;
        let handles: Vec<_> = ids
            .iter()
            .map(|id| {
                let request = app.client.post(app.url("/api/v1/papers/import")).bearer_auth(&user.access).json(&json!({"arxiv": id}));
                actix_web::rt::spawn(async move { request.send().await.unwrap().status().as_u16() })
            })
            .collect();
        for handle in handles {
            assert_eq!(handle.await.unwrap(), 201, "queued, not refused");
        }
        let mut times: Vec<_> = fake.seen().iter().map(|s| s.at).collect();
        times.sort();
        assert_eq!(times.len(), 3);
        for pair in times.windows(2) {
            assert!(pair[1] - pair[0] >= Duration::from_millis(900), "requests {:?} apart", pair[1] - pair[0]);
        }
    }
}

backend_test! {
    async fn the_captured_real_responses_import(app, with_fake(FakeUpstream::start().await)) {
        let fake = app.fake();
        let dir = repo_root().join("../shared/fixtures/upstream");
        if !dir.exists() {
            eprintln!("skipped: {} is not present", dir.display());
            return;
        }
        let user = app.register("importer").await;
        for (file, id) in [("1707.08567.xml", "1707.08567"), ("2104.12255v1.xml", "2104.12255"), ("astro-ph_0601001.xml", "astro-ph/0601001"), ("quant-ph_0201082v1.xml", "quant-ph/0201082"), ("1111.2011v2-older-layout.xml", "1111.2011")] {
            fake.arxiv(id, Canned::atom(std::fs::read_to_string(dir.join("arxiv").join(file)).unwrap()));
            let response = import(&app, &user.access, json!({"arxiv": id})).await;
            assert_eq!(response.status(), StatusCode::CREATED, "{file}");
            let paper: PaperDetail = response.json().await.unwrap();
            assert_eq!(paper.arxiv_id.as_deref(), Some(id));
            assert!(!paper.authors.is_empty() && !paper.keywords.is_empty(), "{file}");
        }
        fake.arxiv("abc", Canned::atom(std::fs::read_to_string(dir.join("arxiv/abc-error.xml")).unwrap()).status(400));
        for n in 1..=7 {
            let body = std::fs::read_to_string(dir.join(format!("crossref/test{n}.json"))).unwrap();
            let doi = serde_json::from_str::<Value>(&body).unwrap()["message"]["DOI"].as_str().unwrap().to_owned();
            fake.crossref(&doi, Canned::json(body));
            let response = import(&app, &user.access, json!({"doi": doi})).await;
            assert_eq!(response.status(), StatusCode::CREATED, "test{n}.json");
        }
        assert_eq!(paper_count(&app).await, 12);
    }
}

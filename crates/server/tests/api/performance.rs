//! What the performance budgets rest on, checked as behaviour (speeds are `just bench`'s): the
//! paper page's statement count through the instrumented connection, aggregates kept in step on
//! write, and built assets sent precompressed.

use reqwest::StatusCode;
use serde_json::json;
use shortscience_server::db::statements;
use shortscience_server::domain::{self, Viewer};
use shortscience_types::{PaperId, PaperRef, Role, VenueList};

use crate::helpers::*;
use crate::summaries::{paper, summary, vote, write};

backend_test! {
    async fn a_paper_page_costs_three_statements_whoever_reads_it(app) {
        let ada = app.register("ada").await;
        let bob = app.register("bob").await;
        let id = paper(&app, &ada, "Counting Statements").await;
        for (who, body) in [(&ada, "First reading, with $x^2$."), (&bob, "A second opinion.")] {
            let response = write(&app, who, id, json!({"body_markdown": body})).await;
            assert_eq!(response.status(), StatusCode::CREATED);
        }
        let summaries: serde_json::Value = app.get_json(&format!("/api/v1/papers/{id}")).await;
        let first = summaries["summaries"].as_array().unwrap().iter()
            .find(|s| s["author"]["username"] == "ada").unwrap()["id"].as_i64().unwrap();
        assert_eq!(vote(&app, &bob, first, 1).await.status(), StatusCode::OK);

        let bob_id = app.with_conn(|c| {
            shortscience_server::db::models::accounts::find_by_username(c, "bob").unwrap().unwrap().id
        });
        for viewer in [Viewer::default(), Viewer::user(bob_id, Role::User)] {
            let (detail, count) = app.with_conn(|c| {
                statements::count(|| domain::papers::detail(c, &PaperRef::Id(PaperId(id)), &viewer))
            });
            let detail = detail.unwrap().unwrap();
            assert_eq!(detail.summaries.len(), 2);
            assert!(count <= 3, "{count} statements for the paper page as {viewer:?}");
            assert!(count >= 1, "the instrumentation counts nothing");
            if viewer.id.is_some() {
                let voted = detail.summaries.iter().find(|s| s.id.0 == first).unwrap();
                assert_eq!(voted.my_vote, 1, "the viewer's vote comes with the page");
            }
        }
    }
}

backend_test! {
    async fn feeds_send_excerpts_and_the_detail_sends_the_whole_text(app) {
        let ada = app.register("ada").await;
        let id = paper(&app, &ada, "Lean Lists").await;
        let body = format!("{}\n\n$$\\sum_i x_i$$\n\nThe closing remark.", "A long first paragraph. ".repeat(40));
        let response = write(&app, &ada, id, json!({"body_markdown": body})).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let written: serde_json::Value = response.json().await.unwrap();
        assert!(written["body_html"].as_str().unwrap().contains("The closing remark"), "a write answers the whole text");
        let summary = written["id"].as_i64().unwrap();
        let follow = app.send(reqwest::Method::PUT, &format!("/api/v1/me/follows/paper/{id}"), None, Some(&ada.access)).await;
        assert!(follow.status().is_success());

        let new: serde_json::Value = app.get_json("/api/v1/summaries?sort=new").await;
        let top: serde_json::Value = app.get_json("/api/v1/summaries?sort=top&period=all").await;
        let mine: serde_json::Value = app.get_json_as("/api/v1/me/feed", &ada.access).await;
        for (name, page) in [("new", &new), ("top", &top), ("me/feed", &mine)] {
            let item = &page["items"][0];
            assert_eq!(item["id"], summary, "{name}: {page}");
            assert!(item.get("body_markdown").is_none() && item.get("body_html").is_none(), "{name} carries a body: {item}");
            assert!(item["excerpt_html"].as_str().unwrap().starts_with("A long first paragraph."), "{name}: {item}");
            assert_eq!(item["truncated"], true, "{name}: the card offers more");
        }
        let detail: serde_json::Value = app.get_json(&format!("/api/v1/summaries/{summary}")).await;
        assert!(detail["body_html"].as_str().unwrap().contains("The closing remark"));
        assert!(detail["body_markdown"].as_str().unwrap().contains("$$"));
        let on_paper: serde_json::Value = app.get_json(&format!("/api/v1/papers/{id}")).await;
        assert!(on_paper["summaries"][0]["body_html"].as_str().unwrap().contains("<math"), "the paper page shows whole summaries");
    }
}

backend_test! {
    async fn venue_totals_follow_papers_as_they_come_move_and_go(app) {
        let ada = app.register("ada").await;
        let create = |title: &str, venue: &str| json!({"title": title, "year": 2021, "venue": {"name": venue, "kind": "conference"}, "authors": ["A. Writer"]});
        let mut ids = Vec::new();
        for (title, venue) in [("One", "NeurIPS"), ("Two", "NeurIPS"), ("Three", "ICML")] {
            let response = app.post_json("/api/v1/papers", &create(title, venue), Some(&ada.access)).await;
            assert_eq!(response.status(), StatusCode::CREATED, "{}", response.text().await.unwrap());
            let body: serde_json::Value = response.json().await.unwrap();
            ids.push(body["id"].as_i64().unwrap());
        }
        let counts = |list: &VenueList| -> Vec<(String, i64)> {
            let mut v: Vec<_> = list.items.iter().map(|v| (v.name.clone(), v.paper_count)).collect();
            v.sort();
            v
        };
        let list: VenueList = app.get_json("/api/v1/venues").await;
        assert_eq!(counts(&list), vec![("ICML".into(), 1), ("NeurIPS".into(), 2)]);

        // Moving a paper moves its count.
        let response = app
            .send(reqwest::Method::PATCH, &format!("/api/v1/papers/{}", ids[1]), Some(&json!({"venue": {"name": "ICML", "kind": "conference"}})), Some(&ada.access))
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{}", response.text().await.unwrap());
        let list: VenueList = app.get_json("/api/v1/venues").await;
        assert_eq!(counts(&list), vec![("ICML".into(), 2), ("NeurIPS".into(), 1)]);

        // Writing a summary counts on its venue.
        let response = write(&app, &ada, ids[0], json!({"body_markdown": "Short and true."})).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let list: VenueList = app.get_json("/api/v1/venues").await;
        let neurips = list.items.iter().find(|v| v.name == "NeurIPS").unwrap();
        assert_eq!(neurips.summary_count, 1);
        let years: serde_json::Value = app.get_json("/api/v1/years").await;
        assert!(years.to_string().contains("2021"), "{years}");
    }
}

#[actix_web::test]
async fn built_assets_go_out_precompressed_when_the_client_accepts_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<!DOCTYPE html><html><head><title>x</title></head><body></body></html>",
    )
    .unwrap();
    let name = "app-0123456789abcdef_bg.wasm";
    std::fs::write(dir.path().join(name), b"plain wasm bytes").unwrap();
    std::fs::write(dir.path().join(format!("{name}.br")), b"brotli bytes").unwrap();
    std::fs::write(dir.path().join(format!("{name}.gz")), b"gzip bytes").unwrap();
    std::fs::write(dir.path().join("style-0123456789abcdef.css"), b"body{}").unwrap();
    let options = Options {
        static_dir: Some(dir.path().to_path_buf()),
        ..Options::default()
    };
    let app = spawn_app(Backend::Sqlite, options).await.unwrap();

    let fetch = |encoding: &'static str, path: String| {
        let request = app
            .client
            .get(app.url(&path))
            .header("accept-encoding", encoding);
        async move { request.send().await.unwrap() }
    };
    for (accept, encoding, body) in [
        ("gzip, deflate, br, zstd", Some("br"), "brotli bytes"),
        ("gzip", Some("gzip"), "gzip bytes"),
        ("br;q=0, gzip", Some("gzip"), "gzip bytes"),
        ("identity", None, "plain wasm bytes"),
    ] {
        let response = fetch(accept, format!("/{name}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{accept}");
        let header = |h: &str| {
            response
                .headers()
                .get(h)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        assert_eq!(header("content-encoding").as_deref(), encoding, "{accept}");
        assert_eq!(
            header("content-type").as_deref(),
            Some("application/wasm"),
            "{accept}"
        );
        assert!(header("vary")
            .unwrap_or_default()
            .to_lowercase()
            .contains("accept-encoding"));
        assert_eq!(
            header("cache-control").as_deref(),
            Some("public, max-age=31536000, immutable")
        );
        assert_eq!(response.text().await.unwrap(), body, "{accept}");
    }
    // Without a twin, the plain file (which the middleware may still compress for small files).
    let response = fetch("identity", "/style-0123456789abcdef.css".into()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), "body{}");
    // A missing asset is the app's not-found page, not a server error.
    let response = fetch("br", "/app-ffffffffffffffff.js".into()).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // The twins themselves are not a way around the route.
    let response = fetch("identity", "/.hidden.js".into()).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

/// Tables that grow with the site: a list endpoint never reads one of them whole.
const LARGE_TABLES: &[&str] = &[
    "papers",
    "summaries",
    "votes",
    "comments",
    "users",
    "authors",
    "paper_authors",
    "keywords",
    "paper_keywords",
    "venues",
    "summary_revisions",
    "venue_year_counts",
    "follows",
    "notifications",
    "flags",
    "author_claims",
    "moderation_log",
];

/// The plan of one captured statement, as text lines.
fn plan(conn: &mut shortscience_server::db::DbConn, sql: &str) -> Result<Vec<String>, String> {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    use diesel::sql_types::Text;
    use shortscience_server::db::DbConn;

    #[derive(QueryableByName)]
    struct SqlitePlan {
        #[diesel(sql_type = Text)]
        detail: String,
    }
    #[derive(QueryableByName)]
    struct PgPlan {
        #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
        line: String,
    }
    match conn {
        DbConn::Sqlite(c) => diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
            .load::<SqlitePlan>(c)
            .map(|rows| rows.into_iter().map(|r| r.detail).collect())
            .map_err(|e| e.to_string()),
        DbConn::Pg(c) => {
            // The generic plan (what any parameters get), with sequential scans priced out so
            // that a tiny test table still shows whether an index can serve the query.
            let params = (1..=99)
                .rev()
                .find(|n| sql.contains(&format!("${n}")))
                .unwrap_or(0);
            let args = vec!["NULL"; params].join(", ");
            let explain = if params == 0 {
                String::new()
            } else {
                format!("({args})")
            };
            c.batch_execute(&format!(
                "SET enable_seqscan = off; SET plan_cache_mode = force_generic_plan; \
                 DEALLOCATE ALL; PREPARE checked AS {sql}"
            ))
            .map_err(|e| e.to_string())?;
            let lines = diesel::sql_query(format!("EXPLAIN EXECUTE checked{explain}"))
                .load::<PgPlan>(c)
                .map(|rows| rows.into_iter().map(|r| r.line).collect())
                .map_err(|e| e.to_string());
            c.batch_execute("DEALLOCATE ALL; RESET enable_seqscan; RESET plan_cache_mode")
                .map_err(|e| e.to_string())?;
            lines
        }
    }
}

/// The large table a plan line reads whole, if any.
fn full_scan(line: &str) -> Option<String> {
    let line = line.trim_start_matches([' ', '-', '>']);
    let table = if let Some(rest) = line.strip_prefix("SCAN ") {
        // SQLite: `SCAN t` reads it all; `SCAN t USING (COVERING) INDEX i` walks an index.
        (!rest.contains(" USING ")).then(|| rest.split_whitespace().next().unwrap_or(""))
    } else if let Some(rest) = line.strip_prefix("Seq Scan on ") {
        rest.split_whitespace().next()
    } else {
        None
    }?;
    LARGE_TABLES.contains(&table).then(|| table.to_owned())
}

backend_test! {
    async fn every_list_endpoint_reads_through_an_index(app, Options::demo()) {
        let key = shortscience_server::db::statements::database_key(&app.database_url.to_string());
        shortscience_server::db::statements::capture(key);
        let venue: serde_json::Value = app.get_json("/api/v1/venues").await;
        let venue = venue["items"][0]["slug"].as_str().unwrap().to_owned();
        let keyword: serde_json::Value = app.get_json("/api/v1/keywords").await;
        let keyword = keyword["items"][0]["slug"].as_str().map(str::to_owned)
            .or_else(|| keyword[0]["slug"].as_str().map(str::to_owned))
            .unwrap_or_else(|| panic!("a keyword in {keyword}"));
        let paper: serde_json::Value = app.get_json("/api/v1/papers?limit=1").await;
        let author = paper["items"][0]["authors"][0]["id"].as_i64().unwrap();
        let summary: serde_json::Value = app.get_json("/api/v1/summaries?sort=new&limit=1").await;
        let user = summary["items"][0]["author"]["username"].as_str().map(str::to_owned);
        let mut paths = vec![
            "/api/v1/years".to_owned(),
            format!("/api/v1/venues/{venue}"),
            format!("/api/v1/keywords/{keyword}"),
            format!("/api/v1/authors/{author}"),
        ];
        for sort in ["new", "recent", "summaries", "top"] {
            paths.push(format!("/api/v1/papers?sort={sort}"));
        }
        for filter in [format!("venue={venue}"), "year=2020".into(), format!("keyword={keyword}"), format!("author={author}")] {
            paths.push(format!("/api/v1/papers?{filter}"));
        }
        for feed in ["hot", "new", "top&period=month", "top&period=all"] {
            paths.push(format!("/api/v1/summaries?sort={feed}"));
        }
        if let Some(user) = &user {
            paths.push(format!("/api/v1/users/{user}"));
            paths.push(format!("/api/v1/users/{user}/summaries"));
            paths.push(format!("/api/v1/users/{user}/comments"));
        }
        paths.push("/api/v1/moderation".to_owned());
        // A reader's own lists: what they follow, the feed of it and their notifications.
        let reader = app.register("plan_reader").await;
        let mut follows = vec![format!("venue/{venue}"), format!("keyword/{keyword}")];
        follows.extend(user.map(|u| format!("user/{u}")));
        for follow in &follows {
            let response = app.send(reqwest::Method::PUT, &format!("/api/v1/me/follows/{follow}"), None, Some(&reader.access)).await;
            assert!(response.status().is_success(), "PUT /me/follows/{follow}: {}", response.status());
        }
        let mine = ["/api/v1/me/follows", "/api/v1/me/feed", "/api/v1/me/notifications"];
        let token = |path: &str| mine.contains(&path.split('?').next().unwrap_or(path)).then_some(reader.access.as_str());
        paths.extend(mine.iter().map(|p| (*p).to_owned()));
        for path in &paths {
            let response = app.send(reqwest::Method::GET, path, None, token(path)).await;
            assert_eq!(response.status(), StatusCode::OK, "GET {path}");
            // The next page too, where there is one.
            let body: serde_json::Value = response.json().await.unwrap();
            if let Some(cursor) = body["next_cursor"].as_str() {
                let sep = if path.contains('?') { '&' } else { '?' };
                let next = app.send(reqwest::Method::GET, &format!("{path}{sep}cursor={cursor}"), None, token(path)).await;
                assert_eq!(next.status(), StatusCode::OK, "GET {path} (page 2)");
            }
        }
        let captured = shortscience_server::db::statements::take_capture(key);
        let selects: Vec<_> = captured.iter().filter(|sql| {
            let s = sql.trim_start().to_ascii_uppercase();
            (s.starts_with("SELECT") || s.starts_with("WITH")) && !s.contains("SQLITE_MASTER")
        }).collect();
        assert!(selects.len() >= paths.len(), "{} statements captured for {} requests", selects.len(), paths.len());
        let mut scans = Vec::new();
        app.with_conn(|conn| {
            for sql in &selects {
                let lines = plan(conn, sql).unwrap_or_else(|e| panic!("EXPLAIN failed: {e}\n{sql}"));
                // SQLite's `SCAN t` with no sort after it walks t in rowid order: with
                // `ORDER BY t.id` and a LIMIT it stops after the page, like an index walk.
                let sorted_by_rowid = |table: &str| {
                    sql.contains(&format!("ORDER BY `{table}`.`id`"))
                        && sql.contains("LIMIT")
                        && !lines.iter().any(|l| l.contains("TEMP B-TREE"))
                };
                // A whole index walked and then sorted reads everything too.
                let sorted = lines.iter().any(|l| l.contains("USE TEMP B-TREE FOR ORDER BY"));
                let walked = lines.iter().filter_map(|l| {
                    let rest = l.trim_start_matches([' ', '-', '>']).strip_prefix("SCAN ")?;
                    let table = rest.split_whitespace().next()?;
                    (sorted && LARGE_TABLES.contains(&table)).then(|| table.to_owned())
                });
                for table in lines.iter().filter_map(|l| full_scan(l)).filter(|t| !sorted_by_rowid(t)).chain(walked) {
                    scans.push(format!("{table}: {sql}\n  {}", lines.join("\n  ")));
                }
            }
        });
        assert!(scans.is_empty(), "full scans of large tables:\n{}", scans.join("\n\n"));
    }
}

backend_test! {
    async fn a_vote_moves_its_papers_top_score_through_an_index(app) {
        let ada = app.register("ada").await;
        let bob = app.register("bob").await;
        let carol = app.register("carol").await;
        let older = paper(&app, &ada, "Voted Up Later").await;
        let first = summary(&app, &ada, older, "The older paper.").await;
        let newer = paper(&app, &ada, "Added Last").await;
        let second = summary(&app, &ada, newer, "The newer paper.").await;
        assert_eq!(vote(&app, &bob, second, 1).await.status(), StatusCode::OK);
        let top = |page: serde_json::Value| page["items"][0]["id"].as_i64();

        let key = statements::database_key(&app.database_url.to_string());
        statements::capture(key);
        for voter in [&bob, &carol] {
            assert_eq!(vote(&app, voter, first, 1).await.status(), StatusCode::OK);
        }
        let captured = statements::take_capture(key);
        assert_eq!(top(app.get_json("/api/v1/papers?sort=top").await), Some(older), "score 2 leads");
        // The site totals (home page, /stats) read an index alone, whichever the planner takes.
        statements::capture(key);
        let stats: serde_json::Value = app.get_json("/api/v1/stats").await;
        assert_eq!(stats["public_summaries"], 2);
        let totals = statements::take_capture(key);
        let distinct = totals.iter().find(|sql| sql.contains("count(DISTINCT author_id)"))
            .unwrap_or_else(|| panic!("no totals read among {totals:#?}")).clone();
        // Withdrawn votes bring the top score down again.
        for voter in [&bob, &carol] {
            assert_eq!(vote(&app, voter, first, 0).await.status(), StatusCode::OK);
        }
        assert_eq!(top(app.get_json("/api/v1/papers?sort=top").await), Some(newer), "score 1 leads again");

        // The paper's top score is one read of the index, not of the paper's summaries' rows.
        let reads: Vec<&String> = captured.iter()
            .filter(|sql| sql.to_ascii_lowercase().contains("max(") && sql.contains("paper_id"))
            .collect();
        assert!(!reads.is_empty(), "no top-score read among {captured:#?}");
        app.with_conn(|conn| {
            for sql in reads {
                let lines = plan(conn, sql).unwrap_or_else(|e| panic!("EXPLAIN failed: {e}\n{sql}"));
                assert!(lines.iter().any(|l| l.contains("summaries_public_paper_idx")), "{sql}\n{lines:#?}");
                assert!(!lines.iter().any(|l| l.contains("Seq Scan") || l.trim_start_matches([' ', '-']).starts_with("SCAN summaries")), "{lines:#?}");
            }
            // Last: on PostgreSQL, `plan` drops the connection's prepared statements.
            let lines = plan(conn, &distinct).unwrap();
            if matches!(app.backend, Backend::Sqlite) {
                assert!(lines.iter().any(|l| l.contains("COVERING INDEX")), "{lines:#?}");
            }
        });
    }
}

backend_test! {
    async fn readers_who_find_the_site_totals_stale_together_count_them_once(app) {
        let ada = app.register("ada").await;
        let key = statements::database_key(&app.database_url.to_string());
        statements::capture(key);
        // Signed in, so that the read cache stays out of it and every request reaches the handler.
        let requests = (0..16).map(|_| {
            app.client.get(app.url("/api/v1/stats")).bearer_auth(&ada.access).send()
        });
        for response in futures_util::future::join_all(requests).await {
            assert_eq!(response.unwrap().status(), StatusCode::OK);
        }
        let counts = statements::take_capture(key)
            .iter()
            .filter(|sql| sql.contains("count(DISTINCT author_id)"))
            .count();
        assert_eq!(counts, 1, "16 readers at once counted the totals {counts} times");
    }
}

backend_test! {
    async fn the_feed_and_the_votes_statements_are_prepared_once_per_connection(app) {
        use shortscience_server::db::models::{papers, summaries};
        use shortscience_server::db::{Access, DbConn, Manager};
        let ada = app.register("ada").await;
        let bob = app.register("bob").await;
        let id = paper(&app, &ada, "Prepared Once").await;
        let first = summary(&app, &ada, id, "Worth a vote.").await;
        assert_eq!(vote(&app, &bob, first, 1).await.status(), StatusCode::OK);
        let bob_id = app.with_conn(|c| {
            shortscience_server::db::models::accounts::find_by_username(c, "bob").unwrap().unwrap().id
        });

        // A fresh connection has nothing cached: every statement run on it is either prepared
        // into its cache or prepared anew each time (a `sql` literal: the public-summaries
        // predicate was one, so every feed and every vote's top-score read was parsed again).
        let mut conn: DbConn = Manager::new(app.database_url.clone(), Access::ReadWrite).establish().unwrap();
        let (feed, ran, cached) = statements::count_cached(|| {
            summaries::feed(&mut conn, shortscience_types::FeedSort::Hot, None, None, 20).unwrap()
        });
        assert_eq!(feed.len(), 1);
        assert!(ran >= 1, "the instrumentation counts nothing");
        assert_eq!(cached, ran, "the hot feed ran {ran} statements, {cached} of them kept prepared");
        // The lists whose partial indexes want a literal condition or ordering.
        let (_, ran, cached) = statements::count_cached(|| {
            use shortscience_server::db::models::{keywords, venues};
            venues::list_with_counts(&mut conn).unwrap();
            keywords::keywords_with_counts(&mut conn, 10).unwrap();
            let recent = papers::list(&mut conn, &Default::default(), shortscience_types::PaperSort::Recent, None, 20).unwrap();
            assert_eq!(recent.len(), 1);
        });
        assert_eq!(cached, ran, "the venue, keyword and paper lists ran {ran} statements, {cached} of them kept prepared");

        // What a vote's transaction writes (diesel never caches its own UPDATE statements).
        let (summary, _) = summaries::find(&mut conn, shortscience_types::SummaryId(first)).unwrap().unwrap();
        let ((), ran, cached) = statements::count_cached(|| {
            summaries::set_votes(&mut conn, summary.id, 1, 0, summary.hot, summary.rank).unwrap();
            papers::refresh_top_score(&mut conn, PaperId(id)).unwrap();
            if let DbConn::Sqlite(_) = conn {
                summaries::prefetch_vote(&mut conn, &summary, bob_id).unwrap();
            }
        });
        assert_eq!(cached, ran, "a vote's updates and prefetch ran {ran} statements, {cached} of them kept prepared");
        // Run again, nothing new is prepared.
        let ((), _, again) = statements::count_cached(|| {
            summaries::set_votes(&mut conn, summary.id, 1, 0, summary.hot, summary.rank).unwrap();
            papers::refresh_top_score(&mut conn, PaperId(id)).unwrap();
        });
        assert_eq!(again, 0, "the second refresh prepared its statements again");
    }
}

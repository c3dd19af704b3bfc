//! Several server processes on one database behave as one service: one rate-limit budget, feed
//! paging across processes, one arXiv queue and one request per record; and the operations
//! around them: readiness, read-only mode, storage failures, export/import/copy, request ids.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use shortscience_server::domain::limits::{Limit, RateLimitConfig};
use shortscience_server::domain::upstream::UpstreamConfig;
use shortscience_types::{Health, Liveness, PaperDetail, PaperPage, SummaryPage};

use crate::fake_upstream::*;
use crate::helpers::*;
use crate::summaries::{
    assert_each_once, lift_unseen, paper, register_many, same_age_summaries, summary, vote,
};

backend_test! {
    async fn failed_logins_spread_over_processes_share_one_budget(app, Options {
        rate_limits: Some(RateLimitConfig { login: Limit::new(6, Duration::from_secs(60)), ..RateLimitConfig::relaxed() }),
        ..Options::default()
    }) {
        let limits = RateLimitConfig { login: Limit::new(6, Duration::from_secs(60)), ..RateLimitConfig::relaxed() };
        let other = app.sibling(Options { rate_limits: Some(limits), ..Options::default() }).await;
        app.register("target").await;
        let mut statuses = Vec::new();
        for i in 0..12 {
            let node = if i % 2 == 0 { &app } else { &other };
            statuses.push(node.login("target", "wrong password!!").await.status().as_u16());
        }
        assert_eq!(statuses.iter().filter(|s| **s == 401).count(), 6, "{statuses:?}");
        assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 6, "{statuses:?}");
    }
}

backend_test! {
    async fn a_session_made_on_one_process_works_on_another(app) {
        let other = app.sibling(Options::default()).await;
        let ada = app.register("ada").await;
        let me: shortscience_types::Me = other.get_json_as("/api/v1/me", &ada.access).await;
        assert_eq!(me.username, "ada");
        let refreshed = other.refresh_with(&ada.refresh).await;
        assert_eq!(refreshed.status(), StatusCode::OK);
        // The rotated-away token is spent everywhere.
        assert_eq!(app.refresh_with(&ada.refresh).await.status(), StatusCode::UNAUTHORIZED);
    }
}

backend_test! {
    async fn paging_hot_across_processes_neither_repeats_nor_skips_while_votes_reorder(app) {
        let other = app.sibling(Options::default()).await;
        let voters = register_many(&app, "shaker", 6).await;
        let ids = same_age_summaries(&app, "shared", 9).await;
        let first: SummaryPage = app.get_json("/api/v1/summaries?sort=hot&limit=2").await;
        let mut seen: Vec<i64> = first.items.iter().map(|s| s.summary.id.0).collect();
        let mut cursor = first.next_cursor;
        let mut round = 0;
        while let Some(c) = cursor {
            // Lift an unseen summary above everything, on the other process.
            lift_unseen(&other, voters.iter().skip(round % 4).take(2), &ids, &seen).await;
            round += 1;
            let node = if round % 2 == 0 { &app } else { &other };
            let page: SummaryPage = node.get_json(&format!("/api/v1/summaries?sort=hot&limit=2&cursor={c}")).await;
            seen.extend(page.items.iter().map(|s| s.summary.id.0));
            cursor = page.next_cursor;
        }
        assert_each_once(&seen, &ids, "hot");
    }
}

backend_test! {
    async fn a_recent_snapshot_serves_new_readers_for_its_reuse_window(app, Options {
        feed: Some(shortscience_server::domain::feed::FeedSettings { reuse: Duration::from_secs(60), ..Default::default() }),
        ..Options::default()
    }) {
        let writers = register_many(&app, "early", 3).await;
        let voters = register_many(&app, "fan", 3).await;
        let mut ids = Vec::new();
        for (i, writer) in writers.iter().enumerate() {
            let paper = paper(&app, writer, &format!("Window Paper {i}")).await;
            ids.push(summary(&app, writer, paper, &format!("window {i}")).await);
        }
        let before: SummaryPage = app.get_json("/api/v1/summaries?sort=top").await;
        let order: Vec<i64> = before.items.iter().map(|s| s.summary.id.0).collect();
        let last = *order.last().unwrap();
        for voter in &voters {
            vote(&app, voter, last, 1).await;
        }
        let after: SummaryPage = app.get_json("/api/v1/summaries?sort=top").await;
        assert_eq!(after.items.iter().map(|s| s.summary.id.0).collect::<Vec<_>>(), order, "the order of the window");
        let lifted = after.items.iter().find(|s| s.summary.id.0 == last).unwrap();
        assert_eq!(lifted.summary.score, 3, "scores are current");
        // `new` is never frozen.
        let newest: SummaryPage = app.get_json("/api/v1/summaries?sort=new&limit=1").await;
        assert_eq!(newest.items[0].summary.id.0, *ids.last().unwrap());
    }
}

const PAPER: AtomPaper<'static> = AtomPaper {
    id: "2003.10555v1",
    title: "ELECTRA",
    authors: &["Kevin Clark"],
    categories: &["cs.CL"],
    doi: None,
    journal_ref: None,
};

fn paced(fake: FakeUpstream) -> Options {
    Options {
        upstream: Some(fake),
        upstream_config: Some(UpstreamConfig {
            timeout: Duration::from_secs(5),
            arxiv_interval: Duration::from_millis(1000),
            ..UpstreamConfig::default()
        }),
        ..Options::default()
    }
}

backend_test! {
    async fn arxiv_is_paced_across_processes_and_one_record_is_asked_once(app, paced(FakeUpstream::start().await)) {
        let fake = app.fake();
        let other = app.sibling(paced(fake.clone())).await;
        let ids = ["2003.10001", "2003.10002", "2003.10003"];
        for id in ids {
            let version = format!("{id}v1");
            fake.arxiv(id, Canned::atom(atom_feed(&AtomPaper { id: Box::leak(version.into_boxed_str()), ..PAPER })));
        }
        let shared = "2003.10004";
        fake.arxiv(shared, Canned::atom(atom_feed(&AtomPaper { id: "2003.10004v1", ..PAPER })).delayed(Duration::from_millis(300)));
        let user = app.register("importer").await;
        let mut handles = Vec::new();
        for (i, id) in ids.iter().chain(std::iter::repeat_n(&shared, 8)).enumerate() {
            let node = if i % 2 == 0 { &app } else { &other };
            let request = node.client.post(node.url("/api/v1/papers/import")).bearer_auth(&user.access).json(&json!({"arxiv": id}));
            handles.push(actix_web::rt::spawn(async move { request.send().await.unwrap().status().as_u16() }));
        }
        for handle in handles {
            let status = handle.await.unwrap();
            assert!(status == 200 || status == 201, "{status}");
        }
        let seen = fake.seen();
        let for_shared = seen.iter().filter(|s| s.query.contains(shared)).count();
        assert_eq!(for_shared, 1, "eight imports of one id, one request");
        let mut times: Vec<_> = seen.iter().map(|s| s.at).collect();
        times.sort();
        assert_eq!(times.len(), 4);
        for pair in times.windows(2) {
            assert!(pair[1] - pair[0] >= Duration::from_millis(900), "requests {:?} apart", pair[1] - pair[0]);
        }
        let page: PaperPage = app.get_json("/api/v1/papers?limit=100").await;
        assert_eq!(page.items.len(), 4, "one paper per id");
    }
}

backend_test! {
    async fn liveness_needs_no_database_and_readiness_writes(app) {
        let live: Liveness = app.get_json("/api/v1/health/live").await;
        assert_eq!(live.status, "ok");
        let ready: Health = app.get_json("/api/v1/health").await;
        assert_eq!(ready.status, "ok");
    }
}

backend_test! {
    async fn read_only_mode_serves_reads_and_refuses_writes_with_503(app) {
        let ada = app.register("ada").await;
        let paper = paper(&app, &ada, "Before Maintenance").await;
        let reader = app.sibling(Options { read_only: true, ..Options::default() }).await;
        let health: Health = reader.get_json("/api/v1/health").await;
        assert_eq!(health.status, "read_only");
        let detail: PaperDetail = reader.get_json(&format!("/api/v1/papers/{paper}")).await;
        assert_eq!(detail.title, "Before Maintenance");
        let me: shortscience_types::Me = reader.get_json_as("/api/v1/me", &ada.access).await;
        assert_eq!(me.username, "ada");
        let hot: SummaryPage = reader.get_json("/api/v1/summaries?sort=hot").await;
        assert!(hot.items.is_empty());
        let write = reader.post_json("/api/v1/papers", &json!({"title": "During", "authors": ["X"]}), Some(&ada.access)).await;
        assert_eq!(write.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned()), Some("30".to_owned()));
        assert_problem(write, StatusCode::SERVICE_UNAVAILABLE, "storage_unavailable").await;
        let page: PaperPage = app.get_json("/api/v1/papers").await;
        assert_eq!(page.items.len(), 1, "nothing was written");
    }
}

backend_test! {
    async fn problems_carry_the_request_id_of_the_log(app) {
        let response = app.get("/api/v1/papers/999999").await;
        let header = response.headers().get("x-request-id").map(|v| v.to_str().unwrap().to_owned()).expect("an id");
        let problem = assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
        assert_eq!(problem.request_id.as_deref(), Some(header.as_str()));
        assert_eq!(problem.instance.as_deref(), Some("/api/v1/papers/999999"));
    }
}

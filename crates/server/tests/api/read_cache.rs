//! The signed-out read cache (`http::read_cache`) seen from outside: what it keeps and for whom,
//! how long another process's write takes to show, and one build per entry however many
//! readers arrive together.

use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;
use crate::summaries::{paper, summary, write};

/// The `X-Cache` header of an answer ("HIT", "MISS"), or "" when the cache stayed out of it.
fn cache_state(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("x-cache")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

backend_test! {
    async fn signed_out_reads_are_reused_for_a_bounded_time_and_never_for_a_named_viewer(app, Options { read_cache_ms: 700, ..Options::default() }) {
        const FEED: &str = "/api/v1/summaries?sort=new";
        let ttl = std::time::Duration::from_millis(700);
        let ada = app.register("ada").await;
        let first = paper(&app, &ada, "Cached Once").await;
        // Long enough (over 512 bytes of JSON) for the cache to keep compressed copies.
        let long = "The first. It explains the paper's method in some detail, then its results. ".repeat(6);
        assert_eq!(write(&app, &ada, first, json!({"body_markdown": long})).await.status(), StatusCode::CREATED);
        let other = app.sibling(Options { read_cache_ms: 700, ..Options::default() }).await;

        let miss = app.get(FEED).await;
        assert_eq!(cache_state(&miss), "MISS");
        let etag = miss.headers()["etag"].clone();
        let body = miss.text().await.unwrap();
        let hit = app.get(FEED).await;
        assert_eq!(cache_state(&hit), "HIT");
        assert_eq!(hit.headers()["etag"], etag);
        assert_eq!(hit.text().await.unwrap(), body, "a hit is the same answer");
        // Hits carry their own compressed copies, which decode to the same answer.
        for coding in ["br", "gzip"] {
            let encoded = app.client.get(app.url(FEED)).header("accept-encoding", coding).send().await.unwrap();
            assert_eq!(cache_state(&encoded), "HIT");
            assert_eq!(encoded.headers()["content-encoding"], coding);
            assert!(encoded.headers().get_all("vary").iter().any(|v| v.to_str().unwrap_or("").to_ascii_lowercase().contains("accept-encoding")));
            let bytes = encoded.bytes().await.unwrap();
            assert!(bytes.len() < body.len(), "{coding}: {} of {} bytes", bytes.len(), body.len());
            let mut decoded = String::new();
            use std::io::Read as _;
            if coding == "br" {
                brotli::Decompressor::new(&bytes[..], 4096).read_to_string(&mut decoded).unwrap();
            } else {
                flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut decoded).unwrap();
            }
            assert_eq!(decoded, body, "{coding} decodes to the answer");
        }
        let revalidated = app.client.get(app.url(FEED)).header("if-none-match", etag.clone()).send().await.unwrap();
        assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED);

        // A named viewer, or a share token, is never served from it.
        let mine = app.client.get(app.url(FEED)).bearer_auth(&ada.access).send().await.unwrap();
        assert_eq!(cache_state(&mine), "");
        let mine: serde_json::Value = mine.json().await.unwrap();
        assert_eq!(mine["items"][0]["mine"], true);
        // An answer made per request (here for a named viewer) is compressed with gzip, never
        // brotli: actix's brotli encoder (a 4 MiB window per answer) made the uncached hot feed
        // 3.3x slower and the server's peak memory 4x larger (docs/architecture.md).
        let browser = app.client.get(app.url(FEED)).bearer_auth(&ada.access)
            .header("accept-encoding", "gzip, deflate, br, zstd").send().await.unwrap();
        assert_eq!(cache_state(&browser), "");
        assert_eq!(browser.headers()["content-encoding"], "gzip");
        let shared = app.client.get(app.url(FEED)).header("x-share-token", "x").send().await.unwrap();
        assert_eq!(cache_state(&shared), "");
        assert_eq!(cache_state(&app.get("/api/v1/health").await), "", "health is never cached");

        // A write through another process reaches this one's signed-out readers within the ttl.
        let bob = other.register("bob").await;
        let second = paper(&other, &bob, "Written Elsewhere").await;
        assert_eq!(write(&other, &bob, second, json!({"body_markdown": "The second."})).await.status(), StatusCode::CREATED);
        let written = std::time::Instant::now();
        let shows_second = |page: &serde_json::Value| page["items"].as_array().unwrap().iter().any(|s| s["paper"]["id"] == second);
        loop {
            let page: serde_json::Value = app.get_json(FEED).await;
            if shows_second(&page) {
                break;
            }
            assert!(written.elapsed() < ttl + std::time::Duration::from_millis(500), "still stale after {:?}", written.elapsed());
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }

        // A write through this process: its signed-out readers see it at once.
        let warm = app.get(FEED).await;
        assert_eq!(cache_state(&warm), "HIT");
        let third = paper(&app, &ada, "Written Here").await;
        assert_eq!(write(&app, &ada, third, json!({"body_markdown": "The third."})).await.status(), StatusCode::CREATED);
        let fresh = app.client.get(app.url(FEED)).header("accept-encoding", "gzip").send().await.unwrap();
        assert_eq!(cache_state(&fresh), "MISS");
        // The reader who filled the entry gets its copy too (no per-request encoder).
        assert_eq!(fresh.headers()["content-encoding"], "gzip");
        let bytes = fresh.bytes().await.unwrap();
        let mut decoded = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut decoded).unwrap();
        let plain = app.get(FEED).await;
        assert_eq!(cache_state(&plain), "HIT");
        assert_eq!(plain.text().await.unwrap(), decoded);
        let fresh: serde_json::Value = serde_json::from_str(&decoded).unwrap();
        assert_eq!(fresh["items"][0]["paper"]["id"], third);
    }
}

backend_test! {
    async fn readers_arriving_together_at_a_missing_entry_share_one_build(app, Options { read_cache_ms: 60_000, ..Options::default() }) {
        const HOT: &str = "/api/v1/summaries?sort=hot";
        let ada = app.register("ada").await;
        for title in ["One Build", "For Many Readers"] {
            let id = paper(&app, &ada, title).await;
            summary(&app, &ada, id, "Read by many at once.").await;
        }
        let snapshots = || app.with_conn(|c| {
            use shortscience_server::db::schema::feed_snapshots::dsl::*;
            feed_snapshots.count().get_result::<i64>(c).unwrap()
        });
        let before = snapshots();
        let responses = futures_util::future::join_all((0..24).map(|_| app.get(HOT))).await;
        let mut states = Vec::new();
        let mut bodies = std::collections::BTreeSet::new();
        for response in responses {
            assert_eq!(response.status(), StatusCode::OK);
            states.push(cache_state(&response));
            bodies.insert(response.text().await.unwrap());
        }
        assert_eq!(states.iter().filter(|s| *s == "MISS").count(), 1, "{states:?}");
        assert_eq!(states.iter().filter(|s| *s == "HIT").count(), 23, "{states:?}");
        assert_eq!(bodies.len(), 1, "the readers were sent different answers");
        // The hot feed's first page stores a snapshot when it is built: once, not per reader.
        assert_eq!(snapshots() - before, 1, "snapshots stored by 24 readers of one page");
    }
}

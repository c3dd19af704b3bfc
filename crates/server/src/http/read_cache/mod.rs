//! A short-lived cache of what signed-out readers are sent (issue 11, "anonymous read caching").
//!
//! Every signed-out reader of a public page gets the same bytes, so for a moment they can be
//! reused instead of rebuilt: the hot feed's first page, the paper lists, a paper, the venue list,
//! the server-rendered app pages and the RSS/Atom feeds. Each process keeps its own entries for
//! at most `ttl` (`--read-cache-ms`, default 2,000 ms), which is the bound on staleness across
//! processes: a write on one process reaches signed-out readers of every other process within
//! `ttl`. A process forgets all its entries as soon as it accepts a write itself, so a single
//! process never shows its writer's readers an older page. Nothing here has to be shared for
//! correctness: a miss rebuilds the answer from the database, which is the one source of truth.
//! An entry's age counts from the moment its answer began to be built.
//!
//! One request builds a missing entry while the others for it wait for its answer, and an entry
//! in the last quarter of its life is rebuilt by one request while the others are still served
//! it (`store` has the why and the figures).
//!
//! What is never cached: requests that name a viewer (`Authorization`) or open a private summary
//! (`X-Share-Token`), conditional requests by date (`If-Modified-Since`, answered by the
//! handler), answers other than 200, answers that set cookies or say `no-store`/`private`, and
//! paths outside [`CACHEABLE`]. Entries are keyed by the whole URI and by what else changes an
//! answer: `Host` and the scheme (canonical links are built from them when no public URL is
//! configured) and `Accept`.

use std::sync::Arc;
use std::time::Duration;

use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::HttpResponse;

use crate::http::extract::{Proxies, SHARE_TOKEN_HEADER};

mod entry;
mod store;

use entry::Entry;
pub use store::ReadCache;
use store::{Lookup, Waited, BUILD_WAIT};

/// The default time an entry is reused for, and so the bound on what a signed-out reader of
/// another process may miss.
pub const DEFAULT_TTL: Duration = Duration::from_millis(2_000);
/// Answers larger than this are not kept (a feed page is ~20 KB, a paper ~10 KB).
const MAX_ENTRY_BYTES: usize = 256 * 1024;

/// Path prefixes whose signed-out answers are the same for every signed-out reader (`/` alone
/// is matched exactly). Health, accounts, `/me`, moderation and the static assets (served from
/// files with their own validators) are not among them.
const CACHEABLE: &[&str] = &[
    "/api/v1/summaries",
    "/api/v1/papers",
    "/api/v1/venues",
    "/api/v1/years",
    "/api/v1/keywords",
    "/api/v1/authors",
    "/api/v1/users/",
    "/api/v1/search",
    "/api/v1/stats",
    "/feeds/",
    "/papers/",
    "/summaries/",
    "/venues",
    "/keywords",
    "/users/",
    "/search",
];

/// What the cache says it did, in the `X-Cache` header of the answers it could serve.
const X_CACHE: HeaderName = HeaderName::from_static("x-cache");

fn cacheable_path(path: &str) -> bool {
    path == "/" || CACHEABLE.iter().any(|prefix| path.starts_with(prefix))
}

/// The cache key of a request a signed-out reader could share, or `None`.
fn key_of(req: &ServiceRequest) -> Option<String> {
    let headers = req.headers();
    if req.method() != Method::GET
        || !cacheable_path(req.path())
        || headers.contains_key(header::AUTHORIZATION)
        || headers.contains_key(SHARE_TOKEN_HEADER)
        || headers.contains_key(header::IF_MODIFIED_SINCE)
    {
        return None;
    }
    let text = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let https = Proxies::of(req.request()).is_https(req.request());
    Some(format!(
        "{}|{}|{}|{}",
        if https { "https" } else { "http" },
        text(header::HOST),
        text(header::ACCEPT),
        req.uri()
    ))
}

/// Whether an `If-None-Match` header names this tag (weak comparison, as RFC 9110 asks of GET).
fn matches(if_none_match: Option<&HeaderValue>, etag: Option<&HeaderValue>) -> bool {
    let (Some(given), Some(etag)) = (
        if_none_match.and_then(|v| v.to_str().ok()),
        etag.and_then(|v| v.to_str().ok()),
    ) else {
        return false;
    };
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    given
        .split(',')
        .any(|t| t.trim() == "*" || bare(t) == bare(etag))
}

fn storable(headers: &HeaderMap) -> bool {
    if headers.contains_key(header::SET_COOKIE) {
        return false;
    }
    !headers
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("no-store") || v.contains("private"))
}

fn replay(
    req: ServiceRequest,
    entry: &Entry,
    if_none_match: Option<&HeaderValue>,
) -> ServiceResponse<BoxBody> {
    let age = entry.stored.elapsed().as_secs().to_string();
    if matches(if_none_match, entry.etag.as_ref()) {
        let mut not_modified = HttpResponse::NotModified();
        for (name, value) in &entry.headers {
            if name == header::ETAG || name == header::CACHE_CONTROL {
                not_modified.insert_header((name.clone(), value.clone()));
            }
        }
        not_modified.insert_header((X_CACHE, "HIT"));
        not_modified.insert_header((header::AGE, age));
        return req.into_response(not_modified.finish());
    }
    let mut ok = HttpResponse::build(StatusCode::OK);
    for (name, value) in &entry.headers {
        ok.append_header((name.clone(), value.clone()));
    }
    ok.insert_header((X_CACHE, "HIT"));
    ok.insert_header((header::AGE, age));
    let (body, encoding) = entry.body_for(req.headers().get(header::ACCEPT_ENCODING));
    for (name, value) in encoding {
        ok.append_header((name, value));
    }
    req.into_response(ok.body(body))
}

/// Middleware (`from_fn`, inside compression): serves an entry, has one request build a missing
/// or ageing entry while the others wait for it or keep the old one (`store`), keeps the answers
/// it may, and forgets everything when this process accepts a write.
pub async fn serve(
    cache: Arc<ReadCache>,
    mut req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let key = if cache.enabled() { key_of(&req) } else { None };
    let Some(key) = key else {
        let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
        let response = next.call(req).await?;
        if !safe && (response.status().is_success() || response.status().is_redirection()) {
            cache.clear();
        }
        return Ok(response);
    };
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let accept_encoding = req.headers().get(header::ACCEPT_ENCODING).cloned();
    // A build that ends without an entry sends its waiters to look once more: to wait for the
    // next build (after a write here) or to find the key passed (an answer not kept).
    let mut looked_again = false;
    let ticket = loop {
        match cache.lookup(key.clone()) {
            Lookup::Hit(entry) => return Ok(replay(req, &entry, if_none_match.as_ref())),
            Lookup::Wait(receiver) => match store::wait(receiver, cache.ttl(), BUILD_WAIT).await {
                Waited::Entry(entry) => return Ok(replay(req, &entry, if_none_match.as_ref())),
                Waited::Dropped if !looked_again => looked_again = true,
                // The handler answers, as if uncached.
                Waited::Dropped | Waited::TooLate => return next.call(req).await,
            },
            Lookup::Build(ticket) => break ticket,
        }
    };
    // The handler answers conditional requests itself; the answer to keep is the full one.
    req.headers_mut().remove(header::IF_NONE_MATCH);
    // Dropping the ticket on the way out (an error, a client gone) releases the waiters.
    let response = next.call(req).await?;
    let small = matches!(response.response().body().size(),
        body::BodySize::Sized(n) if n <= MAX_ENTRY_BYTES as u64);
    if response.status() != StatusCode::OK || !storable(response.headers()) || !small {
        ticket.give_up();
        return Ok(response);
    }
    let (request, response) = response.into_parts();
    let (head, body) = response.into_parts();
    let bytes = body::to_bytes_limited(body, MAX_ENTRY_BYTES)
        .await
        .map_err(|_| actix_web::error::ErrorInternalServerError("answer grew while cached"))?
        .map_err(|e| actix_web::error::ErrorInternalServerError(e.to_string()))?;
    let headers: Vec<(HeaderName, HeaderValue)> = head
        .headers()
        .iter()
        .map(|(n, v)| (n.clone(), v.clone()))
        .collect();
    let entry = ticket.finish(Entry::new(headers, bytes));
    let mut head = head;
    head.headers_mut()
        .insert(X_CACHE, HeaderValue::from_static("MISS"));
    // The copy for this client is made now, once for every reader of the entry: readers
    // arriving together at an expired entry each ran an encoder of their own in `Compress`
    // (brotli with a 4 MiB window), and the app pages' load peaked at 365 MB.
    let (body, encoding) = entry.body_for(accept_encoding.as_ref());
    for (name, value) in encoding {
        head.headers_mut().append(name, value);
    }
    let mut response = ServiceResponse::new(request, head.set_body(body).map_into_boxed_body());
    // The client asked conditionally: answer as the handler would have.
    if matches(if_none_match.as_ref(), response.headers().get(header::ETAG)) {
        let (request, full) = response.into_parts();
        let mut not_modified = HttpResponse::NotModified();
        for name in [header::ETAG, header::CACHE_CONTROL] {
            if let Some(value) = full.headers().get(&name) {
                not_modified.insert_header((name, value.clone()));
            }
        }
        not_modified.insert_header((X_CACHE, "MISS"));
        response = ServiceResponse::new(request, not_modified.finish());
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_reading_paths_are_cached() {
        for path in [
            "/",
            "/api/v1/summaries",
            "/api/v1/papers/12",
            "/papers/12",
            "/feeds/summaries.rss",
        ] {
            assert!(cacheable_path(path), "{path}");
        }
        for path in [
            "/api/v1/me",
            "/api/v1/auth/login",
            "/api/v1/health",
            "/metrics",
            "/app-1.wasm",
            "/api/v1/moderation/queue",
        ] {
            assert!(!cacheable_path(path), "{path}");
        }
    }

    #[test]
    fn if_none_match_compares_weakly_and_knows_the_star() {
        let tag = HeaderValue::from_static("W/\"abc\"");
        for given in ["W/\"abc\"", "\"abc\"", "\"x\", W/\"abc\"", "*"] {
            assert!(
                matches(Some(&HeaderValue::from_static(given)), Some(&tag)),
                "{given}"
            );
        }
        assert!(!matches(
            Some(&HeaderValue::from_static("\"abd\"")),
            Some(&tag)
        ));
        assert!(!matches(None, Some(&tag)));
        assert!(!matches(Some(&HeaderValue::from_static("*")), None));
    }
}

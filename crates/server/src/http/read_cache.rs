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
//!
//! What is never cached: requests that name a viewer (`Authorization`) or open a private summary
//! (`X-Share-Token`), conditional requests by date (`If-Modified-Since`, answered by the
//! handler), answers other than 200, answers that set cookies or say `no-store`/`private`, and
//! paths outside [`CACHEABLE`]. Entries are keyed by the whole URI and by what else changes an
//! answer: `Host` and the scheme (canonical links are built from them when no public URL is
//! configured) and `Accept`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::web::Bytes;
use actix_web::HttpResponse;

use crate::http::coding::Coding;
use crate::http::extract::{Proxies, SHARE_TOKEN_HEADER};

/// The default time an entry is reused for, and so the bound on what a signed-out reader of
/// another process may miss.
pub const DEFAULT_TTL: Duration = Duration::from_millis(2_000);
/// Answers larger than this are not kept (a feed page is ~20 KB, a paper ~10 KB).
const MAX_ENTRY_BYTES: usize = 256 * 1024;
/// All entries of a process together: a bound on the memory the cache may take.
const MAX_TOTAL_BYTES: usize = 24 * 1024 * 1024;

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

/// One process's cache.
#[derive(Debug)]
pub struct ReadCache {
    ttl: Duration,
    inner: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    map: HashMap<String, Arc<Entry>>,
    bytes: usize,
}

#[derive(Debug)]
struct Entry {
    stored: Instant,
    headers: Vec<(HeaderName, HeaderValue)>,
    etag: Option<HeaderValue>,
    body: Bytes,
    /// Compressed copies, each made by the first hit that accepts it (`None` inside: not worth
    /// keeping). Without them `Compress` would encode the same bytes again on every hit.
    brotli: OnceLock<Option<Bytes>>,
    gzip: OnceLock<Option<Bytes>>,
}

impl Entry {
    fn new(headers: Vec<(HeaderName, HeaderValue)>, body: Bytes) -> Self {
        let etag = headers
            .iter()
            .find(|(name, _)| name == header::ETAG)
            .map(|(_, value)| value.clone());
        Self {
            stored: Instant::now(),
            headers,
            etag,
            body,
            brotli: OnceLock::new(),
            gzip: OnceLock::new(),
        }
    }

    /// What the entry may take from the memory bound: its key, its body, and room for copies
    /// (each kept only when at most half the body, so both together fit in one more body).
    fn cost(&self, key: &str) -> usize {
        key.len() + 2 * self.body.len()
    }

    /// Whether compressing the body could pay: text of some size, not encoded already.
    fn compressible(&self) -> bool {
        let mut content_type = None;
        for (name, value) in &self.headers {
            if name == header::CONTENT_ENCODING {
                return false;
            }
            if name == header::CONTENT_TYPE {
                content_type = value.to_str().ok();
            }
        }
        self.body.len() >= MIN_COMPRESS_BYTES
            && content_type.is_some_and(|t| {
                let t = t.to_ascii_lowercase();
                t.starts_with("text/")
                    || t.starts_with("application/json")
                    || t.starts_with("application/problem+json")
                    || t.contains("xml")
                    || t.contains("javascript")
            })
    }

    /// What to send a client whose `Accept-Encoding` is `accept_encoding`: the body or one of its
    /// copies, and the headers that say which (`Compress` leaves an answer that names its
    /// encoding alone, so a copy is never encoded again, and no encoder is started per request).
    fn body_for(
        &self,
        accept_encoding: Option<&HeaderValue>,
    ) -> (Bytes, Vec<(HeaderName, HeaderValue)>) {
        if !self.compressible() {
            return (self.body.clone(), Vec::new());
        }
        // The answer depends on Accept-Encoding whether or not this reader gets a copy.
        let mut headers = vec![(header::VARY, HeaderValue::from_static("Accept-Encoding"))];
        let copy = Coding::negotiate(accept_encoding)
            .and_then(|coding| self.encoded(coding).map(|copy| (coding, copy)));
        match copy {
            Some((coding, copy)) => {
                headers.push((
                    header::CONTENT_ENCODING,
                    HeaderValue::from_static(coding.token()),
                ));
                (copy.clone(), headers)
            }
            None => (self.body.clone(), headers),
        }
    }

    /// The body in `coding`, made on first use, or `None` when not worth sending that way: a copy
    /// is kept when it saves at least a tenth of the body (it costs at most the body's size).
    fn encoded(&self, coding: Coding) -> Option<&Bytes> {
        let cell = match coding {
            Coding::Brotli => &self.brotli,
            Coding::Gzip => &self.gzip,
        };
        cell.get_or_init(|| match coding.encode(&self.body) {
            Ok(out) if out.len() <= self.body.len() - self.body.len() / 10 => {
                Some(Bytes::from(out))
            }
            Ok(_) => None,
            Err(error) => {
                tracing::warn!(%error, "could not compress a cached answer");
                None
            }
        })
        .as_ref()
    }
}

/// Bodies shorter than this are sent as they are.
const MIN_COMPRESS_BYTES: usize = 512;

impl ReadCache {
    /// A cache whose entries live `ttl`; zero turns it off.
    pub fn new(ttl: Duration) -> Arc<Self> {
        Arc::new(Self {
            ttl,
            inner: Mutex::new(Entries::default()),
        })
    }

    fn enabled(&self) -> bool {
        !self.ttl.is_zero()
    }

    fn get(&self, key: &str) -> Option<Arc<Entry>> {
        let entries = self.inner.lock().ok()?;
        entries
            .map
            .get(key)
            .filter(|e| e.stored.elapsed() < self.ttl)
            .cloned()
    }

    /// Keeps `entry` under `key` and hands it back, to answer the request that made it.
    fn put(&self, key: String, entry: Entry) -> Arc<Entry> {
        let entry = Arc::new(entry);
        let Ok(mut entries) = self.inner.lock() else {
            return entry;
        };
        let size = entry.cost(&key);
        if entries.bytes + size > MAX_TOTAL_BYTES {
            let ttl = self.ttl;
            entries.map.retain(|_, e| e.stored.elapsed() < ttl);
            entries.bytes = entries.map.iter().map(|(k, e)| e.cost(k)).sum();
            if entries.bytes + size > MAX_TOTAL_BYTES {
                entries.map.clear();
                entries.bytes = 0;
            }
        }
        if let Some(old) = entries.map.insert(key.clone(), Arc::clone(&entry)) {
            entries.bytes = entries.bytes.saturating_sub(old.cost(&key));
        }
        entries.bytes += size;
        entry
    }

    /// Forgets everything: this process accepted a write.
    fn clear(&self) {
        if let Ok(mut entries) = self.inner.lock() {
            entries.map.clear();
            entries.bytes = 0;
        }
    }
}

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

/// Middleware (used with `wrap_fn`, inside compression): serves a fresh entry, stores the
/// answers it may, and forgets everything when this process accepts a write.
pub fn serve<S>(
    cache: Arc<ReadCache>,
    req: ServiceRequest,
    service: &S,
) -> impl std::future::Future<Output = Result<ServiceResponse<BoxBody>, actix_web::Error>> + 'static
where
    S: actix_web::dev::Service<
        ServiceRequest,
        Response = ServiceResponse<BoxBody>,
        Error = actix_web::Error,
    >,
    S::Future: 'static,
{
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let key = if cache.enabled() { key_of(&req) } else { None };
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let accept_encoding = req.headers().get(header::ACCEPT_ENCODING).cloned();
    enum Step<F> {
        Hit(Result<ServiceResponse<BoxBody>, actix_web::Error>),
        Call(F),
    }
    let step = match key.as_deref().and_then(|k| cache.get(k)) {
        Some(entry) => Step::Hit(Ok(replay(req, &entry, if_none_match.as_ref()))),
        None => {
            // The handler answers conditional requests itself; the answer to keep is the full one.
            let mut req = req;
            if key.is_some() {
                req.headers_mut().remove(header::IF_NONE_MATCH);
            }
            Step::Call(service.call(req))
        }
    };
    async move {
        let call = match step {
            Step::Hit(response) => return response,
            Step::Call(call) => call,
        };
        let response = call.await?;
        if !safe && (response.status().is_success() || response.status().is_redirection()) {
            cache.clear();
        }
        let Some(key) = key else {
            return Ok(response);
        };
        if response.status() != StatusCode::OK || !storable(response.headers()) {
            return Ok(response);
        }
        let small = matches!(response.response().body().size(),
            body::BodySize::Sized(n) if n <= MAX_ENTRY_BYTES as u64);
        if !small {
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
        let entry = cache.put(key, Entry::new(headers, bytes));
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

    #[test]
    fn entries_expire_and_the_cache_keeps_within_its_memory_bound() {
        let cache = ReadCache::new(Duration::from_millis(40));
        let entry = |n: usize| Entry::new(vec![], Bytes::from(vec![b'x'; n]));
        cache.put("a".into(), entry(10));
        assert!(cache.get("a").is_some());
        std::thread::sleep(Duration::from_millis(60));
        assert!(cache.get("a").is_none(), "an entry outlived its ttl");
        for i in 0..(MAX_TOTAL_BYTES / MAX_ENTRY_BYTES + 8) {
            cache.put(format!("k{i}"), entry(MAX_ENTRY_BYTES / 2));
        }
        let bytes = cache.inner.lock().map(|e| e.bytes).unwrap_or(usize::MAX);
        assert!(bytes <= MAX_TOTAL_BYTES, "{bytes} bytes kept");
        cache.clear();
        assert!(cache.get("k1").is_none());
    }

    fn json_entry(body: &[u8]) -> Entry {
        Entry::new(
            vec![(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            Bytes::copy_from_slice(body),
        )
    }

    #[test]
    fn copies_decode_to_the_body_and_are_made_once() {
        use std::io::Read as _;
        let text: Vec<u8> = (0..400)
            .flat_map(|i| format!("{{\"id\":{i},\"title\":\"A paper about $x^2$\"}},").into_bytes())
            .collect();
        let entry = json_entry(&text);
        assert!(entry.compressible());
        let br = entry
            .encoded(Coding::Brotli)
            .cloned()
            .expect("a brotli copy");
        assert!(br.len() * 2 <= text.len());
        let again = entry.encoded(Coding::Brotli).expect("kept");
        assert_eq!(again.as_ptr(), br.as_ptr(), "the copy was made twice");
        let mut decoded = Vec::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_end(&mut decoded)
            .expect("brotli decodes");
        assert_eq!(decoded, text);
        let gz = entry.encoded(Coding::Gzip).cloned().expect("a gzip copy");
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut decoded)
            .expect("gzip decodes");
        assert_eq!(decoded, text);
    }

    #[test]
    fn small_binary_or_encoded_bodies_get_no_copy() {
        assert!(!json_entry(b"{\"ok\":true}").compressible(), "small");
        let big = vec![b'a'; 4096];
        let png = Entry::new(
            vec![(header::CONTENT_TYPE, HeaderValue::from_static("image/png"))],
            Bytes::from(big.clone()),
        );
        assert!(!png.compressible(), "binary");
        let encoded = Entry::new(
            vec![
                (header::CONTENT_TYPE, HeaderValue::from_static("text/html")),
                (header::CONTENT_ENCODING, HeaderValue::from_static("br")),
            ],
            Bytes::from(big),
        );
        assert!(!encoded.compressible(), "already encoded");
        // Random-looking bytes do not shrink by half: no copy is kept.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        assert!(json_entry(&noise).encoded(Coding::Gzip).is_none());
    }

    #[test]
    fn no_ttl_means_no_cache() {
        assert!(!ReadCache::new(Duration::ZERO).enabled());
        assert!(ReadCache::new(DEFAULT_TTL).enabled());
    }
}

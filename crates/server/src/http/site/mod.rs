//! What the server itself says about the site, outside the JSON API: RSS and Atom feeds, the
//! sitemap and `robots.txt`, and the web app's pages with their heads and first paint filled in
//! from the database.

pub mod feeds;
pub mod page;
pub mod sitemap;

use std::hash::{DefaultHasher, Hash, Hasher};

use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};

use crate::http::extract::Proxies;

/// Settings of the server-rendered parts of the site.
#[derive(Debug, Clone)]
pub struct SiteSettings {
    /// The site's public address without a trailing slash (`--public-url`); unset, each
    /// request's own `Host`.
    pub public_url: Option<String>,
    /// URLs per sitemap page (the protocol allows at most 50,000).
    pub sitemap_page: i64,
}

impl Default for SiteSettings {
    fn default() -> Self {
        Self {
            public_url: None,
            sitemap_page: 50_000,
        }
    }
}

/// Routes outside `/api`: feeds, sitemap, robots.txt. (Pages are the SPA fallback's.)
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/feeds/{tail:.*}", web::get().to(feeds::feed))
        .route("/sitemap.xml", web::get().to(sitemap::index))
        .route("/sitemaps/{name}", web::get().to(sitemap::part))
        .route("/robots.txt", web::get().to(sitemap::robots));
}

/// The site's public base URL (no trailing slash): the configured one, else the request's scheme
/// and `Host` (`https` only when a trusted proxy says so). A `Host` that is not a plain
/// host[:port] gives `localhost`.
pub fn base_url(req: &HttpRequest) -> String {
    if let Some(url) = req
        .app_data::<web::Data<SiteSettings>>()
        .and_then(|s| s.public_url.clone())
    {
        return url;
    }
    let scheme = if Proxies::of(req).is_https(req) {
        "https"
    } else {
        "http"
    };
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
        })
        .unwrap_or("localhost");
    format!("{scheme}://{host}")
}

/// The site's settings, or the defaults in a test app without them.
pub fn settings(req: &HttpRequest) -> SiteSettings {
    req.app_data::<web::Data<SiteSettings>>()
        .map(|s| s.get_ref().clone())
        .unwrap_or_default()
}

/// A strong validator over a body.
pub fn etag_of(body: &[u8]) -> String {
    let mut hasher = DefaultHasher::new();
    body.hash(&mut hasher);
    format!("\"{:016x}\"", hasher.finish())
}

/// Answers `body` with an ETag (and Last-Modified, when known), or 304 when the client's
/// `If-None-Match` (or, without one, `If-Modified-Since`) shows it already has it.
pub fn conditional(
    req: &HttpRequest,
    status: actix_web::http::StatusCode,
    content_type: &'static str,
    cache_control: &'static str,
    modified: Option<DateTime<Utc>>,
    body: String,
) -> HttpResponse {
    let etag = etag_of(body.as_bytes());
    let last_modified = modified.map(|t| t.format("%a, %d %b %Y %H:%M:%S GMT").to_string());
    let fresh = if let Some(tags) = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        tags.split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == etag || t == "*")
    } else if let (Some(since), Some(modified)) = (
        req.headers()
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| DateTime::parse_from_rfc2822(v).ok()),
        modified,
    ) {
        modified.timestamp() <= since.timestamp()
    } else {
        false
    };
    let mut response = if fresh && status.is_success() {
        HttpResponse::NotModified()
    } else {
        HttpResponse::build(status)
    };
    response.insert_header((header::ETAG, etag));
    response.insert_header((header::CACHE_CONTROL, cache_control));
    if let Some(value) = last_modified.and_then(|v| HeaderValue::from_str(&v).ok()) {
        response.insert_header((header::LAST_MODIFIED, value));
    }
    if fresh && status.is_success() {
        return response.finish();
    }
    response.content_type(content_type).body(body)
}

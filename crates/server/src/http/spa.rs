//! Serving the built web app: static files with cache headers, and `index.html` for every other
//! GET outside `/api` so that client-side routes (`/papers/1`) work as deep links.

use std::path::{Path, PathBuf};

use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::Method;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::db::Db;
use crate::domain::feed::FeedSettings;
use crate::domain::site;
use crate::http::error::ApiError;
use crate::http::openapi::RouteTable;
use crate::http::site::page;

/// Where the built app is, if it was built.
#[derive(Debug, Clone)]
pub struct Spa {
    dir: Option<PathBuf>,
    /// CSP sources of the scripts `index.html` inlines.
    inline_scripts: Vec<String>,
    /// `index.html` as built, filled in for each page (read once, like the script hashes).
    template: Option<std::sync::Arc<str>>,
}

impl Spa {
    /// Uses `dir` when it holds an `index.html`; otherwise the API runs alone and `/` explains.
    pub fn new(dir: &Path) -> Self {
        let dir = dir.join("index.html").is_file().then(|| dir.to_path_buf());
        if dir.is_none() {
            tracing::warn!(
                static_dir = %dir_display(dir.as_deref()),
                "no built web app found (index.html missing); serving the API only. Build it with `trunk build --release`"
            );
        }
        let template = dir
            .as_ref()
            .and_then(|d| std::fs::read_to_string(d.join("index.html")).ok())
            .map(wasm_preload_last);
        let inline_scripts = template
            .as_deref()
            .map(crate::http::security::inline_script_hashes)
            .unwrap_or_default();
        Self {
            dir,
            inline_scripts,
            template: template.map(std::sync::Arc::from),
        }
    }

    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    pub fn inline_scripts(&self) -> &[String] {
        &self.inline_scripts
    }
}

/// Moves Trunk's `<link rel="preload" … as="fetch" type="application/wasm">` from the head to the
/// end of the body. In the head, the browser starts the wasm download (hundreds of KB) while the
/// page itself is still arriving, and on a slow link the two share it: the server-rendered first
/// paint waits. At the end, the preload starts once the page is in, still before the app's script
/// asks for the wasm. A template without that link is returned as it is.
fn wasm_preload_last(template: String) -> String {
    let Some(start) = template.find("<link rel=\"preload\"") else {
        return template;
    };
    let Some(len) = template[start..].find('>').map(|end| end + 1) else {
        return template;
    };
    let link = &template[start..start + len];
    let Some(body_end) = template.rfind("</body>") else {
        return template;
    };
    if !link.contains("application/wasm") || body_end < start {
        return template;
    }
    let mut out = String::with_capacity(template.len() + 1);
    out.push_str(&template[..start]);
    out.push_str(&template[start + len..body_end]);
    out.push_str(link);
    out.push('\n');
    out.push_str(&template[body_end..]);
    out
}

fn dir_display(dir: Option<&Path>) -> String {
    dir.map(|d| d.display().to_string()).unwrap_or_default()
}

/// Files Trunk names with a content hash (`app-1a2b3c4d5e6f7a8b_bg.wasm`) never change: cache
/// them for a year. Everything else (index.html) is revalidated on every load.
pub fn is_hashed_asset(path: &str) -> bool {
    let Some(name) = path.rsplit('/').next() else {
        return false;
    };
    let stem = name.split('.').next().unwrap_or(name);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() >= 12 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Adds `Cache-Control` to successful non-API responses that have none.
pub fn set_cache_headers<B>(res: &mut ServiceResponse<B>) {
    let path = res.request().path();
    if path.starts_with("/api/") {
        // API answers depend on who asks (votes, own summaries, anonymous authors revealed to
        // their author): caches must key them by the credentials.
        res.headers_mut().append(
            header::VARY,
            HeaderValue::from_static("authorization, x-share-token"),
        );
        return;
    }
    if !res.status().is_success() {
        return;
    }
    if res.headers().contains_key(header::CACHE_CONTROL) {
        return;
    }
    let value = if is_hashed_asset(path) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let value = HeaderValue::from_static(value);
    res.headers_mut().insert(header::CACHE_CONTROL, value);
}

/// The route of the files the build precompresses (`scripts/precompress`, run by Trunk after a
/// release build): one path segment ending in one of these extensions.
pub const PRECOMPRESSED_ASSET: &str = r"/{file:[^/]+\.(?:wasm|js|css|svg)}";

/// A built asset, from its brotli (`.br`) or gzip (`.gz`) twin when the client accepts that
/// encoding and the twin exists: compressed once at build time at the highest levels, never per
/// request (the `Compress` middleware leaves answers that carry a `Content-Encoding` alone).
pub async fn precompressed(
    req: HttpRequest,
    file: web::Path<String>,
    spa: web::Data<Spa>,
    routes: web::Data<RouteTable>,
) -> actix_web::Result<HttpResponse> {
    use actix_files::NamedFile;
    use actix_web::http::header::ContentEncoding;

    let Some(dir) = spa.dir() else {
        return Ok(fallback(req, routes, spa).await?);
    };
    let name = file.into_inner();
    let plain = dir.join(&name);
    if name.starts_with('.') || !plain.is_file() {
        return Ok(fallback(req, routes, spa).await?);
    }
    let accepted = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let twin = [
        (ContentEncoding::Brotli, "br"),
        (ContentEncoding::Gzip, "gz"),
    ]
    .into_iter()
    .filter(|(_, suffix)| accepts(accepted, suffix))
    .map(|(encoding, suffix)| (encoding, dir.join(format!("{name}.{suffix}"))))
    .find(|(_, path)| path.is_file());
    let mime = actix_files::file_extension_to_mime(
        plain.extension().and_then(|e| e.to_str()).unwrap_or(""),
    );
    let file = match twin {
        Some((encoding, path)) => NamedFile::open_async(path)
            .await?
            .set_content_encoding(encoding),
        None => NamedFile::open_async(&plain).await?,
    };
    let mut res = file
        .set_content_type(mime)
        .use_etag(true)
        .use_last_modified(true)
        .into_response(&req);
    res.headers_mut()
        .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    Ok(res)
}

/// Whether an `Accept-Encoding` value accepts `coding` (`br`, `gz` for gzip), `q=0` refusing it.
pub(crate) fn accepts(accept_encoding: &str, coding: &str) -> bool {
    let coding = if coding == "gz" { "gzip" } else { coding };
    accept_encoding.split(',').any(|part| {
        let mut parts = part.split(';').map(str::trim);
        let name = parts.next().unwrap_or("");
        let refused = parts.any(|p| {
            p.strip_prefix("q=")
                .and_then(|q| q.parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        !refused && (name.eq_ignore_ascii_case(coding) || name == "*")
    })
}

/// Rewrites HEAD to GET so every GET route answers HEAD too; actix sends no body for a request
/// that arrived as HEAD.
pub fn head_as_get(req: &mut ServiceRequest) {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
}

/// The handler for everything no route matched: problem+json 404/405 under `/api`, the app's
/// `index.html` for other GETs.
pub async fn fallback(
    req: HttpRequest,
    routes: web::Data<RouteTable>,
    spa: web::Data<Spa>,
) -> Result<HttpResponse, ApiError> {
    let path = req.path();
    if path == "/api" || path.starts_with("/api/") {
        let allowed = routes.allowed(path);
        if req.method() == Method::OPTIONS && !allowed.is_empty() {
            return Ok(HttpResponse::NoContent()
                .insert_header((header::ALLOW, allow_list(&allowed)))
                .finish());
        }
        return Err(routes.unmatched(path));
    }
    if req.method() == Method::OPTIONS {
        return Ok(HttpResponse::NoContent()
            .insert_header((header::ALLOW, "GET, HEAD"))
            .finish());
    }
    if req.method() != Method::GET {
        return Err(ApiError::MethodNotAllowed {
            allowed: vec![Method::GET, Method::HEAD],
        });
    }
    match spa.template.clone() {
        Some(template) => Ok(page(&req, &template).await?),
        None => Ok(HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .body(NOT_BUILT_PAGE)),
    }
}

/// `index.html` with the head and first paint of the page at this address (404 when it names
/// nothing); see [`crate::http::site::page`].
async fn page(req: &HttpRequest, template: &str) -> Result<HttpResponse, ApiError> {
    let data = match req.app_data::<web::Data<Db>>() {
        Some(db) => {
            let settings = req
                .app_data::<web::Data<FeedSettings>>()
                .map(|s| *s.get_ref())
                .unwrap_or_default();
            let route = site::Route::parse(req.path(), req.query_string());
            site::load(db, settings, route).await?
        }
        None => site::PageData::Plain {
            title: "",
            index: true,
        },
    };
    let base = crate::http::site::base_url(req);
    let path_and_query = req
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    let (head, body) = page::render_page(&data, &base, &path_and_query);
    let html = page::fill(template, &head, &body, &base, &path_and_query);
    Ok(crate::http::site::conditional(
        req,
        head.status,
        "text/html; charset=utf-8",
        "no-cache",
        None,
        html,
    ))
}

fn allow_list(methods: &[Method]) -> String {
    methods
        .iter()
        .map(Method::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

const NOT_BUILT_PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ShortScience</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>ShortScience</h1>
<p>The API is running, but the web app has not been built (no <code>index.html</code> in the static
directory). Build it with <code>trunk build --release</code>, or use <code>./scripts/demo</code>.</p>
<p>API: <a href="/api/v1/papers">/api/v1/papers</a> · documentation: <a href="/api/docs/">/api/docs/</a></p>
</body></html>
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("gzip, deflate, br, zstd", "gz"));
        assert!(!accepts("gzip", "br"));
        assert!(!accepts("br;q=0, gzip", "br"));
        assert!(accepts("BR;q=0.5", "br"));
        assert!(accepts("*", "gz"));
        assert!(!accepts("", "gz"));
        assert!(!accepts("identity", "br"));
    }

    #[test]
    fn the_wasm_preload_moves_to_the_end_of_the_body() {
        let built = "<html><head><title>t</title>\n<link rel=\"modulepreload\" href=\"/a.js\">\
                     <link rel=\"preload\" href=\"/a_bg.wasm\" as=\"fetch\" type=\"application/wasm\"></head>\n\
                     <body>\n<noscript>x</noscript>\n</body>\n</html>\n";
        let moved = wasm_preload_last(built.to_owned());
        let head = &moved[..moved.find("</head>").unwrap_or(0)];
        assert!(
            head.contains("modulepreload") && !head.contains("a_bg.wasm"),
            "{moved}"
        );
        assert!(
            moved.contains("</noscript>\n<link rel=\"preload\" href=\"/a_bg.wasm\" as=\"fetch\" type=\"application/wasm\">\n</body>"),
            "{moved}"
        );
        assert_eq!(moved.len(), built.len() + 1);
        // Nothing else is touched: no wasm preload, or another kind of preload.
        for other in [
            "<html><head></head><body></body></html>",
            "<html><head><link rel=\"preload\" href=\"/f.woff2\" as=\"font\"></head><body></body></html>",
        ] {
            assert_eq!(wasm_preload_last(other.to_owned()), other);
        }
    }

    #[test]
    fn trunk_hashed_names_are_recognised() {
        for hashed in [
            "/shortscience-frontend-8f2b0c7a61d3e945_bg.wasm",
            "/shortscience-frontend-8f2b0c7a61d3e945.js",
            "/style-0123456789abcdef.css",
        ] {
            assert!(is_hashed_asset(hashed), "{hashed}");
        }
        for plain in [
            "/",
            "/index.html",
            "/papers/1",
            "/favicon.svg",
            "/shortscience-frontend.js",
            "/a-b.css",
        ] {
            assert!(!is_hashed_asset(plain), "{plain}");
        }
    }
}

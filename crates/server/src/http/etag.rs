//! ETags on successful API GETs: a weak validator over the body, `304 Not Modified` when the
//! client already has it, and `Cache-Control: no-cache` so browsers revalidate instead of
//! guessing a lifetime.

use std::hash::{DefaultHasher, Hash, Hasher};

use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::HttpResponse;

/// API responses larger than this are sent without an ETag rather than buffered.
const MAX_TAGGED_BODY: usize = 4 * 1024 * 1024;

/// Middleware (used with `wrap_fn`): tags 200 responses to GET and answers 304 to a matching
/// `If-None-Match`.
pub fn tag<S>(
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
    let is_get = req.method() == Method::GET;
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let call = service.call(req);
    async move { finish(call.await?, is_get, if_none_match).await }
}

async fn finish(
    response: ServiceResponse<BoxBody>,
    is_get: bool,
    if_none_match: Option<HeaderValue>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if !is_get
        || response.status() != StatusCode::OK
        || response.headers().contains_key(header::ETAG)
        || response.response().body().size().is_eof()
    {
        return Ok(response);
    }
    if let body::BodySize::Sized(n) = response.response().body().size() {
        if n > MAX_TAGGED_BODY as u64 {
            return Ok(response);
        }
    }
    let (request, response) = response.into_parts();
    let (mut head, body) = response.into_parts();
    let bytes = body::to_bytes_limited(body, MAX_TAGGED_BODY)
        .await
        .map_err(|_| actix_web::error::ErrorInternalServerError("response too large to tag"))?
        .map_err(|e| actix_web::error::ErrorInternalServerError(e.to_string()))?;
    let etag = weak_etag(&bytes);
    let matches = if_none_match
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let etag_value =
        HeaderValue::from_str(&etag).map_err(actix_web::error::ErrorInternalServerError)?;
    if matches {
        let mut not_modified = HttpResponse::NotModified();
        not_modified.insert_header((header::ETAG, etag_value));
        not_modified.insert_header((header::CACHE_CONTROL, "no-cache"));
        return Ok(ServiceResponse::new(request, not_modified.finish()));
    }
    head.headers_mut().insert(header::ETAG, etag_value);
    if !head.headers().contains_key(header::CACHE_CONTROL) {
        head.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    Ok(ServiceResponse::new(
        request,
        head.set_body(bytes).map_into_boxed_body(),
    ))
}

/// `W/"<64-bit hash of the body>"`. Weak: equal content, not byte-for-byte identical encodings.
fn weak_etag(bytes: &[u8]) -> String {
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    format!("W/\"{:016x}\"", hasher.finish())
}

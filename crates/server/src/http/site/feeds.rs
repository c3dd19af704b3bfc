//! `/feeds/…`: RSS 2.0 (`.rss`) and Atom 1.0 (`.atom`) feeds of summaries.
//!
//! | feed | address |
//! |---|---|
//! | the site, newest first (`?sort=hot` for hot) | `/feeds/summaries.rss` |
//! | a venue, a venue's year | `/feeds/venues/{slug}.rss`, `/feeds/venues/{slug}/{year}.rss` |
//! | a paper (id, `arxiv:…` or `doi:…`) | `/feeds/papers/{ref}.rss` |
//! | a user's signed summaries | `/feeds/users/{username}.rss` |
//! | a keyword | `/feeds/keywords/{slug}.rss` |
//! | a search | `/feeds/search.rss?q=…` |
//!
//! Every one also ends in `.atom`. Errors are problem+json like the API's.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use percent_encoding::percent_decode_str;
use shortscience_types::{FeedSort, PaperRef};

use crate::db::Db;
use crate::domain::feeds::{self, FeedScope};
use crate::domain::limits::RateLimits;
use crate::domain::DomainError;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::ClientIp;
use crate::http::site::{base_url, conditional};

/// Feed readers poll; five minutes of freshness is plenty and spares the database.
const CACHE: &str = "public, max-age=300";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Rss,
    Atom,
}

fn not_found(path: &str) -> ApiError {
    DomainError::not_found(format!(
        "no feed at `{path}`; feeds end in .rss or .atom (see /feeds/summaries.rss)"
    ))
    .into()
}

fn bad(field: &str, message: &str) -> ApiError {
    DomainError::BadParameter {
        field: field.to_owned(),
        message: message.to_owned(),
    }
    .into()
}

fn query_param(req: &HttpRequest, name: &str) -> Option<String> {
    url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

fn decode(segment: &str) -> Option<String> {
    let text = percent_decode_str(segment).decode_utf8().ok()?;
    (!text.is_empty() && !text.contains('\0')).then(|| text.into_owned())
}

/// The scope and format a feed path names.
fn parse(req: &HttpRequest, tail: &str) -> ApiResult<(FeedScope, Format)> {
    let missing = || not_found(&format!("/feeds/{tail}"));
    let (stem, format) = match tail.rsplit_once('.') {
        Some((stem, "rss")) => (stem, Format::Rss),
        Some((stem, "atom")) => (stem, Format::Atom),
        _ => return Err(missing()),
    };
    let segments: Vec<&str> = stem.split('/').collect();
    let scope = match segments.as_slice() {
        ["summaries"] => {
            let sort = match query_param(req, "sort").as_deref() {
                None | Some("new") => FeedSort::New,
                Some("hot") => FeedSort::Hot,
                Some(_) => return Err(bad("sort", "must be `new` or `hot`")),
            };
            FeedScope::Site(sort)
        }
        ["venues", slug] => FeedScope::Venue {
            slug: decode(slug).ok_or_else(missing)?,
            year: None,
        },
        ["venues", slug, year] => FeedScope::Venue {
            slug: decode(slug).ok_or_else(missing)?,
            year: Some(year.parse().map_err(|_| missing())?),
        },
        ["papers", rest @ ..] if !rest.is_empty() => {
            let raw = decode(&rest.join("/")).ok_or_else(missing)?;
            FeedScope::Paper(PaperRef::parse(&raw).map_err(|_| missing())?)
        }
        ["users", name] => FeedScope::User(decode(name).ok_or_else(missing)?),
        ["keywords", slug] => FeedScope::Keyword(decode(slug).ok_or_else(missing)?),
        ["search"] => {
            let q = query_param(req, "q").unwrap_or_default();
            if q.trim().is_empty() {
                return Err(bad(
                    "q",
                    "a search feed needs a query: /feeds/search.rss?q=…",
                ));
            }
            if q.contains('\0') {
                return Err(bad("q", crate::http::query::NO_NUL));
            }
            FeedScope::Search(q)
        }
        _ => return Err(missing()),
    };
    Ok((scope, format))
}

/// `GET /feeds/{tail}`.
pub async fn feed(
    req: HttpRequest,
    db: web::Data<Db>,
    limits: web::Data<RateLimits>,
    ClientIp(client): ClientIp,
    tail: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let (scope, format) = parse(&req, &tail)?;
    let base = base_url(&req);
    let doc = feeds::load(&db, &limits, client, scope, base.clone()).await?;
    let query = req.query_string();
    let self_url = if query.is_empty() {
        format!("{base}{}", req.path())
    } else {
        format!("{base}{}?{query}", req.path())
    };
    let (body, content_type) = match format {
        Format::Rss => (
            feeds::to_rss(&doc, &self_url)?,
            "application/rss+xml; charset=utf-8",
        ),
        Format::Atom => (
            feeds::to_atom(&doc, &self_url)?,
            "application/atom+xml; charset=utf-8",
        ),
    };
    let modified = (!doc.entries.is_empty()).then_some(doc.updated);
    Ok(conditional(
        &req,
        StatusCode::OK,
        content_type,
        CACHE,
        modified,
        body,
    ))
}

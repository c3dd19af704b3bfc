//! `/sitemap.xml` (a sitemap index), its parts `/sitemaps/{kind}-{n}.xml` (papers, public
//! summaries, venues, keywords, users; at most 50,000 URLs each) and `/robots.txt` naming it.
//! A `robots.txt` or `sitemap.xml` in the static directory is served instead of the generated
//! one. Written with `quick-xml`'s writer, never by string templates.

use std::io::Cursor;

use actix_files::NamedFile;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use crate::db::Db;
use crate::domain::site::SitemapKind as Kind;
use crate::domain::{site, DomainError};
use crate::http::error::{ApiError, ApiResult};
use crate::http::site::{base_url, conditional, settings};
use crate::http::spa::Spa;

const NAMESPACE: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const XML: &str = "application/xml; charset=utf-8";
const CACHE: &str = "public, max-age=3600";

/// The static directory's own copy of `name`, when it has one.
async fn overridden(req: &HttpRequest, name: &str) -> Option<HttpResponse> {
    let dir = req.app_data::<web::Data<Spa>>()?.dir()?.to_path_buf();
    let file = NamedFile::open_async(dir.join(name)).await.ok()?;
    Some(
        file.use_etag(true)
            .use_last_modified(true)
            .into_response(req),
    )
}

fn xml_error(e: impl std::fmt::Display) -> ApiError {
    ApiError::internal(anyhow::anyhow!("writing the sitemap: {e}"))
}

/// Writes `<root xmlns=…>` with one `<item><loc>…</loc>[<lastmod>…</lastmod>]</item>` per entry.
fn urlset(
    root: &str,
    item: &str,
    entries: impl Iterator<Item = (String, Option<NaiveDateTime>)>,
) -> ApiResult<String> {
    let mut writer = Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 1);
    writer
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .map_err(xml_error)?;
    let mut start = BytesStart::new(root);
    start.push_attribute(("xmlns", NAMESPACE));
    writer.write_event(Event::Start(start)).map_err(xml_error)?;
    for (loc, modified) in entries {
        writer
            .write_event(Event::Start(BytesStart::new(item)))
            .map_err(xml_error)?;
        writer
            .create_element("loc")
            .write_text_content(BytesText::new(&loc))
            .map_err(xml_error)?;
        if let Some(at) = modified {
            writer
                .create_element("lastmod")
                .write_text_content(BytesText::new(&at.and_utc().to_rfc3339()))
                .map_err(xml_error)?;
        }
        writer
            .write_event(Event::End(BytesEnd::new(item)))
            .map_err(xml_error)?;
    }
    writer
        .write_event(Event::End(BytesEnd::new(root)))
        .map_err(xml_error)?;
    String::from_utf8(writer.into_inner().into_inner()).map_err(xml_error)
}

fn encode(segment: &str) -> String {
    percent_encoding::utf8_percent_encode(segment, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// `GET /sitemap.xml`: the index of the sitemap's parts.
pub async fn index(req: HttpRequest, db: web::Data<Db>) -> ApiResult<HttpResponse> {
    if let Some(file) = overridden(&req, "sitemap.xml").await {
        return Ok(file);
    }
    let base = base_url(&req);
    let parts = site::sitemap_parts(&db, settings(&req).sitemap_page).await?;
    let body = urlset(
        "sitemapindex",
        "sitemap",
        parts
            .into_iter()
            .map(|(kind, n)| (format!("{base}/sitemaps/{}-{n}.xml", kind.as_str()), None)),
    )?;
    Ok(conditional(&req, StatusCode::OK, XML, CACHE, None, body))
}

/// `GET /sitemaps/{kind}-{n}.xml`.
pub async fn part(
    req: HttpRequest,
    db: web::Data<Db>,
    name: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let missing = || ApiError::from(DomainError::not_found(format!("no sitemap `{name}`")));
    let (kind, number) = name
        .strip_suffix(".xml")
        .and_then(|stem| stem.rsplit_once('-'))
        .and_then(|(kind, n)| Some((Kind::parse(kind)?, n.parse::<i64>().ok()?)))
        .ok_or_else(missing)?;
    let base = base_url(&req);
    let entries = site::sitemap_part(&db, kind, number, settings(&req).sitemap_page).await?;
    let path = match kind {
        Kind::Papers => "papers",
        Kind::Summaries => "summaries",
        Kind::Venues => "venues",
        Kind::Keywords => "keywords",
        Kind::Users => "users",
    };
    let body = urlset(
        "urlset",
        "url",
        entries
            .into_iter()
            .map(|(key, at)| (format!("{base}/{path}/{}", encode(&key)), at)),
    )?;
    Ok(conditional(&req, StatusCode::OK, XML, CACHE, None, body))
}

/// `GET /robots.txt`: everything but the API, the account pages and the editors may be
/// crawled; the sitemap is named.
pub async fn robots(req: HttpRequest) -> ApiResult<HttpResponse> {
    if let Some(file) = overridden(&req, "robots.txt").await {
        return Ok(file);
    }
    let base = base_url(&req);
    let body = format!(
        "User-agent: *\n\
         Allow: /\n\
         Disallow: /api/\n\
         Disallow: /login\n\
         Disallow: /register\n\
         Disallow: /settings\n\
         Disallow: /add\n\
         Disallow: /summaries/*/edit\n\
         Disallow: /summaries/*/history\n\
         Disallow: /search\n\
         \n\
         Sitemap: {base}/sitemap.xml\n"
    );
    Ok(conditional(
        &req,
        StatusCode::OK,
        "text/plain; charset=utf-8",
        CACHE,
        None,
        body,
    ))
}

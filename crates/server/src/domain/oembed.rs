//! oEmbed 1.0 (<https://oembed.com>) for this site's public summaries and papers: a `rich` card
//! a chat app, a forum or a blog can show. Addresses of other sites, private or missing
//! summaries and any other page are not found.

use shortscience_types::{OEmbed, OEmbedQuery};

use crate::db::Db;
use crate::domain::render::{escape_html as esc, excerpt};
use crate::domain::site::{self, PageData, Route};
use crate::domain::{DomainError, DomainResult};

const WIDTH: u32 = 600;
const HEIGHT: u32 = 400;
/// Seconds a consumer may keep a card.
const CACHE_AGE: u32 = 3600;

/// What went wrong with an oEmbed request beyond "not found".
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A format other than JSON: oEmbed asks for 501.
    Format(String),
}

fn same_site(url: &url::Url, base: &url::Url) -> bool {
    url.host_str()
        .zip(base.host_str())
        .is_some_and(|(a, b)| a.eq_ignore_ascii_case(b))
        && url.port_or_known_default() == base.port_or_known_default()
        && url.path().starts_with(base.path().trim_end_matches('/'))
}

/// The card for `query.url` on the site at `base` (its public URL without trailing slash).
pub async fn card(
    db: &Db,
    feed: crate::domain::feed::FeedSettings,
    base: &str,
    query: OEmbedQuery,
) -> DomainResult<Result<OEmbed, Refusal>> {
    if let Some(format) = query.format.as_deref() {
        if !format.eq_ignore_ascii_case("json") {
            return Ok(Err(Refusal::Format(format.to_owned())));
        }
    }
    let missing = || DomainError::not_found("no public summary or paper of this site at that URL");
    let base_url = url::Url::parse(base).map_err(DomainError::internal)?;
    let url = url::Url::parse(query.url.trim()).map_err(|e| DomainError::BadParameter {
        field: "url".to_owned(),
        message: format!("is not an absolute URL: {e}"),
    })?;
    if !matches!(url.scheme(), "http" | "https") || !same_site(&url, &base_url) {
        return Err(missing());
    }
    let path = &url.path()[base_url.path().trim_end_matches('/').len()..];
    let route = Route::parse(path, url.query().unwrap_or(""));
    if !matches!(route, Route::Paper(_) | Route::Summary(_)) {
        return Err(missing());
    }
    let width = query.maxwidth.unwrap_or(WIDTH).clamp(1, WIDTH);
    let height = query.maxheight.unwrap_or(HEIGHT).clamp(1, HEIGHT);
    let provider_url = format!("{base}/");
    let card = match site::load(db, feed, route).await? {
        PageData::Summary(detail) => {
            let summary = &detail.summary;
            let author = (!summary.anonymous)
                .then_some(summary.author.as_ref())
                .flatten();
            let name = author.map(|a| a.display_name.clone().unwrap_or_else(|| a.username.clone()));
            let link = format!("{base}/summaries/{}", summary.id);
            let title = match &name {
                Some(name) => format!("Summary of “{}” by {name}", detail.paper.title),
                None => format!("An anonymous summary of “{}”", detail.paper.title),
            };
            let byline = match &name {
                Some(name) => format!("Summary by {}", esc(name)),
                None => "An anonymous summary".to_owned(),
            };
            OEmbed {
                html: quote(
                    &link,
                    &detail.paper.title,
                    &excerpt(summary.body_markdown.as_deref().unwrap_or_default()),
                    &byline,
                    base,
                ),
                title,
                author_url: author.map(|a| {
                    format!(
                        "{base}/users/{}",
                        url::form_urlencoded::byte_serialize(a.username.as_bytes())
                            .collect::<String>()
                    )
                }),
                author_name: name,
                ..blank(&provider_url, width, height)
            }
        }
        PageData::Paper(paper) => {
            let authors = paper
                .authors
                .iter()
                .map(|a| a.name.clone())
                .collect::<Vec<_>>()
                .join(", ");
            let link = format!("{base}/papers/{}", paper.id);
            let text = paper.abstract_text.clone().unwrap_or_default();
            let byline = match paper.summaries.len() {
                0 => "No summaries yet".to_owned(),
                1 => "1 summary".to_owned(),
                n => format!("{n} summaries"),
            };
            OEmbed {
                html: quote(&link, &paper.title, &text, &byline, base),
                title: paper.title.clone(),
                author_name: (!authors.is_empty()).then_some(authors),
                author_url: None,
                ..blank(&provider_url, width, height)
            }
        }
        _ => return Err(missing()),
    };
    Ok(Ok(card))
}

fn blank(provider_url: &str, width: u32, height: u32) -> OEmbed {
    OEmbed {
        version: "1.0".to_owned(),
        kind: "rich".to_owned(),
        title: String::new(),
        author_name: None,
        author_url: None,
        provider_name: "ShortScience".to_owned(),
        provider_url: provider_url.to_owned(),
        cache_age: CACHE_AGE,
        html: String::new(),
        width,
        height,
    }
}

/// The card: a blockquote of escaped text and links, passed through the sanitiser as well.
fn quote(link: &str, title: &str, text: &str, byline: &str, base: &str) -> String {
    let text: String = {
        let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed.chars().count() > 280 {
            format!("{}…", collapsed.chars().take(279).collect::<String>())
        } else {
            collapsed
        }
    };
    let html = format!(
        "<blockquote class=\"shortscience-card\"><p><a href=\"{}\">{}</a></p><p>{}</p><p>{byline} on <a href=\"{}/\">ShortScience</a></p></blockquote>",
        esc(link),
        esc(title),
        esc(&text),
        esc(base)
    );
    ammonia::Builder::default()
        .add_tag_attributes("blockquote", &["class"])
        .link_rel(Some("noopener"))
        .clean(&html)
        .to_string()
}

//! RSS 2.0 and Atom 1.0 feeds of summaries: the whole site (new or hot), a venue, a venue's
//! year, a paper, a user, a keyword, a search. Entries carry the full sanitised HTML (math as
//! MathML with the TeX source as annotation), the permalink, the author (never of an anonymous
//! summary) and dates. Written with the `rss` and `atom_syndication` crates, never by string
//! templates.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use shortscience_types::{FeedSort, Page, PaperRef, SearchKind, SearchQuery, SummaryId};

use crate::db::models::summaries::{self, AuthorName, Scope, Summary};
use crate::db::Db;
use crate::domain::limits::RateLimits;
use crate::domain::{browse, papers, search, users, DomainError, DomainResult};

/// Entries per feed.
pub const FEED_ITEMS: i64 = 30;

/// What a feed covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedScope {
    Site(FeedSort),
    Venue { slug: String, year: Option<i32> },
    Paper(PaperRef),
    User(String),
    Keyword(String),
    Search(String),
}

/// One summary as a feed entry.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedEntry {
    pub id: SummaryId,
    pub title: String,
    /// Absolute permalink.
    pub link: String,
    /// The entry's own id when several entries share a link (notifications about one summary);
    /// otherwise the link is the id.
    pub guid: Option<String>,
    /// The author's name; `None` for anonymous summaries.
    pub author: Option<String>,
    pub published: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub html: String,
    pub categories: Vec<String>,
}

/// A feed, ready to be written as RSS or Atom.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedDoc {
    pub title: String,
    pub description: String,
    /// The page the feed follows (absolute).
    pub page: String,
    /// The feed's own address without extension (absolute): `.rss` and `.atom` are added.
    pub self_base: String,
    pub updated: DateTime<Utc>,
    pub entries: Vec<FeedEntry>,
}

fn encode(segment: &str) -> String {
    url::form_urlencoded::byte_serialize(segment.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// Loads the entries of a feed. `base` is the site's public URL (no trailing slash).
#[tracing::instrument(level = "debug", skip(db, limits))]
pub async fn load(
    db: &Db,
    limits: &RateLimits,
    client: std::net::IpAddr,
    scope: FeedScope,
    base: String,
) -> DomainResult<FeedDoc> {
    let (title, description, page, self_path, scope_rows) = match &scope {
        FeedScope::Site(sort) => (
            format!(
                "ShortScience: {} summaries",
                if *sort == FeedSort::Hot { "hot" } else { "new" }
            ),
            "Short summaries of research papers, written, ranked and discussed by their readers."
                .to_owned(),
            format!("{base}/"),
            format!("{base}/feeds/summaries"),
            None,
        ),
        FeedScope::Venue { slug, year } => {
            let venue = browse::venue(db, slug.to_lowercase()).await?;
            if year.is_some_and(|y| !venue.years.iter().any(|c| c.year == y)) {
                return Err(DomainError::not_found(format!(
                    "no papers of `{}` in {}",
                    venue.slug,
                    year.unwrap_or_default()
                )));
            }
            let (name, path, page) = match year {
                Some(y) => (
                    format!("{} {y}", venue.name),
                    format!("venues/{}/{y}", encode(&venue.slug)),
                    format!("venues/{}?year={y}", encode(&venue.slug)),
                ),
                None => (
                    venue.name.clone(),
                    format!("venues/{}", encode(&venue.slug)),
                    format!("venues/{}", encode(&venue.slug)),
                ),
            };
            (
                format!("ShortScience: summaries of {name} papers"),
                format!("New summaries of papers at {name}."),
                format!("{base}/{page}"),
                format!("{base}/feeds/{path}"),
                Some(Scope {
                    venue_slug: Some(venue.slug),
                    year: *year,
                    ..Scope::default()
                }),
            )
        }
        FeedScope::Paper(reference) => {
            let paper =
                papers::get(db, crate::domain::Viewer::default(), reference.clone()).await?;
            (
                format!("ShortScience: summaries of “{}”", paper.title),
                format!("New summaries of {}.", paper.title),
                format!("{base}/papers/{}", paper.id),
                format!("{base}/feeds/papers/{}", paper.id),
                Some(Scope {
                    paper: Some(paper.id),
                    ..Scope::default()
                }),
            )
        }
        FeedScope::User(username) => {
            let profile = users::profile(db, username.clone()).await?;
            let name = profile
                .display_name
                .clone()
                .unwrap_or_else(|| profile.username.clone());
            let lookup = profile.username.clone();
            let user = db.run(move |conn| users::find(conn, &lookup)).await?;
            (
                format!("ShortScience: summaries by {name}"),
                format!("New summaries written by {name}."),
                format!("{base}/users/{}", encode(&profile.username)),
                format!("{base}/feeds/users/{}", encode(&profile.username)),
                Some(Scope {
                    author: Some(user.id),
                    ..Scope::default()
                }),
            )
        }
        FeedScope::Keyword(slug) => {
            let keyword = browse::keyword(db, slug.clone()).await?;
            (
                format!("ShortScience: summaries of {} papers", keyword.name),
                format!("New summaries of papers about {}.", keyword.name),
                format!("{base}/keywords/{}", encode(&keyword.slug)),
                format!("{base}/feeds/keywords/{}", encode(&keyword.slug)),
                Some(Scope {
                    keyword_slug: Some(keyword.slug),
                    ..Scope::default()
                }),
            )
        }
        FeedScope::Search(q) => (
            format!("ShortScience: summaries matching “{q}”"),
            format!("Summaries matching the search “{q}”, most relevant first."),
            format!("{base}/search?q={}", encode(q)),
            format!("{base}/feeds/search"),
            None,
        ),
    };
    let rows: Vec<(Summary, AuthorName)> = match (&scope, scope_rows) {
        (FeedScope::Site(sort), _) => {
            let sort = *sort;
            db.run(move |conn| -> DomainResult<_> {
                Ok(summaries::feed(conn, sort, None, None, FEED_ITEMS)?)
            })
            .await?
        }
        (FeedScope::Search(q), _) => {
            let query = SearchQuery {
                q: q.clone(),
                kind: SearchKind::Summaries,
                ..SearchQuery::default()
            };
            let page = Page {
                limit: Some(FEED_ITEMS),
                cursor: None,
            };
            let ids: Vec<SummaryId> = search::search(db, limits, client, query, page)
                .await?
                .items
                .into_iter()
                .filter_map(|hit| match hit {
                    shortscience_types::SearchHit::Summary { summary, .. } => Some(summary.id),
                    shortscience_types::SearchHit::Paper { .. } => None,
                })
                .collect();
            let order = ids.clone();
            let mut rows = db
                .run(move |conn| -> DomainResult<_> { Ok(summaries::find_many(conn, &ids)?) })
                .await?;
            rows.sort_by_key(|(s, _)| order.iter().position(|id| *id == s.id));
            rows
        }
        (_, Some(scope)) => {
            db.run(move |conn| -> DomainResult<_> {
                Ok(summaries::newest_in(conn, &scope, FEED_ITEMS)?)
            })
            .await?
        }
        (_, None) => Vec::new(),
    };
    let paper_ids: Vec<_> = rows.iter().map(|(s, _)| s.paper_id).collect();
    let briefs = db.run(move |conn| papers::briefs(conn, &paper_ids)).await?;
    let entries: Vec<FeedEntry> = rows
        .into_iter()
        .filter(|(s, _)| s.publicly_visible())
        .filter_map(|(summary, author)| {
            let paper = briefs.get(&summary.paper_id)?;
            let name = (!summary.anonymous).then(|| {
                author
                    .display_name
                    .clone()
                    .unwrap_or_else(|| author.username.clone())
            });
            let title = match &name {
                Some(name) => format!("{} — summary by {name}", paper.title),
                None => format!("{} — an anonymous summary", paper.title),
            };
            let mut categories: Vec<String> =
                paper.keywords.iter().map(|k| k.name.clone()).collect();
            if let Some(venue) = &paper.venue {
                categories.insert(0, venue.name.clone());
            }
            Some(FeedEntry {
                id: summary.id,
                title,
                link: format!("{base}/summaries/{}", summary.id),
                guid: None,
                author: name,
                published: summary.created_at.and_utc(),
                updated: summary.edited_at.unwrap_or(summary.created_at).and_utc(),
                html: summary.body_html,
                categories,
            })
        })
        .collect();
    let updated = entries.iter().map(|e| e.updated).max().unwrap_or_default();
    Ok(FeedDoc {
        title,
        description,
        page,
        self_base: self_path,
        updated,
        entries,
    })
}

const DUBLIN_CORE: &str = "http://purl.org/dc/elements/1.1/";
const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";
const ATOM: &str = "http://www.w3.org/2005/Atom";

/// The feed as RSS 2.0: names as `dc:creator`, the HTML as `content:encoded`.
pub fn to_rss(doc: &FeedDoc, self_url: &str) -> DomainResult<String> {
    let items: Vec<rss::Item> = doc
        .entries
        .iter()
        .map(|entry| {
            let mut item = rss::Item::default();
            item.set_title(entry.title.clone());
            item.set_link(entry.link.clone());
            item.set_guid(rss::Guid {
                value: entry.guid.clone().unwrap_or_else(|| entry.link.clone()),
                permalink: entry.guid.is_none(),
            });
            item.set_pub_date(entry.published.to_rfc2822());
            item.set_description(entry.html.clone());
            item.set_content(entry.html.clone());
            item.set_categories(
                entry
                    .categories
                    .iter()
                    .map(|name| rss::Category {
                        name: name.clone(),
                        domain: None,
                    })
                    .collect::<Vec<_>>(),
            );
            if let Some(author) = &entry.author {
                item.set_dublin_core_ext(rss::extension::dublincore::DublinCoreExtension {
                    creators: vec![author.clone()],
                    ..Default::default()
                });
            }
            item
        })
        .collect();
    let mut channel = rss::Channel::default();
    channel.set_title(doc.title.clone());
    channel.set_link(doc.page.clone());
    channel.set_description(doc.description.clone());
    channel.set_language("en".to_owned());
    channel.set_generator("ShortScience".to_owned());
    channel.set_last_build_date(doc.updated.to_rfc2822());
    channel.set_items(items);
    channel.set_namespaces(BTreeMap::from([
        ("dc".to_owned(), DUBLIN_CORE.to_owned()),
        ("content".to_owned(), CONTENT.to_owned()),
        ("atom".to_owned(), ATOM.to_owned()),
    ]));
    let mut self_link = rss::extension::atom::AtomExtension::default();
    self_link.set_links(vec![rss::extension::atom::Link {
        href: self_url.to_owned(),
        rel: "self".to_owned(),
        mime_type: Some("application/rss+xml".to_owned()),
        ..Default::default()
    }]);
    channel.set_atom_ext(self_link);
    let bytes = channel
        .write_to(Vec::new())
        .map_err(|e| DomainError::internal(anyhow::anyhow!("writing RSS: {e}")))?;
    String::from_utf8(bytes).map_err(DomainError::internal)
}

/// The feed as Atom 1.0, the HTML as `html` content.
pub fn to_atom(doc: &FeedDoc, self_url: &str) -> DomainResult<String> {
    use atom_syndication::{Category, Content, Entry, Feed, Link, Person, Text};
    let fixed = |t: DateTime<Utc>| t.fixed_offset();
    let entries: Vec<Entry> = doc
        .entries
        .iter()
        .map(|entry| {
            let mut out = Entry::default();
            out.set_id(entry.guid.clone().unwrap_or_else(|| entry.link.clone()));
            out.set_title(Text::plain(entry.title.clone()));
            out.set_updated(fixed(entry.updated));
            out.set_published(Some(fixed(entry.published)));
            out.set_links(vec![Link {
                href: entry.link.clone(),
                rel: "alternate".to_owned(),
                mime_type: Some("text/html".to_owned()),
                ..Default::default()
            }]);
            if let Some(author) = &entry.author {
                out.set_authors(vec![Person {
                    name: author.clone(),
                    ..Default::default()
                }]);
            }
            out.set_categories(
                entry
                    .categories
                    .iter()
                    .map(|term| Category {
                        term: term.clone(),
                        ..Default::default()
                    })
                    .collect::<Vec<_>>(),
            );
            let mut content = Content::default();
            content.set_content_type("html".to_owned());
            content.set_value(entry.html.clone());
            out.set_content(content);
            out
        })
        .collect();
    let mut feed = Feed::default();
    feed.set_id(self_url.to_owned());
    feed.set_title(Text::plain(doc.title.clone()));
    feed.set_subtitle(Some(Text::plain(doc.description.clone())));
    feed.set_updated(fixed(doc.updated));
    // Atom requires an author on every entry or on the feed: the site stands in for anonymous
    // summaries.
    feed.set_authors(vec![Person {
        name: "ShortScience".to_owned(),
        ..Default::default()
    }]);
    feed.set_links(vec![
        Link {
            href: self_url.to_owned(),
            rel: "self".to_owned(),
            mime_type: Some("application/atom+xml".to_owned()),
            ..Default::default()
        },
        Link {
            href: doc.page.clone(),
            rel: "alternate".to_owned(),
            mime_type: Some("text/html".to_owned()),
            ..Default::default()
        },
    ]);
    feed.set_generator(Some(atom_syndication::Generator {
        value: "ShortScience".to_owned(),
        ..Default::default()
    }));
    feed.set_entries(entries);
    let bytes = feed
        .write_to(Vec::new())
        .map_err(|e| DomainError::internal(anyhow::anyhow!("writing Atom: {e}")))?;
    String::from_utf8(bytes).map_err(DomainError::internal)
}

//! The web app's pages as the server sees them: which page a URL is, what it shows an anonymous
//! reader (for the page's head and its server-rendered first paint), and the sitemap.
//!
//! Everything here is what anyone may see: private, hidden and deleted summaries are never
//! loaded, and anonymous summaries never carry their author.

use percent_encoding::percent_decode_str;
use shortscience_types::{
    AuthorDetail, AuthorId, FeedQuery, KeywordItem, Page, PaperDetail, PaperListItem,
    PaperListQuery, PaperRef, SiteStats, SummaryDetail, SummaryId, UserProfile, UserSummaryItem,
    VenueDetail,
};

/// The kinds of page the sitemap lists (one sitemap file per kind and page).
pub use crate::db::models::sitemap::Kind as SitemapKind;
use crate::db::models::sitemap::{self, Entry};
use crate::db::Db;
use crate::domain::feed::{self, FeedSettings};
use crate::domain::{browse, papers, summaries, users, DomainError, DomainResult, Viewer};
use SitemapKind as Kind;

/// How many items a server-rendered list shows (the app loads more).
const FIRST_PAGE: i64 = 20;

/// A page of the web app, from its path and query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Home,
    Papers,
    Paper(PaperRef),
    Summary(SummaryId),
    /// The editor or the history of a summary: for its author, never indexed.
    SummaryTool(SummaryId),
    /// A paper's summary editor (`/write`), metadata form (`/edit`) or change log (`/history`):
    /// never indexed.
    PaperTool(PaperRef, &'static str),
    Venues,
    Venue {
        slug: String,
        year: Option<i32>,
    },
    Keywords,
    Keyword(String),
    User(String),
    Author(AuthorId),
    Search(String),
    /// A page of the app with nothing of the database in it (`/login`, `/settings`…): its
    /// title, and whether search engines should index it.
    Plain {
        title: &'static str,
        index: bool,
    },
    /// No page of the app has this address.
    Unknown,
}

fn decode(segment: &str) -> Option<String> {
    let text = percent_decode_str(segment).decode_utf8().ok()?;
    (!text.is_empty() && !text.contains('\0')).then(|| text.into_owned())
}

fn query_param(query: &str, name: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

impl Route {
    /// Which page `path` (with `query`, without `?`) is.
    pub fn parse(path: &str, query: &str) -> Route {
        let trimmed = path.trim_end_matches('/');
        let segments: Vec<&str> = trimmed.split('/').skip(1).collect();
        let id = |raw: &str| raw.parse::<i64>().ok().filter(|id| *id > 0);
        match segments.as_slice() {
            [] => Route::Home,
            ["papers"] => Route::Papers,
            // A DOI has slashes of its own, so `/papers/doi:10.1/x/history` is the history of
            // `doi:10.1/x` when that is a reference, else the paper `doi:10.1/x/history`.
            ["papers", rest @ .., tool @ ("write" | "edit" | "history")]
                if decode(&rest.join("/")).is_some_and(|r| PaperRef::parse(&r).is_ok()) =>
            {
                let title = match *tool {
                    "write" => "Write a summary",
                    "edit" => "Edit a paper",
                    _ => "A paper's history",
                };
                decode(&rest.join("/"))
                    .and_then(|r| PaperRef::parse(&r).ok())
                    .map_or(Route::Unknown, |r| Route::PaperTool(r, title))
            }
            ["papers", rest @ ..] => decode(&rest.join("/"))
                .and_then(|r| PaperRef::parse(&r).ok())
                .map_or(Route::Unknown, Route::Paper),
            ["summaries", raw] => {
                id(raw).map_or(Route::Unknown, |id| Route::Summary(SummaryId(id)))
            }
            ["summaries", raw, "edit" | "history"] => {
                id(raw).map_or(Route::Unknown, |id| Route::SummaryTool(SummaryId(id)))
            }
            ["venues"] => Route::Venues,
            ["venues", slug] => match decode(slug) {
                Some(slug) => Route::Venue {
                    slug,
                    year: query_param(query, "year").and_then(|y| y.parse().ok()),
                },
                None => Route::Unknown,
            },
            ["browse"] => Route::Keywords,
            ["keywords", slug] => decode(slug).map_or(Route::Unknown, Route::Keyword),
            ["users", name] => decode(name).map_or(Route::Unknown, Route::User),
            ["authors", raw] => id(raw).map_or(Route::Unknown, |id| Route::Author(AuthorId(id))),
            ["search"] => Route::Search(query_param(query, "q").unwrap_or_default()),
            ["login"] => Route::Plain {
                title: "Sign in",
                index: false,
            },
            ["register"] => Route::Plain {
                title: "Create an account",
                index: false,
            },
            ["settings"] => Route::Plain {
                title: "Settings",
                index: false,
            },
            ["add"] => Route::Plain {
                title: "Add a paper",
                index: false,
            },
            ["notifications"] => Route::Plain {
                title: "Notifications",
                index: false,
            },
            ["moderation"] => Route::Plain {
                title: "Moderation log",
                index: true,
            },
            // The moderators' queue: the app asks the API, which answers 403 to everyone else.
            ["moderation", "queue"] => Route::Plain {
                title: "Moderators' queue",
                index: false,
            },
            _ => Route::Unknown,
        }
    }
}

/// What a page shows an anonymous reader.
#[derive(Debug, Clone, PartialEq)]
pub enum PageData {
    Home {
        stats: SiteStats,
        feed: Vec<SummaryDetail>,
    },
    Paper(Box<PaperDetail>),
    Summary(Box<SummaryDetail>),
    Venue {
        venue: VenueDetail,
        year: Option<i32>,
        papers: Vec<PaperListItem>,
    },
    Keyword {
        keyword: KeywordItem,
        papers: Vec<PaperListItem>,
    },
    User {
        profile: UserProfile,
        summaries: Vec<UserSummaryItem>,
    },
    Author {
        author: AuthorDetail,
        papers: Vec<PaperListItem>,
    },
    Search(String),
    Plain {
        title: &'static str,
        index: bool,
    },
    /// An app page with no title of its own (lists the app loads by itself).
    List(&'static str),
    NotFound,
}

async fn paper_list(db: &Db, query: PaperListQuery) -> DomainResult<Vec<PaperListItem>> {
    let page = Page {
        limit: Some(FIRST_PAGE),
        cursor: None,
    };
    Ok(papers::list(db, query, page).await?.items)
}

/// Loads what `route` shows an anonymous reader; `NotFound` when what it names does not exist
/// or is not public.
#[tracing::instrument(level = "debug", skip(db, settings))]
pub async fn load(db: &Db, settings: FeedSettings, route: Route) -> DomainResult<PageData> {
    match load_found(db, settings, route).await {
        Err(DomainError::NotFound(_)) => Ok(PageData::NotFound),
        other => other,
    }
}

async fn load_found(db: &Db, settings: FeedSettings, route: Route) -> DomainResult<PageData> {
    match route {
        Route::Home => {
            let stats = browse::stats(db).await?;
            let page = Page {
                limit: Some(FIRST_PAGE),
                cursor: None,
            };
            let feed = feed::page(db, settings, Viewer::default(), FeedQuery::default(), page)
                .await?
                .items;
            Ok(PageData::Home { stats, feed })
        }
        Route::Papers => Ok(PageData::List("Papers")),
        Route::Venues => Ok(PageData::List("Venues")),
        Route::Keywords => Ok(PageData::List("Keywords")),
        Route::Paper(reference) => papers::get(db, Viewer::default(), reference)
            .await
            .map(|p| PageData::Paper(Box::new(p))),
        Route::PaperTool(reference, title) => papers::get(db, Viewer::default(), reference)
            .await
            .map(|_| PageData::Plain {
                title,
                index: false,
            }),
        Route::Summary(id) | Route::SummaryTool(id) => {
            let tool = matches!(route, Route::SummaryTool(_));
            let detail = summaries::get(db, summaries::SummaryAccess::anonymous(id)).await?;
            if detail.summary.visibility != shortscience_types::Visibility::Public {
                return Ok(PageData::NotFound);
            }
            Ok(if tool {
                PageData::Plain {
                    title: "Summary",
                    index: false,
                }
            } else {
                PageData::Summary(Box::new(detail))
            })
        }
        Route::Venue { slug, year } => {
            let venue = browse::venue(db, slug.to_lowercase()).await?;
            if year.is_some_and(|y| !venue.years.iter().any(|c| c.year == y)) {
                return Ok(PageData::NotFound);
            }
            let papers = paper_list(
                db,
                PaperListQuery {
                    venue: Some(venue.slug.clone()),
                    year,
                    ..PaperListQuery::default()
                },
            )
            .await?;
            Ok(PageData::Venue {
                venue,
                year,
                papers,
            })
        }
        Route::Keyword(slug) => {
            let keyword = browse::keyword(db, slug).await?;
            let papers = paper_list(
                db,
                PaperListQuery {
                    keyword: Some(keyword.slug.clone()),
                    ..PaperListQuery::default()
                },
            )
            .await?;
            Ok(PageData::Keyword { keyword, papers })
        }
        Route::User(name) => {
            let profile = users::profile(db, name).await?;
            let page = Page {
                limit: Some(FIRST_PAGE),
                cursor: None,
            };
            let summaries = users::summaries(db, profile.username.clone(), page)
                .await?
                .items;
            Ok(PageData::User { profile, summaries })
        }
        Route::Author(id) => {
            let author = browse::author(db, id).await?;
            let papers = paper_list(
                db,
                PaperListQuery {
                    author: Some(id),
                    ..PaperListQuery::default()
                },
            )
            .await?;
            Ok(PageData::Author { author, papers })
        }
        Route::Search(q) => Ok(PageData::Search(q)),
        Route::Plain { title, index } => Ok(PageData::Plain { title, index }),
        Route::Unknown => Ok(PageData::NotFound),
    }
}

/// The sitemap's parts: each kind with its number of pages of at most `per_page` URLs.
pub async fn sitemap_parts(db: &Db, per_page: i64) -> DomainResult<Vec<(Kind, i64)>> {
    let per_page = per_page.max(1);
    db.run(move |conn| -> DomainResult<_> {
        let mut parts = Vec::new();
        for kind in Kind::ALL {
            let count = sitemap::count(conn, kind)?;
            let pages = (count + per_page - 1) / per_page;
            parts.extend((1..=pages).map(|n| (kind, n)));
        }
        Ok(parts)
    })
    .await
}

/// Page `number` (from 1) of the sitemap's `kind`; not found past the last page.
pub async fn sitemap_part(
    db: &Db,
    kind: Kind,
    number: i64,
    per_page: i64,
) -> DomainResult<Vec<Entry>> {
    let per_page = per_page.max(1);
    let missing = || DomainError::not_found(format!("no sitemap {}-{number}", kind.as_str()));
    if number < 1 {
        return Err(missing());
    }
    let entries = db
        .run(move |conn| -> DomainResult<_> {
            Ok(sitemap::page(
                conn,
                kind,
                (number - 1).saturating_mul(per_page),
                per_page,
            )?)
        })
        .await?;
    if entries.is_empty() {
        return Err(missing());
    }
    Ok(entries)
}

//! The web app's `index.html`, filled in for the page asked for: a head naming the page (title,
//! description, canonical URL, OpenGraph, Twitter card, Google Scholar `citation_*` tags,
//! schema.org JSON-LD, feed and oEmbed links) and a first paint of its content in
//! `<div id="ssr">`, plain HTML the app replaces when it mounts. A reader on a slow phone reads at
//! once; a reader without JavaScript reads at all; a crawler or link preview sees the page.
//!
//! Only what an anonymous reader may see goes in: private, hidden and deleted summaries are
//! never loaded, and an anonymous summary's author is never named. An address naming nothing
//! answers 404 with the shell (the app shows its not-found page). A private summary's address is
//! a 404 too, for everyone: its share token lives in the URL's fragment, which the server never
//! sees, so the app (which has it) fetches and shows the summary itself.

mod listings;
mod markup;
mod paper;
mod shell;
mod summary;
mod text;

use actix_web::http::StatusCode;
use serde_json::Value;
use shortscience_types::PaperId;

use crate::domain::render::escape_html as esc;
use crate::domain::site::PageData;

pub use shell::fill;

const SITE: &str = "ShortScience";
const SITE_DESCRIPTION: &str =
    "Short summaries of research papers, written, ranked and discussed by their readers.";
/// Descriptions longer than this are cut (search engines show about 160 characters).
const DESCRIPTION_CHARS: usize = 200;

/// A feed a page advertises: its title and its address without `.rss`/`.atom`.
#[derive(Debug, Clone, PartialEq)]
struct FeedLink {
    title: String,
    path: String,
}

impl FeedLink {
    /// The feed of a paper's summaries.
    fn paper(id: PaperId, title: &str) -> Self {
        Self {
            title: format!("Summaries of “{title}”"),
            path: format!("/feeds/papers/{id}"),
        }
    }
}

/// Everything a page's head says.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    pub status: StatusCode,
    title: String,
    description: String,
    /// Path (with query) of the page's canonical address.
    canonical: Option<String>,
    index: bool,
    og_type: &'static str,
    /// `<meta name=…>` (citation_*, twitter:*) in order.
    names: Vec<(&'static str, String)>,
    /// `<meta property=…>` (og:*, article:*) in order.
    properties: Vec<(&'static str, String)>,
    json_ld: Vec<Value>,
    feeds: Vec<FeedLink>,
    /// The oEmbed document's address, for summaries and papers.
    oembed: bool,
}

impl Head {
    fn new(title: impl Into<String>, description: impl Into<String>) -> Self {
        Self {
            status: StatusCode::OK,
            title: title.into(),
            description: description.into(),
            canonical: None,
            index: true,
            og_type: "website",
            names: Vec::new(),
            properties: Vec::new(),
            json_ld: Vec::new(),
            feeds: vec![FeedLink {
                title: "ShortScience: new summaries".to_owned(),
                path: "/feeds/summaries".to_owned(),
            }],
            oembed: false,
        }
    }

    fn full_title(&self) -> String {
        if self.title.is_empty() {
            SITE.to_owned()
        } else {
            format!("{} · {SITE}", self.title)
        }
    }

    fn title_or_site(&self) -> String {
        if self.title.is_empty() {
            SITE.to_owned()
        } else {
            self.title.clone()
        }
    }
}

/// The head and first paint of a page.
pub fn render_page(data: &PageData, base: &str, path_and_query: &str) -> (Head, String) {
    match data {
        PageData::Home { stats, feed } => listings::home(stats, feed),
        PageData::Paper(paper) => (paper::head(paper, base), paper::body(paper)),
        PageData::Summary(detail) => (summary::head(detail, base), summary::body(detail)),
        PageData::Venue {
            venue,
            year,
            papers,
        } => listings::venue(venue, *year, papers),
        PageData::Keyword { keyword, papers } => listings::keyword(keyword, papers),
        PageData::User { profile, summaries } => listings::user(profile, summaries),
        PageData::Author { author, papers } => listings::author(author, papers),
        PageData::Search(q) => {
            let title = if q.trim().is_empty() {
                "Search".to_owned()
            } else {
                format!("Search: {q}")
            };
            let mut head = Head::new(title.clone(), SITE_DESCRIPTION);
            head.index = false;
            if !q.trim().is_empty() {
                head.feeds.push(FeedLink {
                    title: format!("Summaries matching “{q}”"),
                    path: format!(
                        "/feeds/search?q={}",
                        url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
                    ),
                });
            }
            let body = format!("<h1>{}</h1>", esc(&title));
            (head, body)
        }
        PageData::List(title) => {
            let mut head = Head::new(*title, SITE_DESCRIPTION);
            head.canonical = Some(path_and_query.to_owned());
            (head, format!("<h1>{}</h1>", esc(title)))
        }
        PageData::Plain { title, index } => {
            let mut head = Head::new(*title, SITE_DESCRIPTION);
            head.index = *index;
            (head, format!("<h1>{}</h1>", esc(title)))
        }
        PageData::NotFound => {
            let mut head = Head::new("Not found", SITE_DESCRIPTION);
            head.status = StatusCode::NOT_FOUND;
            head.index = false;
            let body = "<section class=\"not-found\"><h1>Not found</h1><p>There is nothing at this address. <a href=\"/\">Back to the front page</a></p></section>".to_owned();
            (head, body)
        }
    }
}

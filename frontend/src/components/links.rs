//! Every in-app link built from data (usernames, venue and keyword slugs, paper references) is
//! made here, with each piece percent-encoded as a path segment or query value: data must never
//! be able to change where a link goes.

use leptos::prelude::*;
use shortscience_types::{AuthorId, PaperId, SummaryId};

use crate::api::enc;

pub fn paper_href(id: PaperId) -> String {
    format!("/papers/{id}")
}

pub fn summary_href(id: SummaryId) -> String {
    format!("/summaries/{id}")
}

pub fn user_href(username: &str) -> String {
    format!("/users/{}", enc(username))
}

pub fn author_href(id: AuthorId) -> String {
    format!("/authors/{id}")
}

pub fn keyword_href(slug: &str) -> String {
    format!("/keywords/{}", enc(slug))
}

/// A venue's page, of one year when given.
pub fn venue_href(slug: &str, year: Option<i32>) -> String {
    match year {
        Some(year) => format!("/venues/{}?year={year}", enc(slug)),
        None => format!("/venues/{}", enc(slug)),
    }
}

/// The search page for `q`.
pub fn search_href(q: &str) -> String {
    format!("/search?q={}", enc(q))
}

/// The server's RSS feeds, by what they follow.
pub mod feeds {
    use super::enc;
    use shortscience_types::PaperId;

    pub fn summaries(sort: &str) -> String {
        format!("/feeds/summaries.rss?sort={}", enc(sort))
    }

    pub fn paper(id: PaperId) -> String {
        format!("/feeds/papers/{id}.rss")
    }

    pub fn venue(slug: &str, year: Option<i32>) -> String {
        match year {
            Some(year) => format!("/feeds/venues/{}/{year}.rss", enc(slug)),
            None => format!("/feeds/venues/{}.rss", enc(slug)),
        }
    }

    pub fn user(username: &str) -> String {
        format!("/feeds/users/{}.rss", enc(username))
    }

    pub fn keyword(slug: &str) -> String {
        format!("/feeds/keywords/{}.rss", enc(slug))
    }

    pub fn search(q: &str) -> String {
        format!("/feeds/search.rss?q={}", enc(q))
    }
}

/// A small "RSS" link to the feed of what the page shows. The server serves feeds (not the
/// app), so the router must leave the link alone: `rel="external"`.
#[component]
pub fn FeedLink(
    #[prop(into)] href: Signal<String>,
    /// What the feed follows, for its accessible name ("New summaries of ICLR").
    #[prop(into)]
    what: String,
) -> impl IntoView {
    view! {
        <a
            class="feed-link"
            href=move || href.get()
            rel="alternate external"
            type="application/rss+xml"
            aria-label=format!("RSS feed: {what}")
            data-testid="feed-link"
        >
            <span aria-hidden="true" class="feed-icon">"◉"</span>
            "RSS"
        </a>
    }
}

//! Listing pages: the front page, a venue's, keyword's or author's papers, a user's summaries.

use shortscience_types::{
    AuthorDetail, KeywordItem, PaperListItem, SiteStats, SummaryDetail, UserProfile,
    UserSummaryItem, VenueDetail,
};

use super::markup::{feed_card, paper_list};
use super::text::{encode, venue_year};
use super::{esc, FeedLink, Head, DESCRIPTION_CHARS, SITE, SITE_DESCRIPTION};
use crate::domain::render::shorten;

/// A page of papers: its heading, a line about it and the list.
fn papers_page(heading: &str, meta: &str, papers: &[PaperListItem]) -> String {
    format!(
        "<header class=\"page-head\"><h1>{}</h1><p class=\"meta\">{meta}</p></header>{}",
        esc(heading),
        paper_list(papers)
    )
}

/// The papers `relation` (`about`, `by`) `name`: a head and the page, without a canonical
/// address.
fn papers_of(
    relation: &str,
    name: &str,
    paper_count: i64,
    papers: &[PaperListItem],
) -> (Head, String) {
    let head = Head::new(
        name.to_owned(),
        format!(
            "Papers {relation} {name} with their summaries on ShortScience ({paper_count} papers)."
        ),
    );
    let body = papers_page(name, &format!("{paper_count} papers"), papers);
    (head, body)
}

pub(super) fn home(stats: &SiteStats, feed: &[SummaryDetail]) -> (Head, String) {
    let mut head = Head::new("", SITE_DESCRIPTION);
    head.canonical = Some("/".to_owned());
    head.feeds.push(FeedLink {
        title: "ShortScience: hot summaries".to_owned(),
        path: "/feeds/summaries?sort=hot".to_owned(),
    });
    let mut body = String::new();
    body.push_str(&format!(
        "<section class=\"intro\"><h1>{SITE}</h1><p>{}</p><p class=\"meta\">{} public summaries · {} papers · {} contributors</p></section>",
        esc(SITE_DESCRIPTION),
        stats.public_summaries,
        stats.papers,
        stats.contributors
    ));
    body.push_str("<section aria-label=\"Hot summaries\">");
    for item in feed {
        body.push_str(&feed_card(item));
    }
    if feed.is_empty() {
        body.push_str("<p class=\"empty\">No summaries yet.</p>");
    }
    body.push_str("</section>");
    (head, body)
}

pub(super) fn venue(
    venue: &VenueDetail,
    year: Option<i32>,
    papers: &[PaperListItem],
) -> (Head, String) {
    let name = match year {
        Some(y) => format!("{} {y}", venue.name),
        None => venue.name.clone(),
    };
    let mut head = Head::new(
        name.clone(),
        format!(
            "Papers of {name} with their summaries on ShortScience: {} papers, {} summaries.",
            venue.paper_count, venue.summary_count
        ),
    );
    let slug = encode(&venue.slug);
    head.canonical = Some(match year {
        Some(y) => format!("/venues/{slug}?year={y}"),
        None => format!("/venues/{slug}"),
    });
    head.feeds.push(FeedLink {
        title: format!("Summaries of {} papers", venue.name),
        path: format!("/feeds/venues/{slug}"),
    });
    if let Some(y) = year {
        head.feeds.push(FeedLink {
            title: format!("Summaries of {name} papers"),
            path: format!("/feeds/venues/{slug}/{y}"),
        });
    }
    let meta = format!(
        "{} papers · {} summaries",
        venue.paper_count, venue.summary_count
    );
    (head, papers_page(&name, &meta, papers))
}

pub(super) fn keyword(keyword: &KeywordItem, papers: &[PaperListItem]) -> (Head, String) {
    let (mut head, body) = papers_of("about", &keyword.name, keyword.paper_count, papers);
    let slug = encode(&keyword.slug);
    head.canonical = Some(format!("/keywords/{slug}"));
    head.feeds.push(FeedLink {
        title: format!("Summaries of papers about {}", keyword.name),
        path: format!("/feeds/keywords/{slug}"),
    });
    (head, body)
}

pub(super) fn author(author: &AuthorDetail, papers: &[PaperListItem]) -> (Head, String) {
    let (mut head, body) = papers_of("by", &author.name, author.paper_count, papers);
    head.canonical = Some(format!("/authors/{}", author.id));
    (head, body)
}

pub(super) fn user(profile: &UserProfile, summaries: &[UserSummaryItem]) -> (Head, String) {
    let name = profile
        .display_name
        .clone()
        .unwrap_or_else(|| profile.username.clone());
    let description = if profile.bio.trim().is_empty() {
        format!(
            "{name} on ShortScience: {} public summaries.",
            profile.summary_count
        )
    } else {
        shorten(&profile.bio, DESCRIPTION_CHARS)
    };
    let mut head = Head::new(format!("{name} (@{})", profile.username), description);
    head.og_type = "profile";
    head.properties
        .push(("profile:username", profile.username.clone()));
    let handle = encode(&profile.username);
    head.canonical = Some(format!("/users/{handle}"));
    head.feeds.push(FeedLink {
        title: format!("Summaries by {name}"),
        path: format!("/feeds/users/{handle}"),
    });
    let mut body = format!(
        "<header class=\"page-head profile\"><h1>{}</h1><p class=\"meta\">@{} · {} summaries</p>{}</header>",
        esc(&name),
        esc(&profile.username),
        profile.summary_count,
        if profile.bio.trim().is_empty() {
            String::new()
        } else {
            format!("<p>{}</p>", esc(&profile.bio))
        }
    );
    for item in summaries {
        body.push_str(&format!(
            "<article class=\"card feed-item\"><h2 class=\"paper-title\"><a href=\"/papers/{}\">{}</a></h2><p class=\"meta\">{}</p><div class=\"excerpt prose\">{}</div><p><a href=\"/summaries/{}\">Read the summary</a></p></article>",
            item.paper.id,
            esc(&item.paper.title),
            esc(&venue_year(item.paper.venue.as_ref(), item.paper.year)),
            item.excerpt_html,
            item.id
        ));
    }
    (head, body)
}

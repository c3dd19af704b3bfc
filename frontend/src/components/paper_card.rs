use leptos::prelude::*;
use leptos_router::components::A;
use shortscience_types::{AuthorRef, KeywordRef, PaperListItem, VenueRef};

use super::links::{paper_href, venue_href};
use super::{RelativeTime, RichHtml};

/// Authors in the paper's order: the first `max`, then "et al.". Plain text: in lists, the
/// card's one link is its title (fewer stops for keyboard users).
#[component]
pub fn AuthorList(authors: Vec<AuthorRef>, #[prop(default = 3)] max: usize) -> impl IntoView {
    let total = authors.len();
    let mut names = authors
        .into_iter()
        .take(max)
        .map(|a| a.name)
        .collect::<Vec<_>>()
        .join(", ");
    if total > max {
        names.push_str(" et al.");
    }
    (total > 0).then(|| view! { <span class="authors">{names}</span> })
}

/// A paper's keywords, as plain tags (see [`AuthorList`]).
#[component]
pub fn KeywordTags(keywords: Vec<KeywordRef>, #[prop(default = 4)] max: usize) -> impl IntoView {
    (!keywords.is_empty()).then(|| {
        view! {
            <ul class="tags" aria-label="Keywords">
                {keywords.into_iter().take(max).map(|k| view! { <li class="tag">{k.name}</li> }).collect_view()}
            </ul>
        }
    })
}

/// "ICLR 2020", linking to the venue (`link` unset: as text).
#[component]
pub fn VenueYear(
    venue: Option<VenueRef>,
    year: Option<i32>,
    #[prop(default = true)] link: bool,
) -> impl IntoView {
    let year_text = year.map(|y| y.to_string()).unwrap_or_default();
    match venue {
        Some(venue) if link => {
            let href = venue_href(&venue.slug, year);
            view! { <A href=href attr:class="venue">{venue.name}" "{year_text}</A> }.into_any()
        }
        Some(venue) => view! { <span class="venue">{venue.name}" "{year_text}</span> }.into_any(),
        None => view! { <span class="venue">{year_text}</span> }.into_any(),
    }
}

/// A paper's venue, year and first `max` authors, as plain text under its title in a list.
#[component]
pub fn PaperMeta(
    venue: Option<VenueRef>,
    year: Option<i32>,
    authors: Vec<AuthorRef>,
    #[prop(default = 3)] max: usize,
) -> impl IntoView {
    view! {
        <p class="meta">
            <VenueYear venue year link=false/>
            <span class="dot">" · "</span>
            <AuthorList authors max/>
        </p>
    }
}

/// "no summaries yet", "1 summary" or "N summaries", at the foot of a paper's card.
pub fn summary_count_text(count: i64) -> String {
    match count {
        0 => "no summaries yet".to_owned(),
        1 => "1 summary".to_owned(),
        n => format!("{n} summaries"),
    }
}

/// A paper in a list, with its newest summary's excerpt.
#[component]
pub fn PaperCard(paper: PaperListItem) -> impl IntoView {
    let href = paper_href(paper.id);
    let count_text = summary_count_text(paper.summary_count);
    let latest = paper.latest_summary.clone();
    view! {
        <article class="card paper-card" data-testid="paper-card" data-card tabindex="-1">
            <h2 class="paper-title"><A href=href>{paper.title.clone()}</A></h2>
            <PaperMeta venue=paper.venue.clone() year=paper.year authors=paper.authors.clone() max=4/>
            {latest.map(|summary| {
                let who = summary
                    .author
                    .map(|a| a.display_name.unwrap_or(a.username))
                    .unwrap_or_else(|| "anonymous".to_owned());
                view! {
                    <blockquote class="excerpt">
                        <RichHtml html=summary.excerpt_html class="excerpt-text"/>
                        <footer>
                            "— " {who} ", " <RelativeTime at=summary.created_at/>
                        </footer>
                    </blockquote>
                }
            })}
            <p class="card-foot meta">{count_text}</p>
        </article>
    }
}

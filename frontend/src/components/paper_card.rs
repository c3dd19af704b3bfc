use leptos::prelude::*;
use leptos_router::components::A;
use shortscience_types::{AuthorRef, PaperListItem, VenueRef};

use super::RelativeTime;

/// Authors in the paper's order, shortened after `max`.
#[component]
fn AuthorList(authors: Vec<AuthorRef>, #[prop(default = 6)] max: usize) -> impl IntoView {
    let total = authors.len();
    let mut names: Vec<String> = authors.into_iter().take(max).map(|a| a.name).collect();
    if total > max {
        names.push(format!("and {} more", total - max));
    }
    view! { <span class="authors">{names.join(", ")}</span> }
}

/// "ICLR 2020", linking to the venue.
#[component]
pub fn VenueYear(venue: Option<VenueRef>, year: Option<i32>) -> impl IntoView {
    let year_text = year.map(|y| y.to_string()).unwrap_or_default();
    match venue {
        Some(venue) => {
            let href = match year {
                Some(y) => format!("/venues/{}?year={y}", venue.slug),
                None => format!("/venues/{}", venue.slug),
            };
            view! { <A href=href attr:class="venue">{venue.name}" "{year_text}</A> }.into_any()
        }
        None => view! { <span class="venue">{year_text}</span> }.into_any(),
    }
}

/// A paper in a list, with its newest summary's excerpt.
#[component]
pub fn PaperCard(paper: PaperListItem) -> impl IntoView {
    let href = format!("/papers/{}", paper.id);
    let count = paper.summary_count;
    let count_text = match count {
        0 => "no summaries yet".to_owned(),
        1 => "1 summary".to_owned(),
        n => format!("{n} summaries"),
    };
    let latest = paper.latest_summary.clone();
    view! {
        <article class="card paper-card" data-testid="paper-card">
            <h2 class="paper-title"><A href=href.clone()>{paper.title.clone()}</A></h2>
            <p class="meta">
                <VenueYear venue=paper.venue.clone() year=paper.year/>
                <span class="dot">" · "</span>
                <AuthorList authors=paper.authors.clone() max=4/>
            </p>
            {latest.map(|summary| {
                let who = summary
                    .author
                    .map(|a| a.display_name.unwrap_or(a.username))
                    .unwrap_or_else(|| "anonymous".to_owned());
                view! {
                    <blockquote class="excerpt">
                        <p inner_html=summary.excerpt_html></p>
                        <footer>
                            "— " {who} ", " <RelativeTime at=summary.created_at/>
                        </footer>
                    </blockquote>
                }
            })}
            <p class="card-foot"><A href=href>{count_text}</A></p>
        </article>
    }
}

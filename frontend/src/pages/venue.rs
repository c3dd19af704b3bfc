use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use shortscience_types::{FollowKind, PaperListQuery};

use crate::api::{self, ApiError};
use crate::components::links::{feeds, venue_href};
use crate::components::{set_title, FeedLink, FollowButton, Loader, PapersOf};

#[component]
pub fn VenuePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let year = move || query.with(|q| q.get_str("year").and_then(|y| y.parse::<i32>().ok()));
    let venue = LocalResource::new(move || {
        let slug = slug();
        async move { api::venue(&slug).await }
    });
    let papers = Signal::derive(move || PaperListQuery {
        venue: Some(slug()),
        year: year(),
        ..PaperListQuery::default()
    });
    let chip = move |selected: Option<i32>| {
        move || {
            if year() == selected {
                "chip active"
            } else {
                "chip"
            }
        }
    };

    view! {
        <Loader not_found_title="Venue not found">
            {move || Suspend::new(async move {
                let v = venue.await?;
                set_title(&v.name);
                let slug = v.slug.clone();
                let meta = format!("{} papers · {} summaries", v.paper_count, v.summary_count);
                let feed = {
                    let slug = slug.clone();
                    Signal::derive(move || feeds::venue(&slug, year()))
                };
                let feed_name = {
                    let name = v.name.clone();
                    move || match year() {
                        Some(y) => format!("new summaries of {name} {y}"),
                        None => format!("new summaries of {name}"),
                    }
                };
                Ok::<_, ApiError>(view! {
                    <PapersOf kicker=v.kind.as_str() name=v.name.clone() meta query=papers>
                        <nav class="chips" aria-label="Years">
                            <A href=venue_href(&slug, None) attr:class=chip(None)>"All years"</A>
                            {v.years.into_iter().map(|y| view! {
                                <A href=venue_href(&slug, Some(y.year)) attr:class=chip(Some(y.year))>
                                    {y.year.to_string()}
                                </A>
                            }).collect_view()}
                        </nav>
                        <p class="meta">{move || view! { <FeedLink href=feed what=feed_name()/> }}</p>
                        <p class="head-actions">
                            <FollowButton kind=FollowKind::Venue key=v.slug.clone() label=v.name.clone()/>
                        </p>
                    </PapersOf>
                })
            })}
        </Loader>
    }
}

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::paper_list::{sort_from_url, PaperList, SortTabs};
use crate::api::{self, PaperQuery};
use crate::components::{set_title, ErrorView, Loading};

#[component]
pub fn VenuePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let year = move || query.with(|q| q.get("year").and_then(|y| y.parse::<i32>().ok()));
    let venue = LocalResource::new(move || {
        let slug = slug();
        async move { api::venue(&slug).await }
    });
    let sort = sort_from_url();
    let paper_query = Signal::derive(move || PaperQuery {
        venue: Some(slug()),
        year: year(),
        sort: Some(sort.get()),
        ..PaperQuery::default()
    });

    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match venue.await {
                    Ok(v) => {
                        set_title(&v.name);
                        let base = format!("/venues/{}", v.slug);
                        let all_href = base.clone();
                        view! {
                            <header class="page-head">
                                <p class="kicker">{v.kind.as_str()}</p>
                                <h1>{v.name.clone()}</h1>
                                <p class="meta">{format!("{} papers · {} summaries", v.paper_count, v.summary_count)}</p>
                                <nav class="chips" aria-label="Years">
                                    <A href=all_href attr:class=move || if year().is_none() { "chip active" } else { "chip" }>"All years"</A>
                                    {v.years.into_iter().map(|y| {
                                        let href = format!("{base}?year={}", y.year);
                                        let this = y.year;
                                        view! {
                                            <A href=href attr:class=move || if year() == Some(this) { "chip active" } else { "chip" }>
                                                {y.year.to_string()}
                                            </A>
                                        }
                                    }).collect_view()}
                                </nav>
                            </header>
                            <SortTabs/>
                            <PaperList query=paper_query/>
                        }.into_any()
                    }
                    Err(error) => {
                        set_title("Venue not found");
                        view! { <ErrorView error/> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::paper_list::{sort_from_url, PaperList, SortTabs};
use crate::api::PaperQuery;
use crate::components::set_title;

#[component]
pub fn HomePage() -> impl IntoView {
    set_title("");
    let sort = sort_from_url();
    let query = use_query_map();
    let year = move || query.with(|q| q.get("year").and_then(|y| y.parse::<i32>().ok()));
    view! {
        <section class="intro">
            <h1>"Short summaries of research papers"</h1>
            <p>
                "Readers explain papers in a few paragraphs, with math. The best explanations rise by vote."
            </p>
        </section>
        {move || year().map(|y| view! {
            <p class="meta filter-note">"Papers from " {y} " · " <A href="/">"all years"</A></p>
        })}
        <SortTabs/>
        <PaperList query=Signal::derive(move || PaperQuery { sort: Some(sort.get()), year: year(), ..PaperQuery::default() })/>
    }
}

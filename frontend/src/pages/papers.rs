//! `/papers`: the whole catalogue, in the four orders of the paper list.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::paper_list::{sort_from_url, PaperList, SortTabs};
use crate::api::PaperQuery;
use crate::components::set_title;

#[component]
pub fn PapersPage() -> impl IntoView {
    set_title("Papers");
    let sort = sort_from_url();
    let query = use_query_map();
    let year = move || query.with(|q| q.get("year").and_then(|y| y.parse::<i32>().ok()));
    view! {
        <section class="intro">
            <h1>"Papers"</h1>
            <p>"Every paper on ShortScience, with its newest summary."</p>
        </section>
        {move || year().map(|y| view! {
            <p class="meta filter-note">"Papers from " {y} " · " <A href="/papers">"all years"</A></p>
        })}
        <SortTabs/>
        <PaperList query=Signal::derive(move || PaperQuery { sort: Some(sort.get()), year: year(), ..PaperQuery::default() })/>
    }
}

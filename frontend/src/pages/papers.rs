//! `/papers`: the whole catalogue, in the four orders of the paper list.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use shortscience_types::PaperListQuery;

use crate::components::{set_title, PaperList};

#[component]
pub fn PapersPage() -> impl IntoView {
    set_title("Papers");
    let query = use_query_map();
    let year = move || query.with(|q| q.get_str("year").and_then(|y| y.parse::<i32>().ok()));
    view! {
        <section class="intro">
            <h1>"Papers"</h1>
            <p>"Every paper on ShortScience, with its newest summary."</p>
        </section>
        {move || year().map(|y| view! {
            <p class="meta filter-note">"Papers from " {y} " · " <A href="/papers">"all years"</A></p>
        })}
        <PaperList query=Signal::derive(move || PaperListQuery { year: year(), ..PaperListQuery::default() })/>
    }
}

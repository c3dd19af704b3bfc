//! Paper lists: paper cards page after page, in the order the URL's `sort` names, with the tabs
//! that change it; and the page of a venue, keyword or author around such a list.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_query_map};
use shortscience_types::{PaperListItem, PaperListQuery, PaperSort};

use super::load_more::{ListText, LoadMore, Pages};
use super::PaperCard;
use crate::api;

/// The orders a paper list offers, with their tab labels; the first is the default.
const SORTS: [(PaperSort, &str); 4] = [
    (PaperSort::New, "Newest papers"),
    (PaperSort::Recent, "Latest summaries"),
    (PaperSort::Summaries, "Most summaries"),
    (PaperSort::Top, "Top rated"),
];

/// The `sort` of the current URL (the default when absent or unknown).
fn sort_from_url() -> Memo<PaperSort> {
    let query = use_query_map();
    Memo::new(move |_| {
        query.with(|q| {
            let wanted = q.get_str("sort");
            SORTS
                .iter()
                .find(|(sort, _)| Some(sort.as_str()) == wanted)
                .map_or(SORTS[0].0, |(sort, _)| *sort)
        })
    })
}

/// Links that change the list's order, keeping the page's other query parameters.
#[component]
fn SortTabs(current: Memo<PaperSort>) -> impl IntoView {
    let location = use_location();
    let query = use_query_map();
    view! {
        <nav class="chips sort-tabs" aria-label="Sort papers">
            {SORTS.iter().map(|(value, label)| {
                let value = *value;
                let href = move || {
                    let mut params: Vec<String> = query.with(|q| {
                        q.clone().into_iter()
                            .filter(|(k, _)| k != "sort")
                            .map(|(k, v)| format!("{k}={}", js_sys::encode_uri_component(&v)))
                            .collect()
                    });
                    if value != SORTS[0].0 {
                        params.push(format!("sort={}", value.as_str()));
                    }
                    let path = location.pathname.get();
                    if params.is_empty() { path } else { format!("{path}?{}", params.join("&")) }
                };
                view! {
                    <A href=href attr:class=move || if current.get() == value { "chip active" } else { "chip" }>
                        {*label}
                    </A>
                }
            }).collect_view()}
        </nav>
    }
}

fn paper_card(paper: PaperListItem) -> AnyView {
    view! { <PaperCard paper/> }.into_any()
}

/// The papers matching `query` (its `sort` aside: that is the URL's), with the order tabs.
/// Reloads when the query or the order changes.
#[component]
pub fn PaperList(#[prop(into)] query: Signal<PaperListQuery>) -> impl IntoView {
    let sort = sort_from_url();
    let query = Memo::new(move |_| PaperListQuery {
        sort: sort.get(),
        ..query.get()
    });
    let pages = Signal::derive(move || {
        Some(Pages::of(
            query.get(),
            |query, cursor| async move { api::papers(&query, cursor.as_deref()).await },
            paper_card,
        ))
    });
    let text = ListText {
        loading: "Loading papers…",
        more: "Show more papers",
    };
    view! {
        <SortTabs current=sort/>
        <LoadMore pages text empty="No papers here yet." class="paper-list"/>
    }
}

/// The page of a venue, keyword or author: its head (with `children`, if any, at the end) and
/// its papers.
#[component]
pub fn PapersOf(
    /// What it is ("Author", "Conference", …).
    #[prop(into)]
    kicker: String,
    #[prop(into)] name: String,
    #[prop(into)] meta: String,
    #[prop(into)] query: Signal<PaperListQuery>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <header class="page-head">
            <p class="kicker">{kicker}</p>
            <h1>{name}</h1>
            <p class="meta">{meta}</p>
            {children.map(|children| children())}
        </header>
        <PaperList query/>
    }
}

//! A paper list that loads page after page ("Show more").

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_query_map};
use shortscience_types::PaperListItem;

use crate::api::{self, ApiError, PaperQuery};
use crate::components::{ErrorView, Loading, PaperCard};

#[derive(Debug, Clone, Default)]
struct ListState {
    items: Vec<PaperListItem>,
    next_cursor: Option<String>,
    loading: bool,
    error: Option<ApiError>,
    loaded_once: bool,
}

/// Papers matching `query` (venue, year), newest first. Reloads when the query changes.
#[component]
pub fn PaperList(#[prop(into)] query: Signal<PaperQuery>) -> impl IntoView {
    let state = RwSignal::new(ListState::default());
    // Each load carries the query it was made for, so a slow answer to an old query is dropped.
    let load = move |base: PaperQuery, cursor: Option<String>, replace: bool| {
        state.update(|s| {
            s.loading = true;
            s.error = None;
            if replace {
                s.items.clear();
                s.loaded_once = false;
            }
        });
        spawn_local(async move {
            let result = api::papers(PaperQuery {
                cursor,
                ..base.clone()
            })
            .await;
            if query.get_untracked() != base {
                return;
            }
            state.update(|s| {
                s.loading = false;
                s.loaded_once = true;
                match result {
                    Ok(page) => {
                        s.items.extend(page.items);
                        s.next_cursor = page.next_cursor;
                    }
                    Err(e) => s.error = Some(e),
                }
            });
        });
    };
    Effect::new(move |_| load(query.get(), None, true));

    let show_more = move |_| {
        let cursor = state.with_untracked(|s| s.next_cursor.clone());
        if cursor.is_some() {
            load(query.get_untracked(), cursor, false);
        }
    };

    view! {
        <section class="paper-list" aria-busy=move || state.with(|s| s.loading.to_string())>
            <For
                each=move || state.with(|s| s.items.clone())
                key=|paper| paper.id
                children=|paper| view! { <PaperCard paper/> }
            />
            {move || state.with(|s| {
                if s.loaded_once && s.items.is_empty() && s.error.is_none() {
                    Some(view! { <p class="empty">"No papers here yet."</p> })
                } else {
                    None
                }
            })}
            {move || state.with(|s| s.error.clone()).map(|error| view! { <ErrorView error/> })}
            {move || {
                if state.with(|s| s.loading) {
                    view! { <Loading label="Loading papers…"/> }.into_any()
                } else if state.with(|s| s.next_cursor.is_some()) {
                    view! { <button class="button more" on:click=show_more>"Show more papers"</button> }.into_any()
                } else {
                    ().into_any()
                }
            }}
        </section>
    }
}

/// The orders a paper list offers, as `(value, label)`.
const SORTS: [(&str, &str); 4] = [
    ("new", "Newest papers"),
    ("recent", "Latest summaries"),
    ("summaries", "Most summaries"),
    ("top", "Top rated"),
];

/// The `sort` of the current URL (`new` when absent or unknown).
pub fn sort_from_url() -> Memo<String> {
    let query = use_query_map();
    Memo::new(move |_| {
        query
            .with(|q| q.get("sort"))
            .filter(|s| SORTS.iter().any(|(v, _)| v == s))
            .unwrap_or_else(|| "new".to_owned())
    })
}

/// Links that change the list's order, keeping the page's other query parameters.
#[component]
pub fn SortTabs() -> impl IntoView {
    let location = use_location();
    let query = use_query_map();
    let current = sort_from_url();
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
                    if value != "new" {
                        params.push(format!("sort={value}"));
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

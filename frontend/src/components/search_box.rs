//! The search box: in the header (where `/` focuses it) and on not-found pages.

use leptos::ev::{KeyboardEvent, SubmitEvent};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use wasm_bindgen::JsCast;

use super::links::search_href;
use crate::api::enc;
use crate::contexts::SEARCH_INPUT_ID;

/// A search form that opens `/search?q=…` (keeping the kind of results when already there).
/// Escape leaves the box.
#[component]
pub fn SearchBox(
    /// The input's id: the header's (which `/` focuses) unless given.
    #[prop(optional)]
    id: Option<&'static str>,
    #[prop(optional)] class: &'static str,
) -> impl IntoView {
    let id = id.unwrap_or(SEARCH_INPUT_ID);
    let navigate = use_navigate();
    let location = use_location();
    let query = use_query_map();
    let text = RwSignal::new(String::new());
    // On the results page the box shows what was searched for.
    Effect::new(move |_| {
        if location.pathname.get() == "/search" {
            text.set(query.with(|q| q.get("q").unwrap_or_default()));
        }
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let q = text.get_untracked().trim().to_owned();
        if q.is_empty() {
            return;
        }
        let mut href = search_href(&q);
        if location.pathname.get_untracked() == "/search" {
            if let Some(kind) = query.with_untracked(|p| p.get("kind")) {
                href.push_str(&format!("&kind={}", enc(&kind)));
            }
        }
        navigate(&href, Default::default());
    };
    let leave = |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            if let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = input.blur();
            }
        }
    };
    view! {
        <form class=format!("search-box {class}") role="search" action="/search" on:submit=submit>
            <label for=id class="visually-hidden">"Search papers and summaries"</label>
            <input
                id=id
                type="search"
                name="q"
                placeholder="Search papers and summaries"
                autocomplete="off"
                enterkeyhint="search"
                maxlength="500"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
                on:keydown=leave
            />
            <button type="submit" class="search-button" aria-label="Search">
                <span class="search-icon" aria-hidden="true"></span>
            </button>
        </form>
    }
}

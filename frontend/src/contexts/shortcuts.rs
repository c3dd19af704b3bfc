//! Keyboard shortcuts: `/` focuses the search box, `j` and `k` move to the next and previous
//! summary or card (any element marked `data-card` in the page), `?` opens the list of
//! shortcuts. None of them fires while typing in a field or with a modifier held.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The id of the header's search input.
pub const SEARCH_INPUT_ID: &str = "site-search";
/// The id of the shortcuts help `<dialog>`.
pub const HELP_DIALOG_ID: &str = "shortcuts-help";

/// Whether `target` takes typing (inputs, text areas, selects, editable content).
fn is_typing_target(target: Option<web_sys::EventTarget>) -> bool {
    let Some(element) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) else {
        return false;
    };
    matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || element.is_content_editable()
}

fn focus_search() {
    let Some(input) = document()
        .get_element_by_id(SEARCH_INPUT_ID)
        .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    let _ = input.focus();
    input.select();
}

/// Opens the shortcuts help.
pub fn open_help() {
    if let Some(dialog) = document()
        .get_element_by_id(HELP_DIALOG_ID)
        .and_then(|el| el.dyn_into::<web_sys::HtmlDialogElement>().ok())
    {
        if !dialog.open() {
            let _ = dialog.show_modal();
        }
    }
}

/// Focuses the card after (`step` 1) or before (-1) the one that has focus, or the first one
/// below (above) the top of the window when none has.
fn move_card(step: i32) {
    let Ok(cards) = document().query_selector_all("main [data-card]") else {
        return;
    };
    let cards: Vec<web_sys::HtmlElement> = (0..cards.length())
        .filter_map(|i| cards.item(i))
        .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
        .collect();
    if cards.is_empty() {
        return;
    }
    let active = document().active_element();
    let current = active
        .and_then(|el| el.closest("[data-card]").ok().flatten())
        .and_then(|card| cards.iter().position(|c| **c == card));
    let next = match current {
        Some(i) if step > 0 => (i + 1).min(cards.len() - 1),
        Some(i) => i.saturating_sub(1),
        None if step > 0 => cards
            .iter()
            .position(|c| c.get_bounding_client_rect().top() > 1.0)
            .unwrap_or(cards.len() - 1),
        None => cards
            .iter()
            .rposition(|c| c.get_bounding_client_rect().top() < -1.0)
            .unwrap_or(0),
    };
    let card = &cards[next];
    let _ = card.focus();
    card.scroll_into_view_with_bool(true);
}

/// Installs the app-wide listener; call once, in the app's root.
pub fn install_shortcuts() {
    // The app never unmounts its root, so the listener lives as long as the page.
    _ = window_event_listener(ev::keydown, move |ev| {
        if ev.default_prevented()
            || ev.ctrl_key()
            || ev.meta_key()
            || ev.alt_key()
            || is_typing_target(ev.target())
        {
            return;
        }
        match ev.key().as_str() {
            "/" => {
                ev.prevent_default();
                focus_search();
            }
            "?" => {
                ev.prevent_default();
                open_help();
            }
            "j" => move_card(1),
            "k" => move_card(-1),
            _ => {}
        }
    });
}

/// The list of shortcuts, in a modal dialog (`?` opens it; Escape or Close closes it).
#[component]
pub fn ShortcutsHelp() -> impl IntoView {
    let close = move |_| {
        if let Some(dialog) = document()
            .get_element_by_id(HELP_DIALOG_ID)
            .and_then(|el| el.dyn_into::<web_sys::HtmlDialogElement>().ok())
        {
            dialog.close();
        }
    };
    view! {
        <dialog id=HELP_DIALOG_ID class="dialog" aria-labelledby="shortcuts-title">
            <h2 id="shortcuts-title">"Keyboard shortcuts"</h2>
            <dl class="shortcut-list">
                <dt><kbd>"/"</kbd></dt><dd>"Search"</dd>
                <dt><kbd>"j"</kbd></dt><dd>"Next summary or paper"</dd>
                <dt><kbd>"k"</kbd></dt><dd>"Previous summary or paper"</dd>
                <dt><kbd>"?"</kbd></dt><dd>"This list"</dd>
                <dt><kbd>"Esc"</kbd></dt><dd>"Close it, or leave the search box"</dd>
            </dl>
            <button type="button" class="button" on:click=close>"Close"</button>
        </dialog>
    }
}

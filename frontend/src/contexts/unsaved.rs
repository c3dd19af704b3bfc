//! "You have unsaved changes": a page with a form in progress (the summary editor) marks itself
//! dirty, and leaving it then asks first, both when the browser would unload the page (reload,
//! closing the tab, another site) and when an in-app link would replace it.
//!
//! The listeners are installed once for the app: leptos_router handles link clicks with a
//! listener on `window`, which runs after this one on `document`, so cancelling the click here
//! (`preventDefault`) keeps the router from navigating. The back button (popstate) cannot be
//! stopped by a single-page app.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

const QUESTION: &str = "You have unsaved changes. Leave this page and lose them?";

/// Whether the current page has changes that leaving would lose.
#[derive(Debug, Clone, Copy)]
pub struct Unsaved(RwSignal<bool>);

impl Unsaved {
    /// Creates the flag and installs the app-wide listeners; call once, in the app's root.
    pub fn install() -> Self {
        let flag = RwSignal::new(false);
        let dirty = move || flag.try_get_untracked().unwrap_or(false);

        // The app never unmounts its root, so the listeners live as long as the page.
        _ = window_event_listener(ev::beforeunload, move |ev| {
            if dirty() {
                ev.prevent_default();
                // Older browsers show the dialog only when a return value is set.
                ev.set_return_value(QUESTION);
            }
        });

        let click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
            if !dirty()
                || ev.default_prevented()
                || ev.button() != 0
                || ev.meta_key()
                || ev.ctrl_key()
                || ev.shift_key()
                || ev.alt_key()
            {
                return;
            }
            let Some(anchor) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest("a[href]").ok().flatten())
                .and_then(|el| el.dyn_into::<web_sys::HtmlAnchorElement>().ok())
            else {
                return;
            };
            let leaves_app = !anchor.target().is_empty()
                || anchor.has_attribute("download")
                || anchor.rel().split_whitespace().any(|r| r == "external")
                || window().location().origin().ok() != Some(anchor.origin());
            // The browser handles those itself, and asks through `beforeunload`.
            if leaves_app {
                return;
            }
            let leave = window().confirm_with_message(QUESTION).unwrap_or(true);
            if leave {
                flag.set(false);
            } else {
                ev.prevent_default();
            }
        });
        let _ =
            document().add_event_listener_with_callback("click", click.as_ref().unchecked_ref());
        click.forget();

        let unsaved = Self(flag);
        provide_context(unsaved);
        unsaved
    }

    pub fn set(&self, dirty: bool) {
        self.0.set(dirty);
    }
}

/// The app's flag (a detached one outside the app, e.g. in tests).
pub fn use_unsaved() -> Unsaved {
    use_context::<Unsaved>().unwrap_or_else(|| Unsaved(RwSignal::new(false)))
}

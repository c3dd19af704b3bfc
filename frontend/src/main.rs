//! The ShortScience web app: Leptos, rendered in the browser, talking to the JSON API with the
//! same types the server uses (`shortscience-types`).
//!
//! `api` is the typed client; `contexts` the app-wide state (who is signed in, unsaved changes);
//! `components` the pieces several pages share; `pages` one component per route.

mod api;
mod app;
mod components;
mod contexts;
mod pages;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}

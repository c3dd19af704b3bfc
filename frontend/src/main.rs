//! The ShortScience web app: Leptos, rendered in the browser, talking to the JSON API with the
//! same types the server uses (`shortscience-types`).
//!
//! `api` is the typed client; `contexts` the app-wide state (who is signed in, unsaved changes,
//! announcements, shortcuts); `components` the pieces several pages share; `pages` one component
//! per route.

mod api;
mod app;
mod components;
mod contexts;
mod pages;
mod routes;

fn main() {
    console_error_panic_hook::set_once();
    // The server puts a plain-HTML rendering of the page in `<div id="ssr">` for the first
    // paint (and for readers without JavaScript); the app replaces it once the route's page is
    // ready (`routes::replace_first_paint`), rather than adding to it.
    leptos::mount::mount_to_body(app::App);
}

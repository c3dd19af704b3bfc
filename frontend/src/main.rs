//! The ShortScience web app: Leptos, rendered in the browser, talking to the JSON API with the
//! same types the server uses (`shortscience-types`).

mod api;
mod app;
mod auth;
mod components;
mod pages;
mod unsaved;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}

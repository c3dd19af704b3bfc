use leptos::prelude::*;

use crate::api::ApiError;
use crate::auth::use_auth;

/// The loading state every page shows while it waits for the API.
#[component]
pub fn Loading(#[prop(into, default = "Loading…".into())] label: String) -> impl IntoView {
    view! {
        <div class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            {label}
        </div>
    }
}

/// The one way errors are shown.
#[component]
pub fn ErrorView(error: ApiError) -> impl IntoView {
    let heading = if error.is_not_found() {
        "Not found"
    } else {
        "Something went wrong"
    };
    view! {
        <div class="error-box" role="alert">
            <strong>{heading}</strong>
            <p>{error.to_string()}</p>
        </div>
    }
}

/// Renders `children` once the session is known (pages that load per viewer, with votes and own
/// summaries, must not load twice), and anew when someone else signs in or out, but not when
/// the access token is merely refreshed.
#[component]
pub fn AwaitSession(children: ChildrenFn) -> impl IntoView {
    let viewer = use_auth().viewer();
    move || match viewer.get() {
        None => view! { <Loading/> }.into_any(),
        Some(_) => children().into_any(),
    }
}

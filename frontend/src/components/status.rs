//! How pages show that they are loading, and what went wrong.

use leptos::prelude::*;
use leptos_router::components::A;

use super::{set_title, SearchBox};
use crate::api::ApiError;

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

/// The one way errors are shown; a 404 says "Not found".
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
            <p>{error.message()}</p>
        </div>
    }
}

/// What a page that does not exist shows: a heading, what is missing, and ways on (the search
/// box and the home page).
#[component]
pub fn NotFoundView(#[prop(into)] heading: String, #[prop(into)] message: String) -> impl IntoView {
    view! {
        <section class="not-found" data-testid="not-found">
            <div role="alert">
                <h1 tabindex="-1">{heading}</h1>
                <p>{message}</p>
            </div>
            <p>"Try searching for it:"</p>
            <SearchBox id="not-found-search" class="wide"/>
            <p><A href="/">"Go to the home page"</A>" or "<A href="/papers">"browse all papers"</A>"."</p>
        </section>
    }
}

/// `list()`, or the empty state `text` when there is `nothing` to list.
pub fn or_empty(nothing: bool, text: &'static str, list: impl FnOnce() -> AnyView) -> AnyView {
    if nothing {
        view! { <p class="empty">{text}</p> }.into_any()
    } else {
        list()
    }
}

/// What its children load from resources, in the app's one way: [`Loading`] until the first
/// answer (a reload keeps the current view until the new one is ready), and [`ErrorView`] for
/// every error they return (`Suspend`s that `.await` a resource of `Result<_, ApiError>` and use
/// `?`).
#[component]
pub fn Loader(
    #[prop(into, default = "Loading…".into())] label: String,
    /// The tab's title when loading fails: this (e.g. "Paper not found") on a 404, else "Error".
    /// Unset, the title stays.
    #[prop(optional)]
    not_found_title: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <Transition fallback=move || view! { <Loading label/> }>
            <ErrorBoundary fallback=move |errors| caught(errors, not_found_title)>
                {children()}
            </ErrorBoundary>
        </Transition>
    }
}

/// An error boundary's errors, each as an [`ErrorView`].
fn caught(
    errors: ArcRwSignal<leptos::error::Errors>,
    not_found_title: Option<&'static str>,
) -> impl IntoView {
    move || {
        let errors: Vec<ApiError> = errors.with(|errors| {
            errors
                .iter()
                .map(|(_, error)| ApiError::from_thrown(error))
                .collect()
        });
        if let Some(title) = not_found_title {
            set_title(if errors.iter().any(ApiError::is_not_found) {
                title
            } else {
                "Error"
            });
        }
        errors
            .into_iter()
            .map(|error| match not_found_title {
                // A page whose subject does not exist.
                Some(_) if error.is_not_found() => {
                    view! { <NotFoundView heading="Not found" message=error.message()/> }.into_any()
                }
                _ => view! { <ErrorView error/> }.into_any(),
            })
            .collect_view()
    }
}

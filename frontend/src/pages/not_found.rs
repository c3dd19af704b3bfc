use leptos::prelude::*;

use crate::components::{set_title, NotFoundView};

/// Any address the app has no page for.
#[component]
pub fn NotFound() -> impl IntoView {
    set_title("Page not found");
    view! {
        <NotFoundView
            heading="Page not found"
            message="There is nothing at this address. It may have moved, or the link may be mistyped."
        />
    }
}

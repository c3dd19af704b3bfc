use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::set_title;

#[component]
pub fn NotFound() -> impl IntoView {
    set_title("Page not found");
    view! {
        <section class="not-found" data-testid="not-found">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. It may have moved, or the link may be mistyped."</p>
            <p><A href="/">"Back to the papers"</A></p>
        </section>
    }
}

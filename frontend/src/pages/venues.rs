use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{self, ApiError};
use crate::components::links::venue_href;
use crate::components::{or_empty, set_title, Loader};

#[component]
pub fn VenuesPage() -> impl IntoView {
    set_title("Venues");
    let venues = LocalResource::new(api::venues);
    view! {
        <h1>"Venues"</h1>
        <Loader>
            {move || Suspend::new(async move {
                let list = venues.await?;
                Ok::<_, ApiError>(or_empty(list.items.is_empty(), "No venues yet.", move || {
                    view! {
                        <ul class="venue-list">
                            {list.items.into_iter().map(|v| {
                                let href = venue_href(&v.slug, None);
                                view! {
                                    <li class="card">
                                        <A href=href>{v.name}</A>
                                        <span class="meta">
                                            {format!(" {} · {} paper{} · {} summar{}",
                                                v.kind.as_str(),
                                                v.paper_count, if v.paper_count == 1 { "" } else { "s" },
                                                v.summary_count, if v.summary_count == 1 { "y" } else { "ies" })}
                                        </span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }))
            })}
        </Loader>
    }
}

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::{set_title, ErrorView, Loading};

#[component]
pub fn VenuesPage() -> impl IntoView {
    set_title("Venues");
    let venues = LocalResource::new(api::venues);
    view! {
        <h1>"Venues"</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match venues.await {
                    Ok(list) if list.items.is_empty() => view! { <p class="empty">"No venues yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="venue-list">
                            {list.items.into_iter().map(|v| {
                                let href = format!("/venues/{}", v.slug);
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
                    }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

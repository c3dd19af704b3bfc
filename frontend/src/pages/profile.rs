//! A user's public profile and summaries.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shortscience_types::Role;

use crate::api;
use crate::components::{set_title, ErrorView, Loading, RelativeTime, VenueYear};

#[component]
pub fn ProfilePage() -> impl IntoView {
    let params = use_params_map();
    let username = move || params.with(|p| p.get("username").unwrap_or_default());
    let profile = LocalResource::new(move || {
        let username = username();
        async move {
            let profile = api::user(&username).await?;
            let summaries = api::user_summaries(&username, None).await?;
            Ok::<_, api::ApiError>((profile, summaries))
        }
    });
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok((user, summaries)) => {
                        let name = user.display_name.clone().unwrap_or_else(|| user.username.clone());
                        set_title(&name);
                        let badge = match user.role {
                            Role::Admin => Some("admin"),
                            Role::Moderator => Some("moderator"),
                            Role::User => None,
                        };
                        view! {
                            <header class="page-head profile" data-testid="profile">
                                <h1>{name}</h1>
                                <p class="meta">
                                    "@" {user.username.clone()}
                                    {badge.map(|b| view! { " " <span class="chip">{b}</span> })}
                                    {user.suspended.then(|| view! { " " <span class="chip danger">"suspended"</span> })}
                                    " · joined " <RelativeTime at=user.joined/>
                                </p>
                                <p class="meta">
                                    <strong>{user.reputation}</strong>" reputation · "
                                    <strong>{user.summary_count}</strong>{if user.summary_count == 1 { " summary" } else { " summaries" }}
                                </p>
                                {(!user.bio.is_empty()).then(|| view! { <p class="bio">{user.bio.clone()}</p> })}
                            </header>
                            <section aria-label="Summaries">
                                {summaries.items.into_iter().map(|s| {
                                    let href = format!("/summaries/{}", s.id);
                                    view! {
                                        <article class="card">
                                            <h2 class="paper-title"><A href=href>{s.paper.title}</A></h2>
                                            <p class="meta">
                                                <VenueYear venue=s.paper.venue year=s.paper.year/>
                                                " · " {s.score} " points · " <RelativeTime at=s.created_at/>
                                            </p>
                                            <blockquote class="excerpt"><p inner_html=s.excerpt_html></p></blockquote>
                                        </article>
                                    }
                                }).collect_view()}
                            </section>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

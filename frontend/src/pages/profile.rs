//! A user's public profile and summaries.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shortscience_types::{ClaimedPaper, FollowKind, Role, UserSummaryItem};

use crate::api::{self, ApiError};
use crate::components::links::{feeds, paper_href, summary_href};
use crate::components::{
    set_title, FeedLink, FollowButton, ListText, LoadMore, Loader, Pages, RelativeTime, RichHtml,
    VenueYear,
};
use crate::contexts::use_auth;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let params = use_params_map();
    let auth = use_auth();
    let username = Memo::new(move |_| params.with(|p| p.get("username").unwrap_or_default()));
    let profile = LocalResource::new(move || {
        let username = username.get();
        async move { api::user(&username).await }
    });
    let summaries = Signal::derive(move || {
        Some(Pages::of(
            username.get(),
            |username, cursor| async move { api::user_summaries(&username, cursor.as_deref()).await },
            summary_card,
        ))
    });
    let text = ListText {
        loading: "Loading summaries…",
        more: "Load more summaries",
    };
    view! {
        <Loader not_found_title="User not found">
            {move || Suspend::new(async move {
                let user = profile.await?;
                let name = user.display_name.clone().unwrap_or_else(|| user.username.clone());
                set_title(&name);
                let heading = name.clone();
                let badge = match user.role {
                    Role::Admin => Some("admin"),
                    Role::Moderator => Some("moderator"),
                    Role::User => None,
                };
                Ok::<_, ApiError>(view! {
                    <header class="page-head profile" data-testid="profile">
                        <h1>{heading}</h1>
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
                        <p class="meta">
                            <FeedLink href=feeds::user(&user.username) what=format!("new summaries by {name}")/>
                        </p>
                        {
                            // Nobody follows themselves (the server refuses it).
                            let username = user.username.clone();
                            let label = name.clone();
                            move || (auth.user().map(|me| me.username).as_ref() != Some(&username)).then(|| view! {
                                <p class="head-actions">
                                    <FollowButton kind=FollowKind::User key=username.clone() label=label.clone()/>
                                </p>
                            })
                        }
                    </header>
                    {(!user.claimed_papers.is_empty()).then(|| view! { <AuthorOf papers=user.claimed_papers.clone()/> })}
                    <LoadMore pages=summaries text label="Summaries"/>
                })
            })}
        </Loader>
    }
}

/// One of the user's summaries, with its paper.
fn summary_card(s: UserSummaryItem) -> AnyView {
    let href = summary_href(s.id);
    view! {
        <article class="card" data-card tabindex="-1">
            <h2 class="paper-title"><A href=href>{s.paper.title}</A></h2>
            <p class="meta">
                <VenueYear venue=s.paper.venue year=s.paper.year link=false/>
                " · " {s.score} " points · " <RelativeTime at=s.created_at/>
            </p>
            <blockquote class="excerpt"><RichHtml html=s.excerpt_html class="excerpt-text"/></blockquote>
        </article>
    }
    .into_any()
}

/// The papers a moderator verified the user as an author of.
#[component]
fn AuthorOf(papers: Vec<ClaimedPaper>) -> impl IntoView {
    view! {
        <section class="author-of" aria-labelledby="author-of-heading">
            <h2 id="author-of-heading">"Author of"</h2>
            <ul class="plain-list" data-testid="author-of">
                {papers.into_iter().map(|p| view! {
                    <li>
                        <A href=paper_href(p.paper_id)>{p.title}</A>
                        <span class="meta">
                            {p.year.map(|y| format!(" ({y})"))}
                            " · as " {p.author_name}
                        </span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

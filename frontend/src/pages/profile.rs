//! A user's public profile: follow counts, the papers they are a verified author of, and their
//! summaries and comments, each a tab (`?tab=comments`) loaded page by page.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use shortscience_types::{
    ClaimedPaper, FollowCounts, FollowKind, Role, UserCommentItem, UserProfile, UserSummaryItem,
};

use crate::api::{self, ApiError};
use crate::components::links::{feeds, paper_href, summary_href, user_href};
use crate::components::{
    set_title, FeedLink, FollowButton, ListText, LoadMore, Loader, Pages, RelativeTime, RichHtml,
    VenueYear, VerifiedBadge,
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
    let comments = Signal::derive(move || {
        Some(Pages::of(
            username.get(),
            |username, cursor| async move { api::user_comments(&username, cursor.as_deref()).await },
            comment_card,
        ))
    });
    let query = use_query_map();
    let on_comments =
        Memo::new(move |_| query.with(|q| q.get("tab").as_deref() == Some("comments")));
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
                            <strong>{user.summary_count}</strong>{plural(user.summary_count, " summary", " summaries")}" · "
                            <strong>{user.comment_count}</strong>{plural(user.comment_count, " comment", " comments")}
                        </p>
                        <FollowCountsLine followers=user.followers following=user.following/>
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
                    <ProfileTabs user=user.clone() on_comments/>
                    {move || if on_comments.get() {
                        view! {
                            <LoadMore
                                pages=comments
                                text=ListText { loading: "Loading comments…", more: "Load more comments" }
                                empty="No comments yet."
                                class="user-comments"
                                label="Comments"
                            />
                        }.into_any()
                    } else {
                        view! {
                            <LoadMore
                                pages=summaries
                                text=ListText { loading: "Loading summaries…", more: "Load more summaries" }
                                empty="No summaries yet."
                                label="Summaries"
                            />
                        }.into_any()
                    }}
                })
            })}
        </Loader>
    }
}

fn plural(n: i64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// "2 followers · follows 3 users, 1 paper": counts only (what exactly someone follows is
/// theirs).
#[component]
fn FollowCountsLine(followers: i64, following: FollowCounts) -> impl IntoView {
    let kinds: Vec<String> = [
        (following.users, "user", "users"),
        (following.papers, "paper", "papers"),
        (following.venues, "venue", "venues"),
        (following.keywords, "keyword", "keywords"),
    ]
    .into_iter()
    .filter(|(n, ..)| *n > 0)
    .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
    .collect();
    let follows = if kinds.is_empty() {
        "follows nothing yet".to_owned()
    } else {
        format!("follows {}", kinds.join(", "))
    };
    view! {
        <p class="meta" data-testid="follow-counts">
            <strong>{followers}</strong>{plural(followers, " follower", " followers")}" · "{follows}
        </p>
    }
}

/// "Summaries (n)" and "Comments (n)": links, so that each tab has an address.
#[component]
fn ProfileTabs(user: UserProfile, on_comments: Memo<bool>) -> impl IntoView {
    let base = user_href(&user.username);
    let tab = move |href: String, label: String, active: Signal<bool>| {
        view! {
            <a
                href=href
                class=move || if active.get() { "chip active" } else { "chip" }
                aria-current=move || active.get().then_some("page")
            >
                {label}
            </a>
        }
    };
    view! {
        <nav class="chips sort-tabs" aria-label="Summaries or comments">
            {tab(base.clone(), format!("Summaries ({})", user.summary_count), Signal::derive(move || !on_comments.get()))}
            {tab(format!("{base}?tab=comments"), format!("Comments ({})", user.comment_count), Signal::derive(move || on_comments.get()))}
        </nav>
    }
}

/// One of the user's comments: where it was written (linking to it in its thread) and its text.
fn comment_card(c: UserCommentItem) -> AnyView {
    let href = format!("{}#comment-{}", summary_href(c.summary_id), c.id);
    let what = if c.parent_id.is_some() {
        "Reply"
    } else {
        "Comment"
    };
    view! {
        <article class="card user-comment" data-card data-testid="user-comment" tabindex="-1">
            <p class="meta">
                <A href=href>{what} " on a summary of “" {c.paper.title} "”"</A>
                <VerifiedBadge verified=c.verified_author/>
                " · " <RelativeTime at=c.created_at/>
                {c.edited_at.map(|at| view! { " · " <span class="edited">"edited " <RelativeTime at/></span> })}
            </p>
            <RichHtml html=c.body_html class="comment-body prose"/>
        </article>
    }
    .into_any()
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

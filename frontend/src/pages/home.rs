//! The home page: the site's summary feed, Hot, New or Top (of a period), kept in the URL
//! (`/?sort=top&period=week`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use shortscience_types::SummaryDetail;

use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::{
    set_title, ErrorView, Loading, RelativeTime, SummaryBody, UserName, VenueYear, Votes,
};

/// The feed's orders, as `(value, label)`; the first is the default.
const SORTS: [(&str, &str); 3] = [("hot", "Hot"), ("new", "New"), ("top", "Top")];

/// The periods of `top`, as `(value, label)`; the last is the default.
const PERIODS: [(&str, &str); 5] = [
    ("day", "Today"),
    ("week", "This week"),
    ("month", "This month"),
    ("year", "This year"),
    ("all", "All time"),
];

fn feed_href(sort: &str, period: &str) -> String {
    match (sort, period) {
        ("hot", _) => "/".to_owned(),
        ("top", "all") => "/?sort=top".to_owned(),
        ("top", period) => format!("/?sort=top&period={period}"),
        (sort, _) => format!("/?sort={sort}"),
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    set_title("");
    let query = use_query_map();
    let sort = Memo::new(move |_| {
        query
            .with(|q| q.get("sort"))
            .filter(|s| SORTS.iter().any(|(v, _)| v == s))
            .unwrap_or_else(|| SORTS[0].0.to_owned())
    });
    let period = Memo::new(move |_| {
        query
            .with(|q| q.get("period"))
            .filter(|p| PERIODS.iter().any(|(v, _)| v == p))
            .unwrap_or_else(|| "all".to_owned())
    });
    view! {
        <section class="intro">
            <h1>"Short summaries of research papers"</h1>
            <p>
                "Readers explain papers in a few paragraphs, with math. The best explanations rise by vote. "
                <A href="/papers">"Browse all papers"</A>
            </p>
        </section>
        <FeedTabs sort period/>
        <Feed sort period/>
    }
}

#[component]
fn FeedTabs(sort: Memo<String>, period: Memo<String>) -> impl IntoView {
    let navigate = use_navigate();
    let change_period = move |ev: leptos::ev::Event| {
        navigate(
            &feed_href("top", &event_target_value(&ev)),
            Default::default(),
        );
    };
    view! {
        <div class="feed-tabs">
            <nav class="chips sort-tabs" aria-label="Sort summaries">
                {SORTS.iter().map(|(value, label)| {
                    let value = *value;
                    let active = move || sort.get() == value;
                    view! {
                        <a
                            href=move || feed_href(value, &period.get())
                            class=move || if active() { "chip active" } else { "chip" }
                            aria-current=move || active().then_some("page")
                        >
                            {*label}
                        </a>
                    }
                }).collect_view()}
            </nav>
            {move || (sort.get() == "top").then(|| view! {
                <div class="period">
                    <label for="feed-period">"Period"</label>
                    <select id="feed-period" on:change=change_period.clone()>
                        {PERIODS.iter().map(|(value, label)| {
                            let value = *value;
                            view! { <option value=value selected=move || period.get() == value>{*label}</option> }
                        }).collect_view()}
                    </select>
                </div>
            })}
        </div>
    }
}

/// Which page of the feed: the order, and who is looking (votes and `mine` depend on it).
#[derive(Debug, Clone, PartialEq, Eq)]
struct FeedKey {
    sort: String,
    period: String,
    viewer: Option<String>,
}

#[derive(Debug, Clone, Default)]
struct FeedState {
    items: Vec<SummaryDetail>,
    next_cursor: Option<String>,
    loading: bool,
    error: Option<ApiError>,
    loaded_once: bool,
}

#[component]
fn Feed(sort: Memo<String>, period: Memo<String>) -> impl IntoView {
    let auth = use_auth();
    let viewer = auth.viewer();
    // `None` until the session is known.
    let key = Memo::new(move |_| {
        viewer.get().map(|viewer| FeedKey {
            sort: sort.get(),
            period: period.get(),
            viewer,
        })
    });
    let state = RwSignal::new(FeedState::default());
    // Each load carries the key it was made for, so a slow answer to an old one is dropped.
    let load = move |base: FeedKey, cursor: Option<String>, replace: bool| {
        state.update(|s| {
            s.loading = true;
            s.error = None;
            if replace {
                s.items.clear();
                s.next_cursor = None;
                s.loaded_once = false;
            }
        });
        spawn_local(async move {
            let result = auth
                .call_maybe(|token| {
                    let (sort, period, cursor) =
                        (base.sort.clone(), base.period.clone(), cursor.clone());
                    async move {
                        api::summaries(token.as_deref(), &sort, &period, cursor.as_deref()).await
                    }
                })
                .await;
            if key.try_get_untracked().flatten() != Some(base) {
                return;
            }
            state.update(|s| {
                s.loading = false;
                s.loaded_once = true;
                match result {
                    Ok(page) => {
                        s.items.extend(page.items);
                        s.next_cursor = page.next_cursor;
                    }
                    Err(e) => s.error = Some(e),
                }
            });
        });
    };
    Effect::new(move |_| {
        if let Some(key) = key.get() {
            load(key, None, true);
        }
    });
    let load_more = move |_| {
        let cursor = state.with_untracked(|s| s.next_cursor.clone());
        if let (Some(key), Some(_)) = (key.get_untracked(), &cursor) {
            load(key, cursor, false);
        }
    };

    view! {
        <section class="feed" aria-label="Summaries" aria-busy=move || state.with(|s| s.loading.to_string())>
            <For
                each=move || state.with(|s| s.items.clone())
                key=|item| item.summary.id
                children=|item| view! { <FeedItem item/> }
            />
            {move || state.with(|s| {
                (s.loaded_once && s.items.is_empty() && s.error.is_none()).then(|| {
                    let text = if sort.get() == "top" && period.get() != "all" {
                        "No summaries in this period."
                    } else {
                        "No summaries yet."
                    };
                    view! { <p class="empty">{text}</p> }
                })
            })}
            {move || state.with(|s| s.error.clone()).map(|error| view! { <ErrorView error/> })}
            {move || {
                if state.with(|s| s.loading) || key.get().is_none() {
                    view! { <Loading label="Loading summaries…"/> }.into_any()
                } else if state.with(|s| s.next_cursor.is_some()) {
                    view! { <button class="button more" on:click=load_more>"Load more summaries"</button> }.into_any()
                } else {
                    ().into_any()
                }
            }}
        </section>
    }
}

/// One summary in the feed, with the paper it is about.
#[component]
fn FeedItem(item: SummaryDetail) -> impl IntoView {
    let summary = item.summary;
    let paper = item.paper;
    let id = summary.id;
    let comments = match summary.comment_count {
        0 => "no comments".to_owned(),
        1 => "1 comment".to_owned(),
        n => format!("{n} comments"),
    };
    let has_venue = paper.venue.is_some() || paper.year.is_some();
    view! {
        <article class="card summary feed-item" data-testid="feed-item">
            <Votes summary=summary.clone()/>
            <div class="summary-main">
                <h2 class="paper-title"><A href=format!("/papers/{}", paper.id)>{paper.title.clone()}</A></h2>
                <p class="meta">
                    {has_venue.then(|| view! { <VenueYear venue=paper.venue.clone() year=paper.year/>" · " })}
                    <UserName user=summary.author.clone()/>
                    " · "
                    <RelativeTime at=summary.created_at/>
                </p>
                <SummaryBody summary=summary.clone()/>
                <p class="card-foot meta">
                    <A href=format!("/summaries/{id}#comments")>{comments}</A>
                    " · "
                    <A href=format!("/summaries/{id}")>"permalink"</A>
                </p>
            </div>
        </article>
    }
}

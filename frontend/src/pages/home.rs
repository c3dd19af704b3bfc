//! The home page: the site's summary feed, Hot, New or Top (of a period), kept in the URL
//! (`/?sort=top&period=week`); or, signed in, the summaries from what the reader follows
//! (`/?feed=following`).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use shortscience_types::{FeedQuery, FeedSort, Period, SiteStats, SummaryDetail};

use crate::api;
use crate::components::links::{feeds, paper_href, summary_href};
use crate::components::{
    login_href, set_title, AuthorList, FeedLink, KeywordTags, ListText, LoadMore, Pages,
    RelativeTime, SummaryBody, UserName, VenueYear, Votes,
};
use crate::contexts::{use_auth, use_client};

/// The feed's orders, with their labels; the first is the default.
const SORTS: [(FeedSort, &str); 3] = [
    (FeedSort::Hot, "Hot"),
    (FeedSort::New, "New"),
    (FeedSort::Top, "Top"),
];

/// The address of the "Following" tab.
const FOLLOWING_HREF: &str = "/?feed=following";

/// The periods of `top`, with their labels; the last is the default.
const PERIODS: [(Period, &str); 5] = [
    (Period::Day, "Today"),
    (Period::Week, "This week"),
    (Period::Month, "This month"),
    (Period::Year, "This year"),
    (Period::All, "All time"),
];

fn feed_href(query: FeedQuery) -> String {
    match (query.sort, query.period) {
        (FeedSort::Hot, _) => "/".to_owned(),
        (FeedSort::Top, Period::All) => "/?sort=top".to_owned(),
        (FeedSort::Top, period) => format!("/?sort=top&period={}", period.as_str()),
        (sort, _) => format!("/?sort={}", sort.as_str()),
    }
}

/// The entry of `options` the URL's parameter `name` names, else `default`.
fn from_url<T: Copy>(
    params: &leptos_router::params::ParamsMap,
    name: &str,
    options: &[(T, &str)],
    names: fn(T) -> &'static str,
    default: T,
) -> T {
    let wanted = params.get_str(name);
    options
        .iter()
        .find(|(option, _)| Some(names(*option)) == wanted)
        .map_or(default, |(option, _)| *option)
}

#[component]
pub fn HomePage() -> impl IntoView {
    set_title("");
    let query = use_query_map();
    let feed = Memo::new(move |_| {
        query.with(|q| FeedQuery {
            sort: from_url(q, "sort", &SORTS, FeedSort::as_str, SORTS[0].0),
            period: from_url(q, "period", &PERIODS, Period::as_str, Period::All),
        })
    });
    let feed_url = Signal::derive(move || feeds::summaries(feed.get().sort.as_str()));
    let following = Memo::new(move |_| query.with(|q| q.get_str("feed") == Some("following")));
    view! {
        <section class="intro">
            <h1>"Short summaries of research papers"</h1>
            <p>
                "Readers explain papers in a few paragraphs, with math. The best explanations rise by vote. "
                <A href="/papers">"Browse all papers"</A>
            </p>
            <p class="meta site-stats">
                <Stats/>
                " "
                <FeedLink href=feed_url what="new summaries"/>
            </p>
        </section>
        <FeedTabs feed following/>
        {move || if following.get() {
            view! { <FollowingFeed/> }.into_any()
        } else {
            view! { <Feed feed/> }.into_any()
        }}
    }
}

/// `1234567` as "1,234,567".
fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

fn counted(n: i64, one: &str, many: &str) -> String {
    format!("{} {}", grouped(n), if n == 1 { one } else { many })
}

/// "1,583 public summaries · 820 papers · 97 contributors" (nothing if the totals fail to load:
/// they are a nicety, not the page).
#[component]
fn Stats() -> impl IntoView {
    let stats = LocalResource::new(api::stats);
    move || {
        let SiteStats {
            public_summaries,
            papers,
            contributors,
        } = stats.get()?.ok()?;
        Some(view! {
            <span data-testid="site-stats">
                {counted(public_summaries, "public summary", "public summaries")}
                " · " {counted(papers, "paper", "papers")}
                " · " {counted(contributors, "contributor", "contributors")}
            </span>
        })
    }
}

#[component]
fn FeedTabs(feed: Memo<FeedQuery>, following: Memo<bool>) -> impl IntoView {
    let navigate = use_navigate();
    let auth = use_auth();
    let change_period = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let period = PERIODS
            .iter()
            .find(|(period, _)| period.as_str() == value)
            .map_or(Period::All, |(period, _)| *period);
        navigate(
            &feed_href(FeedQuery {
                sort: FeedSort::Top,
                period,
            }),
            Default::default(),
        );
    };
    view! {
        <div class="feed-tabs">
            <nav class="chips sort-tabs" aria-label="Sort summaries">
                {SORTS.iter().map(|(sort, label)| {
                    let sort = *sort;
                    let active = move || !following.get() && feed.get().sort == sort;
                    view! {
                        <a
                            href=move || feed_href(FeedQuery { sort, ..feed.get() })
                            class=move || if active() { "chip active" } else { "chip" }
                            aria-current=move || active().then_some("page")
                        >
                            {*label}
                        </a>
                    }
                }).collect_view()}
                // Signed in only (on the page of it, signed out, it stays to say why it is empty).
                {move || (auth.user().is_some() || following.get()).then(|| view! {
                    <a
                        href=FOLLOWING_HREF
                        class=move || if following.get() { "chip active" } else { "chip" }
                        aria-current=move || following.get().then_some("page")
                    >
                        "Following"
                    </a>
                })}
            </nav>
            {move || (!following.get() && feed.get().sort == FeedSort::Top).then(|| view! {
                <div class="period">
                    <label for="feed-period">"Period"</label>
                    <select id="feed-period" on:change=change_period.clone()>
                        {PERIODS.iter().map(|(period, label)| {
                            let period = *period;
                            view! {
                                <option value=period.as_str() selected=move || feed.get().period == period>
                                    {*label}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </div>
            })}
        </div>
    }
}

fn feed_item(item: SummaryDetail) -> AnyView {
    view! { <FeedItem item/> }.into_any()
}

#[component]
fn Feed(feed: Memo<FeedQuery>) -> impl IntoView {
    let client = use_client();
    let viewer = use_auth().viewer();
    // Loaded once the session is known, and again for another order or viewer (votes and
    // `mine` depend on who is looking).
    let pages = Signal::derive(move || {
        viewer.get()?;
        Some(Pages::of(
            feed.get(),
            move |query, cursor| async move { client.feed(query, cursor.as_deref()).await },
            feed_item,
        ))
    });
    let empty = Signal::derive(move || {
        let FeedQuery { sort, period } = feed.get();
        if sort == FeedSort::Top && period != Period::All {
            "No summaries in this period."
        } else {
            "No summaries yet."
        }
    });
    let text = ListText {
        loading: "Loading summaries…",
        more: "Load more summaries",
    };
    view! { <LoadMore pages text empty class="feed" label="Summaries"/> }
}

/// The summaries from what the reader follows, newest first; signed out, a way to sign in.
#[component]
fn FollowingFeed() -> impl IntoView {
    let client = use_client();
    let viewer = use_auth().viewer();
    let pages = Signal::derive(move || {
        let who = viewer.get()??;
        Some(Pages::of(
            who,
            move |_, cursor| async move { client.following_feed(cursor.as_deref()).await },
            feed_item,
        ))
    });
    let text = ListText {
        loading: "Loading summaries…",
        more: "Load more summaries",
    };
    let empty = ViewFn::from(|| {
        view! {
            <p class="empty">
                "Nothing here yet. Follow papers, people, venues and keywords with the Follow button on their pages, and their new summaries appear here."
            </p>
        }
    });
    move || {
        match viewer.get() {
        Some(None) => view! {
            <p class="empty">
                <A href=login_href(FOLLOWING_HREF)>"Sign in"</A>
                " to see new summaries of the papers, people, venues and keywords you follow."
            </p>
        }
        .into_any(),
        _ => view! { <LoadMore pages text empty_view=empty.clone() class="feed" label="Summaries from what you follow"/> }
            .into_any(),
    }
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
    let has_authors = !paper.authors.is_empty();
    // One link to the paper (its title), one to the summary and its discussion, the votes and
    // "more": everything else is text, so Tab does not stop ten times per card.
    view! {
        <article class="card summary feed-item" data-testid="feed-item" data-card tabindex="-1">
            <Votes summary=summary.clone()/>
            <div class="summary-main">
                <h2 class="paper-title"><A href=paper_href(paper.id)>{paper.title.clone()}</A></h2>
                <p class="meta paper-meta">
                    {has_venue.then(|| view! { <VenueYear venue=paper.venue.clone() year=paper.year link=false/> })}
                    {(has_venue && has_authors).then_some(" · ")}
                    <AuthorList authors=paper.authors.clone()/>
                </p>
                <KeywordTags keywords=paper.keywords.clone()/>
                <p class="meta">
                    "Summary by " <UserName user=summary.author.clone() link=false/>
                    " · "
                    <RelativeTime at=summary.created_at/>
                </p>
                <SummaryBody summary=summary.clone()/>
                <p class="card-foot meta">
                    <A href=format!("{}#comments", summary_href(id))>{comments}</A>
                </p>
            </div>
        </article>
    }
}

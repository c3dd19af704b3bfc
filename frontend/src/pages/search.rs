//! `/search?q=&kind=&venue=&year=&author=`: results for papers and summaries, with tabs for
//! the kind, filters, highlighted snippets and "load more". Everything is in the URL, so a
//! search can be shared and back/forward work; a query that names a catalogued paper exactly
//! (its arXiv id, arXiv URL or DOI) goes straight to that paper.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use shortscience_types::{
    PaperBrief, PaperListItem, SearchHit, SearchKind, SearchQuery, SummaryHit,
};

use crate::api::{self, enc};
use crate::components::links::{feeds, paper_href, summary_href};
use crate::components::{
    set_title, summary_count_text, FeedLink, KeywordTags, ListText, LoadMore, Pages, PaperMeta,
    RelativeTime, RichHtml, UserName,
};

const KINDS: [(SearchKind, &str); 3] = [
    (SearchKind::All, "All"),
    (SearchKind::Papers, "Papers"),
    (SearchKind::Summaries, "Summaries"),
];

/// `/search?…` for `query` (empty filters left out).
fn search_url(query: &SearchQuery) -> String {
    let mut url = format!("/search?q={}", enc(&query.q));
    if query.kind != SearchKind::All {
        url.push_str(&format!("&kind={}", query.kind.as_str()));
    }
    for (name, value) in [
        ("venue", &query.venue),
        ("year", &query.year),
        ("author", &query.author),
    ] {
        if let Some(value) = value {
            url.push_str(&format!("&{name}={}", enc(value)));
        }
    }
    url
}

/// A filter's value from the URL: `None` when absent or blank.
fn filter(params: &leptos_router::params::ParamsMap, name: &str) -> Option<String> {
    params
        .get(name)
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|p| {
            let kind = p.get_str("kind");
            SearchQuery {
                q: p.get("q").unwrap_or_default().trim().to_owned(),
                kind: KINDS
                    .iter()
                    .find(|(k, _)| Some(k.as_str()) == kind)
                    .map_or(SearchKind::All, |(k, _)| *k),
                venue: filter(p, "venue"),
                year: filter(p, "year"),
                author: filter(p, "author"),
            }
        })
    });
    Effect::new(move |_| {
        let q = query.with(|q| q.q.clone());
        set_title(&if q.is_empty() {
            "Search".to_owned()
        } else {
            format!("Search: {q}")
        });
    });

    // A query that names a paper exactly: go there, in place of this page in the history.
    let exact = RwSignal::new(None::<PaperBrief>);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(paper) = exact.get() {
            navigate(
                &paper_href(paper.id),
                NavigateOptions {
                    replace: true,
                    ..NavigateOptions::default()
                },
            );
        }
    });
    let pages = Signal::derive(move || {
        let query = query.get();
        (!query.q.is_empty()).then(|| {
            Pages::of(
                query,
                move |query: SearchQuery, cursor: Option<String>| async move {
                    let results = api::search(&query, cursor.as_deref()).await?;
                    if cursor.is_none() {
                        if let Some(paper) = results.exact.clone() {
                            exact.try_set(Some(paper));
                        }
                    }
                    Ok(results)
                },
                search_hit,
            )
        })
    });
    let text = ListText {
        loading: "Searching…",
        more: "Load more results",
    };
    let empty = ViewFn::from(move || view! { <NoResults query=query.get_untracked()/> });

    view! {
        <header class="page-head">
            <h1>{move || {
                let q = query.with(|q| q.q.clone());
                if q.is_empty() { "Search".to_owned() } else { format!("Results for “{q}”") }
            }}</h1>
            {move || {
                let q = query.with(|q| q.q.clone());
                (!q.is_empty()).then(|| view! {
                    <p class="meta">
                        <FeedLink href=feeds::search(&q) what=format!("new summaries matching {q}")/>
                    </p>
                })
            }}
        </header>
        <KindTabs query/>
        <Filters query/>
        {move || if query.with(|q| q.q.is_empty()) {
            view! {
                <p class="empty">
                    "Search papers by title, author, abstract, arXiv id or DOI, and summaries by their text. "
                    "Use \"quotes\" for a phrase, -word to leave a word out, and OR for either word."
                </p>
            }.into_any()
        } else {
            view! {
                <LoadMore pages text empty_view=empty.clone() class="search-results" label="Search results"/>
            }.into_any()
        }}
    }
}

/// All / Papers / Summaries, as links that keep the query and filters.
#[component]
fn KindTabs(query: Memo<SearchQuery>) -> impl IntoView {
    view! {
        <nav class="chips sort-tabs" aria-label="Kind of results">
            {KINDS.iter().map(|(kind, label)| {
                let kind = *kind;
                let active = move || query.with(|q| q.kind == kind);
                view! {
                    <A
                        href=move || search_url(&SearchQuery { kind, ..query.get() })
                        attr:class=move || if active() { "chip active" } else { "chip" }
                        attr:aria-current=move || active().then_some("page")
                    >
                        {*label}
                    </A>
                }
            }).collect_view()}
        </nav>
    }
}

/// Venue, year (or range) and author filters; applying them changes the URL.
#[component]
fn Filters(query: Memo<SearchQuery>) -> impl IntoView {
    let navigate = use_navigate();
    let venue = RwSignal::new(String::new());
    let year = RwSignal::new(String::new());
    let author = RwSignal::new(String::new());
    Effect::new(move |_| {
        let q = query.get();
        venue.set(q.venue.unwrap_or_default());
        year.set(q.year.unwrap_or_default());
        author.set(q.author.unwrap_or_default());
    });
    let any = move || query.with(|q| q.venue.is_some() || q.year.is_some() || q.author.is_some());
    let apply = move |ev: SubmitEvent| {
        ev.prevent_default();
        let value = |s: RwSignal<String>| {
            let v = s.get_untracked().trim().to_owned();
            (!v.is_empty()).then_some(v)
        };
        let next = SearchQuery {
            venue: value(venue),
            year: value(year).map(|y| y.replace([' ', '–', '—'], "-").replace("--", "-")),
            author: value(author),
            ..query.get_untracked()
        };
        navigate(&search_url(&next), Default::default());
    };
    let input =
        |id: &'static str, label: &'static str, hint: &'static str, value: RwSignal<String>| {
            view! {
                <div class="field">
                    <label for=id>{label}</label>
                    <input id=id type="text" placeholder=hint prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev))/>
                </div>
            }
        };
    view! {
        <details class="filters" open=any>
            <summary>"Filters"</summary>
            <form class="filter-form" on:submit=apply>
                {input("filter-venue", "Venue", "e.g. iclr", venue)}
                {input("filter-year", "Year or range", "2020 or 2018-2021", year)}
                {input("filter-author", "Author", "e.g. Hinton", author)}
                <div class="form-actions">
                    <button type="submit" class="button small">"Apply filters"</button>
                    {move || any().then(|| view! {
                        <A href=move || search_url(&SearchQuery { venue: None, year: None, author: None, ..query.get() })
                            attr:class="button small">"Clear filters"</A>
                    })}
                </div>
            </form>
        </details>
    }
}

/// "No results for …", with ways to widen the search.
#[component]
fn NoResults(query: SearchQuery) -> impl IntoView {
    let filtered = query.venue.is_some() || query.year.is_some() || query.author.is_some();
    let without_filters = search_url(&SearchQuery {
        venue: None,
        year: None,
        author: None,
        ..query.clone()
    });
    let all_kinds = search_url(&SearchQuery {
        kind: SearchKind::All,
        ..query.clone()
    });
    view! {
        <div class="no-results" data-testid="no-results">
            <p><strong>"No results for “" {query.q.clone()} "”."</strong></p>
            <ul>
                <li>"Check the spelling, or try fewer or more general words."</li>
                {filtered.then(|| view! { <li><A href=without_filters>"Search without the filters"</A></li> })}
                {(query.kind != SearchKind::All).then(|| view! { <li><A href=all_kinds>"Search papers and summaries"</A></li> })}
                <li>"Looking for a paper? Search for its arXiv id or DOI, or "<A href="/add">"add it"</A>"."</li>
                <li><A href="/papers">"Browse all papers"</A>" or "<A href="/browse">"keywords"</A>"."</li>
            </ul>
        </div>
    }
}

/// A search result's card: what it is, the paper's title linking to `href`, then `children`.
#[component]
fn HitCard(kicker: &'static str, href: String, title: String, children: Children) -> impl IntoView {
    view! {
        <article class="card search-hit" data-testid="search-hit" data-card tabindex="-1">
            <p class="kicker">{kicker}</p>
            <h2 class="paper-title"><A href=href>{title}</A></h2>
            {children()}
        </article>
    }
}

fn search_hit(hit: SearchHit) -> AnyView {
    match hit {
        SearchHit::Paper {
            paper,
            snippet_html,
        } => paper_hit(*paper, snippet_html),
        SearchHit::Summary {
            summary,
            paper,
            snippet_html,
        } => summary_hit(summary, *paper, snippet_html),
    }
}

fn paper_hit(paper: PaperListItem, snippet_html: String) -> AnyView {
    view! {
        <HitCard kicker="Paper" href=paper_href(paper.id) title=paper.title>
            <PaperMeta venue=paper.venue year=paper.year authors=paper.authors max=4/>
            <RichHtml html=snippet_html class="snippet prose"/>
            <p class="card-foot meta">{summary_count_text(paper.summary_count)}</p>
        </HitCard>
    }
    .into_any()
}

fn summary_hit(summary: SummaryHit, paper: PaperBrief, snippet_html: String) -> AnyView {
    view! {
        <HitCard kicker="Summary of" href=summary_href(summary.id) title=paper.title>
            <PaperMeta venue=paper.venue year=paper.year authors=paper.authors/>
            <KeywordTags keywords=paper.keywords/>
            <RichHtml html=snippet_html class="snippet prose"/>
            <p class="card-foot meta">
                "by " <UserName user=summary.author link=false/>
                " · " {summary.score} {if summary.score == 1 { " point" } else { " points" }}
                " · " <RelativeTime at=summary.created_at/>
            </p>
        </HitCard>
    }
    .into_any()
}

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shortscience_types::{PaperDetail, SummaryItem, Visibility};

use super::editor::WriteSummaryPage;
use crate::api;
use crate::auth::use_auth;
use crate::components::{
    set_title, AwaitSession, Byline, Comments, ErrorView, Loading, OwnerActions, SummaryBody,
    VenueYear, Votes,
};

/// `/papers/*reference`: the paper page, or its summary editor when the path ends in `/write`
/// (a DOI reference has slashes of its own, so this cannot be a route pattern).
#[component]
pub fn PaperRoute() -> impl IntoView {
    let params = use_params_map();
    let write = Memo::new(move |_| {
        params.with(|p| {
            p.get("reference")
                .is_some_and(|r| r.trim_end_matches('/').ends_with("/write"))
        })
    });
    move || {
        if write.get() {
            view! { <WriteSummaryPage/> }.into_any()
        } else {
            view! { <PaperPage/> }.into_any()
        }
    }
}

#[component]
pub fn PaperPage() -> impl IntoView {
    view! {
        <AwaitSession>
            <PaperLoader/>
        </AwaitSession>
    }
}

/// Loads the paper as the current viewer (with a token, votes and own summaries are included).
#[component]
fn PaperLoader() -> impl IntoView {
    let params = use_params_map();
    let auth = use_auth();
    let reference = move || params.with(|p| p.get("reference").unwrap_or_default());
    let paper = LocalResource::new(move || {
        let reference = reference();
        async move {
            auth.call_maybe(|token| {
                let reference = reference.clone();
                async move { api::paper(&reference, token.as_deref()).await }
            })
            .await
        }
    });
    let reload = Callback::new(move |()| paper.refetch());
    view! {
        <Suspense fallback=|| view! { <Loading label="Loading paper…"/> }>
            {move || Suspend::new(async move {
                match paper.await {
                    Ok(paper) => {
                        set_title(&paper.title);
                        view! { <PaperView paper reload/> }.into_any()
                    }
                    Err(error) => {
                        set_title(if error.is_not_found() { "Paper not found" } else { "Error" });
                        view! { <ErrorView error/> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn PaperView(paper: PaperDetail, reload: Callback<()>) -> impl IntoView {
    let links = paper.links.clone();
    let count = paper.summaries.len();
    view! {
        <article class="paper" data-testid="paper">
            <header class="page-head">
                <h1 class="paper-title">{paper.title.clone()}</h1>
                <p class="meta authors">
                    {paper.authors.clone().into_iter().enumerate().map(|(i, a)| view! {
                        {(i > 0).then_some(", ")}
                        <A href=format!("/authors/{}", a.id)>{a.name}</A>
                    }).collect_view()}
                </p>
                <p class="meta">
                    <VenueYear venue=paper.venue.clone() year=paper.year/>
                    {paper.arxiv_id.clone().map(|id| view! { <span class="dot">" · "</span><span>"arXiv:"{id}</span> })}
                </p>
                <ul class="chips" aria-label="Keywords">
                    {paper.keywords.clone().into_iter().map(|k| view! {
                        <li><A href=format!("/keywords/{}", k.slug) attr:class="chip">{k.name}</A></li>
                    }).collect_view()}
                </ul>
                <nav class="links" aria-label="Read the paper">
                    {links.arxiv.map(|href| view! { <a class="button" href=href rel="external noopener">"arXiv"</a> })}
                    {links.pdf.map(|href| view! { <a class="button" href=href rel="external noopener">"PDF"</a> })}
                    {links.doi.map(|href| view! { <a class="button" href=href rel="external noopener">"DOI"</a> })}
                    {links.url.map(|href| view! { <a class="button" href=href rel="external noopener">"Website"</a> })}
                    <a class="button" href=links.scholar rel="external noopener">"Google Scholar"</a>
                    <CopyBibtex id=paper.id.0/>
                </nav>
            </header>
            {paper.abstract_text.clone().map(|text| view! {
                <details class="abstract" open>
                    <summary>"Abstract"</summary>
                    <p>{text}</p>
                </details>
            })}
            <section class="summaries" aria-label="Summaries">
                <div class="section-head">
                    <h2>{match count { 0 => "No summaries yet".to_owned(), 1 => "1 summary".to_owned(), n => format!("{n} summaries") }}</h2>
                    <WriteButton paper_id=paper.id.0 mine=paper.summaries.iter().find(|s| s.mine).map(|s| s.id.0)/>
                </div>
                {paper.summaries.into_iter().enumerate().map(|(i, summary)| view! {
                    // The best summary is shown whole; the others as excerpts with "more".
                    <SummaryCard summary expanded=i == 0 on_deleted=reload/>
                }).collect_view()}
            </section>
        </article>
    }
}

/// "Write a summary", or "Edit your summary" when the caller has one; signed out, a way to sign
/// in first.
#[component]
fn WriteButton(paper_id: i64, mine: Option<i64>) -> impl IntoView {
    let auth = use_auth();
    let write = format!("/papers/{paper_id}/write");
    move || {
        match (auth.user(), mine) {
        (Some(_), Some(id)) => view! {
            <A href=format!("/summaries/{id}/edit") attr:class="button primary">"Edit your summary"</A>
        }
        .into_any(),
        (Some(_), None) => {
            view! { <A href=write.clone() attr:class="button primary">"Write a summary"</A> }
                .into_any()
        }
        (None, _) => {
            let next = js_sys::encode_uri_component(&write);
            view! { <A href=format!("/login?next={next}") attr:class="button">"Sign in to write a summary"</A> }
                .into_any()
        }
    }
    }
}

#[component]
fn SummaryCard(summary: SummaryItem, expanded: bool, on_deleted: Callback<()>) -> impl IntoView {
    let id = summary.id;
    let comments_open = RwSignal::new(false);
    let count = RwSignal::new(i64::from(summary.comment_count));
    let comments_id = format!("comments-{id}");
    let closed = summary.visibility == Visibility::Private || summary.hidden;
    view! {
        <article class="card summary" id=format!("summary-{id}") data-testid="summary">
            <Votes summary=summary.clone()/>
            <div class="summary-main">
                <header class="meta">
                    <Byline summary=summary.clone()/>
                    " · "
                    <A href=format!("/summaries/{id}")>"permalink"</A>
                </header>
                <SummaryBody summary=summary.clone() expanded/>
                <footer class="summary-foot meta">
                    <button
                        type="button"
                        class="link-button"
                        aria-expanded=move || comments_open.get().to_string()
                        aria-controls=comments_id.clone()
                        on:click=move |_| comments_open.update(|o| *o = !*o)
                    >
                        {move || format!("comments ({})", count.get())}
                    </button>
                    {summary.mine.then(|| view! { <OwnerActions id on_deleted/> })}
                </footer>
                <Show when=move || comments_open.get()>
                    <section class="comments-section" id=comments_id.clone() aria-label="Comments">
                        <Comments summary_id=id count closed/>
                    </section>
                </Show>
            </div>
        </article>
    }
}

/// Fetches the paper's BibTeX and copies it to the clipboard; shows it too, for browsers that
/// refuse clipboard access.
#[component]
fn CopyBibtex(id: i64) -> impl IntoView {
    let bibtex = RwSignal::new(None::<String>);
    let status = RwSignal::new("");
    let copy = move |_| {
        spawn_local(async move {
            match api::bibtex(&id.to_string()).await {
                Ok(text) => {
                    let copied = match web_sys::window() {
                        Some(window) => {
                            let promise = window.navigator().clipboard().write_text(&text);
                            wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
                        }
                        None => false,
                    };
                    status.set(if copied { "Copied" } else { "Select and copy:" });
                    bibtex.set(Some(text));
                }
                Err(_) => status.set("Could not load the BibTeX"),
            }
        });
    };
    view! {
        <button class="button" on:click=copy data-testid="copy-bibtex">"Copy BibTeX"</button>
        <span class="saved" role="status">{move || status.get()}</span>
        {move || bibtex.get().map(|text| view! { <pre class="bibtex" data-testid="bibtex">{text}</pre> })}
    }
}

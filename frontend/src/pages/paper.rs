use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shortscience_types::{PaperDetail, SummaryItem};

use crate::api;
use crate::components::{set_title, ErrorView, Loading, RelativeTime, VenueYear};

#[component]
pub fn PaperPage() -> impl IntoView {
    let params = use_params_map();
    let reference = move || params.with(|p| p.get("reference").unwrap_or_default());
    let paper = LocalResource::new(move || {
        let reference = reference();
        async move { api::paper(&reference).await }
    });
    view! {
        <Suspense fallback=|| view! { <Loading label="Loading paper…"/> }>
            {move || Suspend::new(async move {
                match paper.await {
                    Ok(paper) => {
                        set_title(&paper.title);
                        view! { <PaperView paper/> }.into_any()
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
fn PaperView(paper: PaperDetail) -> impl IntoView {
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
                <h2>{match count { 0 => "No summaries yet".to_owned(), 1 => "1 summary".to_owned(), n => format!("{n} summaries") }}</h2>
                {paper.summaries.into_iter().map(|summary| view! { <SummaryView summary/> }).collect_view()}
            </section>
        </article>
    }
}

#[component]
fn SummaryView(summary: SummaryItem) -> impl IntoView {
    let who = summary
        .author
        .as_ref()
        .map(|a| a.display_name.clone().unwrap_or_else(|| a.username.clone()))
        .unwrap_or_else(|| "anonymous".to_owned());
    let anchor = format!("summary-{}", summary.id);
    let permalink = format!("#{anchor}");
    view! {
        <article class="card summary" id=anchor data-testid="summary">
            <aside class="score" aria-label="Score">
                <span class="score-value" title=format!("{} up, {} down", summary.ups, summary.downs)>
                    {summary.score}
                </span>
                <span class="score-label">"points"</span>
            </aside>
            <div class="summary-main">
                <header class="meta">
                    <span class="who">{who}</span>
                    " · "
                    <RelativeTime at=summary.created_at/>
                    {summary.edited_at.map(|at| view! { " · edited " <RelativeTime at/> })}
                    " · "
                    <a href=permalink>"permalink"</a>
                </header>
                <div class="summary-body prose" inner_html=summary.body_html></div>
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

//! Adding a paper: by arXiv id, arXiv URL or DOI with a preview, or by hand.

use std::future::Future;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use shortscience_types::{
    CreatePaperRequest, ImportPaperRequest, PaperDetail, VenueInput, VenueKind,
};

use crate::api::{ApiResult, Client};
use crate::components::{set_title, Field, Form, RequireAuth, Submit, VenueKindSelect};
use crate::contexts::use_client;

/// DOIs (`10.…`, `doi:…`, `doi.org/…` links) go to Crossref; everything else is taken as arXiv.
fn import_request(input: &str) -> ImportPaperRequest {
    let trimmed = input.trim();
    let lower = trimmed.to_ascii_lowercase();
    let is_doi =
        lower.starts_with("10.") || lower.starts_with("doi:") || lower.contains("doi.org/");
    if is_doi {
        ImportPaperRequest {
            doi: Some(trimmed.to_owned()),
            ..ImportPaperRequest::default()
        }
    } else {
        ImportPaperRequest {
            arxiv: Some(trimmed.to_owned()),
            ..ImportPaperRequest::default()
        }
    }
}

#[component]
pub fn AddPaperPage() -> impl IntoView {
    set_title("Add a paper");
    let manual = RwSignal::new(false);
    view! {
        <RequireAuth>
            <h1>"Add a paper"</h1>
            <ImportForm/>
            <p class="meta">
                "Not on arXiv and without a DOI? "
                <button class="link-button inline" on:click=move |_| manual.update(|m| *m = !*m)>
                    {move || if manual.get() { "Hide the form" } else { "Enter it by hand" }}
                </button>
            </p>
            <Show when=move || manual.get()>
                <ManualForm/>
            </Show>
        </RequireAuth>
    }
}

/// Sends a paper with `add` (an import or one entered by hand); on success, opens its page.
fn adding<B, Fut>(add: fn(Client, B) -> Fut) -> Action<B, ApiResult<()>>
where
    B: Clone + Send + Sync + 'static,
    Fut: Future<Output = ApiResult<PaperDetail>> + 'static,
{
    let client = use_client();
    let navigate = use_navigate();
    Action::new_local(move |body: &B| {
        let paper = add(client, body.clone());
        let navigate = navigate.clone();
        async move {
            let paper = paper.await?;
            navigate(&format!("/papers/{}", paper.id), Default::default());
            Ok(())
        }
    })
}

#[component]
fn ImportForm() -> impl IntoView {
    let client = use_client();
    let input = RwSignal::new(String::new());
    let look_up = Action::new_local(move |body: &ImportPaperRequest| {
        let body = body.clone();
        async move { client.preview_import(&body).await }
    });
    let confirm =
        adding(|client, body: ImportPaperRequest| async move { client.import(&body).await });
    let pending = move || look_up.pending().get() || confirm.pending().get();
    let preview = move || look_up.value().get().and_then(Result::ok);
    // Shown under the field: why the look-up or the import failed.
    let field_error = Signal::derive(move || {
        let error = confirm.value().get().and_then(Result::err);
        let error = error.or_else(|| look_up.value().get().and_then(Result::err))?;
        Some(
            error
                .field("arxiv")
                .or_else(|| error.field("doi"))
                .unwrap_or_else(|| error.message()),
        )
    });
    let submit_look_up = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        look_up.clear();
        confirm.clear();
        look_up.dispatch(import_request(&input.get_untracked()));
    };
    let submit_confirm = move |_| {
        confirm.clear();
        confirm.dispatch(import_request(&input.get_untracked()));
    };

    view! {
        <section class="card">
            <form on:submit=submit_look_up novalidate>
                <Field label="arXiv id, arXiv link or DOI" name="source" value=input error=field_error
                    hint="e.g. 2003.10555, https://arxiv.org/abs/2003.10555 or 10.1038/s43586-021-00024-3"/>
                <button class="button primary" type="submit" disabled=pending>
                    {move || if pending() { "Looking up…" } else { "Look up" }}
                </button>
            </form>
            {move || preview().map(|p| {
                let paper = p.paper;
                let authors = paper.authors.join(", ");
                let venue = paper.venue.map(|v| v.name).unwrap_or_default();
                let year = paper.year.map(|y| y.to_string()).unwrap_or_default();
                let summary: String = paper.abstract_text.unwrap_or_default().chars().take(600).collect();
                view! {
                    <div class="preview" data-testid="import-preview">
                        <h2 class="paper-title">{paper.title}</h2>
                        <p class="meta">{authors}</p>
                        <p class="meta">{venue} " " {year}</p>
                        <ul class="chips">{paper.keywords.into_iter().map(|k| view! { <li class="chip">{k}</li> }).collect_view()}</ul>
                        <p class="abstract-preview">{summary}</p>
                        {match p.existing {
                            Some(id) => view! {
                                <p>"This paper is already here: " <A href=format!("/papers/{id}")>"open it"</A></p>
                            }.into_any(),
                            None => view! {
                                <button class="button primary" on:click=submit_confirm disabled=pending>"Add this paper"</button>
                            }.into_any(),
                        }}
                    </div>
                }
            })}
        </section>
    }
}

#[component]
fn ManualForm() -> impl IntoView {
    let title = RwSignal::new(String::new());
    let authors = RwSignal::new(String::new());
    let year = RwSignal::new(String::new());
    let venue = RwSignal::new(String::new());
    let venue_kind = RwSignal::new("conference".to_owned());
    let doi = RwSignal::new(String::new());
    let arxiv = RwSignal::new(String::new());
    let url = RwSignal::new(String::new());
    let keywords = RwSignal::new(String::new());
    let abstract_text = RwSignal::new(String::new());

    let create =
        adding(|client, body: CreatePaperRequest| async move { client.create_paper(&body).await });
    let submit = Submit::new(create, move || {
        let optional = |s: String| (!s.trim().is_empty()).then_some(s);
        let kind = match venue_kind.get_untracked().as_str() {
            "journal" => VenueKind::Journal,
            "preprint" => VenueKind::Preprint,
            "workshop" => VenueKind::Workshop,
            "other" => VenueKind::Other,
            _ => VenueKind::Conference,
        };
        CreatePaperRequest {
            title: title.get_untracked(),
            authors: authors
                .get_untracked()
                .lines()
                .map(str::to_owned)
                .filter(|l| !l.trim().is_empty())
                .collect(),
            abstract_text: optional(abstract_text.get_untracked()),
            year: year.get_untracked().trim().parse().ok(),
            published_on: None,
            venue: optional(venue.get_untracked()).map(|name| VenueInput { name, kind }),
            doi: optional(doi.get_untracked()),
            arxiv_id: optional(arxiv.get_untracked()),
            url: optional(url.get_untracked()),
            pdf_url: None,
            keywords: keywords
                .get_untracked()
                .split(',')
                .map(|k| k.trim().to_owned())
                .filter(|k| !k.is_empty())
                .collect(),
        }
    });

    view! {
        <section class="card">
            <h2>"Enter a paper by hand"</h2>
            <Form submit label="Add paper">
                <Field label="Title" name="title" value=title/>
                <Field label="Authors, one per line, in order" name="authors" rows=4 value=authors/>
                <Field label="Year" name="year" kind="number" value=year/>
                <Field label="Venue (conference or journal)" name="venue" value=venue/>
                <VenueKindSelect value=venue_kind/>
                <Field label="DOI (optional)" name="doi" value=doi/>
                <Field label="arXiv id (optional)" name="arxiv_id" value=arxiv/>
                <Field label="Link (optional)" name="url" kind="url" value=url/>
                <Field label="Keywords, comma-separated (optional)" name="keywords" value=keywords/>
                <Field label="Abstract (optional)" name="abstract" rows=6 value=abstract_text/>
            </Form>
        </section>
    }
}

//! Adding a paper: by arXiv id, arXiv URL or DOI with a preview, or by hand.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use shortscience_types::{
    CreatePaperRequest, ImportPaperRequest, ImportPreview, VenueInput, VenueKind,
};

use super::settings::RequireAuth;
use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::{set_title, Field};

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

#[component]
fn ImportForm() -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let input = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let preview = RwSignal::new(None::<ImportPreview>);
    let pending = RwSignal::new(false);

    let look_up = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        preview.set(None);
        pending.set(true);
        let body = import_request(&input.get_untracked());
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let body = body.clone();
                    async move { api::preview_import(&token, &body).await }
                })
                .await;
            match result {
                Ok(p) => preview.set(Some(p)),
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    let confirm = move |_| {
        error.set(None);
        pending.set(true);
        let body = import_request(&input.get_untracked());
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let body = body.clone();
                    async move { api::import(&token, &body).await }
                })
                .await;
            match result {
                Ok(paper) => navigate(&format!("/papers/{}", paper.id), Default::default()),
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    let field_error = Signal::derive(move || {
        error.with(|e| {
            e.as_ref().map(|e| {
                e.field("arxiv")
                    .or_else(|| e.field("doi"))
                    .unwrap_or_else(|| e.message())
            })
        })
    });

    view! {
        <section class="card">
            <form on:submit=look_up novalidate>
                <Field label="arXiv id, arXiv link or DOI" name="source" value=input error=field_error
                    hint="e.g. 2003.10555, https://arxiv.org/abs/2003.10555 or 10.1038/s43586-021-00024-3"/>
                <button class="button primary" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { "Looking up…" } else { "Look up" }}
                </button>
            </form>
            {move || preview.get().map(|p| {
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
                                <button class="button primary" on:click=confirm.clone() disabled=move || pending.get()>"Add this paper"</button>
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
    let auth = use_auth();
    let navigate = use_navigate();
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
    let error = RwSignal::new(None::<ApiError>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let optional = |s: String| (!s.trim().is_empty()).then_some(s);
        let kind = match venue_kind.get_untracked().as_str() {
            "journal" => VenueKind::Journal,
            "preprint" => VenueKind::Preprint,
            "workshop" => VenueKind::Workshop,
            "other" => VenueKind::Other,
            _ => VenueKind::Conference,
        };
        let body = CreatePaperRequest {
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
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let body = body.clone();
                    async move { api::create_paper(&token, &body).await }
                })
                .await;
            match result {
                Ok(paper) => navigate(&format!("/papers/{}", paper.id), Default::default()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let f = move |name: &'static str| {
        Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field(name))))
    };
    let fields = [
        "title", "authors", "year", "venue", "doi", "arxiv_id", "url", "keywords", "abstract",
    ];
    let general = move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| fields.iter().all(|n| e.field(n).is_none()))
                .map(|e| e.message())
        })
    };

    view! {
        <section class="card">
            <h2>"Enter a paper by hand"</h2>
            <form on:submit=submit novalidate>
                <Field label="Title" name="title" value=title error=f("title")/>
                <div class="field" class:invalid=move || f("authors").get().is_some()>
                    <label for="field-authors">"Authors, one per line, in order"</label>
                    <textarea id="field-authors" rows="4" prop:value=move || authors.get() on:input=move |ev| authors.set(event_target_value(&ev))></textarea>
                    <p class="field-error" role="alert">{move || f("authors").get()}</p>
                </div>
                <Field label="Year" name="year" kind="number" value=year error=f("year")/>
                <Field label="Venue (conference or journal)" name="venue" value=venue error=f("venue")/>
                <div class="field">
                    <label for="field-venue-kind">"Venue kind"</label>
                    <select id="field-venue-kind" on:change=move |ev| venue_kind.set(event_target_value(&ev)) prop:value=move || venue_kind.get()>
                        <option value="conference">"Conference"</option>
                        <option value="journal">"Journal"</option>
                        <option value="workshop">"Workshop"</option>
                        <option value="preprint">"Preprint server"</option>
                        <option value="other">"Other"</option>
                    </select>
                </div>
                <Field label="DOI (optional)" name="doi" value=doi error=f("doi")/>
                <Field label="arXiv id (optional)" name="arxiv_id" value=arxiv error=f("arxiv_id")/>
                <Field label="Link (optional)" name="url" kind="url" value=url error=f("url")/>
                <Field label="Keywords, comma-separated (optional)" name="keywords" value=keywords error=f("keywords")/>
                <div class="field" class:invalid=move || f("abstract").get().is_some()>
                    <label for="field-abstract">"Abstract (optional)"</label>
                    <textarea id="field-abstract" rows="6" prop:value=move || abstract_text.get() on:input=move |ev| abstract_text.set(event_target_value(&ev))></textarea>
                    <p class="field-error" role="alert">{move || f("abstract").get()}</p>
                </div>
                <p class="form-error" role="alert">{general}</p>
                <button class="button primary" type="submit">"Add paper"</button>
            </form>
        </section>
    }
}

//! A paper's metadata form (`/papers/{ref}/edit`, for whoever added it and moderators) and its
//! change log (`/papers/{ref}/history`, public).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use serde_json::Value;
use shortscience_types::{
    PaperChange, PaperDetail, PaperHistory, PaperRef, UpdatePaperRequest, VenueInput, VenueKind,
};

use super::paper::paper_resource;
use crate::api::{self, ApiError};
use crate::components::links::{paper_href, user_href};
use crate::components::{
    set_title, Field, Form, Loader, RelativeTime, RequireAuth, Submit, VenueKindSelect,
};
use crate::contexts::use_client;

/// The form's fields as text, as the paper has them now.
#[derive(Clone, PartialEq, Default)]
struct Fields {
    title: String,
    authors: String,
    abstract_text: String,
    year: String,
    venue: String,
    venue_kind: String,
    doi: String,
    arxiv_id: String,
    url: String,
    pdf_url: String,
    keywords: String,
}

impl Fields {
    fn of(paper: &PaperDetail) -> Self {
        let derived_pdf = paper
            .arxiv_id
            .as_ref()
            .map(|id| format!("https://arxiv.org/pdf/{id}"));
        Self {
            title: paper.title.clone(),
            authors: paper
                .authors
                .iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            abstract_text: paper.abstract_text.clone().unwrap_or_default(),
            year: paper.year.map(|y| y.to_string()).unwrap_or_default(),
            venue: paper
                .venue
                .as_ref()
                .map(|v| v.name.clone())
                .unwrap_or_default(),
            venue_kind: paper
                .venue
                .as_ref()
                .map_or("conference", |v| v.kind.as_str())
                .to_owned(),
            doi: paper.doi.clone().unwrap_or_default(),
            arxiv_id: paper.arxiv_id.clone().unwrap_or_default(),
            url: paper.links.url.clone().unwrap_or_default(),
            // arXiv's PDF is derived from the id, not stored: the field shows a PDF given with
            // the paper only.
            pdf_url: paper
                .links
                .pdf
                .clone()
                .filter(|pdf| Some(pdf) != derived_pdf.as_ref())
                .unwrap_or_default(),
            keywords: paper
                .keywords
                .iter()
                .map(|k| k.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// The edit: only what differs from `before` is sent (an emptied optional field clears it).
    fn changes(&self, before: &Fields) -> UpdatePaperRequest {
        let venue_changed = self.venue.trim() != before.venue.trim()
            || (!self.venue.trim().is_empty() && self.venue_kind != before.venue_kind);
        UpdatePaperRequest {
            title: changed(&self.title, &before.title).map(str::to_owned),
            authors: changed(&self.authors, &before.authors).map(|text| {
                text.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect()
            }),
            abstract_text: optional(&self.abstract_text, &before.abstract_text),
            year: changed(&self.year, &before.year).map(|y| y.parse().ok()),
            published_on: None,
            venue: venue_changed.then(|| {
                let name = self.venue.trim();
                (!name.is_empty()).then(|| VenueInput {
                    name: name.to_owned(),
                    kind: VenueKind::from_db(&self.venue_kind),
                })
            }),
            doi: optional(&self.doi, &before.doi),
            arxiv_id: optional(&self.arxiv_id, &before.arxiv_id),
            url: optional(&self.url, &before.url),
            pdf_url: optional(&self.pdf_url, &before.pdf_url),
            keywords: changed(&self.keywords, &before.keywords).map(|text| {
                text.split(',')
                    .map(str::trim)
                    .filter(|k| !k.is_empty())
                    .map(str::to_owned)
                    .collect()
            }),
        }
    }
}

/// `now`, trimmed, when it differs from `then`.
fn changed<'a>(now: &'a str, then: &str) -> Option<&'a str> {
    (now.trim() != then.trim()).then(|| now.trim())
}

/// An optional field's edit: `Some(None)` (clear it) when emptied.
fn optional(now: &str, then: &str) -> Option<Option<String>> {
    changed(now, then).map(|v| (!v.is_empty()).then(|| v.to_owned()))
}

#[component]
pub fn EditPaperPage(reference: PaperRef) -> impl IntoView {
    set_title("Edit a paper");
    view! {
        <RequireAuth>
            <EditPaperLoader reference=reference.clone()/>
        </RequireAuth>
    }
}

#[component]
fn EditPaperLoader(reference: PaperRef) -> impl IntoView {
    let paper = paper_resource(reference);
    view! {
        <Loader label="Loading paper…" not_found_title="Paper not found">
            {move || Suspend::new(async move {
                let paper = paper.await?;
                set_title(&format!("Edit {}", paper.title));
                Ok::<_, ApiError>(if paper.can_edit {
                    view! { <EditPaperForm paper/> }.into_any()
                } else {
                    view! {
                        <h1 tabindex="-1">"Edit a paper"</h1>
                        <p class="notice" role="alert">
                            "Only whoever added this paper, or a moderator, may correct it. "
                            <A href=paper_href(paper.id)>"Back to the paper"</A>
                        </p>
                    }
                    .into_any()
                })
            })}
        </Loader>
    }
}

#[component]
fn EditPaperForm(paper: PaperDetail) -> impl IntoView {
    let before = Fields::of(&paper);
    let id = paper.id;
    let reference = PaperRef::Id(id);
    let field = |value: &str| RwSignal::new(value.to_owned());
    let title = field(&before.title);
    let authors = field(&before.authors);
    let abstract_text = field(&before.abstract_text);
    let year = field(&before.year);
    let venue = field(&before.venue);
    let venue_kind = field(&before.venue_kind);
    let doi = field(&before.doi);
    let arxiv_id = field(&before.arxiv_id);
    let url = field(&before.url);
    let pdf_url = field(&before.pdf_url);
    let keywords = field(&before.keywords);
    let now = move || Fields {
        title: title.get_untracked(),
        authors: authors.get_untracked(),
        abstract_text: abstract_text.get_untracked(),
        year: year.get_untracked(),
        venue: venue.get_untracked(),
        venue_kind: venue_kind.get_untracked(),
        doi: doi.get_untracked(),
        arxiv_id: arxiv_id.get_untracked(),
        url: url.get_untracked(),
        pdf_url: pdf_url.get_untracked(),
        keywords: keywords.get_untracked(),
    };
    let before = StoredValue::new(before);

    let client = use_client();
    let navigate = use_navigate();
    let save = Action::new_local(move |body: &UpdatePaperRequest| {
        let (body, reference, navigate) = (body.clone(), reference.clone(), navigate.clone());
        async move {
            // Nothing changed: nothing to record, back to the paper.
            if body != UpdatePaperRequest::default() {
                client.update_paper(&reference, &body).await?;
            }
            navigate(&paper_href(id), Default::default());
            Ok::<_, ApiError>(())
        }
    });
    let submit = Submit::new(save, move || before.with_value(|b| now().changes(b)));
    let cancel = paper_href(id);

    view! {
        <h1 tabindex="-1">"Edit “" {paper.title.clone()} "”"</h1>
        <p class="meta">
            "Correct what is wrong; every change is kept in the paper's "
            <A href=format!("{}/history", paper_href(id))>"history"</A> "."
        </p>
        <section class="card">
            <Form submit label="Save changes" pending_label="Saving…" done="Saved."
                actions=move || view! { <A href=cancel.clone() attr:class="button">"Cancel"</A> }>
                <Field label="Title" name="title" value=title/>
                <Field label="Authors, one per line, in order" name="authors" rows=4 value=authors/>
                <Field label="Year" name="year" kind="number" value=year/>
                <Field label="Venue (conference or journal; empty for none)" name="venue" value=venue/>
                <VenueKindSelect value=venue_kind/>
                <Field label="DOI" name="doi" value=doi/>
                <Field label="arXiv id" name="arxiv_id" value=arxiv_id/>
                <Field label="Link" name="url" kind="url" value=url/>
                <Field label="PDF link (arXiv's is added by itself)" name="pdf_url" kind="url" value=pdf_url/>
                <Field label="Keywords, comma-separated" name="keywords" value=keywords/>
                <Field label="Abstract" name="abstract" rows=8 value=abstract_text/>
            </Form>
        </section>
    }
}

#[component]
pub fn PaperHistoryPage(reference: PaperRef) -> impl IntoView {
    set_title("A paper's history");
    let client = use_client();
    let data = LocalResource::new(move || {
        let reference = reference.clone();
        async move {
            let paper = client.paper(&reference).await?;
            let history = api::paper_history(&reference).await?;
            Ok::<_, ApiError>((paper, history))
        }
    });
    view! {
        <Loader label="Loading history…" not_found_title="Paper not found">
            {move || Suspend::new(async move {
                let (paper, history) = data.await?;
                set_title(&format!("History of {}", paper.title));
                Ok::<_, ApiError>(view! { <PaperHistoryView paper history/> })
            })}
        </Loader>
    }
}

#[component]
fn PaperHistoryView(paper: PaperDetail, history: PaperHistory) -> impl IntoView {
    let count = history.items.len();
    view! {
        <h1 tabindex="-1">"History of “" {paper.title.clone()} "”"</h1>
        <p class="meta">
            <A href=paper_href(paper.id)>"Back to the paper"</A>
            {paper.can_edit.then(|| view! {
                " · " <A href=format!("{}/edit", paper_href(paper.id))>"Edit"</A>
            })}
            " · " {match count { 1 => "1 change".to_owned(), n => format!("{n} changes") }}
        </p>
        <ol class="paper-history" data-testid="paper-history">
            {history.items.into_iter().rev().map(|change| view! { <ChangeEntry change/> }).collect_view()}
        </ol>
    }
}

/// A value of the change log as text: lists joined, `null` as "(none)".
fn shown(value: &Value) -> String {
    match value {
        Value::Null => "(none)".to_owned(),
        Value::String(text) => text.clone(),
        Value::Array(items) => items.iter().map(shown).collect::<Vec<_>>().join("; "),
        other => other.to_string(),
    }
}

#[component]
fn ChangeEntry(change: PaperChange) -> impl IntoView {
    let who = change.username.clone();
    let action = match change.action.as_str() {
        "created" => "added by hand",
        "imported" => "imported",
        "edited" => "edited",
        other => other,
    }
    .to_owned();
    let fields: Vec<(String, String, String)> = match (&change.action[..], &change.changes) {
        ("edited", Value::Object(map)) => map
            .iter()
            .map(|(field, diff)| (field.clone(), shown(&diff["from"]), shown(&diff["to"])))
            .collect(),
        _ => Vec::new(),
    };
    let source = match (&change.action[..], &change.changes) {
        ("imported", Value::Object(map)) => map.get("source").map(shown),
        _ => None,
    };
    view! {
        <li class="card change">
            <p class="meta">
                <strong>{action}</strong>
                {source.map(|s| format!(" from {s}"))}
                " by "
                {match who {
                    Some(name) => view! { <A href=user_href(&name)>{name.clone()}</A> }.into_any(),
                    None => view! { <span>"the system"</span> }.into_any(),
                }}
                " · " <RelativeTime at=change.at/>
            </p>
            {(!fields.is_empty()).then(|| view! {
                <dl class="change-fields">
                    {fields.into_iter().map(|(field, from, to)| view! {
                        <dt>{field}</dt>
                        <dd><del>{from}</del> " → " <ins>{to}</ins></dd>
                    }).collect_view()}
                </dl>
            })}
        </li>
    }
}

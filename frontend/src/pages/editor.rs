//! Writing and editing a summary: Markdown with math, a live preview rendered by the server
//! (exactly the HTML the published summary gets), and a warning before unsaved text is lost.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use shortscience_types::{
    CreateSummaryRequest, SummaryDetail, SummaryId, UpdateSummaryRequest, Visibility,
};

use super::settings::RequireAuth;
use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::{set_title, ErrorView, Loading};
use crate::unsaved::use_unsaved;

/// How long typing must pause before the preview is rendered again.
const PREVIEW_DELAY: Duration = Duration::from_millis(300);

/// `/papers/{ref}/write`.
#[component]
pub fn WriteSummaryPage() -> impl IntoView {
    set_title("Write a summary");
    view! {
        <RequireAuth>
            <WriteSummary/>
        </RequireAuth>
    }
}

#[component]
fn WriteSummary() -> impl IntoView {
    let auth = use_auth();
    let params = use_params_map();
    let reference = Memo::new(move |_| {
        params.with(|p| {
            let r = p.get("reference").unwrap_or_default();
            let r = r.trim_end_matches('/');
            r.strip_suffix("/write").unwrap_or(r).to_owned()
        })
    });
    let paper = LocalResource::new(move || {
        let reference = reference.get();
        async move {
            auth.call_maybe(|token| {
                let reference = reference.clone();
                async move { api::paper(&reference, token.as_deref()).await }
            })
            .await
        }
    });
    view! {
        <Suspense fallback=|| view! { <Loading label="Loading paper…"/> }>
            {move || Suspend::new(async move {
                match paper.await {
                    Ok(paper) => {
                        set_title(&format!("Summarise {}", paper.title));
                        let target = EditorTarget::New { reference: paper.id.to_string() };
                        let paper_href = format!("/papers/{}", paper.id);
                        match paper.summaries.iter().find(|s| s.mine) {
                            Some(mine) => view! {
                                <h1>"Write a summary"</h1>
                                <p class="card">
                                    "You have already summarised "
                                    <A href=paper_href>{paper.title.clone()}</A>
                                    ". "
                                    <A href=format!("/summaries/{}/edit", mine.id)>"Edit your summary"</A>
                                </p>
                            }.into_any(),
                            None => view! {
                                <SummaryEditor
                                    target
                                    paper_title=paper.title.clone()
                                    paper_href
                                    draft=Draft::default()
                                />
                            }.into_any(),
                        }
                    }
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/summaries/{id}/edit`.
#[component]
pub fn EditSummaryPage() -> impl IntoView {
    set_title("Edit your summary");
    view! {
        <RequireAuth>
            <EditSummary/>
        </RequireAuth>
    }
}

#[component]
fn EditSummary() -> impl IntoView {
    let auth = use_auth();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| {
            p.get("id")
                .and_then(|id| id.parse::<i64>().ok())
                .unwrap_or(0)
        })
    });
    let summary = LocalResource::new(move || {
        let id = SummaryId(id.get());
        async move {
            auth.call_maybe(|token| async move { api::summary(id, token.as_deref(), None).await })
                .await
        }
    });
    view! {
        <Suspense fallback=|| view! { <Loading label="Loading your summary…"/> }>
            {move || Suspend::new(async move {
                match summary.await {
                    Ok(detail) if detail.summary.mine => edit_view(detail).into_any(),
                    Ok(detail) => view! {
                        <div class="error-box" role="alert">
                            <strong>"Not yours to edit"</strong>
                            <p>"Only its author can edit this summary. "
                                <A href=format!("/summaries/{}", detail.summary.id)>"Read it"</A></p>
                        </div>
                    }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn edit_view(detail: SummaryDetail) -> impl IntoView {
    let draft = Draft {
        body: detail.summary.body_markdown.clone(),
        anonymous: detail.summary.anonymous,
        private: detail.summary.visibility == Visibility::Private,
    };
    view! {
        <SummaryEditor
            target=EditorTarget::Edit { id: detail.summary.id }
            paper_title=detail.paper.title.clone()
            paper_href=format!("/papers/{}", detail.paper.id)
            draft
        />
    }
}

/// What the editor saves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditorTarget {
    /// A new summary of the paper with this reference.
    New {
        reference: String,
    },
    Edit {
        id: SummaryId,
    },
}

/// The editor's fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    pub body: String,
    pub anonymous: bool,
    pub private: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Preview {
    Empty,
    Html(String),
    Failed(String),
}

#[component]
fn SummaryEditor(
    target: EditorTarget,
    #[prop(into)] paper_title: String,
    #[prop(into)] paper_href: String,
    draft: Draft,
) -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let unsaved = use_unsaved();
    let body = RwSignal::new(draft.body.clone());
    let anonymous = RwSignal::new(draft.anonymous);
    let private = RwSignal::new(draft.private);
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let published = RwSignal::new(false);
    let initial = StoredValue::new(draft);
    let dirty = Memo::new(move |_| {
        let now = Draft {
            body: body.get(),
            anonymous: anonymous.get(),
            private: private.get(),
        };
        !published.get() && initial.with_value(|d| *d != now)
    });
    Effect::new(move |_| unsaved.set(dirty.get()));
    on_cleanup(move || unsaved.set(false));

    // The live preview: rendered by the server once typing pauses; an answer to older text is
    // dropped.
    let preview = RwSignal::new(Preview::Empty);
    let rendering = RwSignal::new(false);
    let generation = StoredValue::new(0u32);
    Effect::new(move |_| {
        let text = body.get();
        let this = generation.get_value().wrapping_add(1);
        generation.set_value(this);
        if text.trim().is_empty() {
            preview.set(Preview::Empty);
            rendering.set(false);
            return;
        }
        rendering.set(true);
        set_timeout(
            move || {
                if generation.try_get_value() != Some(this) {
                    return;
                }
                spawn_local(async move {
                    let result = auth
                        .call_maybe(|token| {
                            let text = text.clone();
                            async move { api::render(token.as_deref(), &text).await }
                        })
                        .await;
                    if generation.try_get_value() != Some(this) {
                        return;
                    }
                    rendering.try_set(false);
                    preview.try_set(match result {
                        Ok(rendered) => Preview::Html(rendered.html),
                        Err(e) => Preview::Failed(e.message()),
                    });
                });
            },
            PREVIEW_DELAY,
        );
    });

    let is_new = matches!(target, EditorTarget::New { .. });
    let cancel_href = match &target {
        EditorTarget::New { .. } => paper_href.clone(),
        EditorTarget::Edit { id } => format!("/summaries/{id}"),
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        let body_markdown = body.get_untracked();
        let anonymous = anonymous.get_untracked();
        let visibility = if private.get_untracked() {
            Visibility::Private
        } else {
            Visibility::Public
        };
        let target = target.clone();
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = match &target {
                EditorTarget::New { reference } => {
                    let request = CreateSummaryRequest {
                        body_markdown,
                        anonymous,
                        visibility,
                    };
                    auth.call(|token| {
                        let request = request.clone();
                        let reference = reference.clone();
                        async move { api::create_summary(&token, &reference, &request).await }
                    })
                    .await
                }
                EditorTarget::Edit { id } => {
                    let id = *id;
                    let request = UpdateSummaryRequest {
                        body_markdown: Some(body_markdown),
                        anonymous: Some(anonymous),
                        visibility: Some(visibility),
                        ..UpdateSummaryRequest::default()
                    };
                    auth.call(|token| {
                        let request = request.clone();
                        async move { api::update_summary(&token, id, &request).await }
                    })
                    .await
                }
            };
            pending.try_set(false);
            match result {
                Ok(detail) => {
                    // Saved: leaving is fine now.
                    published.try_set(true);
                    unsaved.set(false);
                    navigate(
                        &format!("/summaries/{}", detail.summary.id),
                        Default::default(),
                    );
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };

    let field = move |name: &'static str| {
        Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field(name))))
    };
    let body_error = field("body_markdown");
    let anonymous_error = field("anonymous");
    let visibility_error = field("visibility");
    let general = move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| {
                    ["body_markdown", "anonymous", "visibility"]
                        .iter()
                        .all(|f| e.field(f).is_none())
                })
                .map(|e| {
                    let existing = (e.code() == Some("summary_exists"))
                        .then(|| e.summary_named())
                        .flatten();
                    view! {
                        {e.message()}
                        {existing.map(|id| view! {
                            " " <A href=format!("/summaries/{id}/edit")>"Edit your summary"</A>
                        })}
                    }
                })
        })
    };

    view! {
        <header class="page-head">
            <p class="kicker">{if is_new { "New summary of" } else { "Editing your summary of" }}</p>
            <h1 class="paper-title"><A href=paper_href>{paper_title}</A></h1>
        </header>
        <form class="editor" on:submit=submit novalidate>
            <div class="field" class:invalid=move || body_error.get().is_some()>
                <label for="field-body_markdown">"Your summary (Markdown with math)"</label>
                <textarea
                    id="field-body_markdown"
                    name="body_markdown"
                    rows="14"
                    spellcheck="true"
                    prop:value=move || body.get()
                    on:input=move |ev| body.set(event_target_value(&ev))
                    aria-invalid=move || body_error.get().is_some().to_string()
                    aria-describedby="field-body_markdown-error field-body_markdown-hint"
                ></textarea>
                <p class="hint" id="field-body_markdown-hint">
                    "Explain the paper in a few paragraphs: what it does, why it matters, how it works. At most 50,000 characters."
                </p>
                <p class="field-error" id="field-body_markdown-error" role="alert">{move || body_error.get()}</p>
            </div>
            <CheatSheet/>
            <section class="preview-pane" aria-label="Preview">
                <h2 class="preview-title">
                    "Preview"
                    {move || rendering.get().then(|| view! { <span class="meta">" · updating…"</span> })}
                </h2>
                {move || match preview.get() {
                    Preview::Empty => view! {
                        <p class="empty" data-testid="preview">"Your summary will appear here as you type."</p>
                    }.into_any(),
                    Preview::Html(html) => view! {
                        <div class="prose preview-body" data-testid="preview" inner_html=html></div>
                    }.into_any(),
                    Preview::Failed(message) => view! {
                        <p class="form-error" data-testid="preview" role="alert">"The preview could not be rendered: " {message}</p>
                    }.into_any(),
                }}
            </section>
            <fieldset class="options">
                <legend>"Options"</legend>
                <div class="check" class:invalid=move || anonymous_error.get().is_some()>
                    <input
                        type="checkbox"
                        id="field-anonymous"
                        prop:checked=move || anonymous.get()
                        on:change=move |ev| anonymous.set(event_target_checked(&ev))
                    />
                    <label for="field-anonymous">"Post anonymously"</label>
                    <p class="hint">"Your name is shown to no one but you and the moderators."</p>
                    <p class="field-error" role="alert">{move || anonymous_error.get()}</p>
                </div>
                <div class="check" class:invalid=move || visibility_error.get().is_some()>
                    <input
                        type="checkbox"
                        id="field-visibility"
                        prop:checked=move || private.get()
                        on:change=move |ev| private.set(event_target_checked(&ev))
                    />
                    <label for="field-visibility">"Private (only people with the link)"</label>
                    <p class="hint">"Not listed on the paper, in feeds or on your profile; you get a link to share."</p>
                    <p class="field-error" role="alert">{move || visibility_error.get()}</p>
                </div>
            </fieldset>
            <p class="form-error" role="alert">{general}</p>
            <div class="form-actions">
                <button class="button primary" type="submit" disabled=move || pending.get()>
                    {move || match (pending.get(), is_new) {
                        (true, _) => "Saving…",
                        (false, true) => "Publish",
                        (false, false) => "Save changes",
                    }}
                </button>
                <A href=cancel_href attr:class="button">"Cancel"</A>
                <span class="meta" role="status">{move || dirty.get().then_some("Unsaved changes")}</span>
            </div>
        </form>
    }
}

/// A short, collapsible reminder of the Markdown and math the renderer understands.
#[component]
fn CheatSheet() -> impl IntoView {
    const ROWS: [(&str, &str); 10] = [
        ("**bold**, _italic_", "bold, italic"),
        ("- item (or 1. item)", "a bulleted (or numbered) list"),
        ("[text](https://example.org)", "a link"),
        ("$x^2$ or \\(x^2\\)", "inline math"),
        (
            "$$\\sum_i x_i$$ or \\[\\sum_i x_i\\]",
            "a displayed formula",
        ),
        ("| a | b |\\n|---|---|\\n| 1 | 2 |", "a table"),
        ("text[^1] … [^1]: the note", "a footnote"),
        ("`code`, ``` blocks ```", "code"),
        ("> quoted", "a quotation"),
        (
            "\\cite{arxiv:2003.10555}",
            "a link to another paper (arxiv: or doi:)",
        ),
    ];
    view! {
        <details class="cheatsheet">
            <summary>"Markdown and math help"</summary>
            <table>
                <thead><tr><th scope="col">"Type"</th><th scope="col">"To get"</th></tr></thead>
                <tbody>
                    {ROWS.iter().map(|(source, result)| view! {
                        <tr><td><code>{source.replace("\\n", "\n")}</code></td><td>{*result}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="hint">"Math is LaTeX, shown as MathML. Blank lines separate paragraphs."</p>
        </details>
    }
}

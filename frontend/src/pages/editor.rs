//! Writing and editing a summary: Markdown with math, a live preview rendered by the server
//! (exactly the HTML the published summary gets), and a warning before unsaved text is lost.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use shortscience_types::{
    CreateSummaryRequest, ErrorCode, MathError, PaperId, PaperRef, SummaryDetail, SummaryId,
    UpdateSummaryRequest, Visibility,
};

use super::paper::paper_resource;
use super::{id_param, or_not_found};
use crate::api::ApiError;
use crate::components::links::{paper_href, summary_href};
use crate::components::{set_title, Check, Field, Form, Loader, RequireAuth, RichHtml, Submit};
use crate::contexts::{use_client, use_unsaved};

/// How long typing must pause before the preview is rendered again.
const PREVIEW_DELAY: Duration = Duration::from_millis(300);

/// `/papers/{ref}/write`.
#[component]
pub fn WriteSummaryPage(reference: PaperRef) -> impl IntoView {
    set_title("Write a summary");
    view! {
        <RequireAuth>
            <WriteSummary reference=reference.clone()/>
        </RequireAuth>
    }
}

#[component]
fn WriteSummary(reference: PaperRef) -> impl IntoView {
    let paper = paper_resource(reference);
    view! {
        <Loader label="Loading paper…">
            {move || Suspend::new(async move {
                let paper = paper.await?;
                set_title(&format!("Summarise {}", paper.title));
                let paper_href = paper_href(paper.id);
                Ok::<_, ApiError>(match paper.summaries.iter().find(|s| s.mine) {
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
                            target=EditorTarget::New { paper: paper.id }
                            paper_title=paper.title.clone()
                            paper_href
                            draft=Draft::default()
                        />
                    }.into_any(),
                })
            })}
        </Loader>
    }
}

/// `/summaries/{id}/edit`.
#[component]
pub fn EditSummaryPage() -> impl IntoView {
    set_title("Edit your summary");
    or_not_found(id_param::<SummaryId>(), |id| {
        view! {
            <RequireAuth>
                <EditSummary id/>
            </RequireAuth>
        }
        .into_any()
    })
}

#[component]
fn EditSummary(id: SummaryId) -> impl IntoView {
    let client = use_client();
    let summary = LocalResource::new(move || async move { client.summary(id, None).await });
    view! {
        <Loader label="Loading your summary…">
            {move || Suspend::new(async move {
                let detail = summary.await?;
                Ok::<_, ApiError>(if detail.summary.mine {
                    edit_view(detail).into_any()
                } else {
                    view! {
                        <div class="error-box" role="alert">
                            <strong>"Not yours to edit"</strong>
                            <p>"Only its author can edit this summary. "
                                <A href=format!("/summaries/{}", detail.summary.id)>"Read it"</A></p>
                        </div>
                    }.into_any()
                })
            })}
        </Loader>
    }
}

fn edit_view(detail: SummaryDetail) -> impl IntoView {
    let draft = Draft {
        body: detail.summary.body_markdown.clone().unwrap_or_default(),
        anonymous: detail.summary.anonymous,
        private: detail.summary.visibility == Visibility::Private,
    };
    view! {
        <SummaryEditor
            target=EditorTarget::Edit { id: detail.summary.id }
            paper_title=detail.paper.title.clone()
            paper_href=paper_href(detail.paper.id)
            draft
        />
    }
}

/// What the editor saves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorTarget {
    /// A new summary of this paper.
    New {
        paper: PaperId,
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
    /// The HTML, and the formulas that did not parse.
    Html(String, Vec<MathError>),
    Failed(String),
}

/// On a 409 `summary_exists`, a link to the caller's existing summary of the paper.
fn existing_summary(error: &ApiError) -> Option<AnyView> {
    if error.code() != Some(ErrorCode::SummaryExists) {
        return None;
    }
    let id = error.problem()?.summary_id?;
    Some(view! { " " <A href=format!("/summaries/{id}/edit")>"Edit your summary"</A> }.into_any())
}

/// Saves the draft to `target`; on success, opens the saved summary.
fn save_summary(
    target: EditorTarget,
    saved: impl Fn() + Copy + 'static,
) -> Action<Draft, Result<(), ApiError>> {
    let client = use_client();
    let navigate = use_navigate();
    Action::new_local(move |draft: &Draft| {
        let draft = draft.clone();
        let navigate = navigate.clone();
        async move {
            let visibility = if draft.private {
                Visibility::Private
            } else {
                Visibility::Public
            };
            let detail = match target {
                EditorTarget::New { paper } => {
                    let request = CreateSummaryRequest {
                        body_markdown: draft.body,
                        anonymous: draft.anonymous,
                        visibility,
                    };
                    client.create_summary(paper, &request).await?
                }
                EditorTarget::Edit { id } => {
                    let request = UpdateSummaryRequest {
                        body_markdown: Some(draft.body),
                        anonymous: Some(draft.anonymous),
                        visibility: Some(visibility),
                        ..UpdateSummaryRequest::default()
                    };
                    client.update_summary(id, &request).await?
                }
            };
            saved();
            navigate(
                &format!("/summaries/{}", detail.summary.id),
                Default::default(),
            );
            Ok(())
        }
    })
}

/// The live preview of `body`, rendered by the server (exactly the HTML the published summary
/// gets) once typing pauses, and the text it was rendered from.
fn live_preview(body: RwSignal<String>) -> (LocalResource<Preview>, ReadSignal<String>) {
    let client = use_client();
    let settled = RwSignal::new(body.get_untracked());
    let generation = StoredValue::new(0u32);
    Effect::new(move |_| {
        let text = body.get();
        let this = generation.get_value().wrapping_add(1);
        generation.set_value(this);
        if text.trim().is_empty() {
            settled.set(text);
            return;
        }
        set_timeout(
            move || {
                if generation.try_get_value() == Some(this) {
                    settled.try_set(text);
                }
            },
            PREVIEW_DELAY,
        );
    });
    // A resource drops the answer to older text.
    let preview = LocalResource::new(move || {
        let text = settled.get();
        async move {
            if text.trim().is_empty() {
                return Preview::Empty;
            }
            match client.render(&text).await {
                Ok(rendered) => Preview::Html(rendered.html, rendered.math_errors),
                Err(e) => Preview::Failed(e.message()),
            }
        }
    });
    (preview, settled.read_only())
}

#[component]
fn SummaryEditor(
    target: EditorTarget,
    #[prop(into)] paper_title: String,
    #[prop(into)] paper_href: String,
    draft: Draft,
) -> impl IntoView {
    let unsaved = use_unsaved();
    let body = RwSignal::new(draft.body.clone());
    let anonymous = RwSignal::new(draft.anonymous);
    let private = RwSignal::new(draft.private);
    let published = RwSignal::new(false);
    let initial = StoredValue::new(draft);
    let now = move || Draft {
        body: body.get(),
        anonymous: anonymous.get(),
        private: private.get(),
    };
    let dirty = Memo::new(move |_| {
        let now = now();
        !published.get() && initial.with_value(|d| *d != now)
    });
    Effect::new(move |_| unsaved.set(dirty.get()));
    on_cleanup(move || unsaved.set(false));

    let (preview, settled) = live_preview(body);
    let loading = RwSignal::new(false);
    let rendering =
        move || loading.get() || body.with(|b| settled.with(|s| b != s && !b.trim().is_empty()));

    // Saved: leaving is fine now.
    let save = save_summary(target, move || {
        published.try_set(true);
        unsaved.set(false);
    });
    let submit = Submit::new(save, move || untrack(now));

    let is_new = matches!(target, EditorTarget::New { .. });
    let cancel_href = match target {
        EditorTarget::New { .. } => paper_href.clone(),
        EditorTarget::Edit { id } => summary_href(id),
    };
    let actions = move || {
        view! {
            <A href=cancel_href.clone() attr:class="button">"Cancel"</A>
            <span class="meta" role="status">{move || dirty.get().then_some("Unsaved changes")}</span>
        }
    };

    view! {
        <header class="page-head">
            <p class="kicker">{if is_new { "New summary of" } else { "Editing your summary of" }}</p>
            <h1 class="paper-title"><A href=paper_href>{paper_title}</A></h1>
        </header>
        <Form
            submit
            class="editor"
            label=if is_new { "Publish" } else { "Save changes" }
            pending_label="Saving…"
            error_hint=existing_summary
            actions
        >
            <Field
                label="Your summary (Markdown with math)"
                name="body_markdown"
                rows=14
                value=body
                hint="Explain the paper in a few paragraphs: what it does, why it matters, how it works. At most 50,000 characters."
            />
            <CheatSheet/>
            <section class="preview-pane" aria-label="Preview">
                <h2 class="preview-title">
                    "Preview"
                    {move || rendering().then(|| view! { <span class="meta">" · updating…"</span> })}
                </h2>
                <Transition fallback=|| preview_view(Preview::Empty) set_pending=loading.write_only()>
                    {move || Suspend::new(async move { preview_view(preview.await) })}
                </Transition>
            </section>
            <fieldset class="options">
                <legend>"Options"</legend>
                <Check label="Post anonymously" name="anonymous" checked=anonymous
                    hint="Your name is shown to no one but you and the moderators."/>
                <Check label="Private (only people with the link)" name="visibility" checked=private
                    hint="Not listed on the paper, in feeds or on your profile; you get a link to share."/>
            </fieldset>
        </Form>
    }
}

fn preview_view(preview: Preview) -> AnyView {
    match preview {
        Preview::Empty => view! {
            <p class="empty" data-testid="preview">"Your summary will appear here as you type."</p>
        }
        .into_any(),
        Preview::Html(html, errors) => view! {
            <RichHtml html class="prose preview-body" testid="preview"/>
            <MathErrors errors/>
        }
        .into_any(),
        Preview::Failed(message) => view! {
            <p class="form-error" data-testid="preview" role="alert">"The preview could not be rendered: " {message}</p>
        }
        .into_any(),
    }
}

/// Each formula the renderer could not parse, with the parser's message (the preview shows
/// it as red source; this says why).
#[component]
fn MathErrors(errors: Vec<MathError>) -> impl IntoView {
    (!errors.is_empty()).then(|| {
        let count = errors.len();
        view! {
            <div class="math-errors" role="status" data-testid="math-errors">
                <p><strong>{if count == 1 { "1 formula has an error:".to_owned() } else { format!("{count} formulas have errors:") }}</strong></p>
                <ul>
                    {errors.into_iter().map(|e| view! {
                        <li><code class="formula">{e.formula}</code><span class="math-message">{e.message}</span></li>
                    }).collect_view()}
                </ul>
            </div>
        }
    })
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

//! `/summaries/{id}/history`: a summary's revisions, each of which can be read rendered, and a
//! line diff between any two.

use leptos::prelude::*;
use leptos_router::components::A;
use shortscience_types::{DiffOp, Revision, RevisionList, SummaryDetail, SummaryId};

use super::summary::share_param;
use super::{id_param, or_not_found};
use crate::api::ApiError;
use crate::components::links::paper_href;
use crate::components::{or_empty, set_title, AwaitSession, Loader, RelativeTime, RichHtml};
use crate::contexts::use_client;

#[component]
pub fn HistoryPage() -> impl IntoView {
    set_title("Summary history");
    or_not_found(id_param::<SummaryId>(), |id| {
        view! {
            <AwaitSession>
                <HistoryLoader id/>
            </AwaitSession>
        }
        .into_any()
    })
}

#[component]
fn HistoryLoader(id: SummaryId) -> impl IntoView {
    let client = use_client();
    let share = share_param();
    let data = LocalResource::new(move || {
        let share = share.get();
        async move {
            let detail = client.summary(id, share.as_deref()).await?;
            let revisions = client.revisions(id, share.as_deref()).await?;
            Ok::<_, ApiError>((detail, revisions))
        }
    });
    view! {
        <Loader label="Loading history…" not_found_title="Summary not found">
            {move || Suspend::new(async move {
                let (detail, revisions) = data.await?;
                set_title(&format!("History of a summary of {}", detail.paper.title));
                Ok::<_, ApiError>(view! { <HistoryView detail revisions share=share.get_untracked()/> })
            })}
        </Loader>
    }
}

#[component]
fn HistoryView(
    detail: SummaryDetail,
    revisions: RevisionList,
    share: Option<String>,
) -> impl IntoView {
    let client = use_client();
    let id = detail.summary.id;
    let last = revisions.items.iter().map(|r| r.number).max().unwrap_or(1);
    let from = RwSignal::new((last - 1).max(1));
    let to = RwSignal::new(last);
    let share = StoredValue::new(share);
    let permalink = match share.get_value() {
        Some(token) => format!(
            "/summaries/{id}#share={}",
            js_sys::encode_uri_component(&token)
        ),
        None => format!("/summaries/{id}"),
    };
    let diff = LocalResource::new(move || {
        let range = (from.get(), to.get());
        let share = share.get_value();
        async move { client.revision_diff(id, range, share.as_deref()).await }
    });
    let count = revisions.items.len();
    let options = |selected: RwSignal<i32>| {
        revisions
            .items
            .iter()
            .map(|r| {
                let number = r.number;
                let label = format!(
                    "Revision {} ({})",
                    r.number,
                    crate::components::time::date_time(r.created_at)
                );
                view! {
                    <option value=number.to_string() selected=move || selected.get() == number>{label}</option>
                }
            })
            .collect_view()
    };
    let from_options = options(from);
    let to_options = options(to);
    // The revision being read, rendered.
    let reading = RwSignal::new(None::<i32>);
    let all = StoredValue::new(revisions.items.clone());
    view! {
        <header class="page-head">
            <p class="kicker">"History of a summary of"</p>
            <h1 class="paper-title"><A href=paper_href(detail.paper.id)>{detail.paper.title.clone()}</A></h1>
            <p class="meta"><A href=permalink>"Back to the summary"</A></p>
        </header>
        <section class="card" aria-label="Revisions">
            <h2>{match count { 1 => "1 revision".to_owned(), n => format!("{n} revisions") }}</h2>
            <ol class="revisions">
                {revisions.items.iter().map(|r| {
                    let number = r.number;
                    view! {
                        <li>
                            "Revision " {r.number} " · " <RelativeTime at=r.created_at/> " · "
                            <button
                                type="button"
                                class="link-button inline"
                                aria-pressed=move || (reading.get() == Some(number)).to_string()
                                on:click=move |_| reading.set(Some(number))
                            >
                                {format!("Read revision {number}")}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
        {move || reading.get().and_then(|number| {
            let revision = all.with_value(|all| all.iter().find(|r| r.number == number).cloned())?;
            Some(view! { <RevisionView revision close=move || reading.set(None)/> })
        })}
        <section class="card" aria-label="Changes">
            <h2>"Changes"</h2>
            <div class="diff-controls">
                <div class="field">
                    <label for="diff-from">"From"</label>
                    <select id="diff-from" on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse() { from.set(n) }
                    }>{from_options}</select>
                </div>
                <div class="field">
                    <label for="diff-to">"To"</label>
                    <select id="diff-to" on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse() { to.set(n) }
                    }>{to_options}</select>
                </div>
            </div>
            <Loader label="Comparing…">
                {move || Suspend::new(async move {
                    let diff = diff.await?;
                    Ok::<_, ApiError>(or_empty(diff.lines.is_empty(), "No text.", move || {
                        let same = diff.lines.iter().all(|l| l.op == DiffOp::Equal);
                        let sign = |sign| view! { <span class="diff-sign" aria-hidden="true">{sign}</span> };
                        view! {
                            {(count == 1).then(|| view! { <p class="meta">"Not edited yet: this is the only revision."</p> })}
                            {(same && diff.from != diff.to).then(|| view! { <p class="meta">"The text is the same in both revisions."</p> })}
                            <div class="diff" data-testid="diff">
                                {diff.lines.into_iter().map(|line| match line.op {
                                    DiffOp::Insert => view! { <ins class="diff-line diff-insert">{sign("+")}{line.text}</ins> }.into_any(),
                                    DiffOp::Delete => view! { <del class="diff-line diff-delete">{sign("−")}{line.text}</del> }.into_any(),
                                    DiffOp::Equal => view! { <div class="diff-line diff-equal">{sign(" ")}{line.text}</div> }.into_any(),
                                }).collect_view()}
                            </div>
                        }.into_any()
                    }))
                })}
            </Loader>
        </section>
    }
}

/// One revision's text, rendered as it was published (through the server's renderer).
#[component]
fn RevisionView(revision: Revision, close: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    let client = use_client();
    let markdown = revision.body_markdown.clone();
    let rendered = LocalResource::new(move || {
        let markdown = markdown.clone();
        async move { client.render(&markdown).await }
    });
    let number = revision.number;
    view! {
        <section class="card revision" aria-labelledby="revision-heading" data-testid="revision">
            <div class="section-head">
                <h2 id="revision-heading">{format!("Revision {number}")}</h2>
                <button type="button" class="button small" on:click=move |_| close()>"Close"</button>
            </div>
            <p class="meta">"Written " <RelativeTime at=revision.created_at/></p>
            <Loader label="Rendering…">
                {move || Suspend::new(async move {
                    let rendered = rendered.await?;
                    Ok::<_, ApiError>(view! { <RichHtml html=rendered.html class="prose"/> })
                })}
            </Loader>
        </section>
    }
}

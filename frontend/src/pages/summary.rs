//! A summary's own page (`/summaries/{id}`) and its revision history.
//!
//! A private summary's share link is `/summaries/{id}#share=<token>`: the fragment never leaves
//! the browser, and this page sends it to the API as `X-Share-Token`.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};
use shortscience_types::{DiffOp, RevisionList, SummaryDetail, SummaryId, Visibility};

use super::{id_param, or_not_found};
use crate::api::ApiError;
use crate::components::{
    copy_text, or_empty, set_title, AwaitSession, Byline, Comments, Loader, OwnerActions,
    RelativeTime, VenueYear, Votes,
};
use crate::contexts::use_client;

/// The share token in a URL fragment such as `#share=abc`.
fn share_from_hash(hash: &str) -> Option<String> {
    hash.trim_start_matches('#')
        .split('&')
        .find_map(|part| part.strip_prefix("share="))
        .filter(|token| !token.is_empty())
        .map(|token| {
            if token.contains('%') {
                js_sys::decode_uri_component(token)
                    .ok()
                    .and_then(|t| t.as_string())
                    .unwrap_or_else(|| token.to_owned())
            } else {
                token.to_owned()
            }
        })
}

/// The share token of the URL's fragment.
fn share_param() -> Memo<Option<String>> {
    let location = use_location();
    Memo::new(move |_| share_from_hash(&location.hash.get()))
}

#[component]
pub fn SummaryPage() -> impl IntoView {
    or_not_found(id_param::<SummaryId>(), |id| {
        view! {
            <AwaitSession>
                <SummaryLoader id/>
            </AwaitSession>
        }
        .into_any()
    })
}

/// Loads the summary as the current viewer: signed in, `my_vote`, `mine` and (for the author of
/// a private summary) the share token are filled.
#[component]
fn SummaryLoader(id: SummaryId) -> impl IntoView {
    let client = use_client();
    let share = share_param();
    let summary = LocalResource::new(move || {
        let share = share.get();
        async move { client.summary(id, share.as_deref()).await }
    });
    view! {
        <Loader label="Loading summary…" not_found_title="Summary not found">
            {move || Suspend::new(async move {
                let detail = summary.await?;
                set_title(&format!("Summary of {}", detail.paper.title));
                Ok::<_, ApiError>(view! { <SummaryView detail share=share.get_untracked()/> })
            })}
        </Loader>
    }
}

#[component]
fn SummaryView(detail: SummaryDetail, share: Option<String>) -> impl IntoView {
    let navigate = use_navigate();
    let location = use_location();
    let summary = detail.summary;
    let paper = detail.paper;
    let id = summary.id;
    let paper_href = format!("/papers/{}", paper.id);
    let count = RwSignal::new(i64::from(summary.comment_count));
    let closed = summary.visibility == Visibility::Private || summary.hidden;
    let on_deleted = {
        let paper_href = paper_href.clone();
        Callback::new(move |()| navigate(&paper_href, Default::default()))
    };
    // A link to `#comments` (the feed's comment counts) scrolls there once the page is built.
    if location.hash.get_untracked() == "#comments" {
        request_animation_frame(|| {
            if let Some(el) = document().get_element_by_id("comments") {
                el.scroll_into_view();
            }
        });
    }
    view! {
        <article class="summary-page" data-testid="summary-page">
            <header class="page-head">
                <p class="kicker">"Summary of"</p>
                <h1 class="paper-title"><A href=paper_href>{paper.title.clone()}</A></h1>
                <p class="meta"><VenueYear venue=paper.venue.clone() year=paper.year/></p>
            </header>
            <div class="card summary" id=format!("summary-{id}") data-testid="summary">
                <Votes summary=summary.clone() share=share.clone()/>
                <div class="summary-main">
                    <header class="meta"><Byline summary=summary.clone()/></header>
                    <div class="summary-body prose" inner_html=summary.body_html.clone()></div>
                    {summary.mine.then(|| view! {
                        <footer class="summary-foot meta"><OwnerActions id on_deleted/></footer>
                    })}
                </div>
            </div>
            {detail.share_token.map(|token| view! { <ShareLink id token/> })}
            <section class="comments-section" id="comments" aria-labelledby="comments-heading">
                <h2 id="comments-heading">{move || format!("Comments ({})", count.get())}</h2>
                <Comments summary_id=id share=share.clone() count closed/>
            </section>
        </article>
    }
}

/// The secret link of a private summary, for its author to pass on.
#[component]
fn ShareLink(id: SummaryId, token: String) -> impl IntoView {
    let origin = window().location().origin().unwrap_or_default();
    let url = format!(
        "{origin}/summaries/{id}#share={}",
        js_sys::encode_uri_component(&token)
    );
    let copy = Action::new_local(|url: &String| {
        let url = url.clone();
        async move { copy_text(&url).await }
    });
    let copy_link = {
        let url = url.clone();
        move |_| {
            copy.dispatch(url.clone());
        }
    };
    let status = move || match copy.value().get() {
        Some(true) => "Copied",
        Some(false) => "Select the link and copy it",
        None => "",
    };
    view! {
        <section class="card share" aria-label="Share">
            <label for="share-link">"Share link"</label>
            <p class="hint">"This summary is private: only you and people with this link can read it."</p>
            <div class="share-row">
                <input
                    id="share-link"
                    type="text"
                    readonly
                    prop:value=url
                    on:focus=move |ev| {
                        use wasm_bindgen::JsCast;
                        if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                            input.select();
                        }
                    }
                />
                <button type="button" class="button" on:click=copy_link>"Copy link"</button>
                <span class="saved" role="status">{status}</span>
            </div>
        </section>
    }
}

/// `/summaries/{id}/history`: the revisions and a line diff between any two.
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
        <Loader label="Loading history…">
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
                    r.created_at.format("%Y-%m-%d %H:%M UTC")
                );
                view! {
                    <option value=number.to_string() selected=move || selected.get() == number>{label}</option>
                }
            })
            .collect_view()
    };
    let from_options = options(from);
    let to_options = options(to);
    view! {
        <header class="page-head">
            <p class="kicker">"History of a summary of"</p>
            <h1 class="paper-title"><A href=format!("/papers/{}", detail.paper.id)>{detail.paper.title.clone()}</A></h1>
            <p class="meta"><A href=permalink>"Back to the summary"</A></p>
        </header>
        <section class="card" aria-label="Revisions">
            <h2>{match count { 1 => "1 revision".to_owned(), n => format!("{n} revisions") }}</h2>
            <ol class="revisions">
                {revisions.items.iter().map(|r| view! {
                    <li>"Revision " {r.number} " · " <RelativeTime at=r.created_at/></li>
                }).collect_view()}
            </ol>
        </section>
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

#[cfg(test)]
mod tests {
    use super::share_from_hash;

    #[test]
    fn the_share_token_comes_from_the_fragment() {
        assert_eq!(share_from_hash("#share=abc"), Some("abc".to_owned()));
        assert_eq!(share_from_hash("#comments"), None);
        assert_eq!(share_from_hash(""), None);
        assert_eq!(share_from_hash("#share="), None);
    }
}

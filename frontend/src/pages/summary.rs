//! A summary's own page (`/summaries/{id}`) and its revision history.
//!
//! A private summary's share link is `/summaries/{id}#share=<token>`: the fragment never leaves
//! the browser, and this page sends it to the API as `X-Share-Token`.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate, use_params_map};
use shortscience_types::{DiffOp, RevisionList, SummaryDetail, SummaryId, Visibility};

use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::{
    set_title, AwaitSession, Byline, Comments, ErrorView, Loading, OwnerActions, RelativeTime,
    VenueYear, Votes,
};

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

/// The `:id` of the route and the share token of the URL's fragment.
fn summary_params() -> (Memo<SummaryId>, Memo<Option<String>>) {
    let params = use_params_map();
    let location = use_location();
    let id = Memo::new(move |_| {
        SummaryId(
            params
                .with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()))
                .unwrap_or(0),
        )
    });
    let share = Memo::new(move |_| share_from_hash(&location.hash.get()));
    (id, share)
}

#[component]
pub fn SummaryPage() -> impl IntoView {
    view! {
        <AwaitSession>
            <SummaryLoader/>
        </AwaitSession>
    }
}

/// Loads the summary as the current viewer: with a token, `my_vote`, `mine` and (for the
/// author of a private summary) the share token are filled.
#[component]
fn SummaryLoader() -> impl IntoView {
    let auth = use_auth();
    let (id, share) = summary_params();
    let summary = LocalResource::new(move || {
        let id = id.get();
        let share = share.get();
        async move {
            auth.call_maybe(|token| {
                let share = share.clone();
                async move { api::summary(id, token.as_deref(), share.as_deref()).await }
            })
            .await
        }
    });
    view! {
        <Suspense fallback=|| view! { <Loading label="Loading summary…"/> }>
            {move || Suspend::new(async move {
                match summary.await {
                    Ok(detail) => {
                        set_title(&format!("Summary of {}", detail.paper.title));
                        view! { <SummaryView detail share=share.get_untracked()/> }.into_any()
                    }
                    Err(error) => {
                        set_title(if error.is_not_found() { "Summary not found" } else { "Error" });
                        view! { <ErrorView error/> }.into_any()
                    }
                }
            })}
        </Suspense>
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
    let status = RwSignal::new("");
    let copy = {
        let url = url.clone();
        move |_| {
            let url = url.clone();
            spawn_local(async move {
                let promise = window().navigator().clipboard().write_text(&url);
                let copied = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
                status.try_set(if copied {
                    "Copied"
                } else {
                    "Select the link and copy it"
                });
            });
        }
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
                <button type="button" class="button" on:click=copy>"Copy link"</button>
                <span class="saved" role="status">{move || status.get()}</span>
            </div>
        </section>
    }
}

/// `/summaries/{id}/history`: the revisions and a line diff between any two.
#[component]
pub fn HistoryPage() -> impl IntoView {
    set_title("Summary history");
    view! {
        <AwaitSession>
            <HistoryLoader/>
        </AwaitSession>
    }
}

#[component]
fn HistoryLoader() -> impl IntoView {
    let auth = use_auth();
    let (id, share) = summary_params();
    let data = LocalResource::new(move || {
        let id = id.get();
        let share = share.get();
        async move {
            let detail = auth
                .call_maybe(|token| {
                    let share = share.clone();
                    async move { api::summary(id, token.as_deref(), share.as_deref()).await }
                })
                .await?;
            let revisions = auth
                .call_maybe(|token| {
                    let share = share.clone();
                    async move { api::revisions(id, token.as_deref(), share.as_deref()).await }
                })
                .await?;
            Ok::<_, ApiError>((detail, revisions))
        }
    });
    view! {
        <Suspense fallback=|| view! { <Loading label="Loading history…"/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((detail, revisions)) => {
                        set_title(&format!("History of a summary of {}", detail.paper.title));
                        view! { <HistoryView detail revisions share=share.get_untracked()/> }.into_any()
                    }
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn HistoryView(
    detail: SummaryDetail,
    revisions: RevisionList,
    share: Option<String>,
) -> impl IntoView {
    let auth = use_auth();
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
        let (from, to) = (from.get(), to.get());
        let share = share.get_value();
        async move {
            auth.call_maybe(|token| {
                let share = share.clone();
                async move {
                    api::revision_diff(id, from, to, token.as_deref(), share.as_deref()).await
                }
            })
            .await
        }
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
            <Suspense fallback=|| view! { <Loading label="Comparing…"/> }>
                {move || Suspend::new(async move {
                    match diff.await {
                        Ok(diff) if diff.lines.is_empty() => view! { <p class="empty">"No text."</p> }.into_any(),
                        Ok(diff) => {
                            let same = diff.lines.iter().all(|l| l.op == DiffOp::Equal);
                            view! {
                                {(count == 1).then(|| view! { <p class="meta">"Not edited yet: this is the only revision."</p> })}
                                {(same && diff.from != diff.to).then(|| view! { <p class="meta">"The text is the same in both revisions."</p> })}
                                <div class="diff" data-testid="diff">
                                    {diff.lines.into_iter().map(|line| match line.op {
                                        DiffOp::Insert => view! {
                                            <ins class="diff-line diff-insert"><span class="diff-sign" aria-hidden="true">"+"</span>{line.text}</ins>
                                        }.into_any(),
                                        DiffOp::Delete => view! {
                                            <del class="diff-line diff-delete"><span class="diff-sign" aria-hidden="true">"−"</span>{line.text}</del>
                                        }.into_any(),
                                        DiffOp::Equal => view! {
                                            <div class="diff-line diff-equal"><span class="diff-sign" aria-hidden="true">" "</span>{line.text}</div>
                                        }.into_any(),
                                    }).collect_view()}
                                </div>
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Suspense>
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

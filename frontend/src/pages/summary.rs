//! A summary's own page (`/summaries/{id}`).
//!
//! A private summary's share link is `/summaries/{id}#share=<token>`: the fragment never leaves
//! the browser, and this page sends it to the API as `X-Share-Token`.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};
use shortscience_types::{SummaryDetail, SummaryId, Visibility};

use super::{id_param, or_not_found};
use crate::api::ApiError;
use crate::components::links::paper_href;
use crate::components::{
    copy_text, set_title, summary_share, AuthorList, AwaitSession, Byline, Comments, FlagButton,
    FlagTarget, Loader, ModerateButton, OwnerActions, RichHtml, VenueYear, Votes,
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
pub(super) fn share_param() -> Memo<Option<String>> {
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
    let reload = Callback::new(move |()| summary.refetch());
    view! {
        <Loader label="Loading summary…" not_found_title="Summary not found">
            {move || Suspend::new(async move {
                let detail = summary.await?;
                set_title(&format!("Summary of {}", detail.paper.title));
                Ok::<_, ApiError>(view! { <SummaryView detail share=share.get_untracked() reload/> })
            })}
        </Loader>
    }
}

#[component]
fn SummaryView(
    detail: SummaryDetail,
    share: Option<String>,
    reload: Callback<()>,
) -> impl IntoView {
    let navigate = use_navigate();
    let location = use_location();
    let summary = detail.summary;
    let paper = detail.paper;
    let id = summary.id;
    let paper_href = paper_href(paper.id);
    let count = RwSignal::new(i64::from(summary.comment_count));
    let closed = summary.visibility == Visibility::Private || summary.hidden;
    // Public summaries are shared and cited; a private one has its share link instead.
    let share_menu = (!closed).then(|| summary_share(&summary, paper.id, &paper.title));
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
                <p class="meta">
                    <VenueYear venue=paper.venue.clone() year=paper.year/>
                    {((paper.venue.is_some() || paper.year.is_some()) && !paper.authors.is_empty()).then_some(" · ")}
                    <AuthorList authors=paper.authors.clone() max=6/>
                </p>
            </header>
            <div class="card summary" id=format!("summary-{id}") data-testid="summary">
                <Votes summary=summary.clone() share=share.clone()/>
                <div class="summary-main">
                    <header class="meta"><Byline summary=summary.clone()/></header>
                    <RichHtml html=summary.body_html.clone().unwrap_or_default() class="summary-body prose"/>
                    <footer class="summary-foot meta">
                        {summary.mine.then(|| view! { <OwnerActions id on_deleted/> })}
                        {share_menu}
                        {(!summary.mine).then(|| view! { <FlagButton target=FlagTarget::Summary(id)/> })}
                        <ModerateButton target=FlagTarget::Summary(id) hidden=summary.hidden on_done=reload/>
                    </footer>
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

//! Pieces every view of a summary shares: who wrote it and when, the collapsible body, and the
//! author's edit / history / delete links.

use leptos::prelude::*;
use leptos_router::components::A;
use shortscience_types::{SummaryId, SummaryItem, UserRef, VerifiedAuthor, Visibility};

use super::links::user_href;
use super::{RelativeTime, RichHtml};
use crate::api::ApiResult;
use crate::contexts::use_client;

/// A user's name linking to their profile (`link` unset: as text), or "anonymous".
#[component]
pub fn UserName(user: Option<UserRef>, #[prop(default = true)] link: bool) -> impl IntoView {
    match user {
        Some(user) => {
            let name = user
                .display_name
                .clone()
                .unwrap_or_else(|| user.username.clone());
            if link {
                view! { <A href=user_href(&user.username) attr:class="who">{name}</A> }.into_any()
            } else {
                view! { <span class="who">{name}</span> }.into_any()
            }
        }
        None => view! { <span class="who anonymous">"anonymous"</span> }.into_any(),
    }
}

/// "Verified author" beside a writer who is a verified author of the paper (the API never sets
/// it where the writer is anonymous), with their ORCID iD when known.
#[component]
pub fn VerifiedBadge(verified: Option<VerifiedAuthor>) -> impl IntoView {
    verified.map(|v| {
        let title = format!("A moderator verified the writer as {}, an author of this paper", v.name);
        let orcid = v.orcid.map(|id| {
            let label = format!("ORCID iD of {}", v.name);
            view! {
                " " <a class="orcid" href=format!("https://orcid.org/{id}") rel="external noopener" aria-label=label>"ORCID"</a>
            }
        });
        view! {
            " " <span class="chip verified" title=title data-testid="verified-writer">"Verified author"</span>
            {orcid}
        }
    })
}

/// "Mira Chen · 3 years ago · edited 2 days ago", with badges for private, anonymous (shown to
/// the author) and hidden summaries.
#[component]
pub fn Byline(summary: SummaryItem) -> impl IntoView {
    let private = summary.visibility == Visibility::Private;
    // The author sees their own name on an anonymous summary; say that others do not.
    let anonymous_to_others = summary.anonymous && summary.author.is_some();
    view! {
        <UserName user=summary.author.clone()/>
        <VerifiedBadge verified=summary.verified_author.clone()/>
        {anonymous_to_others.then(|| view! { " " <span class="chip subtle">"anonymous to others"</span> })}
        " · "
        <RelativeTime at=summary.created_at/>
        {summary.edited_at.map(|at| view! {
            " · " <span class="edited">"edited " <RelativeTime at/></span>
        })}
        {private.then(|| view! { " " <span class="chip subtle" title="Only people with the link can read it">"private"</span> })}
        {summary.hidden.then(|| view! { " " <span class="chip danger" title="Hidden by a moderator">"hidden"</span> })}
    }
}

/// The summary's text: the excerpt with a "more" control when the excerpt leaves something
/// out, else the whole body. Feeds send no bodies (issue 11's lean lists), so "more" on a feed
/// card fetches the summary once; until it arrives the excerpt stays.
#[component]
pub fn SummaryBody(
    summary: SummaryItem,
    /// Start with the whole body shown.
    #[prop(default = false)]
    expanded: bool,
) -> impl IntoView {
    let client = use_client();
    let id = summary.id;
    let open = RwSignal::new(expanded || !summary.truncated);
    let truncated = summary.truncated;
    // A body-less item that is not truncated has nothing beyond its excerpt.
    let body = RwSignal::new(summary.body_html);
    let excerpt = summary.excerpt_html;
    let fetch = Action::new_local(move |_: &()| async move {
        let detail = client.summary(id, None).await?;
        body.set(detail.summary.body_html);
        Ok(())
    });
    let toggle = move |_| {
        let opening = !open.get_untracked();
        if opening && body.with_untracked(Option::is_none) && !fetch.pending().get_untracked() {
            fetch.clear();
            fetch.dispatch(());
        }
        open.set(opening);
    };
    let body_id = format!("summary-body-{id}");
    view! {
        <div class="summary-body prose" id=body_id.clone() aria-busy=move || fetch.pending().get().to_string()>
            {move || match (open.get(), body.get()) {
                (true, Some(html)) => view! { <RichHtml html/> }.into_any(),
                _ => view! { <RichHtml html=excerpt.clone() class="excerpt-text"/> }.into_any(),
            }}
        </div>
        {truncated.then(|| view! {
            <button
                type="button"
                class="link-button inline more-toggle"
                aria-expanded=move || open.get().to_string()
                aria-controls=body_id
                on:click=toggle
            >
                {move || if open.get() { "less" } else { "more" }}
            </button>
            <ActionError action=fetch/>
        })}
    }
}

/// Edit, History and Delete for the summary's author. `on_deleted` runs after a delete.
#[component]
pub fn OwnerActions(id: SummaryId, #[prop(into)] on_deleted: Callback<()>) -> impl IntoView {
    let client = use_client();
    let delete = Action::new_local(move |_: &()| async move {
        client.delete_summary(id).await?;
        on_deleted.run(());
        Ok(())
    });
    let confirm_delete = move |_| {
        run_if_confirmed(
            delete,
            "Delete this summary? Its votes and comments go with it.",
        );
    };
    view! {
        <span class="owner-actions">
            <A href=format!("/summaries/{id}/edit")>"Edit"</A>
            <A href=format!("/summaries/{id}/history")>"History"</A>
            <button type="button" class="link-button danger-link" on:click=confirm_delete disabled=move || delete.pending().get()>
                "Delete"
            </button>
        </span>
        <ActionError action=delete/>
    }
}

/// Runs `action` (forgetting its last outcome) once the user answers `question` with OK.
pub fn run_if_confirmed(action: Action<(), ApiResult<()>>, question: &str) {
    if window().confirm_with_message(question).unwrap_or(false) {
        action.clear();
        action.dispatch(());
    }
}

/// The error of a button's action (delete, …), until it is tried again.
#[component]
pub fn ActionError(action: Action<(), ApiResult<()>>) -> impl IntoView {
    move || {
        let error = action.value().get()?.err()?;
        Some(view! { <p class="form-error" role="alert">{error.message()}</p> })
    }
}

//! Reporting content to the moderators ("Flag"), and the moderators' own hide / unhide control
//! shown beside summaries and comments.
//!
//! Both open a small form in place (a disclosure, not a modal): the button says whether it is
//! open, focus moves into the form, and Cancel or Escape closes it and gives focus back.

use leptos::prelude::*;
use shortscience_types::{
    CommentId, CreateFlagRequest, ErrorCode, FlagReason, PaperId, SummaryId, UpdateCommentRequest,
    UpdateSummaryRequest,
};
use wasm_bindgen::JsCast;

use crate::api::{ApiError, ApiResult};
use crate::contexts::{use_announcer, use_auth, use_client};

/// What a flag (or a moderator's hide) is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagTarget {
    Summary(SummaryId),
    Comment(CommentId),
    Paper(PaperId),
}

impl FlagTarget {
    fn noun(self) -> &'static str {
        match self {
            Self::Summary(_) => "summary",
            Self::Comment(_) => "comment",
            Self::Paper(_) => "paper",
        }
    }

    /// A stable prefix for element ids: `summary-12`.
    fn key(self) -> String {
        match self {
            Self::Summary(id) => format!("summary-{id}"),
            Self::Comment(id) => format!("comment-{id}"),
            Self::Paper(id) => format!("paper-{id}"),
        }
    }

    fn request(self, reason: String, note: String) -> CreateFlagRequest {
        let note = Some(note.trim().to_owned()).filter(|n| !n.is_empty());
        let mut body = CreateFlagRequest {
            reason,
            note,
            ..CreateFlagRequest::default()
        };
        match self {
            Self::Summary(id) => body.summary_id = Some(id),
            Self::Comment(id) => body.comment_id = Some(id),
            Self::Paper(id) => body.paper_id = Some(id),
        }
        body
    }
}

/// How people read a flag reason.
pub fn reason_label(reason: FlagReason) -> &'static str {
    match reason {
        FlagReason::Spam => "Spam",
        FlagReason::Abuse => "Abusive or harassing",
        FlagReason::OffTopic => "Off topic",
        FlagReason::Incorrect => "Incorrect",
        FlagReason::Duplicate => "Duplicate",
        FlagReason::Other => "Something else",
    }
}

/// Moves focus to the element with `id` once it is on the page.
fn focus_soon(id: String) {
    request_animation_frame(move || {
        if let Some(el) = document()
            .get_element_by_id(&id)
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

/// "Flag" for signed-in readers (nothing signed out, like replying): a reason, an optional
/// note, and the outcome — "Flagged — moderators will review it", or "You already flagged this".
#[component]
pub fn FlagButton(target: FlagTarget) -> impl IntoView {
    let auth = use_auth();
    let viewer = auth.viewer();
    move || matches!(viewer.get(), Some(Some(_))).then(|| view! { <FlagControl target/> })
}

#[component]
fn FlagControl(target: FlagTarget) -> impl IntoView {
    let client = use_client();
    let key = target.key();
    let button_id = format!("flag-{key}-button");
    let form_id = format!("flag-{key}-form");
    let reason_id = format!("flag-{key}-reason");
    let note_id = format!("flag-{key}-note");
    let open = RwSignal::new(false);
    let reason = RwSignal::new(FlagReason::Spam.as_str().to_owned());
    let note = RwSignal::new(String::new());
    // The last outcome shown after the form closes.
    let done = RwSignal::new(None::<&'static str>);
    let send = Action::new_local(move |body: &CreateFlagRequest| {
        let body = body.clone();
        async move {
            let said = match client.create_flag(&body).await {
                Ok(_) => "Flagged — moderators will review it",
                Err(error) if error.code() == Some(ErrorCode::FlagExists) => {
                    "You already flagged this"
                }
                Err(error) => return Err::<(), ApiError>(error),
            };
            // Said by the status beside the button (a live region of its own).
            done.try_set(Some(said));
            open.try_set(false);
            note.try_set(String::new());
            Ok(())
        }
    });
    let error = move || send.value().get().and_then(Result::err);
    let close = {
        let button_id = button_id.clone();
        move || {
            open.set(false);
            send.value().set(None);
            focus_soon(button_id.clone());
        }
    };
    let toggle = {
        let reason_id = reason_id.clone();
        let close = close.clone();
        move |_| {
            if open.get_untracked() {
                close();
            } else {
                done.set(None);
                send.value().set(None);
                open.set(true);
                focus_soon(reason_id.clone());
            }
        }
    };
    let label = format!("Flag this {}", target.noun());
    let form = move || {
        let close = close.clone();
        let close_on_escape = close.clone();
        open.get().then(|| {
            view! {
                <form
                    class="flag-form card"
                    id=form_id.clone()
                    novalidate
                    aria-label=format!("Flag this {}", target.noun())
                    on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        if !send.pending().get_untracked() {
                            send.value().set(None);
                            send.dispatch(target.request(reason.get_untracked(), note.get_untracked()));
                        }
                    }
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Escape" {
                            close_on_escape();
                        }
                    }
                >
                    <div class="field">
                        <label for=reason_id.clone()>"Reason"</label>
                        <select
                            id=reason_id.clone()
                            prop:value=move || reason.get()
                            on:change=move |ev| reason.set(event_target_value(&ev))
                        >
                            {FlagReason::ALL.iter().map(|r| view! {
                                <option value=r.as_str()>{reason_label(*r)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for=note_id.clone()>"Note for the moderators (optional)"</label>
                        <textarea
                            id=note_id.clone()
                            rows="2"
                            maxlength="1000"
                            prop:value=move || note.get()
                            on:input=move |ev| note.set(event_target_value(&ev))
                        ></textarea>
                    </div>
                    <p class="form-error" role="alert">
                        {move || error().map(|e| e.field("note").unwrap_or_else(|| e.message()))}
                    </p>
                    <div class="form-actions">
                        <button type="submit" class="button primary small" disabled=move || send.pending().get()>
                            {move || if send.pending().get() { "Sending…" } else { "Send flag" }}
                        </button>
                        <button type="button" class="button small" on:click=move |_| close()>"Cancel"</button>
                    </div>
                </form>
            }
        })
    };
    view! {
        <span class="flag">
            <button
                type="button"
                class="link-button"
                id=button_id
                aria-expanded=move || open.get().to_string()
                aria-label=label
                data-testid="flag-button"
                on:click=toggle
            >
                "Flag"
            </button>
            <span class="saved" role="status">{move || done.get()}</span>
        </span>
        {form}
    }
}

/// Hide (with a reason, for the public log and the author) or Unhide, for moderators; nothing
/// for anyone else. `on_done` runs after the change (the page loads the item again).
#[component]
pub fn ModerateButton(
    target: FlagTarget,
    hidden: bool,
    #[prop(into)] on_done: Callback<()>,
) -> impl IntoView {
    let auth = use_auth();
    let is_moderator = Memo::new(move |_| auth.user().is_some_and(|u| u.role.can_moderate()));
    move || {
        is_moderator
            .get()
            .then(|| view! { <ModerateControl target hidden on_done/> })
    }
}

#[component]
fn ModerateControl(target: FlagTarget, hidden: bool, on_done: Callback<()>) -> impl IntoView {
    let announcer = use_announcer();
    let client = use_client();
    let key = target.key();
    let reason_id = format!("moderate-{key}-reason");
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let noun = target.noun();
    let change = Action::new_local(move |reason: &String| {
        let reason = reason.clone();
        async move {
            set_hidden(client, target, !hidden, reason).await?;
            announcer.say(if hidden {
                format!("The {noun} is shown again.")
            } else {
                format!("The {noun} is hidden.")
            });
            open.try_set(false);
            on_done.run(());
            Ok::<_, ApiError>(())
        }
    });
    let verb = if hidden { "Unhide" } else { "Hide" };
    view! {
        <span class="moderate">
            <button
                type="button"
                class="link-button danger-link"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| {
                    open.update(|o| *o = !*o);
                    if open.get_untracked() {
                        focus_soon(reason_id.clone());
                    }
                }
            >
                {format!("{verb} (moderator)")}
            </button>
        </span>
        {move || open.get().then(|| {
            let reason_id = format!("moderate-{}-reason", target.key());
            view! {
                <form
                    class="moderate-form card"
                    novalidate
                    aria-label=format!("{verb} this {noun}")
                    on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        if !change.pending().get_untracked() {
                            change.value().set(None);
                            change.dispatch(reason.get_untracked());
                        }
                    }
                >
                    <div class="field">
                        <label for=reason_id.clone()>"Reason (shown in the public moderation log)"</label>
                        <input id=reason_id type="text" maxlength="500"
                            prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))/>
                    </div>
                    <p class="form-error" role="alert">
                        {move || change.value().get().and_then(Result::err).map(|e| e.message())}
                    </p>
                    <div class="form-actions">
                        <button type="submit" class="button primary small" disabled=move || change.pending().get()>
                            {format!("{verb} {noun}")}
                        </button>
                        <button type="button" class="button small" on:click=move |_| open.set(false)>"Cancel"</button>
                    </div>
                </form>
            }
        })}
    }
}

/// Hides or shows a summary or comment, with the moderator's `reason` (papers are not hidden).
pub async fn set_hidden(
    client: crate::api::Client,
    target: FlagTarget,
    hidden: bool,
    reason: String,
) -> ApiResult<()> {
    let reason = Some(reason.trim().to_owned()).filter(|r| !r.is_empty());
    match target {
        FlagTarget::Summary(id) => {
            let body = UpdateSummaryRequest {
                hidden: Some(hidden),
                reason,
                ..UpdateSummaryRequest::default()
            };
            client.update_summary(id, &body).await.map(drop)
        }
        FlagTarget::Comment(id) => {
            let body = UpdateCommentRequest {
                hidden: Some(hidden),
                reason,
                ..UpdateCommentRequest::default()
            };
            client.update_comment(id, &body).await.map(drop)
        }
        FlagTarget::Paper(_) => Ok(()),
    }
}

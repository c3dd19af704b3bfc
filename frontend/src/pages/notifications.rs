//! `/notifications`: the signed-in user's notifications, newest first, with "Mark all as read".

use leptos::prelude::*;
use leptos_router::components::A;
use shortscience_types::{MarkReadRequest, Notification, NotificationKind};

use crate::api::ApiError;
use crate::components::{set_title, ListText, LoadMore, Pages, RelativeTime, RequireAuth};
use crate::contexts::{use_client, use_unread};

#[component]
pub fn NotificationsPage() -> impl IntoView {
    set_title("Notifications");
    view! {
        <RequireAuth>
            <Notifications/>
        </RequireAuth>
    }
}

#[component]
fn Notifications() -> impl IntoView {
    let client = use_client();
    let unread = use_unread();
    // Bumped to show the list again from the top (after marking everything read).
    let version = RwSignal::new(0u32);
    let pages = Signal::derive(move || {
        Some(Pages::of(
            version.get(),
            move |_, cursor| async move {
                let page = client.notifications(cursor.as_deref()).await?;
                unread.set(page.unread);
                Ok(page)
            },
            notification_item,
        ))
    });
    let mark_all = Action::new_local(move |_: &()| async move {
        let answer = client
            .mark_read(&MarkReadRequest {
                all: Some(true),
                ..MarkReadRequest::default()
            })
            .await?;
        unread.set(answer.unread);
        version.update(|v| *v += 1);
        Ok::<_, ApiError>(())
    });
    let status = move || match mark_all.value().get() {
        Some(Ok(())) => Some(view! { <span class="saved">"All read."</span> }.into_any()),
        Some(Err(error)) => {
            Some(view! { <span class="form-error">{error.message()}</span> }.into_any())
        }
        None => None,
    };
    let summary = move || match unread.get() {
        Some(0) => "Nothing unread.".to_owned(),
        Some(1) => "1 unread.".to_owned(),
        Some(n) => format!("{n} unread."),
        None => String::new(),
    };
    let text = ListText {
        loading: "Loading notifications…",
        more: "Load more notifications",
    };
    view! {
        <header class="page-head section-head">
            <h1>"Notifications"</h1>
            <div class="head-actions">
                <button
                    type="button"
                    class="button"
                    on:click=move |_| {
                        if !mark_all.pending().get_untracked() {
                            mark_all.dispatch(());
                        }
                    }
                >
                    "Mark all as read"
                </button>
                <span role="status">{status}</span>
            </div>
        </header>
        <p class="meta" data-testid="unread-summary">{summary}</p>
        <LoadMore
            pages
            text
            empty=Signal::stored("No notifications yet. Follow papers, people, venues or keywords to hear of new summaries.")
            class="notifications"
            label="Notifications"
        />
        <p class="meta">"Read them in a feed reader: " <A href="/settings#notification-feed">"your private notification feed"</A> "."</p>
    }
}

fn notification_item(n: Notification) -> AnyView {
    view! { <NotificationItem n/> }.into_any()
}

/// One notification: a sentence with the paper's title as the link, when, and whether it is new.
#[component]
fn NotificationItem(n: Notification) -> impl IntoView {
    let (before, after) = sentence(&n);
    let link = n.subject.link.clone();
    let title = n.subject.title.clone();
    view! {
        <article class="card notification" class:unread=!n.read data-testid="notification" data-card tabindex="-1">
            <p class="notification-text">
                {(!n.read).then(|| view! { <span class="chip new-chip">"New"</span> " " })}
                {before}
                <A href=link>{title}</A>
                {after}
            </p>
            <p class="meta"><RelativeTime at=n.created_at/></p>
        </article>
    }
}

/// The words before and after the paper's title.
fn sentence(n: &Notification) -> (String, String) {
    let actor = n
        .actor
        .as_ref()
        .map(|a| a.display_name.clone().unwrap_or_else(|| a.username.clone()));
    let reason = n
        .reason
        .as_deref()
        .map(|r| format!(": {r}"))
        .unwrap_or_default();
    let comment = n.subject.comment_id.is_some();
    match n.kind {
        NotificationKind::CommentOnSummary => (
            format!(
                "{} commented on your summary of ",
                actor.unwrap_or_else(|| "Someone".to_owned())
            ),
            String::new(),
        ),
        NotificationKind::ReplyToComment => (
            format!(
                "{} replied to your comment on ",
                actor.unwrap_or_else(|| "The summary's author".to_owned())
            ),
            String::new(),
        ),
        NotificationKind::SummaryOnFollowedPaper => (
            format!(
                "{} wrote a summary of ",
                actor.unwrap_or_else(|| "Someone".to_owned())
            ),
            ", a paper you follow".to_owned(),
        ),
        NotificationKind::SummaryByFollowedUser => (
            format!(
                "{} wrote a summary of ",
                actor.unwrap_or_else(|| "Someone you follow".to_owned())
            ),
            String::new(),
        ),
        NotificationKind::VoteMilestone => (
            "Your summary of ".to_owned(),
            format!(" reached a score of {}", n.milestone.unwrap_or(1)),
        ),
        NotificationKind::ContentHidden if comment => {
            ("A moderator hid your comment on ".to_owned(), reason)
        }
        NotificationKind::ContentHidden => ("A moderator hid your summary of ".to_owned(), reason),
        NotificationKind::ClaimDecided => (
            "Your claim to be an author of ".to_owned(),
            format!(
                " was {}{reason}",
                if n.approved == Some(true) {
                    "approved"
                } else {
                    "rejected"
                }
            ),
        ),
    }
}

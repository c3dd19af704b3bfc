//! `/moderation`: the public moderation log, newest first. It never shows hidden text or the
//! author of an anonymous summary (the server leaves them out).

use leptos::prelude::*;
use leptos_router::components::A;
use shortscience_types::{LogTarget, LogTargetKind, ModerationLogEntry};

use crate::api;
use crate::components::links::user_href;
use crate::components::{set_title, ListText, LoadMore, Pages, RelativeTime};

#[component]
pub fn ModerationLogPage() -> impl IntoView {
    set_title("Moderation log");
    let pages = Signal::derive(|| {
        Some(Pages::of(
            (),
            |(), cursor| async move { api::moderation_log(cursor.as_deref()).await },
            log_entry,
        ))
    });
    let text = ListText {
        loading: "Loading the moderation log…",
        more: "Load more entries",
    };
    view! {
        <header class="page-head">
            <h1>"Moderation log"</h1>
            <p class="meta">
                "Everything moderators do on ShortScience, newest first: what they hid or restored, whose role they changed, which flags and author claims they decided, and why. Hidden text is never shown here."
            </p>
        </header>
        <LoadMore pages text empty=Signal::stored("Nothing yet.") class="moderation-log" label="Moderation log"/>
    }
}

fn log_entry(entry: ModerationLogEntry) -> AnyView {
    view! { <LogEntry entry/> }.into_any()
}

/// "alice hid summary 12", the reason, when.
#[component]
fn LogEntry(entry: ModerationLogEntry) -> impl IntoView {
    let who = entry.moderator.clone().map_or_else(
        || view! { <span class="who anonymous">"A former moderator"</span> }.into_any(),
        |name| view! { <A href=user_href(&name) attr:class="who">{name}</A> }.into_any(),
    );
    let role = entry.role.clone().map(|role| format!(" to {role}"));
    view! {
        <article class="card log-entry" data-testid="log-entry">
            <p class="log-text">
                {who} " " {action_words(&entry.action)} " " {entry.target.clone().map(target_link)} {role}
            </p>
            {entry.reason.clone().map(|reason| view! { <p class="log-reason">"Reason: " {reason}</p> })}
            <p class="meta"><RelativeTime at=entry.created_at/></p>
        </article>
    }
}

/// The action as a verb phrase, for the actions the API documents (others as they are).
fn action_words(action: &str) -> String {
    match action {
        "hide_summary" => "hid",
        "show_summary" => "restored",
        "hide_comment" => "hid",
        "show_comment" => "restored",
        "set_role" => "changed the role of",
        "suspend" => "suspended",
        "unsuspend" => "lifted the suspension of",
        "resolve_flag" => "acted on",
        "dismiss_flag" => "dismissed",
        "approve_claim" => "approved",
        "reject_claim" => "rejected",
        other => return other.replace('_', " "),
    }
    .to_owned()
}

/// "summary 12", "comment 7", "@bob", "flag 3", "author claim 5" as a link to where the app
/// shows it (plain text when the server gives no link).
fn target_link(target: LogTarget) -> AnyView {
    let name = match target.kind {
        LogTargetKind::Summary => format!("summary {}", target.id),
        LogTargetKind::Comment => format!("comment {}", target.id),
        LogTargetKind::User => format!("@{}", target.id),
        LogTargetKind::Paper => format!("paper {}", target.id),
        LogTargetKind::Claim => format!("author claim {}", target.id),
        LogTargetKind::Flag => format!("flag {}", target.id),
    };
    if target.link.is_empty() {
        view! { <span>{name}</span> }.into_any()
    } else {
        view! { <A href=target.link>{name}</A> }.into_any()
    }
}

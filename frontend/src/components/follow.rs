//! The follow toggle of a paper's, user's, venue's or keyword's page.

use leptos::prelude::*;
use leptos_router::components::A;
use shortscience_types::FollowKind;

use super::use_login_here;
use crate::api::ApiError;
use crate::contexts::{use_announcer, use_auth, use_client};

/// "Follow" / "Following" (`aria-pressed`) for signed-in users; signed out, a link to sign in
/// and come back. The state comes from `GET /me/follows`, loaded once by the button (each page
/// has one).
#[component]
pub fn FollowButton(
    kind: FollowKind,
    /// What goes in `/me/follows/{kind}/{key}`, as `GET /me/follows` names it: a paper's id, a
    /// username, a venue's or keyword's slug.
    #[prop(into)]
    key: String,
    /// What is followed, for what the button announces ("You follow ICLR").
    #[prop(into)]
    label: String,
) -> impl IntoView {
    let viewer = use_auth().viewer();
    let login_here = use_login_here();
    let key = StoredValue::new(key);
    let label = StoredValue::new(label);
    move || match viewer.get() {
        None => ().into_any(),
        Some(None) => view! {
            <A href=login_here attr:class="button small follow-button">"Sign in to follow"</A>
        }
        .into_any(),
        Some(Some(_)) => view! {
            <Toggle kind key=key.get_value() label=label.get_value()/>
        }
        .into_any(),
    }
}

#[component]
fn Toggle(kind: FollowKind, key: String, label: String) -> impl IntoView {
    let client = use_client();
    let announcer = use_announcer();
    // `None` until `GET /me/follows` answers.
    let following = RwSignal::new(None::<bool>);
    let wanted = key.clone();
    let follows = LocalResource::new(move || async move { client.follows().await });
    Effect::new(move |_| {
        if let Some(Ok(list)) = follows.get() {
            let on = list.items.iter().any(|f| f.kind == kind && f.key == wanted);
            following.set(Some(on));
        }
    });
    let toggle = Action::new_local(move |follow: &bool| {
        let (follow, key, label) = (*follow, key.clone(), label.clone());
        async move {
            if follow {
                client.follow(kind, &key).await?;
                announcer.say(format!("You follow {label}"));
            } else {
                client.unfollow(kind, &key).await?;
                announcer.say(format!("You no longer follow {label}"));
            }
            following.set(Some(follow));
            Ok::<_, ApiError>(())
        }
    });
    let error = move || {
        let error = toggle.value().get()?.err()?;
        Some(view! { <span class="form-error" role="alert">{error.message()}</span> })
    };
    let load_error = move || {
        follows
            .get()?
            .err()
            .map(|_| view! { <span class="meta">"Could not load what you follow."</span> })
    };
    view! {
        <span class="follow">
            <button
                type="button"
                class="button small follow-button"
                class:on=move || following.get() == Some(true)
                aria-pressed=move || following.get().unwrap_or(false).to_string()
                // Not while a change is under way: a disabled button would lose the focus.
                disabled=move || following.get().is_none()
                data-testid="follow-button"
                on:click=move |_| {
                    match following.get_untracked() {
                        Some(on) if !toggle.pending().get_untracked() => { toggle.dispatch(!on); }
                        _ => {}
                    }
                }
            >
                {move || if following.get() == Some(true) { "Following" } else { "Follow" }}
            </button>
            {error}
            {load_error}
        </span>
    }
}

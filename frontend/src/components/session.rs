//! Pages and links that depend on whether someone is signed in.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};

use super::Loading;
use crate::contexts::{use_auth, AuthState};

/// `/login`, coming back to `next` (a path on this site) afterwards.
pub fn login_href(next: &str) -> String {
    format!("/login?next={}", js_sys::encode_uri_component(next))
}

/// Sign-in links that come back to the current page (tracks the location).
pub fn use_login_here() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let location = use_location();
    move || {
        login_href(&format!(
            "{}{}",
            location.pathname.get(),
            location.search.get()
        ))
    }
}

/// Renders `children` once the session is known (pages that load per viewer, with votes and own
/// summaries, must not load twice), and anew when someone else signs in or out, but not when
/// the access token is merely refreshed.
#[component]
pub fn AwaitSession(children: ChildrenFn) -> impl IntoView {
    let viewer = use_auth().viewer();
    move || match viewer.get() {
        None => view! { <Loading/> }.into_any(),
        Some(_) => children().into_any(),
    }
}

/// Renders `children` for signed-in users; sends everyone else to sign in and back here.
#[component]
pub fn RequireAuth(children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let login_here = use_login_here();
    let location = use_location();
    // The page this guards: after signing out from it, the app is already on its way home.
    let here = location.pathname.get_untracked();
    Effect::new(move |_| {
        let signed_out = auth.state.get() == AuthState::SignedOut;
        if signed_out && location.pathname.get_untracked() == here {
            navigate(&untrack(login_here), Default::default());
        }
    });
    // Only a change of who is signed in re-renders the page; a refreshed token must not (it
    // would throw away whatever is being typed).
    let viewer = auth.viewer();
    move || {
        if matches!(viewer.get(), Some(Some(_))) {
            children().into_any()
        } else {
            view! { <Loading label="Checking your session…"/> }.into_any()
        }
    }
}

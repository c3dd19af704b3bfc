//! Sign in and sign up.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use shortscience_types::{LoginRequest, RegisterRequest};

use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::{set_title, Field};

/// Where to go after signing in: the `next` parameter when it is a path on this site.
fn next_path() -> impl Fn() -> String + Copy {
    let query = use_query_map();
    move || {
        query
            .with_untracked(|q| q.get("next"))
            .filter(|n| n.starts_with('/') && !n.starts_with("//"))
            .unwrap_or_else(|| "/".to_owned())
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    set_title("Sign in");
    let auth = use_auth();
    let navigate = use_navigate();
    let next = next_path();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        let body = LoginRequest {
            username: username.get_untracked(),
            password: password.get_untracked(),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::login(&body).await {
                Ok(session) => {
                    auth.signed_in(session);
                    navigate(&next(), Default::default());
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    let field = move |name: &'static str| {
        Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field(name))))
    };
    let general = move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| e.field("username").is_none() && e.field("password").is_none())
                .map(|e| e.message())
        })
    };
    let register_href = move || format!("/register?next={}", js_sys::encode_uri_component(&next()));

    view! {
        <section class="auth-page card">
            <h1>"Sign in"</h1>
            <form on:submit=submit novalidate>
                <Field label="Username or email" name="username" autocomplete="username" value=username error=field("username")/>
                <Field label="Password" name="password" kind="password" autocomplete="current-password" value=password error=field("password")/>
                <p class="form-error" role="alert">{general}</p>
                <button class="button primary" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
            <p class="meta">"New here? " <A href=register_href>"Create an account"</A></p>
        </section>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    set_title("Create an account");
    let auth = use_auth();
    let navigate = use_navigate();
    let next = next_path();
    let username = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        let name = display_name.get_untracked();
        let body = RegisterRequest {
            username: username.get_untracked(),
            email: email.get_untracked(),
            password: password.get_untracked(),
            display_name: (!name.trim().is_empty()).then_some(name),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::register(&body).await {
                Ok(session) => {
                    auth.signed_in(session);
                    navigate(&next(), Default::default());
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    let field = move |name: &'static str| {
        Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field(name))))
    };
    let general = move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| {
                    ["username", "email", "password", "display_name"]
                        .iter()
                        .all(|f| e.field(f).is_none())
                })
                .map(|e| e.message())
        })
    };
    let login_href = move || format!("/login?next={}", js_sys::encode_uri_component(&next()));

    view! {
        <section class="auth-page card">
            <h1>"Create an account"</h1>
            <form on:submit=submit novalidate>
                <Field label="Username" name="username" autocomplete="username" value=username error=field("username")
                    hint="3 to 30 letters, digits, _ or -"/>
                <Field label="Email" name="email" kind="email" autocomplete="email" value=email error=field("email")/>
                <Field label="Password" name="password" kind="password" autocomplete="new-password" value=password error=field("password")
                    hint="At least 10 characters"/>
                <Field label="Display name (optional)" name="display_name" autocomplete="name" value=display_name error=field("display_name")/>
                <p class="form-error" role="alert">{general}</p>
                <button class="button primary" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { "Creating…" } else { "Create account" }}
                </button>
            </form>
            <p class="meta">"Have an account? " <A href=login_href>"Sign in"</A></p>
        </section>
    }
}

//! Sign in and sign up.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use shortscience_types::{AuthSession, LoginRequest, RegisterRequest};

use crate::api::{self, ApiResult};
use crate::components::{login_href, set_title, Field, Form, Submit};
use crate::contexts::use_auth;

/// Where to go after signing in: the `next` parameter when it is a path on this site.
fn next_path() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        query
            .with_untracked(|q| q.get("next"))
            .filter(|n| n.starts_with('/') && !n.starts_with("//"))
            .unwrap_or_else(|| "/".to_owned())
    }
}

/// Sends `body` with `request` (sign in or sign up); on success, the new session starts and the
/// app goes on to `next`.
fn start_session<B, Fut>(
    request: fn(B) -> Fut,
    body: impl Fn() -> B + Send + Sync + 'static,
) -> Submit
where
    B: Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = ApiResult<AuthSession>> + 'static,
{
    let auth = use_auth();
    let navigate = use_navigate();
    let next = next_path();
    let action = Action::new_local(move |body: &B| {
        let session = request(body.clone());
        let navigate = navigate.clone();
        async move {
            auth.signed_in(session.await?);
            navigate(&next(), Default::default());
            ApiResult::Ok(())
        }
    });
    Submit::new(action, body)
}

#[component]
pub fn LoginPage() -> impl IntoView {
    set_title("Sign in");
    let next = next_path();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submit = start_session(
        |body: LoginRequest| async move { api::login(&body).await },
        move || LoginRequest {
            username: username.get_untracked(),
            password: password.get_untracked(),
        },
    );
    let register_href = move || format!("/register?next={}", js_sys::encode_uri_component(&next()));

    view! {
        <section class="auth-page card">
            <h1>"Sign in"</h1>
            <Form submit label="Sign in" pending_label="Signing in…">
                <Field label="Username or email" name="username" autocomplete="username" value=username/>
                <Field label="Password" name="password" kind="password" autocomplete="current-password" value=password/>
            </Form>
            <p class="meta">"New here? " <A href=register_href>"Create an account"</A></p>
        </section>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    set_title("Create an account");
    let next = next_path();
    let username = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let submit = start_session(
        |body: RegisterRequest| async move { api::register(&body).await },
        move || {
            let name = display_name.get_untracked();
            RegisterRequest {
                username: username.get_untracked(),
                email: email.get_untracked(),
                password: password.get_untracked(),
                display_name: (!name.trim().is_empty()).then_some(name),
            }
        },
    );

    view! {
        <section class="auth-page card">
            <h1>"Create an account"</h1>
            <Form submit label="Create account" pending_label="Creating…">
                <Field label="Username" name="username" autocomplete="username" value=username
                    hint="3 to 30 letters, digits, _ or -"/>
                <Field label="Email" name="email" kind="email" autocomplete="email" value=email/>
                <Field label="Password" name="password" kind="password" autocomplete="new-password" value=password
                    hint="At least 10 characters"/>
                <Field label="Display name (optional)" name="display_name" autocomplete="name" value=display_name/>
            </Form>
            <p class="meta">"Have an account? " <A href=move || login_href(&next())>"Sign in"</A></p>
        </section>
    }
}

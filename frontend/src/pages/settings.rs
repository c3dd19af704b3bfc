//! Account settings: profile, password, API tokens. Signed-in users only.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_navigate};
use shortscience_types::{ApiTokenInfo, CreateApiTokenRequest, Me, UpdateMeRequest};

use crate::api::{self, ApiError};
use crate::auth::{use_auth, AuthState};
use crate::components::{set_title, ErrorView, Field, Loading, RelativeTime};

/// Renders `children` for signed-in users; sends everyone else to sign in and back here.
#[component]
pub fn RequireAuth(children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let location = use_location();
    Effect::new(move |_| {
        if auth.state.get() == AuthState::SignedOut {
            let here = format!(
                "{}{}",
                location.pathname.get_untracked(),
                location.search.get_untracked()
            );
            let next = js_sys::encode_uri_component(&here);
            navigate(&format!("/login?next={next}"), Default::default());
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

#[component]
pub fn SettingsPage() -> impl IntoView {
    set_title("Settings");
    view! {
        <RequireAuth>
            <h1>"Settings"</h1>
            <ProfileForm/>
            <PasswordForm/>
            <TokensPanel/>
        </RequireAuth>
    }
}

fn field_of(error: RwSignal<Option<ApiError>>, name: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field(name))))
}

#[component]
fn ProfileForm() -> impl IntoView {
    let auth = use_auth();
    let me: Option<Me> = auth.user();
    let display_name = RwSignal::new(
        me.as_ref()
            .and_then(|m| m.display_name.clone())
            .unwrap_or_default(),
    );
    let bio = RwSignal::new(me.map(|m| m.bio).unwrap_or_default());
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        saved.set(false);
        let body = UpdateMeRequest {
            display_name: Some(display_name.get_untracked()),
            bio: Some(bio.get_untracked()),
            ..UpdateMeRequest::default()
        };
        spawn_local(async move {
            match auth
                .call(|token| {
                    let body = body.clone();
                    async move { api::update_me(&token, &body).await }
                })
                .await
            {
                Ok(me) => {
                    auth.update_user(me);
                    saved.set(true);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card settings-section">
            <h2>"Profile"</h2>
            <form on:submit=submit>
                <Field label="Display name" name="display_name" value=display_name error=field_of(error, "display_name")/>
                <div class="field" class:invalid=move || field_of(error, "bio").get().is_some()>
                    <label for="field-bio">"Bio"</label>
                    <textarea id="field-bio" rows="4" prop:value=move || bio.get() on:input=move |ev| bio.set(event_target_value(&ev))></textarea>
                    <p class="field-error" role="alert">{move || field_of(error, "bio").get()}</p>
                </div>
                <button class="button primary" type="submit">"Save profile"</button>
                <span class="saved" role="status">{move || saved.get().then_some("Saved.")}</span>
            </form>
        </section>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let auth = use_auth();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        saved.set(false);
        let body = UpdateMeRequest {
            current_password: Some(current.get_untracked()),
            new_password: Some(new.get_untracked()),
            ..UpdateMeRequest::default()
        };
        spawn_local(async move {
            match auth
                .call(|token| {
                    let body = body.clone();
                    async move { api::update_me(&token, &body).await }
                })
                .await
            {
                Ok(_) => {
                    current.set(String::new());
                    new.set(String::new());
                    saved.set(true);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card settings-section">
            <h2>"Password"</h2>
            <form on:submit=submit>
                <Field label="Current password" name="current_password" kind="password" autocomplete="current-password" value=current error=field_of(error, "current_password")/>
                <Field label="New password" name="new_password" kind="password" autocomplete="new-password" value=new error=field_of(error, "new_password")
                    hint="At least 10 characters. Changing it signs out your other sessions."/>
                <p class="form-error" role="alert">
                    {move || error.with(|e| e.as_ref().filter(|e| e.field("current_password").is_none() && e.field("new_password").is_none()).map(|e| e.message()))}
                </p>
                <button class="button primary" type="submit">"Change password"</button>
                <span class="saved" role="status">{move || saved.get().then_some("Password changed.")}</span>
            </form>
        </section>
    }
}

#[component]
fn TokensPanel() -> impl IntoView {
    let auth = use_auth();
    let tokens = RwSignal::new(None::<Result<Vec<ApiTokenInfo>, ApiError>>);
    let load = move || {
        spawn_local(async move {
            let result = auth
                .call(|token| async move { api::tokens(&token).await })
                .await;
            tokens.set(Some(result.map(|list| list.items)));
        });
    };
    load();
    let name = RwSignal::new(String::new());
    let days = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let created = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let expires_in_days = match days.get_untracked().trim() {
            "" => None,
            d => match d.parse::<i64>() {
                Ok(n) => Some(n),
                Err(_) => Some(-1),
            },
        };
        let body = CreateApiTokenRequest {
            name: name.get_untracked(),
            expires_in_days,
        };
        spawn_local(async move {
            match auth
                .call(|token| {
                    let body = body.clone();
                    async move { api::create_token(&token, &body).await }
                })
                .await
            {
                Ok(new) => {
                    created.set(Some(new.token));
                    name.set(String::new());
                    days.set(String::new());
                    load();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let revoke = move |id: i64| {
        spawn_local(async move {
            match auth
                .call(|token| async move { api::delete_token(&token, id).await })
                .await
            {
                Ok(()) => load(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card settings-section">
            <h2>"API tokens"</h2>
            <p class="meta">"For scripts: send a token as " <code>"Authorization: Bearer ss_…"</code> ". It acts as you, so keep it secret."</p>
            {move || created.get().map(|token| view! {
                <div class="new-token" role="status">
                    <p>"Your new token. Copy it now: it will not be shown again."</p>
                    <code data-testid="new-token">{token}</code>
                </div>
            })}
            {move || match tokens.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <ErrorView error/> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="empty">"No tokens yet."</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="token-list">
                        {list.into_iter().map(|t| {
                            let id = t.id;
                            view! {
                                <li>
                                    <strong>{t.name}</strong>
                                    " " <code>{t.prefix}"…"</code>
                                    <span class="meta">
                                        " created " <RelativeTime at=t.created_at/>
                                        {t.last_used_at.map(|at| view! { ", last used " <RelativeTime at/> })}
                                        {t.expires_at.map(|at| view! { ", expires " {at.format("%Y-%m-%d").to_string()} })}
                                    </span>
                                    <button class="button danger" on:click=move |_| revoke(id)>"Revoke"</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <form class="inline-form" on:submit=submit novalidate>
                <Field label="Token name" name="token_name" value=name error=field_of(error, "name")/>
                <Field label="Expires in days (optional)" name="expires_in_days" kind="number" value=days error=field_of(error, "expires_in_days")/>
                <p class="form-error" role="alert">
                    {move || error.with(|e| e.as_ref().filter(|e| e.field("name").is_none() && e.field("expires_in_days").is_none()).map(|e| e.message()))}
                </p>
                <button class="button primary" type="submit">"Create token"</button>
            </form>
        </section>
    }
}

//! Account settings: profile, password, API tokens, the e-mail digest, the private notification
//! feed. Signed-in users only.

use leptos::prelude::*;
use shortscience_types::{ApiTokenId, CreateApiTokenRequest, EmailDigest, Me, UpdateMeRequest};

use crate::api::ApiError;
use crate::components::{
    copy_text, or_empty, set_title, Field, Form, Loader, RelativeTime, RequireAuth, Submit,
};
use crate::contexts::{use_announcer, use_auth, use_client};

#[component]
pub fn SettingsPage() -> impl IntoView {
    set_title("Settings");
    view! {
        <RequireAuth>
            <h1>"Settings"</h1>
            <ProfileForm/>
            <PasswordForm/>
            <TokensPanel/>
            <EmailDigestPanel/>
            <NotificationFeedPanel/>
        </RequireAuth>
    }
}

/// Sends a change of the account; `saved` gets the updated account.
fn update_me(
    body: impl Fn() -> UpdateMeRequest + Send + Sync + 'static,
    saved: impl Fn(Me) + Copy + 'static,
) -> Submit {
    let client = use_client();
    let action = Action::new_local(move |body: &UpdateMeRequest| {
        let body = body.clone();
        async move {
            saved(client.update_me(&body).await?);
            Ok::<_, ApiError>(())
        }
    });
    Submit::new(action, body)
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
    let submit = update_me(
        move || UpdateMeRequest {
            display_name: Some(display_name.get_untracked()),
            bio: Some(bio.get_untracked()),
            ..UpdateMeRequest::default()
        },
        move |me| auth.update_user(me),
    );
    view! {
        <section class="card settings-section">
            <h2>"Profile"</h2>
            <Form submit label="Save profile" done="Saved.">
                <Field label="Display name" name="display_name" value=display_name/>
                <Field label="Bio" name="bio" rows=4 value=bio/>
            </Form>
        </section>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let submit = update_me(
        move || UpdateMeRequest {
            current_password: Some(current.get_untracked()),
            new_password: Some(new.get_untracked()),
            ..UpdateMeRequest::default()
        },
        move |_| {
            current.set(String::new());
            new.set(String::new());
        },
    );
    view! {
        <section class="card settings-section">
            <h2>"Password"</h2>
            <Form submit label="Change password" done="Password changed.">
                <Field label="Current password" name="current_password" kind="password" autocomplete="current-password" value=current/>
                <Field label="New password" name="new_password" kind="password" autocomplete="new-password" value=new
                    hint="At least 10 characters. Changing it signs out your other sessions."/>
            </Form>
        </section>
    }
}

#[component]
fn TokensPanel() -> impl IntoView {
    let client = use_client();
    let tokens = LocalResource::new(move || async move { client.tokens().await });
    let name = RwSignal::new(String::new());
    let days = RwSignal::new(String::new());
    // The token just created: shown once, until the next one.
    let created = RwSignal::new(None::<String>);
    let create = Action::new_local(move |body: &CreateApiTokenRequest| {
        let body = body.clone();
        async move {
            let new = client.create_token(&body).await?;
            created.set(Some(new.token));
            name.set(String::new());
            days.set(String::new());
            tokens.refetch();
            Ok::<_, ApiError>(())
        }
    });
    let submit = Submit::new(create, move || CreateApiTokenRequest {
        name: name.get_untracked(),
        // Anything but a whole number is refused by the server, which names the field.
        expires_in_days: match days.get_untracked().trim() {
            "" => None,
            d => Some(d.parse::<i64>().unwrap_or(-1)),
        },
    });
    let revoke = Action::new_local(move |id: &ApiTokenId| {
        let id = *id;
        async move {
            client.delete_token(id).await?;
            tokens.refetch();
            Ok::<_, ApiError>(())
        }
    });
    let revoke_error = move || {
        let error = revoke.value().get()?.err()?;
        Some(view! { <p class="form-error" role="alert">{error.message()}</p> })
    };
    view! {
        <section class="card settings-section">
            <h2>"API tokens"</h2>
            <p class="meta">"For scripts: send a token as " <code>"Authorization: Bearer ss_…"</code> ". It acts as you, so keep it secret."</p>
            {move || created.get().map(|token| view! { <ShownOnce secret=token intro="Your new token. Copy it now: it will not be shown again." noun="token" testid="new-token"/> })}
            <Loader>
                {move || Suspend::new(async move {
                    let list = tokens.await?.items;
                    Ok::<_, ApiError>(or_empty(list.is_empty(), "No tokens yet.", move || {
                        view! {
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
                                                {t.expires_at.map(|at| view! { ", expires " {crate::components::time::date(at)} })}
                                            </span>
                                            <button class="button danger" on:click=move |_| { revoke.dispatch(id); }>"Revoke"</button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }))
                })}
            </Loader>
            {revoke_error}
            <Form submit label="Create token" class="inline-form">
                <Field label="Token name" name="token_name" fields=&["name"] value=name/>
                <Field label="Expires in days (optional)" name="expires_in_days" kind="number" value=days/>
            </Form>
        </section>
    }
}

/// How often unread notifications are e-mailed, with a note when this server sends no e-mail.
#[component]
fn EmailDigestPanel() -> impl IntoView {
    let auth = use_auth();
    let client = use_client();
    let chosen = RwSignal::new(
        auth.user()
            .map(|me| me.email_digest)
            .unwrap_or_default()
            .as_str()
            .to_owned(),
    );
    // Whether the server sends e-mail at all is told with the feed's state.
    let status = LocalResource::new(move || async move { client.notification_feed().await });
    let submit = update_me(
        move || UpdateMeRequest {
            email_digest: Some(EmailDigest::from_db(&chosen.get_untracked())),
            ..UpdateMeRequest::default()
        },
        move |me| auth.update_user(me),
    );
    view! {
        <section class="card settings-section" id="email-digest" aria-labelledby="email-digest-heading">
            <h2 id="email-digest-heading">"E-mail digest"</h2>
            <p class="meta">"Your unread notifications, in one e-mail to your address, only when there is something new."</p>
            <Loader>
                {move || Suspend::new(async move {
                    let available = status.await?.email_digests_available;
                    Ok::<_, ApiError>((!available).then(|| view! {
                        <p class="notice" data-testid="digest-unavailable">
                            "This server does not send e-mail at the moment: your choice is kept, and digests start when its administrators set e-mail up."
                        </p>
                    }))
                })}
            </Loader>
            <Form submit label="Save digest" done="Saved.">
                <div class="field">
                    <label for="field-email_digest">"Send me a digest"</label>
                    <select
                        id="field-email_digest"
                        name="email_digest"
                        on:change=move |ev| chosen.set(event_target_value(&ev))
                        prop:value=move || chosen.get()
                    >
                        <option value="off">"Never"</option>
                        <option value="daily">"Daily"</option>
                        <option value="weekly">"Weekly"</option>
                    </select>
                </div>
            </Form>
        </section>
    }
}

/// A secret just made (an API token, a feed address): shown once, with a copy button. `noun`
/// names it in the button and the announcements ("token" → "Copy token", "Token copied").
#[component]
fn ShownOnce(
    secret: String,
    intro: &'static str,
    noun: &'static str,
    testid: &'static str,
) -> impl IntoView {
    let announcer = use_announcer();
    let copied = RwSignal::new(None::<bool>);
    let copy = Action::new_local(move |secret: &String| {
        let secret = secret.clone();
        async move {
            let ok = copy_text(&secret).await;
            copied.set(Some(ok));
            announcer.say(if ok {
                let mut said = noun.to_owned();
                if let Some(first) = said.get_mut(..1) {
                    first.make_ascii_uppercase();
                }
                format!("{said} copied")
            } else {
                format!("Select the {noun} and copy it")
            });
        }
    });
    let for_copy = secret.clone();
    view! {
        <div class="new-token" role="status">
            <p>{intro}</p>
            <div class="share-row">
                <code data-testid=testid>{secret}</code>
                <button type="button" class="button small" on:click=move |_| { copy.dispatch(for_copy.clone()); }>
                    {format!("Copy {noun}")}
                </button>
                <span class="saved">{move || match copied.get() {
                    Some(true) => "Copied",
                    Some(false) => "Select it and copy it",
                    None => "",
                }}</span>
            </div>
        </div>
    }
}

/// Whether the private Atom feed of notifications has an address, and a button for a new one
/// (shown once: the server keeps only its hash).
#[component]
fn NotificationFeedPanel() -> impl IntoView {
    let client = use_client();
    let status = LocalResource::new(move || async move { client.notification_feed().await });
    let rotate = Action::new_local(move |_: &()| async move {
        let info = client.rotate_notification_feed().await?;
        status.refetch();
        Ok::<_, ApiError>(info.url)
    });
    let created = move || {
        match rotate.value().get() {
        Some(Ok(url)) => Some(view! { <ShownOnce secret=url intro="Your new feed address. Copy it now: it will not be shown again, and the old address no longer works." noun="address" testid="feed-url"/> }.into_any()),
        Some(Err(error)) => {
            Some(view! { <p class="form-error" role="alert">{error.message()}</p> }.into_any())
        }
        None => None,
    }
    };
    view! {
        <section class="card settings-section" id="notification-feed" aria-labelledby="notification-feed-heading">
            <h2 id="notification-feed-heading">"Notification feed"</h2>
            <p class="meta">
                "Read your notifications in a feed reader (Atom). The address holds a secret: whoever has it reads your notifications, so keep it private."
            </p>
            <Loader>
                {move || Suspend::new(async move {
                    let feed = status.await?;
                    Ok::<_, ApiError>(match feed.created_at.filter(|_| feed.active) {
                        Some(at) => view! {
                            <p data-testid="feed-status">"You have a feed address, made " <RelativeTime at/> "."</p>
                        }.into_any(),
                        None => view! {
                            <p data-testid="feed-status">"You have no feed address yet."</p>
                        }.into_any(),
                    })
                })}
            </Loader>
            {created}
            <p>
                <button
                    type="button"
                    class="button"
                    on:click=move |_| {
                        if !rotate.pending().get_untracked() {
                            rotate.dispatch(());
                        }
                    }
                >
                    "Create a new feed address"
                </button>
            </p>
            <p class="meta">"A new address replaces the old one, which stops working."</p>
        </section>
    }
}

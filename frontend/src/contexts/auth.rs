//! The signed-in state. The access token lives only in memory; the refresh token is an HttpOnly
//! cookie the browser sends to `/api/v1/auth/refresh`.
//!
//! Browsing must never end in 429s or a signed-out flicker, so the app asks for a new access
//! token as rarely as it can:
//! - only when the server's script-readable hint cookie `ss_signed_in` says there is a refresh
//!   cookie at all (signed-out visits make no failing request);
//! - only when the token is missing or within a minute of expiring, and then once however many
//!   calls need it at the same moment;
//! - not at all when another tab of the site has a live token: tabs share it over a
//!   `BroadcastChannel` (a new tab asks first; a tab that refreshes, signs in or signs out tells
//!   the others, which also keeps two tabs from spending the same refresh cookie).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shortscience_types::{AuthSession, Me};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use crate::api::{self, Client};

/// Refresh when the token has less than this left (milliseconds).
const REFRESH_MARGIN_MS: f64 = 60_000.0;
/// How long a new tab waits for another tab's token before refreshing itself (milliseconds).
const ASK_WAIT_MS: i32 = 100;
const CHANNEL: &str = "shortscience-auth";
const HINT_COOKIE: &str = "ss_signed_in=1";

#[derive(Debug, Clone, PartialEq)]
pub enum AuthState {
    /// Still finding out (first load).
    Checking,
    SignedOut,
    SignedIn {
        token: String,
        user: Me,
    },
}

/// What tabs tell each other.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Message {
    /// A tab without a token asks the others for theirs.
    Ask,
    /// A live session (after a sign-in or refresh, or as an answer to `Ask`).
    Session {
        token: String,
        /// When the token expires, in milliseconds since the epoch.
        expires_at: f64,
        user: Me,
    },
    SignedOut,
}

/// The app-wide auth handle (a `Copy` signal wrapper, provided as context).
#[derive(Debug, Clone, Copy)]
pub struct Auth {
    pub state: RwSignal<AuthState>,
    /// When the access token expires (ms since the epoch).
    expires_at: StoredValue<f64>,
    /// The refresh under way, which every caller that needs a token awaits (a JS promise can be
    /// awaited any number of times).
    inflight: StoredValue<Option<js_sys::Promise>, LocalStorage>,
    channel: StoredValue<Option<web_sys::BroadcastChannel>, LocalStorage>,
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Whether the server says this browser holds a refresh cookie.
fn has_session_hint() -> bool {
    document()
        .dyn_into::<web_sys::HtmlDocument>()
        .ok()
        .and_then(|doc| doc.cookie().ok())
        .is_some_and(|cookies| cookies.split(';').any(|c| c.trim() == HINT_COOKIE))
}

/// Resolves after `ms` milliseconds.
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

impl Auth {
    /// The handle, listening to the other tabs, and finding out whether someone is signed in.
    pub fn start() -> Self {
        let auth = Self {
            state: RwSignal::new(AuthState::Checking),
            expires_at: StoredValue::new(0.0),
            inflight: StoredValue::new_local(None),
            channel: StoredValue::new_local(None),
        };
        auth.listen();
        if has_session_hint() {
            let _started = auth.single_flight(async move {
                // Another tab may have a live token: take it rather than spend the cookie.
                auth.post(&Message::Ask);
                sleep(ASK_WAIT_MS).await;
                if auth.live_token().is_some() {
                    return true;
                }
                auth.exchange_cookie().await
            });
        } else {
            auth.state.set(AuthState::SignedOut);
        }
        auth
    }

    fn listen(self) {
        let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL) else {
            return;
        };
        let on_message =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                let Some(text) = event.data().as_string() else {
                    return;
                };
                if let Ok(message) = serde_json::from_str::<Message>(&text) {
                    self.receive(message);
                }
            });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The app lives as long as the page.
        on_message.forget();
        self.channel.set_value(Some(channel));
    }

    fn receive(self, message: Message) {
        match message {
            Message::Ask => {
                if let (Some(token), AuthState::SignedIn { user, .. }) =
                    (self.live_token(), self.state.get_untracked())
                {
                    self.post(&Message::Session {
                        token,
                        expires_at: self.expires_at.get_value(),
                        user,
                    });
                }
            }
            Message::Session {
                token,
                expires_at,
                user,
            } => {
                let newer = self.token().is_none() || expires_at > self.expires_at.get_value();
                if newer && expires_at - now_ms() > REFRESH_MARGIN_MS {
                    self.set_session(token, expires_at, user);
                }
            }
            Message::SignedOut => {
                if !matches!(self.state.get_untracked(), AuthState::SignedOut) {
                    self.state.set(AuthState::SignedOut);
                }
            }
        }
    }

    fn post(&self, message: &Message) {
        let Ok(text) = serde_json::to_string(message) else {
            return;
        };
        self.channel.with_value(|channel| {
            if let Some(channel) = channel {
                let _ = channel.post_message(&JsValue::from_str(&text));
            }
        });
    }

    fn set_session(&self, token: String, expires_at: f64, user: Me) {
        self.expires_at.set_value(expires_at);
        let same_user = matches!(
            &*self.state.read_untracked(),
            AuthState::SignedIn { user: current, .. } if current.username == user.username
        );
        if same_user {
            // Only the token changes: pages that load per viewer do not reload.
            self.state.update(|state| {
                if let AuthState::SignedIn { token: current, .. } = state {
                    *current = token;
                }
            });
        } else {
            self.state.set(AuthState::SignedIn { token, user });
        }
    }

    /// The access token, whatever time it has left (for "is someone signed in" questions).
    pub fn token(&self) -> Option<String> {
        match &*self.state.read_untracked() {
            AuthState::SignedIn { token, .. } => Some(token.clone()),
            _ => None,
        }
    }

    /// The access token when it has more than a minute left.
    fn live_token(&self) -> Option<String> {
        self.token()
            .filter(|_| self.expires_at.get_value() - now_ms() > REFRESH_MARGIN_MS)
    }

    /// A token to call the API with: the current one, or a new one when it is about to expire
    /// (or while the session is still being checked, the answer of that check). `None` when
    /// nobody is signed in.
    pub async fn fresh_token(&self) -> Option<String> {
        if let Some(pending) = self.inflight.get_value() {
            let _ = JsFuture::from(pending).await;
        }
        match self.state.get_untracked() {
            AuthState::SignedIn { .. } => match self.live_token() {
                Some(token) => Some(token),
                None => {
                    self.refresh().await;
                    self.token()
                }
            },
            AuthState::Checking | AuthState::SignedOut => None,
        }
    }

    pub fn user(&self) -> Option<Me> {
        match self.state.get() {
            AuthState::SignedIn { user, .. } => Some(user),
            _ => None,
        }
    }

    /// Stores a new session (signed in, signed up or refreshed here) and tells the other tabs.
    pub fn signed_in(&self, session: AuthSession) {
        let expires_at = now_ms() + session.expires_in as f64 * 1000.0;
        self.post(&Message::Session {
            token: session.access_token.clone(),
            expires_at,
            user: session.user.clone(),
        });
        self.set_session(session.access_token, expires_at, session.user);
    }

    pub fn update_user(&self, user: Me) {
        self.state.update(|state| {
            if let AuthState::SignedIn { user: current, .. } = state {
                *current = user;
            }
        });
    }

    /// Signed out here and in the other tabs.
    pub fn signed_out(&self) {
        self.post(&Message::SignedOut);
        self.state.set(AuthState::SignedOut);
    }

    /// Runs `refresh` unless one is under way already; every caller awaits the same one.
    fn single_flight(
        &self,
        refresh: impl std::future::Future<Output = bool> + 'static,
    ) -> js_sys::Promise {
        if let Some(pending) = self.inflight.get_value() {
            return pending;
        }
        let auth = *self;
        let promise = future_to_promise(async move {
            let ok = refresh.await;
            auth.inflight.set_value(None);
            Ok(JsValue::from_bool(ok))
        });
        self.inflight.set_value(Some(promise.clone()));
        promise
    }

    /// Exchanges the refresh cookie for a new session. Refused (401/403): signed out. Throttled,
    /// offline or a server error: tried twice more, and a tab that is signed in stays so.
    async fn exchange_cookie(&self) -> bool {
        if !has_session_hint() {
            self.state.set(AuthState::SignedOut);
            return false;
        }
        for attempt in 0..3 {
            match api::refresh().await {
                Ok(session) => {
                    self.signed_in(session);
                    return true;
                }
                Err(error) if matches!(error.status(), Some(401 | 403)) => {
                    self.signed_out();
                    return false;
                }
                Err(_) if attempt < 2 => sleep(1_500).await,
                Err(_) => {}
            }
        }
        if matches!(self.state.get_untracked(), AuthState::Checking) {
            self.state.set(AuthState::SignedOut);
        }
        false
    }

    /// A new access token from the refresh cookie (one request however many callers ask).
    pub async fn refresh(&self) -> bool {
        let auth = *self;
        let promise = self.single_flight(async move { auth.exchange_cookie().await });
        JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    }

    /// Who is looking: `None` while the session is being checked, then `Some(username)` or
    /// `Some(None)` when signed out. Unlike `state`, it does not change when the access token is
    /// refreshed, so pages that load per viewer (votes, own summaries) do not reload then.
    pub fn viewer(&self) -> Memo<Option<Option<String>>> {
        let state = self.state;
        Memo::new(move |_| {
            state.with(|s| match s {
                AuthState::Checking => None,
                AuthState::SignedOut => Some(None),
                AuthState::SignedIn { user, .. } => Some(Some(user.username.clone())),
            })
        })
    }

    /// Signs out here, in the other tabs and on the server (whose answer does not matter: the
    /// session ends here either way). Here first, so that nothing loads with the token while the
    /// server revokes it.
    pub async fn logout(&self) {
        let token = self.token();
        self.signed_out();
        let _ = api::logout(token.as_deref()).await;
    }
}

/// The app's [`Auth`].
///
/// Panics without one: [`crate::app::App`] provides it at the root, so a missing context is a
/// bug in the app (a component rendered outside it), not a state to recover from. Making up a
/// detached `Auth` instead, as this once did, shows a signed-out app that never signs in.
pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

/// A [`Client`] that calls the API as whoever is signed in.
pub fn use_client() -> Client {
    Client::new(use_auth())
}

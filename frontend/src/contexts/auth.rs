//! The signed-in state. The access token lives only in memory; the refresh token is an HttpOnly
//! cookie the browser sends to `/api/v1/auth/refresh`. On start-up, and a minute before each
//! access token expires, the app exchanges the cookie for a new pair, so a reload or a long
//! visit stays signed in without the user noticing.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shortscience_types::{AuthSession, Me};

use crate::api::{self, Client};

#[derive(Debug, Clone, PartialEq)]
pub enum AuthState {
    /// Still asking the server (first load).
    Checking,
    SignedOut,
    SignedIn {
        token: String,
        user: Me,
    },
}

/// The app-wide auth handle (a `Copy` signal wrapper, provided as context).
#[derive(Debug, Clone, Copy)]
pub struct Auth {
    pub state: RwSignal<AuthState>,
    /// Bumped on each new session so a stale refresh timer does nothing.
    generation: RwSignal<u64>,
}

impl Auth {
    pub fn new() -> Self {
        Self {
            state: RwSignal::new(AuthState::Checking),
            generation: RwSignal::new(0),
        }
    }

    pub fn token(&self) -> Option<String> {
        match self.state.get_untracked() {
            AuthState::SignedIn { token, .. } => Some(token),
            _ => None,
        }
    }

    pub fn user(&self) -> Option<Me> {
        match self.state.get() {
            AuthState::SignedIn { user, .. } => Some(user),
            _ => None,
        }
    }

    /// Stores a new session and schedules its refresh.
    pub fn signed_in(&self, session: AuthSession) {
        let generation = self.generation.get_untracked() + 1;
        self.generation.set(generation);
        let lead = (session.expires_in - 60).max(10);
        self.state.set(AuthState::SignedIn {
            token: session.access_token,
            user: session.user,
        });
        let auth = *self;
        set_timeout(
            move || {
                if auth.generation.get_untracked() == generation {
                    auth.refresh_in_background();
                }
            },
            Duration::from_secs(u64::try_from(lead).unwrap_or(10)),
        );
    }

    pub fn update_user(&self, user: Me) {
        self.state.update(|state| {
            if let AuthState::SignedIn { user: current, .. } = state {
                *current = user;
            }
        });
    }

    pub fn signed_out(&self) {
        self.generation.update(|g| *g += 1);
        self.state.set(AuthState::SignedOut);
    }

    /// Exchanges the refresh cookie for a new session; signed out when there is none.
    pub async fn refresh(&self) -> bool {
        match api::refresh().await {
            Ok(session) => {
                self.signed_in(session);
                true
            }
            Err(_) => {
                self.signed_out();
                false
            }
        }
    }

    pub fn refresh_in_background(&self) {
        let auth = *self;
        spawn_local(async move {
            auth.refresh().await;
        });
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

    /// Signs out here and on the server (whose answer does not matter: the session ends here
    /// either way).
    pub async fn logout(&self) {
        let _ = Client::new(*self).logout().await;
        self.signed_out();
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

//! How many of the signed-in user's notifications are unread: the header's bell shows it, and
//! the notifications page sets it when it reads or marks them.
//!
//! It is asked for when the app loads and when someone signs in, and after a navigation only
//! when the last answer is over a minute old, so browsing does not cost a request per page.

use leptos::prelude::*;

use super::{use_auth, use_client};
use crate::api::Client;

/// How long an answer is good for when the reader moves between pages (milliseconds).
const FRESH_MS: f64 = 60_000.0;

/// The app's unread count (a `Copy` handle, provided as context).
#[derive(Debug, Clone, Copy)]
pub struct Unread {
    /// `None` until known (and when signed out).
    count: RwSignal<Option<i64>>,
    /// When it was last asked for (ms since the epoch; 0 for never).
    asked_at: StoredValue<f64>,
    /// Bumped by every new count, so that an older question answered late cannot undo a newer
    /// answer (e.g. "mark all as read").
    generation: StoredValue<u32>,
    client: Client,
}

impl Unread {
    /// Creates the count and provides it, at the root (after the [`crate::contexts::Auth`]).
    pub fn install() -> Self {
        let unread = Self {
            count: RwSignal::new(None),
            asked_at: StoredValue::new(0.0),
            generation: StoredValue::new(0),
            client: use_client(),
        };
        provide_context(unread);
        unread
    }

    /// Keeps the count up to date as the viewer changes and the reader moves around; call once,
    /// inside the router (the header).
    pub fn follow_navigation(self) {
        let unread = self;
        let viewer = use_auth().viewer();
        let location = leptos_router::hooks::use_location();
        // A new viewer: ask now. A navigation: ask when the last answer is stale.
        Effect::new(move |previous: Option<Option<Option<String>>>| {
            let who = viewer.get();
            location.pathname.track();
            let new_viewer = previous.as_ref() != Some(&who);
            match &who {
                Some(Some(_)) => {
                    let stale = js_sys::Date::now() - unread.asked_at.get_value() > FRESH_MS;
                    if new_viewer || stale {
                        unread.fetch();
                    }
                }
                _ => {
                    unread.bump();
                    unread.count.set(None);
                    unread.asked_at.set_value(0.0);
                }
            }
            who
        });
    }

    /// Asks the server (a failure leaves the last known count).
    fn fetch(self) {
        self.asked_at.set_value(js_sys::Date::now());
        let asked = self.bump();
        let client = self.client;
        leptos::task::spawn_local(async move {
            if let Ok(n) = client.unread_count().await {
                if self.generation.try_get_value() == Some(asked) {
                    self.count.try_set(Some(n));
                }
            }
        });
    }

    /// The count, `None` while unknown.
    pub fn get(&self) -> Option<i64> {
        self.count.get()
    }

    /// The count as just read from the server (a page of notifications, "mark all as read").
    pub fn set(&self, n: i64) {
        self.asked_at.set_value(js_sys::Date::now());
        self.bump();
        self.count.set(Some(n));
    }

    /// A new generation of the count; answers to earlier questions are dropped.
    fn bump(&self) -> u32 {
        let next = self.generation.get_value().wrapping_add(1);
        self.generation.set_value(next);
        next
    }
}

/// The app's [`Unread`] count.
pub fn use_unread() -> Unread {
    expect_context::<Unread>()
}

/// "Notifications, 3 unread" (the bell's accessible name).
pub fn bell_label(count: Option<i64>) -> String {
    match count {
        Some(n) if n > 0 => format!("Notifications, {n} unread"),
        _ => "Notifications".to_owned(),
    }
}

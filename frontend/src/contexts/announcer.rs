//! One polite live region for the whole app: votes, copies and saved forms say what happened
//! there, so screen readers hear results that are otherwise only seen.

use std::time::Duration;

use leptos::prelude::*;

/// The app's live region (a `Copy` handle, provided as context).
#[derive(Debug, Clone, Copy)]
pub struct Announcer(RwSignal<String>);

impl Announcer {
    /// Creates the announcer and provides it; render [`Announcer::region`] once.
    pub fn install() -> Self {
        let announcer = Self(RwSignal::new(String::new()));
        provide_context(announcer);
        announcer
    }

    /// Says `text`. The region is emptied first, so the same words twice are heard twice.
    pub fn say(&self, text: impl Into<String>) {
        let text = text.into();
        let message = self.0;
        message.set(String::new());
        set_timeout(
            move || {
                message.try_set(text);
            },
            Duration::from_millis(50),
        );
    }

    /// The visually hidden live region.
    pub fn region(&self) -> impl IntoView {
        let message = self.0;
        view! {
            <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="announcer">
                {move || message.get()}
            </div>
        }
    }
}

/// The app's announcer (a detached one outside the app, e.g. in tests).
pub fn use_announcer() -> Announcer {
    use_context::<Announcer>().unwrap_or_else(|| Announcer(RwSignal::new(String::new())))
}

//! One component per route.

mod add;
mod browse;
mod editor;
mod history;
mod home;
mod login;
mod mod_queue;
mod moderation;
mod not_found;
mod notifications;
mod paper;
mod paper_tools;
mod papers;
mod profile;
mod search;
mod settings;
mod summary;
mod venue;
mod venues;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

pub use add::AddPaperPage;
pub use browse::{AuthorPage, KeywordPage, KeywordsPage};
pub use editor::EditSummaryPage;
pub use history::HistoryPage;
pub use home::HomePage;
pub use login::{LoginPage, RegisterPage};
pub use mod_queue::ModerationQueuePage;
pub use moderation::ModerationLogPage;
pub use not_found::NotFound;
pub use notifications::NotificationsPage;
pub use paper::PaperRoute;
pub use papers::PapersPage;
pub use profile::ProfilePage;
pub use search::SearchPage;
pub use settings::SettingsPage;
pub use summary::SummaryPage;
pub use venue::VenuePage;
pub use venues::VenuesPage;

/// The route's `:id` as a typed id (`SummaryId`, `AuthorId`, …); `None` when it is not a positive
/// integer.
fn id_param<T>() -> Memo<Option<T>>
where
    T: std::str::FromStr + PartialEq + Send + Sync + 'static,
{
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get_str("id").and_then(|id| id.parse().ok())))
}

/// `page` for a route parameter that parsed, else the not-found page (e.g. `/summaries/abc`).
fn or_not_found<T>(
    param: Memo<Option<T>>,
    page: impl Fn(T) -> AnyView + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    move || match param.get() {
        Some(value) => page(value),
        None => view! { <NotFound/> }.into_any(),
    }
}

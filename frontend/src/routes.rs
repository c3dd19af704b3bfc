//! Every page is a lazy route: its code is split out of the main wasm module at build time
//! (`scripts/split-wasm`, run by Trunk after its own build) and fetched the first time the route
//! is visited. The main module keeps the shell — header, search box, sign-in state, router — so
//! the download before anything is interactive stays small (docs/performance.md has the sizes).
//!
//! The server paints every page as plain HTML first (`<div id="ssr">`). That first paint stays
//! until the page's module has loaded and its view is built (`style.css` keeps the app's own
//! header and footer out of sight meanwhile), so waiting for the module delays interaction,
//! never what the reader sees. If the module cannot be fetched, the plain page stays (its links
//! still work); after a client-side navigation, the page says so and offers to reload. The next
//! visit to the route tries the fetch again.

use leptos::prelude::*;
use leptos_router::LazyRoute;

use crate::pages::{
    AddPaperPage, AuthorPage, EditSummaryPage, HistoryPage, HomePage, KeywordPage, KeywordsPage,
    LoginPage, ModerationLogPage, ModerationQueuePage, NotificationsPage, PaperRoute, PapersPage,
    ProfilePage, RegisterPage, SearchPage, SettingsPage, SummaryPage, VenuePage, VenuesPage,
};

/// `lazy_pages!(module: Route => Page as split_fn, …)` declares each `Route`: a `LazyRoute`
/// whose view is `<Page/>`, built by `split_fn` (a name unique in the crate). The code of every
/// page listed under one `module` goes into one wasm module. A few modules rather than one per
/// page: the splitter gives the code that several modules share a file of its own per
/// combination of them, so with one module per page a visit fetched 30 to 220 small files, and
/// with these four it fetches eight. Pages load their own data, so `data()` has nothing to start.
macro_rules! lazy_pages {
    ($module:ident: $($route:ident => $page:ident as $split:ident),* $(,)?) => {$(
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                // The wrapper the macro makes is `async`: it fetches `$module` the first time.
                // `fallible`: a failed fetch is an `Err`, not a panic (which would abort the app).
                #[leptos::wasm_split::wasm_split(
                    $module,
                    wasm_split_path = ::leptos::wasm_split,
                    fallible
                )]
                fn $split() -> Result<AnyView, leptos::wasm_split::SplitLoaderError> {
                    Ok(view! { <$page/> }.into_any())
                }
                match $split().await {
                    Ok(view) => {
                        fonts_loaded().await;
                        replace_first_paint();
                        view
                    }
                    Err(_) => module_unavailable(),
                }
            }
        }
    )*};
}

// A paper, its summaries and their history.
lazy_pages! { paper:
    Paper => PaperRoute as paper_page,
    Summary => SummaryPage as summary_page,
    History => HistoryPage as history_page,
}

// Lists: the feed and the ways to browse papers.
lazy_pages! { lists:
    Home => HomePage as home_page,
    Papers => PapersPage as papers_page,
    Search => SearchPage as search_page,
    Venues => VenuesPage as venues_page,
    Venue => VenuePage as venue_page,
    Profile => ProfilePage as profile_page,
    Author => AuthorPage as author_page,
    Keywords => KeywordsPage as keywords_page,
    Keyword => KeywordPage as keyword_page,
}

// Writing and the account.
lazy_pages! { write:
    EditSummary => EditSummaryPage as edit_summary_page,
    AddPaper => AddPaperPage as add_paper_page,
    Login => LoginPage as login_page,
    Register => RegisterPage as register_page,
    Settings => SettingsPage as settings_page,
    Notifications => NotificationsPage as notifications_page,
}

// Moderators' pages.
lazy_pages! { moderate:
    ModerationLog => ModerationLogPage as moderation_log_page,
    ModerationQueue => ModerationQueuePage as moderation_queue_page,
}

/// Removes the server's first paint (`<div id="ssr">`) once the app has a page to show in its
/// place; a no-op after the first time.
pub fn replace_first_paint() {
    if let Some(first_paint) = document().get_element_by_id("ssr") {
        first_paint.remove();
    }
}

/// Before the app's page replaces the first paint: the fonts that paint is using (STIX Two
/// Math for formulas) are in. Swapped earlier, the app's page lays out its formulas in a fallback
/// font, taller, and the browser takes that for a new, larger paint: on a slow link the home's
/// largest contentful paint moved from 0.6 s (the first paint) to 4.4 s (`just bench`, paint
/// rows). Nothing to wait for once the first paint is gone.
async fn fonts_loaded() {
    let document = document();
    if document.get_element_by_id("ssr").is_none() {
        return;
    }
    if let Ok(ready) = document.fonts().ready() {
        let _ = wasm_bindgen_futures::JsFuture::from(ready).await;
    }
}

/// The page when its module could not be fetched (offline, or a deploy replaced the files).
fn module_unavailable() -> AnyView {
    view! {
        <section class="not-found" data-testid="module-unavailable">
            <div role="alert">
                <h1 tabindex="-1">"This page could not be loaded"</h1>
                <p>"Its code did not arrive. Check the connection, then reload the page."</p>
            </div>
            <p>
                <button type="button" on:click=|_| reload()>"Reload"</button>
            </p>
        </section>
    }
    .into_any()
}

fn reload() {
    let _ = window().location().reload();
}

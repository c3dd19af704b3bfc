//! The app shell: header, routes, footer.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::hooks::use_navigate;
use leptos_router::path;

use crate::contexts::{use_auth, Auth, AuthState, Unsaved};
use crate::pages::{
    AddPaperPage, AuthorPage, EditSummaryPage, HistoryPage, HomePage, KeywordPage, KeywordsPage,
    LoginPage, NotFound, PaperRoute, PapersPage, ProfilePage, RegisterPage, SettingsPage,
    SummaryPage, VenuePage, VenuesPage,
};

#[component]
pub fn App() -> impl IntoView {
    let auth = Auth::new();
    provide_context(auth);
    Unsaved::install();
    // A refresh cookie from an earlier visit signs the user back in.
    auth.refresh_in_background();

    view! {
        <Router>
            <header class="site-header">
                <div class="wrap header-row">
                    <A href="/" attr:class="brand">
                        <span class="brand-mark">"S"</span>
                        <span class="brand-name">"ShortScience"</span>
                    </A>
                    <nav class="site-nav" aria-label="Main">
                        <A href="/papers">"Papers"</A>
                        <A href="/venues">"Venues"</A>
                        <A href="/browse">"Browse"</A>
                        <A href="/add">"Add paper"</A>
                        <a href="/api/docs/" rel="external">"API"</a>
                        <UserMenu/>
                    </nav>
                </div>
            </header>
            <main class="wrap" id="main">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=HomePage/>
                    // `/papers` first: the wildcard below also matches an empty reference.
                    <Route path=path!("/papers") view=PapersPage/>
                    // A paper (`42`, `arxiv:…`, `doi:10.…/…`), or `…/write` for a new summary.
                    <Route path=path!("/papers/*reference") view=PaperRoute/>
                    <Route path=path!("/summaries/:id") view=SummaryPage/>
                    <Route path=path!("/summaries/:id/edit") view=EditSummaryPage/>
                    <Route path=path!("/summaries/:id/history") view=HistoryPage/>
                    <Route path=path!("/venues") view=VenuesPage/>
                    <Route path=path!("/venues/:slug") view=VenuePage/>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/register") view=RegisterPage/>
                    <Route path=path!("/settings") view=SettingsPage/>
                    <Route path=path!("/users/:username") view=ProfilePage/>
                    <Route path=path!("/add") view=AddPaperPage/>
                    <Route path=path!("/authors/:id") view=AuthorPage/>
                    <Route path=path!("/browse") view=KeywordsPage/>
                    <Route path=path!("/keywords/:slug") view=KeywordPage/>
                </Routes>
            </main>
            <footer class="site-footer">
                <div class="wrap">
                    "ShortScience: short summaries of research papers, ranked and discussed by their readers. "
                    <a href="/api/docs/" rel="external">"JSON API"</a>
                </div>
            </footer>
        </Router>
    }
}

/// Who is signed in, with sign-out; or the sign-in and sign-up links.
#[component]
fn UserMenu() -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let logout = Action::new_local(move |_: &()| {
        let navigate = navigate.clone();
        async move {
            auth.logout().await;
            navigate("/", Default::default());
        }
    });
    move || match auth.state.get() {
        AuthState::Checking => ().into_any(),
        AuthState::SignedOut => view! {
            <A href="/login">"Sign in"</A>
            <A href="/register" attr:class="button small">"Sign up"</A>
        }
        .into_any(),
        AuthState::SignedIn { user, .. } => {
            let profile = format!("/users/{}", user.username);
            let name = user
                .display_name
                .clone()
                .unwrap_or_else(|| user.username.clone());
            view! {
                <A href=profile attr:class="who" attr:data-testid="signed-in-as">{name}</A>
                <A href="/settings">"Settings"</A>
                <button class="link-button" on:click=move |_| { logout.dispatch(()); }>"Sign out"</button>
            }
            .into_any()
        }
    }
}

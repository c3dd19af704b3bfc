//! The app shell: skip link, header (brand, search, navigation), routes, footer; and what
//! happens on every navigation (focus moves to the new page's heading, the phone menu closes).

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::path;
use leptos_router::Lazy;
use wasm_bindgen::JsCast;

use crate::components::links::user_href;
use crate::components::SearchBox;
use crate::contexts::{
    bell_label, install_shortcuts, open_help, use_auth, use_unread, Announcer, Auth, AuthState,
    ShortcutsHelp, Unread, Unsaved,
};
use crate::pages::NotFound;
use crate::routes;

#[component]
pub fn App() -> impl IntoView {
    let auth = Auth::start();
    provide_context(auth);
    Unsaved::install();
    let announcer = Announcer::install();
    Unread::install();
    install_shortcuts();

    view! {
        <Router>
            <a class="skip-link" href="#main" on:click=skip_to_main>"Skip to content"</a>
            <SiteHeader/>
            <FocusOnNavigation/>
            <main class="wrap" id="main" tabindex="-1">
                <Routes fallback=|| {
                    routes::replace_first_paint();
                    view! { <NotFound/> }
                }>
                    <Route path=path!("/") view={Lazy::<routes::Home>::new()}/>
                    // `/papers` first: the wildcard below also matches an empty reference.
                    <Route path=path!("/papers") view={Lazy::<routes::Papers>::new()}/>
                    // A paper (`42`, `arxiv:…`, `doi:10.…/…`), or `…/write` for a new summary.
                    <Route path=path!("/papers/*reference") view={Lazy::<routes::Paper>::new()}/>
                    <Route path=path!("/summaries/:id") view={Lazy::<routes::Summary>::new()}/>
                    <Route path=path!("/summaries/:id/edit") view={Lazy::<routes::EditSummary>::new()}/>
                    <Route path=path!("/summaries/:id/history") view={Lazy::<routes::History>::new()}/>
                    <Route path=path!("/search") view={Lazy::<routes::Search>::new()}/>
                    <Route path=path!("/venues") view={Lazy::<routes::Venues>::new()}/>
                    <Route path=path!("/venues/:slug") view={Lazy::<routes::Venue>::new()}/>
                    <Route path=path!("/login") view={Lazy::<routes::Login>::new()}/>
                    <Route path=path!("/register") view={Lazy::<routes::Register>::new()}/>
                    <Route path=path!("/settings") view={Lazy::<routes::Settings>::new()}/>
                    <Route path=path!("/users/:username") view={Lazy::<routes::Profile>::new()}/>
                    <Route path=path!("/add") view={Lazy::<routes::AddPaper>::new()}/>
                    <Route path=path!("/authors/:id") view={Lazy::<routes::Author>::new()}/>
                    <Route path=path!("/browse") view={Lazy::<routes::Keywords>::new()}/>
                    <Route path=path!("/keywords/:slug") view={Lazy::<routes::Keyword>::new()}/>
                    <Route path=path!("/notifications") view={Lazy::<routes::Notifications>::new()}/>
                    <Route path=path!("/moderation") view={Lazy::<routes::ModerationLog>::new()}/>
                    <Route path=path!("/moderation/queue") view={Lazy::<routes::ModerationQueue>::new()}/>
                </Routes>
            </main>
            <footer class="site-footer">
                <div class="wrap">
                    "ShortScience: short summaries of research papers, ranked and discussed by their readers. "
                    <a href="/api/docs/" rel="external">"JSON API"</a>
                    " · "
                    <A href="/moderation">"Moderation log"</A>
                    " · "
                    <button type="button" class="link-button inline" on:click=move |_| open_help()>"Keyboard shortcuts"</button>
                </div>
            </footer>
            {announcer.region()}
            <ShortcutsHelp/>
        </Router>
    }
}

/// The skip link moves focus itself: following `#main` would replace the URL's fragment, which
/// carries a private summary's share token.
fn skip_to_main(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    if let Some(main) = document()
        .get_element_by_id("main")
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = main.focus();
    }
}

/// One row: brand, search, and the navigation, which on phones folds behind a menu button.
#[component]
fn SiteHeader() -> impl IntoView {
    let menu_open = RwSignal::new(false);
    let location = use_location();
    let viewer = use_auth().viewer();
    use_unread().follow_navigation();
    // A link followed from the menu closes it.
    Effect::new(move |_| {
        location.pathname.track();
        menu_open.set(false);
    });
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && menu_open.get_untracked() {
            menu_open.set(false);
            if let Some(button) = document()
                .get_element_by_id("menu-button")
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = button.focus();
            }
        }
    };
    view! {
        <header class="site-header" on:keydown=on_keydown>
            <div class="header-row">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"S"</span>
                    <span class="brand-name">"ShortScience"</span>
                </A>
                <SearchBox class="header-search"/>
                <button
                    type="button"
                    id="menu-button"
                    class="menu-button"
                    aria-expanded=move || menu_open.get().to_string()
                    aria-controls="site-nav"
                    on:click=move |_| menu_open.update(|o| *o = !*o)
                >
                    <span class="menu-icon" aria-hidden="true"></span>
                    "Menu"
                </button>
                <nav id="site-nav" class="site-nav" class:open=move || menu_open.get() aria-label="Main">
                    <A href="/papers">"Papers"</A>
                    <A href="/venues">"Venues"</A>
                    <A href="/browse">"Browse"</A>
                    <A href="/add">"Add paper"</A>
                    <a href="/api/docs/" rel="external">"API"</a>
                    <UserMenu/>
                </nav>
                // After the navigation, so that on phones (where the navigation folds away) the
                // count stays in sight beside the menu button, in the same order for the keyboard.
                {move || matches!(viewer.get(), Some(Some(_))).then(|| view! { <Bell/> })}
            </div>
        </header>
    }
}

/// After each navigation (not the first load), focus moves to the new page's main heading, so
/// keyboard and screen reader users start reading there instead of at the top of the body.
/// Pages load their data first, so this waits (up to a few seconds) for the heading, and puts
/// focus back on it when a reload of the page replaces it.
#[component]
fn FocusOnNavigation() -> impl IntoView {
    let location = use_location();
    let generation = StoredValue::new(0u32);
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            let this = generation.get_value().wrapping_add(1);
            generation.set_value(this);
            let start = document().active_element();
            focus_heading_soon(generation, this, start, 0);
        }
        path
    });
}

/// `start` had focus when the navigation began (the link followed, the search box).
fn focus_heading_soon(
    generation: StoredValue<u32>,
    this: u32,
    start: Option<web_sys::Element>,
    tries: u32,
) {
    const STEP: Duration = Duration::from_millis(60);
    const TRIES: u32 = 60;
    if tries >= TRIES || generation.try_get_value() != Some(this) {
        return;
    }
    let document = document();
    let loading = document
        .query_selector("main .loading")
        .ok()
        .flatten()
        .is_some();
    let heading = document
        .query_selector("main h1")
        .ok()
        .flatten()
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    let focus_elsewhere = document.active_element().is_some_and(|el| {
        let tag = el.tag_name();
        tag != "BODY"
            && tag != "MAIN"
            && tag != "H1"
            && el.is_connected()
            && Some(&el) != start.as_ref()
    });
    match heading {
        // Someone already moved on (typed in the search box, clicked a button): leave them.
        _ if focus_elsewhere => {}
        Some(heading) if !loading => {
            let is_focused = document.active_element().is_some_and(|el| el == *heading);
            if !is_focused {
                let _ = heading.set_attribute("tabindex", "-1");
                let _ = heading.focus();
            }
        }
        _ => {}
    }
    if !focus_elsewhere {
        set_timeout(
            move || focus_heading_soon(generation, this, start, tries + 1),
            STEP,
        );
    }
}

/// Who is signed in, with sign-out; or the sign-in and sign-up links.
#[component]
fn UserMenu() -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    // Home first: a page that needs a session (which stays put when the address has moved on)
    // would otherwise send the signed-out reader to sign in again.
    let logout = Action::new_local(move |_: &()| {
        navigate("/", Default::default());
        async move { auth.logout().await }
    });
    move || match auth.state.get() {
        AuthState::Checking => ().into_any(),
        AuthState::SignedOut => view! {
            <A href="/login">"Sign in"</A>
            <A href="/register" attr:class="button small">"Sign up"</A>
        }
        .into_any(),
        AuthState::SignedIn { user, .. } => {
            let profile = user_href(&user.username);
            let name = user
                .display_name
                .clone()
                .unwrap_or_else(|| user.username.clone());
            view! {
                <A href=profile attr:class="who" attr:data-testid="signed-in-as">{name}</A>
                {user.role.can_moderate().then(|| view! { <A href="/moderation/queue">"Moderation"</A> })}
                <A href="/settings">"Settings"</A>
                <button class="link-button" on:click=move |_| { logout.dispatch(()); }>"Sign out"</button>
            }
            .into_any()
        }
    }
}

/// A link to the notifications with how many are unread ("Notifications, 3 unread").
#[component]
fn Bell() -> impl IntoView {
    let unread = use_unread();
    let location = use_location();
    let count = move || unread.get().filter(|n| *n > 0);
    view! {
        <a
            href="/notifications"
            class="bell"
            class:has-unread=move || count().is_some()
            aria-label=move || bell_label(unread.get())
            aria-current=move || (location.pathname.get() == "/notifications").then_some("page")
            data-testid="bell"
        >
            <svg class="bell-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
                <path fill="currentColor" d="M12 22a2 2 0 0 0 2-2h-4a2 2 0 0 0 2 2zm6-6v-5a6 6 0 0 0-5-5.9V4a1 1 0 0 0-2 0v1.1A6 6 0 0 0 6 11v5l-2 2v1h16v-1z"/>
            </svg>
            {move || count().map(|n| view! {
                <span class="bell-count" aria-hidden="true">{if n > 99 { "99+".to_owned() } else { n.to_string() }}</span>
            })}
        </a>
    }
}

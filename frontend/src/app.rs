//! The app shell: header, routes, footer.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

use crate::pages::{HomePage, NotFound, PaperPage, VenuePage, VenuesPage};

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <header class="site-header">
                <div class="wrap header-row">
                    <A href="/" attr:class="brand">
                        <span class="brand-mark">"S"</span>
                        <span class="brand-name">"ShortScience"</span>
                    </A>
                    <nav class="site-nav" aria-label="Main">
                        <A href="/">"Papers"</A>
                        <A href="/venues">"Venues"</A>
                        <a href="/api/docs/" rel="external">"API"</a>
                    </nav>
                </div>
            </header>
            <main class="wrap" id="main">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/papers/*reference") view=PaperPage/>
                    <Route path=path!("/venues") view=VenuesPage/>
                    <Route path=path!("/venues/:slug") view=VenuePage/>
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

//! Sharing a public paper or summary: a disclosure button with a menu (copy the link, X,
//! Mastodon, Bluesky, LinkedIn, e-mail) and, for summaries, "Cite": the paper's BibTeX and a
//! citation of the summary itself, each with a copy button.
//!
//! Every entry is an ordinary link or button (Tab reaches them; the arrow keys move between
//! them too), Escape closes the menu and gives focus back to its button, and what happened
//! ("Link copied") is said in a live region beside it.

use chrono::{DateTime, Datelike as _, Utc};
use leptos::ev::{KeyboardEvent, SubmitEvent};
use leptos::html;
use leptos::prelude::*;
use shortscience_types::{PaperId, SummaryItem};
use wasm_bindgen::JsCast;

use super::copy_text;
use super::links::summary_href;
use crate::api::{self, enc};

/// Where the Mastodon server a reader shares to is remembered.
const MASTODON_KEY: &str = "shortscience.mastodon";

/// What "Cite" offers for a summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Citation {
    pub paper_id: PaperId,
    pub paper_title: String,
    /// The summary's author as shown, or `None` when anonymous.
    pub author: Option<String>,
    pub written: DateTime<Utc>,
}

impl Citation {
    /// "Mira Chen (2024). Summary of “ELECTRA: …”. ShortScience, 3 March 2024. https://…"
    fn text(&self, url: &str) -> String {
        format!(
            "{} ({}). Summary of “{}”. ShortScience, {}. {url}",
            self.author.as_deref().unwrap_or("Anonymous"),
            self.written.year(),
            self.paper_title,
            super::time::long_date(self.written),
        )
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// `mastodon.social` from what a reader typed (`https://mastodon.social/`, `@me@mastodon.social`);
/// `None` when it cannot be a host name.
fn mastodon_host(input: &str) -> Option<String> {
    let text = input.trim().to_ascii_lowercase();
    let text = text.rsplit('@').next().unwrap_or_default();
    let text = text
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    let host = text.split('/').next().unwrap_or_default();
    let valid = host.contains('.')
        && !host.starts_with(['.', '-'])
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    valid.then(|| host.to_owned())
}

fn open_new_tab(url: &str) {
    let _ = window().open_with_url_and_target_and_features(url, "_blank", "noopener,noreferrer");
}

/// Moves focus to the next (`step` 1) or previous (-1) entry of the menu around `from`.
fn move_focus(from: &web_sys::Element, step: i32) {
    let Some(list) = from.closest(".share-list").ok().flatten() else {
        return;
    };
    let Ok(items) = list.query_selector_all("a, button") else {
        return;
    };
    let items: Vec<web_sys::HtmlElement> = (0..items.length())
        .filter_map(|i| items.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .collect();
    let Some(current) = items.iter().position(|item| **item == *from) else {
        return;
    };
    let len = items.len() as i32;
    let next = (current as i32 + step).rem_euclid(len) as usize;
    let _ = items[next].focus();
}

/// The share menu of a summary of the paper `paper_id`, titled `paper_title`: its link, and a
/// citation of it naming the author as shown (none when anonymous).
pub fn summary_share(summary: &SummaryItem, paper_id: PaperId, paper_title: &str) -> impl IntoView {
    let cite = Citation {
        paper_id,
        paper_title: paper_title.to_owned(),
        author: summary
            .author
            .as_ref()
            .filter(|_| !summary.anonymous)
            .map(|a| a.display_name.clone().unwrap_or_else(|| a.username.clone())),
        written: summary.created_at,
    };
    view! { <ShareMenu path=summary_href(summary.id) title=format!("Summary of {paper_title}") cite/> }
}

/// The share menu of the page at `path` (e.g. `/summaries/12`), titled `title`.
#[component]
pub fn ShareMenu(
    #[prop(into)] path: String,
    #[prop(into)] title: String,
    /// For summaries: what "Cite" offers.
    #[prop(optional)]
    cite: Option<Citation>,
) -> impl IntoView {
    let origin = window().location().origin().unwrap_or_default();
    let url = format!("{origin}{path}");
    let open = RwSignal::new(false);
    let status = RwSignal::new(String::new());
    let asking_server = RwSignal::new(false);
    let cite_open = RwSignal::new(false);
    let saved_server =
        RwSignal::new(local_storage().and_then(|s| s.get_item(MASTODON_KEY).ok().flatten()));
    let button = NodeRef::<html::Button>::new();
    let panel_id = format!("share{}", path.replace(['/', ':'], "-"));
    let server_id = format!("{panel_id}-mastodon");
    let controls = panel_id.clone();

    let text = format!("{title} {url}");
    let x = format!(
        "https://twitter.com/intent/tweet?text={}&url={}",
        enc(&title),
        enc(&url)
    );
    let bluesky = format!("https://bsky.app/intent/compose?text={}", enc(&text));
    let linkedin = format!(
        "https://www.linkedin.com/sharing/share-offsite/?url={}",
        enc(&url)
    );
    let mail = format!(
        "mailto:?subject={}&body={}",
        enc(&title),
        enc(&format!("{title}\n\n{url}"))
    );
    let mastodon_text = StoredValue::new(text);

    let close = move || {
        open.set(false);
        asking_server.set(false);
        if let Some(button) = button.get_untracked() {
            let _ = button.focus();
        }
    };
    let on_keydown = move |ev: KeyboardEvent| match ev.key().as_str() {
        "Escape" if open.get_untracked() => {
            ev.prevent_default();
            close();
        }
        "ArrowDown" | "ArrowUp" => {
            if let Some(target) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            {
                ev.prevent_default();
                move_focus(&target, if ev.key() == "ArrowDown" { 1 } else { -1 });
            }
        }
        _ => {}
    };

    let copy_url = url.clone();
    let copy_link = Action::new_local(move |_: &()| {
        let url = copy_url.clone();
        async move {
            let said = if copy_text(&url).await {
                "Link copied".to_owned()
            } else {
                format!("Copy this link: {url}")
            };
            status.set(said);
        }
    });
    let share_to_mastodon = move |host: &str| {
        let target = format!(
            "https://{host}/share?text={}",
            enc(&mastodon_text.get_value())
        );
        open_new_tab(&target);
        status.set(format!("Opened {host} to share"));
    };
    let mastodon = move |_| match saved_server.get_untracked() {
        Some(host) => share_to_mastodon(&host),
        None => asking_server.set(true),
    };
    let server_input = RwSignal::new(String::new());
    let server_error = RwSignal::new(None::<&'static str>);
    let choose_server = move |ev: SubmitEvent| {
        ev.prevent_default();
        match mastodon_host(&server_input.get_untracked()) {
            Some(host) => {
                if let Some(storage) = local_storage() {
                    let _ = storage.set_item(MASTODON_KEY, &host);
                }
                saved_server.set(Some(host.clone()));
                server_error.set(None);
                asking_server.set(false);
                share_to_mastodon(&host);
            }
            None => server_error.set(Some("Enter a server name such as mastodon.social")),
        }
    };

    let panel = move || {
        let x = x.clone();
        let bluesky = bluesky.clone();
        let linkedin = linkedin.clone();
        let mail = mail.clone();
        let cite = cite.clone();
        let url = url.clone();
        let server_id = server_id.clone();
        view! {
            <div class="share-panel" id=panel_id.clone()>
                <ul class="share-list">
                    <li><button type="button" class="link-button" on:click=move |_| { copy_link.dispatch(()); }>"Copy link"</button></li>
                    <li><a href=x target="_blank" rel="noopener noreferrer external">"X (Twitter)"</a></li>
                    <li>
                        <button type="button" class="link-button" on:click=mastodon>"Mastodon"</button>
                        {move || saved_server.get().map(|host| view! {
                            " "
                            <button type="button" class="link-button subtle" on:click=move |_| {
                                server_input.set(host.clone());
                                asking_server.set(true);
                            }>"(change server)"</button>
                        })}
                    </li>
                    <li><a href=bluesky target="_blank" rel="noopener noreferrer external">"Bluesky"</a></li>
                    <li><a href=linkedin target="_blank" rel="noopener noreferrer external">"LinkedIn"</a></li>
                    <li><a href=mail rel="external">"E-mail"</a></li>
                    {cite.is_some().then(|| view! {
                        <li>
                            <button type="button" class="link-button" aria-expanded=move || cite_open.get().to_string()
                                on:click=move |_| cite_open.update(|o| *o = !*o)>"Cite"</button>
                        </li>
                    })}
                </ul>
                {move || asking_server.get().then(|| view! {
                    <form class="mastodon-form" on:submit=choose_server>
                        <label for=server_id.clone()>"Your Mastodon server"</label>
                        <p class="hint">"Asked once, then remembered in this browser."</p>
                        <div class="share-row">
                            <input id=server_id.clone() type="text" placeholder="mastodon.social" autocomplete="off"
                                aria-describedby=format!("{server_id}-error")
                                prop:value=move || server_input.get()
                                on:input=move |ev| server_input.set(event_target_value(&ev))/>
                            <button type="submit" class="button small">"Share"</button>
                        </div>
                        <p class="field-error" id=format!("{server_id}-error") role="alert">{move || server_error.get()}</p>
                    </form>
                })}
                {move || {
                    let cite = cite.clone().filter(|_| cite_open.get())?;
                    Some(view! { <CitePanel cite url=url.clone() status/> })
                }}
            </div>
        }
    };

    view! {
        <div class="share-menu" on:keydown=on_keydown>
            <button
                type="button"
                class="button"
                node_ref=button
                aria-expanded=move || open.get().to_string()
                aria-controls=controls
                on:click=move |_| { status.set(String::new()); open.update(|o| *o = !*o); }
            >
                "Share"
            </button>
            {move || open.get().then(&panel)}
            <span class="share-status" role="status" data-testid="share-status">{move || status.get()}</span>
        </div>
    }
}

/// The paper's BibTeX and the summary's citation, each with a copy button.
#[component]
fn CitePanel(cite: Citation, url: String, status: RwSignal<String>) -> impl IntoView {
    let paper = cite.paper_id;
    let bibtex = LocalResource::new(move || api::bibtex(paper));
    let citation = cite.text(&url);
    let copy = Action::new_local(move |(text, what): &(String, &'static str)| {
        let (text, what) = (text.clone(), *what);
        async move {
            let said = if copy_text(&text).await {
                format!("{what} copied")
            } else {
                format!("Select the {} and copy it", what.to_lowercase())
            };
            status.set(said);
        }
    });
    let copy_citation = {
        let citation = citation.clone();
        move |_| {
            copy.dispatch((citation.clone(), "Citation"));
        }
    };
    view! {
        <section class="cite" aria-label="Cite">
            <h3>"Cite this summary"</h3>
            <p class="citation" data-testid="citation">{citation}</p>
            <button type="button" class="button small" on:click=copy_citation>"Copy citation"</button>
            <h3>"The paper (BibTeX)"</h3>
            {move || match bibtex.get() {
                None => view! { <p class="meta">"Loading…"</p> }.into_any(),
                Some(Err(error)) => view! { <p class="form-error" role="alert">{error.message()}</p> }.into_any(),
                Some(Ok(text)) => {
                    let for_copy = text.clone();
                    view! {
                        <pre class="bibtex" tabindex="0">{text}</pre>
                        <button type="button" class="button small" on:click=move |_| {
                            copy.dispatch((for_copy.clone(), "BibTeX"));
                        }>"Copy BibTeX"</button>
                    }.into_any()
                }
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::mastodon_host;

    #[test]
    fn mastodon_servers_are_read_from_what_people_type() {
        assert_eq!(
            mastodon_host("mastodon.social"),
            Some("mastodon.social".into())
        );
        assert_eq!(
            mastodon_host(" https://Fosstodon.org/ "),
            Some("fosstodon.org".into())
        );
        assert_eq!(
            mastodon_host("@ada@hachyderm.io"),
            Some("hachyderm.io".into())
        );
        assert_eq!(mastodon_host("not a server"), None);
        assert_eq!(mastodon_host("javascript:alert(1)"), None);
        assert_eq!(mastodon_host(""), None);
    }
}

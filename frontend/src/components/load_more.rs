//! A list loaded page by page: the first page, then a "Load more" button for each next one
//! (keyset paging: each page names the cursor of the next).
//!
//! Each page is a resource of its own, shown through a [`Loader`]; changing what the list shows
//! starts again from the first page. Items are type-erased into views when a page arrives, so the
//! component is the same code for every kind of list.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use leptos::prelude::*;
use shortscience_types::{
    ModerationLogEntry, ModerationLogPage, Notification, NotificationPage, PaperListItem,
    PaperPage, SearchHit, SearchResults, SummaryDetail, SummaryPage, UserCommentItem,
    UserCommentPage, UserSummaryItem, UserSummaryPage,
};

use super::{Loader, Loading};
use crate::api::{ApiError, ApiResult};

/// One item, ready to be shown.
type Row = Arc<dyn Fn() -> AnyView + Send + Sync>;

/// One page of a list: its items, and the cursor of the page after it (`None` on the last).
#[derive(Clone)]
struct Page {
    rows: Vec<Row>,
    next_cursor: Option<String>,
}

/// A page of a list as the API sends it.
pub trait Paged {
    type Item: Clone + Send + Sync + 'static;
    fn into_parts(self) -> (Vec<Self::Item>, Option<String>);
}

macro_rules! paged {
    ($($page:ty => $item:ty),* $(,)?) => {$(
        impl Paged for $page {
            type Item = $item;
            fn into_parts(self) -> (Vec<$item>, Option<String>) {
                (self.items, self.next_cursor)
            }
        }
    )*};
}

paged!(
    PaperPage => PaperListItem,
    SummaryPage => SummaryDetail,
    UserSummaryPage => UserSummaryItem,
    UserCommentPage => UserCommentItem,
    SearchResults => SearchHit,
    NotificationPage => Notification,
    ModerationLogPage => ModerationLogEntry,
);

type PageFuture = Pin<Box<dyn Future<Output = ApiResult<Page>>>>;

/// Loads the page of a list after a cursor (the first page for `None`).
#[derive(Clone)]
pub struct Pages(Arc<dyn Fn(Option<String>) -> PageFuture + Send + Sync>);

impl Pages {
    /// The list `load` answers for `key` (a query, a username), each item shown by `view`.
    pub fn of<K, P, Fut>(
        key: K,
        load: impl Fn(K, Option<String>) -> Fut + Send + Sync + 'static,
        view: fn(P::Item) -> AnyView,
    ) -> Self
    where
        K: Clone + Send + Sync + 'static,
        P: Paged,
        Fut: Future<Output = ApiResult<P>> + 'static,
    {
        Self(Arc::new(move |cursor| {
            let page = load(key.clone(), cursor);
            Box::pin(async move {
                let (items, next_cursor) = page.await?.into_parts();
                let rows = items
                    .into_iter()
                    .map(|item| Arc::new(move || view(item.clone())) as Row)
                    .collect();
                Ok(Page { rows, next_cursor })
            })
        }))
    }
}

/// What a list says while a page loads, and on its button.
#[derive(Debug, Clone, Copy)]
pub struct ListText {
    /// e.g. "Loading papers…".
    pub loading: &'static str,
    /// e.g. "Show more papers".
    pub more: &'static str,
}

/// The list `pages` loads; a new `pages` (another order, another viewer) starts again from the
/// first page, and `None` shows it loading (e.g. until the session is known).
#[component]
pub fn LoadMore(
    #[prop(into)] pages: Signal<Option<Pages>>,
    text: ListText,
    /// Said when the list is empty (nothing when unset).
    #[prop(optional, into)]
    empty: Option<Signal<&'static str>>,
    /// Shown instead of `empty` when the list is empty, for more than a sentence.
    #[prop(optional, into)]
    empty_view: Option<ViewFn>,
    /// The list's `<section>` class.
    #[prop(optional)]
    class: Option<&'static str>,
    /// The list's accessible name (`aria-label`).
    #[prop(optional)]
    label: Option<&'static str>,
) -> impl IntoView {
    let busy = RwSignal::new(true);
    let empty_view = StoredValue::new(empty_view);
    let list = move || match pages.get() {
        None => view! { <Loading label=text.loading/> }.into_any(),
        Some(pages) => {
            // The cursors of the pages shown, in order.
            let cursors = RwSignal::new(vec![None::<String>]);
            let shown = move || cursors.get().into_iter().enumerate();
            let pages = StoredValue::new(pages);
            view! {
                <For
                    each=shown
                    key=|(index, _)| *index
                    children=move |(index, cursor)| view! {
                        <PageOf pages=pages.get_value() cursor index cursors busy text empty empty_view=empty_view.get_value()/>
                    }
                />
            }
            .into_any()
        }
    };
    view! {
        <section class=class aria-label=label aria-busy=move || busy.get().to_string()>
            {list}
        </section>
    }
}

/// One page of a [`LoadMore`] list, with the button to the next when it is the last shown.
#[component]
fn PageOf(
    pages: Pages,
    cursor: Option<String>,
    index: usize,
    cursors: RwSignal<Vec<Option<String>>>,
    busy: RwSignal<bool>,
    text: ListText,
    empty: Option<Signal<&'static str>>,
    empty_view: Option<ViewFn>,
) -> impl IntoView {
    busy.set(true);
    let empty_view = StoredValue::new(empty_view);
    let page = LocalResource::new(move || (pages.0)(cursor.clone()));
    let is_last = move || cursors.with(|c| c.len() == index + 1);
    let more = move |next: String| {
        view! {
            <button class="button more" on:click=move |_| cursors.update(|c| c.push(Some(next.clone())))>
                {text.more}
            </button>
        }
    };
    // A next page that failed to load can be asked for again.
    let retry = move || {
        let failed = index > 0 && page.map(Result::is_err).unwrap_or(false);
        (failed && is_last()).then(|| {
            view! {
                <button class="button more" on:click=move |_| { busy.set(true); page.refetch(); }>
                    {text.more}
                </button>
            }
        })
    };
    view! {
        <Loader label=text.loading>
            {move || Suspend::new(async move {
                let loaded = page.await;
                busy.try_set(false);
                let Page { rows, next_cursor } = loaded?;
                let nothing = index == 0 && rows.is_empty();
                let empty = match (nothing, empty_view.get_value(), empty) {
                    (false, _, _) => None,
                    (true, Some(view), _) => Some(view.run()),
                    (true, None, Some(text)) => Some(view! { <p class="empty">{text}</p> }.into_any()),
                    (true, None, None) => None,
                };
                let next = move || next_cursor.clone().filter(|_| is_last()).map(more);
                Ok::<_, ApiError>(view! {
                    {rows.iter().map(|row| row()).collect_view()}
                    {empty}
                    {next}
                })
            })}
        </Loader>
        {retry}
    }
}

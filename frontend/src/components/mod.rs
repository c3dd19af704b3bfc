//! Pieces shared by several pages.

mod comments;
mod flag;
mod follow;
mod form;
pub mod links;
mod load_more;
mod paper_card;
mod paper_list;
mod rich_html;
mod search_box;
mod session;
mod share;
mod status;
mod summary_parts;
pub mod time;
mod vote;

pub use comments::Comments;
pub use flag::{reason_label, set_hidden, FlagButton, FlagTarget, ModerateButton};
pub use follow::FollowButton;
pub use form::{Check, Field, Form, Submit, VenueKindSelect};
pub use links::FeedLink;
pub use load_more::{ListText, LoadMore, Pages};
pub use paper_card::{
    summary_count_text, AuthorList, KeywordTags, PaperCard, PaperMeta, VenueYear,
};
pub use paper_list::{PaperList, PapersOf};
pub use rich_html::RichHtml;
pub use search_box::SearchBox;
pub use session::{login_href, use_login_here, AwaitSession, RequireAuth};
pub use share::{summary_share, ShareMenu};
pub use status::{or_empty, Loader, Loading, NotFoundView};
pub use summary_parts::{Byline, OwnerActions, SummaryBody, UserName, VerifiedBadge};
pub use time::RelativeTime;
pub use vote::Votes;

/// Sets the browser tab's title.
pub fn set_title(title: &str) {
    let full = if title.is_empty() {
        "ShortScience".to_owned()
    } else {
        format!("{title} · ShortScience")
    };
    leptos::prelude::document().set_title(&full);
}

/// Puts `text` on the clipboard; `false` when the browser refuses.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let promise = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

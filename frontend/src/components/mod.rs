//! Pieces shared by several pages.

mod comments;
mod form;
mod paper_card;
mod status;
mod summary_parts;
mod time;
mod vote;

pub use comments::Comments;
pub use form::Field;
pub use paper_card::{PaperCard, VenueYear};
pub use status::{AwaitSession, ErrorView, Loading};
pub use summary_parts::{Byline, OwnerActions, SummaryBody, UserName};
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

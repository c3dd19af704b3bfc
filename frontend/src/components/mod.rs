//! Pieces shared by several pages.

mod form;
mod paper_card;
mod status;
mod time;

pub use form::Field;
pub use paper_card::{PaperCard, VenueYear};
pub use status::{ErrorView, Loading};
pub use time::RelativeTime;

/// Sets the browser tab's title.
pub fn set_title(title: &str) {
    let full = if title.is_empty() {
        "ShortScience".to_owned()
    } else {
        format!("{title} · ShortScience")
    };
    leptos::prelude::document().set_title(&full);
}

//! Summaries over HTTP, split by concern: writing, reading, revisions, the feed, votes and the
//! Markdown preview. The rules are in `domain::summaries`, `domain::feed` and `domain::votes`.

mod feed;
mod preview;
mod read;
mod revisions;
mod votes;
mod write;

pub use feed::list_summaries;
pub use preview::render_preview;
pub use read::get_summary;
pub use revisions::{get_revision_diff, list_revisions};
pub use votes::vote_summary;
pub use write::{create_summary, delete_summary, update_summary};

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    // `…/summaries` before `PATCH /papers/{ref:.+}` and `GET /papers/{ref:.+}`.
    cfg.service(create_summary)
        .service(list_summaries)
        .service(render_preview)
        .service(get_revision_diff)
        .service(list_revisions)
        .service(vote_summary)
        .service(get_summary)
        .service(update_summary)
        .service(delete_summary);
}

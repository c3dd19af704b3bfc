//! App-wide state, provided once at the root: who is signed in, and whether leaving the page
//! would lose unsaved changes.

mod auth;
mod unsaved;

pub use auth::{use_auth, use_client, Auth, AuthState};
pub use unsaved::{use_unsaved, Unsaved};

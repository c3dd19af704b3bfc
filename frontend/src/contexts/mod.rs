//! App-wide state, provided once at the root: who is signed in, whether leaving the page would
//! lose unsaved changes, what was last announced to screen readers, how many notifications are
//! unread, and the keyboard shortcuts.

mod announcer;
mod auth;
mod shortcuts;
mod unread;
mod unsaved;

pub use announcer::{use_announcer, Announcer};
pub use auth::{use_auth, use_client, Auth, AuthState};
pub use shortcuts::{install_shortcuts, open_help, ShortcutsHelp, SEARCH_INPUT_ID};
pub use unread::{bell_label, use_unread, Unread};
pub use unsaved::{use_unsaved, Unsaved};

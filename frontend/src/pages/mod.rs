//! One component per route.

mod add;
mod browse;
mod editor;
mod home;
mod login;
mod not_found;
mod paper;
mod paper_list;
mod papers;
mod profile;
mod settings;
mod summary;
mod venue;
mod venues;

pub use add::AddPaperPage;
pub use browse::{AuthorPage, KeywordPage, KeywordsPage};
pub use editor::EditSummaryPage;
pub use home::HomePage;
pub use login::{LoginPage, RegisterPage};
pub use not_found::NotFound;
pub use paper::PaperRoute;
pub use papers::PapersPage;
pub use profile::ProfilePage;
pub use settings::SettingsPage;
pub use summary::{HistoryPage, SummaryPage};
pub use venue::VenuePage;
pub use venues::VenuesPage;

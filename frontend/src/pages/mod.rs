//! One component per route.

mod add;
mod browse;
mod home;
mod login;
mod not_found;
mod paper;
mod paper_list;
mod profile;
mod settings;
mod venue;
mod venues;

pub use add::AddPaperPage;
pub use browse::{AuthorPage, KeywordPage, KeywordsPage};
pub use home::HomePage;
pub use login::{LoginPage, RegisterPage};
pub use not_found::NotFound;
pub use paper::PaperPage;
pub use profile::ProfilePage;
pub use settings::SettingsPage;
pub use venue::VenuePage;
pub use venues::VenuesPage;

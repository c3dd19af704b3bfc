//! One component per route.

mod home;
mod not_found;
mod paper;
mod paper_list;
mod venue;
mod venues;

pub use home::HomePage;
pub use not_found::NotFound;
pub use paper::PaperPage;
pub use venue::VenuePage;
pub use venues::VenuesPage;

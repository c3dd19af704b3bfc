//! Operations: backups, a portable export/import of a whole site, and copying a site from one
//! database to another (SQLite → PostgreSQL). These work on the database layer directly: they
//! move rows, not domain objects, so nothing is lost or reinterpreted on the way.

pub mod backup;
pub mod dump;

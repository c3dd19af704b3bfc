//! Operations: backups, a portable export/import of a whole site, and copying a site from one
//! database to another (SQLite → PostgreSQL), and the benchmark's data set and yardstick. These work on the database layer directly: they
//! move rows, not domain objects, so nothing is lost or reinterpreted on the way.

pub mod backup;
pub mod bench;
pub mod dump;
pub mod generate;

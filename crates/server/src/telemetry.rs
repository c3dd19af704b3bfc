//! Logging with `tracing`.

use tracing_subscriber::EnvFilter;

/// Installs a global subscriber writing to stderr. `filter` uses EnvFilter syntax (`info`,
/// `shortscience_server=debug,actix_web=info`); an invalid filter falls back to `info`.
pub fn init(filter: &str) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    // A second initialisation (tests) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

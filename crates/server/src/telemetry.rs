//! Logging with `tracing`.

use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::EnvFilter;

/// Installs a global subscriber writing to stderr. `filter` uses EnvFilter syntax (`info`,
/// `shortscience_server=debug,actix_web=info`); an invalid filter falls back to `info`.
///
/// Spans are logged when they close, with how long they took: at `info` one line per request
/// (its method, route and status), at `debug` also one per domain call, with the ids it was
/// about (never bodies or secrets).
///
/// Every line written inside a request carries the request's span, so its `request_id` (also in
/// the `X-Request-Id` header and in problem bodies). `json` writes one JSON object a line.
pub fn init(filter: &str, format: &str) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_span_events(FmtSpan::CLOSE);
    // A second initialisation (tests) keeps the first subscriber.
    let _ = if format == "json" {
        builder
            .json()
            .with_current_span(true)
            .with_span_list(true)
            .try_init()
    } else {
        builder.try_init()
    };
}

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

/// Request spans as `tracing_actix_web` makes them, except that a path holding a secret (the
/// private notification feed, `/api/v1/notifications/{secret}.atom`) is logged with the secret
/// replaced, so that logs never hold a working feed address.
pub struct RedactingRootSpan;

/// Paths whose last segment is a secret.
const SECRET_PATHS: &[&str] = &["/api/v1/notifications/"];

/// The path as it may be logged: a secret segment replaced by `[redacted]`.
pub fn loggable_target(path_and_query: &str) -> Option<String> {
    let path = path_and_query.split('?').next().unwrap_or_default();
    SECRET_PATHS.iter().find_map(|prefix| {
        let rest = path.strip_prefix(prefix)?;
        let extension = rest.rsplit_once('.').map(|(_, ext)| ext);
        Some(match extension {
            Some(ext) => format!("{prefix}[redacted].{ext}"),
            None => format!("{prefix}[redacted]"),
        })
    })
}

impl tracing_actix_web::RootSpanBuilder for RedactingRootSpan {
    fn on_request_start(request: &actix_web::dev::ServiceRequest) -> tracing::Span {
        let target = request
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or_default();
        let Some(redacted) = loggable_target(target) else {
            return tracing_actix_web::root_span!(level = tracing::Level::INFO, request);
        };
        use actix_web::HttpMessage as _;
        let request_id = request
            .extensions()
            .get::<tracing_actix_web::RequestId>()
            .copied()
            .map(|id| id.to_string())
            .unwrap_or_default();
        let route = request
            .match_pattern()
            .unwrap_or_else(|| "default".to_owned());
        let method = request.method().as_str().to_owned();
        tracing::info_span!(
            "HTTP request",
            http.method = %method,
            http.route = %route,
            http.target = %redacted,
            http.status_code = tracing::field::Empty,
            otel.name = %format!("{method} {route}"),
            otel.kind = "server",
            otel.status_code = tracing::field::Empty,
            request_id = %request_id,
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
        )
    }

    fn on_request_end<B: actix_web::body::MessageBody>(
        span: tracing::Span,
        outcome: &Result<actix_web::dev::ServiceResponse<B>, actix_web::Error>,
    ) {
        tracing_actix_web::DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_paths_are_redacted_and_others_kept() {
        assert_eq!(
            loggable_target("/api/v1/notifications/abcDEF123.atom?x=1").as_deref(),
            Some("/api/v1/notifications/[redacted].atom")
        );
        assert_eq!(loggable_target("/api/v1/me/notifications"), None);
        assert_eq!(loggable_target("/api/v1/papers/1"), None);
    }
}

//! Prometheus metrics of this process: requests per route (count and latency), database pool
//! use, upstream calls and rate-limit refusals. Served on a separate address when
//! `--metrics-bind` is set (off by default); each process is scraped on its own.

use std::sync::OnceLock;

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry, TextEncoder,
};

pub struct Metrics {
    registry: Registry,
    pub requests: IntCounterVec,
    pub latency: HistogramVec,
    pub pool: IntGaugeVec,
    pub upstream: IntCounterVec,
    pub rate_limited: IntCounterVec,
}

fn build() -> Result<Metrics, prometheus::Error> {
    let registry = Registry::new_custom(Some("shortscience".to_owned()), None)?;
    let requests = IntCounterVec::new(
        Opts::new(
            "http_requests_total",
            "HTTP requests answered, by route and status",
        ),
        &["method", "route", "status"],
    )?;
    let latency = HistogramVec::new(
        HistogramOpts::new("http_request_duration_seconds", "Time to answer, by route").buckets(
            vec![
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ],
        ),
        &["method", "route"],
    )?;
    let pool = IntGaugeVec::new(
        Opts::new("db_pool_connections", "Database pool connections, by state"),
        &["state"],
    )?;
    let upstream = IntCounterVec::new(
        Opts::new(
            "upstream_requests_total",
            "Requests to arXiv and Crossref, by outcome",
        ),
        &["service", "outcome"],
    )?;
    let rate_limited = IntCounterVec::new(
        Opts::new(
            "rate_limit_rejections_total",
            "Requests refused by a rate limit, by kind",
        ),
        &["kind"],
    )?;
    registry.register(Box::new(requests.clone()))?;
    registry.register(Box::new(latency.clone()))?;
    registry.register(Box::new(pool.clone()))?;
    registry.register(Box::new(upstream.clone()))?;
    registry.register(Box::new(rate_limited.clone()))?;
    Ok(Metrics {
        registry,
        requests,
        latency,
        pool,
        upstream,
        rate_limited,
    })
}

/// The process's metrics (`None` only if the fixed definitions above were rejected).
pub fn get() -> Option<&'static Metrics> {
    static METRICS: OnceLock<Option<Metrics>> = OnceLock::new();
    METRICS.get_or_init(|| build().ok()).as_ref()
}

/// Counts one request.
pub fn observe_request(method: &str, route: &str, status: u16, seconds: f64) {
    if let Some(m) = get() {
        m.requests
            .with_label_values(&[method, route, &status.to_string()])
            .inc();
        m.latency
            .with_label_values(&[method, route])
            .observe(seconds);
    }
}

pub fn upstream_call(service: &str, outcome: &str) {
    if let Some(m) = get() {
        m.upstream.with_label_values(&[service, outcome]).inc();
    }
}

pub fn rate_limited(kind: &str) {
    if let Some(m) = get() {
        m.rate_limited.with_label_values(&[kind]).inc();
    }
}

/// The text exposition, with the pool gauges read now.
pub fn render(pool_idle: u32, pool_total: u32) -> String {
    let Some(m) = get() else {
        return String::new();
    };
    m.pool
        .with_label_values(&["idle"])
        .set(i64::from(pool_idle));
    m.pool
        .with_label_values(&["busy"])
        .set(i64::from(pool_total.saturating_sub(pool_idle)));
    let mut out = Vec::new();
    let _ = TextEncoder::new().encode(&m.registry.gather(), &mut out);
    String::from_utf8(out).unwrap_or_default()
}

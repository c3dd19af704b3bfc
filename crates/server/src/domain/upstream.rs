//! Fetching paper metadata from arXiv and Crossref.
//!
//! Only the configured base URLs are ever contacted: request URLs are built from them and a
//! validated identifier, never taken from the request, and redirects are not followed. Requests
//! time out and bodies are capped.
//!
//! What is shared lives in the database, so it holds for every server process on it:
//! - arXiv is asked at most once every three seconds by the whole site: each request reserves the
//!   next slot of one queue (`upstream_pacing`, one atomic statement) and waits for it (callers
//!   queue; they do not fail);
//! - answers are cached (`upstream_cache`: a day, not-found answers ten minutes);
//! - concurrent lookups of one record make one request: the first caller claims the fetch, the
//!   others wait for its answer in the cache.

use std::time::Duration;

use shortscience_types::{ArxivId, Doi};
use shortscience_upstream::{arxiv, crossref};
use url::Url;

use crate::db::models::{self, shared};
use crate::db::Db;
use crate::domain::DomainResult;

pub const DEFAULT_ARXIV_API_URL: &str = "https://export.arxiv.org/api/query";
pub const DEFAULT_CROSSREF_API_URL: &str = "https://api.crossref.org";

/// Where and how to ask.
#[derive(Debug, Clone)]
pub struct UpstreamConfig {
    pub arxiv_api_url: Url,
    pub crossref_api_url: Url,
    /// Whole-request timeout.
    pub timeout: Duration,
    pub max_response_bytes: usize,
    /// arXiv's terms of use: no more than one request every three seconds.
    pub arxiv_interval: Duration,
    /// Put in the User-Agent (Crossref's "polite pool" asks for a contact address).
    pub contact: Option<String>,
    pub cache_ttl: Duration,
}

impl Default for UpstreamConfig {
    fn default() -> Self {
        Self {
            arxiv_api_url: Url::parse(DEFAULT_ARXIV_API_URL).unwrap_or_else(|_| unreachable_url()),
            crossref_api_url: Url::parse(DEFAULT_CROSSREF_API_URL)
                .unwrap_or_else(|_| unreachable_url()),
            timeout: Duration::from_secs(15),
            max_response_bytes: 2 * 1024 * 1024,
            // arXiv asks for at most one request every 3 s. Slots are 3 s apart in the shared
            // queue; the 100 ms on top absorbs the jitter of waking up and sending, so that the
            // gaps arXiv sees are never under 3 s (scripts/cluster measures them).
            arxiv_interval: Duration::from_millis(3_100),
            contact: None,
            cache_ttl: Duration::from_secs(24 * 3600),
        }
    }
}

/// Only reached if a constant above stops being a URL.
fn unreachable_url() -> Url {
    Url::parse("http://127.0.0.1/").unwrap_or_else(|_| std::process::abort())
}

/// Why a lookup failed. Each maps to one status: 404, 502 or 504.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpstreamError {
    #[error("{service} has no record of {what}")]
    NotFound { service: &'static str, what: String },
    #[error("{service} did not answer usefully: {reason}")]
    Bad {
        service: &'static str,
        reason: String,
    },
    #[error("{service} did not answer in time")]
    Timeout { service: &'static str },
}

/// The client, shared by all workers.
pub struct Upstream {
    http: reqwest::Client,
    config: UpstreamConfig,
}

/// How long a cached "no such record" is believed.
const NOT_FOUND_TTL: Duration = Duration::from_secs(600);
/// How often a caller waiting for another's fetch looks at the cache again.
const WAIT_POLL: Duration = Duration::from_millis(200);
/// How long a caller waits for another's fetch before giving up.
const MAX_WAIT: Duration = Duration::from_secs(180);

fn chrono(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::zero())
}

impl Upstream {
    pub fn new(config: UpstreamConfig) -> anyhow::Result<Self> {
        let agent = match &config.contact {
            Some(contact) => format!(
                "ShortScience/{} (mailto:{contact})",
                env!("CARGO_PKG_VERSION")
            ),
            None => format!(
                "ShortScience/{} (self-hosted paper summaries)",
                env!("CARGO_PKG_VERSION")
            ),
        };
        let http = reqwest::Client::builder()
            .user_agent(agent)
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(5)))
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self { http, config })
    }

    /// The arXiv record of `id`.
    #[tracing::instrument(level = "debug", skip(self, db))]
    pub async fn arxiv(&self, db: &Db, id: &ArxivId) -> DomainResult<arxiv::Entry> {
        let mut url = self.config.arxiv_api_url.clone();
        url.query_pairs_mut()
            .clear()
            .append_pair("id_list", id.as_str())
            .append_pair("max_results", "1");
        let paced = Some(self.config.arxiv_interval);
        let (status, text) = self
            .answer(db, format!("arxiv:{id}"), "arXiv", url, paced)
            .await?;
        // arXiv answers 400 with its error feed; other failures have no feed to read.
        if !(200..300).contains(&status) && status != 400 {
            return Err(bad("arXiv", format!("HTTP {status}")).into());
        }
        let feed = arxiv::parse_feed(&text).map_err(|e| bad("arXiv", e.reason))?;
        let not_found = |what: String| UpstreamError::NotFound {
            service: "arXiv",
            what,
        };
        Ok(match feed {
            arxiv::Feed::Error(message) => Err(not_found(format!("{id} ({message})"))),
            arxiv::Feed::Entries(entries) => entries
                .into_iter()
                .find(|e| &e.id == id)
                .ok_or_else(|| not_found(id.to_string())),
        }?)
    }

    /// The Crossref record of `doi`.
    #[tracing::instrument(level = "debug", skip(self, db))]
    pub async fn crossref(&self, db: &Db, doi: &Doi) -> DomainResult<crossref::Work> {
        let mut url = self.config.crossref_api_url.clone();
        url.path_segments_mut()
            .map_err(|_| bad("Crossref", "the configured base URL cannot take a path"))?
            .pop_if_empty()
            .push("works")
            .extend(doi.as_str().split('/'));
        let (status, text) = self
            .answer(db, format!("doi:{doi}"), "Crossref", url, None)
            .await?;
        if status == 404 {
            return Err(UpstreamError::NotFound {
                service: "Crossref",
                what: doi.to_string(),
            }
            .into());
        }
        if !(200..300).contains(&status) {
            return Err(bad("Crossref", format!("HTTP {status}")).into());
        }
        Ok(crossref::parse_work(text.as_bytes()).map_err(|e| bad("Crossref", e.reason))?)
    }

    /// The answer to `url` (status, body): from the cache, from another caller's fetch of the
    /// same key, or fetched now (after the service's queue, when `paced`). Answers that say
    /// something about the record (2xx, 400, 404) are cached; failures are not.
    async fn answer(
        &self,
        db: &Db,
        key: String,
        service: &'static str,
        url: Url,
        paced: Option<Duration>,
    ) -> DomainResult<(i32, String)> {
        let waited_since = std::time::Instant::now();
        loop {
            let now = models::now();
            let (ttl_ok, ttl_missing) = (chrono(self.config.cache_ttl), chrono(NOT_FOUND_TTL));
            let claim_until = now + chrono(self.config.timeout) + chrono::Duration::seconds(30);
            let probe = key.clone();
            let outcome = db
                .run(move |conn| -> DomainResult<Result<(i32, String), bool>> {
                    if let Some(row) = shared::cached_answer(conn, &probe)? {
                        let ttl = if (200..300).contains(&row.status) {
                            ttl_ok
                        } else {
                            ttl_missing
                        };
                        if row.status != 0 && row.fetched_at > now - ttl {
                            return Ok(Ok((row.status, row.body.unwrap_or_default())));
                        }
                    }
                    let stale = shared::Staleness {
                        ok_before: now - ttl_ok,
                        other_before: now - ttl_missing,
                    };
                    Ok(Err(shared::claim_fetch(
                        conn,
                        &probe,
                        now,
                        claim_until,
                        stale,
                    )?))
                })
                .await?;
            match outcome {
                Ok(answer) => return Ok(answer),
                Err(true) => break,
                Err(false) if waited_since.elapsed() < MAX_WAIT => {
                    tokio::time::sleep(WAIT_POLL).await;
                }
                Err(false) => return Err(UpstreamError::Timeout { service }.into()),
            }
        }
        // This caller holds the claim: fetch, store, release.
        let fetched = self.claimed_fetch(db, &key, service, url, paced).await;
        let key_for_db = key.clone();
        match fetched {
            Ok((status, body)) if matches!(status, 200..=299 | 400 | 404) => {
                let at = models::now();
                let text = body.clone();
                db.run(move |conn| -> DomainResult<()> {
                    Ok(shared::store_answer(
                        conn,
                        &key_for_db,
                        status,
                        Some(&text),
                        at,
                    )?)
                })
                .await?;
                Ok((status, body))
            }
            other => {
                db.run(move |conn| -> DomainResult<()> {
                    Ok(shared::release_claim(conn, &key_for_db)?)
                })
                .await?;
                other
            }
        }
    }

    async fn claimed_fetch(
        &self,
        db: &Db,
        key: &str,
        service: &'static str,
        url: Url,
        paced: Option<Duration>,
    ) -> DomainResult<(i32, String)> {
        if let Some(interval) = paced.filter(|i| !i.is_zero()) {
            let now_us = chrono::Utc::now().timestamp_micros();
            let interval_us = i64::try_from(interval.as_micros()).unwrap_or(i64::MAX);
            let (service_key, key, timeout) =
                (service.to_lowercase(), key.to_owned(), self.config.timeout);
            let slot = db
                .run(move |conn| -> DomainResult<i64> {
                    let slot = shared::reserve_slot(conn, &service_key, now_us, interval_us)?;
                    // Hold the claim while waiting in the queue, plus the fetch itself.
                    let until = chrono::DateTime::from_timestamp_micros(slot)
                        .map(|t| t.naive_utc())
                        .unwrap_or_else(models::now)
                        + chrono(timeout)
                        + chrono::Duration::seconds(30);
                    shared::extend_claim(conn, &key, until)?;
                    Ok(slot)
                })
                .await?;
            let wait = u64::try_from(slot - chrono::Utc::now().timestamp_micros()).unwrap_or(0);
            tokio::time::sleep(Duration::from_micros(wait)).await;
        }
        let fetched = self.fetch(service, url).await;
        crate::metrics::upstream_call(
            service,
            match &fetched {
                Ok((status, _)) if status.is_success() => "ok",
                Ok(_) => "http_error",
                Err(UpstreamError::Timeout { .. }) => "timeout",
                Err(_) => "failed",
            },
        );
        let (status, body) = fetched?;
        let text = String::from_utf8(body).map_err(|_| bad(service, "the body is not UTF-8"))?;
        Ok((i32::from(status.as_u16()), text))
    }

    /// GETs `url`, reading at most the configured number of bytes.
    async fn fetch(
        &self,
        service: &'static str,
        url: Url,
    ) -> Result<(reqwest::StatusCode, Vec<u8>), UpstreamError> {
        let classify = |e: reqwest::Error| {
            if e.is_timeout() {
                UpstreamError::Timeout { service }
            } else {
                bad(service, format!("request failed: {}", without_url(&e)))
            }
        };
        let mut response = self.http.get(url).send().await.map_err(classify)?;
        let status = response.status();
        let cap = self.config.max_response_bytes;
        if response.content_length().is_some_and(|n| n > cap as u64) {
            return Err(bad(
                service,
                format!("the response is larger than {cap} bytes"),
            ));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(classify)? {
            if body.len() + chunk.len() > cap {
                return Err(bad(
                    service,
                    format!("the response is larger than {cap} bytes"),
                ));
            }
            body.extend_from_slice(&chunk);
        }
        Ok((status, body))
    }
}

fn bad(service: &'static str, reason: impl Into<String>) -> UpstreamError {
    UpstreamError::Bad {
        service,
        reason: reason.into(),
    }
}

/// reqwest's message without the URL (the URL is ours, but keep error bodies short).
fn without_url(e: &reqwest::Error) -> String {
    let mut e = e.to_string();
    if let Some(i) = e.find(" for url (") {
        e.truncate(i);
    }
    e
}

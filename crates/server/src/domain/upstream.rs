//! Fetching paper metadata from arXiv and Crossref.
//!
//! Only the configured base URLs are ever contacted: request URLs are built from them and a
//! validated identifier, never taken from the request, and redirects are not followed. Requests
//! time out, bodies are capped, arXiv is asked at most once every three seconds (callers queue;
//! they do not fail), and answers are cached.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use shortscience_types::{ArxivId, Doi};
use shortscience_upstream::{arxiv, crossref};
use url::Url;

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
            arxiv_interval: Duration::from_secs(3),
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

#[derive(Clone)]
enum Cached {
    Arxiv(Box<arxiv::Entry>),
    Crossref(Box<crossref::Work>),
    NotFound(UpstreamError),
}

/// The client, shared by all workers.
pub struct Upstream {
    http: reqwest::Client,
    config: UpstreamConfig,
    /// When the next arXiv request may be sent.
    arxiv_next: tokio::sync::Mutex<Instant>,
    cache: Mutex<HashMap<String, (Instant, Cached)>>,
}

const CACHE_ENTRIES: usize = 1024;
const NOT_FOUND_TTL: Duration = Duration::from_secs(600);

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
        Ok(Self {
            http,
            config,
            arxiv_next: tokio::sync::Mutex::new(Instant::now()),
            cache: Mutex::new(HashMap::new()),
        })
    }

    fn cached(&self, key: &str) -> Option<Cached> {
        let cache = self.cache.lock().ok()?;
        let (at, value) = cache.get(key)?;
        let ttl = match value {
            Cached::NotFound(_) => NOT_FOUND_TTL,
            _ => self.config.cache_ttl,
        };
        (at.elapsed() < ttl).then(|| value.clone())
    }

    fn remember(&self, key: String, value: Cached) {
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= CACHE_ENTRIES {
                if let Some(oldest) = cache
                    .iter()
                    .min_by_key(|(_, (at, _))| *at)
                    .map(|(k, _)| k.clone())
                {
                    cache.remove(&oldest);
                }
            }
            cache.insert(key, (Instant::now(), value));
        }
    }

    /// The arXiv record of `id`.
    pub async fn arxiv(&self, id: &ArxivId) -> Result<arxiv::Entry, UpstreamError> {
        let key = format!("arxiv:{id}");
        match self.cached(&key) {
            Some(Cached::Arxiv(entry)) => return Ok(*entry),
            Some(Cached::NotFound(err)) => return Err(err),
            _ => {}
        }
        let mut url = self.config.arxiv_api_url.clone();
        url.query_pairs_mut()
            .clear()
            .append_pair("id_list", id.as_str())
            .append_pair("max_results", "1");
        self.wait_for_arxiv_slot().await;
        let (status, body) = self.fetch("arXiv", url).await?;
        let text = String::from_utf8(body).map_err(|_| bad("arXiv", "the body is not UTF-8"))?;
        // arXiv answers 400 with its error feed; other failures have no feed to read.
        if !(status.is_success() || status == reqwest::StatusCode::BAD_REQUEST) {
            return Err(bad("arXiv", format!("HTTP {status}")));
        }
        let feed = arxiv::parse_feed(&text).map_err(|e| bad("arXiv", e.reason))?;
        let not_found = |what: String| UpstreamError::NotFound {
            service: "arXiv",
            what,
        };
        let result = match feed {
            arxiv::Feed::Error(message) => Err(not_found(format!("{id} ({message})"))),
            arxiv::Feed::Entries(entries) => entries
                .into_iter()
                .find(|e| &e.id == id)
                .ok_or_else(|| not_found(id.to_string())),
        };
        match &result {
            Ok(entry) => self.remember(key, Cached::Arxiv(Box::new(entry.clone()))),
            Err(err) => self.remember(key, Cached::NotFound(err.clone())),
        }
        result
    }

    /// The Crossref record of `doi`.
    pub async fn crossref(&self, doi: &Doi) -> Result<crossref::Work, UpstreamError> {
        let key = format!("doi:{doi}");
        match self.cached(&key) {
            Some(Cached::Crossref(work)) => return Ok(*work),
            Some(Cached::NotFound(err)) => return Err(err),
            _ => {}
        }
        let mut url = self.config.crossref_api_url.clone();
        url.path_segments_mut()
            .map_err(|_| bad("Crossref", "the configured base URL cannot take a path"))?
            .pop_if_empty()
            .push("works")
            .extend(doi.as_str().split('/'));
        let (status, body) = self.fetch("Crossref", url).await?;
        let result = if status == reqwest::StatusCode::NOT_FOUND {
            Err(UpstreamError::NotFound {
                service: "Crossref",
                what: doi.to_string(),
            })
        } else if !status.is_success() {
            return Err(bad("Crossref", format!("HTTP {status}")));
        } else {
            Ok(crossref::parse_work(&body).map_err(|e| bad("Crossref", e.reason))?)
        };
        match &result {
            Ok(work) => self.remember(key, Cached::Crossref(Box::new(work.clone()))),
            Err(err) => self.remember(key, Cached::NotFound(err.clone())),
        }
        result
    }

    /// Takes the next free arXiv slot and sleeps until it comes.
    async fn wait_for_arxiv_slot(&self) {
        let slot = {
            let mut next = self.arxiv_next.lock().await;
            let slot = (*next).max(Instant::now());
            *next = slot + self.config.arxiv_interval;
            slot
        };
        tokio::time::sleep_until(tokio::time::Instant::from_std(slot)).await;
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

//! The client: where the server is, who is asking, and how patient to be.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};
use url::Url;

use crate::error::{Error, Result};
use crate::retry::RetryPolicy;

/// The `User-Agent` sent unless the builder sets another.
pub const USER_AGENT: &str = concat!("shortscience-client/", env!("CARGO_PKG_VERSION"));

/// A typed client of the ShortScience API (`/api/v1`).
///
/// Cheap to clone: clones share one connection pool. [`Client::with_token`] and
/// [`Client::with_share_token`] return clones that send different credentials.
///
/// ```no_run
/// # async fn run() -> Result<(), shortscience_client::Error> {
/// use shortscience_client::Client;
/// use shortscience_client::types::PaperRef;
///
/// let client = Client::new("http://localhost:8080")?;
/// let paper = client.get_paper(&PaperRef::parse("arxiv:2003.10555").map_err(|e| {
///     shortscience_client::Error::Config(e.to_string())
/// })?).await?;
/// println!("{} ({} summaries)", paper.title, paper.summary_count);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    pub(crate) http: reqwest::Client,
    /// The server's root, always ending in `/`; the API is at `api/v1/` below it.
    pub(crate) base: Url,
    /// `Bearer …`, marked sensitive so that it never shows in debug output.
    pub(crate) authorization: Option<HeaderValue>,
    /// `X-Share-Token`, for private summaries.
    pub(crate) share_token: Option<HeaderValue>,
    pub(crate) retry: RetryPolicy,
}

impl Client {
    /// A client of the server at `base_url` (e.g. `http://localhost:8080`; a trailing `/api/v1`
    /// is accepted too), without credentials and with the default [`RetryPolicy`].
    pub fn new(base_url: &str) -> Result<Self> {
        ClientBuilder::new(base_url).build()
    }

    /// A builder for a client with a token, another retry policy, timeouts or user agent.
    ///
    /// ```
    /// use std::time::Duration;
    /// use shortscience_client::{Client, RetryPolicy};
    ///
    /// let client = Client::builder("https://shortscience.example.org")
    ///     .token("ss_0123456789abcdef")
    ///     .retry(RetryPolicy::none())
    ///     .timeout(Duration::from_secs(20))
    ///     .build()?;
    /// assert_eq!(client.base_url().as_str(), "https://shortscience.example.org/");
    /// # Ok::<(), shortscience_client::Error>(())
    /// ```
    pub fn builder(base_url: &str) -> ClientBuilder {
        ClientBuilder::new(base_url)
    }

    /// The server's root URL.
    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// Whether requests carry a bearer token.
    pub fn has_token(&self) -> bool {
        self.authorization.is_some()
    }

    /// This client sending `Authorization: Bearer <token>`: a personal API token (`ss_…`) or a
    /// session's access token.
    pub fn with_token(&self, token: &str) -> Result<Self> {
        Ok(Self {
            authorization: Some(bearer(token)?),
            ..self.clone()
        })
    }

    /// This client without credentials.
    pub fn without_token(&self) -> Self {
        Self {
            authorization: None,
            ..self.clone()
        }
    }

    /// This client sending `X-Share-Token`, which opens a private summary (its get, revisions,
    /// diff and comments endpoints) to whoever holds its share link. Other endpoints ignore it.
    pub fn with_share_token(&self, share_token: &str) -> Result<Self> {
        let mut value = HeaderValue::from_str(share_token)
            .map_err(|_| Error::Config("the share token contains invalid characters".into()))?;
        value.set_sensitive(true);
        Ok(Self {
            share_token: Some(value),
            ..self.clone()
        })
    }

    /// This client with another retry policy.
    pub fn with_retry(&self, retry: RetryPolicy) -> Self {
        Self {
            retry,
            ..self.clone()
        }
    }

    /// The URL of an API path given as segments below `/api/v1`. Each segment is
    /// percent-encoded on its own (so a `/` inside one cannot change the route).
    pub(crate) fn url<'a>(&self, segments: impl IntoIterator<Item = &'a str>) -> Result<Url> {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .map_err(|()| Error::Config(format!("`{}` cannot be a base URL", self.base)))?
            .pop_if_empty()
            .extend(["api", "v1"])
            .extend(segments);
        Ok(url)
    }
}

/// `Bearer <token>`, as a sensitive header value.
fn bearer(token: &str) -> Result<HeaderValue> {
    let token = token.trim();
    if token.is_empty() {
        return Err(Error::Config("the token is empty".into()));
    }
    let mut value = HeaderValue::from_str(&format!("Bearer {token}"))
        .map_err(|_| Error::Config("the token contains invalid characters".into()))?;
    value.set_sensitive(true);
    Ok(value)
}

/// Parses the server's root URL: `http(s)://host[:port][/prefix]`, with or without a trailing
/// `/` or `/api/v1`.
fn parse_base(base_url: &str) -> Result<Url> {
    let bad = |why: &str| Error::Config(format!("invalid server URL `{base_url}`: {why}"));
    let mut url = Url::parse(base_url.trim()).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("it must start with http:// or https://"));
    }
    if url.cannot_be_a_base() || url.host().is_none() {
        return Err(bad("it has no host"));
    }
    url.set_query(None);
    url.set_fragment(None);
    let path = url.path().trim_end_matches('/');
    let path = path.strip_suffix("/api/v1").unwrap_or(path).to_owned();
    url.set_path(&format!("{path}/"));
    Ok(url)
}

/// Configures a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    base_url: String,
    token: Option<String>,
    retry: RetryPolicy,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    http: Option<reqwest::Client>,
}

impl ClientBuilder {
    fn new(base_url: &str) -> Self {
        Self {
            base_url: base_url.to_owned(),
            token: None,
            retry: RetryPolicy::default(),
            // Imports wait for arXiv, which the server paces at one request every 3 seconds.
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            user_agent: USER_AGENT.to_owned(),
            http: None,
        }
    }

    /// Send `Authorization: Bearer <token>` (a personal API token `ss_…`).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// How refused requests are retried (default: [`RetryPolicy::default`]).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The longest a whole request may take, retries not counted (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The longest connecting may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header (default `shortscience-client/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Use this `reqwest` client (its own timeouts, proxies, TLS roots) instead of building
    /// one; `timeout`, `connect_timeout` and `user_agent` are then not applied.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// The client, or [`Error::Config`] for an unusable URL or token.
    pub fn build(self) -> Result<Client> {
        let base = parse_base(&self.base_url)?;
        let authorization = self.token.as_deref().map(bearer).transpose()?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(self.user_agent)
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
                // The API never redirects; a redirect would mean another server, which must
                // not receive the token.
                .redirect(reqwest::redirect::Policy::none())
                .default_headers(HeaderMap::new())
                .build()
                .map_err(|e| Error::Config(format!("could not set up HTTP: {e}")))?,
        };
        Ok(Client {
            http,
            base,
            authorization,
            share_token: None,
            retry: self.retry,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_normalised_to_the_server_root() {
        for (input, want) in [
            ("http://localhost:8080", "http://localhost:8080/"),
            ("http://localhost:8080/", "http://localhost:8080/"),
            ("http://localhost:8080/api/v1", "http://localhost:8080/"),
            ("http://localhost:8080/api/v1/", "http://localhost:8080/"),
            ("https://example.org/ss/?x=1#y", "https://example.org/ss/"),
        ] {
            assert_eq!(parse_base(input).unwrap().as_str(), want, "{input}");
        }
        for bad in ["localhost:8080", "ftp://example.org", "not a url", ""] {
            assert!(parse_base(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn paths_are_built_segment_by_segment() {
        let client = Client::new("https://example.org/ss").unwrap();
        assert_eq!(
            client.url(["papers", "doi:10.1000/a b"]).unwrap().as_str(),
            "https://example.org/ss/api/v1/papers/doi:10.1000%2Fa%20b"
        );
        assert_eq!(
            client.url(["health"]).unwrap().as_str(),
            "https://example.org/ss/api/v1/health"
        );
    }

    #[test]
    fn tokens_are_sensitive_and_must_be_header_safe() {
        let client = Client::builder("http://localhost")
            .token("ss_abc")
            .build()
            .unwrap();
        assert!(client.has_token());
        assert!(!format!("{client:?}").contains("ss_abc"));
        assert!(client.with_token("bad\ntoken").is_err());
        assert!(client.with_token("  ").is_err());
        assert!(!client.without_token().has_token());
    }
}

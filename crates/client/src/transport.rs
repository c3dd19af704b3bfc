//! Sending one request: credentials, retries, and turning every non-2xx answer into [`Error`].
//! Endpoint modules describe requests as [`Call`]s and never see HTTP failures themselves.

use reqwest::header::{HeaderName, CONTENT_TYPE};
use reqwest::{Method, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use shortscience_types::Problem;
use url::Url;

use crate::client::Client;
use crate::error::{shorten, ApiError, Error, Result};
use crate::retry::{self, Repeatable};

/// The header that opens a private summary.
const SHARE_TOKEN: HeaderName = HeaderName::from_static("x-share-token");

/// One request, described as data so that it can be sent again.
#[derive(Debug)]
pub(crate) struct Call {
    method: Method,
    url: Url,
    body: Option<Vec<u8>>,
    repeatable: Repeatable,
}

impl Call {
    fn new(method: Method, url: Url) -> Self {
        // GET, HEAD, PUT and DELETE repeat without a second effect; POSTs and PATCHes are
        // marked repeatable one by one where the API documents it.
        let repeatable = if matches!(
            method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE
        ) {
            Repeatable::Yes
        } else {
            Repeatable::No
        };
        Self {
            method,
            url,
            body: None,
            repeatable,
        }
    }

    /// Adds query parameters from a serde struct (`PaperListQuery`, `Page`, …).
    pub(crate) fn query<Q: Serialize + ?Sized>(mut self, query: &Q) -> Result<Self> {
        let encoded = serde_urlencoded::to_string(query)
            .map_err(|e| Error::Config(format!("could not encode the query: {e}")))?;
        if !encoded.is_empty() {
            let joined = match self.url.query() {
                Some(existing) if !existing.is_empty() => format!("{existing}&{encoded}"),
                _ => encoded,
            };
            self.url.set_query(Some(&joined));
        }
        Ok(self)
    }

    /// Sets a JSON body.
    pub(crate) fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Result<Self> {
        self.body = Some(
            serde_json::to_vec(body)
                .map_err(|e| Error::Config(format!("could not encode the body: {e}")))?,
        );
        Ok(self)
    }

    /// Marks a `POST` the API documents as safe to repeat (see [`crate::retry`]).
    pub(crate) fn repeatable(mut self) -> Self {
        self.repeatable = Repeatable::Yes;
        self
    }
}

impl Client {
    pub(crate) fn get<'a>(&self, path: impl IntoIterator<Item = &'a str>) -> Result<Call> {
        Ok(Call::new(Method::GET, self.url(path)?))
    }

    pub(crate) fn post<'a>(&self, path: impl IntoIterator<Item = &'a str>) -> Result<Call> {
        Ok(Call::new(Method::POST, self.url(path)?))
    }

    pub(crate) fn put<'a>(&self, path: impl IntoIterator<Item = &'a str>) -> Result<Call> {
        Ok(Call::new(Method::PUT, self.url(path)?))
    }

    pub(crate) fn patch<'a>(&self, path: impl IntoIterator<Item = &'a str>) -> Result<Call> {
        Ok(Call::new(Method::PATCH, self.url(path)?))
    }

    pub(crate) fn delete<'a>(&self, path: impl IntoIterator<Item = &'a str>) -> Result<Call> {
        Ok(Call::new(Method::DELETE, self.url(path)?))
    }

    /// Sends `call`, retrying refusals as the policy allows, and returns the first 2xx answer;
    /// every other answer becomes an [`Error`].
    pub(crate) async fn send(&self, call: Call) -> Result<Response> {
        self.send_with(call, &[]).await
    }

    /// [`Client::send`] with extra headers (the refresh cookie).
    pub(crate) async fn send_with(
        &self,
        call: Call,
        headers: &[(HeaderName, reqwest::header::HeaderValue)],
    ) -> Result<Response> {
        let mut attempt = 1;
        loop {
            let mut request = self.http.request(call.method.clone(), call.url.clone());
            if let Some(auth) = &self.authorization {
                request = request.header(reqwest::header::AUTHORIZATION, auth.clone());
            }
            if let Some(share) = &self.share_token {
                request = request.header(SHARE_TOKEN, share.clone());
            }
            for (name, value) in headers {
                request = request.header(name.clone(), value.clone());
            }
            if let Some(body) = &call.body {
                request = request
                    .header(CONTENT_TYPE, "application/json")
                    .body(body.clone());
            }
            let response = request.send().await.map_err(Error::Network)?;
            let status = response.status();
            if status.is_success() {
                return Ok(response);
            }
            let wait = retry::retry_after(response.headers());
            match self.retry.delay(attempt, status, wait, call.repeatable) {
                Some(delay) => {
                    // Read the refused answer to the end so the connection can be reused.
                    let _ = response.bytes().await;
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                None => return Err(refusal(response).await),
            }
        }
    }

    /// Sends `call` and decodes the JSON answer.
    pub(crate) async fn json<T: DeserializeOwned>(&self, call: Call) -> Result<T> {
        decode(self.send(call).await?).await
    }

    /// Sends `call`, whose answer has no body (204).
    pub(crate) async fn empty(&self, call: Call) -> Result<()> {
        let response = self.send(call).await?;
        // Drain whatever there is, so the connection can be reused.
        let _ = response.bytes().await;
        Ok(())
    }
}

/// Decodes a success answer's JSON body.
pub(crate) async fn decode<T: DeserializeOwned>(response: Response) -> Result<T> {
    let status = response.status();
    let bytes = response.bytes().await.map_err(Error::Network)?;
    serde_json::from_slice(&bytes).map_err(|e| Error::Decode {
        status,
        reason: format!(
            "{e} in `{}`",
            shorten(&String::from_utf8_lossy(&bytes), 200)
        ),
    })
}

/// Turns an error answer into [`Error::Api`] when it carries a problem document, else
/// [`Error::UnexpectedStatus`].
async fn refusal(response: Response) -> Error {
    let status = response.status();
    let retry_after = retry::retry_after(response.headers());
    let bytes = match response.bytes().await {
        Ok(bytes) => bytes,
        Err(e) => return Error::Network(e),
    };
    match serde_json::from_slice::<Problem>(&bytes) {
        Ok(problem) => Error::Api(Box::new(ApiError {
            status,
            problem,
            retry_after,
        })),
        Err(_) => Error::UnexpectedStatus {
            status,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            retry_after,
        },
    }
}

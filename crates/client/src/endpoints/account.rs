//! Health, accounts and sessions, the caller's own profile and API tokens.

use std::fmt;

use reqwest::header::{HeaderName, HeaderValue, COOKIE, SET_COOKIE};
use shortscience_types::{
    ApiTokenId, ApiTokenInfo, ApiTokenList, AuthSession, CreateApiTokenRequest, CreatedApiToken,
    Health, Liveness, LoginRequest, Me, RegisterRequest, UpdateMeRequest,
};

use crate::error::{Error, Result};
use crate::transport::decode;
use crate::Client;

/// The name of the refresh-token cookie the server sets on sign-in.
const REFRESH_COOKIE: &str = "ss_refresh";

/// A signed-in session: the access token (in `session`) and the refresh token the server sets
/// as a cookie, kept here for [`Client::refresh_session`] and [`Client::logout`].
#[derive(Clone, PartialEq)]
pub struct SignedIn {
    pub session: AuthSession,
    /// The refresh token, when the server set one.
    pub refresh_token: Option<String>,
}

impl fmt::Debug for SignedIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedIn")
            .field("user", &self.session.user.username)
            .field("expires_in", &self.session.expires_in)
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "…"))
            .finish_non_exhaustive()
    }
}

impl Client {
    /// `GET /health`: readiness (the database answers and takes writes).
    pub async fn get_health(&self) -> Result<Health> {
        self.json(self.get(["health"])?).await
    }

    /// `GET /health/live`: liveness (the process answers).
    pub async fn get_liveness(&self) -> Result<Liveness> {
        self.json(self.get(["health", "live"])?).await
    }

    /// `POST /auth/register`: creates an account and signs it in.
    pub async fn register(&self, request: &RegisterRequest) -> Result<SignedIn> {
        signed_in(
            self.send(self.post(["auth", "register"])?.json(request)?)
                .await?,
        )
        .await
    }

    /// `POST /auth/login`: signs in with a username (or email) and password.
    ///
    /// The session's access token lasts minutes; scripts create a personal API token with it
    /// ([`Client::create_token`]) and use that instead.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), shortscience_client::Error> {
    /// use shortscience_client::Client;
    /// use shortscience_client::types::{CreateApiTokenRequest, LoginRequest};
    ///
    /// let client = Client::new("http://localhost:8080")?;
    /// let signed_in = client
    ///     .login(&LoginRequest { username: "ada".into(), password: "correct horse battery".into() })
    ///     .await?;
    /// let session = client.with_token(&signed_in.session.access_token)?;
    /// let created = session
    ///     .create_token(&CreateApiTokenRequest { name: "my script".into(), expires_in_days: Some(90) })
    ///     .await?;
    /// session.logout(signed_in.refresh_token.as_deref()).await?;
    /// let scripted = client.with_token(&created.token)?;
    /// println!("signed in as {}", scripted.get_me().await?.username);
    /// # Ok(()) }
    /// ```
    pub async fn login(&self, request: &LoginRequest) -> Result<SignedIn> {
        signed_in(
            self.send(self.post(["auth", "login"])?.json(request)?)
                .await?,
        )
        .await
    }

    /// `POST /auth/refresh`: exchanges a refresh token for a new access token and a new refresh
    /// token. Each refresh token works once.
    pub async fn refresh_session(&self, refresh_token: &str) -> Result<SignedIn> {
        let cookie = refresh_cookie(refresh_token)?;
        let response = self
            .send_with(self.post(["auth", "refresh"])?, &[cookie])
            .await?;
        signed_in(response).await
    }

    /// `POST /auth/logout`: ends the session of the refresh token, or of this client's access
    /// token. Always succeeds; personal API tokens are not affected (revoke them with
    /// [`Client::delete_token`]).
    pub async fn logout(&self, refresh_token: Option<&str>) -> Result<()> {
        let cookies = refresh_token.map(refresh_cookie).transpose()?;
        let response = self
            .send_with(
                self.post(["auth", "logout"])?.repeatable(),
                cookies.as_slice(),
            )
            .await?;
        let _ = response.bytes().await;
        Ok(())
    }

    /// `GET /me`: the caller's own account.
    pub async fn get_me(&self) -> Result<Me> {
        self.json(self.get(["me"])?).await
    }

    /// `PATCH /me`: changes the display name, bio or password.
    pub async fn update_me(&self, request: &UpdateMeRequest) -> Result<Me> {
        self.json(self.patch(["me"])?.json(request)?).await
    }

    /// `GET /me/export`: everything the server keeps about the caller, as JSON.
    pub async fn export_me(&self) -> Result<serde_json::Value> {
        self.json(self.get(["me", "export"])?).await
    }

    /// `GET /me/tokens`: the caller's personal API tokens (never their secrets).
    pub async fn list_tokens(&self) -> Result<Vec<ApiTokenInfo>> {
        let list: ApiTokenList = self.json(self.get(["me", "tokens"])?).await?;
        Ok(list.items)
    }

    /// `POST /me/tokens`: creates a personal API token. Needs a signed-in session (an access
    /// token from [`Client::login`]): API tokens cannot create tokens (`session_required`).
    pub async fn create_token(&self, request: &CreateApiTokenRequest) -> Result<CreatedApiToken> {
        self.json(self.post(["me", "tokens"])?.json(request)?).await
    }

    /// `DELETE /me/tokens/{id}`: revokes a personal API token.
    pub async fn delete_token(&self, id: ApiTokenId) -> Result<()> {
        let id = id.to_string();
        self.empty(self.delete(["me", "tokens", &id])?).await
    }
}

/// `Cookie: ss_refresh=<token>`.
fn refresh_cookie(token: &str) -> Result<(HeaderName, HeaderValue)> {
    let mut value = HeaderValue::from_str(&format!("{REFRESH_COOKIE}={token}"))
        .map_err(|_| Error::Config("the refresh token contains invalid characters".into()))?;
    value.set_sensitive(true);
    Ok((COOKIE, value))
}

/// The session in the body and the refresh token in its `Set-Cookie`.
async fn signed_in(response: reqwest::Response) -> Result<SignedIn> {
    let refresh_token = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|cookie| {
            let (name, rest) = cookie.split_once('=')?;
            let value = rest.split(';').next()?.trim();
            (name.trim() == REFRESH_COOKIE && !value.is_empty()).then(|| value.to_owned())
        });
    let session = decode(response).await?;
    Ok(SignedIn {
        session,
        refresh_token,
    })
}

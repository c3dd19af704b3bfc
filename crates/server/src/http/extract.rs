//! What handlers extract from a request besides the body and path: who is calling
//! (`AuthUser`, `ActiveUser`, `MaybeAuthUser`), a private summary's share token, and the
//! client's address.
//!
//! `AuthUser` requires valid credentials, `ActiveUser` also refuses suspended accounts (use it
//! for every write), `MaybeAuthUser` lets anonymous callers through but still refuses bad
//! credentials rather than silently ignoring them.

use std::future::{ready, Future, Ready};
use std::net::IpAddr;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use shortscience_types::{ErrorCode, SummaryId};

use crate::db::Db;
use crate::domain::auth::{self, JwtKeys};
pub use crate::domain::auth::{AuthUser, AuthVia};
use crate::domain::summaries::SummaryAccess;
use crate::domain::{DomainError, Viewer};
use crate::http::error::ApiError;

/// An authenticated caller whose account is not suspended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveUser(pub AuthUser);

/// The caller, if any credentials were sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaybeAuthUser(pub Option<AuthUser>);

impl MaybeAuthUser {
    /// The caller as a reader (anonymous when signed out).
    pub fn viewer(&self) -> Viewer {
        self.0.as_ref().map(AuthUser::viewer).unwrap_or_default()
    }
}

type BoxedFuture<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

/// The bearer credential of a request: `Ok(None)` when there is no `Authorization` header.
fn bearer(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let invalid = || {
        ApiError::from(DomainError::unauthorized(
            ErrorCode::InvalidToken,
            "send credentials as `Authorization: Bearer <token>`",
        ))
    };
    let value = value.to_str().map_err(|_| invalid())?;
    let (scheme, token) = value.trim().split_once(' ').ok_or_else(invalid)?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(invalid());
    }
    Ok(Some(token.trim().to_owned()))
}

fn authenticate(req: &HttpRequest) -> BoxedFuture<Option<AuthUser>> {
    let credential = bearer(req);
    let db = req.app_data::<web::Data<Db>>().cloned();
    let keys = req.app_data::<web::Data<JwtKeys>>().cloned();
    Box::pin(async move {
        let Some(token) = credential? else {
            return Ok(None);
        };
        let (Some(db), Some(keys)) = (db, keys) else {
            return Err(ApiError::internal(anyhow::anyhow!(
                "authentication state is not configured"
            )));
        };
        Ok(Some(auth::authenticate(&db, &keys, token).await?))
    })
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = BoxedFuture<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let auth = authenticate(req);
        Box::pin(async move {
            auth.await?.ok_or_else(|| {
                DomainError::unauthorized(
                    ErrorCode::Unauthenticated,
                    "sign in or send an API token",
                )
                .into()
            })
        })
    }
}

impl FromRequest for ActiveUser {
    type Error = ApiError;
    type Future = BoxedFuture<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let user = AuthUser::from_request(req, payload);
        Box::pin(async move {
            let user = user.await?;
            user.require_active()?;
            Ok(ActiveUser(user))
        })
    }
}

impl FromRequest for MaybeAuthUser {
    type Error = ApiError;
    type Future = BoxedFuture<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let auth = authenticate(req);
        Box::pin(async move { Ok(MaybeAuthUser(auth.await?)) })
    }
}

/// The header that carries a private summary's share token.
pub const SHARE_TOKEN_HEADER: &str = "x-share-token";

/// A private summary's share token from `X-Share-Token` (trimmed; absent when empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, utoipa::IntoParams)]
#[into_params(names("X-Share-Token"), parameter_in = Header)]
pub struct ShareToken(
    /// A private summary's share token (the author gets it with the summary; the web app's share
    /// link carries it in the URL fragment).
    pub Option<String>,
);

impl FromRequest for ShareToken {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = req
            .headers()
            .get(SHARE_TOKEN_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty());
        ready(Ok(Self(token)))
    }
}

/// A summary's id from the path, who asks, and the `X-Share-Token` header.
impl FromRequest for SummaryAccess {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let id = web::Path::<SummaryId>::from_request(req, payload);
        let caller = MaybeAuthUser::from_request(req, payload);
        let share = ShareToken::from_request(req, payload);
        Box::pin(async move {
            let id = id.await?.into_inner();
            let viewer = caller.await?.viewer();
            let ShareToken(share) = share.await?;
            Ok(Self { id, viewer, share })
        })
    }
}

impl utoipa::IntoParams for SummaryAccess {
    fn into_params(
        parameter_in_provider: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        use utoipa::openapi::{Ref, Required};
        let id = ParameterBuilder::new()
            .name("id")
            .parameter_in(ParameterIn::Path)
            .required(Required::True)
            .description(Some("The summary's id"))
            .schema(Some(Ref::from_schema_name("SummaryId")))
            .build();
        std::iter::once(id)
            .chain(ShareToken::into_params(parameter_in_provider))
            .collect()
    }
}

/// The reverse proxies whose forwarding headers are believed (`--trusted-proxies`).
#[derive(Debug, Clone, Default)]
pub struct Proxies(pub Vec<ipnet::IpNet>);

impl Proxies {
    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    fn peer(req: &HttpRequest) -> IpAddr {
        req.peer_addr()
            .map(|addr| addr.ip())
            .unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    /// The client's address: the peer's, or behind trusted proxies the nearest address in
    /// `X-Forwarded-For` that is not one of them.
    pub fn client_ip(&self, req: &HttpRequest) -> IpAddr {
        let peer = Self::peer(req);
        if !self.trusts(peer) {
            return peer;
        }
        let hops: Vec<IpAddr> = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|hop| hop.trim().parse().ok())
            .collect();
        hops.iter()
            .rev()
            .find(|ip| !self.trusts(**ip))
            .or(hops.first())
            .copied()
            .unwrap_or(peer)
    }

    /// Whether the client reached us over HTTPS: only a trusted proxy can say so
    /// (`X-Forwarded-Proto`), as this server speaks plain HTTP itself.
    pub fn is_https(&self, req: &HttpRequest) -> bool {
        self.trusts(Self::peer(req))
            && req
                .headers()
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
    }

    /// The proxies configured for this app (none in a bare test app).
    pub fn of(req: &HttpRequest) -> Self {
        req.app_data::<web::Data<Proxies>>()
            .map(|p| p.get_ref().clone())
            .unwrap_or_default()
    }
}

/// The client's address, for per-address rate limits (see [`Proxies::client_ip`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl FromRequest for ClientIp {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self(Proxies::of(req).client_ip(req))))
    }
}

/// A text path segment (a username, a slug): any text but NUL, which PostgreSQL cannot store, so
/// both backends refuse it alike (400 naming the segment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment(pub String);

impl<'de> serde::Deserialize<'de> for Segment {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        if text.contains('\0') {
            return Err(serde::de::Error::custom(crate::http::query::NO_NUL));
        }
        Ok(Self(text))
    }
}

//! Registration, login, token refresh and logout: `/auth/*`. The refresh token travels in an
//! `HttpOnly; SameSite=Strict` cookie scoped to these endpoints; setting and clearing it is the
//! HTTP side of the account rules in `domain::accounts`.

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::http::{header, StatusCode};
use actix_web::{post, web, HttpRequest, HttpResponse, ResponseError};
use shortscience_types::{AuthSession, ErrorCode, LoginRequest, RegisterRequest};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::db::Db;
use crate::domain::accounts::{self, NewSession, SESSION_DAYS};
use crate::domain::auth::JwtKeys;
use crate::domain::limits::RateLimits;
use crate::domain::DomainError;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::{AuthVia, ClientIp, MaybeAuthUser, Proxies};
use crate::http::json::Json;
use crate::http::responses::{LogoutProblems, SessionProblems};

/// Name and path of the refresh-token cookie. The path keeps browsers from sending it anywhere
/// but the auth endpoints.
pub const REFRESH_COOKIE: &str = "ss_refresh";
pub const REFRESH_COOKIE_PATH: &str = "/api/v1/auth";
/// A hint for the web app, readable by scripts and holding no secret: `1` while the browser
/// holds a refresh cookie. The app only asks `/auth/refresh` when it is set, so signed-out
/// visits make no failing request.
pub const SIGNED_IN_COOKIE: &str = "ss_signed_in";

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(register)
        .service(login)
        .service(refresh_session)
        .service(logout);
}

fn is_https(req: &HttpRequest) -> bool {
    Proxies::of(req).is_https(req)
}

fn refresh_cookie(token: String, req: &HttpRequest) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, token)
        .path(REFRESH_COOKIE_PATH)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(is_https(req))
        .max_age(CookieDuration::days(SESSION_DAYS))
        .finish()
}

fn signed_in_cookie(req: &HttpRequest) -> Cookie<'static> {
    Cookie::build(SIGNED_IN_COOKIE, "1")
        .path("/")
        .same_site(SameSite::Strict)
        .secure(is_https(req))
        .max_age(CookieDuration::days(SESSION_DAYS))
        .finish()
}

/// Removals of both cookies.
fn clear_cookies(req: &HttpRequest) -> [Cookie<'static>; 2] {
    let mut refresh = refresh_cookie(String::new(), req);
    refresh.make_removal();
    let mut hint = signed_in_cookie(req);
    hint.make_removal();
    [refresh, hint]
}

/// The session response: access token in the body, refresh token in the cookie.
fn session_response(status: StatusCode, req: &HttpRequest, new: NewSession) -> HttpResponse {
    HttpResponse::build(status)
        .cookie(refresh_cookie(new.refresh_token, req))
        .cookie(signed_in_cookie(req))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(new.session)
}

/// Cookie-authenticated endpoints refuse requests a browser sent from another site. (The
/// SameSite=Strict cookie already stays home; this is the second lock.)
fn same_origin(req: &HttpRequest) -> ApiResult<()> {
    let Some(origin) = req.headers().get(header::ORIGIN) else {
        return Ok(());
    };
    // The Host header itself: `X-Forwarded-Host` could be sent by anyone (a proxy in front
    // passes Host on).
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| url::Url::parse(o).ok())
        .map(|u| match u.port() {
            Some(port) => format!("{}:{port}", u.host_str().unwrap_or_default()),
            None => u.host_str().unwrap_or_default().to_owned(),
        });
    if origin_host.as_deref() == Some(host.as_str()) {
        Ok(())
    } else {
        Err(DomainError::forbidden(
            ErrorCode::CrossOrigin,
            "this request must come from the ShortScience site itself",
        )
        .into())
    }
}

/// Creates an account and signs it in.
#[utoipa::path(
    tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Registered and signed in; the refresh token is set as an HttpOnly cookie", body = AuthSession),
        SessionProblems,
    )
)]
#[post("/auth/register")]
pub async fn register(
    req: HttpRequest,
    db: web::Data<Db>,
    keys: web::Data<JwtKeys>,
    limits: web::Data<RateLimits>,
    ClientIp(client): ClientIp,
    body: Json<RegisterRequest>,
) -> ApiResult<HttpResponse> {
    let new = accounts::register(&db, &keys, &limits, client, body.into_inner()).await?;
    Ok(session_response(StatusCode::CREATED, &req, new))
}

/// Signs in with a username (or email) and password (`invalid_credentials` does not say which
/// was wrong).
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; the refresh token is set as an HttpOnly cookie", body = AuthSession),
        SessionProblems,
    )
)]
#[post("/auth/login")]
pub async fn login(
    req: HttpRequest,
    db: web::Data<Db>,
    keys: web::Data<JwtKeys>,
    limits: web::Data<RateLimits>,
    ClientIp(client): ClientIp,
    body: Json<LoginRequest>,
) -> ApiResult<HttpResponse> {
    let new = accounts::login(&db, &keys, &limits, client, body.into_inner()).await?;
    Ok(session_response(StatusCode::OK, &req, new))
}

/// Exchanges the refresh-token cookie for a new access token and a new refresh token. Each
/// refresh token works once: presenting one that was already exchanged ends the whole session.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "A new access token; the cookie now holds a new refresh token", body = AuthSession),
        SessionProblems,
    )
)]
#[post("/auth/refresh")]
pub async fn refresh_session(
    req: HttpRequest,
    db: web::Data<Db>,
    keys: web::Data<JwtKeys>,
    limits: web::Data<RateLimits>,
    ClientIp(client): ClientIp,
) -> ApiResult<HttpResponse> {
    same_origin(&req)?;
    let presented = req.cookie(REFRESH_COOKIE).map(|c| c.value().to_owned());
    match accounts::refresh(&db, &keys, &limits, client, presented).await {
        Ok(new) => Ok(session_response(StatusCode::OK, &req, new)),
        // A refused refresh token is of no further use: the answer also clears the cookie.
        Err(refused @ DomainError::Unauthorized { .. }) => {
            let mut response = ApiError::from(refused).error_response();
            for cookie in clear_cookies(&req) {
                let _ = response.add_cookie(&cookie);
            }
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

/// Ends the current session (the one of the refresh cookie, or of the access token) and clears
/// the cookie. Always succeeds.
#[utoipa::path(
    tag = "auth",
    responses((status = 204, description = "Signed out"), LogoutProblems)
)]
#[post("/auth/logout")]
pub async fn logout(
    req: HttpRequest,
    db: web::Data<Db>,
    caller: Result<MaybeAuthUser, ApiError>,
) -> ApiResult<HttpResponse> {
    same_origin(&req)?;
    let cookie = req.cookie(REFRESH_COOKIE).map(|c| c.value().to_owned());
    // An expired or otherwise refused access token must not stop a sign-out: the cookie still
    // identifies the session.
    let access_session = caller.ok().and_then(|c| c.0).and_then(|u| match u.via {
        AuthVia::Session { session_id } => Some(session_id),
        AuthVia::ApiToken { .. } => None,
    });
    accounts::logout(&db, cookie, access_session).await?;
    let [refresh, hint] = clear_cookies(&req);
    Ok(HttpResponse::NoContent()
        .cookie(refresh)
        .cookie(hint)
        .finish())
}

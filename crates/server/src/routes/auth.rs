//! Registration, login, token refresh and logout: `/auth/*`.

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::http::header;
use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::Duration;
use shortscience_types::{AuthSession, LoginRequest, Me, Problem, RegisterRequest, Role, UserId};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::jwt::ACCESS_TOKEN_SECONDS;
use crate::auth::{password, tokens, JwtKeys, MaybeAuthUser};
use crate::db::models::{self, accounts};
use crate::db::{write_transaction, Db, DbConn};
use crate::error::{ApiError, ApiResult};
use crate::rate_limit::{client_ip, RateLimits};
use crate::validate;

/// Name and path of the refresh-token cookie. The path keeps browsers from sending it anywhere
/// but the auth endpoints.
pub const REFRESH_COOKIE: &str = "ss_refresh";
pub const REFRESH_COOKIE_PATH: &str = "/api/v1/auth";
/// How long a login lasts without signing in again.
pub const SESSION_DAYS: i64 = 30;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(register)
        .service(login)
        .service(refresh_session)
        .service(logout);
}

/// Runs CPU-heavy work (password hashing) on the blocking pool.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> ApiResult<T> {
    web::block(f)
        .await
        .map_err(|e| ApiError::internal(anyhow::anyhow!("blocking task failed: {e}")))?
        .map_err(ApiError::Internal)
}

pub fn me(user: &accounts::User) -> Me {
    Me {
        id: UserId(user.id),
        username: user.username.clone(),
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        bio: user.bio.clone(),
        role: Role::from_db(&user.role),
        suspended: user.suspended,
        created_at: user.created_at.and_utc(),
    }
}

/// A new session for the user: its id and the refresh token to put in the cookie.
fn start_session(conn: &mut DbConn, user_id: i64) -> Result<(i64, String), diesel::result::Error> {
    let now = models::now();
    let expires_at = now + Duration::days(SESSION_DAYS);
    let session_id = accounts::create_session(conn, user_id, now, expires_at)?;
    let refresh = tokens::new_refresh_token();
    accounts::insert_refresh_token(
        conn,
        session_id,
        &refresh.lookup,
        &refresh.secret_hash,
        now,
        expires_at,
    )?;
    Ok((session_id, refresh.token))
}

fn is_https(req: &HttpRequest) -> bool {
    req.connection_info().scheme() == "https"
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

fn clear_cookie(req: &HttpRequest) -> Cookie<'static> {
    let mut cookie = Cookie::build(REFRESH_COOKIE, "")
        .path(REFRESH_COOKIE_PATH)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(is_https(req))
        .finish();
    cookie.make_removal();
    cookie
}

/// The session response: access token in the body, refresh token in the cookie.
fn session_response(
    status: actix_web::http::StatusCode,
    req: &HttpRequest,
    keys: &JwtKeys,
    user: &accounts::User,
    session_id: i64,
    refresh_token: String,
) -> ApiResult<HttpResponse> {
    let access_token = keys
        .issue(user.id, session_id, models::now().and_utc().timestamp())
        .map_err(ApiError::Internal)?;
    Ok(HttpResponse::build(status)
        .cookie(refresh_cookie(refresh_token, req))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(AuthSession {
            access_token,
            token_type: "Bearer".to_owned(),
            expires_in: ACCESS_TOKEN_SECONDS,
            user: me(user),
        }))
}

/// Cookie-authenticated endpoints refuse requests a browser sent from another site. (The
/// SameSite=Strict cookie already stays home; this is the second lock.)
fn same_origin(req: &HttpRequest) -> ApiResult<()> {
    let Some(origin) = req.headers().get(header::ORIGIN) else {
        return Ok(());
    };
    let host = req.connection_info().host().to_owned();
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
        Err(ApiError::forbidden(
            "cross_origin",
            "this request must come from the ShortScience site itself",
        ))
    }
}

/// Creates an account and signs it in.
#[utoipa::path(
    tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Registered and signed in; the refresh token is set as an HttpOnly cookie", body = AuthSession),
        (status = 400, description = "Malformed JSON or unknown fields", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Username or email already taken (`username_taken`, `email_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many registrations from this address", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/register")]
pub async fn register(
    req: HttpRequest,
    db: web::Data<Db>,
    keys: web::Data<JwtKeys>,
    limits: web::Data<RateLimits>,
    body: web::Json<RegisterRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let username = body.username.trim().to_owned();
    let email = body.email.trim().to_owned();
    let mut errors = Vec::new();
    let mut check = |field: &str, result: Result<(), String>| {
        if let Err(message) = result {
            errors.push(shortscience_types::FieldError {
                field: field.to_owned(),
                location: "body".to_owned(),
                message,
            });
        }
    };
    check("username", validate::username(&username));
    check("email", validate::email(&email));
    check(
        "password",
        validate::password(&body.password, &username, Some(&email)),
    );
    let display_name = match body.display_name.as_deref().map(validate::display_name) {
        Some(Ok(name)) => name,
        Some(Err(message)) => {
            check("display_name", Err(message));
            None
        }
        None => None,
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    limits.register(client_ip(&req))?;

    let password = body.password;
    let hash = blocking(move || password::hash(&password)).await?;
    let (user, session_id, refresh_token) = db
        .run(move |conn| {
            write_transaction(conn, |conn| {
                if accounts::username_taken(conn, &username)? {
                    return Err(ApiError::Conflict {
                        code: "username_taken",
                        field: "username".to_owned(),
                        message: "this username is taken".to_owned(),
                    });
                }
                if accounts::email_taken(conn, &email, None)? {
                    return Err(ApiError::Conflict {
                        code: "email_taken",
                        field: "email".to_owned(),
                        message: "an account with this email exists; sign in instead".to_owned(),
                    });
                }
                let now = models::now();
                let id = accounts::insert_user(
                    conn,
                    &accounts::NewUser {
                        username: &username,
                        email: Some(&email),
                        display_name: display_name.as_deref(),
                        password_hash: Some(&hash),
                        bio: "",
                        role: Role::User.as_str(),
                        suspended: false,
                        created_at: now,
                        updated_at: now,
                    },
                )
                .map_err(taken_or_internal)?;
                let (session_id, refresh) = start_session(conn, id)?;
                let user = accounts::find_user(conn, id)?
                    .ok_or_else(|| ApiError::internal(anyhow::anyhow!("the new user vanished")))?;
                Ok((user, session_id, refresh))
            })
        })
        .await?;
    tracing::info!(user.id = user.id, "account registered");
    session_response(
        actix_web::http::StatusCode::CREATED,
        &req,
        &keys,
        &user,
        session_id,
        refresh_token,
    )
}

/// A unique-index violation on insert means a concurrent registration won the race (the checks
/// before the insert saw nothing): the same 409 the checks give.
fn taken_or_internal(err: diesel::result::Error) -> ApiError {
    use diesel::result::{DatabaseErrorKind, Error};
    match &err {
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
            let about_email = info.constraint_name().is_some_and(|c| c.contains("email"))
                || info.message().contains("email");
            if about_email {
                ApiError::Conflict {
                    code: "email_taken",
                    field: "email".to_owned(),
                    message: "an account with this email exists; sign in instead".to_owned(),
                }
            } else {
                ApiError::Conflict {
                    code: "username_taken",
                    field: "username".to_owned(),
                    message: "this username is taken".to_owned(),
                }
            }
        }
        _ => ApiError::from(err),
    }
}

/// Signs in with a username (or email) and password.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; the refresh token is set as an HttpOnly cookie", body = AuthSession),
        (status = 400, description = "Malformed JSON or unknown fields", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong username or password (`invalid_credentials`; which one is not revealed)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts from this address", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    req: HttpRequest,
    db: web::Data<Db>,
    keys: web::Data<JwtKeys>,
    limits: web::Data<RateLimits>,
    body: web::Json<LoginRequest>,
) -> ApiResult<HttpResponse> {
    limits.login(client_ip(&req))?;
    let LoginRequest { username, password } = body.into_inner();
    let login_name = username.trim().to_owned();
    if login_name.is_empty()
        || login_name.len() > validate::EMAIL_MAX
        || password.len() > 4 * validate::PASSWORD_MAX
    {
        return Err(invalid_credentials());
    }
    let user = db
        .run(move |conn| Ok(accounts::find_by_login(conn, &login_name)?))
        .await?;
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    // Verified even when there is no such user, so timing does not reveal which accounts exist.
    let ok = blocking(move || Ok(password::verify(&password, stored.as_deref()))).await?;
    let Some(user) = user.filter(|_| ok) else {
        return Err(invalid_credentials());
    };
    let user_id = user.id;
    let (session_id, refresh_token) = db
        .run(move |conn| {
            Ok(write_transaction(conn, |conn| {
                start_session(conn, user_id)
            })?)
        })
        .await?;
    session_response(
        actix_web::http::StatusCode::OK,
        &req,
        &keys,
        &user,
        session_id,
        refresh_token,
    )
}

fn invalid_credentials() -> ApiError {
    ApiError::unauthorized("invalid_credentials", "wrong username or password")
}

enum RefreshOutcome {
    Rotated {
        user: accounts::User,
        session_id: i64,
        token: String,
    },
    Refused(&'static str, &'static str),
}

/// Exchanges the refresh-token cookie for a new access token and a new refresh token. Each
/// refresh token works once: presenting one that was already exchanged ends the whole session.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "A new access token; the cookie now holds a new refresh token", body = AuthSession),
        (status = 401, description = "No, unknown, expired or already used refresh token (`invalid_refresh_token`, `refresh_token_reused`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Sent from another site (`cross_origin`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many refreshes from this address", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh_session(
    req: HttpRequest,
    db: web::Data<Db>,
    keys: web::Data<JwtKeys>,
    limits: web::Data<RateLimits>,
) -> ApiResult<HttpResponse> {
    same_origin(&req)?;
    limits.refresh(client_ip(&req))?;
    let presented = req.cookie(REFRESH_COOKIE).map(|c| c.value().to_owned());
    let Some(token) = presented.filter(|t| tokens::parse_refresh_token(t).is_some()) else {
        return refused(
            &req,
            "invalid_refresh_token",
            "no valid refresh token; sign in again",
        );
    };
    let outcome = db
        .run(move |conn| Ok(write_transaction(conn, |conn| rotate(conn, &token))?))
        .await?;
    match outcome {
        RefreshOutcome::Rotated {
            user,
            session_id,
            token,
        } => session_response(
            actix_web::http::StatusCode::OK,
            &req,
            &keys,
            &user,
            session_id,
            token,
        ),
        RefreshOutcome::Refused(code, detail) => refused(&req, code, detail),
    }
}

/// 401 that also clears the cookie.
fn refused(req: &HttpRequest, code: &'static str, detail: &str) -> ApiResult<HttpResponse> {
    let error = ApiError::unauthorized(code, detail);
    let mut response = actix_web::ResponseError::error_response(&error);
    let _ = response.add_cookie(&clear_cookie(req));
    Ok(response)
}

/// The refresh itself, in one transaction. A refusal for reuse still commits the revocation.
fn rotate(conn: &mut DbConn, token: &str) -> Result<RefreshOutcome, diesel::result::Error> {
    let invalid = RefreshOutcome::Refused(
        "invalid_refresh_token",
        "the refresh token is not valid; sign in again",
    );
    let Some(presented) = tokens::parse_refresh_token(token) else {
        return Ok(invalid);
    };
    let Some((stored, session)) = accounts::find_refresh_token(conn, presented.lookup)? else {
        return Ok(invalid);
    };
    if !tokens::secret_matches(presented.secret, &stored.secret_hash) {
        return Ok(invalid);
    }
    let now = models::now();
    if session.revoked_at.is_some() {
        return Ok(RefreshOutcome::Refused(
            "invalid_refresh_token",
            "this session has ended; sign in again",
        ));
    }
    if stored.used_at.is_some() || !accounts::mark_refresh_token_used(conn, stored.id, now)? {
        // Someone presented a token that was already exchanged: it was stolen or replayed.
        accounts::revoke_session(conn, session.id, "reuse_detected", now)?;
        tracing::warn!(
            session.id = session.id,
            "refresh token reuse: session revoked"
        );
        return Ok(RefreshOutcome::Refused(
            "refresh_token_reused",
            "this refresh token was already used; the session has been ended for safety",
        ));
    }
    if stored.expires_at <= now || session.expires_at <= now {
        return Ok(RefreshOutcome::Refused(
            "invalid_refresh_token",
            "this session has expired; sign in again",
        ));
    }
    let Some(user) = accounts::find_user(conn, session.user_id)? else {
        return Ok(invalid);
    };
    let next = tokens::new_refresh_token();
    accounts::insert_refresh_token(
        conn,
        session.id,
        &next.lookup,
        &next.secret_hash,
        now,
        session.expires_at,
    )?;
    accounts::touch_session(conn, session.id, now)?;
    Ok(RefreshOutcome::Rotated {
        user,
        session_id: session.id,
        token: next.token,
    })
}

/// Ends the current session (the one of the refresh cookie, or of the access token) and clears
/// the cookie. Always succeeds.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 204, description = "Signed out"),
        (status = 403, description = "Sent from another site (`cross_origin`)", body = Problem, content_type = "application/problem+json"),
    )
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
    let bearer_session = caller.ok().and_then(|c| c.0).and_then(|u| match u.via {
        crate::auth::AuthVia::Session { session_id } => Some(session_id),
        crate::auth::AuthVia::ApiToken { .. } => None,
    });
    db.run(move |conn| {
        let now = models::now();
        if let Some(presented) = cookie.as_deref().and_then(tokens::parse_refresh_token) {
            if let Some((stored, session)) = accounts::find_refresh_token(conn, presented.lookup)? {
                if tokens::secret_matches(presented.secret, &stored.secret_hash) {
                    accounts::revoke_session(conn, session.id, "logout", now)?;
                }
            }
        }
        if let Some(session_id) = bearer_session {
            accounts::revoke_session(conn, session_id, "logout", now)?;
        }
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent()
        .cookie(clear_cookie(&req))
        .finish())
}

//! Accounts: registration, sign-in, rotating refresh tokens, sign-out, the user's own account
//! and personal API tokens, and the first admin of a fresh install.

use std::net::IpAddr;

use chrono::Duration;
use shortscience_types::{
    AccountExport, ApiTokenInfo, ApiTokenList, AuthSession, CreateApiTokenRequest, CreatedApiToken,
    ErrorCode, ExportedComment, ExportedRevision, ExportedSummary, ExportedVote, FieldError,
    LoginRequest, Me, RegisterRequest, Role, UpdateMeRequest, UserId,
};

use crate::db::models::{self, accounts};
use crate::db::{write_transaction, Db, DbConn};
use crate::domain::auth::jwt::ACCESS_TOKEN_SECONDS;
use crate::domain::auth::{password, tokens, AuthUser, JwtKeys};
use crate::domain::limits::RateLimits;
use crate::domain::{blocking, validate, DomainError, DomainResult};

/// How long a login lasts without signing in again.
pub const SESSION_DAYS: i64 = 30;

pub fn me(user: &accounts::User) -> Me {
    Me {
        id: user.id,
        username: user.username.clone(),
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        bio: user.bio.clone(),
        role: user.role,
        suspended: user.suspended,
        created_at: user.created_at.and_utc(),
    }
}

/// A signed-in browser session: the body to send (with the access token) and the refresh token
/// for the cookie.
#[derive(Debug)]
pub struct NewSession {
    pub session: AuthSession,
    pub refresh_token: String,
}

/// A new session for the user: its id and the refresh token for the cookie.
fn start_session(conn: &mut DbConn, user_id: UserId) -> DomainResult<(i64, String)> {
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

fn new_session(
    keys: &JwtKeys,
    user: &accounts::User,
    session_id: i64,
    refresh_token: String,
) -> DomainResult<NewSession> {
    let access_token = keys
        .issue(user.id.0, session_id, models::now().and_utc().timestamp())
        .map_err(DomainError::Internal)?;
    Ok(NewSession {
        session: AuthSession {
            access_token,
            token_type: "Bearer".to_owned(),
            expires_in: ACCESS_TOKEN_SECONDS,
            user: me(user),
        },
        refresh_token,
    })
}

fn username_taken() -> DomainError {
    DomainError::conflict(
        ErrorCode::UsernameTaken,
        "username",
        "this username is taken",
    )
}

fn email_taken() -> DomainError {
    DomainError::conflict(
        ErrorCode::EmailTaken,
        "email",
        "an account with this email exists; sign in instead",
    )
}

/// A unique-index violation on insert means a concurrent registration won the race (the checks
/// before the insert saw nothing): the same conflict the checks give.
fn taken_or_internal(err: diesel::result::Error) -> DomainError {
    use diesel::result::{DatabaseErrorKind, Error};
    match &err {
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
            let about_email = info.constraint_name().is_some_and(|c| c.contains("email"))
                || info.message().contains("email");
            if about_email {
                email_taken()
            } else {
                username_taken()
            }
        }
        _ => DomainError::from(err),
    }
}

/// Creates an account and signs it in. Every invalid field is named at once.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn register(
    db: &Db,
    keys: &JwtKeys,
    limits: &RateLimits,
    client: IpAddr,
    input: RegisterRequest,
) -> DomainResult<NewSession> {
    let username = input.username.trim().to_owned();
    let email = input.email.trim().to_owned();
    let mut errors = Vec::new();
    let mut check = |field: &str, result: Result<(), String>| {
        if let Err(message) = result {
            errors.push(FieldError {
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
        validate::password(&input.password, &username, Some(&email)),
    );
    let display_name = match input.display_name.as_deref().map(validate::display_name) {
        Some(Ok(name)) => name,
        Some(Err(message)) => {
            check("display_name", Err(message));
            None
        }
        None => None,
    };
    if !errors.is_empty() {
        return Err(DomainError::Invalid(errors));
    }
    let gate = limits.clone();
    db.run(move |conn| gate.register(conn, client)).await?;
    let password = input.password;
    let hash = blocking(move || password::hash(&password))
        .await?
        .map_err(DomainError::Internal)?;
    let (user, session_id, refresh_token) = db
        .run(move |conn| {
            write_transaction(conn, |conn| {
                if accounts::username_taken(conn, &username)? {
                    return Err(username_taken());
                }
                if accounts::email_taken(conn, &email, None)? {
                    return Err(email_taken());
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
                        role: Role::User,
                        suspended: false,
                        created_at: now,
                        updated_at: now,
                    },
                )
                .map_err(taken_or_internal)?;
                let (session_id, refresh) = start_session(conn, id)?;
                Ok((find_user(conn, id)?, session_id, refresh))
            })
        })
        .await?;
    tracing::info!(user.id = %user.id, "account registered");
    new_session(keys, &user, session_id, refresh_token)
}

fn invalid_credentials() -> DomainError {
    DomainError::unauthorized(ErrorCode::InvalidCredentials, "wrong username or password")
}

/// Signs in with a username (or email) and password.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn login(
    db: &Db,
    keys: &JwtKeys,
    limits: &RateLimits,
    client: IpAddr,
    input: LoginRequest,
) -> DomainResult<NewSession> {
    let gate = limits.clone();
    db.run(move |conn| gate.login(conn, client)).await?;
    let LoginRequest { username, password } = input;
    let login_name = username.trim().to_owned();
    if login_name.is_empty()
        || login_name.len() > validate::EMAIL_MAX
        || password.len() > 4 * validate::PASSWORD_MAX
    {
        return Err(invalid_credentials());
    }
    let user = db
        .run(move |conn| -> DomainResult<_> { Ok(accounts::find_by_login(conn, &login_name)?) })
        .await?;
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    // Verified even when there is no such user, so timing does not reveal which accounts exist.
    let ok = blocking(move || password::verify(&password, stored.as_deref())).await?;
    let user = user.filter(|_| ok).ok_or_else(invalid_credentials)?;
    let user_id = user.id;
    let (session_id, refresh_token) = db
        .run(move |conn| write_transaction(conn, |conn| start_session(conn, user_id)))
        .await?;
    new_session(keys, &user, session_id, refresh_token)
}

enum Rotation {
    Rotated(Box<accounts::User>, i64, String),
    Refused(ErrorCode, &'static str),
}

/// Exchanges a refresh token for a new access token and a new refresh token. Each refresh token
/// works once: presenting one that was already exchanged ends the whole session.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn refresh(
    db: &Db,
    keys: &JwtKeys,
    limits: &RateLimits,
    client: IpAddr,
    presented: Option<String>,
) -> DomainResult<NewSession> {
    let gate = limits.clone();
    db.run(move |conn| gate.refresh(conn, client)).await?;
    let Some(token) = presented.filter(|t| tokens::parse_refresh_token(t).is_some()) else {
        return Err(DomainError::unauthorized(
            ErrorCode::InvalidRefreshToken,
            "no valid refresh token; sign in again",
        ));
    };
    // A refusal for reuse still commits the revocation, so it is a value, not an error, until
    // the transaction is over.
    let rotation = db
        .run(move |conn| write_transaction(conn, |conn| rotate(conn, &token)))
        .await?;
    match rotation {
        Rotation::Rotated(user, session_id, token) => new_session(keys, &user, session_id, token),
        Rotation::Refused(code, detail) => Err(DomainError::unauthorized(code, detail)),
    }
}

fn rotate(conn: &mut DbConn, token: &str) -> DomainResult<Rotation> {
    let invalid = Rotation::Refused(
        ErrorCode::InvalidRefreshToken,
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
        return Ok(Rotation::Refused(
            ErrorCode::InvalidRefreshToken,
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
        return Ok(Rotation::Refused(
            ErrorCode::RefreshTokenReused,
            "this refresh token was already used; the session has been ended for safety",
        ));
    }
    if stored.expires_at <= now || session.expires_at <= now {
        return Ok(Rotation::Refused(
            ErrorCode::InvalidRefreshToken,
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
    Ok(Rotation::Rotated(Box::new(user), session.id, next.token))
}

/// Ends the session of the refresh token and the one of the access token, whichever are given.
/// Never fails for a bad token: signing out always works.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn logout(
    db: &Db,
    refresh_token: Option<String>,
    access_session: Option<i64>,
) -> DomainResult<()> {
    db.run(move |conn| {
        let now = models::now();
        if let Some(presented) = refresh_token
            .as_deref()
            .and_then(tokens::parse_refresh_token)
        {
            if let Some((stored, session)) = accounts::find_refresh_token(conn, presented.lookup)? {
                if tokens::secret_matches(presented.secret, &stored.secret_hash) {
                    accounts::revoke_session(conn, session.id, "logout", now)?;
                }
            }
        }
        if let Some(session_id) = access_session {
            accounts::revoke_session(conn, session_id, "logout", now)?;
        }
        Ok(())
    })
    .await
}

fn find_user(conn: &mut DbConn, id: UserId) -> DomainResult<accounts::User> {
    accounts::find_user(conn, id)?.ok_or_else(|| {
        DomainError::unauthorized(ErrorCode::InvalidToken, "this account no longer exists")
    })
}

/// The caller's account.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.id))]
pub async fn get_me(db: &Db, caller: &AuthUser) -> DomainResult<Me> {
    let id = caller.id;
    let user = db.run(move |conn| find_user(conn, id)).await?;
    Ok(me(&user))
}

/// Everything the caller has put on the site (their own private, anonymous, hidden and deleted
/// writing included), without secrets, in one read transaction.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.id))]
pub async fn export(db: &Db, caller: &AuthUser) -> DomainResult<AccountExport> {
    use crate::db::models::account_data;
    let id = caller.id;
    db.run(move |conn| {
        use diesel::Connection as _;
        conn.transaction(|conn| -> DomainResult<AccountExport> {
            let user = find_user(conn, id)?;
            let now = models::now();
            let summaries = account_data::summaries_of(conn, id)?;
            let ids: Vec<_> = summaries.iter().map(|(s, _)| s.id).collect();
            let mut revisions: std::collections::HashMap<_, Vec<ExportedRevision>> =
                std::collections::HashMap::new();
            for (summary, text, at) in account_data::revisions_of(conn, &ids)? {
                revisions
                    .entry(summary)
                    .or_default()
                    .push(ExportedRevision {
                        body_markdown: text,
                        created_at: at.and_utc(),
                    });
            }
            let summaries = summaries
                .into_iter()
                .map(|(s, paper_title)| ExportedSummary {
                    revisions: revisions.remove(&s.id).unwrap_or_default(),
                    id: s.id,
                    paper_id: s.paper_id,
                    paper_title,
                    body_markdown: s.body_markdown,
                    anonymous: s.anonymous,
                    visibility: s.visibility,
                    hidden: s.hidden,
                    ups: s.ups,
                    downs: s.downs,
                    created_at: s.created_at.and_utc(),
                    edited_at: s.edited_at.map(|t| t.and_utc()),
                    deleted_at: s.deleted_at.map(|t| t.and_utc()),
                })
                .collect();
            let comments = account_data::comments_of(conn, id)?
                .into_iter()
                .map(|c| ExportedComment {
                    id: c.id,
                    summary_id: c.summary_id,
                    parent_id: c.parent_id,
                    body_markdown: c.body_markdown,
                    hidden: c.hidden,
                    created_at: c.created_at.and_utc(),
                    edited_at: c.edited_at.map(|t| t.and_utc()),
                    deleted_at: c.deleted_at.map(|t| t.and_utc()),
                })
                .collect();
            let votes = account_data::votes_of(conn, id)?
                .into_iter()
                .map(|(summary_id, value, created, updated)| ExportedVote {
                    summary_id,
                    value,
                    created_at: created.and_utc(),
                    updated_at: updated.and_utc(),
                })
                .collect();
            let tokens = accounts::list_api_tokens(conn, id, now)?
                .iter()
                .map(token_info)
                .collect();
            Ok(AccountExport {
                exported_at: now.and_utc(),
                account: me(&user),
                summaries,
                comments,
                votes,
                tokens,
            })
        })
    })
    .await
}

/// Changes the display name, bio or password. A password change needs the current password and
/// a signed-in session (not an API token), and signs out every other session.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.id))]
pub async fn update_me(db: &Db, caller: &AuthUser, input: UpdateMeRequest) -> DomainResult<Me> {
    let mut changes = accounts::ProfileChanges::default();
    if let Some(name) = &input.display_name {
        changes.display_name = Some(DomainError::check(
            "display_name",
            validate::display_name(name),
        )?);
    }
    if let Some(bio) = &input.bio {
        changes.bio = Some(DomainError::check("bio", validate::bio(bio))?);
    }
    let user_id = caller.id;
    let keep_session = match (input.new_password, input.current_password) {
        (None, None) => None,
        (None, Some(_)) => {
            return Err(DomainError::invalid_field(
                "new_password",
                "is required with current_password",
            ))
        }
        (Some(_), None) => {
            return Err(DomainError::invalid_field(
                "current_password",
                "is required to change the password",
            ))
        }
        (Some(new), Some(current)) => {
            let session_id = caller.require_session()?;
            let user = db.run(move |conn| find_user(conn, user_id)).await?;
            DomainError::check(
                "new_password",
                validate::password(&new, &user.username, user.email.as_deref()),
            )?;
            let stored = user.password_hash;
            let hash = blocking(move || {
                password::verify(&current, stored.as_deref())
                    .then(|| password::hash(&new))
                    .transpose()
            })
            .await?
            .map_err(DomainError::Internal)?
            .ok_or_else(|| DomainError::invalid_field("current_password", "is not correct"))?;
            changes.password_hash = Some(Some(hash));
            Some(session_id)
        }
    };
    changes.updated_at = Some(models::now());
    let user = db
        .run(move |conn| {
            write_transaction(conn, |conn| {
                accounts::update_profile(conn, user_id, &changes)?;
                if let Some(keep) = keep_session {
                    let ended = accounts::revoke_user_sessions(
                        conn,
                        user_id,
                        Some(keep),
                        "password_change",
                        models::now(),
                    )?;
                    tracing::info!(user.id = %user_id, sessions.ended = ended, "password changed");
                }
                find_user(conn, user_id)
            })
        })
        .await?;
    Ok(me(&user))
}

fn token_info(token: &accounts::ApiToken) -> ApiTokenInfo {
    ApiTokenInfo {
        id: token.id,
        name: token.name.clone(),
        prefix: tokens::display_prefix(&token.lookup),
        created_at: token.created_at.and_utc(),
        expires_at: token.expires_at.map(|t| t.and_utc()),
        last_used_at: token.last_used_at.map(|t| t.and_utc()),
    }
}

/// The caller's live API tokens (never their secrets).
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.id))]
pub async fn list_tokens(db: &Db, caller: &AuthUser) -> DomainResult<ApiTokenList> {
    let id = caller.id;
    let rows = db
        .run(move |conn| -> DomainResult<_> {
            Ok(accounts::list_api_tokens(conn, id, models::now())?)
        })
        .await?;
    Ok(ApiTokenList {
        items: rows.iter().map(token_info).collect(),
    })
}

/// Creates a personal API token for scripts, from a signed-in session only. The token is in
/// this answer only; the database keeps its hash.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.id))]
pub async fn create_token(
    db: &Db,
    limits: &RateLimits,
    caller: &AuthUser,
    input: CreateApiTokenRequest,
) -> DomainResult<CreatedApiToken> {
    caller.require_session()?;
    let name = input.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 60 || name.chars().any(char::is_control) {
        return Err(DomainError::invalid_field(
            "name",
            "must be 1 to 60 characters",
        ));
    }
    let lifetime = match input.expires_in_days {
        None => None,
        Some(days) if (1..=3650).contains(&days) => Some(Duration::days(days)),
        Some(_) => {
            return Err(DomainError::invalid_field(
                "expires_in_days",
                "must be between 1 and 3650",
            ))
        }
    };
    let limits = limits.clone();
    let new = tokens::new_api_token();
    let (lookup, secret_hash, user_id) = (new.lookup.clone(), new.secret_hash.clone(), caller.id);
    let stored = db
        .run(move |conn| -> DomainResult<_> {
            limits.create_token(conn, user_id)?;
            let now = models::now();
            Ok(accounts::insert_api_token(
                conn,
                user_id,
                &name,
                &lookup,
                &secret_hash,
                now,
                lifetime.map(|d| now + d),
            )?)
        })
        .await?;
    Ok(CreatedApiToken {
        token: new.token,
        info: token_info(&stored),
    })
}

/// Revokes one of the caller's API tokens at once.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %caller.id, token.id = id))]
pub async fn revoke_token(db: &Db, caller: &AuthUser, id: i64) -> DomainResult<()> {
    let user_id = caller.id;
    let revoked = db
        .run(move |conn| -> DomainResult<_> {
            Ok(accounts::revoke_api_token(
                conn,
                user_id,
                id,
                models::now(),
            )?)
        })
        .await?;
    if revoked {
        Ok(())
    } else {
        Err(DomainError::not_found(format!(
            "you have no API token {id}"
        )))
    }
}

/// `shortscience create-admin`: makes `username` an admin, creating the account (with `email`
/// and `password`) if it does not exist. An existing account keeps its password. Returns what
/// was done, for the terminal.
pub fn create_admin(
    conn: &mut DbConn,
    username: &str,
    email: Option<&str>,
    password: &str,
) -> anyhow::Result<String> {
    let username = username.trim();
    if let Some(user) = accounts::find_by_username(conn, username)? {
        accounts::set_role(conn, user.id, Role::Admin, models::now())?;
        return Ok(format!("{} is now an admin", user.username));
    }
    validate::username(username).map_err(|m| anyhow::anyhow!("username {m}"))?;
    let email = email
        .map(str::trim)
        .ok_or_else(|| anyhow::anyhow!("--email is required to create a new account"))?;
    validate::email(email).map_err(|m| anyhow::anyhow!("email {m}"))?;
    validate::password(password, username, Some(email))
        .map_err(|m| anyhow::anyhow!("password {m}"))?;
    let hash = password::hash(password)?;
    write_transaction(conn, |conn| -> anyhow::Result<()> {
        anyhow::ensure!(
            !accounts::email_taken(conn, email, None)?,
            "an account with this email exists"
        );
        let now = models::now();
        accounts::insert_user(
            conn,
            &accounts::NewUser {
                username,
                email: Some(email),
                display_name: None,
                password_hash: Some(&hash),
                bio: "",
                role: Role::Admin,
                suspended: false,
                created_at: now,
                updated_at: now,
            },
        )?;
        Ok(())
    })?;
    Ok(format!("created admin account {username}"))
}

//! New accounts: registration (signed in at once) and `create-admin` for a fresh install.

use std::net::IpAddr;

use diesel::QueryResult;
use shortscience_types::{ErrorCode, FieldError, RegisterRequest, Role, UserId};

use super::session::{new_session, start_session};
use super::{find_user, NewSession};
use crate::db::models::{self, accounts};
use crate::db::{write_transaction, Db, DbConn};
use crate::domain::auth::{password, JwtKeys};
use crate::domain::limits::RateLimits;
use crate::domain::{blocking, validate, DomainError, DomainResult};

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

/// Inserts an account that signs in with a password: no bio, not suspended, created now.
fn insert_account(
    conn: &mut DbConn,
    username: &str,
    email: &str,
    display_name: Option<&str>,
    password_hash: &str,
    role: Role,
) -> QueryResult<UserId> {
    let now = models::now();
    accounts::insert_user(
        conn,
        &accounts::NewUser {
            username,
            email: Some(email),
            display_name,
            password_hash: Some(password_hash),
            bio: "",
            role,
            suspended: false,
            created_at: now,
            updated_at: now,
        },
    )
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
                let id = insert_account(
                    conn,
                    &username,
                    &email,
                    display_name.as_deref(),
                    &hash,
                    Role::User,
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
        insert_account(conn, username, email, None, &hash, Role::Admin)?;
        Ok(())
    })?;
    Ok(format!("created admin account {username}"))
}

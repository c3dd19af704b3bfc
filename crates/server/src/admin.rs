//! `shortscience create-admin`: the first admin of a fresh install.

use crate::auth::password;
use crate::db::models::{self, accounts};
use crate::db::{write_transaction, DbConn};
use crate::validate;

/// Makes `username` an admin, creating the account (with `email` and `password`) if it does not
/// exist. An existing account keeps its password. Returns what was done, for the terminal.
pub fn create_admin(
    conn: &mut DbConn,
    username: &str,
    email: Option<&str>,
    password: &str,
) -> anyhow::Result<String> {
    let username = username.trim();
    if let Some(user) = accounts::find_by_username(conn, username)? {
        accounts::set_role(conn, user.id, "admin", models::now())?;
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
                role: "admin",
                suspended: false,
                created_at: now,
                updated_at: now,
            },
        )?;
        Ok(())
    })?;
    Ok(format!("created admin account {username}"))
}

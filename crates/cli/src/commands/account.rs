//! `me`, `export` and `login`.

use std::io::{BufRead, IsTerminal, Write};

use shortscience_types::{CreateApiTokenRequest, LoginRequest};

use super::{client, Context};
use crate::cli::{GlobalArgs, LoginArgs};
use crate::config::{self, StoredConfig};
use crate::error::CliError;
use crate::output::text::field;
use crate::output::time::ago;
use crate::output::{bold, dim, paint, Printer};

pub async fn me(ctx: &Context) -> Result<(), CliError> {
    let me = ctx.call(ctx.client.get_me()).await?;
    if ctx.out.json {
        return ctx.out.print_json(&me);
    }
    let mut lines = vec![paint(bold(), &me.username)];
    if let Some(name) = &me.display_name {
        lines.push(field("Name", name));
    }
    if let Some(email) = &me.email {
        lines.push(field("Email", email));
    }
    lines.push(field("Role", me.role.as_str()));
    if me.suspended {
        lines.push(field("Suspended", "yes (you can read but not write)"));
    }
    lines.push(field("Joined", ago(me.created_at)));
    if !me.bio.trim().is_empty() {
        lines.push(String::new());
        lines.extend(crate::output::text::wrap(&me.bio, ctx.out.width, ""));
    }
    lines.push(String::new());
    lines.push(paint(dim(), format!("on {}", ctx.api)));
    ctx.out.lines(&lines)
}

/// Everything the server keeps about the caller. It is a data dump, so it is JSON in both
/// modes.
pub async fn export(ctx: &Context) -> Result<(), CliError> {
    let data = ctx.call(ctx.client.export_me()).await?;
    ctx.out.print_json(&data)
}

/// Signs in with a username and password, creates a personal API token, and stores it.
///
/// The password is read without echo from the terminal; when standard input is not a terminal
/// (scripts, tests) the username (unless `--username` is given) and the password are its first
/// lines. The browser-style session used to create the token is ended right after: only the
/// token, which can be revoked on its own, is kept.
pub async fn login(global: &GlobalArgs, args: LoginArgs, out: Printer) -> Result<(), CliError> {
    let stored = config::load()?;
    let api = global
        .api
        .clone()
        .filter(|api| !api.trim().is_empty())
        .or_else(|| stored.as_ref().map(|s| s.api.clone()))
        .unwrap_or_else(|| crate::cli::DEFAULT_API.to_owned());
    let (username, password) = credentials(args.username)?;
    let anonymous = client(&api, None)?;
    let fail = |error| CliError::Api {
        error,
        api: api.clone(),
    };
    let signed_in = anonymous
        .login(&LoginRequest {
            username: username.clone(),
            password,
        })
        .await
        .map_err(fail)?;
    let session = anonymous
        .with_token(&signed_in.session.access_token)
        .map_err(fail)?;
    let name = args.token_name.unwrap_or_else(default_token_name);
    let created = session
        .create_token(&CreateApiTokenRequest {
            name,
            expires_in_days: args.expires_in_days,
        })
        .await
        .map_err(fail);
    // End the session whatever happened: it was only needed to create the token.
    let _ = session.logout(signed_in.refresh_token.as_deref()).await;
    let created = created?;
    let path = config::save(&StoredConfig {
        api: api.clone(),
        token: created.token.clone(),
        username: Some(signed_in.session.user.username.clone()),
    })?;
    if out.json {
        // The token's description, never its secret (it is in the config file).
        return out.print_json(&created.info);
    }
    let expiry = match created.info.expires_at {
        Some(at) => format!("expires {}", at.format("%Y-%m-%d")),
        None => "does not expire".to_owned(),
    };
    out.lines(&[
        format!(
            "Signed in to {api} as {}.",
            paint(bold(), &signed_in.session.user.username)
        ),
        format!(
            "Created the API token \"{}\" ({}…, {expiry}) and saved it in {}.",
            created.info.name,
            created.info.prefix,
            path.display()
        ),
        paint(
            dim(),
            "Revoke it from the web app's account page when you no longer need it.",
        ),
    ])
}

/// `shortsci on <hostname>`.
fn default_token_name() -> String {
    let host = gethostname::gethostname()
        .to_string_lossy()
        .trim()
        .to_owned();
    let name = if host.is_empty() {
        "shortsci".to_owned()
    } else {
        format!("shortsci on {host}")
    };
    // The server takes 1 to 60 characters.
    name.chars().take(60).collect()
}

/// The username (from the flag or asked) and the password (asked without echo on a terminal,
/// else the next line of standard input).
fn credentials(username: Option<String>) -> Result<(String, String), CliError> {
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    let mut lines = stdin.lock();
    let username = match username {
        Some(name) => name,
        None => {
            if interactive {
                eprint!("Username or email: ");
                let _ = std::io::stderr().flush();
            }
            read_line(&mut lines, "username")?
        }
    };
    let username = username.trim().to_owned();
    if username.is_empty() {
        return Err(CliError::Usage("the username is empty".into()));
    }
    let password = if interactive {
        rpassword::prompt_password("Password: ")
            .map_err(|e| CliError::Local(format!("cannot read the password: {e}")))?
    } else {
        read_line(&mut lines, "password")?
    };
    if password.is_empty() {
        return Err(CliError::Usage("the password is empty".into()));
    }
    Ok((username, password))
}

/// One line of standard input, without its line break.
fn read_line(input: &mut impl BufRead, what: &str) -> Result<String, CliError> {
    let mut line = String::new();
    let read = input
        .read_line(&mut line)
        .map_err(|e| CliError::Local(format!("cannot read the {what}: {e}")))?;
    if read == 0 {
        return Err(CliError::Usage(format!(
            "no {what} given: standard input ended"
        )));
    }
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

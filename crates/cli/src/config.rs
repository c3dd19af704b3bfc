//! Where the server is and who the user is: flags, then environment (both read by clap), then
//! the file `shortsci login` writes, then the default.
//!
//! The file is `<config dir>/shortscience/config.json` (`$XDG_CONFIG_HOME` or `~/.config` on
//! Linux), readable by its owner only (0600, in a 0700 directory), because it holds a token.
//! Its token is only used for the server it was created on: pointing `--api` elsewhere does not
//! send it there.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::cli::{GlobalArgs, DEFAULT_API};
use crate::error::CliError;

/// What `shortsci login` stores.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredConfig {
    /// The server the token belongs to.
    pub api: String,
    /// The personal API token (`ss_…`).
    pub token: String,
    /// Who signed in (for messages only).
    #[serde(default)]
    pub username: Option<String>,
}

/// The server and token a command uses.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub api: String,
    pub token: Option<String>,
}

/// The config file's path, when the platform has a config directory.
pub fn path() -> Option<PathBuf> {
    dirs::config_dir().map(|dir| dir.join("shortscience").join("config.json"))
}

/// The stored config, if there is one.
pub fn load() -> Result<Option<StoredConfig>, CliError> {
    let Some(path) = path() else {
        return Ok(None);
    };
    load_from(&path)
}

fn load_from(path: &Path) -> Result<Option<StoredConfig>, CliError> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(CliError::Local(format!(
                "cannot read {}: {e}",
                path.display()
            )))
        }
    };
    serde_json::from_str(&text).map(Some).map_err(|e| {
        CliError::Local(format!(
            "{} is not a valid shortsci config ({e}); delete it and run `shortsci login` again",
            path.display()
        ))
    })
}

/// Resolves the server and token: `--api`/`SHORTSCIENCE_API`, else the stored server, else
/// the default; `--token`/`SHORTSCIENCE_TOKEN`, else the stored token when it belongs to that
/// server.
pub fn resolve(global: &GlobalArgs) -> Result<Resolved, CliError> {
    let stored = load()?;
    Ok(resolve_with(global, stored.as_ref()))
}

fn resolve_with(global: &GlobalArgs, stored: Option<&StoredConfig>) -> Resolved {
    let given = global
        .api
        .as_deref()
        .map(str::trim)
        .filter(|api| !api.is_empty());
    let api = given
        .map(str::to_owned)
        .or_else(|| stored.map(|s| s.api.clone()))
        .unwrap_or_else(|| DEFAULT_API.to_owned());
    let token = global
        .token
        .as_deref()
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .map(str::to_owned)
        .or_else(|| {
            stored
                .filter(|s| same_server(&s.api, &api))
                .map(|s| s.token.clone())
        });
    Resolved { api, token }
}

/// Whether two server URLs name the same server (ignoring a trailing `/` or `/api/v1`).
fn same_server(a: &str, b: &str) -> bool {
    fn root(url: &str) -> String {
        let url = url.trim().trim_end_matches('/');
        url.strip_suffix("/api/v1")
            .unwrap_or(url)
            .to_ascii_lowercase()
    }
    root(a) == root(b)
}

/// Writes the config, readable by its owner only, and returns where.
pub fn save(config: &StoredConfig) -> Result<PathBuf, CliError> {
    let path = path().ok_or_else(|| {
        CliError::Local("this system has no configuration directory to store the token in".into())
    })?;
    save_to(&path, config)?;
    Ok(path)
}

fn save_to(path: &Path, config: &StoredConfig) -> Result<(), CliError> {
    let local = |what: &str, e: std::io::Error| CliError::Local(format!("cannot {what}: {e}"));
    let dir = path
        .parent()
        .ok_or_else(|| CliError::Local(format!("{} has no directory", path.display())))?;
    create_private_dir(dir).map_err(|e| local(&format!("create {}", dir.display()), e))?;
    let text = serde_json::to_string_pretty(config)
        .map_err(|e| CliError::Local(format!("cannot encode the config: {e}")))?;
    // Write a private temporary file beside it, then rename: the token is never readable by
    // others, not even briefly, and a crash leaves the old file whole.
    let temporary = dir.join(".config.json.tmp");
    let _ = fs::remove_file(&temporary);
    let mut file = private_file(&temporary)
        .map_err(|e| local(&format!("create {}", temporary.display()), e))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.write_all(b"\n"))
        .and_then(|()| file.sync_all())
        .map_err(|e| local(&format!("write {}", temporary.display()), e))?;
    fs::rename(&temporary, path).map_err(|e| local(&format!("write {}", path.display()), e))?;
    Ok(())
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)
}

#[cfg(unix)]
fn private_file(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn private_file(path: &Path) -> std::io::Result<fs::File> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn global(api: Option<&str>, token: Option<&str>) -> GlobalArgs {
        GlobalArgs {
            api: api.map(str::to_owned),
            token: token.map(str::to_owned),
            json: false,
        }
    }

    fn stored() -> StoredConfig {
        StoredConfig {
            api: "https://ss.example.org".into(),
            token: "ss_stored".into(),
            username: Some("ada".into()),
        }
    }

    #[test]
    fn flags_and_environment_win_over_the_stored_config_over_the_default() {
        let r = resolve_with(&global(None, None), None);
        assert_eq!((r.api.as_str(), r.token), (DEFAULT_API, None));
        let r = resolve_with(&global(None, None), Some(&stored()));
        assert_eq!(r.api, "https://ss.example.org");
        assert_eq!(r.token.as_deref(), Some("ss_stored"));
        let r = resolve_with(&global(None, Some("ss_flag")), Some(&stored()));
        assert_eq!(r.token.as_deref(), Some("ss_flag"));
    }

    #[test]
    fn the_stored_token_is_never_sent_to_another_server() {
        let r = resolve_with(
            &global(Some("http://elsewhere:8080"), None),
            Some(&stored()),
        );
        assert_eq!(r.token, None);
        let r = resolve_with(
            &global(Some("https://ss.example.org/api/v1/"), None),
            Some(&stored()),
        );
        assert_eq!(r.token.as_deref(), Some("ss_stored"));
    }

    #[cfg(unix)]
    #[test]
    fn the_config_is_written_for_its_owner_only_and_read_back() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shortscience").join("config.json");
        save_to(&path, &stored()).unwrap();
        save_to(&path, &stored()).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dir_mode = fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(dir_mode, 0o700);
        assert_eq!(load_from(&path).unwrap(), Some(stored()));
        assert_eq!(load_from(&dir.path().join("none.json")).unwrap(), None);
        fs::write(&path, "not json").unwrap();
        assert!(matches!(load_from(&path), Err(CliError::Local(_))));
    }
}

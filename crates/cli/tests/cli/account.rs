//! The account: `me`, a bad token, `login` storing a private config, `export`, and the
//! completion and manual generators.

use predicates::prelude::*;
use predicates::str::contains;

use crate::{json, shortsci, Setup};
use shortscience_server::testing::PASSWORD;

#[test]
fn me_shows_the_account_and_a_bad_token_exits_1() {
    let setup = Setup::new("ada");
    setup
        .shortsci()
        .arg("me")
        .assert()
        .success()
        .stdout(contains("ada"))
        .stdout(contains("Role: user"));
    let output = setup
        .shortsci()
        .args(["me", "--json"])
        .assert()
        .success()
        .get_output()
        .clone();
    let me = json(&output);
    assert_eq!(me["username"], "ada");
    assert_eq!(me["email"], "ada@example.org");

    setup
        .bare()
        .args(["me", "--token", "ss_this_is_not_a_token"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains("401 invalid_token"))
        .stderr(contains("shortsci login"));
    // No token at all: the server says who it needs.
    setup
        .bare()
        .arg("me")
        .assert()
        .code(1)
        .stderr(contains("401 unauthenticated"));
    // A server that is not there is a network error, exit 1.
    shortsci("http://127.0.0.1:9", setup.home.path())
        .arg("feed")
        .assert()
        .code(1)
        .stderr(contains("could not reach the server"))
        .stderr(contains("http://127.0.0.1:9"));
}

#[test]
fn login_reads_standard_input_and_stores_a_private_token() {
    let setup = Setup::new("grace");
    setup
        .bare()
        .arg("login")
        .write_stdin(format!("grace\n{PASSWORD}\n"))
        .assert()
        .success()
        .stdout(contains("Signed in to"))
        .stdout(contains("as grace"));
    let path = setup
        .home
        .path()
        .join(".config")
        .join("shortscience")
        .join("config.json");
    let stored: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(stored["token"].as_str().unwrap().starts_with("ss_"));
    assert_eq!(stored["api"], setup.server.address);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // Later commands use the stored token, without SHORTSCIENCE_TOKEN.
    setup
        .bare()
        .args(["me", "--json"])
        .assert()
        .success()
        .stdout(contains("\"username\": \"grace\""));
    // The token is named after the machine and the session that created it is over.
    let tokens = setup.run(async {
        let session = setup.server.client();
        let signed_in = session
            .login(&shortscience_client::types::LoginRequest {
                username: "grace".into(),
                password: PASSWORD.into(),
            })
            .await
            .unwrap();
        session
            .with_token(&signed_in.session.access_token)
            .unwrap()
            .list_tokens()
            .await
            .unwrap()
    });
    assert!(
        tokens.iter().any(|t| t.name.starts_with("shortsci")),
        "{tokens:?}"
    );

    // A wrong password is the server's refusal: exit 1, nothing stored over the old config.
    setup
        .bare()
        .args(["login", "--username", "grace"])
        .write_stdin("wrong password entirely\n")
        .assert()
        .code(1)
        .stderr(contains("invalid_credentials"));
    // No password at all is bad input: exit 2.
    setup
        .bare()
        .args(["login", "--username", "grace"])
        .write_stdin("")
        .assert()
        .code(2);
}

#[test]
fn export_prints_json_or_the_problem() {
    // `GET /me/export` is added on the server separately: accept its JSON, or its absence.
    let setup = Setup::new("exporter");
    let output = setup.shortsci().arg("export").output().unwrap();
    match output.status.code() {
        Some(0) => assert!(json(&output).is_object()),
        Some(1) => assert!(String::from_utf8_lossy(&output.stderr).contains("404")),
        other => panic!("unexpected exit {other:?}"),
    }
}

#[test]
fn completions_and_the_manual_are_generated() {
    let home = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        shortsci("http://127.0.0.1:9", home.path())
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(contains("shortsci"))
            .stdout(contains("summary"));
    }
    shortsci("http://127.0.0.1:9", home.path())
        .arg("man")
        .assert()
        .success()
        .stdout(contains(".TH shortsci"))
        .stdout(contains("SHORTSCIENCE_TOKEN"));
    shortsci("http://127.0.0.1:9", home.path())
        .arg("--help")
        .assert()
        .success()
        .stdout(
            contains("paper")
                .and(contains("feed"))
                .and(contains("login")),
        );
}

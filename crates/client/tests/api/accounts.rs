//! Health, sessions, the caller's account, API tokens and profiles.

use shortscience_client::types::{
    AdminUpdateUserRequest, CreateApiTokenRequest, ErrorCode, LoginRequest, Role, UpdateMeRequest,
};

use shortscience_server::testing::{TestServer, PASSWORD};

#[tokio::test]
async fn health_says_which_database_answers() {
    let server = TestServer::start();
    let client = server.client();
    let health = client.get_health().await.unwrap();
    assert_eq!(
        (health.status.as_str(), health.database.as_str()),
        ("ok", "sqlite")
    );
    assert_eq!(client.get_liveness().await.unwrap().status, "ok");
}

#[tokio::test]
async fn sessions_sign_in_refresh_create_tokens_and_sign_out() {
    let server = TestServer::start();
    let anonymous = server.client();
    let _ = server.token_for("ada").await;

    let signed_in = anonymous
        .login(&LoginRequest {
            username: "ada".into(),
            password: PASSWORD.into(),
        })
        .await
        .unwrap();
    assert_eq!(signed_in.session.user.username, "ada");
    let refresh = signed_in.refresh_token.clone().expect("the refresh cookie");
    assert!(
        !format!("{signed_in:?}").contains(&refresh),
        "the token stays out of logs"
    );

    // Each refresh token works once and brings a new one.
    let refreshed = anonymous.refresh_session(&refresh).await.unwrap();
    let next = refreshed
        .refresh_token
        .clone()
        .expect("a new refresh cookie");
    assert_ne!(next, refresh);
    let reused = anonymous.refresh_session(&refresh).await.unwrap_err();
    assert_eq!(reused.code(), Some(ErrorCode::RefreshTokenReused));

    // A signed-in session creates, lists and revokes personal tokens.
    let wrong = anonymous
        .login(&LoginRequest {
            username: "ada".into(),
            password: "not the password at all".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), Some(ErrorCode::InvalidCredentials));
    let again = anonymous
        .login(&LoginRequest {
            username: "ada".into(),
            password: PASSWORD.into(),
        })
        .await
        .unwrap();
    let session = anonymous.with_token(&again.session.access_token).unwrap();
    let created = session
        .create_token(&CreateApiTokenRequest {
            name: "scripts".into(),
            expires_in_days: Some(30),
        })
        .await
        .unwrap();
    assert!(created.token.starts_with("ss_"));
    let scripted = anonymous.with_token(&created.token).unwrap();
    assert_eq!(scripted.get_me().await.unwrap().username, "ada");
    let tokens = session.list_tokens().await.unwrap();
    assert!(tokens
        .iter()
        .any(|t| t.id == created.info.id && t.name == "scripts"));
    session.delete_token(created.info.id).await.unwrap();
    let revoked = scripted.get_me().await.unwrap_err();
    assert_eq!(revoked.code(), Some(ErrorCode::InvalidToken));

    // Signing out ends the session: its refresh token no longer works.
    session
        .logout(again.refresh_token.as_deref())
        .await
        .unwrap();
    let ended = anonymous
        .refresh_session(again.refresh_token.as_deref().unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(
            ended.code(),
            Some(ErrorCode::InvalidRefreshToken | ErrorCode::RefreshTokenReused)
        ),
        "{ended:?}"
    );
}

#[tokio::test]
async fn the_caller_edits_their_profile_and_others_see_it() {
    let server = TestServer::start();
    let grace = server.user("grace").await;
    let me = grace
        .update_me(&UpdateMeRequest {
            display_name: Some("Grace Hopper".into()),
            bio: Some("Compilers.".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(me.display_name.as_deref(), Some("Grace Hopper"));
    assert_eq!(me.role, Role::User);

    let profile = server.client().get_user("grace").await.unwrap();
    assert_eq!(profile.bio, "Compilers.");
    assert_eq!(profile.summary_count, 0);
    let error = server.client().get_user("nobody-here").await.unwrap_err();
    assert!(error.is_not_found());

    // Only admins change roles.
    let error = grace
        .update_user(
            "grace",
            &AdminUpdateUserRequest {
                role: Some(Role::Admin),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403), "{error:?}");
}

#[tokio::test]
async fn export_answers_json_or_a_typed_problem() {
    // `GET /me/export` is implemented by the server separately; until it is, this is a 404.
    let server = TestServer::start();
    let user = server.user("exporter").await;
    match user.export_me().await {
        Ok(data) => assert!(data.is_object(), "{data}"),
        Err(error) => assert_eq!(error.status().map(|s| s.as_u16()), Some(404), "{error:?}"),
    }
}

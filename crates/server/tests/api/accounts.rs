//! Accounts, sessions, API tokens, roles and profiles over real HTTP.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use shortscience_types::{
    ApiTokenList, AuthSession, CreatedApiToken, Me, Role, UserProfile, UserSummaryPage,
};

use crate::helpers::*;

pub const PASSWORD: &str = "correct horse battery staple";

/// A signed-in test user: their access token and refresh cookie value.
#[derive(Debug, Clone)]
pub struct Account {
    pub username: String,
    pub access: String,
    pub refresh: String,
}

/// The `ss_refresh` value a response sets, if any.
pub fn refresh_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("ss_refresh="))
        .map(|c| {
            c["ss_refresh=".len()..]
                .split(';')
                .next()
                .unwrap_or_default()
                .to_owned()
        })
}

impl TestApp {
    pub async fn post_json(
        &self,
        path: &str,
        body: &Value,
        bearer: Option<&str>,
    ) -> reqwest::Response {
        self.send(Method::POST, path, Some(body), bearer).await
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        bearer: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self.client.request(method, self.url(path));
        if let Some(body) = body {
            request = request.json(body);
        }
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request")
    }

    pub async fn register(&self, username: &str) -> Account {
        let response = self
            .post_json(
                "/api/v1/auth/register",
                &json!({"username": username, "email": format!("{username}@example.org"), "password": PASSWORD}),
                None,
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "registering {username}"
        );
        let refresh = refresh_cookie(&response).expect("a refresh cookie");
        let session: AuthSession = response.json().await.unwrap();
        Account {
            username: username.to_owned(),
            access: session.access_token,
            refresh,
        }
    }

    pub async fn login(&self, username: &str, password: &str) -> reqwest::Response {
        self.post_json(
            "/api/v1/auth/login",
            &json!({"username": username, "password": password}),
            None,
        )
        .await
    }

    pub async fn refresh_with(&self, cookie: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/auth/refresh"))
            .header("cookie", format!("ss_refresh={cookie}"))
            .send()
            .await
            .unwrap()
    }

    /// GETs `path` with a bearer token, asserts 200, decodes the body.
    pub async fn get_json_as<T: serde::de::DeserializeOwned>(&self, path: &str, bearer: &str) -> T {
        let response = self.send(Method::GET, path, None, Some(bearer)).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.json().await.unwrap()
    }

    pub async fn me(&self, bearer: &str) -> reqwest::Response {
        self.send(Method::GET, "/api/v1/me", None, Some(bearer))
            .await
    }

    /// Makes `username` an admin or moderator directly, as `create-admin` would.
    pub fn set_role(&self, username: &str, role: Role) {
        self.with_conn(|conn| {
            let user = shortscience_server::db::models::accounts::find_by_username(conn, username)
                .unwrap()
                .unwrap();
            shortscience_server::db::models::accounts::set_role(
                conn,
                user.id,
                role,
                shortscience_server::db::models::now(),
            )
            .unwrap();
        });
    }

    /// The server's signing secret, to forge tokens with.
    pub fn signing_secret(&self) -> Vec<u8> {
        use base64::Engine as _;
        use diesel::prelude::*;
        use shortscience_server::db::schema::server_secrets;
        let value: String = self.with_conn(|conn| {
            server_secrets::table
                .find("jwt_signing_key")
                .select(server_secrets::value)
                .first(conn)
                .unwrap()
        });
        base64::engine::general_purpose::STANDARD
            .decode(value)
            .unwrap()
    }
}

backend_test! {
    async fn registering_signs_in_with_an_httponly_strict_refresh_cookie(app) {
        let response = app
            .post_json("/api/v1/auth/register", &json!({"username": "Ada", "email": "ada@example.org", "password": PASSWORD, "display_name": " Ada L. "}), None)
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let set_cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
        for attribute in ["HttpOnly", "SameSite=Strict", "Path=/api/v1/auth", "Max-Age="] {
            assert!(set_cookie.contains(attribute), "{set_cookie}");
        }
        let session: AuthSession = response.json().await.unwrap();
        assert_eq!(session.token_type, "Bearer");
        assert!(session.expires_in <= 15 * 60 && session.expires_in > 0);
        assert_eq!(session.user.username, "Ada");
        assert_eq!(session.user.display_name.as_deref(), Some("Ada L."));
        assert_eq!(session.user.role, Role::User);
        let me: Me = app.me(&session.access_token).await.json().await.unwrap();
        assert_eq!(me, session.user);
        // The password is stored as an Argon2id hash at the OWASP baseline.
        let hash = app.with_conn(|c| shortscience_server::db::models::accounts::find_by_username(c, "ada").unwrap().unwrap().password_hash.unwrap());
        assert!(hash.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"), "{hash}");
    }
}

backend_test! {
    async fn registration_errors_name_the_field(app) {
        app.register("grace").await;
        for (body, status, code, field) in [
            (json!({"username": "x", "email": "x@example.org", "password": PASSWORD}), 422, "validation_failed", "username"),
            (json!({"username": "bad name", "email": "x@example.org", "password": PASSWORD}), 422, "validation_failed", "username"),
            (json!({"username": "xavier", "email": "not-an-email", "password": PASSWORD}), 422, "validation_failed", "email"),
            (json!({"username": "xavier", "email": "x@example.org", "password": "short"}), 422, "validation_failed", "password"),
            (json!({"username": "xavier", "email": "x@example.org", "password": "password123"}), 422, "validation_failed", "password"),
            (json!({"username": "xavier", "email": "x@example.org", "password": "y".repeat(129) + "z1"}), 422, "validation_failed", "password"),
            (json!({"username": "GRACE", "email": "other@example.org", "password": PASSWORD}), 409, "username_taken", "username"),
            (json!({"username": "xavier", "email": "Grace@Example.org", "password": PASSWORD}), 409, "email_taken", "email"),
            (json!({"username": "xavier", "email": "x@example.org", "password": PASSWORD, "role": "admin"}), 400, "malformed_body", "role"),
            (json!({"username": "xavier", "email": "x@example.org"}), 400, "malformed_body", "password"),
        ] {
            let response = app.post_json("/api/v1/auth/register", &body, None).await;
            let problem = assert_problem(response, StatusCode::from_u16(status).unwrap(), code).await;
            assert_eq!(problem.field(), Some(field), "{body}");
        }
        let wrong_type = app.client.post(app.url("/api/v1/auth/register")).body("username=x").header("content-type", "application/x-www-form-urlencoded").send().await.unwrap();
        assert_problem(wrong_type, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type").await;
        // Nothing was half-created: the role field was refused, not ignored.
        assert_eq!(app.login("xavier", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    }
}

backend_test! {
    async fn login_works_by_username_or_email_and_failures_do_not_reveal_which_was_wrong(app) {
        app.register("hopper").await;
        for name in ["hopper", "HOPPER", "hopper@example.org", "Hopper@Example.ORG"] {
            assert_eq!(app.login(name, PASSWORD).await.status(), StatusCode::OK, "{name}");
        }
        let mut wrong_password = assert_problem(app.login("hopper", "not the password").await, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
        let mut no_such_user = assert_problem(app.login("nobody", PASSWORD).await, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
        // Each answer names its own request; everything else is the same.
        assert_ne!(wrong_password.request_id, no_such_user.request_id);
        wrong_password.request_id = None;
        no_such_user.request_id = None;
        assert_eq!(wrong_password, no_such_user);
    }
}

backend_test! {
    async fn refresh_rotates_and_a_replayed_token_ends_the_whole_session(app) {
        let account = app.register("turing").await;
        let first = app.refresh_with(&account.refresh).await;
        assert_eq!(first.status(), StatusCode::OK);
        let second_cookie = refresh_cookie(&first).unwrap();
        assert_ne!(second_cookie, account.refresh);
        let session: AuthSession = first.json().await.unwrap();
        let second = app.refresh_with(&second_cookie).await;
        assert_eq!(second.status(), StatusCode::OK);
        let third_cookie = refresh_cookie(&second).unwrap();

        // Replaying the first refresh token: refused, and the family is revoked.
        let replay = app.refresh_with(&account.refresh).await;
        assert!(replay.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
        assert_problem(replay, StatusCode::UNAUTHORIZED, "refresh_token_reused").await;
        assert_problem(app.refresh_with(&third_cookie).await, StatusCode::UNAUTHORIZED, "invalid_refresh_token").await;
        assert_problem(app.me(&session.access_token).await, StatusCode::UNAUTHORIZED, "invalid_token").await;
        // Another login is unaffected by that session's end.
        assert_eq!(app.login("turing", PASSWORD).await.status(), StatusCode::OK);
    }
}

backend_test! {
    async fn refresh_without_a_valid_cookie_or_from_another_site_is_refused(app) {
        let account = app.register("lamport").await;
        let none = app.client.post(app.url("/api/v1/auth/refresh")).send().await.unwrap();
        assert_problem(none, StatusCode::UNAUTHORIZED, "invalid_refresh_token").await;
        assert_problem(app.refresh_with("garbage").await, StatusCode::UNAUTHORIZED, "invalid_refresh_token").await;
        let forged = format!("{}{}", &account.refresh[..17], "A".repeat(43));
        assert_problem(app.refresh_with(&forged).await, StatusCode::UNAUTHORIZED, "invalid_refresh_token").await;
        let cross = app.client.post(app.url("/api/v1/auth/refresh"))
            .header("cookie", format!("ss_refresh={}", account.refresh))
            .header("origin", "https://evil.example")
            .send().await.unwrap();
        assert_problem(cross, StatusCode::FORBIDDEN, "cross_origin").await;
        // The refused cross-site attempt did not use the token up.
        assert_eq!(app.refresh_with(&account.refresh).await.status(), StatusCode::OK);
    }
}

backend_test! {
    async fn logout_ends_the_session_for_both_tokens(app) {
        let account = app.register("liskov").await;
        let response = app.client.post(app.url("/api/v1/auth/logout"))
            .header("cookie", format!("ss_refresh={}", account.refresh))
            .send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        assert!(response.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
        assert_problem(app.me(&account.access).await, StatusCode::UNAUTHORIZED, "invalid_token").await;
        assert_problem(app.refresh_with(&account.refresh).await, StatusCode::UNAUTHORIZED, "invalid_refresh_token").await;

        // A stale access token does not stop a sign-out by cookie.
        let stale = app.register("liskov3").await;
        let response = app.client.post(app.url("/api/v1/auth/logout"))
            .header("cookie", format!("ss_refresh={}", stale.refresh))
            .bearer_auth("expired.or.garbage")
            .send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        assert_problem(app.refresh_with(&stale.refresh).await, StatusCode::UNAUTHORIZED, "invalid_refresh_token").await;

        // Logging out with only the access token works too.
        let again = app.register("liskov2").await;
        let response = app.send(Method::POST, "/api/v1/auth/logout", None, Some(&again.access)).await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        assert_problem(app.me(&again.access).await, StatusCode::UNAUTHORIZED, "invalid_token").await;
    }
}

fn sign(secret: &[u8], claims: Value, alg: jsonwebtoken::Algorithm) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(alg),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret),
    )
    .unwrap()
}

backend_test! {
    async fn expired_tampered_foreign_wrong_audience_and_unsigned_tokens_are_401(app) {
        let account = app.register("dijkstra").await;
        let secret = app.signing_secret();
        let parts: Vec<&str> = account.access.split('.').collect();
        let claims: Value = {
            use base64::Engine as _;
            serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap()
        };
        let now = chrono::Utc::now().timestamp();
        let mut expired = claims.clone();
        expired["iat"] = json!(now - 3600);
        expired["exp"] = json!(now - 1800);
        let mut wrong_aud = claims.clone();
        wrong_aud["aud"] = json!("another-service");
        let mut other_user = claims.clone();
        other_user["sub"] = json!("999999");
        let b64 = |s: &str| { use base64::Engine as _; base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s) };
        let alg_none = format!("{}.{}.", b64(r#"{"alg":"none","typ":"JWT"}"#), parts[1]);
        let tampered = format!("{}.{}.{}", parts[0], b64(&other_user.to_string()), parts[2]);
        let cases = [
            ("expired", sign(&secret, expired, jsonwebtoken::Algorithm::HS256)),
            ("wrong audience", sign(&secret, wrong_aud, jsonwebtoken::Algorithm::HS256)),
            ("other key", sign(&[9u8; 32], claims.clone(), jsonwebtoken::Algorithm::HS256)),
            ("HS512", sign(&secret, claims.clone(), jsonwebtoken::Algorithm::HS512)),
            ("alg none", alg_none),
            ("tampered", tampered),
            ("garbage", "not.a.token".to_owned()),
            ("unknown api token", format!("ss_{}", "0".repeat(59))),
        ];
        for (what, token) in cases {
            let response = app.me(&token).await;
            assert!(response.headers()["www-authenticate"].to_str().unwrap().starts_with("Bearer"), "{what}");
            assert_problem(response, StatusCode::UNAUTHORIZED, "invalid_token").await;
        }
        // The genuine token still works, and a missing one is a plain 401.
        assert_eq!(app.me(&account.access).await.status(), StatusCode::OK);
        let anonymous = app.get("/api/v1/me").await;
        assert_problem(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        let basic = app.client.get(app.url("/api/v1/me")).header("authorization", "Basic YWRhOnB3").send().await.unwrap();
        assert_problem(basic, StatusCode::UNAUTHORIZED, "invalid_token").await;
    }
}

backend_test! {
    async fn api_tokens_are_shown_once_work_as_bearer_and_die_when_revoked(app) {
        let account = app.register("knuth").await;
        let response = app.post_json("/api/v1/me/tokens", &json!({"name": "backup script", "expires_in_days": 30}), Some(&account.access)).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let created: CreatedApiToken = response.json().await.unwrap();
        assert!(created.token.starts_with("ss_") && created.token.starts_with(&created.info.prefix));
        assert!(created.info.expires_at.is_some());

        let me: Me = app.me(&created.token).await.json().await.unwrap();
        assert_eq!(me.username, "knuth");
        let patched = app.send(Method::PATCH, "/api/v1/me", Some(&json!({"bio": "TeX"})), Some(&created.token)).await;
        assert_eq!(patched.status(), StatusCode::OK);

        let list: ApiTokenList = app.get_json_as("/api/v1/me/tokens", &account.access).await;
        assert_eq!(list.items.len(), 1);
        assert!(list.items[0].last_used_at.is_some(), "last use is recorded");
        let listed = serde_json::to_string(&list).unwrap();
        assert!(!listed.contains(&created.token[created.info.prefix.len()..]), "secrets are never listed");
        // Only a hash is stored.
        let stored: Vec<String> = app.with_conn(|c| {
            use diesel::prelude::*;
            use shortscience_server::db::schema::api_tokens;
            api_tokens::table.select(api_tokens::secret_hash).load(c).unwrap()
        });
        assert!(stored.iter().all(|h| !created.token.contains(h.as_str()) && h.len() == 64));

        // A token cannot mint tokens.
        let minted = app.post_json("/api/v1/me/tokens", &json!({"name": "child"}), Some(&created.token)).await;
        assert_problem(minted, StatusCode::FORBIDDEN, "session_required").await;

        let deleted = app.send(Method::DELETE, &format!("/api/v1/me/tokens/{}", created.info.id), None, Some(&account.access)).await;
        assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
        assert_problem(app.me(&created.token).await, StatusCode::UNAUTHORIZED, "invalid_token").await;
        let again = app.send(Method::DELETE, &format!("/api/v1/me/tokens/{}", created.info.id), None, Some(&account.access)).await;
        assert_problem(again, StatusCode::NOT_FOUND, "not_found").await;
        let listed: ApiTokenList = app.get_json_as("/api/v1/me/tokens", &account.access).await;
        assert!(listed.items.is_empty());
    }
}

backend_test! {
    async fn expired_api_tokens_are_refused_and_token_input_is_validated(app) {
        let account = app.register("hoare").await;
        for (body, field) in [
            (json!({"name": ""}), "name"),
            (json!({"name": "x".repeat(61)}), "name"),
            (json!({"name": "ok", "expires_in_days": 0}), "expires_in_days"),
            (json!({"name": "ok", "expires_in_days": 99999}), "expires_in_days"),
        ] {
            let problem = assert_problem(app.post_json("/api/v1/me/tokens", &body, Some(&account.access)).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
            assert_eq!(problem.field(), Some(field));
        }
        let created: CreatedApiToken = app.post_json("/api/v1/me/tokens", &json!({"name": "short-lived", "expires_in_days": 1}), Some(&account.access)).await.json().await.unwrap();
        app.with_conn(|c| {
            use diesel::prelude::*;
            use shortscience_server::db::schema::api_tokens;
            diesel::update(api_tokens::table.find(created.info.id))
                .set(api_tokens::expires_at.eq(Some(chrono::Utc::now().naive_utc() - chrono::Duration::minutes(1))))
                .execute(c).unwrap();
        });
        assert_problem(app.me(&created.token).await, StatusCode::UNAUTHORIZED, "invalid_token").await;
    }
}

backend_test! {
    async fn profile_edits_and_password_changes(app) {
        let account = app.register("lovelace").await;
        let other_session: AuthSession = app.login("lovelace", PASSWORD).await.json().await.unwrap();

        let response = app.send(Method::PATCH, "/api/v1/me", Some(&json!({"display_name": "Ada Lovelace", "bio": "Notes on the Analytical Engine."})), Some(&account.access)).await;
        let me: Me = response.json().await.unwrap();
        assert_eq!(me.display_name.as_deref(), Some("Ada Lovelace"));
        assert_eq!(me.bio, "Notes on the Analytical Engine.");

        for (body, status, code, field) in [
            (json!({"role": "admin"}), 400, "malformed_body", "role"),
            (json!({"id": 1}), 400, "malformed_body", "id"),
            (json!({"display_name": "x".repeat(61)}), 422, "validation_failed", "display_name"),
            (json!({"new_password": "another long secret"}), 422, "validation_failed", "current_password"),
            (json!({"current_password": "wrong wrong wrong", "new_password": "another long secret"}), 422, "validation_failed", "current_password"),
            (json!({"current_password": PASSWORD, "new_password": "short"}), 422, "validation_failed", "new_password"),
        ] {
            let problem = assert_problem(app.send(Method::PATCH, "/api/v1/me", Some(&body), Some(&account.access)).await, StatusCode::from_u16(status).unwrap(), code).await;
            assert_eq!(problem.field(), Some(field), "{body}");
        }

        let changed = app.send(Method::PATCH, "/api/v1/me", Some(&json!({"current_password": PASSWORD, "new_password": "another long secret"})), Some(&account.access)).await;
        assert_eq!(changed.status(), StatusCode::OK);
        // This session goes on; the other one ended.
        assert_eq!(app.me(&account.access).await.status(), StatusCode::OK);
        assert_problem(app.me(&other_session.access_token).await, StatusCode::UNAUTHORIZED, "invalid_token").await;
        assert_eq!(app.login("lovelace", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(app.login("lovelace", "another long secret").await.status(), StatusCode::OK);
    }
}

backend_test! {
    async fn admins_set_roles_and_suspend_and_suspended_users_read_but_cannot_write(app) {
        let admin = app.register("root-admin").await;
        app.set_role("root-admin", Role::Admin);
        let user = app.register("mallory").await;
        let token: CreatedApiToken = app.post_json("/api/v1/me/tokens", &json!({"name": "bot"}), Some(&user.access)).await.json().await.unwrap();

        let promoted: UserProfile = app.send(Method::PATCH, "/api/v1/users/mallory", Some(&json!({"role": "moderator", "reason": "helpful"})), Some(&admin.access)).await.json().await.unwrap();
        assert_eq!(promoted.role, Role::Moderator);
        let me: Me = app.me(&user.access).await.json().await.unwrap();
        assert_eq!(me.role, Role::Moderator, "role changes apply at once");

        let suspended = app.send(Method::PATCH, "/api/v1/users/MALLORY", Some(&json!({"suspended": true, "reason": "spam"})), Some(&admin.access)).await;
        let profile: UserProfile = suspended.json().await.unwrap();
        assert!(profile.suspended);
        // Their sessions ended.
        assert_problem(app.me(&user.access).await, StatusCode::UNAUTHORIZED, "invalid_token").await;
        assert_problem(app.refresh_with(&user.refresh).await, StatusCode::UNAUTHORIZED, "invalid_refresh_token").await;
        // They can sign in and read, but every write is refused.
        let session: AuthSession = app.login("mallory", PASSWORD).await.json().await.unwrap();
        assert!(session.user.suspended);
        assert_eq!(app.me(&session.access_token).await.status(), StatusCode::OK);
        assert_eq!(app.me(&token.token).await.status(), StatusCode::OK);
        for bearer in [&session.access_token, &token.token] {
            let write = app.send(Method::PATCH, "/api/v1/me", Some(&json!({"bio": "hi"})), Some(bearer)).await;
            assert_problem(write, StatusCode::FORBIDDEN, "account_suspended").await;
        }

        // Admins cannot lock themselves out; others cannot administer.
        let own = app.send(Method::PATCH, "/api/v1/users/root-admin", Some(&json!({"role": "user"})), Some(&admin.access)).await;
        assert_problem(own, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        let bystander = app.register("bystander").await;
        let refused = app.send(Method::PATCH, "/api/v1/users/mallory", Some(&json!({"suspended": false})), Some(&bystander.access)).await;
        assert_problem(refused, StatusCode::FORBIDDEN, "forbidden").await;
        let nothing = app.send(Method::PATCH, "/api/v1/users/mallory", Some(&json!({})), Some(&admin.access)).await;
        assert_problem(nothing, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        let unknown = app.send(Method::PATCH, "/api/v1/users/nobody", Some(&json!({"suspended": true})), Some(&admin.access)).await;
        assert_problem(unknown, StatusCode::NOT_FOUND, "not_found").await;

        // Every change is in the moderation log.
        let actions: Vec<String> = app.with_conn(|c| {
            use diesel::prelude::*;
            use shortscience_server::db::schema::moderation_log;
            moderation_log::table.order(moderation_log::id).select(moderation_log::action).load(c).unwrap()
        });
        assert_eq!(actions, ["set_role", "suspend"]);
    }
}

backend_test! {
    async fn create_admin_makes_the_first_admin(app) {
        let outcome = app.with_conn(|c| shortscience_server::domain::accounts::create_admin(c, "boss", Some("boss@example.org"), PASSWORD)).unwrap();
        assert!(outcome.contains("created"), "{outcome}");
        let session: AuthSession = app.login("boss", PASSWORD).await.json().await.unwrap();
        assert_eq!(session.user.role, Role::Admin);
        app.register("promotee").await;
        let outcome = app.with_conn(|c| shortscience_server::domain::accounts::create_admin(c, "promotee", None, "")).unwrap();
        assert!(outcome.contains("now an admin"), "{outcome}");
        let weak = app.with_conn(|c| shortscience_server::domain::accounts::create_admin(c, "newboss", Some("n@example.org"), "short"));
        assert!(weak.is_err());
    }
}

backend_test! {
    async fn profiles_show_reputation_from_public_signed_summaries(app, Options::demo()) {
        let profile: UserProfile = app.get_json("/api/v1/users/MIRA").await;
        assert_eq!(profile.username, "mira");
        assert_eq!(profile.display_name.as_deref(), Some("Mira Chen"));
        // ELECTRA (+3) and NeRF (+3).
        assert_eq!((profile.reputation, profile.summary_count), (6, 2));
        let page: UserSummaryPage = app.get_json("/api/v1/users/mira/summaries?limit=1").await;
        assert_eq!(page.items.len(), 1);
        let cursor = page.next_cursor.clone().unwrap();
        let next: UserSummaryPage = app.get_json(&format!("/api/v1/users/mira/summaries?limit=1&cursor={cursor}")).await;
        assert_eq!(next.items.len(), 1);
        assert_eq!(next.next_cursor, None);
        let titles: Vec<_> = page.items.iter().chain(&next.items).map(|s| s.paper.title.clone()).collect();
        assert!(titles[0].starts_with("ELECTRA") && titles[1].starts_with("NeRF"), "{titles:?}");

        // Anonymous summaries count neither in the list nor in reputation.
        app.with_conn(|c| {
            use diesel::prelude::*;
            use shortscience_server::db::schema::summaries;
            diesel::update(summaries::table.filter(summaries::score.eq(3)).filter(summaries::paper_id.eq(1)))
                .set(summaries::anonymous.eq(true)).execute(c).unwrap();
        });
        let after: UserProfile = app.get_json("/api/v1/users/mira").await;
        assert_eq!((after.reputation, after.summary_count), (3, 1));
        assert_problem(app.get("/api/v1/users/nobody").await, StatusCode::NOT_FOUND, "not_found").await;
        assert_problem(app.get("/api/v1/users/nobody/summaries").await, StatusCode::NOT_FOUND, "not_found").await;
    }
}

backend_test! {
    async fn oversized_bodies_are_413_problem_json(app) {
        let big = "x".repeat(10 * 1024 * 1024);
        for content_type in ["application/json", "text/plain"] {
            let response = app.client.post(app.url("/api/v1/auth/login")).header("content-type", content_type).body(big.clone()).send().await.unwrap();
            assert_problem(response, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
        }
        // Over the JSON limit but under the request limit, announced or streamed.
        let medium = format!("{{\"username\": \"{}\", \"password\": \"x\"}}", "a".repeat(300 * 1024));
        let response = app.client.post(app.url("/api/v1/auth/login")).header("content-type", "application/json").body(medium).send().await.unwrap();
        assert_problem(response, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    }
}

backend_test! {
    async fn concurrent_registrations_of_one_name_create_one_account(app) {
        let attempts = (0..8).map(|n| {
            let body = json!({"username": "racer", "email": format!("racer{n}@example.org"), "password": PASSWORD});
            let request = app.client.post(app.url("/api/v1/auth/register")).json(&body);
            async move { request.send().await.unwrap().status().as_u16() }
        });
        let mut statuses = futures_join_all(attempts).await;
        statuses.sort_unstable();
        assert_eq!(statuses, [201, 409, 409, 409, 409, 409, 409, 409]);
    }
}

/// Runs futures concurrently on the test's runtime.
async fn futures_join_all<F: std::future::Future<Output = u16> + 'static>(
    futures: impl Iterator<Item = F>,
) -> Vec<u16> {
    let handles: Vec<_> = futures.map(actix_web::rt::spawn).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}

backend_test! {
    async fn the_export_holds_everything_the_caller_wrote_and_no_secret(app) {
        use shortscience_types::AccountExport;
        let writer = app.register("exporter").await;
        let other = app.register("neighbour").await;
        let paper = crate::summaries::paper(&app, &writer, "Exported Paper").await;
        // A private, anonymous summary, then edited: two versions.
        let response = crate::summaries::write(&app, &writer, paper, json!({"body_markdown": "First version.", "anonymous": true, "visibility": "private"})).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let mine: Value = response.json().await.unwrap();
        let mine = mine["id"].as_i64().unwrap();
        let response = app.send(Method::PATCH, &format!("/api/v1/summaries/{mine}"), Some(&json!({"body_markdown": "Second version.", "visibility": "public"})), Some(&writer.access)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let theirs = crate::summaries::summary(&app, &other, paper, "The neighbour's summary.").await;
        assert_eq!(crate::summaries::vote(&app, &writer, theirs, 1).await.status(), StatusCode::OK);
        let response = app.post_json(&format!("/api/v1/summaries/{theirs}/comments"), &json!({"body_markdown": "A comment of mine."}), Some(&writer.access)).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let response = app.post_json("/api/v1/me/tokens", &json!({"name": "export script"}), Some(&writer.access)).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let created: Value = response.json().await.unwrap();
        let secret = created["token"].as_str().unwrap().to_owned();

        let response = app.client.get(app.url("/api/v1/me/export")).bearer_auth(&writer.access).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
        let raw = response.text().await.unwrap();
        let export: AccountExport = serde_json::from_str(&raw).unwrap();
        assert_eq!(export.account.username, "exporter");
        assert_eq!(export.summaries.len(), 1);
        let summary = &export.summaries[0];
        assert_eq!((summary.id.0, summary.paper_title.as_str(), summary.anonymous), (mine, "Exported Paper", true));
        let versions: Vec<&str> = summary.revisions.iter().map(|r| r.body_markdown.as_str()).collect();
        assert_eq!(versions, ["First version.", "Second version."]);
        assert_eq!(export.comments.len(), 1);
        assert_eq!(export.comments[0].body_markdown, "A comment of mine.");
        assert_eq!(export.votes.len(), 1);
        assert_eq!((export.votes[0].summary_id.0, export.votes[0].value), (theirs, 1));
        assert_eq!(export.tokens.len(), 1);
        assert_eq!(export.tokens[0].name, "export script");
        // Nothing of anyone else, and no secret of the caller's.
        assert!(!raw.contains("The neighbour's summary"));
        for secret in [secret.as_str(), "password", "share_token", "$argon2"] {
            assert!(!raw.contains(secret), "the export holds `{secret}`");
        }
        // Only for the signed-in.
        assert_problem(app.get("/api/v1/me/export").await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    }
}

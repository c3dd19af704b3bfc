//! Every write endpoint × every kind of caller, with the status each must get. A new write
//! endpoint belongs in this table.

use reqwest::{Method, StatusCode};
use serde_json::json;
use shortscience_types::{CreatedApiToken, Role};

use crate::accounts::{Account, PASSWORD};
use crate::helpers::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Actor {
    Anonymous,
    Other,
    Owner,
    Moderator,
    Admin,
    Suspended,
}

const ACTORS: [Actor; 6] = [
    Actor::Anonymous,
    Actor::Other,
    Actor::Owner,
    Actor::Moderator,
    Actor::Admin,
    Actor::Suspended,
];

/// The cast: `owner` owns the resources under test; `suspended` is suspended (and acts on its
/// own resources).
struct Cast {
    other: Account,
    owner: Account,
    moderator: Account,
    admin: Account,
    suspended: Account,
    owner_token: shortscience_types::ApiTokenId,
    suspended_token: shortscience_types::ApiTokenId,
    owner_paper: i64,
    owner_summary: i64,
    owner_comment: i64,
}

async fn cast(app: &TestApp) -> Cast {
    let other = app.register("other").await;
    let owner = app.register("owner").await;
    let moderator = app.register("moder").await;
    app.set_role("moder", Role::Moderator);
    let admin = app.register("admin1").await;
    app.set_role("admin1", Role::Admin);
    let suspended = app.register("suspect").await;
    let token = |account: &Account| {
        let access = account.access.clone();
        async move {
            let created: CreatedApiToken = app
                .post_json("/api/v1/me/tokens", &json!({"name": "t"}), Some(&access))
                .await
                .json()
                .await
                .unwrap();
            created.info.id
        }
    };
    let owner_token = token(&owner).await;
    let paper: shortscience_types::PaperDetail = app
        .post_json(
            "/api/v1/papers",
            &json!({"title": "The Owner's Paper", "authors": ["O. Wner"], "doi": "10.5555/matrix"}),
            Some(&owner.access),
        )
        .await
        .json()
        .await
        .unwrap();
    let owner_paper = paper.id.0;
    let owner_summary =
        crate::summaries::summary(app, &owner, owner_paper, "The owner's summary").await;
    let owner_comment = comment(app, &owner, owner_summary).await;
    let suspended_token = token(&suspended).await;
    let response = app
        .send(
            Method::PATCH,
            "/api/v1/users/suspect",
            Some(&json!({"suspended": true})),
            Some(&admin.access),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    // Suspension ended their session; they sign in again to act.
    let session: shortscience_types::AuthSession =
        app.login("suspect", PASSWORD).await.json().await.unwrap();
    let suspended = Account {
        access: session.access_token,
        ..suspended
    };
    Cast {
        other,
        owner,
        moderator,
        admin,
        suspended,
        owner_token,
        suspended_token,
        owner_paper,
        owner_summary,
        owner_comment,
    }
}

async fn comment(app: &TestApp, account: &Account, summary: i64) -> i64 {
    let created: shortscience_types::Comment = app
        .post_json(
            &format!("/api/v1/summaries/{summary}/comments"),
            &json!({"body_markdown": "The owner's comment"}),
            Some(&account.access),
        )
        .await
        .json()
        .await
        .unwrap();
    created.id.0
}

impl Cast {
    fn account(&self, actor: Actor) -> Option<&Account> {
        match actor {
            Actor::Anonymous => None,
            Actor::Other => Some(&self.other),
            Actor::Owner => Some(&self.owner),
            Actor::Moderator => Some(&self.moderator),
            Actor::Admin => Some(&self.admin),
            Actor::Suspended => Some(&self.suspended),
        }
    }
}

/// One endpoint's row: how to call it as an actor, and the expected status per actor
/// (in the order of [`ACTORS`]).
struct Row {
    name: &'static str,
    expected: [u16; 6],
}

async fn call(app: &TestApp, cast: &Cast, row: &str, actor: Actor, n: usize) -> StatusCode {
    let bearer = cast.account(actor).map(|a| a.access.as_str());
    let response = match row {
        "POST /auth/register" => {
            app.send(Method::POST, "/api/v1/auth/register", Some(&json!({"username": format!("new{n}"), "email": format!("new{n}@example.org"), "password": PASSWORD})), bearer).await
        }
        "POST /auth/login" => {
            app.send(Method::POST, "/api/v1/auth/login", Some(&json!({"username": "owner", "password": PASSWORD})), bearer).await
        }
        "POST /auth/refresh" => {
            // Each signed-in actor presents a fresh refresh token of their own.
            let mut request = app.client.post(app.url("/api/v1/auth/refresh"));
            if let Some(account) = cast.account(actor) {
                let login = app.login(&account.username, PASSWORD).await;
                let cookie = crate::accounts::refresh_cookie(&login).unwrap();
                request = request.header("cookie", format!("ss_refresh={cookie}"));
            }
            request.send().await.unwrap()
        }
        "POST /auth/logout" => {
            // A throwaway session of the actor's, so the cast stays signed in.
            let token = match cast.account(actor) {
                Some(account) => {
                    let session: shortscience_types::AuthSession = app.login(&account.username, PASSWORD).await.json().await.unwrap();
                    Some(session.access_token)
                }
                None => None,
            };
            app.send(Method::POST, "/api/v1/auth/logout", None, token.as_deref()).await
        }
        "PATCH /me" => app.send(Method::PATCH, "/api/v1/me", Some(&json!({"bio": format!("bio {n}")})), bearer).await,
        "POST /me/tokens" => app.send(Method::POST, "/api/v1/me/tokens", Some(&json!({"name": format!("token {n}")})), bearer).await,
        "DELETE /me/tokens/{owner's}" => {
            let id = if actor == Actor::Suspended { cast.suspended_token } else { cast.owner_token };
            app.send(Method::DELETE, &format!("/api/v1/me/tokens/{id}"), None, bearer).await
        }
        "PATCH /users/{owner}" => {
            app.send(Method::PATCH, "/api/v1/users/owner", Some(&json!({"role": if n.is_multiple_of(2) { "moderator" } else { "user" }})), bearer).await
        }
        "POST /papers" => {
            app.send(Method::POST, "/api/v1/papers", Some(&json!({"title": format!("Paper {n}"), "authors": ["A"]})), bearer).await
        }
        "POST /papers/import (known paper)" => {
            app.send(Method::POST, "/api/v1/papers/import", Some(&json!({"doi": "10.5555/MATRIX"})), bearer).await
        }
        "PATCH /papers/{owner's}" => {
            app.send(Method::PATCH, &format!("/api/v1/papers/{}", cast.owner_paper), Some(&json!({"year": 1900 + n})), bearer).await
        }
        "POST /papers/{fresh}/summaries" => {
            let paper = crate::summaries::paper(app, &cast.admin, &format!("Fresh paper {n}")).await;
            app.send(Method::POST, &format!("/api/v1/papers/{paper}/summaries"), Some(&json!({"body_markdown": "mine"})), bearer).await
        }
        "PATCH /summaries/{owner's} (text)" => {
            app.send(Method::PATCH, &format!("/api/v1/summaries/{}", cast.owner_summary), Some(&json!({"body_markdown": format!("edit {n}")})), bearer).await
        }
        "PATCH /summaries/{owner's} (hidden)" => {
            app.send(Method::PATCH, &format!("/api/v1/summaries/{}", cast.owner_summary), Some(&json!({"hidden": false})), bearer).await
        }
        "PUT /summaries/{owner's}/vote" => {
            app.send(Method::PUT, &format!("/api/v1/summaries/{}/vote", cast.owner_summary), Some(&json!({"value": 1})), bearer).await
        }
        "DELETE /summaries/{fresh owner's}" => {
            let paper = crate::summaries::paper(app, &cast.admin, &format!("Doomed paper {n}")).await;
            let summary = crate::summaries::summary(app, &cast.owner, paper, "doomed").await;
            app.send(Method::DELETE, &format!("/api/v1/summaries/{summary}"), None, bearer).await
        }
        "POST /summaries/{owner's}/comments" => {
            app.send(Method::POST, &format!("/api/v1/summaries/{}/comments", cast.owner_summary), Some(&json!({"body_markdown": format!("comment {n}")})), bearer).await
        }
        "PATCH /comments/{owner's} (text)" => {
            app.send(Method::PATCH, &format!("/api/v1/comments/{}", cast.owner_comment), Some(&json!({"body_markdown": format!("edit {n}")})), bearer).await
        }
        "PATCH /comments/{owner's} (hidden)" => {
            app.send(Method::PATCH, &format!("/api/v1/comments/{}", cast.owner_comment), Some(&json!({"hidden": false})), bearer).await
        }
        "DELETE /comments/{fresh owner's}" => {
            let id = comment(app, &cast.owner, cast.owner_summary).await;
            app.send(Method::DELETE, &format!("/api/v1/comments/{id}"), None, bearer).await
        }
        "PUT /me/follows/paper/{owner's}" => {
            app.send(Method::PUT, &format!("/api/v1/me/follows/paper/{}", cast.owner_paper), None, bearer).await
        }
        "DELETE /me/follows/paper/{owner's}" => {
            app.send(Method::DELETE, &format!("/api/v1/me/follows/paper/{}", cast.owner_paper), None, bearer).await
        }
        "POST /me/notifications/read" => {
            app.send(Method::POST, "/api/v1/me/notifications/read", Some(&json!({"all": true})), bearer).await
        }
        "POST /me/notifications/feed/rotate" => {
            app.send(Method::POST, "/api/v1/me/notifications/feed/rotate", None, bearer).await
        }
        "POST /flags (owner's paper)" => {
            app.send(Method::POST, "/api/v1/flags", Some(&json!({"paper_id": cast.owner_paper, "reason": "duplicate"})), bearer).await
        }
        "PATCH /mod/flags/{fresh}" => {
            let flag: shortscience_types::Flag = app.send(Method::POST, "/api/v1/flags", Some(&json!({"comment_id": comment(app, &cast.owner, cast.owner_summary).await, "reason": "spam"})), Some(&cast.other.access)).await.json().await.unwrap();
            app.send(Method::PATCH, &format!("/api/v1/mod/flags/{}", flag.id), Some(&json!({"status": "dismissed"})), bearer).await
        }
        "POST /papers/{owner's}/claims" => {
            let paper: shortscience_types::PaperDetail = app.get_json(&format!("/api/v1/papers/{}", cast.owner_paper)).await;
            app.send(Method::POST, &format!("/api/v1/papers/{}/claims", cast.owner_paper), Some(&json!({"author_id": paper.authors[0].id})), bearer).await
        }
        "PATCH /mod/claims/{fresh}" => {
            let paper: shortscience_types::PaperDetail = app.post_json("/api/v1/papers", &json!({"title": format!("Claimed paper {n}"), "authors": [format!("Author Number {n}")]}), Some(&cast.admin.access)).await.json().await.unwrap();
            let claim: shortscience_types::Claim = app.post_json(&format!("/api/v1/papers/{}/claims", paper.id), &json!({"author_id": paper.authors[0].id}), Some(&cast.other.access)).await.json().await.unwrap();
            app.send(Method::PATCH, &format!("/api/v1/mod/claims/{}", claim.id), Some(&json!({"status": "approved"})), bearer).await
        }
        "POST /render" => {
            app.send(Method::POST, "/api/v1/render", Some(&json!({"markdown": "*hi*"})), bearer).await
        }
        other => panic!("no such row {other}"),
    };
    response.status()
}

backend_test! {
    async fn every_write_endpoint_checks_who_may_call_it(app) {
        let cast = cast(&app).await;
        //                                       anon other owner  mod admin susp
        let rows = [
            Row { name: "POST /auth/register",          expected: [201, 201, 201, 201, 201, 201] },
            Row { name: "POST /auth/login",             expected: [200, 200, 200, 200, 200, 200] },
            Row { name: "POST /auth/refresh",           expected: [401, 200, 200, 200, 200, 200] },
            Row { name: "POST /auth/logout",            expected: [204, 204, 204, 204, 204, 204] },
            Row { name: "PATCH /me",                    expected: [401, 200, 200, 200, 200, 403] },
            Row { name: "POST /me/tokens",              expected: [401, 201, 201, 201, 201, 403] },
            // Only the owner can revoke the owner's token (it is not found for anyone else).
            Row { name: "DELETE /me/tokens/{owner's}",  expected: [401, 404, 204, 404, 404, 403] },
            Row { name: "PATCH /users/{owner}",         expected: [401, 403, 403, 403, 200, 403] },
            Row { name: "POST /papers",                 expected: [401, 201, 201, 201, 201, 403] },
            Row { name: "POST /papers/import (known paper)", expected: [401, 200, 200, 200, 200, 403] },
            // The creator or a moderator.
            Row { name: "PATCH /papers/{owner's}",      expected: [401, 403, 200, 200, 200, 403] },
            Row { name: "POST /papers/{fresh}/summaries", expected: [401, 201, 201, 201, 201, 403] },
            // Text: only the author. Hiding: only moderators and admins.
            Row { name: "PATCH /summaries/{owner's} (text)", expected: [401, 403, 200, 403, 403, 403] },
            Row { name: "PATCH /summaries/{owner's} (hidden)", expected: [401, 403, 403, 200, 200, 403] },
            // Everyone but the author (and the suspended).
            Row { name: "PUT /summaries/{owner's}/vote", expected: [401, 200, 403, 200, 200, 403] },
            Row { name: "DELETE /summaries/{fresh owner's}", expected: [401, 403, 204, 403, 403, 403] },
            Row { name: "POST /summaries/{owner's}/comments", expected: [401, 201, 201, 201, 201, 403] },
            Row { name: "PATCH /comments/{owner's} (text)", expected: [401, 403, 200, 403, 403, 403] },
            Row { name: "PATCH /comments/{owner's} (hidden)", expected: [401, 403, 403, 200, 200, 403] },
            Row { name: "DELETE /comments/{fresh owner's}", expected: [401, 403, 204, 403, 403, 403] },
            // Each signed-in, active user's own follows and private feed.
            Row { name: "PUT /me/follows/paper/{owner's}", expected: [401, 201, 201, 201, 201, 403] },
            Row { name: "DELETE /me/follows/paper/{owner's}", expected: [401, 204, 204, 204, 204, 403] },
            Row { name: "POST /me/notifications/feed/rotate", expected: [401, 201, 201, 201, 201, 403] },
            // Reading one's notifications is not writing content: the suspended may too.
            Row { name: "POST /me/notifications/read", expected: [401, 200, 200, 200, 200, 200] },
            // Anyone signed in and active flags what they can see, and claims authorship;
            // moderators decide.
            Row { name: "POST /flags (owner's paper)",  expected: [401, 201, 201, 201, 201, 403] },
            Row { name: "PATCH /mod/flags/{fresh}",     expected: [401, 403, 403, 200, 200, 403] },
            Row { name: "POST /papers/{owner's}/claims", expected: [401, 201, 201, 201, 201, 403] },
            Row { name: "PATCH /mod/claims/{fresh}",    expected: [401, 403, 403, 200, 200, 403] },
            // The preview writes nothing: open to all (rate-limited per address).
            Row { name: "POST /render",                 expected: [200, 200, 200, 200, 200, 200] },
        ];
        let mut n = 0;
        let mut failures = Vec::new();
        for row in &rows {
            for (actor, expected) in ACTORS.iter().zip(row.expected) {
                n += 1;
                let status = call(&app, &cast, row.name, *actor, n).await;
                if status.as_u16() != expected {
                    failures.push(format!("{} as {actor:?}: expected {expected}, got {status}", row.name));
                }
            }
        }
        assert!(failures.is_empty(), "authorization matrix:\n{}", failures.join("\n"));
    }
}

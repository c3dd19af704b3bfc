//! Profiles: a user's comments (and what they must leave out), follow counts, paging through
//! all summaries, and the verified-author badge on summaries and comments.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use shortscience_types::{
    Claim, CommentThread, PaperDetail, Role, SummaryDetail, UserCommentPage, UserProfile,
    UserSummaryPage,
};

use crate::accounts::Account;
use crate::community::comment;
use crate::helpers::*;
use crate::summaries::{paper, summary, write};

async fn patch(app: &TestApp, account: &Account, path: &str, body: Value) {
    let response = app
        .send(Method::PATCH, path, Some(&body), Some(&account.access))
        .await;
    assert_eq!(response.status(), StatusCode::OK, "PATCH {path} {body}");
}

/// Every comment the profile lists, page by page (`limit` a page), as ids.
async fn all_comments(
    app: &TestApp,
    username: &str,
    limit: usize,
    bearer: Option<&str>,
) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..50 {
        let mut path = format!("/api/v1/users/{username}/comments?limit={limit}");
        if let Some(cursor) = &cursor {
            path.push_str(&format!("&cursor={cursor}"));
        }
        let page: UserCommentPage = match bearer {
            Some(bearer) => app.get_json_as(&path, bearer).await,
            None => app.get_json(&path).await,
        };
        assert!(page.items.len() <= limit);
        ids.extend(page.items.iter().map(|c| c.id.0));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return ids,
        }
    }
    panic!("the comment list never ended");
}

async fn get(app: &TestApp, path: String, bearer: Option<&String>) -> Value {
    match bearer {
        Some(bearer) => app.get_json_as(&path, bearer).await,
        None => app.get_json(&path).await,
    }
}

async fn moderator(app: &TestApp, name: &str) -> Account {
    let account = app.register(name).await;
    app.set_role(name, Role::Moderator);
    account
}

backend_test! {
    async fn a_users_comments_page_newest_first_without_gone_ones_or_those_on_their_anonymous_summaries(app) {
        let ada = app.register("ada").await;
        let bob = app.register("bob").await;
        let carl = app.register("carl").await;
        let moddy = moderator(&app, "moddy").await;
        let papers = [
            paper(&app, &ada, "One").await,
            paper(&app, &ada, "Two").await,
            paper(&app, &ada, "Three").await,
            paper(&app, &ada, "Four").await,
        ];
        let adas = summary(&app, &ada, papers[0], "Ada on one.").await;
        let bobs_signed = summary(&app, &bob, papers[1], "Bob on two, signed.").await;
        let response = write(&app, &bob, papers[0], json!({"body_markdown": "Bob on one, anonymously.", "anonymous": true})).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let bobs_anonymous = response.json::<SummaryDetail>().await.unwrap().summary.id.0;
        let carls_hidden = summary(&app, &carl, papers[1], "Carl on two, to be hidden.").await;
        let carls_private = summary(&app, &carl, papers[2], "Carl on three, to go private.").await;
        let carls_deleted = summary(&app, &carl, papers[3], "Carl on four, to be deleted.").await;

        // Listed: Bob's comments and replies on Ada's summary and on his own signed one.
        let on_adas = comment(&app, &bob, adas, None).await;
        let reply_to_self = comment(&app, &bob, adas, Some(on_adas)).await;
        let on_own_signed = comment(&app, &bob, bobs_signed, None).await;
        // Never listed: on his own anonymous summary, a comment and a reply to Ada there.
        let own_anonymous = comment(&app, &bob, bobs_anonymous, None).await;
        let adas_there = comment(&app, &ada, bobs_anonymous, None).await;
        let reply_as_author = comment(&app, &bob, bobs_anonymous, Some(adas_there)).await;
        // Gone: deleted and hidden comments, comments on hidden, private or deleted summaries.
        let deleted = comment(&app, &bob, adas, None).await;
        let hidden = comment(&app, &bob, adas, None).await;
        let on_hidden = comment(&app, &bob, carls_hidden, None).await;
        let on_private = comment(&app, &bob, carls_private, None).await;
        let on_deleted = comment(&app, &bob, carls_deleted, None).await;
        let last = comment(&app, &bob, adas, Some(on_adas)).await;
        let delete = app.send(Method::DELETE, &format!("/api/v1/comments/{deleted}"), None, Some(&bob.access)).await;
        assert_eq!(delete.status(), StatusCode::NO_CONTENT);
        patch(&app, &moddy, &format!("/api/v1/comments/{hidden}"), json!({"hidden": true, "reason": "rude"})).await;
        patch(&app, &moddy, &format!("/api/v1/summaries/{carls_hidden}"), json!({"hidden": true, "reason": "spam"})).await;
        patch(&app, &carl, &format!("/api/v1/summaries/{carls_private}"), json!({"visibility": "private"})).await;
        let delete = app.send(Method::DELETE, &format!("/api/v1/summaries/{carls_deleted}"), None, Some(&carl.access)).await;
        assert_eq!(delete.status(), StatusCode::NO_CONTENT);

        let expected = vec![last, on_own_signed, reply_to_self, on_adas];
        // Page sizes 1, 2 and 3 walk the same list; signed out, as Bob and as a moderator alike.
        for limit in [1, 2, 3] {
            assert_eq!(all_comments(&app, "bob", limit, None).await, expected, "limit {limit}");
        }
        assert_eq!(all_comments(&app, "BOB", 20, Some(&bob.access)).await, expected);
        assert_eq!(all_comments(&app, "bob", 20, Some(&moddy.access)).await, expected);
        for gone in [own_anonymous, reply_as_author, deleted, hidden, on_hidden, on_private, on_deleted] {
            assert!(!expected.contains(&gone));
        }
        // What an item says: its summary, the paper's id and title, the sanitised body.
        let page: UserCommentPage = app.get_json("/api/v1/users/bob/comments?limit=1").await;
        let item = &page.items[0];
        assert_eq!((item.summary_id.0, item.paper.id.0, item.paper.title.as_str()), (adas, papers[0], "One"));
        assert_eq!(item.parent_id.map(|p| p.0), Some(on_adas));
        assert!(item.body_html.contains("A thought by bob."), "{}", item.body_html);
        // Nothing in the list names an anonymous summary's author.
        let raw = app.get("/api/v1/users/bob/comments?limit=100").await.text().await.unwrap();
        assert!(!raw.contains(&format!("\"summary_id\":{bobs_anonymous}")), "{raw}");
        // Ada's comment on Bob's anonymous summary is hers to list: it says nothing about him.
        assert_eq!(all_comments(&app, "ada", 20, None).await, vec![adas_there]);

        // The profile's count is the list's length.
        let profile: UserProfile = app.get_json("/api/v1/users/bob").await;
        assert_eq!(profile.comment_count, 4);
        // Making a summary anonymous later takes its author's comments there off the profile.
        patch(&app, &bob, &format!("/api/v1/summaries/{bobs_signed}"), json!({"anonymous": true})).await;
        assert_eq!(all_comments(&app, "bob", 2, None).await, vec![last, reply_to_self, on_adas]);
        let profile: UserProfile = app.get_json("/api/v1/users/bob").await;
        assert_eq!(profile.comment_count, 3);

        // GETs carry ETags; a cursor of another list, a bad limit and an unknown user are refused.
        let first = app.get("/api/v1/users/bob/comments").await;
        let etag = first.headers()["etag"].to_str().unwrap().to_owned();
        let again = app.client.get(app.url("/api/v1/users/bob/comments")).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        let bobs: UserSummaryPage = app.get_json("/api/v1/users/bob/summaries").await;
        assert!(bobs.items.is_empty(), "Bob's summaries are all anonymous now");
        let fifth = paper(&app, &ada, "Five").await;
        summary(&app, &ada, fifth, "Ada on five.").await;
        let page: UserSummaryPage = app.get_json("/api/v1/users/ada/summaries?limit=1").await;
        let summary_cursor = page.next_cursor.unwrap();
        let foreign = app.get(&format!("/api/v1/users/bob/comments?cursor={summary_cursor}")).await;
        let problem = assert_problem(foreign, StatusCode::BAD_REQUEST, "invalid_parameter").await;
        assert_eq!(problem.field(), Some("cursor"));
        for limit in ["0", "101"] {
            let problem = assert_problem(app.get(&format!("/api/v1/users/bob/comments?limit={limit}")).await, StatusCode::BAD_REQUEST, "invalid_parameter").await;
            assert_eq!(problem.field(), Some("limit"));
        }
        assert_problem(app.get("/api/v1/users/nobody/comments").await, StatusCode::NOT_FOUND, "not_found").await;
    }
}

backend_test! {
    async fn profiles_count_followers_and_follows_by_kind(app) {
        let ada = app.register("ada").await;
        app.register("bob").await;
        let carl = app.register("carl").await;
        let paper = paper(&app, &ada, "Followed").await;
        for (who, kind, key) in [(&ada, "user", "bob".to_owned()), (&carl, "user", "bob".to_owned()), (&ada, "paper", paper.to_string()), (&ada, "user", "carl".to_owned())] {
            let response = app.send(Method::PUT, &format!("/api/v1/me/follows/{kind}/{key}"), None, Some(&who.access)).await;
            assert_eq!(response.status(), StatusCode::CREATED);
        }
        let bobs: UserProfile = app.get_json("/api/v1/users/bob").await;
        assert_eq!((bobs.followers, bobs.following.total), (2, 0));
        let adas: UserProfile = app.get_json("/api/v1/users/ada").await;
        assert_eq!(adas.followers, 0);
        let f = adas.following;
        assert_eq!((f.users, f.papers, f.venues, f.keywords, f.total), (2, 1, 0, 0, 3));
        // The counts are what Ada sees of her own follows.
        let own: shortscience_types::FollowList = app.get_json_as("/api/v1/me/follows", &ada.access).await;
        assert_eq!(own.counts, adas.following);

        let response = app.send(Method::DELETE, "/api/v1/me/follows/user/bob", None, Some(&carl.access)).await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        let bobs: UserProfile = app.get_json("/api/v1/users/bob").await;
        assert_eq!(bobs.followers, 1);
    }
}

backend_test! {
    async fn a_profile_pages_through_all_its_summaries(app) {
        let ada = app.register("ada").await;
        let mut written = Vec::new();
        for i in 0..45 {
            let paper = paper(&app, &ada, &format!("Paper {i}")).await;
            written.push(summary(&app, &ada, paper, &format!("Summary {i}.")).await);
        }
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("/api/v1/users/ada/summaries?cursor={c}"),
                None => "/api/v1/users/ada/summaries".to_owned(),
            };
            let page: UserSummaryPage = app.get_json(&path).await;
            assert!(page.items.len() <= 20);
            seen.extend(page.items.iter().map(|s| s.id.0));
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        written.reverse();
        assert_eq!(seen, written, "all 45, newest first, each once");
        let profile: UserProfile = app.get_json("/api/v1/users/ada").await;
        assert_eq!(profile.summary_count, 45);
    }
}

backend_test! {
    async fn verified_authors_carry_a_badge_on_their_papers_summaries_and_comments_but_never_anonymously(app) {
        let ada = app.register("ada").await;
        let bob = app.register("bob").await;
        let moddy = moderator(&app, "moddy").await;
        let engine: PaperDetail = app.post_json("/api/v1/papers", &json!({"title": "Notes on the Engine", "authors": ["Ada Lovelace", "Charles Babbage"], "year": 1843}), Some(&ada.access)).await.json().await.unwrap();
        let lovelace = engine.authors[0].id;
        let babbage = engine.authors[1].id;
        let elsewhere: PaperDetail = app.post_json("/api/v1/papers", &json!({"title": "Someone Else's Paper", "authors": ["Someone Else"]}), Some(&bob.access)).await.json().await.unwrap();
        let elsewhere = elsewhere.id.0;
        // Another paper of the same author (the helper's papers are by "Ada Lovelace").
        let later = paper(&app, &bob, "Later Notes").await;
        let later_detail: PaperDetail = app.get_json(&format!("/api/v1/papers/{later}")).await;
        assert_eq!(later_detail.authors[0].id, lovelace);
        let claims = format!("/api/v1/papers/{}/claims", engine.id);
        let claim: Claim = app.post_json(&claims, &json!({"author_id": lovelace, "orcid": "0000-0002-1825-0097"}), Some(&ada.access)).await.json().await.unwrap();
        let bobs_claim: Claim = app.post_json(&claims, &json!({"author_id": babbage}), Some(&bob.access)).await.json().await.unwrap();

        let adas = summary(&app, &ada, engine.id.0, "From the author herself.").await;
        let bobs = summary(&app, &bob, engine.id.0, "A reader's view.").await;
        let adas_elsewhere = summary(&app, &ada, elsewhere, "On a paper she did not write.").await;
        let adas_later = summary(&app, &ada, later, "On her later paper.").await;
        let on_bobs = comment(&app, &ada, bobs, None).await;
        let bob_on_adas = comment(&app, &bob, adas, None).await;
        let ada_replies = comment(&app, &ada, adas, Some(bob_on_adas)).await;
        let badge = |v: &Value| v.get("verified_author").cloned();

        // Pending claims give no badge.
        let detail: Value = app.get_json(&format!("/api/v1/summaries/{adas}")).await;
        assert_eq!(badge(&detail), None);

        patch(&app, &moddy, &format!("/api/v1/mod/claims/{}", claim.id), json!({"status": "approved"})).await;
        patch(&app, &moddy, &format!("/api/v1/mod/claims/{}", bobs_claim.id), json!({"status": "rejected"})).await;
        let expected = json!({"author_id": lovelace, "name": "Ada Lovelace", "orcid": "0000-0002-1825-0097"});

        // On her summary of her paper: the summary page, the paper page and the site feed.
        let detail: Value = app.get_json(&format!("/api/v1/summaries/{adas}")).await;
        assert_eq!(badge(&detail), Some(expected.clone()));
        let page: PaperDetail = app.get_json(&format!("/api/v1/papers/{}", engine.id)).await;
        let on_page = |id: i64| page.summaries.iter().find(|s| s.id.0 == id).unwrap().verified_author.clone();
        assert_eq!(on_page(adas).map(|v| (v.author_id, v.orcid)), Some((lovelace, Some("0000-0002-1825-0097".to_owned()))));
        // Not on Bob's (his claim was rejected), nor on Ada's summary of another paper.
        assert_eq!(on_page(bobs), None);
        let feed: Value = app.get_json("/api/v1/summaries?sort=new").await;
        let in_feed = |id: i64| feed["items"].as_array().unwrap().iter().find(|s| s["id"] == id).cloned().unwrap();
        assert_eq!(badge(&in_feed(adas)), Some(expected.clone()));
        assert_eq!(badge(&in_feed(bobs)), None);
        assert_eq!(badge(&in_feed(adas_elsewhere)), None);
        // Verified as an author, she is verified on every paper of that author.
        assert_eq!(badge(&in_feed(adas_later)), Some(expected.clone()));

        // On her comments about her paper, in threads and on her profile; not on Bob's.
        let thread: Value = app.get_json(&format!("/api/v1/summaries/{bobs}/comments")).await;
        assert_eq!(badge(&thread["items"][0]), Some(expected.clone()));
        let thread: Value = app.get_json(&format!("/api/v1/summaries/{adas}/comments")).await;
        assert_eq!(thread["items"][0]["id"], bob_on_adas);
        assert_eq!(badge(&thread["items"][0]), None);
        assert_eq!(badge(&thread["items"][0]["replies"][0]), Some(expected.clone()));
        let listed: Value = app.get_json("/api/v1/users/ada/comments").await;
        let items = listed["items"].as_array().unwrap();
        assert_eq!(items.iter().map(|c| c["id"].as_i64().unwrap()).collect::<Vec<_>>(), vec![ada_replies, on_bobs]);
        assert!(items.iter().all(|c| badge(c) == Some(expected.clone())));
        let bobs_list: Value = app.get_json("/api/v1/users/bob/comments").await;
        assert_eq!(badge(&bobs_list["items"][0]), None);
        // A comment she posts answers with its badge.
        let response = app.post_json(&format!("/api/v1/summaries/{bobs}/comments"), &json!({"body_markdown": "More."}), Some(&ada.access)).await;
        assert_eq!(badge(&response.json::<Value>().await.unwrap()), Some(expected.clone()));

        // Anonymity first: once her summary is anonymous, neither it nor her replies in its
        // thread carry the badge, to anyone (herself and moderators included), and the replies
        // leave her profile; her comment on Bob's summary keeps it.
        patch(&app, &ada, &format!("/api/v1/summaries/{adas}"), json!({"anonymous": true})).await;
        for bearer in [None, Some(&ada.access), Some(&moddy.access), Some(&bob.access)] {
            let detail = get(&app, format!("/api/v1/summaries/{adas}"), bearer).await;
            assert_eq!(badge(&detail), None, "{bearer:?}");
            let page = get(&app, format!("/api/v1/papers/{}", engine.id), bearer).await;
            let mine = page["summaries"].as_array().unwrap().iter().find(|s| s["id"] == adas).cloned().unwrap();
            assert_eq!(badge(&mine), None, "{bearer:?}");
            let feed = get(&app, "/api/v1/summaries?sort=new".to_owned(), bearer).await;
            let mine = feed["items"].as_array().unwrap().iter().find(|s| s["id"] == adas).cloned().unwrap();
            assert_eq!(badge(&mine), None, "{bearer:?}");
            let thread: CommentThread = serde_json::from_value(get(&app, format!("/api/v1/summaries/{adas}/comments"), bearer).await).unwrap();
            assert_eq!(thread.items[0].replies[0].id.0, ada_replies);
            assert_eq!(thread.items[0].replies[0].verified_author, None, "{bearer:?}");
            let thread = get(&app, format!("/api/v1/summaries/{adas}/comments"), bearer).await;
            assert!(!thread.to_string().contains("verified_author"), "{bearer:?}: {thread}");
        }
        let listed: UserCommentPage = app.get_json("/api/v1/users/ada/comments").await;
        assert!(listed.items.iter().all(|c| c.summary_id.0 == bobs && c.verified_author.is_some()));
        assert_eq!(listed.items.len(), 2);
        // Replying in her anonymous summary's thread answers without a badge too.
        let response = app.post_json(&format!("/api/v1/summaries/{adas}/comments"), &json!({"body_markdown": "Still me.", "parent_id": bob_on_adas}), Some(&ada.access)).await;
        assert_eq!(badge(&response.json::<Value>().await.unwrap()), None);
    }
}

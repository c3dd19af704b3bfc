//! Following, the personal feed, notifications and the private notification feed.

use std::collections::HashSet;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use shortscience_types::{
    Follow, FollowList, NotificationFeedInfo, NotificationFeedStatus, NotificationKind,
    NotificationPage, PaperDetail, Role, SummaryPage, UnreadCount,
};

use crate::accounts::Account;
use crate::helpers::*;
use crate::summaries::{paper, register_many, summary, vote, write};

async fn follow(app: &TestApp, account: &Account, kind: &str, key: &str) -> reqwest::Response {
    app.send(
        Method::PUT,
        &format!("/api/v1/me/follows/{kind}/{key}"),
        None,
        Some(&account.access),
    )
    .await
}

async fn unfollow(app: &TestApp, account: &Account, kind: &str, key: &str) -> reqwest::Response {
    app.send(
        Method::DELETE,
        &format!("/api/v1/me/follows/{kind}/{key}"),
        None,
        Some(&account.access),
    )
    .await
}

/// A paper at a venue with keywords; returns (id, venue slug).
async fn paper_at(
    app: &TestApp,
    account: &Account,
    title: &str,
    venue: &str,
    keywords: &[&str],
) -> (i64, String) {
    let response = app
        .post_json(
            "/api/v1/papers",
            &json!({"title": title, "authors": ["Grace Hopper"], "year": 2021,
                    "venue": {"name": venue, "kind": "conference"}, "keywords": keywords}),
            Some(&account.access),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let paper: PaperDetail = response.json().await.unwrap();
    (paper.id.0, paper.venue.unwrap().slug)
}

/// Comments on `summary` (a reply when `parent` is given) as `account`; returns the comment's id.
pub(crate) async fn comment(
    app: &TestApp,
    account: &Account,
    summary: i64,
    parent: Option<i64>,
) -> i64 {
    let mut body = json!({"body_markdown": format!("A thought by {}.", account.username)});
    if let Some(parent) = parent {
        body["parent_id"] = json!(parent);
    }
    let response = app
        .post_json(
            &format!("/api/v1/summaries/{summary}/comments"),
            &body,
            Some(&account.access),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    created["id"].as_i64().unwrap()
}

async fn notifications(app: &TestApp, account: &Account) -> NotificationPage {
    app.get_json_as("/api/v1/me/notifications?limit=100", &account.access)
        .await
}

fn kinds(page: &NotificationPage) -> Vec<NotificationKind> {
    page.items.iter().map(|n| n.kind).collect()
}

async fn mark_read(app: &TestApp, account: &Account, body: Value) -> reqwest::Response {
    app.post_json(
        "/api/v1/me/notifications/read",
        &body,
        Some(&account.access),
    )
    .await
}

backend_test! {
    async fn follows_are_idempotent_name_their_target_and_refuse_unknown_ones_and_oneself(app) {
        let ada = app.register("ada").await;
        let bob = app.register("bob").await;
        let (paper, venue) = paper_at(&app, &bob, "Attention Is Enough", "NeurIPS", &["cs.LG"]).await;
        let response = follow(&app, &ada, "paper", &paper.to_string()).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let followed: Follow = response.json().await.unwrap();
        assert_eq!((followed.key.as_str(), followed.label.as_str()), (paper.to_string().as_str(), "Attention Is Enough"));
        assert_eq!(followed.link, format!("/papers/{paper}"));
        // Again: already followed.
        assert_eq!(follow(&app, &ada, "paper", &paper.to_string()).await.status(), StatusCode::OK);
        for (kind, key) in [("user", "BOB"), ("venue", venue.as_str()), ("keyword", "cs.lg")] {
            assert_eq!(follow(&app, &ada, kind, key).await.status(), StatusCode::CREATED, "{kind}");
        }
        let list: FollowList = app.get_json_as("/api/v1/me/follows", &ada.access).await;
        assert_eq!((list.counts.papers, list.counts.users, list.counts.venues, list.counts.keywords, list.counts.total), (1, 1, 1, 1, 4));
        let user = list.items.iter().find(|f| f.key == "bob").unwrap();
        assert_eq!(user.link, "/users/bob");

        for (kind, key) in [("paper", "999999"), ("paper", "doi:10.1/none"), ("user", "nobody"), ("venue", "nowhere"), ("keyword", "nothing")] {
            assert_problem(follow(&app, &ada, kind, key).await, StatusCode::NOT_FOUND, "not_found").await;
        }
        let problem = assert_problem(follow(&app, &ada, "user", "ada").await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(problem.errors[0].field, "key");
        let anonymous = app.request(Method::PUT, &format!("/api/v1/me/follows/paper/{paper}")).await;
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(app.get("/api/v1/me/follows").await.status(), StatusCode::UNAUTHORIZED);

        // Unfollowing is idempotent; an unknown target is still not found.
        assert_eq!(unfollow(&app, &ada, "paper", &paper.to_string()).await.status(), StatusCode::NO_CONTENT);
        assert_eq!(unfollow(&app, &ada, "paper", &paper.to_string()).await.status(), StatusCode::NO_CONTENT);
        assert_problem(unfollow(&app, &ada, "venue", "nowhere").await, StatusCode::NOT_FOUND, "not_found").await;
        let list: FollowList = app.get_json_as("/api/v1/me/follows", &ada.access).await;
        assert_eq!((list.counts.papers, list.counts.total), (0, 3));
        let export: Value = app.get_json_as("/api/v1/me/export", &ada.access).await;
        assert_eq!(export["follows"].as_array().map(Vec::len), Some(3), "{export}");
        // Bob's follows are his own.
        let bobs: FollowList = app.get_json_as("/api/v1/me/follows", &bob.access).await;
        assert_eq!(bobs.counts.total, 0);
    }
}

backend_test! {
    async fn the_feed_has_each_followed_kind_never_anonymous_private_or_hidden_and_pages_once(app) {
        let reader = app.register("reader").await;
        let author = app.register("author").await;
        let other = app.register("other").await;
        let moderator = app.register("moder").await;
        app.set_role("moder", Role::Moderator);
        let followed_paper = paper(&app, &other, "A Followed Paper").await;
        let (venue_paper, venue) = paper_at(&app, &other, "At a Venue", "ICML", &[]).await;
        let (keyword_paper, _) = paper_at(&app, &other, "With a Keyword", "Elsewhere", &["stat.ML"]).await;
        let unrelated = paper(&app, &other, "Unrelated").await;
        let by_author_1 = paper(&app, &other, "Author's first").await;
        let by_author_2 = paper(&app, &other, "Author's second").await;
        let by_author_3 = paper(&app, &other, "Author's third").await;
        for (kind, key) in [("paper", followed_paper.to_string()), ("user", "author".to_owned()), ("venue", venue), ("keyword", "stat.ml".to_owned())] {
            assert_eq!(follow(&app, &reader, kind, &key).await.status(), StatusCode::CREATED);
        }
        let mut expected = HashSet::new();
        expected.insert(summary(&app, &other, followed_paper, "On the followed paper").await);
        expected.insert(summary(&app, &other, venue_paper, "At the venue").await);
        expected.insert(summary(&app, &other, keyword_paper, "With the keyword").await);
        expected.insert(summary(&app, &author, by_author_1, "Signed by the author").await);
        // An anonymous summary by the followed author on a paper nobody follows stays out.
        let anonymous = write(&app, &author, by_author_2, json!({"body_markdown": "Anonymous", "anonymous": true})).await;
        assert_eq!(anonymous.status(), StatusCode::CREATED);
        let anonymous: Value = anonymous.json().await.unwrap();
        let private = write(&app, &author, by_author_3, json!({"body_markdown": "Private", "visibility": "private"})).await;
        assert_eq!(private.status(), StatusCode::CREATED);
        let private: Value = private.json().await.unwrap();
        let hidden = summary(&app, &author, unrelated, "Soon hidden").await;
        assert_eq!(follow(&app, &reader, "paper", &unrelated.to_string()).await.status(), StatusCode::CREATED);
        let response = app.send(Method::PATCH, &format!("/api/v1/summaries/{hidden}"), Some(&json!({"hidden": true, "reason": "spam"})), Some(&moderator.access)).await;
        assert_eq!(response.status(), StatusCode::OK);

        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("/api/v1/me/feed?limit=2&cursor={c}"),
                None => "/api/v1/me/feed?limit=2".to_owned(),
            };
            let page: SummaryPage = app.get_json_as(&path, &reader.access).await;
            assert!(page.items.len() <= 2);
            seen.extend(page.items.iter().map(|s| s.summary.id.0));
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(seen.len(), expected.len(), "each summary once: {seen:?}");
        assert_eq!(seen.iter().copied().collect::<HashSet<_>>(), expected);
        assert!(!seen.contains(&anonymous["id"].as_i64().unwrap()));
        assert!(!seen.contains(&private["id"].as_i64().unwrap()));
        // Newest first.
        let mut sorted = seen.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(seen, sorted);
        assert_eq!(app.get("/api/v1/me/feed").await.status(), StatusCode::UNAUTHORIZED);
        assert_problem(
            app.send(Method::GET, "/api/v1/me/feed?cursor=bm9wZQ", None, Some(&reader.access)).await,
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ).await;
    }
}

backend_test! {
    async fn comments_replies_and_new_summaries_notify_those_concerned_and_never_the_actor(app) {
        let writer = app.register("writer").await;
        let commenter = app.register("commenter").await;
        let bystander = app.register("bystander").await;
        let fan = app.register("fan").await;
        let first = paper(&app, &bystander, "First").await;
        let second = paper(&app, &bystander, "Second").await;
        let third = paper(&app, &bystander, "Third").await;
        assert_eq!(follow(&app, &fan, "paper", &first.to_string()).await.status(), StatusCode::CREATED);
        assert_eq!(follow(&app, &fan, "user", "writer").await.status(), StatusCode::CREATED);

        // A signed summary of a followed paper by a followed user: one notification, the paper's.
        let signed = summary(&app, &writer, first, "Signed").await;
        let page = notifications(&app, &fan).await;
        assert_eq!(kinds(&page), vec![NotificationKind::SummaryOnFollowedPaper]);
        assert_eq!(page.items[0].actor.as_ref().unwrap().username, "writer");
        assert_eq!(page.items[0].subject.link, format!("/summaries/{signed}"));
        assert_eq!(page.items[0].subject.title, "First");
        summary(&app, &writer, second, "Signed too").await;
        // Anonymous and private summaries are no news of the writer.
        write(&app, &writer, third, json!({"body_markdown": "Hidden identity", "anonymous": true})).await;
        let page = notifications(&app, &fan).await;
        assert_eq!(kinds(&page), vec![NotificationKind::SummaryByFollowedUser, NotificationKind::SummaryOnFollowedPaper]);
        assert_eq!(page.unread, 2);

        // A comment on the writer's summary, and the writer's own comment: only the first tells them.
        let top = comment(&app, &commenter, signed, None).await;
        comment(&app, &writer, signed, None).await;
        let page = notifications(&app, &writer).await;
        assert_eq!(kinds(&page), vec![NotificationKind::CommentOnSummary]);
        assert_eq!(page.items[0].actor.as_ref().unwrap().username, "commenter");
        assert_eq!(page.items[0].subject.comment_id.map(|c| c.0), Some(top));
        // A reply to the commenter: they hear of it, the summary's writer too, the bystander not.
        comment(&app, &bystander, signed, Some(top)).await;
        assert_eq!(kinds(&notifications(&app, &commenter).await), vec![NotificationKind::ReplyToComment]);
        assert_eq!(kinds(&notifications(&app, &writer).await), vec![NotificationKind::CommentOnSummary, NotificationKind::CommentOnSummary]);
        assert!(notifications(&app, &bystander).await.items.is_empty());
        // Replying to oneself tells nobody new but the summary's writer.
        comment(&app, &commenter, signed, Some(top)).await;
        assert_eq!(notifications(&app, &commenter).await.items.len(), 1);
    }
}

backend_test! {
    async fn an_anonymous_authors_replies_never_name_them(app) {
        let shy = app.register("shy").await;
        let critic = app.register("critic").await;
        let fan = app.register("fan").await;
        let paper = paper(&app, &critic, "Anonymous Work").await;
        assert_eq!(follow(&app, &fan, "paper", &paper.to_string()).await.status(), StatusCode::CREATED);
        let response = write(&app, &shy, paper, json!({"body_markdown": "By nobody", "anonymous": true})).await;
        let anonymous: Value = response.json().await.unwrap();
        let id = anonymous["id"].as_i64().unwrap();
        let news = notifications(&app, &fan).await;
        assert_eq!(kinds(&news), vec![NotificationKind::SummaryOnFollowedPaper]);
        assert!(news.items[0].actor.is_none());
        let question = comment(&app, &critic, id, None).await;
        comment(&app, &shy, id, Some(question)).await;
        let page = notifications(&app, &critic).await;
        assert_eq!(kinds(&page), vec![NotificationKind::ReplyToComment]);
        assert!(page.items[0].actor.is_none(), "{:?}", page.items[0]);
        let raw = app.send(Method::GET, "/api/v1/me/notifications", None, Some(&critic.access)).await.text().await.unwrap();
        assert!(!raw.contains("shy"), "{raw}");
        // The author is told of the question, by name.
        let mine = notifications(&app, &shy).await;
        assert_eq!(mine.items[0].actor.as_ref().unwrap().username, "critic");
    }
}

backend_test! {
    async fn milestones_come_once_and_hiding_tells_the_author_why(app) {
        let author = app.register("author").await;
        let moderator = app.register("moder").await;
        app.set_role("moder", Role::Moderator);
        let voters = register_many(&app, "voter", 10).await;
        let paper = paper(&app, &voters[0], "Popular").await;
        let id = summary(&app, &author, paper, "Good").await;
        assert_eq!(vote(&app, &voters[0], id, 1).await.status(), StatusCode::OK);
        // Down to 0 and up to 1 again: the milestone of 1 is not told twice.
        assert_eq!(vote(&app, &voters[0], id, 0).await.status(), StatusCode::OK);
        assert_eq!(vote(&app, &voters[0], id, 1).await.status(), StatusCode::OK);
        for voter in &voters[1..] {
            assert_eq!(vote(&app, voter, id, 1).await.status(), StatusCode::OK);
        }
        let page = notifications(&app, &author).await;
        let milestones: Vec<Option<i32>> = page.items.iter().map(|n| n.milestone).collect();
        assert_eq!(kinds(&page), vec![NotificationKind::VoteMilestone; 2]);
        assert_eq!(milestones, vec![Some(10), Some(1)]);
        assert!(page.items.iter().all(|n| n.actor.is_none()));
        assert!(notifications(&app, &voters[0]).await.items.is_empty());

        let remark = comment(&app, &voters[1], id, None).await;
        let response = app.send(Method::PATCH, &format!("/api/v1/comments/{remark}"), Some(&json!({"hidden": true, "reason": "off topic"})), Some(&moderator.access)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let theirs = notifications(&app, &voters[1]).await;
        assert_eq!(theirs.items[0].kind, NotificationKind::ContentHidden);
        assert_eq!(theirs.items[0].reason.as_deref(), Some("off topic"));
        assert_eq!(theirs.items[0].subject.comment_id.map(|c| c.0), Some(remark));
        let response = app.send(Method::PATCH, &format!("/api/v1/summaries/{id}"), Some(&json!({"hidden": true, "reason": "plagiarism"})), Some(&moderator.access)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let page = notifications(&app, &author).await;
        assert_eq!(page.items[0].kind, NotificationKind::ContentHidden);
        assert_eq!(page.items[0].reason.as_deref(), Some("plagiarism"));
        assert_eq!(page.items[0].subject.summary_id.map(|s| s.0), Some(id));
        // The commenter can no longer read the hidden summary: their notification keeps only
        // the paper.
        let theirs = notifications(&app, &voters[1]).await;
        assert_eq!((theirs.items[0].subject.summary_id, theirs.items[0].subject.comment_id), (None, None));
        assert_eq!(theirs.items[0].subject.link, format!("/papers/{paper}"));
    }
}

backend_test! {
    async fn marking_read_counts_down_and_touches_only_the_callers_notifications(app) {
        let author = app.register("author").await;
        let other = app.register("other").await;
        let paper = paper(&app, &other, "Discussed").await;
        let id = summary(&app, &author, paper, "Discuss me").await;
        let their = summary(&app, &other, crate::summaries::paper(&app, &author, "Theirs").await, "Theirs").await;
        for _ in 0..3 {
            comment(&app, &other, id, None).await;
        }
        comment(&app, &author, their, None).await;
        let page = notifications(&app, &author).await;
        assert_eq!(page.unread, 3);
        assert!(page.items.iter().all(|n| !n.read));
        let oldest = page.items[2].id.0;
        // Up to the oldest, then the others' ids do not reach past the caller's own.
        let response = mark_read(&app, &author, json!({"up_to": oldest})).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.json::<UnreadCount>().await.unwrap().unread, 2);
        let page = notifications(&app, &author).await;
        assert_eq!(page.items.iter().map(|n| n.read).collect::<Vec<_>>(), vec![false, false, true]);
        // Another user marking everything read changes nothing of the author's.
        let response = mark_read(&app, &other, json!({"all": true})).await;
        assert_eq!(response.json::<UnreadCount>().await.unwrap().unread, 0);
        assert_eq!(notifications(&app, &author).await.unread, 2);
        for (body, field) in [(json!({}), "up_to"), (json!({"up_to": oldest, "all": true}), "up_to"), (json!({"all": false}), "all")] {
            let problem = assert_problem(mark_read(&app, &author, body).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
            assert_eq!(problem.errors[0].field, field);
        }
        let response = mark_read(&app, &author, json!({"all": true})).await;
        assert_eq!(response.json::<UnreadCount>().await.unwrap().unread, 0);
        let response = app.post_json("/api/v1/me/notifications/read", &json!({"all": true}), None).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

        // Pages of one, newest first, each once.
        let first: NotificationPage = app.get_json_as("/api/v1/me/notifications?limit=2", &author.access).await;
        let cursor = first.next_cursor.clone().unwrap();
        let rest: NotificationPage = app.get_json_as(&format!("/api/v1/me/notifications?limit=2&cursor={cursor}"), &author.access).await;
        assert_eq!(rest.items.len(), 1);
        assert!(rest.next_cursor.is_none());
        assert!(rest.items[0].id.0 < first.items[1].id.0);
    }
}

backend_test! {
    async fn the_private_atom_feed_parses_and_rotating_retires_the_old_address(app) {
        let author = app.register("author").await;
        let other = app.register("other").await;
        let paper = paper(&app, &other, "Fed <Paper> & Co").await;
        let id = summary(&app, &author, paper, "Feed me").await;
        comment(&app, &other, id, None).await;

        let status: NotificationFeedStatus = app.get_json_as("/api/v1/me/notifications/feed", &author.access).await;
        assert!(!status.active);
        let rotate = || app.send(Method::POST, "/api/v1/me/notifications/feed/rotate", None, Some(&author.access));
        let response = rotate().await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let first: NotificationFeedInfo = response.json().await.unwrap();
        assert!(first.url.starts_with(&app.address), "{}", first.url);
        let path = first.url.trim_start_matches(&app.address).to_owned();
        let response = app.get(&path).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(content_type(&response).starts_with("application/atom+xml"));
        let body = response.text().await.unwrap();
        let feed = atom_syndication::Feed::read_from(body.as_bytes()).unwrap();
        assert_eq!(feed.entries().len(), 1);
        assert!(feed.entries()[0].title().as_str().contains("commented on your summary"), "{}", feed.entries()[0].title().as_str());
        assert!(feed.entries()[0].title().as_str().contains("Fed <Paper> & Co"));
        assert!(!body.contains(path.trim_start_matches("/api/v1/notifications/").trim_end_matches(".atom")), "the feed does not repeat its secret");
        let status: NotificationFeedStatus = app.get_json_as("/api/v1/me/notifications/feed", &author.access).await;
        assert!(status.active);

        let second: NotificationFeedInfo = rotate().await.json().await.unwrap();
        assert_ne!(first.url, second.url);
        assert_problem(app.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
        assert_eq!(app.get(second.url.trim_start_matches(&app.address)).await.status(), StatusCode::OK);
        assert_problem(app.get("/api/v1/notifications/not-a-secret.atom").await, StatusCode::NOT_FOUND, "not_found").await;
        assert_eq!(app.request(Method::POST, "/api/v1/me/notifications/feed/rotate").await.status(), StatusCode::UNAUTHORIZED);
    }
}

backend_test! {
    async fn the_client_follows_reads_its_feed_and_notifications_and_marks_them_read(app) {
        use shortscience_client::types::{FollowKind, Page, RegisterRequest};
        use shortscience_client::{Client, RetryPolicy};
        let anonymous = Client::new(&app.address).unwrap().with_retry(RetryPolicy::none());
        let register = |name: &str| RegisterRequest {
            username: name.into(),
            email: format!("{name}@example.org"),
            password: "a long enough passphrase".into(),
            display_name: None,
        };
        let ada = anonymous.register(&register("ada")).await.unwrap();
        let ada = anonymous.with_token(&ada.session.access_token).unwrap();
        let bob_account = app.register("bob").await;
        let paper = paper(&app, &bob_account, "Typed Following").await;
        let doi_paper: PaperDetail = app
            .post_json("/api/v1/papers", &json!({"title": "With a DOI", "authors": ["A"], "doi": "10.5555/follow/me"}), Some(&bob_account.access))
            .await
            .json()
            .await
            .unwrap();
        let followed = ada.create_follow(FollowKind::Paper, &paper.to_string()).await.unwrap();
        assert_eq!(followed.label, "Typed Following");
        let by_doi = ada.create_follow(FollowKind::Paper, "doi:10.5555/follow/me").await.unwrap();
        assert_eq!(by_doi.key, doi_paper.id.to_string());
        ada.create_follow(FollowKind::User, "bob").await.unwrap();
        assert_eq!(ada.list_follows().await.unwrap().counts.total, 3);
        ada.delete_follow(FollowKind::Paper, "doi:10.5555/follow/me").await.unwrap();
        assert_eq!(ada.list_follows().await.unwrap().counts.papers, 1);
        let written = summary(&app, &bob_account, paper, "For the typed client").await;
        let feed = ada.list_following_feed(&Page::default()).await.unwrap();
        assert_eq!(feed.items.iter().map(|s| s.summary.id.0).collect::<Vec<_>>(), vec![written]);
        let page = ada.list_notifications(&Page::default()).await.unwrap();
        assert_eq!((page.items.len(), page.unread), (1, 1));
        assert_eq!(ada.mark_notifications_read(Some(page.items[0].id)).await.unwrap().unread, 0);
        assert_eq!(ada.mark_notifications_read(None).await.unwrap().unread, 0);
        assert!(!ada.get_notification_feed().await.unwrap().active);
        let info = ada.rotate_notification_feed().await.unwrap();
        assert!(info.url.ends_with(".atom"));
        assert!(ada.get_notification_feed().await.unwrap().active);
    }
}

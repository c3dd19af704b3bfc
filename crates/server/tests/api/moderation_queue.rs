//! Flags and the moderators' queue, the public moderation log, and author claims.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use shortscience_types::{
    AuthorDetail, Claim, ClaimPage, ClaimStatus, DecidedFlag, Flag, FlagQueue, FlagReason,
    FlagStatus, FlagTargetKind, ModerationLogPage, PaperDetail, Role, UserProfile,
};

use crate::accounts::Account;
use crate::helpers::*;
use crate::summaries::{paper, summary, write};

async fn flag(app: &TestApp, account: &Account, body: Value) -> reqwest::Response {
    app.post_json("/api/v1/flags", &body, Some(&account.access))
        .await
}

async fn flagged(app: &TestApp, account: &Account, body: Value) -> Flag {
    let response = flag(app, account, body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

async fn comment(app: &TestApp, account: &Account, summary: i64, text: &str) -> i64 {
    let response = app
        .post_json(
            &format!("/api/v1/summaries/{summary}/comments"),
            &json!({"body_markdown": text}),
            Some(&account.access),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: shortscience_types::Comment = response.json().await.unwrap();
    created.id.0
}

async fn moderator(app: &TestApp, name: &str) -> Account {
    let account = app.register(name).await;
    app.set_role(name, Role::Moderator);
    account
}

backend_test! {
    async fn flags_are_checked_deduplicated_and_queued_by_target(app) {
        let writer = app.register("writer").await;
        let reader = app.register("reader").await;
        let other = app.register("other").await;
        let moddy = moderator(&app, "moddy").await;
        let paper_id = paper(&app, &writer, "A Flaggable Paper").await;
        let summary_id = summary(&app, &writer, paper_id, "Buy cheap watches here.").await;
        let comment_id = comment(&app, &writer, summary_id, "More spam in a comment.").await;

        // Each kind of target.
        let on_summary = flagged(&app, &reader, json!({"summary_id": summary_id, "reason": "spam", "note": "an advert"})).await;
        assert_eq!((on_summary.target_kind, on_summary.target_id, on_summary.reason, on_summary.status), (FlagTargetKind::Summary, summary_id, FlagReason::Spam, FlagStatus::Open));
        let on_comment = flagged(&app, &reader, json!({"comment_id": comment_id, "reason": "off_topic"})).await;
        assert_eq!(on_comment.target_kind, FlagTargetKind::Comment);
        let on_paper = flagged(&app, &reader, json!({"paper_id": paper_id, "reason": "duplicate"})).await;
        assert_eq!(on_paper.target_kind, FlagTargetKind::Paper);
        flagged(&app, &other, json!({"summary_id": summary_id, "reason": "abuse"})).await;

        // One open flag per user per target: the second names the first.
        let again = flag(&app, &reader, json!({"summary_id": summary_id, "reason": "other"})).await;
        let problem = assert_problem(again, StatusCode::CONFLICT, "flag_exists").await;
        assert_eq!(problem.flag_id, Some(on_summary.id));

        // Bad input.
        let unknown = flag(&app, &reader, json!({"paper_id": paper_id, "reason": "boring"})).await;
        let problem = assert_problem(unknown, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(problem.field(), Some("reason"));
        let none = flag(&app, &reader, json!({"reason": "spam"})).await;
        assert_problem(none, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        let two = flag(&app, &reader, json!({"summary_id": summary_id, "paper_id": paper_id, "reason": "spam"})).await;
        let problem = assert_problem(two, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(problem.field(), Some("paper_id"));
        let long = flag(&app, &other, json!({"paper_id": paper_id, "reason": "spam", "note": "x".repeat(1001)})).await;
        let problem = assert_problem(long, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(problem.field(), Some("note"));

        // Targets the flagger cannot see: missing, private, hidden.
        let missing = flag(&app, &reader, json!({"summary_id": 999_999, "reason": "spam"})).await;
        assert_problem(missing, StatusCode::NOT_FOUND, "not_found").await;
        let missing = flag(&app, &reader, json!({"comment_id": 999_999, "reason": "spam"})).await;
        assert_problem(missing, StatusCode::NOT_FOUND, "not_found").await;
        let missing = flag(&app, &reader, json!({"paper_id": 999_999, "reason": "spam"})).await;
        assert_problem(missing, StatusCode::NOT_FOUND, "not_found").await;
        let other_paper = paper(&app, &other, "Another Paper").await;
        let private = write(&app, &other, other_paper, json!({"body_markdown": "secret", "visibility": "private"})).await;
        let private: shortscience_types::SummaryDetail = private.json().await.unwrap();
        let hidden = flag(&app, &reader, json!({"summary_id": private.summary.id, "reason": "spam"})).await;
        assert_problem(hidden, StatusCode::NOT_FOUND, "not_found").await;

        // Signed out: 401. The queue: moderators only.
        let anonymous = app.send(Method::POST, "/api/v1/flags", Some(&json!({"paper_id": paper_id, "reason": "spam"})), None).await;
        assert_problem(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        let queue = app.send(Method::GET, "/api/v1/mod/flags", None, None).await;
        assert_problem(queue, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        let queue = app.send(Method::GET, "/api/v1/mod/flags", None, Some(&reader.access)).await;
        assert_problem(queue, StatusCode::FORBIDDEN, "not_moderator").await;
        let decide = app.send(Method::PATCH, &format!("/api/v1/mod/flags/{}", on_paper.id), Some(&json!({"status": "dismissed"})), Some(&reader.access)).await;
        assert_problem(decide, StatusCode::FORBIDDEN, "not_moderator").await;

        // Grouped by target, the most flagged first.
        let queue: FlagQueue = app.get_json_as("/api/v1/mod/flags", &moddy.access).await;
        assert_eq!(queue.items.len(), 3, "{queue:?}");
        let top = &queue.items[0];
        assert_eq!((top.kind, top.id, top.count), (FlagTargetKind::Summary, summary_id, 2));
        assert_eq!(top.title, "A Flaggable Paper");
        assert!(top.excerpt.contains("cheap watches"));
        assert_eq!(top.link, format!("/summaries/{summary_id}"));
        assert_eq!(top.flags.len(), 2);
        assert_eq!(top.flags[0].flagger.as_deref(), Some("reader"));
        assert_eq!(top.flags[0].note.as_deref(), Some("an advert"));
        let mut reasons: Vec<_> = top.reasons.iter().map(|r| (r.reason, r.count)).collect();
        reasons.sort_by_key(|(r, _)| r.as_str());
        assert_eq!(reasons, vec![(FlagReason::Abuse, 1), (FlagReason::Spam, 1)]);
        assert!(top.first_flagged_at <= top.last_flagged_at);
        // Then by age: the comment was flagged before the paper.
        assert_eq!((queue.items[1].kind, queue.items[1].id), (FlagTargetKind::Comment, comment_id));
        assert_eq!(queue.items[1].link, format!("/summaries/{summary_id}#comment-{comment_id}"));
        assert_eq!((queue.items[2].kind, queue.items[2].id), (FlagTargetKind::Paper, paper_id));
        // Paged with a cursor, neither repeating nor skipping.
        let first: FlagQueue = app.get_json_as("/api/v1/mod/flags?limit=2", &moddy.access).await;
        assert_eq!(first.items.len(), 2);
        let cursor = first.next_cursor.expect("a second page");
        let second: FlagQueue = app.get_json_as(&format!("/api/v1/mod/flags?limit=2&cursor={cursor}"), &moddy.access).await;
        assert_eq!(second.items.iter().map(|t| t.id).collect::<Vec<_>>(), vec![paper_id]);
        assert!(second.next_cursor.is_none());

        // Dismissing and resolving take flags out of the queue and are logged.
        let decided = app.send(Method::PATCH, &format!("/api/v1/mod/flags/{}", on_paper.id), Some(&json!({"status": "dismissed", "reason": "not a duplicate"})), Some(&moddy.access)).await;
        assert_eq!(decided.status(), StatusCode::OK);
        let decided: DecidedFlag = decided.json().await.unwrap();
        assert_eq!(decided.flag.status, FlagStatus::Dismissed);
        assert_eq!(decided.decided_by.as_deref(), Some("moddy"));
        let decided: DecidedFlag = app.send(Method::PATCH, &format!("/api/v1/mod/flags/{}", on_comment.id), Some(&json!({"status": "resolved"})), Some(&moddy.access)).await.json().await.unwrap();
        assert_eq!(decided.flag.status, FlagStatus::Resolved);
        let again = app.send(Method::PATCH, &format!("/api/v1/mod/flags/{}", on_comment.id), Some(&json!({"status": "dismissed"})), Some(&moddy.access)).await;
        assert_problem(again, StatusCode::CONFLICT, "already_decided").await;
        let bad = app.send(Method::PATCH, &format!("/api/v1/mod/flags/{}", on_summary.id), Some(&json!({"status": "deleted"})), Some(&moddy.access)).await;
        let problem = assert_problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(problem.field(), Some("status"));
        let queue: FlagQueue = app.get_json_as("/api/v1/mod/flags", &moddy.access).await;
        assert_eq!(queue.items.iter().map(|t| t.id).collect::<Vec<_>>(), vec![summary_id]);
        let log: ModerationLogPage = app.get_json("/api/v1/moderation").await;
        assert_eq!(log.items[0].action, "resolve_flag");
        assert_eq!(log.items[1].action, "dismiss_flag");
        assert_eq!(log.items[1].reason.as_deref(), Some("not a duplicate"));
        assert_eq!(log.items[1].moderator.as_deref(), Some("moddy"));
        assert_eq!(log.items[1].target.as_ref().map(|t| t.link.as_str()), Some(format!("/papers/{paper_id}").as_str()));

        // Once resolved, the same user may flag the target again.
        flagged(&app, &reader, json!({"comment_id": comment_id, "reason": "spam"})).await;
    }
}

backend_test! {
    async fn hiding_a_flagged_summary_resolves_its_flags_and_the_public_log_keeps_its_secrets(app) {
        let secret = app.register("secretauthor").await;
        let reader = app.register("reader").await;
        let moddy = moderator(&app, "moddy").await;
        let admin = app.register("boss").await;
        app.set_role("boss", Role::Admin);
        let paper_id = paper(&app, &reader, "A Paper").await;
        let body = "Unmistakable-hidden-text-7f3a";
        let response = write(&app, &secret, paper_id, json!({"body_markdown": body, "anonymous": true})).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let created: shortscience_types::SummaryDetail = response.json().await.unwrap();
        let summary_id = created.summary.id.0;
        let comment_body = "Hidden-comment-text-91bc";
        let comment_id = comment(&app, &secret, summary_id, comment_body).await;
        flagged(&app, &reader, json!({"summary_id": summary_id, "reason": "abuse"})).await;
        flagged(&app, &reader, json!({"comment_id": comment_id, "reason": "abuse"})).await;

        // Hiding the comment and then the summary resolves their flags in the same write.
        let hide = app.send(Method::PATCH, &format!("/api/v1/comments/{comment_id}"), Some(&json!({"hidden": true, "reason": "rude comment"})), Some(&moddy.access)).await;
        assert_eq!(hide.status(), StatusCode::OK);
        let hide = app.send(Method::PATCH, &format!("/api/v1/summaries/{summary_id}"), Some(&json!({"hidden": true, "reason": "abusive"})), Some(&moddy.access)).await;
        assert_eq!(hide.status(), StatusCode::OK);
        let queue: FlagQueue = app.get_json_as("/api/v1/mod/flags", &moddy.access).await;
        assert!(queue.items.is_empty(), "{queue:?}");
        // An admin action too.
        let suspend = app.send(Method::PATCH, "/api/v1/users/reader", Some(&json!({"role": "moderator", "reason": "trusted"})), Some(&admin.access)).await;
        assert_eq!(suspend.status(), StatusCode::OK);

        // Readable signed out, newest first, with action, target link, moderator and reason.
        let response = app.get("/api/v1/moderation").await;
        assert_eq!(response.status(), StatusCode::OK);
        let text = response.text().await.unwrap();
        assert!(!text.contains(body), "the hidden summary's text leaked: {text}");
        assert!(!text.contains(comment_body), "the hidden comment's text leaked: {text}");
        assert!(!text.contains("secretauthor"), "the anonymous author leaked: {text}");
        let log: ModerationLogPage = serde_json::from_str(&text).unwrap();
        let actions: Vec<_> = log.items.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, vec!["set_role", "hide_summary", "hide_comment"]);
        let role = &log.items[0];
        assert_eq!(role.moderator.as_deref(), Some("boss"));
        assert_eq!(role.role.as_deref(), Some("moderator"));
        assert_eq!(role.target.as_ref().map(|t| t.link.as_str()), Some("/users/reader"));
        let hidden = &log.items[1];
        assert_eq!(hidden.moderator.as_deref(), Some("moddy"));
        assert_eq!(hidden.reason.as_deref(), Some("abusive"));
        let target = hidden.target.as_ref().unwrap();
        assert_eq!((target.kind.as_str(), target.link.clone()), ("summary", format!("/summaries/{summary_id}")));
        let target = log.items[2].target.as_ref().unwrap();
        assert_eq!(target.link, format!("/summaries/{summary_id}#comment-{comment_id}"));
        // Paged by cursor.
        let first: ModerationLogPage = app.get_json("/api/v1/moderation?limit=2").await;
        assert_eq!(first.items.len(), 2);
        let rest: ModerationLogPage = app.get_json(&format!("/api/v1/moderation?limit=2&cursor={}", first.next_cursor.unwrap())).await;
        assert_eq!(rest.items.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), vec!["hide_comment"]);
        assert!(rest.next_cursor.is_none());
    }
}

backend_test! {
    async fn author_claims_are_checked_and_approved_ones_show_on_papers_and_profiles(app) {
        let ada = app.register("ada").await;
        let bob = app.register("bob").await;
        let moddy = moderator(&app, "moddy").await;
        let created: PaperDetail = app.post_json("/api/v1/papers", &json!({"title": "Notes on the Engine", "authors": ["Ada Lovelace", "Charles Babbage"], "year": 1843}), Some(&ada.access)).await.json().await.unwrap();
        let (lovelace, babbage) = (created.authors[0].id, created.authors[1].id);
        let other: PaperDetail = app.post_json("/api/v1/papers", &json!({"title": "Unrelated", "authors": ["Someone Else"]}), Some(&ada.access)).await.json().await.unwrap();
        let claims_path = format!("/api/v1/papers/{}/claims", created.id);

        // ORCID checksum and form; the author must be on the paper.
        let bad = app.post_json(&claims_path, &json!({"author_id": lovelace, "orcid": "0000-0002-1825-0098"}), Some(&ada.access)).await;
        let problem = assert_problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(problem.field(), Some("orcid"));
        let bad = app.post_json(&claims_path, &json!({"author_id": lovelace, "orcid": "not an orcid"}), Some(&ada.access)).await;
        assert_problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        let stranger = app.post_json(&claims_path, &json!({"author_id": other.authors[0].id}), Some(&ada.access)).await;
        let problem = assert_problem(stranger, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(problem.field(), Some("author_id"));
        let missing = app.post_json("/api/v1/papers/999999/claims", &json!({"author_id": lovelace}), Some(&ada.access)).await;
        assert_problem(missing, StatusCode::NOT_FOUND, "not_found").await;
        let anonymous = app.post_json(&claims_path, &json!({"author_id": lovelace}), None).await;
        assert_problem(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;

        // A valid ORCID in URL form is stored normalised; a second pending claim is a 409.
        let response = app.post_json(&claims_path, &json!({"author_id": lovelace, "orcid": "https://orcid.org/0000-0002-1825-0097"}), Some(&ada.access)).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let claim: Claim = response.json().await.unwrap();
        assert_eq!((claim.status, claim.orcid.as_deref(), claim.username.as_deref()), (ClaimStatus::Pending, Some("0000-0002-1825-0097"), Some("ada")));
        let again = app.post_json(&claims_path, &json!({"author_id": lovelace}), Some(&ada.access)).await;
        let problem = assert_problem(again, StatusCode::CONFLICT, "claim_exists").await;
        assert_eq!(problem.claim_id, Some(claim.id));
        let bobs: Claim = app.post_json(&claims_path, &json!({"author_id": babbage}), Some(&bob.access)).await.json().await.unwrap();

        // Only moderators see and decide claims.
        let list = app.send(Method::GET, "/api/v1/mod/claims", None, Some(&ada.access)).await;
        assert_problem(list, StatusCode::FORBIDDEN, "not_moderator").await;
        let list = app.send(Method::GET, "/api/v1/mod/claims", None, None).await;
        assert_problem(list, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        let approve = app.send(Method::PATCH, &format!("/api/v1/mod/claims/{}", claim.id), Some(&json!({"status": "approved"})), Some(&ada.access)).await;
        assert_problem(approve, StatusCode::FORBIDDEN, "not_moderator").await;
        let pending: ClaimPage = app.get_json_as("/api/v1/mod/claims", &moddy.access).await;
        assert_eq!(pending.items.iter().map(|c| c.id).collect::<Vec<_>>(), vec![claim.id, bobs.id]);
        let bad = app.send(Method::PATCH, &format!("/api/v1/mod/claims/{}", claim.id), Some(&json!({"status": "maybe"})), Some(&moddy.access)).await;
        let problem = assert_problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(problem.field(), Some("status"));

        // Approve Ada's, reject Bob's.
        let approved = app.send(Method::PATCH, &format!("/api/v1/mod/claims/{}", claim.id), Some(&json!({"status": "approved", "reason": "matches her ORCID"})), Some(&moddy.access)).await;
        assert_eq!(approved.status(), StatusCode::OK);
        let approved: Claim = approved.json().await.unwrap();
        assert_eq!(approved.status, ClaimStatus::Approved);
        let rejected: Claim = app.send(Method::PATCH, &format!("/api/v1/mod/claims/{}", bobs.id), Some(&json!({"status": "rejected", "reason": "no evidence"})), Some(&moddy.access)).await.json().await.unwrap();
        assert_eq!(rejected.status, ClaimStatus::Rejected);
        let twice = app.send(Method::PATCH, &format!("/api/v1/mod/claims/{}", bobs.id), Some(&json!({"status": "approved"})), Some(&moddy.access)).await;
        assert_problem(twice, StatusCode::CONFLICT, "already_decided").await;
        // Each claimant hears of the decision, with the moderator's reason; nobody else does.
        for (account, approved, reason) in [(&ada, true, "matches her ORCID"), (&bob, false, "no evidence")] {
            let page: shortscience_types::NotificationPage = app.get_json_as("/api/v1/me/notifications", &account.access).await;
            let decided: Vec<_> = page.items.iter().filter(|n| n.kind == shortscience_types::NotificationKind::ClaimDecided).collect();
            assert_eq!(decided.len(), 1, "{}", account.username);
            assert_eq!((decided[0].approved, decided[0].reason.as_deref()), (Some(approved), Some(reason)));
            assert_eq!(decided[0].subject.paper_id, Some(created.id));
        }
        let page: shortscience_types::NotificationPage = app.get_json_as("/api/v1/me/notifications", &moddy.access).await;
        assert!(page.items.is_empty(), "not to the moderator who decided");
        // Pending first, then decided ones newest first.
        let listed: ClaimPage = app.get_json_as("/api/v1/mod/claims", &moddy.access).await;
        assert_eq!(listed.items.iter().map(|c| c.id).collect::<Vec<_>>(), vec![bobs.id, claim.id]);

        // The paper page names the verified user and the ORCID; the rejected claim shows nothing.
        let paper: PaperDetail = app.get_json(&format!("/api/v1/papers/{}", created.id)).await;
        assert_eq!(paper.authors[0].verified_user.as_deref(), Some("ada"));
        assert_eq!(paper.authors[0].orcid.as_deref(), Some("0000-0002-1825-0097"));
        assert_eq!(paper.authors[1].verified_user, None);
        let author: AuthorDetail = app.get_json(&format!("/api/v1/authors/{lovelace}")).await;
        assert_eq!(author.verified_user.as_deref(), Some("ada"));
        let profile: UserProfile = app.get_json("/api/v1/users/ada").await;
        assert_eq!(profile.claimed_papers.len(), 1);
        assert_eq!((profile.claimed_papers[0].paper_id, profile.claimed_papers[0].author_id), (created.id, lovelace));
        let profile: UserProfile = app.get_json("/api/v1/users/bob").await;
        assert!(profile.claimed_papers.is_empty());
        // A second user cannot be verified as the same author.
        let late: Claim = app.post_json(&claims_path, &json!({"author_id": lovelace}), Some(&bob.access)).await.json().await.unwrap();
        let conflict = app.send(Method::PATCH, &format!("/api/v1/mod/claims/{}", late.id), Some(&json!({"status": "approved"})), Some(&moddy.access)).await;
        let problem = assert_problem(conflict, StatusCode::CONFLICT, "claim_exists").await;
        assert_eq!(problem.claim_id, Some(claim.id));

        // Both decisions are in the public log.
        let log: ModerationLogPage = app.get_json("/api/v1/moderation").await;
        let actions: Vec<_> = log.items.iter().map(|e| (e.action.as_str(), e.reason.as_deref())).collect();
        assert_eq!(actions, vec![("reject_claim", Some("no evidence")), ("approve_claim", Some("matches her ORCID"))]);
        assert_eq!(log.items[1].target.as_ref().map(|t| t.link.clone()), Some(format!("/authors/{lovelace}")));

        // The claimant's export holds their claims and flags.
        let export: shortscience_types::AccountExport = app.get_json_as("/api/v1/me/export", &ada.access).await;
        assert_eq!(export.claims.iter().map(|c| c.id).collect::<Vec<_>>(), vec![claim.id]);
    }
}

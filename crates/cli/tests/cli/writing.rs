//! Writing: summaries from a file and from standard input, editing, the feed, votes, comments
//! and deleting, each checked through the API.

use predicates::str::contains;
use shortscience_client::types::{
    CreateSummaryRequest, FeedQuery, FeedSort, Page, PaperRef, SummaryId,
};

use crate::{json, Setup};

#[test]
fn a_summary_is_written_from_a_file_edited_and_shown_in_the_feed() {
    let setup = Setup::new("scribe");
    setup.paper();
    let file = setup.home.path().join("summary.md");
    std::fs::write(&file, "The engine computes Bernoulli numbers $B_n$.\n").unwrap();

    let output = setup
        .shortsci()
        .args(["summary", "write", "arxiv:2003.10555", "--file"])
        .arg(&file)
        .arg("--json")
        .assert()
        .success()
        .get_output()
        .clone();
    let written = json(&output);
    let id = written["id"].as_i64().expect("the summary's id");
    assert_eq!(written["author"]["username"], "scribe");
    assert_eq!(written["paper"]["title"], "Sketch of the Analytical Engine");
    assert!(written["body_html"].as_str().unwrap().contains("<math"));

    // Writing again is refused, and the hint names the summary to edit.
    setup
        .shortsci()
        .args(["summary", "write", "2003.10555", "--file"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(contains("409 summary_exists"))
        .stderr(contains(format!("shortsci summary edit {id}")));

    // Edit from standard input.
    setup
        .shortsci()
        .args(["summary", "edit", &id.to_string(), "--file", "-"])
        .write_stdin("The engine computes Bernoulli numbers $B_n$, with loops.\n")
        .assert()
        .success()
        .stdout(contains(format!("Updated summary #{id}")));
    let stored = setup.run(setup.client.get_summary(SummaryId(id))).unwrap();
    assert!(stored
        .summary
        .body_markdown
        .is_some_and(|b| b.contains("with loops")));
    assert_eq!(
        setup
            .run(setup.client.list_revisions(SummaryId(id)))
            .unwrap()
            .items
            .len(),
        2
    );

    let output = setup
        .shortsci()
        .args(["feed", "--sort", "new", "--period", "week", "--json"])
        .assert()
        .success()
        .get_output()
        .clone();
    let feed = json(&output);
    assert_eq!(feed["items"][0]["id"], id);
    // Feeds are lean: the excerpt, never the bodies.
    assert!(feed["items"][0]["excerpt_html"]
        .as_str()
        .unwrap()
        .contains("with loops"));
    assert!(feed["items"][0].get("body_markdown").is_none());
    assert!(feed.get("next_cursor").is_some());

    setup
        .shortsci()
        .args(["feed"])
        .assert()
        .success()
        .stdout(contains(format!("#{id}")))
        .stdout(contains("Sketch of the Analytical Engine (ICLR 2020)"))
        .stdout(contains("by scribe"));
    setup
        .shortsci()
        .args(["summary", "get", &id.to_string()])
        .assert()
        .success()
        .stdout(contains("with loops"))
        .stdout(contains("written just now"));

    setup
        .shortsci()
        .args(["summary", "delete", &id.to_string()])
        .assert()
        .success()
        .stdout(contains(format!("Deleted summary #{id}")));
    let gone = setup
        .run(setup.client.get_summary(SummaryId(id)))
        .unwrap_err();
    assert!(gone.is_not_found());
}

#[test]
fn votes_and_comments_are_visible_through_the_api() {
    let setup = Setup::new("critic");
    let paper = setup.paper();
    let summary = setup.summary_by_another(&paper, "author");
    let id = summary.summary.id.to_string();

    setup
        .shortsci()
        .args(["vote", &id, "up"])
        .assert()
        .success()
        .stdout(contains(format!(
            "Voted up on summary #{id}: score +1 (1 up, 0 down)."
        )));
    let seen = setup
        .run(setup.client.get_summary(summary.summary.id))
        .unwrap();
    assert_eq!(
        (seen.summary.ups, seen.summary.score, seen.summary.my_vote),
        (1, 1, 1)
    );
    let anyone = setup
        .run(setup.server.client().list_summaries(
            &FeedQuery {
                sort: FeedSort::Top,
                ..Default::default()
            },
            &Page::default(),
        ))
        .unwrap();
    assert_eq!(anyone.items[0].summary.score, 1);

    let output = setup
        .shortsci()
        .args(["vote", &id, "clear", "--json"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert_eq!(json(&output)["value"], 0);

    let output = setup
        .shortsci()
        .args(["comment", &id, "--file", "-", "--json"])
        .write_stdin("Why $B_7$?")
        .assert()
        .success()
        .get_output()
        .clone();
    let comment_id = json(&output)["id"].as_i64().unwrap();
    setup
        .shortsci()
        .args([
            "comment",
            &id,
            "--file",
            "-",
            "--reply-to",
            &comment_id.to_string(),
        ])
        .write_stdin("Because the notes say so.")
        .assert()
        .success()
        .stdout(contains(format!("a reply to comment {comment_id}")));
    let thread = setup
        .run(setup.client.list_comments(summary.summary.id))
        .unwrap();
    assert_eq!(thread.count, 2);
    assert_eq!(thread.items[0].replies.len(), 1);

    // Voting on your own summary is refused by the server: exit 1.
    let own = setup
        .run(setup.client.create_summary(
            &PaperRef::Id(paper.id),
            &CreateSummaryRequest {
                body_markdown: "Mine.".into(),
                anonymous: false,
                visibility: Default::default(),
            },
        ))
        .unwrap();
    setup
        .shortsci()
        .args(["vote", &own.summary.id.to_string(), "down"])
        .assert()
        .code(1)
        .stderr(contains("own_summary"));
}

//! Backups, export/import and copying a site between backends, checked listing by listing
//! through the API of a server started on the result.

use serde_json::{json, Value};
use shortscience_server::db::{self, DbConn};
use shortscience_server::ops;

use crate::helpers::*;
use crate::summaries::{paper, summary, vote};

/// A site with demo data plus users, a private and an anonymous summary, votes and a thread.
async fn populated(app: &TestApp) {
    let ada = app.register("ada").await;
    let bob = app.register("bob").await;
    let own = paper(app, &ada, "Exported Paper").await;
    let id = summary(app, &ada, own, "public $x^2$").await;
    vote(app, &bob, id, 1).await;
    app.post_json(
        &format!("/api/v1/papers/{own}/summaries"),
        &json!({"body_markdown": "bob's secret", "visibility": "private"}),
        Some(&bob.access),
    )
    .await;
    let comment: Value = app
        .post_json(
            &format!("/api/v1/summaries/{id}/comments"),
            &json!({"body_markdown": "why?"}),
            Some(&bob.access),
        )
        .await
        .json()
        .await
        .unwrap();
    app.post_json(
        &format!("/api/v1/summaries/{id}/comments"),
        &json!({"body_markdown": "because", "parent_id": comment["id"]}),
        Some(&ada.access),
    )
    .await;
}

/// What a reader sees of the whole site, through the API.
async fn listings(app: &TestApp) -> Vec<(String, Value)> {
    listings_with_users(app, &["ada", "mira"]).await
}

/// [`listings`], with the profiles (and summaries) of these users.
async fn listings_with_users(app: &TestApp, users: &[&str]) -> Vec<(String, Value)> {
    let mut paths: Vec<String> = [
        "/api/v1/papers?limit=100",
        "/api/v1/papers?limit=100&sort=top",
        "/api/v1/papers?limit=100&sort=recent",
        "/api/v1/summaries?limit=100&sort=new",
        "/api/v1/summaries?limit=100&sort=top",
        "/api/v1/summaries?limit=100&sort=hot",
        "/api/v1/venues",
        "/api/v1/years",
        "/api/v1/keywords",
        "/api/v1/stats",
    ]
    .iter()
    .map(|p| (*p).to_owned())
    .collect();
    for user in users {
        paths.push(format!("/api/v1/users/{user}"));
        paths.push(format!("/api/v1/users/{user}/summaries"));
    }
    let papers: Value = app.get_json("/api/v1/papers?limit=100").await;
    for paper in papers["items"].as_array().unwrap() {
        paths.push(format!("/api/v1/papers/{}", paper["id"]));
        paths.push(format!("/api/v1/papers/{}/history", paper["id"]));
        paths.push(format!("/api/v1/papers/{}/bibtex", paper["id"]));
    }
    let summaries: Value = app.get_json("/api/v1/summaries?limit=100&sort=new").await;
    for s in summaries["items"].as_array().unwrap() {
        paths.push(format!("/api/v1/summaries/{}/comments", s["id"]));
        paths.push(format!("/api/v1/summaries/{}/revisions", s["id"]));
    }
    let mut out = Vec::new();
    for path in paths {
        let response = app.get(&path).await;
        assert_eq!(response.status(), reqwest::StatusCode::OK, "{path}");
        let text = response.text().await.unwrap();
        out.push((
            path,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        ));
    }
    out
}

/// The first place two JSON values differ, as a JSON pointer with both values (short).
fn first_difference(a: &Value, b: &Value, at: String) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| {
                first_difference(
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                    format!("{at}/{k}"),
                )
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (x, y))| first_difference(x, y, format!("{at}/{i}"))),
        (x, y) if x == y => None,
        (x, y) => {
            let short = |v: &Value| v.to_string().chars().take(200).collect::<String>();
            Some(format!("{at}: {} != {}", short(x), short(y)))
        }
    }
}

/// Both sites answer every listing alike.
fn assert_same_site(before: &[(String, Value)], after: &[(String, Value)]) {
    assert_eq!(before.len(), after.len());
    for ((path, a), (_, b)) in before.iter().zip(after) {
        if let Some(difference) = first_difference(a, b, String::new()) {
            panic!("{path} differs at {difference}");
        }
    }
}

fn export_of(conn: &mut DbConn, with_secrets: bool) -> Vec<u8> {
    let mut out = Vec::new();
    ops::dump::export(conn, with_secrets, &mut out).unwrap();
    out
}

async fn round_trip(backend: Backend) {
    let Some(app) = spawn_app(backend, Options::demo()).await else {
        note_postgres_skipped();
        return;
    };
    populated(&app).await;
    let dump = app.with_conn(|c| export_of(c, true));
    let text = String::from_utf8(dump.clone()).unwrap();
    assert!(text.lines().next().unwrap().contains("shortscience-export"));
    let (target, url) = TestDatabase::create(backend).unwrap();
    {
        let fresh = db::Db::connect(&url).unwrap();
        let mut conn = fresh.get().unwrap();
        db::run_migrations(&mut conn).unwrap();
        let imported = ops::dump::import(&mut conn, &mut dump.as_slice()).unwrap();
        assert_eq!(imported.rows as usize, text.lines().count() - 1);
        // A second import into the same database is refused: nothing is doubled.
        assert!(ops::dump::import(&mut conn, &mut dump.as_slice()).is_err());
    }
    let restored = start_on(backend, url, Options::default()).await;
    assert_same_site(&listings(&app).await, &listings(&restored).await);
    // The restored site keeps working: sign-in (password hashes came along), new rows get new ids.
    assert_eq!(
        restored
            .login("ada", crate::accounts::PASSWORD)
            .await
            .status(),
        reqwest::StatusCode::OK
    );
    let ada = restored
        .login("ada", crate::accounts::PASSWORD)
        .await
        .json::<Value>()
        .await
        .unwrap();
    let token = ada["access_token"].as_str().unwrap();
    let created = restored
        .post_json(
            "/api/v1/papers",
            &json!({"title": "After The Move", "authors": ["X"]}),
            Some(token),
        )
        .await;
    assert_eq!(created.status(), reqwest::StatusCode::CREATED);
    drop(target);
}

#[actix_web::test]
async fn an_export_imports_into_a_new_sqlite_site_unchanged() {
    round_trip(Backend::Sqlite).await;
}

#[actix_web::test]
async fn an_export_imports_into_a_new_postgres_site_unchanged() {
    round_trip(Backend::Postgres).await;
}

/// A dump made before a migration added columns with defaults (the e-mail digest columns of
/// `users`) still imports: the missing columns take their defaults.
#[actix_web::test]
async fn a_dump_from_before_a_column_was_added_imports_with_its_default() {
    let app = spawn_app(Backend::Sqlite, Options::demo()).await.unwrap();
    populated(&app).await;
    let text = String::from_utf8(app.with_conn(|c| export_of(c, true))).unwrap();
    let added = ["email_digest", "digest_notification_id", "digest_sent_at"];
    let mut users = 0;
    let old: Vec<String> = text
        .lines()
        .map(|line| {
            let mut entry: Value = serde_json::from_str(line).unwrap();
            if entry["table"] == "users" {
                users += 1;
                let row = entry["row"].as_object_mut().unwrap();
                for column in added {
                    assert!(row.remove(column).is_some(), "the dump has users.{column}");
                }
            }
            entry.to_string()
        })
        .collect();
    assert!(users > 0);
    let old = old.join("\n");
    let (_target, url) = TestDatabase::create(Backend::Sqlite).unwrap();
    let fresh = db::Db::connect(&url).unwrap();
    let mut conn = fresh.get().unwrap();
    db::run_migrations(&mut conn).unwrap();
    let imported = ops::dump::import(&mut conn, &mut old.as_bytes()).unwrap();
    assert_eq!(imported.rows as usize, old.lines().count() - 1);
    // Re-exported, every user has the defaults: digests off, none sent.
    let again = String::from_utf8(export_of(&mut conn, true)).unwrap();
    let mut checked = 0;
    for line in again.lines().skip(1) {
        let entry: Value = serde_json::from_str(line).unwrap();
        if entry["table"] == "users" {
            checked += 1;
            assert_eq!(entry["row"]["email_digest"], "off");
            assert_eq!(entry["row"]["digest_notification_id"], 0);
            assert!(entry["row"]["digest_sent_at"].is_null());
        }
    }
    assert_eq!(checked, users);
}

#[actix_web::test]
async fn exports_leave_secrets_out_unless_asked() {
    let app = spawn_app(Backend::Sqlite, Options::demo()).await.unwrap();
    populated(&app).await;
    let plain = String::from_utf8(app.with_conn(|c| export_of(c, false))).unwrap();
    assert!(!plain.contains("$argon2id$"), "no password hashes");
    assert!(!plain.contains("\"api_tokens\""));
    let secret = String::from_utf8(app.with_conn(|c| export_of(c, true))).unwrap();
    assert!(secret.contains("$argon2id$"));
}

#[actix_web::test]
async fn a_sqlite_site_copies_to_postgres_listing_by_listing() {
    let app = spawn_app(Backend::Sqlite, Options::demo()).await.unwrap();
    populated(&app).await;
    let Some((target, url)) = TestDatabase::create(Backend::Postgres) else {
        note_postgres_skipped();
        return;
    };
    {
        let source = app.db.clone();
        let to = db::Db::connect(&url).unwrap();
        let mut to_conn = to.get().unwrap();
        db::run_migrations(&mut to_conn).unwrap();
        let mut from_conn = source.get().unwrap();
        let copied = ops::dump::copy(&mut from_conn, &mut to_conn).unwrap();
        assert!(copied.rows > 50, "{copied:?}");
    }
    let moved = start_on(Backend::Postgres, url, Options::default()).await;
    assert_same_site(&listings(&app).await, &listings(&moved).await);
    drop(target);
}

#[actix_web::test]
async fn a_sqlite_backup_is_a_working_database() {
    let app = spawn_app(Backend::Sqlite, Options::demo()).await.unwrap();
    populated(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("backup.db");
    app.with_conn(|c| ops::backup::sqlite_backup(c, &out))
        .unwrap();
    assert!(
        app.with_conn(|c| ops::backup::sqlite_backup(c, &out))
            .is_err(),
        "never overwrites"
    );
    let url = shortscience_server::config::DatabaseUrl::Sqlite(out);
    let restored = start_on(Backend::Sqlite, url, Options::default()).await;
    assert_same_site(&listings(&app).await, &listings(&restored).await);
}

fn small_data_set() -> ops::generate::Params {
    ops::generate::Params {
        papers: 120,
        summaries: 300,
        votes: 1500,
        users: 40,
        comments: 150,
        seed: 7,
        until: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default(),
    }
}

/// Names of some users who signed public summaries, from the feed.
async fn some_writers(app: &TestApp) -> Vec<String> {
    let feed: Value = app.get_json("/api/v1/summaries?limit=100&sort=new").await;
    let mut names: Vec<String> = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["author"]["username"].as_str().map(str::to_owned))
        .collect();
    names.sort();
    names.dedup();
    names.truncate(3);
    names
}

backend_test! {
    async fn the_generator_fills_either_backend_with_a_consistent_site(app) {
        let params = small_data_set();
        let made = app.with_conn(|c| ops::generate::generate(c, params, |_| {}).unwrap());
        assert_eq!((made.papers, made.summaries, made.users, made.comments), (120, 300, 40, 150));
        assert!(made.votes > 0 && made.votes <= 1500, "{made:?}");
        // Totals kept by triggers agree with what the lists show.
        let venues: Value = app.get_json("/api/v1/venues").await;
        let in_venues: i64 = venues["items"].as_array().unwrap().iter().map(|v| v["paper_count"].as_i64().unwrap()).sum();
        let years: Value = app.get_json("/api/v1/years").await;
        let in_years: i64 = years.as_array().or_else(|| years["items"].as_array()).unwrap().iter().map(|y| y["paper_count"].as_i64().unwrap()).sum();
        assert!(in_venues > 0 && in_venues <= 120, "{in_venues}");
        assert!(in_years > 0 && in_years <= 120, "{in_years}");
        let stats: Value = app.get_json("/api/v1/stats").await;
        assert_eq!(stats["papers"], 120);
        let public = stats["public_summaries"].as_i64().unwrap();
        assert!(public > 200 && public <= 300, "{stats}");
        // Counters and ranks consistent with the votes: a summary's score is its ups - downs.
        let top: Value = app.get_json("/api/v1/summaries?sort=top&period=all&limit=5").await;
        for s in top["items"].as_array().unwrap() {
            assert_eq!(s["score"].as_i64(), Some(s["ups"].as_i64().unwrap() - s["downs"].as_i64().unwrap()), "{s}");
        }
        // Searchable: the index was rebuilt after the bulk load.
        let title = top["items"][0]["paper"]["title"].as_str().unwrap().to_owned();
        let word = title.split_whitespace().max_by_key(|w| w.len()).unwrap().trim_matches(|c: char| !c.is_alphanumeric()).to_owned();
        let found: Value = app.get_json(&format!("/api/v1/search?q={word}&kind=papers")).await;
        assert!(!found["items"].as_array().unwrap().is_empty(), "searching {word}: {found}");
        // SQLite keeps the planner's row counts (stat1) but no STAT4 samples, with which every
        // statement binding a value it could plan on was prepared again on each run.
        let stats = app.with_conn(|c| match c {
            DbConn::Sqlite(_) => {
                let count = |c: &mut DbConn, table: &str| -> i64 {
                    use diesel::RunQueryDsl as _;
                    diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!("(SELECT count(*) FROM {table})")))
                        .get_result(c)
                        .unwrap()
                };
                Some((count(c, "sqlite_stat1"), count(c, "sqlite_stat4")))
            }
            _ => None,
        });
        if let Some((stat1, stat4)) = stats {
            assert!(stat1 > 0, "ANALYZE left no statistics");
            assert_eq!(stat4, 0, "STAT4 samples were kept");
        }
        // A second run refuses to write into a filled database.
        let again = app.with_conn(|c| ops::generate::generate(c, params, |_| {}));
        assert!(again.is_err());
    }
}

/// History ends on the day given (today by default), so the newest summaries are recent and
/// `top` for a month ranks something (the benchmark's `top` rows measured empty lists while
/// history ended on a fixed day).
#[actix_web::test]
async fn generated_history_ends_on_the_day_given() {
    let app = spawn_app(Backend::Sqlite, Options::default())
        .await
        .unwrap();
    let today = chrono::Utc::now().date_naive();
    let params = ops::generate::Params {
        until: today,
        ..small_data_set()
    };
    app.with_conn(|c| ops::generate::generate(c, params, |_| {}).unwrap());
    let month: Value = app
        .get_json("/api/v1/summaries?sort=top&period=month")
        .await;
    assert!(!month["items"].as_array().unwrap().is_empty(), "{month}");
    let newest: Value = app.get_json("/api/v1/summaries?sort=new&limit=1").await;
    let created = newest["items"][0]["created_at"].as_str().unwrap();
    let created = chrono::DateTime::parse_from_rfc3339(created)
        .unwrap()
        .date_naive();
    assert!(
        created <= today && created >= today - chrono::Duration::days(7),
        "{newest}"
    );
}

#[actix_web::test]
async fn a_generated_sqlite_site_copies_to_postgres_listing_by_listing() {
    let app = spawn_app(Backend::Sqlite, Options::default())
        .await
        .unwrap();
    app.with_conn(|c| ops::generate::generate(c, small_data_set(), |_| {}).unwrap());
    let Some((target, url)) = TestDatabase::create(Backend::Postgres) else {
        note_postgres_skipped();
        return;
    };
    {
        let to = db::Db::connect(&url).unwrap();
        let mut to_conn = to.get().unwrap();
        db::run_migrations(&mut to_conn).unwrap();
        let mut from_conn = app.db.get().unwrap();
        let copied = ops::dump::copy(&mut from_conn, &mut to_conn).unwrap();
        assert!(copied.rows > 2000, "{copied:?}");
    }
    let moved = start_on(Backend::Postgres, url, Options::default()).await;
    let writers = some_writers(&app).await;
    assert!(!writers.is_empty());
    let writers: Vec<&str> = writers.iter().map(String::as_str).collect();
    assert_same_site(
        &listings_with_users(&app, &writers).await,
        &listings_with_users(&moved, &writers).await,
    );
    drop(target);
}

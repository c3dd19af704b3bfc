//! `shortscience bench-raw-votes`: the benchmark's yardstick for votes over HTTP. It runs the
//! vote transaction the API runs ([`crate::domain::votes::cast`]: the same statements), from one
//! thread on one connection, with no HTTP, no pool and no rate limits, for random voters and
//! public summaries of the database (use a copy: it writes votes).

use std::time::Instant;

use diesel::RunQueryDsl as _;
use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};
use shortscience_types::{SummaryId, UserId};

use crate::db::DbConn;
use crate::domain::limits::RateLimits;
use crate::domain::{votes, Viewer};

#[derive(diesel::QueryableByName)]
struct Target {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    author_id: i64,
}

#[derive(diesel::QueryableByName)]
struct UserRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

/// What the loop did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RawVotes {
    pub votes: usize,
    pub refused: usize,
    pub seconds: f64,
}

/// Casts `count` votes in a loop; returns how long it took.
pub fn raw_votes(conn: &mut DbConn, count: usize, seed: u64) -> anyhow::Result<RawVotes> {
    let targets: Vec<Target> = diesel::sql_query(
        "SELECT id, author_id FROM summaries \
         WHERE visibility = 'public' AND NOT hidden AND deleted_at IS NULL \
         ORDER BY id DESC LIMIT 20000",
    )
    .load(conn)?;
    let users: Vec<UserRow> =
        diesel::sql_query("SELECT id FROM users ORDER BY id LIMIT 5000").load(conn)?;
    anyhow::ensure!(
        !targets.is_empty() && users.len() > 1,
        "the database needs public summaries and at least two users (run `generate` first)"
    );
    let mut rng = StdRng::seed_from_u64(seed);
    let limits = RateLimits::off();
    let started = Instant::now();
    let (mut done, mut refused) = (0, 0);
    while done < count {
        let target = &targets[rng.random_range(0..targets.len())];
        let voter = UserId(users[rng.random_range(0..users.len())].id);
        if voter.0 == target.author_id {
            continue;
        }
        let value = if rng.random_range(0..100) < 80 { 1 } else { -1 };
        let viewer = Viewer {
            id: Some(voter),
            moderator: false,
        };
        if votes::cast(conn, &limits, voter, viewer, SummaryId(target.id), value).is_err() {
            refused += 1;
        }
        done += 1;
    }
    Ok(RawVotes {
        votes: done,
        refused,
        seconds: started.elapsed().as_secs_f64(),
    })
}
